"""Relevance evaluation: nDCG@10 and recall@10 of this search and of Wagtail's
built-in page search over the same content and judged queries
(relevance/judgements.json, graded 0-3 by external_id)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

JUDGEMENTS = Path(__file__).with_name("relevance") / "judgements.json"
K = 10


@dataclass
class Judgement:
    query: str
    relevant: dict[str, int]


def load_judgements(path: Path = JUDGEMENTS) -> list[Judgement]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Judgement(item["query"], item["relevant"]) for item in data["queries"]]


def ndcg(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(relevant.values(), reverse=True))
    return dcg([relevant.get(doc, 0) for doc in ranked]) / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: dict[str, int], k: int = K) -> float:
    wanted = {doc for doc, grade in relevant.items() if grade > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def this_search(query: str) -> list[str]:
    """What a visitor sees on /soeg/ (a zero-result typo shows the suggestion's results)."""
    from django.contrib.auth.models import AnonymousUser

    from . import service

    def ids(outcome):
        return [hit.external_id or f"{hit.type}:{hit.object_id}" for hit in outcome.result.hits]

    params = service.SearchParams(q=query, page_size=K)
    outcome = service.run(AnonymousUser(), params, log=False)
    if outcome.total == 0 and outcome.suggestion:
        params.q = outcome.suggestion
        outcome = service.run(AnonymousUser(), params, log=False)
    return ids(outcome)


def wagtail_search(query: str) -> list[str]:
    """Wagtail's built-in search over live pages, with the configured backend."""
    from wagtail.models import Page

    pages = list(Page.objects.live().search(query)[:K])
    external: dict[int, str] = {}
    for model in {page.specific_class for page in pages if page.specific_class}:
        if any(field.name == "external_id" for field in model._meta.get_fields()):
            rows = model.objects.filter(pk__in=[p.pk for p in pages]).values_list(
                "pk", "external_id"
            )
            external.update((pk, value) for pk, value in rows if value)
    return [external.get(page.pk) or f"page:{page.pk}" for page in pages]


@dataclass
class Score:
    ndcg: float
    recall: float


def evaluate(
    engines: dict[str, Callable[[str], list[str]]], judgements: list[Judgement]
) -> tuple[dict[str, Score], list[tuple[str, dict[str, Score]]]]:
    per_query = []
    totals = {name: Score(0.0, 0.0) for name in engines}
    for judgement in judgements:
        row = {}
        for name, engine in engines.items():
            ranked = engine(judgement.query)
            score = Score(ndcg(ranked, judgement.relevant), recall(ranked, judgement.relevant))
            row[name] = score
            totals[name].ndcg += score.ndcg
            totals[name].recall += score.recall
        per_query.append((judgement.query, row))
    n = max(len(judgements), 1)
    means = {name: Score(s.ndcg / n, s.recall / n) for name, s in totals.items()}
    return means, per_query
