"""The mails about a subscription: "please confirm", "you are subscribed now" and "you
are already subscribed"."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from network.mail import send_once

from . import tokens
from .consent import consent_text
from .models import Subscriber
from .rendering import absolute

SUBJECTS = {
    "confirm": "Bekræft din tilmelding til nyhedsbrevet",
    "already": "Du er allerede tilmeldt nyhedsbrevet",
    "welcome": "Du er tilmeldt nyhedsbrevet",
}


def send(subscriber_id: int, kind: str, text_version: str, method: str, task_context=None) -> bool:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or kind not in SUBJECTS:
        return False
    token = tokens.manage_token(subscriber.pk, subscriber.manage_key)
    context = {
        "subscriber": subscriber,
        "work_areas": list(subscriber.work_areas.all()),
        "places": [r.name for r in subscriber.regions.all()]
        + [m.name for m in subscriber.municipalities.all()],
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": settings.SITE_URL,
        "manage_url": absolute(reverse("newsletters:preferences", args=[token])),
        "unsubscribe_url": absolute(reverse("newsletters:unsubscribe", args=[token])),
    }
    if kind == "confirm":
        if not subscriber.confirm_nonce:  # unsubscribed again before the task ran
            return False
        token = tokens.confirm_token(subscriber, text_version=text_version, method=method)
        context["confirm_url"] = absolute(reverse("newsletters:confirm", args=[token]))
        context["consent_text"] = consent_text(text_version)
        context["valid_days"] = tokens.CONFIRM_MAX_AGE.days
    if kind == "welcome" and not subscriber.is_confirmed:  # unsubscribed before it ran
        return False
    message = EmailMultiAlternatives(
        subject=SUBJECTS[kind],
        body=render_to_string(f"newsletters/mail/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
    )
    message.attach_alternative(
        render_to_string(f"newsletters/mail/{kind}.html", context), "text/html"
    )
    return bool(send_once(message, task_context))
