from django import template

from network.formrendering import marks_required as _marks_required

register = template.Library()


@register.filter
def marks_required(form) -> bool:
    """Whether the form stars its required fields (network/formrendering.py)."""
    return _marks_required(form)
