"""Reminders from the dashboard: a coordinator writes to the participants of the quiet
municipalities, sees a preview, and sends one mail per recipient.

A preview carries a one-time key. The reminder row is stored under that key (unique)
before any mail is queued, so the same preview posted twice (a double click, the
browser's "send again") sends once: the second POST finds the key taken.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from network.formfields import WholeTextMixin
from network.formrendering import SiteFormMixin
from network.mail import queue_mail

from .models import ProjectReminder, ProjectRole
from .text import clean_text

TEMPLATE = "projects/mail/dashboard_reminder.txt"
SUBJECT_LIMIT = 200
MESSAGE_LIMIT = 5000
_KEY = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_key() -> str:
    return secrets.token_urlsafe(32)


def clean_key(value) -> str | None:
    """A key as new_key() makes them, or None."""
    return value if isinstance(value, str) and _KEY.fullmatch(value) else None


def clean_subject(value: str) -> str:
    """Plain text on one line (a mail header may not hold a line break)."""
    return " ".join(clean_text(value).split())[:SUBJECT_LIMIT]


def municipality_choices(project, rows) -> list[tuple[str, str]]:
    """The dashboard's municipalities that have participants who could get the mail."""
    choices = []
    for row in rows:
        if not row.participants:
            continue
        label = f"{row.name} ({row.participants} deltager{'' if row.participants == 1 else 'e'})"
        choices.append((str(row.pk), label + (" – stille" if row.quiet else "")))
    return choices


class ReminderForm(SiteFormMixin, WholeTextMixin, forms.Form):
    subject = forms.CharField(
        label="Emne",
        max_length=SUBJECT_LIMIT,
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_LIMIT}),
    )
    message = forms.CharField(
        label="Besked",
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Almindelig tekst. Vi sætter et link til projektet under din besked.",
    )
    municipalities = forms.MultipleChoiceField(
        label="Send til deltagerne i",
        widget=forms.CheckboxSelectMultiple,
        help_text="De stille kommuner er valgt på forhånd. "
        "Fjern fluebenet ved dem, der ikke skal have mailen.",
        error_messages={
            "required": "Vælg mindst én kommune.",
            "invalid_choice": "Vælg kun kommuner fra listen.",
        },
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].choices = choices

    def clean_subject(self):
        subject = clean_subject(self.cleaned_data["subject"])
        if not subject:
            raise ValidationError("Skriv et emne.")
        return subject

    def clean_message(self):
        message = clean_text(self.cleaned_data["message"])
        if not message:
            raise ValidationError("Skriv en besked.")
        return message


def recipients(project, municipality_ids, exclude=None) -> list:
    """Active participants (role participant) of the project from those municipalities."""
    users = get_user_model().objects.filter(
        is_active=True,
        municipality__in=[int(pk) for pk in municipality_ids],
        project_memberships__project=project,
        project_memberships__role=ProjectRole.PARTICIPANT,
    )
    if exclude is not None and exclude.is_authenticated:
        users = users.exclude(pk=exclude.pk)
    return list(users.distinct().order_by("pk"))


def mail_context(project, sender, message: str) -> dict:
    return {
        "project_title": project.title,
        "message": message,
        "url": project.url,
        "sender": str(sender),
    }


def render_body(project, sender, message: str) -> str:
    """The mail text exactly as network.mail renders it, for the preview."""
    return render_to_string(
        TEMPLATE, {**mail_context(project, sender, message), "site_url": settings.SITE_URL}
    )


def send_reminder(
    project, sender, *, subject: str, message: str, municipality_ids, key: str
) -> tuple[ProjectReminder, bool]:
    """Store the reminder under its one-time key and queue one mail per recipient.

    Returns (reminder, sent); sent is False when the key was used before, and then
    nothing is queued.
    """
    subject, message = clean_subject(subject), clean_text(message)[:MESSAGE_LIMIT]
    try:
        with transaction.atomic():
            reminder = ProjectReminder.objects.create(
                project=project, sender=sender, subject=subject, body=message, key=key
            )
            reminder.municipalities.set([int(pk) for pk in municipality_ids])
            people = recipients(project, municipality_ids, exclude=sender)
            reminder.recipient_count = len(people)
            reminder.save(update_fields=["recipient_count"])
            context = mail_context(project, sender, message)
            for person in people:
                # Replies go to the coordinator: the mail asks the participants to write back.
                queue_mail(subject, TEMPLATE, context, [person.email], reply_to=[sender.email])
    except IntegrityError:
        return ProjectReminder.objects.get(key=key), False
    return reminder, True
