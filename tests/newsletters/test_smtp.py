"""Sending a newsletter through a real local mail server (aiosmtpd), with real faults:
a `kill -9` of `send_newsletter` in the middle of a send, and a mail server that is
away. The mails that arrive are counted per recipient at the server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from tests.config.test_worker_kill import ROOT, _copy_back, _migrated_database
from tests.net import unused_port
from tests.newsletters import smtp_world
from tests.newsletters.smtp_world import SUBSCRIBERS


class CountingServer:
    """Accepts every message with a queue id, counting per recipient. With `stall_at`
    set, the n-th message is taken (counted: it will be delivered) but its reply waits
    until `release` is set: the moment a sender may be killed with a mail in doubt."""

    def __init__(self, stall_at: int | None = None):
        self.received: Counter[str] = Counter()
        self.count = 0
        self.stall_at = stall_at
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        for address in envelope.rcpt_tos:
            self.received[address] += 1
        if number == self.stall_at:
            self.stalled.set()
            for _ in range(1200):
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
        return f"250 2.0.0 Ok: queued as Q{number:05d}"


def _env(tmp_path, port, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'send.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "30",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def _in_process() -> bool:
    """On SQLite the send's file is a copy of this process's test database: the world
    is seeded here and copied with it (each `manage.py shell` would cost a Django
    start). On PostgreSQL a shell seeds it."""
    from django.db import connection

    return connection.vendor == "sqlite"


def _manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _state(env) -> dict:
    if _copy_back(env):
        return smtp_world.state()
    code = "import json; from tests.newsletters.smtp_world import state; print(json.dumps(state()))"
    return json.loads(_manage(env, "shell", "--no-imports", "-c", code).stdout)


@pytest.fixture
def world(tmp_path, transactional_db, django_db_blocker):
    """A migrated SQLite file with an edition being sent to 120 subscribers.
    (`transactional_db`: the test database must exist to be copied, also when this
    module runs alone, and be outside a transaction, which the copy would wait for.)"""

    def make(port, **extra):
        env = _env(tmp_path, port, **extra)
        if _in_process():
            edition = smtp_world.seed()
            _migrated_database(env, tmp_path / "send.sqlite3", django_db_blocker)
            return env, str(edition)
        _migrated_database(env, tmp_path / "send.sqlite3", django_db_blocker)
        code = "from tests.newsletters.smtp_world import seed; print(seed())"
        return env, _manage(env, "shell", "--no-imports", "-c", code).stdout.strip()

    return make


def _server(handler, port):
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def _start_sender(env, edition, output=subprocess.PIPE) -> subprocess.Popen:
    """`send_newsletter` in a process (group) of its own."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_newsletter", edition, "--no-progress"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
        text=True,
        start_new_session=True,
    )


def _server_goes_mid_message(env, edition, handler, controller, port, back_after=None):
    """Send while the server, holding a message unanswered (`stall_at`), goes down; back
    `back_after` seconds later, or not at all. Returns (returncode, stdout, stderr)."""
    sender = _start_sender(env, edition)
    running = controller
    try:
        assert handler.stalled.wait(120)
        controller.stop()  # the server goes down in the middle of the message
        running = None
        handler.release.set()
        if back_after is not None:
            time.sleep(back_after)
            running = _server(handler, port)
        out, err = sender.communicate(timeout=120)
    finally:
        if running:
            running.stop()
        if sender.poll() is None:
            os.killpg(sender.pid, signal.SIGKILL)
    return sender.returncode, out, err


def _kill_while_stalled(env, edition, handler, settle: float = 0.0) -> None:
    """Start `send_newsletter`, wait until the server holds the stalled mail unanswered,
    let the other senders go on for `settle` seconds, then SIGKILL the sender."""
    sender = _start_sender(env, edition, output=subprocess.DEVNULL)
    try:
        assert handler.stalled.wait(120), "the sender never reached the stalled mail"
        time.sleep(settle)
        os.killpg(sender.pid, signal.SIGKILL)
        sender.wait(20)
    finally:
        if sender.poll() is None:
            os.killpg(sender.pid, signal.SIGKILL)
    handler.release.set()
    time.sleep(0.5)


def _everyone() -> set[str]:
    return {f"modtager{n:03d}@kommune.example" for n in range(SUBSCRIBERS)}


@pytest.mark.parametrize(
    ("policy", "duplicates"),
    [("resend", 1), ("assume-sent", 0)],
    ids=["default-resend", "assume-sent"],
)
def test_a_killed_send_resumes_with_at_most_one_mail_in_doubt(world, policy, duplicates):
    port = unused_port()
    handler = CountingServer(stall_at=60)
    controller = _server(handler, port)
    try:
        env, edition = world(port, NEWSLETTER_SMTP_CONNECTIONS="1")
        # Mail 60 is taken by the server, and the sender has not had the reply.
        _kill_while_stalled(env, edition, handler)

        # At once, without waiting for any lease: the run is dead, 59 are recorded as
        # sent with the server's queue id, one is in doubt, the rest wait. Nobody is
        # unaccounted for.
        killed = _state(env)
        assert (killed["sent"], killed["in_doubt"], killed["sending"]) == (59, 1, 0)
        assert killed["pending"] == SUBSCRIBERS - 60
        assert killed["total"] == SUBSCRIBERS
        assert len(killed["replies"]) == 59
        assert all(r.startswith("250 2.0.0 Ok: queued as Q") for r in killed["replies"])

        args = [] if policy == "resend" else [f"--in-doubt={policy}"]
        out = _manage(env, "send_newsletter", edition, "--no-progress", *args).stdout
        assert f"Sendt: {SUBSCRIBERS} af {SUBSCRIBERS}" in out

        assert set(handler.received) == _everyone()
        twice = [address for address, count in handler.received.items() if count > 1]
        assert len(twice) == duplicates
        assert max(handler.received.values()) <= 2
        done = _state(env)
        assert done["status"] == "sent" and done["in_doubt"] == 0
    finally:
        controller.stop()


def test_a_killed_send_over_two_connections_has_at_most_one_mail_in_doubt_each(world):
    port = unused_port()
    handler = CountingServer(stall_at=60)
    controller = _server(handler, port)
    try:
        env, edition = world(port, NEWSLETTER_SMTP_CONNECTIONS="2")
        _kill_while_stalled(env, edition, handler, settle=0.3)  # the other sender goes on

        killed = _state(env)
        assert 1 <= killed["in_doubt"] <= 2 and killed["sending"] == 0
        assert killed["sent"] + killed["in_doubt"] + killed["pending"] == SUBSCRIBERS

        _manage(env, "send_newsletter", edition, "--no-progress")

        assert set(handler.received) == _everyone()
        twice = sum(handler.received.values()) - SUBSCRIBERS
        assert 1 <= twice <= killed["in_doubt"]
    finally:
        controller.stop()


def test_a_mail_server_that_stays_away_stops_the_send_resumably(world):
    port = unused_port()  # nothing listens here yet
    env, edition = world(port, NEWSLETTER_SMTP_RETRY_SECONDS="3")

    started = time.monotonic()
    away = _manage(env, "send_newsletter", edition, "--no-progress", check=False)
    waited = time.monotonic() - started

    assert away.returncode == 75
    assert "Traceback" not in away.stderr
    assert "Mailserveren svarer ikke" in away.stderr
    assert "python manage.py send_newsletter" in away.stderr
    assert f"Sendt: 0 af {SUBSCRIBERS}. Fejlet: 0. Venter: {SUBSCRIBERS}." in away.stdout
    assert 3 <= waited < 60  # it retried with backoff for the configured time
    stopped = _state(env)
    assert (stopped["sent"], stopped["pending"], stopped["in_doubt"]) == (0, SUBSCRIBERS, 0)

    handler = CountingServer()
    controller = _server(handler, port)
    try:
        out = _manage(env, "send_newsletter", edition, "--no-progress").stdout
    finally:
        controller.stop()
    assert f"Færdig. Sendt: {SUBSCRIBERS} af {SUBSCRIBERS}" in out
    assert handler.received == Counter(dict.fromkeys(_everyone(), 1))


def test_a_mail_server_that_comes_back_in_time_is_waited_for(world):
    port = unused_port()
    handler = CountingServer(stall_at=40)
    controller = _server(handler, port)
    env, edition = world(port, NEWSLETTER_SMTP_RETRY_SECONDS="60")
    # Down in the middle of message 40, and back two seconds later.
    code, out, err = _server_goes_mid_message(env, edition, handler, controller, port, 2)
    assert code == 0, err
    assert f"Færdig. Sendt: {SUBSCRIBERS} af {SUBSCRIBERS}" in out
    assert set(handler.received) == _everyone()
    # The message the server was taking when it went down may arrive twice; no other.
    assert sum(handler.received.values()) - SUBSCRIBERS <= 1


def test_a_mail_on_its_way_when_the_server_went_for_good_is_counted_in_doubt(world):
    """The server takes message 40 and goes away before it answers, for longer than
    the retry time: the send stops (75) saying one mail is in doubt, not that nothing
    was sent twice, and the resume settles it by --in-doubt like a killed sender's."""
    port = unused_port()
    handler = CountingServer(stall_at=40)
    controller = _server(handler, port)
    env, edition = world(port, NEWSLETTER_SMTP_RETRY_SECONDS="3", NEWSLETTER_SMTP_CONNECTIONS="1")
    # Down in the middle of message 40, for good.
    code, out, err = _server_goes_mid_message(env, edition, handler, controller, port)
    assert code == 75, err
    assert "to gange" not in err
    assert "Usikre: 1." in out and "er måske sendt" in out
    stopped = _state(env)
    assert (stopped["sent"], stopped["in_doubt"]) == (39, 1)
    assert stopped["sent"] + stopped["in_doubt"] + stopped["pending"] == SUBSCRIBERS

    back = CountingServer()
    controller = _server(back, port)
    try:
        out = _manage(
            env, "send_newsletter", edition, "--no-progress", "--in-doubt=assume-sent"
        ).stdout
    finally:
        controller.stop()
    assert f"Færdig. Sendt: {SUBSCRIBERS} af {SUBSCRIBERS}" in out
    # Message 40 arrived before the server went; nobody gets anything twice.
    assert handler.received + back.received == Counter(dict.fromkeys(_everyone(), 1))


def test_a_resume_that_waits_on_the_mail_in_doubt_is_not_called_done(world):
    port = unused_port()
    handler = CountingServer(stall_at=60)
    controller = _server(handler, port)
    try:
        env, edition = world(port, NEWSLETTER_SMTP_CONNECTIONS="1")
        _kill_while_stalled(env, edition, handler)
        waited = _manage(
            env, "send_newsletter", edition, "--no-progress", "--in-doubt=wait", check=False
        )
        out = waited.stdout
    finally:
        controller.stop()
    assert waited.returncode == 75  # unfinished: cron and monitoring must see it
    assert f"Ikke færdig. Sendt: {SUBSCRIBERS - 1} af {SUBSCRIBERS}" in out
    assert "Usikre: 1." in out
    assert _state(env)["status"] == "sending"
