"""Newsletter sending benchmark: 10,000 confirmed subscribers, one 30-item edition.

    .venv/bin/python bench/newsletter_bench.py [--subscribers 10000] [--batch-size 200]
                                               [--outbox keep|drop] [--smtp]

Sets Django up with the test settings on a throwaway SQLite file. With DATABASE_URL
(e.g. PostgreSQL) it creates and afterwards drops a separate test database there,
so the named database itself is not touched.

Mails go through Django's in-memory backend (locmem). `--outbox keep` (default)
keeps every message in mail.outbox as locmem does, so peak memory includes 10,000
stored messages; `--outbox drop` serialises each message the same way but forgets
it, which measures the sender's own memory.

`--smtp` sends through a real local SMTP server instead (aiosmtpd's Sink, started
by the bench as a process of its own on 127.0.0.1, accepting every message): connections,
the SMTP dialogue and the per-message records, as in production. The server shares
the machine's cores with the sender, so the figure is a floor.

Two passes over the same subscribers: the first is timed (time, mails/s, queries),
the second runs under tracemalloc for peak memory, because tracing slows Python down.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_TMP = None
if "DATABASE_URL" not in os.environ:
    _TMP = tempfile.TemporaryDirectory(prefix="newsletter-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

ITEMS_PER_AREA = 3  # 10 work areas -> 30 items


class DroppingBackend(LocmemBackend):
    """Like locmem (each message is serialised), but nothing is kept."""

    def send_messages(self, messages):
        for message in messages:
            message.message().as_bytes()
        return len(messages)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def setup_database() -> str | None:
    """Migrate the throwaway SQLite file, or create a test database; returns the name
    of the original database when a test database has to be dropped afterwards."""
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        return None
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return original


def create_subscribers(count: int) -> None:
    from network.models import WorkArea
    from newsletters.models import Subscriber, SubscriberStatus

    rng = random.Random(2026)
    area_ids = list(WorkArea.objects.values_list("pk", flat=True))
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"abonnent{n}@kommune{n % 98}.example",
                status=SubscriberStatus.ACTIVE,
                confirmed_at=now,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    through = Subscriber.work_areas.through
    links = [
        through(subscriber_id=pk, workarea_id=area_id)
        for pk in Subscriber.objects.values_list("pk", flat=True)
        for area_id in rng.sample(area_ids, rng.randint(1, 3))
    ]
    through.objects.bulk_create(links, batch_size=2000)


def create_edition(label: str):
    from network.models import WorkArea
    from newsletters.models import Edition, EditionItem

    edition = Edition.objects.create(subject=f"Benchmark {label}", intro="Nyt fra netværket.")
    items = []
    for area in WorkArea.objects.all():
        for n in range(ITEMS_PER_AREA):
            items.append(
                EditionItem(
                    edition=edition,
                    work_area=area,
                    sort_order=len(items),
                    title=f"{area.name}: erfaring nummer {n + 1} fra en kommune",
                    summary="Et resumé på et par linjer om, hvad kommunen gjorde, og hvad "
                    "der kom ud af det, så læseren kan se, om det er relevant.",
                    url=f"/erfaringer/{area.slug}-{n}/",
                    kind="Artikel",
                )
            )
    EditionItem.objects.bulk_create(items)
    return edition


def send(edition, batch_size: int) -> dict:
    from newsletters import sending

    counter = QueryCounter()
    per_batch: list[int] = []
    last = [0]

    def on_batch(outcome):
        per_batch.append(counter.count - last[0])
        last[0] = counter.count

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        sending.start(edition)
        prepared = time.perf_counter()
        last[0] = counter.count
        progress = sending.run(edition, batch_size=batch_size, on_batch=on_batch)
        finished = time.perf_counter()
    return {
        "progress": progress,
        "seconds": finished - started,
        "prepare_seconds": prepared - started,
        "queries": counter.count,
        "per_batch": per_batch,
    }


SMTP_SINK = "/usr/sbin/smtp-sink"


def start_smtp_server(kind: str):
    """A mail server that accepts and discards every message, in a process of its own
    (sharing this process would also share its interpreter lock): Postfix's
    `smtp-sink` (C, what mail administrators benchmark with; Debian package postfix),
    or aiosmtpd's Sink (Python, always installed; it needs about 2 ms of CPU per
    message, which on two cores it takes from the sender)."""
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    if kind == "smtp-sink":
        command = [SMTP_SINK, "-c", f"127.0.0.1:{port}", "100"]
        if os.geteuid() == 0:  # it refuses to run as root without a user to become
            command[1:1] = ["-u", "nobody"]
    else:
        command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
        command += ["-l", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--outbox", choices=["keep", "drop"], default="keep")
    parser.add_argument(
        "--smtp",
        nargs="?",
        const="auto",
        choices=["auto", "smtp-sink", "aiosmtpd"],
        help="send through a local SMTP server (auto: smtp-sink when installed)",
    )
    parser.add_argument(
        "--connections", type=int, default=2, help="SMTP connections at once (with --smtp)"
    )
    args = parser.parse_args()
    settings.NEWSLETTER_SMTP_CONNECTIONS = args.connections if args.smtp else 1
    if args.outbox == "drop":
        settings.EMAIL_BACKEND = f"{__name__}.DroppingBackend"
    if args.smtp == "auto":
        args.smtp = "smtp-sink" if Path(SMTP_SINK).exists() else "aiosmtpd"
    server = start_smtp_server(args.smtp) if args.smtp else None

    original_database = setup_database()
    create_subscribers(args.subscribers)
    mail.outbox = []

    timed = send(create_edition("timed"), args.batch_size)
    sent = timed["progress"].sent
    assert len(mail.outbox) in (0, sent), "each delivery is one message"
    mail.outbox = []

    tracemalloc.start()
    traced = send(create_edition("traced"), args.batch_size)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # The first batch also warms template and URL caches; the rest are the steady state.
    steady = timed["per_batch"][1:-1] or timed["per_batch"]
    print(f"database:            {connection.vendor}")
    print(f"subscribers:         {args.subscribers:,} confirmed, 1-3 work areas each")
    print(f"edition:             {ITEMS_PER_AREA * 10} items in 10 work areas")
    print(f"mails sent:          {sent:,} (of {timed['progress'].total:,} deliveries)")
    transport = (
        f"local SMTP server ({args.smtp}), {args.connections} connection(s)"
        if server
        else f"locmem, outbox: {args.outbox}"
    )
    print(f"batch size:          {args.batch_size}, mail: {transport}")
    print(f"total seconds:       {timed['seconds']:.1f} (prepare {timed['prepare_seconds']:.1f})")
    print(f"mails per second:    {sent / timed['seconds']:.0f}")
    if settings.NEWSLETTER_SMTP_CONNECTIONS == 1:
        print(f"queries in total:    {timed['queries']}")
        print(f"queries per mail:    {timed['queries'] / sent:.4f}")
        last = timed["per_batch"][-1]
        print(f"queries per batch:   {min(steady)}-{max(steady)} (last batch {last})")
    else:
        print("queries:             not counted (the senders' threads have their own connections)")
    print(f"peak memory (MiB):   {peak / 2**20:.1f} (tracemalloc, second pass)")
    print(f"traced pass seconds: {traced['seconds']:.1f}")
    if server:
        ticks = os.sysconf("SC_CLK_TCK")
        fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / ticks
        print(f"server CPU seconds:  {cpu:.1f} (both passes; the mail server's own share)")
        server.terminate()
        server.wait(10)
    if original_database:
        connection.creation.destroy_test_db(original_database, verbosity=0)


if __name__ == "__main__":
    main()
