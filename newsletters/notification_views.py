"""Notifications in the site: the list, following, settings, the stop link and the
private Atom feed. Thin: newsletters/following.py decides what is shown."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import digests, following
from .models import DigestFrequency, Notification, NotificationSettings

PAGE_SIZE = 20


@login_required
def notification_list(request):
    following.refresh_for(request.user)
    mine = Notification.objects.filter(user=request.user)[:500]
    shown = following.visible(request.user, mine)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "newsletters/notifications/list.html",
        {"page_obj": page, "unread": sum(1 for n in shown if n.read_at is None)},
    )


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if not following.visible(request.user, [notification]):
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.url)


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, "Alle varsler er markeret som læst.")
    return redirect("notifications:list")


@login_required
def follow_list(request):
    rows = following.follow_rows(request.user)
    return render(request, "newsletters/notifications/follows.html", {"rows": rows})


@login_required
@require_POST
def follow_toggle(request):
    kind = request.POST.get("kind", "")[:20]
    key = request.POST.get("key", "")[:500]
    want = {"1": True, "0": False}.get(request.POST.get("follow", ""))
    state = following.toggle(request.user, kind, key, want)
    if state is None:
        raise Http404
    messages.success(
        request,
        "Du følger nu med. Nyt kommer under Varsler." if state else "Du følger ikke længere med.",
    )
    target = request.POST.get("next", "")
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = reverse("notifications:follows")
    return HttpResponseRedirect(target)


@login_required
def notification_settings(request):
    mine = following.settings_for(request.user)
    if request.method == "POST":
        if "renew_feed" in request.POST:
            mine.renew_feed_token()
            messages.success(request, "Dit feed har fået et nyt link. Det gamle virker ikke mere.")
            return redirect("notifications:settings")
        frequency = request.POST.get("frequency")
        if frequency in DigestFrequency.values:
            mine.frequency = frequency
            mine.save(update_fields=["frequency"])
            messages.success(request, "Dine indstillinger er gemt.")
            return redirect("notifications:settings")
        messages.error(request, "Vælg, hvor ofte du vil have mails.")
    return render(
        request,
        "newsletters/notifications/settings.html",
        {
            "settings_obj": mine,
            "frequencies": DigestFrequency.choices,
            "feed_url": request.build_absolute_uri(f"/varsler/feed/{mine.feed_token}/"),
        },
    )


@csrf_exempt  # RFC 8058: mail clients POST the one-click unsubscribe without a form
def stop(request, token):
    """The mails' "stop these mails" link. A GET shows one button (mail scanners open
    links, and must not unsubscribe anyone); mail clients' one-click unsubscribe
    (RFC 8058) POSTs straight here."""
    user_id = digests.read_stop_token(token)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None:  # about these mails, not a newsletter's sign-up (an outside walk)
        return render(request, "newsletters/notifications/invalid_link.html", status=404)
    if request.method == "POST":
        NotificationSettings.objects.update_or_create(
            user=user, defaults={"frequency": DigestFrequency.NEVER}
        )
        return render(request, "newsletters/notifications/stopped.html")
    return render(request, "newsletters/notifications/stop.html", {"token": token})


class PrivateFeed(Feed):
    """A member's notifications as Atom, behind a secret, revocable token."""

    feed_type = Atom1Feed
    title = "Mine varsler – Beskæftigelsesnetværket"
    description = "Nyt fra det, du følger."
    # RFC 4287: an author for the feed (its entries inherit it), an absolute id and an
    # <updated> per entry (an outside check: strict readers refused the feed).
    author_name = "Beskæftigelsesnetværket"

    def get_object(self, request, token):
        mine = NotificationSettings.objects.filter(feed_token=token).select_related("user")
        found = mine.first()
        if found is None or not found.user.is_active:
            raise Http404
        return found.user

    def link(self, user):
        return "/varsler/"

    def items(self, user):
        return following.visible(user, Notification.objects.filter(user=user)[:100])[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.text}\n\n{item.reason}".strip()

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"{settings.SITE_URL}/varsler/#varsel-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


private_feed = PrivateFeed()
