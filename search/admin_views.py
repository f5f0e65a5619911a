"""Search statistics for editors: the most frequent and the zero-result queries of
the last 30 days (from SearchQueryLog, which stores no user)."""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Max
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .models import SearchQueryLog

DAYS = 30
ROWS = 50


def statistics(request):
    since = timezone.now() - datetime.timedelta(days=DAYS)
    recent = SearchQueryLog.objects.filter(created_at__gte=since)
    frequent = (
        recent.values("query")
        .annotate(n=Count("id"), results=Avg("results"), last=Max("created_at"))
        .order_by("-n", "query")[:ROWS]
    )
    zero = (
        recent.filter(results=0)
        .values("query")
        .annotate(n=Count("id"), last=Max("created_at"))
        .order_by("-n", "query")[:ROWS]
    )
    return render(
        request,
        "search/admin/statistics.html",
        {
            "header_title": "Søgestatistik",
            "page_title": "Søgestatistik",
            "header_icon": "search",
            "days": DAYS,
            "total": recent.count(),
            "frequent": frequent,
            "zero": zero,
            "synonyms_url": reverse("wagtailsnippets_search_synonymgroup:list"),
            "promotions_url": reverse("search_promotions:index"),
            "add_synonyms_url": reverse("wagtailsnippets_search_synonymgroup:add")
            if request.user.has_perm("search.add_synonymgroup")
            else "",
            "add_promotion_url": reverse("search_promotions:add"),
        },
    )
