"""Who may see what of a member. The one place that decides it; tested as a matrix."""

from __future__ import annotations

from .models import ProfileVisibility, User


def can_view_profile(viewer, member: User) -> bool:
    if not member.is_active:
        return False
    if viewer.is_authenticated and viewer.pk == member.pk:
        return True
    if member.profile_visibility == ProfileVisibility.PUBLIC:
        return True
    if member.profile_visibility == ProfileVisibility.MEMBERS:
        return viewer.is_authenticated
    return False


def visible_to_members(member: User) -> bool:
    """Whether any logged-in member may see the profile (a page tells a visitor that
    logging in shows it)."""
    return member.is_active and member.profile_visibility in (
        ProfileVisibility.PUBLIC,
        ProfileVisibility.MEMBERS,
    )


def can_view_contact(viewer, member: User) -> bool:
    """E-mail and phone are shown only where the member agreed to be contacted."""
    if viewer.is_authenticated and viewer.pk == member.pk:
        return True
    return member.contact_allowed and can_view_profile(viewer, member)


def visible_members(viewer, queryset=None):
    """The members whose profiles `viewer` may see, for listings."""
    queryset = User.objects.filter(is_active=True) if queryset is None else queryset
    if viewer.is_authenticated:
        return queryset.exclude(profile_visibility=ProfileVisibility.PRIVATE) | queryset.filter(
            pk=viewer.pk
        )
    return queryset.filter(profile_visibility=ProfileVisibility.PUBLIC)
