"""The page editor refuses to publish an experience article without a work area (the
field is required, deferred for drafts); the admin's bulk *Udgiv* publishes the latest
revision without the form, so it is refused here the same way."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail import hooks

from .models import ExperiencePage


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_articles_without_a_work_area(request, action_type, objects, action):
    if action_type != "publish" or request.method != "POST":
        return None
    pages = [page.specific for page in objects]
    if request.POST.get("include_descendants"):
        for page in list(pages):
            pages += list(page.get_descendants().not_live().specific())
    missing = [
        page.title
        for page in pages
        if isinstance(page, ExperiencePage) and not _work_areas_of_what_would_be_published(page)
    ]
    if not missing:
        return None
    names = ", ".join(f"»{title}«" for title in missing)
    messages.error(
        request,
        f"Intet er udgivet: {names} har intet arbejdsområde. Vælg mindst ét på siden "
        "(det afgør, hvilke nyhedsbreve artiklen kommer med i), og udgiv så igen.",
    )
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "wagtailadmin_explore_root"
    return redirect(back or "wagtailadmin_explore_root")


def _work_areas_of_what_would_be_published(page: ExperiencePage):
    revision = page.get_latest_revision()
    version = revision.as_object() if revision else page
    return list(version.work_areas.all())
