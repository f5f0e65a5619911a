"""How the site's own forms are drawn: Danish labels without Django's trailing colon,
and, where a form has both fields that must be filled in and fields that may be left
empty, a star on the first with a line that says so (the browser's `required` tells
screen readers the same); an empty choice reads "Vælg …", not Django's "---------";
a form sent back with errors puts the focus on the first field to mend.

Mix `SiteFormMixin` into a Form or ModelForm shown on the public site. allauth's
forms follow the same rule through `config/templates/allauth/elements/fields.html`
and the `marks_required` filter (network/templatetags/siteforms.py); the admin keeps
its own.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

from .uploads import INVISIBLE_CATEGORIES  # what a file name may not hold, either


class SiteFormRenderer(DjangoTemplates):
    form_template_name = "network/forms/div.html"
    field_template_name = "network/forms/field.html"


class SiteFormMixin:
    default_renderer = SiteFormRenderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's "---------" in an empty select reads as a line, not as a word.
        for field in self.fields.values():
            if getattr(field, "empty_label", None) == "---------":
                field.empty_label = "Vælg …"
        add_visible_text_check(self)

    def full_clean(self):
        super().full_clean()
        # The first field to mend takes the focus when the page comes back, so keyboard
        # and screen-reader users start at the error, not at the top of the page (an
        # outside walk; it needs no JavaScript). Errors of the whole form take none.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["autofocus"] = True
                break

    @property
    def marks_required(self) -> bool:
        return marks_required(self)


def marks_required(form) -> bool:
    """Star the required fields only where there is something to tell apart: a form
    with required fields and at least one that may be left empty (a checkbox aside)."""
    visible = form.visible_fields()
    return any(field.field.required for field in visible) and any(
        not field.field.required and field.widget_type != "checkbox" for field in visible
    )


def has_visible_text(value: str) -> bool:
    """Whether `value` has a character one can see: not only white space, zero-width
    spaces and joiners, bidi and other format or control characters."""
    return any(
        not ch.isspace() and unicodedata.category(ch) not in INVISIBLE_CATEGORIES for ch in value
    )


def _visible(value) -> None:
    if isinstance(value, str) and value and not has_visible_text(value):
        raise ValidationError(
            "Feltet indeholder kun usynlige tegn. Skriv en tekst, der kan læses.",
            code="invisible",
        )


def add_visible_text_check(form) -> None:
    """Every text field but a password's refuses a text of only invisible characters:
    Django strips white space, not *\u200b*, and an outside attacker saved a log
    title (an invisible link in the list), a comment and a name of zero-width spaces."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            field.validators.append(_visible)
