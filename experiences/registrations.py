"""What this app contributes to the layers below and above it."""

from network.sections import Section, municipality_sections


def register() -> None:
    from . import following, importing, queries

    importing.register()
    following.register()
    _connect_cache_invalidation(queries.bump_content_version)

    municipality_sections.register(
        Section(
            key="experiences",
            title="Erfaringer",
            template="experiences/includes/section.html",
            items=lambda request, municipality: queries.for_municipality(municipality),
            order=10,
            more_url=_more_url,
            feed_url=_feed_url,
        )
    )

    from newsletters.registry import NewsSource, news_sources

    news_sources.register(
        NewsSource(
            key="experiences",
            label="Erfaringer",
            items=_newsletter_items,
            public_keys=_public_keys,
        )
    )

    from search import registry as search_registry

    from .models import ExperiencePage

    search_registry.register(
        search_registry.SearchType(
            key="experience",
            label="Erfaring",
            label_plural="Erfaringer",
            model=ExperiencePage,
            documents=_search_candidates,
            to_document=_search_document,
        )
    )


def _more_url(municipality):
    from .models import ExperienceIndexPage

    index = ExperienceIndexPage.objects.live().first()
    return f"{index.url}?kommune={municipality.slug}" if index else None


def _feed_url(municipality):
    from .models import ExperienceIndexPage

    index = ExperienceIndexPage.objects.live().first()
    return f"{index.url}feed/?kommune={municipality.slug}" if index else None


def _newsletter_items(since):
    """Public experiences first published since `since`, for the newsletter.

    first_published_at, not last_published_at: fixing a typo must not make an old
    article news again.
    """
    from newsletters.registry import NewsItem

    from .models import ExperienceKind, ExperiencePage

    pages = (
        ExperiencePage.objects.live()
        .public()
        .filter(first_published_at__gte=since)
        .prefetch_related("work_areas", "municipalities")
        .order_by("-first_published_at")
    )
    items = []
    for page in pages:
        url_parts = page.get_url_parts()
        if not url_parts:
            continue
        items.append(
            NewsItem(
                title=page.title,
                summary=page.lead,
                url=url_parts[2],
                work_area_slugs=tuple(area.slug for area in page.work_areas.all()),
                published=page.first_published_at,
                kind=ExperienceKind(page.kind).label,
                key=str(page.pk),
                municipality_codes=tuple(m.code for m in page.municipalities.all()),
            )
        )
    return items


def _public_keys(keys: set[str]) -> set[str]:
    """Of these page ids (as the newsletter keeps them), those still live and public."""
    from .models import ExperiencePage

    pks = [int(key) for key in keys if key.isdigit() and len(key) < 19]
    public = ExperiencePage.objects.live().public().filter(pk__in=pks)
    return {str(pk) for pk in public.values_list("pk", flat=True)}


def _search_candidates():
    from .models import ExperiencePage

    return ExperiencePage.objects.live().prefetch_related(
        "municipalities", "work_areas", "organisations", "competence_profiles"
    )


def _search_document(page):
    """The search document of a live article; None (not findable) for drafts,
    unpublished pages and pages behind a password or group restriction. A page
    restricted to logged-in users is found by members only."""
    from wagtail.models import PageViewRestriction

    from search.registry import MEMBERS, PUBLIC, SearchDocument

    if not page.live:
        return None
    access = PUBLIC
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type != PageViewRestriction.LOGIN:
            return None
        access = MEMBERS
    url = page.get_url()
    if not url:
        return None
    body, attachments = _search_texts(page, access)
    extra = [page.author, *(o.name for o in page.organisations.all())]
    extra += [p.name for p in page.competence_profiles.all()]
    return SearchDocument(
        type="experience",
        object_id=str(page.pk),
        title=page.title,
        url=url,
        access=access,
        body="\n".join([page.lead, *body]),
        extra="\n".join(t for t in [*extra, *attachments] if t),
        municipalities=[m.code for m in page.municipalities.all()],
        topics=[w.slug for w in page.work_areas.all()],
        date=page.published_date,
        external_id=page.external_id,
    )


def _search_texts(page, access: str) -> tuple[list[str], list[str]]:
    """Plain text of the body blocks, and the text of attached documents that every
    reader of the page (`access`: public or members) may open: a document another app
    keeps from some of them (a project's material) would show in their snippets."""
    from network.documents import closed_to
    from network.text import rich_text_plain
    from search.registry import attachment_text

    closed = closed_to(
        [
            b.value["document"].pk
            for b in page.body
            if b.block_type == "document" and b.value["document"]
        ],
        access,
    )
    texts, attachments = [], []
    for block in page.body:
        value = block.value
        if block.block_type == "paragraph":
            texts.append(rich_text_plain(value.source))
        elif block.block_type == "heading":
            texts.append(str(value))
        elif block.block_type == "quote":
            texts += [value["text"], value["name"], value["role"], value["municipality"]]
        elif block.block_type == "facts":
            texts += [value["title"], *value["items"]]
        elif block.block_type == "key_figure":
            texts.append(f"{value['figure']} {value['label']}")
        elif block.block_type in ("image", "video"):
            texts.append(value["caption"])
        elif block.block_type == "document" and value["document"]:
            texts.append(value["title"] or value["document"].title)
            if value["document"].pk not in closed:
                attachments.append(attachment_text(value["document"]))
    return [t for t in texts if t], attachments


def _connect_cache_invalidation(bump) -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import ExperiencePage

    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(bump, sender=ExperiencePage, dispatch_uid=f"exp-cache-{id(signal)}")
    post_page_move.connect(bump, dispatch_uid="exp-cache-move")
    # A page made private (or public again) leaves or joins the counts at once: an
    # outside attacker saw "Aarhus (1)" for ten minutes after its only article was.
    for signal in (post_save, post_delete):
        signal.connect(
            bump, sender=PageViewRestriction, dispatch_uid=f"exp-cache-restriction-{id(signal)}"
        )
