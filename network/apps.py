from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Netværk"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_forget_others_drafts, dispatch_uid="network-drafts-owner")


def _forget_others_drafts(sender, request, user, **kwargs):
    from . import drafts

    if request is not None and hasattr(request, "session"):
        drafts.forget_others(request, user)


class UsersAppConfig(WagtailUsersAppConfig):
    """Takes the place of "wagtail.users" in INSTALLED_APPS (Wagtail's documented way to
    swap the user viewset): the admin's user forms with the member's own fields."""

    user_viewset = "network.admin_users.MemberViewSet"
