"""Connections between apps that must not import each other, made at the top layer."""

from django.conf import settings
from django.contrib.auth import get_user_model

from network.mail import send_plain_mail


def connect() -> None:
    from projects import signals as project_signals

    project_signals.experience_proposed.connect(
        create_experience_draft, dispatch_uid="experience-from-trial-action"
    )


def create_experience_draft(sender, instance, proposed_by, data, **kwargs):
    """A completed trial action was proposed as an article: the editors get a draft."""
    from experiences.services import create_draft_from

    draft = create_draft_from(data)
    editors = (
        get_user_model()
        .objects.filter(is_active=True, groups__name="Editors")
        .values_list("email", flat=True)
    )
    if editors:
        subject = f"Forslag til erfaringsartikel: {draft.title}"
        body = (
            f"{proposed_by} foreslår, at prøvehandlingen »{instance.title}« bliver til en "
            f"erfaringsartikel.\n\nEt udkast er klar i redaktionen:\n"
            f"{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{draft.pk}/edit/\n"
        )
        send_plain_mail.enqueue(subject, body, sorted(set(editors)))
    return draft
