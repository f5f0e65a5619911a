"""Whole-page cache for anonymous visitors on public Wagtail pages.

Only what every anonymous visitor sees alike is cached: GET/HEAD of a live Wagtail
page without view restrictions, answered 200 as HTML, by a request without a
session or flash messages, and whose response sets no cookie (a page with a
CSRF-protected form sets one, so it is never cached). Logged-in members, drafts,
previews and private projects never go through it.

Invalidation is by version: any change that can show on a public page (a page
published, unpublished, moved or deleted; a page's privacy; a trial action, update,
comment, file or event sign-up; a document; a member's profile) bumps the version,
and every cached page is stale.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from network import versions

VERSION_KEY = "pagecache:version"
MARK = "_pagecache_ok"


def version() -> int:
    return versions.current(VERSION_KEY)


def bump(**kwargs) -> None:
    """Every cached page is stale (network.versions: now and at the commit)."""
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
        return  # a login changes nothing anyone else can see
    versions.move(VERSION_KEY)


def _key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
    return f"pagecache:{version()}:{digest}"


def _anonymous_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "PAGE_CACHE_SECONDS", 0) or not _anonymous_request(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if (
            getattr(request, MARK, False)
            and response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if not response.cookies:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response


def mark_cacheable(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: only public pages may be cached."""
    if not page.get_view_restrictions().exists() and not getattr(request, "is_preview", False):
        setattr(request, MARK, True)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from wagtail import hooks
    from wagtail.documents import get_document_model
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from projects.models import (
        EventRegistration,
        ProjectParticipant,
        TrialAction,
        TrialActionAttachment,
        TrialActionComment,
        TrialActionUpdate,
    )

    hooks.register("before_serve_page", mark_cacheable)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, dispatch_uid=f"pagecache-{id(signal)}")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-delete")
    for model in (
        TrialAction,
        TrialActionComment,
        TrialActionUpdate,
        EventRegistration,
        ProjectParticipant,
        get_user_model(),
        # A page made private, or public again, changes what every listing may show;
        # a file taken off a log (citizen data uploaded by mistake) or a document
        # renamed or replaced must not stay named on a kept page (an outside attacker).
        PageViewRestriction,
        TrialActionAttachment,
        get_document_model(),
    ):
        post_save.connect(bump, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"pagecache-del-{model.__name__}")


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump()
