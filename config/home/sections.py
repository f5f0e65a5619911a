"""Blocks on the front page that content apps contribute (newest experiences,
upcoming events, ...). Same mechanism as the municipality page."""

from network.sections import SectionRegistry

home_sections = SectionRegistry()
