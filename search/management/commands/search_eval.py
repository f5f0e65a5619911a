"""`search_eval`: nDCG@10 and recall@10 of this search next to Wagtail's built-in
search and a plain BM25, on the demo set or on the blind sets (by kind of query)."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from search import evaluation

ENGINES = ("this-search", "wagtail", "bm25")


class Command(BaseCommand):
    help = (
        "Måler søgekvaliteten (nDCG@10, recall@10) på bedømte søgninger: demo-sættet "
        "(efter seed_demo) eller det blinde sæt (tuning/heldout), hvis korpus indlæses "
        "midlertidigt og rulles tilbage bagefter."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", choices=evaluation.SETS, default="demo", dest="set_name")
        parser.add_argument("--per-query", action="store_true", help="Vis hver søgning.")

    def handle(self, *args, set_name, per_query, **options):
        from search.models import SearchEntry

        judgements = evaluation.load_set(set_name)
        if not judgements:
            raise CommandError(f"Sættet {set_name} har ingen bedømte søgninger.")
        judged = {doc for j in judgements for doc in j.relevant}
        with self._content(set_name, judged):
            present = set(
                SearchEntry.objects.filter(external_id__in=judged).values_list(
                    "external_id", flat=True
                )
            )
            if not present:
                raise CommandError("Demoindholdet mangler. Kør først: manage.py seed_demo")
            engines = {
                "this-search": evaluation.this_search,
                "wagtail": evaluation.wagtail_search,
                "bm25": evaluation.plain_bm25(),
            }
            means, rows = evaluation.evaluate(engines, judgements)
        self._report(set_name, judgements, present, engines, means, rows, per_query)

    @contextmanager
    def _content(self, set_name: str, judged: set[str]):
        """The blind corpus, imported for the run and rolled back after it (unless it
        is in the database already)."""
        from search.models import SearchEntry

        if set_name == "demo" or SearchEntry.objects.filter(external_id__in=judged).exists():
            yield
            return
        with transaction.atomic():
            for path in evaluation.blind_corpus():
                call_command("import_content", str(path), stdout=_Quiet(), stderr=_Quiet())
            yield
            transaction.set_rollback(True)

    def _report(self, set_name, judgements, present, engines, means, rows, per_query):
        out = self.stdout
        out.write(
            f"{len(judgements)} bedømte søgninger (sæt: {set_name}), "
            f"{len(present)} bedømte dokumenter."
        )
        if per_query:
            out.write(f"{'query':<40} {'kind':<13}" + "".join(f"{e:>12}" for e in engines))
            for judgement, row in rows:
                out.write(
                    f"{judgement.query[:40]:<40} {judgement.kind[:13]:<13}"
                    + "".join(f"{row[e].ndcg:>12.3f}" for e in engines)
                )
        if set_name != "demo":
            out.write("")
            out.write(
                f"{'kind':<13} {'n':>3} "
                + "".join(f"{'nDCG ' + e:>17}" for e in engines)
                + "".join(f"{'R@10 ' + e:>17}" for e in engines)
            )
            for kind, (n, scores) in evaluation.by_kind(engines, rows).items():
                out.write(
                    f"{kind:<13} {n:>3} "
                    + "".join(f"{scores[e].ndcg:>17.3f}" for e in engines)
                    + "".join(f"{scores[e].recall:>17.3f}" for e in engines)
                )
            out.write("")
        out.write(f"{'metric':<12}" + "".join(f"{e:>13}" for e in engines))
        out.write(f"{'nDCG@10':<12}" + "".join(f"{means[e].ndcg:>13.3f}" for e in engines))
        out.write(f"{'recall@10':<12}" + "".join(f"{means[e].recall:>13.3f}" for e in engines))


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
