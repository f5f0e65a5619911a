"""`search_eval`: nDCG@10 and recall@10 of this search next to Wagtail's built-in."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from search import evaluation


class Command(BaseCommand):
    help = "Måler søgekvaliteten (nDCG@10, recall@10) på de bedømte demo-søgninger."

    def add_arguments(self, parser):
        parser.add_argument("--per-query", action="store_true", help="Vis hver søgning.")

    def handle(self, *args, **options):
        from search.models import SearchEntry

        judgements = evaluation.load_judgements()
        judged = {doc for j in judgements for doc in j.relevant}
        present = set(
            SearchEntry.objects.filter(external_id__in=judged).values_list("external_id", flat=True)
        )
        if not present:
            raise CommandError("Demoindholdet mangler. Kør først: manage.py seed_demo")
        engines = {"this search": evaluation.this_search, "wagtail": evaluation.wagtail_search}
        means, rows = evaluation.evaluate(engines, judgements)
        out = self.stdout
        out.write(f"{len(judgements)} bedømte søgninger, {len(present)} bedømte dokumenter.")
        if options["per_query"]:
            out.write(f"{'query':<36} {'this nDCG':>10} {'wagtail nDCG':>13}")
            for query, row in rows:
                this, wagtail = row["this search"], row["wagtail"]
                out.write(f"{query[:36]:<36} {this.ndcg:>10.3f} {wagtail.ndcg:>13.3f}")
        out.write(f"{'metric':<12} {'this search':>12} {'wagtail':>10}")
        this, wagtail = means["this search"], means["wagtail"]
        out.write(f"{'nDCG@10':<12} {this.ndcg:>12.3f} {wagtail.ndcg:>10.3f}")
        out.write(f"{'recall@10':<12} {this.recall:>12.3f} {wagtail.recall:>10.3f}")
