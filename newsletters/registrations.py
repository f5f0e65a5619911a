"""What this app contributes to the layers below it."""


def register() -> None:
    from network.personal_data import PersonalDataHandler
    from network.personal_data import register as register_personal_data

    from . import personal_data

    register_personal_data(
        PersonalDataHandler(
            key="newsletters", export=personal_data.export, erase=personal_data.erase
        )
    )
    # Follows, notifications and their settings go with the account (cascade).
    register_personal_data(
        PersonalDataHandler(key="following", export=personal_data.export_following)
    )

    from allauth.account.signals import email_changed

    email_changed.connect(
        personal_data.login_address_changed, dispatch_uid="newsletter-follows-login-address"
    )

    _register_network_kinds()

    from network.sections import Section, municipality_sections, overview_sections

    municipality_sections.register(
        Section(
            key="follow-municipality",
            title="Følg kommunen",
            template="newsletters/includes/follow_municipality.html",
            items=lambda request, municipality: (
                [municipality] if request.user.is_authenticated else []
            ),
            order=1,
        )
    )

    overview_sections.register(
        Section(
            key="following",
            title="Nyt fra det, du følger",
            template="newsletters/includes/overview_following.html",
            items=_latest_notifications,
            order=40,
        )
    )


def _latest_notifications(request, user):
    from .following import visible
    from .models import Notification

    return visible(user, Notification.objects.filter(user=user)[:40])[:8]


def _register_network_kinds() -> None:
    """Municipalities and work areas are public reference data: anyone may follow
    them; what is announced about them is checked by its own kind."""
    from network.models import Municipality, WorkArea

    from .following import Kind, register_kind

    register_kind(
        Kind(
            key="municipality",
            resolve=lambda code: Municipality.objects.filter(code=code).first(),
            can_see=lambda user, m: True,
            label=lambda m: f"{m.name} Kommune" if "Kommune" not in m.name else m.name,
            url=lambda m: f"/kommuner/{m.slug}/",
        )
    )
    register_kind(
        Kind(
            key="work_area",
            resolve=lambda slug: WorkArea.objects.filter(slug=slug).first(),
            can_see=lambda user, w: True,
            label=lambda w: w.name,
            url=lambda w: f"/erfaringer/?omraade={w.slug}",
        )
    )
