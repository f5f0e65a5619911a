"""Worker leases: a task whose worker died is run again.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it
again. A worker killed with `kill -9` (an OOM kill, a lost host) left its task RUNNING
for ever: never run, and counted as pending by /readyz from then on.

Every `manage.py db_worker` (config/worker/management/commands/db_worker.py) holds a
lease: a row it renews every `TASK_WORKER_HEARTBEAT_SECONDS` (10) from a thread of
its own. A RUNNING task whose worker has not renewed for `TASK_WORKER_LEASE_SECONDS`
(60) is orphaned: any worker puts it back in the queue, at its start and on each
heartbeat. A task that has lost its worker `TASK_MAX_ATTEMPTS` times (3) is marked
failed instead, so a task that kills its worker cannot do it for ever.

Running a task twice must therefore be harmless, and it is: a reindex reads the
current state; mail tasks record each sent message (config/worker/once.py), and the
newsletter and digests have delivery rows of their own.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .models import WorkerLease

logger = logging.getLogger("netvaerk.worker")


def heartbeat_seconds() -> float:
    return float(getattr(settings, "TASK_WORKER_HEARTBEAT_SECONDS", 10))


def lease_seconds() -> float:
    return float(getattr(settings, "TASK_WORKER_LEASE_SECONDS", 60))


def max_attempts() -> int:
    return int(getattr(settings, "TASK_MAX_ATTEMPTS", 3))


def beat(worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerLease.objects.filter(worker_id=worker_id).update(heartbeat_at=now)
    if not updated:
        WorkerLease.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            heartbeat_at=now,
        )


def release(worker_id: str) -> None:
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def requeue_orphans() -> tuple[int, int]:
    """Put RUNNING tasks whose worker's lease has expired back in the queue.
    Returns (requeued, failed)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    expired = now - timedelta(seconds=lease_seconds())
    live = set(
        WorkerLease.objects.filter(heartbeat_at__gte=expired).values_list("worker_id", flat=True)
    )
    requeued = failed = 0
    for result in DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids"):
        worker_ids = result.worker_ids or []
        if worker_ids and worker_ids[-1] in live:
            continue
        running = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING")
        if len(worker_ids) >= max_attempts():
            failed += running.update(
                status="FAILED",
                finished_at=now,
                exception_class_path="config.worker.leases.WorkerLost",
                traceback=f"Its worker died {len(worker_ids)} times while running it.",
            )
        else:
            requeued += running.update(status="READY", started_at=None)
    WorkerLease.objects.filter(heartbeat_at__lt=now - timedelta(days=1)).delete()
    if requeued or failed:
        logger.warning(
            "Tasks of dead workers: %s put back in the queue, %s failed", requeued, failed
        )
    return requeued, failed


class WorkerLost(Exception):
    """The worker running a task stopped beating TASK_MAX_ATTEMPTS times."""


class Heartbeat(threading.Thread):
    """Renews the lease and looks for orphans until `stop()`; its own connection."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(heartbeat_seconds()):
            try:
                close_old_connections()
                beat(self.worker_id)
                requeue_orphans()
            except Exception:  # noqa: BLE001 - the database may be away; try again
                logger.exception("Worker heartbeat failed")
        connection.close()

    def stop(self) -> None:
        self._stopped.set()
