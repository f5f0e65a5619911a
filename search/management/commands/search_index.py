"""`search_index rebuild | status | replay`: maintain the search index by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import backends, indexing, registry
from search.models import PendingWrite


class Command(BaseCommand):
    help = "Genopbyg søgeindekset, vis status eller send ventende Elasticsearch-skrivninger."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Byg indekset forfra fra alt indhold.")
        rebuild.add_argument("--no-elasticsearch", action="store_true")
        rebuild.add_argument("--no-progress", action="store_true")
        sub.add_parser("status", help="Antal dokumenter pr. type og backend.")
        sub.add_parser("replay", help="Send ventende skrivninger til Elasticsearch igen.")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _rebuild(self, options):
        total = indexing.count_candidates()
        with tqdm(
            total=total,
            unit="dok",
            desc="Indekserer",
            disable=options["no_progress"],
            file=self.stderr._out,
        ) as bar:
            count = indexing.rebuild(
                progress=bar.update, elasticsearch=not options["no_elasticsearch"]
            )
        self.stdout.write(self.style.SUCCESS(f"Indekserede {count} dokumenter."))

    def _status(self, options):
        labels = {t.key: t.label for t in registry.types()}
        database = backends.database_backend().counts()
        self.stdout.write("Database-indeks:")
        for key in sorted(set(labels) | set(database)):
            self.stdout.write(f"  {labels.get(key, key):<20} {database.get(key, 0):>8}")
        es = backends.elasticsearch_backend()
        if es is None:
            self.stdout.write("Elasticsearch: ikke sat op (ELASTICSEARCH_URL er tom)")
        else:
            try:
                counts = es.counts()
                self.stdout.write(f"Elasticsearch ({es.alias}):")
                for key in sorted(set(labels) | set(counts)):
                    self.stdout.write(f"  {labels.get(key, key):<20} {counts.get(key, 0):>8}")
            except Exception as exc:
                self.stdout.write(f"Elasticsearch: svarer ikke ({exc!r})")
        self.stdout.write(f"Ventende skrivninger: {PendingWrite.objects.count()}")
        self.stdout.write(f"Søgninger besvares af: {backends.reader().name}")

    def _replay(self, options):
        if backends.elasticsearch_backend() is None:
            raise CommandError("ELASTICSEARCH_URL er ikke sat; der er intet at sende.")
        left = indexing.replay_pending()
        self.stdout.write(f"Ventende skrivninger tilbage: {left}")
