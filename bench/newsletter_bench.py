"""Newsletter sending benchmark: 10,000 confirmed subscribers, one 30-item edition.

    .venv/bin/python bench/newsletter_bench.py [--subscribers 10000] [--batch-size 200]
                                               [--outbox keep|drop]

Sets Django up with the test settings on a throwaway SQLite file. With DATABASE_URL
(e.g. PostgreSQL) it creates and afterwards drops a separate test database there,
so the named database itself is not touched.

Mails go through Django's in-memory backend (locmem). `--outbox keep` (default)
keeps every message in mail.outbox as locmem does, so peak memory includes 10,000
stored messages; `--outbox drop` serialises each message the same way but forgets
it, which measures the sender's own memory.

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--outbox", choices=["keep", "drop"], default="keep")
    args = parser.parse_args()
    if args.outbox == "drop":
        settings.EMAIL_BACKEND = f"{__name__}.DroppingBackend"

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
    print(f"batch size:          {args.batch_size}, outbox: {args.outbox}")
    print(f"total seconds:       {timed['seconds']:.1f} (prepare {timed['prepare_seconds']:.1f})")
    print(f"mails per second:    {sent / timed['seconds']:.0f}")
    print(f"queries in total:    {timed['queries']}")
    print(f"queries per mail:    {timed['queries'] / sent:.4f}")
    print(f"queries per batch:   {min(steady)}-{max(steady)} (last batch {timed['per_batch'][-1]})")
    print(f"peak memory (MiB):   {peak / 2**20:.1f} (tracemalloc, second pass)")
    print(f"traced pass seconds: {traced['seconds']:.1f}")
    if original_database:
        connection.creation.destroy_test_db(original_database, verbosity=0)


if __name__ == "__main__":
    main()
