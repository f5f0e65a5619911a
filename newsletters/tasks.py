"""Background work: sending an edition and the subscription mails.

On the embedded default (immediate backend) these run inside the request; with
TASKS_BACKEND=database they wait for `manage.py db_worker`. Either way a send that
stops halfway is resumed with `manage.py send_newsletter EDITION`.
"""

from __future__ import annotations

import dataclasses
import logging

from django_tasks import task

from . import notices, sending

logger = logging.getLogger(__name__)


@task()
def send_edition(edition_id: int) -> dict:
    try:
        return dataclasses.asdict(sending.run(edition_id))
    except Exception:
        # The immediate backend keeps the error on the task result only; log it too.
        logger.exception("Sending newsletter edition %s stopped", edition_id)
        raise


@task(takes_context=True)
def send_subscription_mail(
    context, subscriber_id: int, kind: str, text_version: str, method: str
) -> bool:
    try:
        return notices.send(subscriber_id, kind, text_version, method, task_context=context)
    except Exception:
        logger.exception("Newsletter %s mail to subscriber %s failed", kind, subscriber_id)
        raise


@task()
def send_immediate_digest(user_id: int) -> int:
    """A member who wants news straight away: what is undelivered, now."""
    from . import digests

    return digests.send_for(user_id, period_prefix="immediate")


@task()
def send_due_digests() -> int:
    """`manage.py send_digests --enqueue` puts this on the queue for a worker."""
    from . import digests

    return digests.send_due()
