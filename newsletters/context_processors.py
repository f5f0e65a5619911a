from django.utils.functional import SimpleLazyObject


def notifications(request):
    """The unread count in the header, worked out only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .following import UNREAD_CAP, unread_count

        n = unread_count(user)
        return f"{UNREAD_CAP}+" if n > UNREAD_CAP else n

    return {"notifications_unread": SimpleLazyObject(count)}
