"""What a page needs before an editor publishes it, asked where Wagtail publishes a
revision without the page editor's form.

A page type may define `publish_blockers() -> list[str]`: Danish reasons, empty when it
may go live (experiences: a work area). The page editor's form already requires the
same fields; two other admin paths publish the latest revision without the form:

- the bulk *Udgiv* of the page listing (`before_bulk_action`, in wagtail_hooks below);
- a workflow's *Godkend* from the dashboard or the moderation list
  (`WorkflowApprovalMiddleware`: the approve view calls the task directly).

Either is refused with the pages named, and nothing is published.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def blockers(page) -> list[str]:
    """The reasons the page's latest revision may not be published, if its type has any."""
    page = page.specific
    if not hasattr(page, "publish_blockers"):
        return []
    revision = page.get_latest_revision()
    version = revision.as_object() if revision else page
    return version.publish_blockers()


def refusal(pages_and_reasons) -> str:
    named = "; ".join(f"»{title}« har {', '.join(reasons)}" for title, reasons in pages_and_reasons)
    return f"Intet er udgivet: {named}. Ret det på siden, og udgiv så igen."


def before_bulk_publish(request, action_type, objects, action):
    if action_type != "publish" or request.method != "POST":
        return None
    pages = [page.specific for page in objects]
    if request.POST.get("include_descendants"):
        for page in list(pages):
            pages += list(page.get_descendants().not_live().specific())
    found = [
        (page.get_admin_display_title(), reasons) for page in pages if (reasons := blockers(page))
    ]
    if not found:
        return None
    messages.error(request, refusal(found))
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    return redirect(back or "wagtailadmin_explore_root")


class WorkflowApprovalMiddleware:
    """Wagtail's approve view (`/admin/pages/workflow/action/<page>/approve/<task>/`)
    publishes the latest revision at the workflow's last step: a draft saved while the
    page waited for approval is what goes live, with no form in between."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or view_kwargs.get("action_name") != "approve":
            return None
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name != "wagtailadmin_pages:workflow_action":
            return None
        from wagtail.models import Page

        page = Page.objects.filter(pk=view_kwargs.get("page_id")).first()
        if page is None or not (reasons := blockers(page)):
            return None
        messages.error(request, refusal([(page.get_admin_display_title(), reasons)]))
        edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The approve dialog follows `redirect` on success; the message waits there.
            return JsonResponse({"step": "success", "redirect": edit})
        return redirect(edit)
