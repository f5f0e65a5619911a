"""Public pages: subscribe, confirm, preferences, one-click unsubscribe, the member's
own page and the archive. Thin: the writes live in subscriptions.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import permissions, ratelimit, subscriptions, tokens
from .consent import consent_text
from .forms import InterestsForm, PreferencesForm, SubscribeForm
from .models import ConsentMethod, SubscriberStatus
from .segments import EditionContent
from .subscriptions import ConfirmResult, Interests

ARCHIVE_PAGE_SIZE = 20


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if (wait := ratelimit.refused_for(request, email)) is not None:
                context = {"minutes": -(-wait // 60)}
                response = render(request, "newsletters/rate_limited.html", context, status=429)
                response["Retry-After"] = str(wait)
                return response
            subscriptions.request_subscription(email, Interests.from_form(form.cleaned_data))
            # The same answer whether the address was new, pending or subscribed.
            return redirect("newsletters:check_inbox")
    else:
        initial = {}
        if request.user.is_authenticated:
            initial = {"email": request.user.email, "work_areas": request.user.work_areas.all()}
        form = SubscribeForm(initial=initial)
    return render(
        request,
        "newsletters/subscribe.html",
        {
            "form": form,
            "consent_text": consent_text(),
            "latest": permissions.archived_editions().order_by("-send_started_at")[:3],
        },
    )


def _posted(request):
    # Not `request.POST or None`: a POST with every box unticked is empty, and must
    # still be validated (and told that a work area is required).
    return request.POST if request.method == "POST" else None


def check_inbox(request):
    return render(request, "newsletters/check_inbox.html")


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link in the confirmation mail opens a page with one button; the button
    confirms (a link opened by a mail scanner confirms nothing)."""
    result, subscriber = subscriptions.confirm(token, commit=request.method == "POST")
    manage_token = (
        tokens.manage_token(subscriber.pk, subscriber.manage_key)
        if subscriber and result in (ConfirmResult.CONFIRMED, ConfirmResult.ALREADY)
        else None
    )
    status = 200 if manage_token or result == ConfirmResult.READY else 400
    return render(
        request,
        "newsletters/confirm.html",
        {
            "result": str(result),
            "subscriber": subscriber,
            "manage_token": manage_token,
            "interests": _interest_names(subscriber) if result == ConfirmResult.READY else None,
        },
        status=status,
    )


def _interest_names(subscriber) -> dict[str, list[str]]:
    """What the sign-up asked for, in words, for the page that asks to confirm it."""
    return {
        "work_areas": [area.name for area in subscriber.work_areas.all()],
        "places": [region.name for region in subscriber.regions.all()]
        + [municipality.name for municipality in subscriber.municipalities.all()],
    }


def _invalid_link(request):
    return render(request, "newsletters/invalid_link.html", status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    subscriber = tokens.subscriber_for_manage_token(token)
    if subscriber is None:
        return _invalid_link(request)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return render(request, "newsletters/unsubscribed.html", {"subscriber": subscriber})
    if request.method == "POST" and "unsubscribe" in request.POST:
        subscriptions.unsubscribe(subscriber, ConsentMethod.PREFERENCES)
        return render(request, "newsletters/unsubscribed.html", {"subscriber": subscriber})
    form = PreferencesForm(_posted(request), initial=InterestsForm.initial_for(subscriber))
    if request.method == "POST" and form.is_valid():
        subscriptions.update_preferences(
            subscriber, Interests.from_form(form.cleaned_data), ConsentMethod.PREFERENCES
        )
        messages.success(request, "Dine valg er gemt.")
        return redirect("newsletters:preferences", token=token)
    return render(
        request,
        "newsletters/preferences.html",
        {"form": form, "subscriber": subscriber, "token": token},
    )


# Mail programs POST here without a CSRF token (RFC 8058 one-click unsubscribe).
# The signed token in the URL is the authorisation; there is no session to abuse.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscriber = tokens.subscriber_for_manage_token(token)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber, ConsentMethod.ONE_CLICK)
        return render(request, "newsletters/unsubscribed.html", {"subscriber": subscriber})
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return render(request, "newsletters/unsubscribed.html", {"subscriber": subscriber})
    return render(
        request, "newsletters/unsubscribe_confirm.html", {"subscriber": subscriber, "token": token}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mine(request):
    """A member's own subscription, matched by their login address."""
    subscriber = subscriptions.subscriber_for_member(request.user)
    subscribed = bool(subscriber and subscriber.status != SubscriberStatus.UNSUBSCRIBED)
    if request.method == "POST" and "unsubscribe" in request.POST and subscribed:
        subscriptions.unsubscribe(subscriber, ConsentMethod.PROFILE)
        messages.success(request, "Du er afmeldt nyhedsbrevet.")
        return redirect("newsletters:mine")
    if subscribed:
        initial = InterestsForm.initial_for(subscriber)
    else:
        initial = {"work_areas": request.user.work_areas.all()}
    form = PreferencesForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        interests = Interests.from_form(form.cleaned_data)
        result = subscriptions.subscribe_member(request.user, interests)
        if result.confirmation_sent:
            messages.success(
                request, "Vi har sendt en mail til dig. Klik på linket i den for at bekræfte."
            )
        else:
            messages.success(request, "Dine valg er gemt.")
        return redirect("newsletters:mine")
    return render(
        request,
        "newsletters/mine.html",
        {
            "form": form,
            "subscriber": subscriber,
            "subscribed": subscribed,
            # Asked for, perhaps by someone else on the public form, and not confirmed:
            # not "Du får nyhedsbrevet" (an outside attacker's sign-up read so).
            "pending": subscribed and subscriber.status == SubscriberStatus.PENDING,
            "consent_text": consent_text(),
        },
    )


def archive(request):
    editions = permissions.archived_editions().order_by("-send_started_at", "-pk")
    page_obj = Paginator(editions, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("side"))
    return render(request, "newsletters/archive.html", {"page_obj": page_obj})


def archive_detail(request, pk):
    edition = get_object_or_404(permissions.readable_editions(request.user), pk=pk)
    sections = EditionContent(edition).sections()
    unsent = not permissions.is_archived(edition)
    response = render(
        request,
        "newsletters/archive_detail.html",
        {"edition": edition, "sections": sections, "unsent": unsent},
    )
    if unsent:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response
