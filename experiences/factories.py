"""Factories for experience pages, shared by the tests and the demo content."""

from .services import body_from_records, create_experience

__all__ = ["body_from_records", "create_experience"]
