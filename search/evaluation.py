"""Relevance evaluation: nDCG@10 and recall@10 of this search, of Wagtail's built-in
page search and of a plain Danish BM25 over the same content and judged queries.

Five sets of judged queries (graded 0-3 by external_id):
- `demo`: relevance/judgements.json over the demo content (`seed_demo`), written with
  the search in view;
- `tuning` and `heldout`: relevance/blind/, 120+ queries written, with the corpus
  relevance/blind/corpus-*.jsonl, by someone who had not read search/ and never saw a
  ranking, each query with its kind (misspelling, question, compound, ...), split in
  two halves by kind. Tune on `tuning`; `heldout` is for reporting only.
- `fresh`: relevance/blind/fresh-*.json, 32 more queries (whole questions and keyword
  queries) over the same corpus, by a third helper who saw neither the code, the other
  judgments nor a ranking; for reporting only, like `heldout`.
- `outside`: relevance/blind/outside-*.json, 40 queries more (questions, other words,
  keywords, typos, spellings) by a fourth helper, written after the third round of
  synonym groups; for reporting only.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RELEVANCE = Path(__file__).with_name("relevance")
JUDGEMENTS = RELEVANCE / "judgements.json"
BLIND = RELEVANCE / "blind"
SETS = ("demo", "tuning", "heldout", "fresh", "outside")
K = 10


@dataclass
class Judgement:
    query: str
    relevant: dict[str, int]
    kind: str = "demo"


def load_judgements(path: Path = JUDGEMENTS) -> list[Judgement]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Judgement(item["query"], item["relevant"], item.get("kind", "demo"))
        for item in data["queries"]
    ]


def load_set(name: str) -> list[Judgement]:
    if name == "demo":
        return load_judgements()
    judgements = []
    for path in sorted(BLIND.glob(f"{name}-*.json")):
        judgements += load_judgements(path)
    return judgements


def blind_corpus() -> list[Path]:
    return sorted(BLIND.glob("corpus-*.jsonl"))


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
        hits = outcome.result.hits + outcome.fewer_words
        return [hit.external_id or f"{hit.type}:{hit.object_id}" for hit in hits]

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


_TOKEN = re.compile(r"[^\W_]+")


class PlainBM25:
    """The baseline: Snowball's Danish stemmer on lower-cased words, æøå folded after
    stemming, the OR of the query's words, BM25 (k1 1.2, b 0.75) over title (×2) and
    text. Over what an anonymous visitor may see in the search index."""

    def __init__(self, docs: list[tuple[str, str, str]]):
        import Stemmer

        self.stemmer = Stemmer.Stemmer("danish")
        self.ids = [doc_id for doc_id, _t, _b in docs]
        self.fields = []
        for _id, title, body in docs:
            self.fields.append((Counter(self.tokens(title)), Counter(self.tokens(body))))
        self.df = [Counter(), Counter()]
        self.avg = [0.0, 0.0]
        for field in (0, 1):
            for doc in self.fields:
                self.df[field].update(doc[field].keys())
            total = sum(sum(doc[field].values()) for doc in self.fields)
            self.avg[field] = total / max(len(self.fields), 1)

    def tokens(self, text: str) -> list[str]:
        words = _TOKEN.findall((text or "").lower())
        stems = self.stemmer.stemWords(words)
        return [s.replace("æ", "ae").replace("ø", "oe").replace("å", "aa") for s in stems]

    def __call__(self, query: str) -> list[str]:
        terms = set(self.tokens(query))
        n = len(self.fields)
        scores = []
        for index, doc in enumerate(self.fields):
            score = 0.0
            for field, boost in ((0, 2.0), (1, 1.0)):
                length = sum(doc[field].values())
                for term in terms:
                    tf = doc[field].get(term, 0)
                    if not tf:
                        continue
                    df = self.df[field][term]
                    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                    norm = tf + 1.2 * (1 - 0.75 + 0.75 * length / max(self.avg[field], 1))
                    score += boost * idf * tf * 2.2 / norm
            if score > 0:
                scores.append((-score, index))
        scores.sort()
        return [self.ids[index] for _s, index in scores[:K]]


def plain_bm25() -> PlainBM25:
    from .models import SearchEntry

    rows = SearchEntry.objects.filter(access="public").values_list(
        "external_id", "type", "object_id", "title", "text__body", "text__extra"
    )
    return PlainBM25(
        [
            (external_id or f"{t}:{o}", title, f"{body or ''} {extra or ''}")
            for external_id, t, o, title, body, extra in rows
        ]
    )


@dataclass
class Score:
    ndcg: float
    recall: float


def evaluate(
    engines: dict[str, Callable[[str], list[str]]], judgements: list[Judgement]
) -> tuple[dict[str, Score], list[tuple[Judgement, dict[str, Score]]]]:
    per_query = []
    for judgement in judgements:
        row = {}
        for name, engine in engines.items():
            ranked = engine(judgement.query)
            row[name] = Score(ndcg(ranked, judgement.relevant), recall(ranked, judgement.relevant))
        per_query.append((judgement, row))
    return mean(engines, [row for _j, row in per_query]), per_query


def mean(engines, rows: list[dict[str, Score]]) -> dict[str, Score]:
    n = max(len(rows), 1)
    return {
        name: Score(sum(r[name].ndcg for r in rows) / n, sum(r[name].recall for r in rows) / n)
        for name in engines
    }


def by_kind(engines, per_query) -> dict[str, tuple[int, dict[str, Score]]]:
    groups: dict[str, list[dict[str, Score]]] = defaultdict(list)
    for judgement, row in per_query:
        groups[judgement.kind].append(row)
    return {kind: (len(rows), mean(engines, rows)) for kind, rows in sorted(groups.items())}
