"""How the site's own forms are drawn: Danish labels without Django's trailing colon,
and, in a form of several fields, a star on those that must be filled in, with a line
that says so (the browser's `required` tells screen readers the same); an empty
choice reads "Vælg …", not Django's "---------".

Mix `SiteFormMixin` into a Form or ModelForm shown on the public site. The admin's
forms and allauth's (drawn by its elements, `config/templates/allauth/elements/`)
keep their own.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


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

    @property
    def marks_required(self) -> bool:
        """Star the required fields: only where there is a choice to tell apart (more
        than one field shown, at least one of them required)."""
        visible = self.visible_fields()
        return len(visible) > 1 and any(field.field.required for field in visible)
