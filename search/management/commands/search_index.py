"""`search_index rebuild | status | replay`: maintain the search index by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import backends, indexing, registry


class Command(BaseCommand):
    help = "Genopbyg søgeindekset, vis status eller send ventende Elasticsearch-skrivninger."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Byg indekset forfra fra alt indhold.")
        rebuild.add_argument("--no-elasticsearch", action="store_true")
        rebuild.add_argument("--no-progress", action="store_true")
        sub.add_parser("status", help="Antal dokumenter pr. type og backend.")
        replay = sub.add_parser("replay", help="Send ventende skrivninger til Elasticsearch.")
        replay.add_argument(
            "--failed",
            action="store_true",
            help="Prøv også dokumenter, Elasticsearch har afvist for mange gange.",
        )

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _rebuild(self, options):
        total = indexing.count_candidates()
        elasticsearch = (
            not options["no_elasticsearch"] and backends.elasticsearch_backend() is not None
        )
        bars = {"disable": options["no_progress"], "file": self.stderr._out, "total": total}
        with (
            tqdm(unit="dok", desc="Indekserer (database)", **bars) as database_bar,
            tqdm(
                unit="dok",
                desc="Indekserer (Elasticsearch)",
                **(bars | {"disable": bars["disable"] or not elasticsearch}),
            ) as es_bar,
        ):
            count = indexing.rebuild(
                progress=database_bar.update,
                elasticsearch=False,
            )
            if elasticsearch:
                es_count = self._rebuild_elasticsearch(es_bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indekserede {count} dokumenter."))
        if elasticsearch and es_count is not None:
            self.stdout.write(f"Elasticsearch: {es_count} dokumenter i et nyt indeks.")

    def _rebuild_elasticsearch(self, progress) -> int | None:
        try:
            return indexing.rebuild_elasticsearch(progress=progress)
        except indexing.RebuildRunning:
            raise CommandError(
                "En anden genopbygning af Elasticsearch kører allerede; prøv igen, når den "
                "er færdig. Databaseindekset er genopbygget."
            ) from None
        except Exception as exc:
            raise CommandError(
                f"Elasticsearch kunne ikke genopbygges ({backends.describe(exc)}); det gamle "
                "indeks bruges stadig, og det halvfærdige er slettet. Databaseindekset er "
                "genopbygget."
            ) from exc

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
                backends.elasticsearch_failed(exc)
                self.stdout.write(f"Elasticsearch: svarer ikke ({backends.describe(exc)})")
            self.stdout.write(f"Ventende skrivninger: {indexing.waiting_writes()}")
            failed = indexing.failed_writes()
            self.stdout.write(f"Afviste dokumenter (ikke i Elasticsearch): {len(failed)}")
            for write in failed[:50]:
                self.stdout.write(
                    f"  {write.type}:{write.object_id}  {write.attempts} forsøg, sidst "
                    f"{write.failed_at:%d.%m.%Y %H:%M}: {write.last_error[:200]}"
                )
            if len(failed) > 50:
                self.stdout.write(f"  … og {len(failed) - 50} mere")
        reader = backends.reader()
        why = ""
        if es is not None and reader is not es:
            why = backends.down_reason() or "skrivninger venter på Elasticsearch"
            why = f" ({why})"
        self.stdout.write(f"Søgninger besvares af: {reader.name}{why}")

    def _replay(self, options):
        if backends.elasticsearch_backend() is None:
            raise CommandError("ELASTICSEARCH_URL er ikke sat; der er intet at sende.")
        left = indexing.replay_pending(retry_failed=options["failed"])
        self.stdout.write(f"Ventende skrivninger tilbage: {left}")
        reason = backends.down_reason()
        if reason:
            self.stdout.write(f"Elasticsearch svarer ikke: {reason}")
        failed = len(indexing.failed_writes())
        if failed:
            self.stdout.write(
                f"Afviste dokumenter: {failed} (se `search_index status`; "
                "`search_index replay --failed` prøver dem igen)"
            )
