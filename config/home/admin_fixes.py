"""A mend to Wagtail's admin, applied once at start-up (HomeConfig.ready).

Wagtail's chooser widgets (image, document, page, snippet) look up the posted value to
redraw a form that had errors, and catch only DoesNotExist: a value that is not an id
at all (`image=abc`, tampered with or typed into the hidden field) raised ValueError
while the form was drawn, a 500 instead of the form's own "Marker en gyldig valgmulighed".
Found by an outside attacker; tests/config/test_admin_danish.py checks it on both a
page and a newsletter form, and fails if a Wagtail upgrade changes the method.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


def mend_choosers() -> None:
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.get_instance, "mended", False):
        return
    original = BaseChooser.get_instance

    def get_instance(self, value):
        try:
            return original(self, value)
        except (ValueError, TypeError, ValidationError):
            return None  # not an id: nothing chosen, and the form says so

    get_instance.mended = True
    BaseChooser.get_instance = get_instance
