"""Model choice fields that refuse ids no database row can have.

Django passes a posted id straight to the database. On SQLite an integer past 64 bits
raises OverflowError while binding (for `pk__in`, and for lookups through a parent
page's pointer), which surfaces as a 500 instead of "not a valid choice". Every form
of ours with model choices uses `ChoiceIdsMixin`, which swaps its model choice fields
for these subclasses.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

_INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
_LIMIT = 2**63


def _integer_key(field) -> bool:
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    while key.is_relation:  # a child page's key is its parent's pointer
        key = key.target_field
    return key.get_internal_type() in _INTEGER_TYPES


def _out_of_range(value) -> bool:
    try:
        return not -_LIMIT < int(str(value).strip()) < _LIMIT
    except (TypeError, ValueError):
        return False  # not an integer at all: Django's own check says so


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and _integer_key(self) and _out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if _integer_key(self):
            for pk in value:
                if _out_of_range(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class ChoiceIdsMixin:
    """Mix into a Form or ModelForm: its model choice fields refuse impossible ids."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field) is forms.ModelMultipleChoiceField:
                field.__class__ = ModelMultipleChoiceField
            elif type(field) is forms.ModelChoiceField:
                field.__class__ = ModelChoiceField


class WholeTextMixin:
    """Mix into a Form or ModelForm: no textarea carries the browser's `maxlength`.

    With it, a pasted text longer than the limit is cut in the browser, without a word,
    before the member presses save. Without it the server's own length check answers
    ("højst 5000 tegn (den har 8000)") and the whole text stays in the field.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.pop("maxlength", None)
