"""Mail as background work, so a slow or refusing mail server never fails a request.

With the database task backend the queued task is a row written in the same
transaction as the change that caused it: if that change rolls back, no mail is
sent. In-process (the embedded default) the task runs at once, and a failure is
recorded on the task result instead of being raised into the request.

A task can run twice: a worker killed while running it leaves it to another worker
(config/worker/leases.py). `send_once` keeps that from sending a mail twice: each
message a task run hands to the mail server is recorded under the task's id, and a
second run skips it. What remains is the instant between the server accepting the
message and the record being written: a kill exactly then sends that one mail twice.
A kill anywhere earlier (building the mail, talking to a slow server) loses nothing,
since the server discards a message whose sender went away before the end of DATA.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django_tasks import task

from .text import one_line


def durable_queue() -> bool:
    """Whether tasks wait in the database for a worker (and may run twice)."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def send_once(message: EmailMessage, context, key: str = "") -> int:
    """Send `message` unless this task (`context`, a django-tasks TaskContext) has
    already sent it under `key`. Returns the number of messages sent now."""
    from .models import SentMail

    if not durable_queue() or context is None:
        return message.send()  # in-process tasks run exactly once
    task_id = str(context.task_result.id)
    if SentMail.objects.filter(task_id=task_id, key=key).exists():
        return 0
    sent = message.send()
    SentMail.objects.get_or_create(task_id=task_id, key=key)
    return sent


@task(takes_context=True)
def send_templated_mail(
    context, subject: str, template: str, data: dict, to: list[str], reply_to=None, files=None
) -> None:
    body = render_to_string(template, {**data, "site_url": settings.SITE_URL})
    message = EmailMessage(one_line(subject), body, None, to, reply_to=reply_to or None)
    for name, content, mimetype in files or ():
        message.attach(name, content, mimetype)
    send_once(message, context)


@task(takes_context=True)
def send_plain_mail(context, subject: str, body: str, to: list[str]) -> None:
    send_once(EmailMessage(one_line(subject), body, None, to), context)


def queue_mail(
    subject: str,
    template: str,
    context: dict,
    to: list[str],
    reply_to: list[str] = (),
    files: list[tuple[str, str, str]] = (),
) -> None:
    """`reply_to`: where a reply goes, when the mail asks for one (a coordinator's
    reminder); the sender is the site's no-reply address. `files`: (name, text,
    MIME type) to attach, as text, since the task's arguments travel as JSON."""
    send_templated_mail.enqueue(
        subject, template, context, list(to), list(reply_to), [list(f) for f in files]
    )


def site_url_mismatch() -> str | None:
    """A warning when the links in mails (SITE_URL) point elsewhere than the site the
    Wagtail admin knows (`make run` points the default site at the port it serves on).
    A command run without the server's PORT or SITE_URL sent links to port 8000 while
    the site ran on another."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None or site.root_url.rstrip("/") == settings.SITE_URL.rstrip("/"):
        return None
    return (
        f"Advarsel: links i mailene peger på {settings.SITE_URL}, men sitet er sat op på "
        f"{site.root_url}. Kør kommandoen med samme PORT eller SITE_URL som serveren."
    )
