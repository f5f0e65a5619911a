"""A mend to Wagtail's admin, applied once at start-up (HomeConfig.ready).

Wagtail's chooser widgets (image, document, page, snippet) look up the posted value to
redraw a form that had errors, and catch only DoesNotExist: a value that is not an id
at all (`image=abc`, tampered with or typed into the hidden field) raised ValueError
while the form was drawn, a 500 instead of the form's own "Marker en gyldig valgmulighed".
Found by an outside attacker; tests/config/test_admin_danish.py checks it on both a
page and a newsletter form, and fails if a Wagtail upgrade changes the method.

The admin's date pickers replaced a date they could not read with the present moment
when the field lost focus (the picker's `validateOnBlur`): an editor who typed
"2027-02-10 09:00" published an event starting now, without a word. `keep_typed_dates`
turns that off, so what was typed reaches the form, which reads ISO dates too and
answers anything else with Django's "Angiv en gyldig dato/tid."

The admin's CSV exports (reports, listings) were UTF-8 with no byte order mark and no
charset, so Excel, which Danish offices open them in, showed "fÃ¸rste" for "første"
(an outside check). `excel_readable_csv` starts them with the mark, as the site's own
CSV exports do (network/spreadsheet.py).
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


def keep_typed_dates() -> None:
    from django.db import models
    from wagtail.admin import widgets
    from wagtail.admin.forms.models import register_form_field_override

    def keeping(widget_class):
        class Keeping(widget_class):
            def get_config(self):
                return {**super().get_config(), "validateOnBlur": False}

        Keeping.__name__ = Keeping.__qualname__ = f"Keeping{widget_class.__name__}"
        return Keeping

    for field, widget in (
        (models.DateField, widgets.AdminDateInput),
        (models.TimeField, widgets.AdminTimeInput),
        (models.DateTimeField, widgets.AdminDateTimeInput),
    ):
        register_form_field_override(field, override={"widget": keeping(widget)})


def excel_readable_csv() -> None:
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin.write_csv_response, "mended", False):
        return
    original = SpreadsheetExportMixin.write_csv_response

    def write_csv_response(self, queryset):
        response = original(self, queryset)
        rows = response.streaming_content
        response.streaming_content = _with_bom(rows)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    write_csv_response.mended = True
    SpreadsheetExportMixin.write_csv_response = write_csv_response


def _with_bom(rows):
    yield "\ufeff".encode()
    yield from rows
