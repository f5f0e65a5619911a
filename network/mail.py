"""Mail as background work, so a slow or refusing mail server never fails a request.

With the database task backend the queued task is a row written in the same
transaction as the change that caused it: if that change rolls back, no mail is
sent. In-process (the embedded default) the task runs at once, and a failure is
recorded on the task result instead of being raised into the request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_templated_mail(subject: str, template: str, context: dict, to: list[str]) -> None:
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    send_mail(subject, body, None, to)


@task()
def send_plain_mail(subject: str, body: str, to: list[str]) -> None:
    send_mail(subject, body, None, to)


def queue_mail(subject: str, template: str, context: dict, to: list[str]) -> None:
    send_templated_mail.enqueue(subject, template, context, list(to))
