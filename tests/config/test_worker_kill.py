"""A worker killed mid-task: the task is run again by another worker, once.

Real processes: `manage.py db_worker` on a SQLite file, a local SMTP server (aiosmtpd)
that stalls on the first attempt, and a `kill -9` while the worker waits for it.
The mails that arrive are counted per recipient at the server."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


class SlowThenFine:
    """Stalls on RCPT while `stall` is set; counts each message accepted."""

    def __init__(self):
        self.stall = threading.Event()
        self.stall.set()
        self.stalled = threading.Event()
        self.received: Counter[str] = Counter()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stall.is_set():
            self.stalled.set()
            for _ in range(600):
                if not self.stall.is_set():
                    break
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.received[address] += 1
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    import socket

    handler = SlowThenFine()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    handler.stall.clear()
    controller.stop()


def _env(tmp_path, smtp_port):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "TASK_WORKER_HEARTBEAT_SECONDS": "1",
        "TASK_WORKER_LEASE_SECONDS": "2",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def _worker(env):
    # --no-reload: with DEBUG on, db_worker would otherwise run the real worker as a
    # child of an autoreloader, and the kill would hit the wrong process.
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "-v", "0", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process, sig):
    """Signal the worker; whatever is left of its process group is killed."""
    try:
        process.send_signal(sig)
        process.wait(20)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _enqueue() -> None:
    from network.mail import send_plain_mail

    send_plain_mail.enqueue("Påmindelse", "Husk mødet i morgen.", ["maja@kommune.example"])


def _statuses() -> str:
    from django_tasks_db.models import DBTaskResult

    return ",".join(sorted(r.status for r in DBTaskResult.objects.all()))


def _status(env) -> str:
    """The tasks' statuses in the workers' database: on SQLite copied back into this
    process's test database and read here (a `manage.py shell` costs a Django start)."""
    if _copy_back(env):
        return _statuses()
    code = "from tests.config.test_worker_kill import _statuses; print(_statuses())"
    return _manage(env, "shell", "--no-imports", "-c", code).stdout.strip()


def _copy_back(env) -> bool:
    """When the test database is SQLite, replace it by a copy of the subprocesses'
    file, to be read here; False on PostgreSQL (read it in a `manage.py shell`)."""
    import sqlite3
    from contextlib import closing

    from django.db import connection

    if connection.vendor != "sqlite":
        return False
    connection.ensure_connection()
    with closing(sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"))) as file:
        file.backup(connection.connection)
    return True


_MIGRATED_FILE: list[Path] = []  # this process's first migrated file, to copy from


def _migrated_database(env, path, django_db_blocker) -> None:
    """The workers' database: a copy of the migrated test database when that is
    SQLite (milliseconds), else `migrate` on a new file (half a minute) the first time
    in this process and a copy of that file after."""
    import shutil
    import sqlite3

    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(path) as copy:
                connection.connection.backup(copy)
            return
    if _MIGRATED_FILE and _MIGRATED_FILE[0].exists():
        shutil.copyfile(_MIGRATED_FILE[0], path)
        return
    _manage(env, "migrate", "--noinput", "-v", "0")
    # Beside the test's own file: pytest keeps its tmp_path folders for the session.
    keep = path.with_name(f"migrated-{path.name}")
    shutil.copyfile(path, keep)
    _MIGRATED_FILE[:] = [keep]


def test_a_task_whose_worker_is_killed_is_run_again_once(
    tmp_path, smtp, transactional_db, django_db_blocker, settings
):
    from django.db import connection

    handler, port = smtp
    env = _env(tmp_path, port)
    if connection.vendor == "sqlite":  # enqueued here, then copied with the database
        settings.TASKS = {"default": {"BACKEND": "config.worker.backend.DatabaseBackend"}}
        _enqueue()
        _migrated_database(env, tmp_path / "worker.sqlite3", django_db_blocker)
    else:
        _migrated_database(env, tmp_path / "worker.sqlite3", django_db_blocker)
        code = "from tests.config.test_worker_kill import _enqueue; _enqueue()"
        _manage(env, "shell", "--no-imports", "-c", code)

    first = _worker(env)
    try:
        assert handler.stalled.wait(60), "the worker never reached the mail server"
    finally:
        _stop(first, signal.SIGKILL)
    assert _status(env) == "RUNNING"

    handler.stall.clear()  # the mail server is well again
    second = _worker(env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not handler.received:
            time.sleep(0.2)
        time.sleep(3)  # time for a wrong second send to show up
    finally:
        _stop(second, signal.SIGTERM)
    assert handler.received == Counter({"maja@kommune.example": 1})
    assert _status(env) == "SUCCESSFUL"


@pytest.mark.django_db
def test_a_mail_task_run_twice_sends_once(settings, mailoutbox):
    """The second run of a task that had already handed its mail over (killed before
    it was marked done) sends nothing."""
    from django_tasks.base import TaskContext

    from network.mail import send_plain_mail

    settings.TASKS = {"default": {"BACKEND": "config.worker.backend.DatabaseBackend"}}

    class Result:
        id = "5f0c1d0e-0000-4000-8000-000000000001"

    context = TaskContext(task_result=Result())
    for _ in range(2):
        send_plain_mail.call(context, "Påmindelse", "Husk mødet.", ["maja@kommune.example"])
    assert [message.to for message in mailoutbox] == [["maja@kommune.example"]]


@pytest.mark.django_db
def test_orphans_are_requeued_and_a_task_that_keeps_killing_its_worker_fails(settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from config.worker import leases
    from config.worker.models import WorkerLease

    settings.TASKS = {"default": {"BACKEND": "config.worker.backend.DatabaseBackend"}}
    now = timezone.now()
    WorkerLease.objects.create(worker_id="alive", started_at=now, heartbeat_at=now)
    WorkerLease.objects.create(
        worker_id="dead", started_at=now, heartbeat_at=now - timedelta(minutes=5)
    )

    def running(*workers):
        return DBTaskResult.objects.create(
            status="RUNNING",
            args_kwargs={"args": [], "kwargs": {}},
            task_path="search.tasks.replay_pending_task",
            backend_name="default",
            run_after=now,
            started_at=now,
            worker_ids=list(workers),
        )

    busy = running("alive")
    orphan = running("dead")
    unknown = running("never-seen")
    poison = running("dead", "dead", "dead")
    assert leases.requeue_orphans() == (2, 1)
    statuses = {
        task.pk: task.status
        for task in DBTaskResult.objects.filter(pk__in=[busy.pk, orphan.pk, unknown.pk, poison.pk])
    }
    assert statuses == {
        busy.pk: "RUNNING",
        orphan.pk: "READY",
        unknown.pk: "READY",
        poison.pk: "FAILED",
    }
