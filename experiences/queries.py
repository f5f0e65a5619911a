"""Reads across relations: the filtered listing, its facet counts, related articles.

The listing runs a fixed number of queries whatever the number of articles: one per
facet, one count, one page of results and one per prefetched relation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from network import versions
from network.models import CompetenceProfile, Municipality, Region, WorkArea
from network.numbers import parse_int

from .models import ExperienceKind, ExperiencePage


@dataclass
class Facet:
    param: str
    label: str
    options: list[dict] = field(default_factory=list)  # value, label, count, selected
    selected: str = ""
    selected_label: str = ""


FACET_CACHE_SECONDS = 600
VERSION_KEY = "experiences:content-version"


def content_version() -> int:
    return versions.current(VERSION_KEY)


def bump_content_version(**kwargs) -> None:
    """Called when an experience changes: every cached facet count is stale."""
    versions.move(VERSION_KEY)


class ExperienceFilter:
    """Filters by municipality, region, work area, competence profile, kind and year.

    Query parameters (Danish, as they appear in shared links): kommune, region, omraade,
    fagprofil, type, aar; kommune and region by slug or official code (as /soeg/ names
    them). Unknown values are ignored with a message, never a 500.
    """

    PARAMS = ("kommune", "region", "omraade", "fagprofil", "type", "aar")

    def __init__(self, data: QueryDict, base):
        self.data = data
        self.base = base
        self.errors: list[str] = []
        self.values: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._clean()

    # -- cleaning -------------------------------------------------------------
    def _clean(self) -> None:
        lookups = {
            "kommune": (Municipality, "kommunen"),
            "region": (Region, "regionen"),
            "omraade": (WorkArea, "arbejdsområdet"),
            "fagprofil": (CompetenceProfile, "fagprofilen"),
        }
        slugs = {param: (self.data.get(param) or "").strip() for param in lookups}
        for param, (model, noun) in lookups.items():
            value = slugs[param]
            if not value:
                continue
            # A municipality or region also by its official code, as /soeg/ and the
            # API name them (?kommune=0751), so a link from there filters here too.
            by_code = param in ("kommune", "region") and value.isdigit()
            found = model.objects.filter(**{"code" if by_code else "slug": value})
            obj = found.only("name", "slug").first()
            if obj is None:
                self.errors.append(f"Vi kender ikke {noun} »{value[:60]}«. Filteret er fjernet.")
                continue
            self.values[param] = obj.slug
            self._labels[param] = obj.name
        kind = (self.data.get("type") or "").strip()
        if kind:
            if kind in ExperienceKind.values:
                self.values["type"] = kind
                self._labels["type"] = ExperienceKind(kind).label
            else:
                self.errors.append(f"Ukendt type »{kind[:30]}«. Filteret er fjernet.")
        year = (self.data.get("aar") or "").strip()
        if year:
            if parse_int(year, 1901, 2199) is not None:
                self.values["aar"] = year
                self._labels["aar"] = year
            else:
                self.errors.append(f"»{year[:10]}« er ikke et årstal. Filteret er fjernet.")

    # -- querying ---------------------------------------------------------------
    def _apply(self, queryset, skip: str | None = None):
        v = self.values
        m2m = {
            "kommune": Q(municipalities__slug=v.get("kommune")),
            "region": Q(municipalities__region__slug=v.get("region")),
            "omraade": Q(work_areas__slug=v.get("omraade")),
            "fagprofil": Q(competence_profiles__slug=v.get("fagprofil")),
        }
        for param, condition in m2m.items():
            if param in v and param != skip:
                # A subquery keeps one row per article however many tags match.
                queryset = queryset.filter(
                    pk__in=ExperiencePage.objects.filter(condition).values("pk")
                )
        if "type" in v and skip != "type":
            queryset = queryset.filter(kind=v["type"])
        if "aar" in v and skip != "aar":
            queryset = queryset.filter(published_date__year=int(v["aar"]))
        return queryset

    def queryset(self):
        return self._apply(self.base).order_by("-published_date", "-pk")

    @staticmethod
    def with_related(object_list):
        """Prefetch what the result cards show (a page of results, not all)."""
        from django.db.models import prefetch_related_objects

        items = list(object_list)
        prefetch_related_objects(items, "municipalities", "work_areas", "image__renditions")
        return items

    # -- facets -------------------------------------------------------------------
    def facets(self) -> list[Facet]:
        """The facets, cached per filter combination until an experience is published,
        unpublished, moved or deleted (the counts are of public content only)."""
        key = "experience-facets:{}:{}".format(
            content_version(), "&".join(f"{k}={v}" for k, v in sorted(self.values.items()))
        )
        return cache.get_or_set(key, self._facets, FACET_CACHE_SECONDS)

    def _facets(self) -> list[Facet]:
        """Each facet counts within the other active filters (so choosing an option
        never yields zero results), with the selected option always listed."""
        ids = lambda skip: self._apply(self.base, skip=skip).values("pk")  # noqa: E731
        specs = [
            # Municipalities in Danish order, Aa as å (network.collation), as everywhere.
            (
                "kommune",
                "Kommune",
                "municipalities__slug",
                "municipalities__name",
                "municipalities__sort_name",
            ),
            (
                "region",
                "Region",
                "municipalities__region__slug",
                "municipalities__region__name",
                "municipalities__region__name",
            ),
            (
                "omraade",
                "Arbejdsområde",
                "work_areas__slug",
                "work_areas__name",
                "work_areas__name",
            ),
            (
                "fagprofil",
                "Fagprofil",
                "competence_profiles__slug",
                "competence_profiles__name",
                "competence_profiles__name",
            ),
        ]
        facets = []
        for param, label, value_field, label_field, order_field in specs:
            rows = (
                ExperiencePage.objects.filter(pk__in=ids(param))
                .exclude(**{f"{value_field}__isnull": True})
                .values(value_field, label_field)
                .annotate(n=Count("pk", distinct=True))
                .order_by(order_field)
            )
            options = [
                {"value": r[value_field], "label": r[label_field], "count": r["n"]} for r in rows
            ]
            facets.append(self._facet(param, label, options))
        kinds = dict(
            ExperiencePage.objects.filter(pk__in=ids("type"))
            .order_by()  # Page's default ordering (path) would split the groups: all 1s
            .values_list("kind")
            .annotate(n=Count("pk"))
        )
        facets.append(
            self._facet(
                "type",
                "Type",
                [
                    {"value": k.value, "label": k.label, "count": kinds[k.value]}
                    for k in ExperienceKind
                    if k.value in kinds
                ],
            )
        )
        years = (
            ExperiencePage.objects.filter(pk__in=ids("aar"))
            .annotate(year=ExtractYear("published_date"))
            .values("year")
            .annotate(n=Count("pk"))
            .order_by("-year")
        )
        facets.append(
            self._facet(
                "aar",
                "År",
                [
                    {"value": str(r["year"]), "label": str(r["year"]), "count": r["n"]}
                    for r in years
                ],
            )
        )
        return facets

    def _facet(self, param, label, options) -> Facet:
        selected = self.values.get(param, "")
        if selected and not any(o["value"] == selected for o in options):
            options.insert(0, {"value": selected, "label": self._labels[param], "count": 0})
        for option in options:
            option["selected"] = option["value"] == selected
        return Facet(param, label, options, selected, self._labels.get(param, ""))

    def active(self) -> list[dict]:
        """The active filters, each with the query string that removes it."""
        chips = []
        for param in self.PARAMS:
            if param in self.values:
                rest = {k: v for k, v in self.values.items() if k != param}
                chips.append({"label": self._labels[param], "remove_query": _urlencode(rest)})
        return chips

    def querystring(self, **extra) -> str:
        return _urlencode({**self.values, **extra})


def _urlencode(values: dict) -> str:
    query = QueryDict(mutable=True)
    for key, value in values.items():
        if value:
            query[key] = value
    return query.urlencode()


def related_experiences(page: ExperiencePage, limit: int = 3):
    """Other live experiences sharing a work area or a municipality, newest first.

    The page may be unsaved (a preview, a revision, a workflow's preview): its work areas
    and municipalities are then modelcluster's in-memory relations, which have no
    `.values()`, so their ids are read from the objects."""
    areas = [area.pk for area in page.work_areas.all()]
    municipalities = [municipality.pk for municipality in page.municipalities.all()]
    candidates = ExperiencePage.objects.live().public().exclude(pk=page.pk)
    related = candidates.filter(
        pk__in=ExperiencePage.objects.filter(
            Q(work_areas__in=areas) | Q(municipalities__in=municipalities)
        ).values("pk")
    )
    return ExperienceFilter.with_related(related.order_by("-published_date", "-pk")[:limit])


def newest(limit: int = 6):
    items = list(ExperiencePage.objects.live().public().order_by("-published_date", "-pk")[:limit])
    return ExperienceFilter.with_related(items)


def for_municipality(municipality, limit: int = 10):
    items = list(
        ExperiencePage.objects.live()
        .public()
        .filter(municipalities=municipality)
        .order_by("-published_date", "-pk")[:limit]
    )
    return ExperienceFilter.with_related(items)
