"""Helpers for data built once per module (see `module_transaction` in conftest.py)."""


def fresh(instance):
    """The instance as the database holds it now, read anew: a test may change an
    instance in memory, and the next test of the module must not see that."""
    if instance is None:
        return None
    return type(instance)._default_manager.get(pk=instance.pk)


def fresh_tree(value):
    """`fresh` through dicts, lists and tuples; other values as they are."""
    from django.db.models import Model

    if isinstance(value, Model):
        return fresh(value)
    if isinstance(value, dict):
        return {key: fresh_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(fresh_tree(item) for item in value)
    return value
