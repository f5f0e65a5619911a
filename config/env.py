"""The one place that reads the process environment.

Every variable the site understands is declared here with its type and its
embedded-mode default. Production secrets are declared with ``REQUIRED`` so
that a missing value stops the process at start-up instead of running with a
guessable default. README.md has the same table for humans; keep them in step.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

REQUIRED = object()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None:
        if default is REQUIRED:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return None
    return value


def string(name: str, default: str | object = "") -> str:
    value = _raw(name, default)
    return default if value is None else value


def boolean(name: str, default: bool = False) -> bool:
    value = _raw(name, default)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}.")


def integer(name: str, default: int | object = 0) -> int:
    value = _raw(name, default)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from exc


def csv_list(name: str, default: list[str] | object = ()) -> list[str]:
    value = _raw(name, default)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
