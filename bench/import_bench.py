"""Import benchmark: generate N experience articles and run `import_content` on them.

    .venv/bin/python bench/import_bench.py [--sizes 500,5000] [--database sqlite|postgres|both]
                                           [--checkpoint 500]

Generates a JSON Lines archive of N realistic experiences (lead, several body blocks,
municipalities, topics, organisations) and imports it with the real command path (the
same validation and the one transaction), against a fresh, migrated database:

- sqlite: a throwaway SQLite file;
- postgres: a throwaway database `import_bench` on DATABASE_URL's server (default
  postgres://postgres@127.0.0.1:5432/postgres); it is dropped afterwards.

For each size it prints items/s (the whole run: checking, writing, publishing and
indexing, i.e. what the command costs), the rate of the loop per checkpoint and queries
per item; then the rate at the largest size against the rate at the smallest, so a
slowdown as the archive grows shows. Each size runs in a fresh process and database.
With `--database both` (the default) it runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"

WORDS = (
    "borger virksomhed jobcenter sagsbehandler mentor praktik løntilskud fleksjob "
    "sygedagpenge ressourceforløb kontanthjælp integration uddannelse samtale netværk "
    "opkvalificering brancheskift virksomhedskonsulent rehabilitering tværfaglig indsats "
    "afklaring arbejdsmarked ledighed motivation trivsel samarbejde kompetencer"
).split()
CODES = ["0101", "0751", "0791", "0580", "0461", "0851", "0561", "0157", "0147", "0330"]
TOPICS = [
    "forsikrede-ledige",
    "kontanthjaelp",
    "sygedagpenge",
    "ressourceforloeb",
    "unge",
    "integration",
    "virksomhedsservice",
    "digitalisering",
    "faglighed",
    "ydelser",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article(rng: random.Random, n: int) -> dict:
    return {
        "type": "experience",
        "external_id": f"bench-{n}",
        "title": f"{sentence(rng, 5)[:-1]} {n}",
        "lead": " ".join(sentence(rng, 12) for _ in range(2)),
        "published": f"20{rng.randint(18, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "kind": rng.choice(["article", "case", "portrait", "guide"]),
        "municipalities": rng.sample(CODES, rng.randint(1, 3)),
        "topics": rng.sample(TOPICS, rng.randint(1, 2)),
        "author": "Redaktionen",
        "organisations": [f"Jobcenter {rng.randint(1, 40)}"],
        "body": [
            {"type": "heading", "text": sentence(rng, 4)},
            {"type": "paragraph", "text": "\n".join(sentence(rng, 20) for _ in range(4))},
            {
                "type": "quote",
                "text": sentence(rng, 15),
                "name": "Anne Hansen",
                "role": "Mentor",
            },
            {"type": "facts", "title": "Fakta", "items": [sentence(rng, 6) for _ in range(3)]},
            {"type": "paragraph", "text": "\n".join(sentence(rng, 20) for _ in range(3))},
        ],
    }


def write_archive(path: Path, items: int) -> None:
    rng = random.Random(20261202)
    with path.open("w", encoding="utf-8") as out:
        for n in range(1, items + 1):
            out.write(json.dumps(article(rng, n), ensure_ascii=False) + "\n")


def run_one(items: int, checkpoint: int) -> None:
    """Inside the child process: DATABASE_URL is set; migrate, import, print."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from network.importing import ImportContext, apply_lines, split_lines, validate_lines

    call_command("migrate", verbosity=0)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.jsonl"
        write_archive(path, items)
        text = path.read_text(encoding="utf-8")

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    marks: list[tuple[int, float, int]] = []

    def progress(valid):
        start = time.perf_counter()
        for n, line in enumerate(valid, start=1):
            yield line
            if n % checkpoint == 0 or n == len(valid):
                marks.append((n, time.perf_counter() - start, queries))

    ctx = ImportContext()
    t0 = time.perf_counter()
    with connection.execute_wrapper(count):
        valid, errors = validate_lines(split_lines(text), ctx)
        if errors:
            raise SystemExit("\n".join(str(e) for e in errors[:10]))
        t1 = time.perf_counter()
        q_validate = queries
        counts = apply_lines(progress(valid), ctx)
    t2 = time.perf_counter()

    vendor = connection.vendor
    apply_s = t2 - t1
    print(f"[{vendor}] {items} items: validate {t1 - t0:.1f} s, import {apply_s:.1f} s")
    print(f"[{vendor}] {' / '.join(counts.summary_lines())}")
    print(f"RATE {items} {items / (t2 - t0):.3f}")
    print(
        f"[{vendor}] overall {items / (t2 - t0):.1f} items/s "
        f"(import phase {items / apply_s:.1f} items/s); "
        f"{(queries - q_validate) / items:.1f} queries per item"
    )
    previous = (0, 0.0, q_validate)
    for n, elapsed, q in marks:
        span = n - previous[0]
        rate = span / max(elapsed - previous[1], 1e-9)
        per_item = (q - previous[2]) / span
        print(
            f"[{vendor}]   items {previous[0] + 1:>5}-{n:<5} {rate:7.1f} items/s, "
            f"{per_item:5.1f} queries/item"
        )
        previous = (n, elapsed, q)
    if len(marks) >= 2:
        first = checkpoint / marks[0][1]
        last_span = marks[-1][0] - marks[-2][0]
        last = last_span / (marks[-1][1] - marks[-2][1])
        print(f"[{vendor}] rate at the end / rate at the start: {last / first:.2f}")


def _has_command(name: str) -> bool:
    from django.core.management import get_commands

    return name in get_commands()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000", help="article counts, comma-separated")
    parser.add_argument("--items", type=int, default=500, help=argparse.SUPPRESS)
    parser.add_argument("--checkpoint", type=int, default=500)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.items, args.checkpoint)
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    sizes = [int(size) for size in args.sizes.split(",")]
    for database in databases:
        rates = {}
        for size in sizes:
            args.items = size
            rates[size] = _run_database(database, args)
        if len(sizes) > 1:
            low, high = min(sizes), max(sizes)
            print(
                f"== {database}: {rates[low]:.1f} items/s at {low}, {rates[high]:.1f} at {high}: "
                f"ratio {rates[high] / rates[low]:.2f} (target >= 0.80; >= 50 items/s)"
            )


def _run_database(database: str, args) -> float:
    """Run the child on a fresh database; returns its items/s."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        env["MEDIA_ROOT"] = tmp
        if database == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            return _child(args, env)
        server = os.environ.get("DATABASE_URL", DEFAULT_PG)
        if server.startswith("sqlite"):
            server = DEFAULT_PG
        _pg(server, "DROP DATABASE IF EXISTS import_bench")
        _pg(server, "CREATE DATABASE import_bench")
        try:
            env["DATABASE_URL"] = server.rsplit("/", 1)[0] + "/import_bench"
            return _child(args, env)
        finally:
            _pg(server, "DROP DATABASE IF EXISTS import_bench")


def _child(args, env) -> float:
    cmd = [sys.executable, __file__, "--child", "--items", str(args.items)]
    cmd += ["--checkpoint", str(args.checkpoint)]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    rate = 0.0
    for line in done.stdout.splitlines():
        if line.startswith("RATE "):
            rate = float(line.split()[2])
        else:
            print(line, flush=True)
    return rate


def _pg(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)


if __name__ == "__main__":
    main()
