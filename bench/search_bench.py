"""Search benchmark: indexing rate and query latency of the database index.

    .venv/bin/python bench/search_bench.py                  # 100,000 documents, both databases
    .venv/bin/python bench/search_bench.py --docs 20000 --backends sqlite

Generates N realistic Danish documents (deterministic), rebuilds the index from them
in a throwaway database, then runs typical queries with facets as different users,
and prints indexing docs/s and query p50/p95. Searches repeat the same 34 query
texts, so after the first asking most broad matches come from the match cache
(search/backends/matchcache.py); SEARCH_MATCH_CACHE=false runs them all without it.
SQLite uses a temporary file; PostgreSQL a database created on
postgres://postgres@127.0.0.1:5432 and dropped afterwards. Each backend runs in its
own process, because Django's settings (the database) are fixed per process. Figures
belong in docs/search.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"

ACTIONS = [
    "Videosamtaler",
    "Tidlig kontakt",
    "Virksomhedsbesøg",
    "Sprogpraktik",
    "Gåture",
    "Digital selvbooking",
    "Fælles faglig sparring",
    "Mentorordning",
    "Jobrettet uddannelse",
    "Rekrutteringsdage",
    "Åben rådgivning",
    "Holdforløb",
    "Chatfunktion",
    "Fast kontaktperson",
    "Prøvehandling om sms-påmindelser",
    "Løntilskud",
    "Virksomhedspraktik",
    "Delvis raskmelding",
    "Ressourceforløb med små skridt",
    "Fleksjob i små virksomheder",
]
GROUPS = [
    "sygemeldte borgere",
    "ledige unge",
    "forsikrede ledige",
    "borgere på kontanthjælp",
    "flygtninge og indvandrere",
    "borgere i jobafklaring",
    "nyuddannede",
    "seniorer",
    "borgere i ressourceforløb",
    "arbejdsløse akademikere",
]
SENTENCES = [
    "{Kommune} har prøvet {action} for {group}, og {result}.",
    "Jobcentret i {kommune} samarbejder med {partner} om {action}.",
    "{Role} fortæller, at {group} oplever {effect}.",
    "Efter {period} er {share} af {group} kommet i {outcome}.",
    "Samtalerne handler om {focus}, ikke om begrænsningerne.",
    "Teamet brugte {tool}, så praksis blev ens på tværs af afdelingerne.",
    "{Role} bruger {hours} om ugen på {task}.",
    "Prøvehandlingen blev fulgt op på {event} i {month}.",
    "Vi lærte, at {lesson}.",
    "Næste skridt er at udbrede {action} til {unit}.",
    "{Partner} efterspørger {need}, og {group} får {offer}.",
    "Borgeren sætter selv mål for {focus}, hvilket giver mere ejerskab.",
    "Kontakten foregår {channel}, og {effect} er tydelig.",
    "{Kommune} og {kommune2} deler erfaringer om {topicword} i et fælles netværk.",
]
SLOTS = {
    "result": [
        "resultaterne er lovende",
        "flere er kommet i job",
        "fraværet er faldet",
        "ventetiden er halveret",
        "der er færre afbrudte forløb",
        "tilfredsheden er steget",
    ],
    "partner": [
        "lokale virksomheder",
        "uddannelsesvejledningen",
        "a-kassen",
        "STAR",
        "sundhedsvæsenet",
        "psykiatrien",
        "erhvervsskolen",
        "boligsociale medarbejdere",
        "frivillige foreninger",
        "praktiserende læger",
    ],
    "role": [
        "Socialrådgiveren",
        "Virksomhedskonsulenten",
        "Mentoren",
        "Afdelingslederen",
        "Jobcenterchefen",
        "Sagsbehandleren",
        "Koordinatoren",
        "Jobkonsulenten",
    ],
    "effect": [
        "mere ro",
        "større tillid",
        "kortere ventetid",
        "mindre stress",
        "bedre overblik",
        "færre aflysninger",
    ],
    "period": ["et halvt år", "tre måneder", "et år", "to år", "otte uger"],
    "share": ["hver tredje", "over halvdelen", "en fjerdedel", "flere end før", "40 procent"],
    "outcome": [
        "ordinært job",
        "uddannelse",
        "fleksjob",
        "virksomhedspraktik",
        "løntilskud",
        "småjob",
    ],
    "focus": [
        "hvad borgeren kan",
        "helbred og arbejdsevne",
        "de første skridt",
        "netværk og familie",
        "sprog og kultur",
        "drømme og mål",
    ],
    "tool": [
        "en fælles drejebog",
        "en tjekliste",
        "et dialogkort",
        "en visitationsmodel",
        "en skabelon til referat",
        "et fælles skema",
    ],
    "hours": ["en time", "to timer", "en halv dag", "fire timer"],
    "task": [
        "opfølgning",
        "sparring",
        "virksomhedsbesøg",
        "dokumentation",
        "holdforløb",
        "telefonopkald",
    ],
    "event": ["temadagen", "webinaret", "netværksmødet", "onboardingdagen", "evalueringsmødet"],
    "month": ["januar", "marts", "maj", "august", "oktober", "december"],
    "lesson": [
        "det første opkald sætter tonen",
        "små mål virker bedre end store planer",
        "borgerne skal selv vælge kontaktform",
        "virksomhederne vil møde kandidaterne først",
        "tolke skal bookes i god tid",
        "ledelsen skal bakke op fra start",
    ],
    "unit": ["hele jobcentret", "ungeindsatsen", "sygedagpengeteamet", "integrationsteamet"],
    "need": ["arbejdskraft", "praktikanter", "elever", "sprogkundskaber", "chauffører"],
    "offer": ["kurser", "brancheforløb", "sprogundervisning", "mentorstøtte", "jobrotation"],
    "channel": ["på video", "på telefon", "på gåture", "i chatten", "på biblioteket", "hjemme"],
}
TOPIC_WORDS = {
    "forsikrede-ledige": ["dagpenge", "jobsøgning", "rådighed", "CV-samtaler", "jobmesser"],
    "kontanthjaelp": ["kontanthjælp", "aktivering", "nytteindsats", "sanktioner", "selvbooking"],
    "sygedagpenge": ["sygedagpenge", "delvis raskmelding", "arbejdsevne", "jobafklaring"],
    "ressourceforloeb": ["ressourceforløb", "rehabiliteringsteam", "fleksjob", "førtidspension"],
    "unge": ["uddannelseshjælp", "ungeguider", "brobygning", "FGU", "erhvervsuddannelse"],
    "integration": [
        "sprogpraktik",
        "tolke",
        "flygtninge",
        "integrationsprogram",
        "danskuddannelse",
    ],
    "virksomhedsservice": ["rekruttering", "virksomhedskonsulenter", "jobmatch", "havvindmøller"],
    "digitalisering": ["videosamtaler", "chatbot", "digital post", "selvbetjening", "apps"],
    "faglighed": ["faglig sparring", "kompetenceudvikling", "supervision", "onboarding"],
    "ydelser": ["udbetalinger", "rådighedsvurderinger", "kontrol", "ydelsesrådgivning"],
}
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
QUERIES = [
    "sygedagpenge",
    "videosamtaler",
    "ledige unge",
    "virksomhedskonsulent",
    "mentor",
    "sprogpraktik",
    "jobcentret",
    "fleksjob",
    "rådighed",
    "prøvehandling",
    "havvindmøller",
    '"fælles drejebog"',
    "digitale kontaktformer",
    "tidlig kontakt sygemeldte",
    "kontanthjælp",
    "rekruttering byggeri",
    "arbejdsløse akademikere",
    "delvis raskmelding",
    "aarhus",
    "odense video",
    "ressourceforløb",
    "sygedagpnge",
    "virksomhedskonsulnt",
    "mentorordnig i aarhus",
    "hvordan får man ledige unge i job",
    "it værktøj",
    "seniorer job",
    "chat",
    "løntilskud virksomhedspraktik",
    "borgere",
    "temadag webinar",
    "a-kassen forsikrede",
    "kompetencer ledere",
    "flygtninge integration",
]


def municipalities() -> list[tuple[str, str]]:
    import csv

    path = ROOT / "network" / "data" / "municipalities.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [(row["code"], row["name"]) for row in rows]


def generate(n: int, seed: int = 2026):
    from search.registry import MEMBERS, PUBLIC, SearchDocument, project_token

    rng = random.Random(seed)
    places = municipalities()
    for i in range(n):
        (code, name), (code2, name2) = rng.choice(places), rng.choice(places)
        codes = [code] + ([code2] if rng.random() < 0.2 else [])
        action, group = rng.choice(ACTIONS), rng.choice(GROUPS)
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        sentences = []
        for _ in range(rng.randint(8, 16)):
            fill = {k: rng.choice(v) for k, v in SLOTS.items()}
            fill.update(
                kommune=name,
                Kommune=name,
                kommune2=name2,
                action=action.lower(),
                group=group,
                topicword=rng.choice(TOPIC_WORDS[rng.choice(topics)]),
                Role=fill["role"],
                Partner=fill["partner"].capitalize(),
            )
            sentences.append(rng.choice(SENTENCES).format(**fill))
        body = " ".join(sentences)
        roll = rng.random()
        project = rng.randint(1, 50) if roll > 0.8 else 0
        access = project_token(project) if roll > 0.9 else (MEMBERS if roll > 0.8 else PUBLIC)
        yield SearchDocument(
            type=rng.choice(["experience", "event", "trial_action", "project"]),
            object_id=str(i + 1),
            title=f"{action} for {group} i {name}",
            url=f"/bench/{i + 1}/",
            access=access,
            body=body,
            extra="Dagsorden: velkomst, oplæg, gruppearbejde." if rng.random() < 0.2 else "",
            municipalities=codes,
            topics=topics,
            project_key=f"projekt-{project}" if project else "",
            project_title=f"Projekt {project}" if project else "",
            date=datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randint(0, 3200)),
        )


class BenchObject:
    """Stands in for the models of the registered types; nothing is ever saved."""


def register_bench_types() -> None:
    from search import registry

    for key, label in [
        ("experience", "Erfaring"),
        ("event", "Arrangement"),
        ("trial_action", "Prøvehandling"),
        ("project", "Projekt"),
    ]:
        if registry.get_type(key) is None:
            registry.register(
                registry.SearchType(
                    key=key,
                    label=label,
                    model=BenchObject,
                    documents=list,
                    to_document=lambda obj: None,
                )
            )


def run_child(docs: int, queries: int, build: bool = True) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    if build:
        call_command("migrate", verbosity=0)
    register_bench_types()
    from search import indexing, service
    from search.query import Filters

    if build:
        start = time.perf_counter()
        count = indexing.rebuild(generate(docs), elasticsearch=False)
        index_seconds = time.perf_counter() - start

        incremental = list(generate(300, seed=7))
        incremental = [
            d.__class__(**{**d.__dict__, "object_id": f"x{d.object_id}"}) for d in incremental
        ]
        start = time.perf_counter()
        for doc in incremental:
            indexing.index_documents([doc])
        single_rate = len(incremental) / (time.perf_counter() - start)
    else:  # --queries-only: the index in DATABASE_URL as it is
        from search.models import SearchEntry

        count, index_seconds, single_rate = SearchEntry.objects.count(), 1.0, 0.0

    class User:
        is_superuser = False

        def has_perm(self, perm):
            return False

        def __init__(self, authenticated: bool, pk: int):
            self.is_authenticated, self.pk = authenticated, pk

    from search import registry

    # The bench's users are not rows in the database: the projects app's provider
    # (participation, read from the database) has nothing to say about them.
    registry._access_providers[:] = [
        lambda user: {registry.project_token(p) for p in range(1, 6)} if user.pk == 2 else set()
    ]
    users = [User(False, 0), User(True, 1), User(True, 2)]
    rng = random.Random(99)
    places = [code for code, _ in municipalities()]
    timings = []
    for i in range(queries + 10):
        filters = {}
        if rng.random() < 0.3:
            filters["municipality"] = rng.choice(places)
        if rng.random() < 0.2:
            filters["topic"] = rng.choice(TOPICS)
        if rng.random() < 0.1:
            filters["year"] = rng.randint(2018, 2026)
        params = service.SearchParams(
            q=rng.choice(QUERIES),
            filters=Filters(**filters),
            sort="newest" if rng.random() < 0.1 else "relevance",
            page=1 if rng.random() < 0.85 else 2,
            page_size=10,
        )
        start = time.perf_counter()
        service.run(rng.choice(users), params, log=False)
        if i >= 10:  # the first queries warm caches
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    # /soeg/ with nothing asked: the newest of what the reader may see, with facets.
    browsing = []
    for i in range(60):
        params = service.SearchParams(
            q="",
            filters=Filters(**({"topic": rng.choice(TOPICS)} if rng.random() < 0.3 else {})),
            sort="newest",
            page=1 if rng.random() < 0.85 else 2,
            page_size=10,
        )
        start = time.perf_counter()
        service.run(rng.choice(users), params, log=False)
        if i >= 10:
            browsing.append((time.perf_counter() - start) * 1000)
    browsing.sort()
    return {
        "vendor": connection.vendor,
        "docs": count,
        "index_seconds": round(index_seconds, 1),
        "index_rate": round(count / index_seconds),
        "single_rate": round(single_rate),
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
        "browse_p50_ms": round(statistics.median(browsing), 1),
        "browse_p95_ms": round(browsing[int(len(browsing) * 0.95) - 1], 1),
    }


def run_backend(name: str, docs: int, queries: int, keep: bool = False) -> dict:
    env = dict(os.environ)
    cleanup = None
    if name == "sqlite":
        handle, path = tempfile.mkstemp(suffix=".sqlite3", prefix="search_bench_")
        os.close(handle)
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def cleanup():
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        database = f"search_bench_{os.getpid()}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database}")
            conn.execute(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = f"{POSTGRES}/{database}"

        def cleanup():
            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")

    try:
        output = subprocess.run(
            [sys.executable, __file__, "--child", "--docs", str(docs), "--queries", str(queries)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])
    finally:
        if keep:
            print(f"kept: DATABASE_URL={env['DATABASE_URL']}", file=sys.stderr)
        else:
            cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (to profile against it)"
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="only the queries, against the index in DATABASE_URL (one kept with --keep)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.docs, args.queries)))
        return
    if args.queries_only:
        r = run_child(0, args.queries, build=False)
        print(
            f"{r['docs']} documents: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']}"
            f"; /soeg/ with nothing asked: p50 {r['browse_p50_ms']} ms, p95 {r['browse_p95_ms']} ms"
        )
        return
    print(f"{args.docs} documents, {args.queries} queries with facets, {os.cpu_count()} cores")
    columns = (
        ("index docs/s", 12),
        ("single/s", 9),
        ("p50 ms", 8),
        ("p95 ms", 8),
        ("max ms", 8),
        ("browse p50", 10),
        ("browse p95", 10),
    )
    print(f"{'backend':<10} " + " ".join(f"{name:>{width}}" for name, width in columns))
    for name in args.backends.split(","):
        r = run_backend(name.strip(), args.docs, args.queries, keep=args.keep)
        print(
            f"{name:<10} {r['index_rate']:>12} {r['single_rate']:>9} "
            f"{r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8} "
            f"{r['browse_p50_ms']:>10} {r['browse_p95_ms']:>10}"
        )


if __name__ == "__main__":
    main()
