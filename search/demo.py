"""Demo: editors may maintain the synonym groups (the groups themselves are seeded by
migration 0007, for every site)."""

from django.contrib.auth.models import Group, Permission

EDITOR_PERMISSIONS = [
    "add_synonymgroup",
    "change_synonymgroup",
    "delete_synonymgroup",
    "view_synonymgroup",
]


def seed(stdout=None) -> None:
    group, _ = Group.objects.get_or_create(name="Editors")
    for codename in EDITOR_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="search", codename=codename)
        )
    if stdout:
        stdout.write("  search: editors maintain the synonym groups")
