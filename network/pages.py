"""Finding the one page of a section type (/erfaringer/, /projekter/), creating it
under the site root the first time (fresh site, import, demo content)."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site


@transaction.atomic
def section_page(model, **fields):
    page = model.objects.first()
    if page:
        return page
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.specific if site else Page.objects.get(depth=2).specific
    page = model(**fields)
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


class NewPagesBatch:
    """Many new pages under one parent, published together: what `add_child` followed
    by `save_revision().publish()` leaves behind for each, in a few queries per page
    instead of some sixty. For imports, where the records are already validated and
    thousands of pages are made at once.

        batch = NewPagesBatch(parent)
        for record in records:
            page = ExperiencePage(title=..., slug=batch.unique_slug(title), ...)
            batch.add(page, m2m={"municipalities": [...], "work_areas": [...]})
        batch.publish()                         # inside the same transaction

    `add` saves the page as a draft at the end of the parent's children (the parent row
    is locked for the run, so the tree paths cannot collide). `publish` then, in bulk,
    writes the many-to-many rows given as `m2m` (field name -> objects), creates each
    page's first revision (which holds them), makes it the latest and live revision, marks the
    page live (first/last published now), writes Wagtail's audit log ("wagtail.create",
    "wagtail.publish") and sends `page_published` for each page, so every receiver
    (search, caches, announcements to followers) sees a normal publication. What
    `publish()` also does concerns pages that existed before (aliases, earlier
    revisions, running workflows, scheduled publishing) and does not apply to new ones.
    """

    CHUNK = 500

    def __init__(self, parent: Page, *, user=None):
        self.parent = Page.objects.select_for_update().get(pk=parent.pk)
        self.user = user
        self.pages: list[Page] = []
        self.m2m: list[dict[str, list]] = []
        last = self.parent.get_last_child()
        self._last_path = last.path if last else None
        self._slugs: set[str] | None = None

    def unique_slug(self, slug: str) -> str:
        """`slug`, or slug-2, slug-3 ... when a sibling (existing or in this batch) has it."""
        if self._slugs is None:
            self._slugs = set(self.parent.get_children().values_list("slug", flat=True))
        candidate, number = slug, 1
        while candidate in self._slugs:
            number += 1
            candidate = f"{slug}-{number}"
        self._slugs.add(candidate)
        return candidate

    def add(self, page: Page, *, m2m: dict[str, list] | None = None) -> Page:
        if self._last_path is None:
            page.path = Page._get_path(self.parent.path, self.parent.depth + 1, 1)
        else:
            page.path = _next_sibling_path(self._last_path)
        self._last_path = page.path
        page.depth = self.parent.depth + 1
        page.numchild = 0
        page.locale_id = page.locale_id or self.parent.locale_id
        page.live = False
        page._cached_parent_obj = self.parent
        # clean=False: the record is validated by the import, the slug is unique among
        # the siblings (unique_slug) and the path is the next free one under the lock.
        page.save(clean=False, log_action=None)  # the log entries are written in bulk
        self.pages.append(page)
        self.m2m.append(m2m or {})
        return page

    def publish(self) -> None:
        if not self.pages:
            return
        from django.db.models import CharField, F, OuterRef, Subquery, prefetch_related_objects
        from django.db.models.functions import Cast
        from django.utils import timezone
        from wagtail.models import PageLogEntry, Revision
        from wagtail.signals import page_published

        Page.objects.filter(pk=self.parent.pk).update(numchild=F("numchild") + len(self.pages))
        for start in range(0, len(self.pages), self.CHUNK):
            pages = self.pages[start : start + self.CHUNK]
            relations = self.m2m[start : start + self.CHUNK]
            _prefetch_cluster(pages, relations, prefetch_related_objects)
            _write_m2m(pages, relations)
            now = timezone.now()
            for page in pages:
                page.live = True
                page.has_unpublished_changes = False
                page.first_published_at = now
                page.last_published_at = now
                page.latest_revision_created_at = now
                page.draft_title = page.title
            revisions = Revision.objects.bulk_create(
                [
                    Revision(
                        content_object=page,
                        base_content_type=page.get_base_content_type(),
                        user=self.user,
                        created_at=now,
                        content=page.serializable_data(),
                        object_str=str(page),
                    )
                    for page in pages
                ]
            )
            for page, revision in zip(pages, revisions, strict=True):
                page.latest_revision = page.live_revision = revision
            # One UPDATE for the chunk: the values are the same for every page but the
            # revision, which is each page's only one (bulk_update's CASE per row and
            # field is slow on PostgreSQL).
            only_revision = Revision.objects.filter(
                base_content_type_id=pages[0].get_base_content_type().pk,
                object_id=Cast(OuterRef("pk"), CharField()),
            ).values("pk")[:1]
            Page.objects.filter(pk__in=[page.pk for page in pages]).update(
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                latest_revision_created_at=now,
                draft_title=F("title"),
                latest_revision=Subquery(only_revision),
                live_revision=Subquery(only_revision),
            )
            entries = []
            for page, revision in zip(pages, revisions, strict=True):
                for action in ("wagtail.create", "wagtail.publish"):
                    entries.append(
                        PageLogEntry(
                            content_type_id=page.content_type_id,
                            page_id=page.pk,
                            label=page.get_admin_display_title(),
                            action=action,
                            timestamp=now,
                            data={},
                            user=self.user,
                            revision=revision if action == "wagtail.publish" else None,
                            content_changed=True,
                        )
                    )
            PageLogEntry.objects.bulk_create(entries)
            for page, revision in zip(pages, revisions, strict=True):
                page_published.send(sender=page.specific_class, instance=page, revision=revision)
        self.pages = []
        self.m2m = []


def _next_sibling_path(path: str) -> str:
    """treebeard's `_inc_path` for a path string: the path of the next sibling."""
    from treebeard.exceptions import PathOverflow

    step = Page.steplen
    key = Page._int2str(Page._str2int(path[-step:]) + 1)
    if len(key) > step:
        raise PathOverflow(f"Path overflow from {path!r}")
    return f"{path[:-step]}{Page.alphabet[0] * (step - len(key))}{key}"


def _prefetch_cluster(pages: list[Page], relations: list[dict[str, list]], prefetch) -> None:
    """Load the parental relations of many pages at once (those not given as `m2m`),
    for their revisions' `serializable_data()` and the receivers of `page_published`."""
    from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations

    by_model: dict[type, list[Page]] = {}
    given: dict[type, set[str]] = {}
    for page, m2m in zip(pages, relations, strict=True):
        by_model.setdefault(type(page), []).append(page)
        given.setdefault(type(page), set()).update(m2m)
    for model, same in by_model.items():
        names = [f.name for f in get_all_child_m2m_relations(model) if f.name not in given[model]]
        names += [rel.get_accessor_name() for rel in get_all_child_relations(model)]
        prefetch(same, *names)


def _write_m2m(pages: list[Page], relations: list[dict[str, list]]) -> None:
    """The many-to-many rows of new pages, one INSERT per field for all of them; the
    values are also set on each page in memory, where its revision reads them."""
    rows: dict[tuple[type, str], list] = {}
    for page, m2m in zip(pages, relations, strict=True):
        for name, objects in m2m.items():
            field = page._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            rows.setdefault((through, name), []).extend(
                through(**{f"{source}_id": page.pk, f"{target}_id": obj.pk})
                for obj in dict.fromkeys(objects)
            )
            getattr(page, name).set(list(dict.fromkeys(objects)))
    for (through, _name), objs in rows.items():
        through.objects.bulk_create(objs)
