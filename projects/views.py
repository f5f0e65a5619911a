"""Front-end views of a project space. Thin: permissions decide, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from network import drafts, once, spreadsheet
from network.models import Municipality
from network.permissions import can_view_profile
from network.ratelimit import hit, retry_after
from network.shortcuts import one_or_404

from . import calendar, following, permissions, services
from .forms import (
    CommentForm,
    EventForm,
    ParticipantForm,
    ProposalForm,
    ReportForm,
    TrialActionForm,
    UpdateForm,
)
from .models import (
    ProjectParticipant,
    TrialAction,
    TrialActionAttachment,
    TrialActionComment,
    TrialActionStatus,
)

# Comments send mail to the log's author: at most 10 a minute per member.
COMMENT_RATE = (10, 60)


def _login_or_403(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _get_log(request, project, pk) -> TrialAction:
    log = one_or_404(
        TrialAction.objects.select_related("project", "municipality", "author", "origin", "event"),
        pk=pk,
        project=project,
    )
    log.project = project  # the specific page we already have
    if not permissions.can_see_log(request.user, log):
        raise Http404
    return log


def trial_action_list(request, project):
    logs = permissions.visible_logs(request.user, project.trial_actions.all())
    status = request.GET.get("status")
    if status in TrialActionStatus.values:
        logs = logs.filter(status=status)
    logs = logs.select_related("municipality", "author").order_by(
        "municipality__sort_name", "-started"
    )
    return TemplateResponse(
        request,
        "projects/trial_action_list.html",
        {
            "page": project,
            "project": project,
            "logs": logs,
            "status": status,
            "statuses": TrialActionStatus.choices,
            "can_create": permissions.can_create_log(request.user, project),
        },
    )


def trial_action_create(request, project, origin_pk=None):
    if not permissions.can_create_log(request.user, project):
        return _login_or_403(request)
    origin = _get_log(request, project, origin_pk) if origin_pk is not None else None
    initial = {"municipality": request.user.municipality_id, "visibility": "participants"}
    if origin:
        initial.update(
            title=origin.title,
            purpose=origin.purpose,
            target_group=origin.target_group,
            work_areas=list(origin.work_areas.values_list("pk", flat=True)),
        )
    if request.method == "GET":
        if draft := _draft(request):
            initial.update(drafts.initial_for(TrialActionForm, draft))
    form = TrialActionForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        user=request.user,
        initial=initial,
    )
    if request.method == "POST" and (made := once.done(request, request.POST.get("once"))):
        messages.info(request, "Prøvehandlingen var allerede gemt. Her er den.")
        return redirect(made)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data.get("once")
        with transaction.atomic():
            if made := once.claim(request, key):
                messages.info(request, "Prøvehandlingen var allerede gemt. Her er den.")
                return redirect(made)
            if origin is not None and not services.still_there(origin):
                # Deleted while this was written: the new log is kept, unlinked.
                messages.warning(
                    request,
                    "Den prøvehandling, I tog op, er slettet imens. "
                    "Jeres er gemt uden kobling til den.",
                )
                origin = None
            log = form.save(commit=False)
            log.project, log.author, log.origin = project, request.user, origin
            log.save()
            form.save_m2m()
            _save_attachment(form, log, request.user)
            following.log_created(log)
            once.remember(request, key, log.get_absolute_url())
        messages.success(request, "Prøvehandlingen er gemt.")
        return redirect(log.get_absolute_url())
    heading = "Vi prøver også" if origin else "Ny prøvehandling"
    return _log_form(request, project, form, heading, origin=origin)


def trial_action_edit(request, project, pk):
    log = _get_log(request, project, pk)
    if not permissions.can_edit_log(request.user, log):
        return _login_or_403(request)
    form = TrialActionForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        user=request.user,
        instance=log,
        initial=_draft_initial(request),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            current = TrialAction.objects.select_for_update().filter(pk=log.pk).first()
            if current is None:  # deleted while this was being edited
                return _gone(request, project, "Dine ændringer", _texts_of(form))
            status_before = current.status
            conflicts, taken = form.merge(current)
            if not conflicts:
                saved = form.save()
                services.record_status_change(saved, status_before, request.user)
            _save_attachment(form, log, request.user)  # a file adds; it never conflicts
        if not conflicts:
            messages.success(
                request,
                "Ændringerne er gemt. En anden havde gemt ændringer i andre felter imens; "
                "de er bevaret."
                if taken
                else "Ændringerne er gemt.",
            )
            return redirect(log.get_absolute_url())
        # Both changed the same field: nothing is saved, this member's text stays in
        # the form, and what is saved now is shown beside it.
        current.project = project
        conflict = {
            "at": current.updated_at,
            "fields": form.saved_values(current, conflicts),
            "attachment": form.cleaned_data.get("attachment"),
        }
        form = TrialActionForm(
            form.conflict_data(current, taken), project=project, user=request.user, instance=current
        )
    return _log_form(request, project, form, f"Redigér »{log.title}«", log=log, conflict=conflict)


def _draft(request, action_suffix: str = "") -> dict | None:
    """What this member posted to this page's form after their session had ended
    (network.drafts), with a word that it is not saved yet."""
    draft = drafts.take(request, action_suffix)
    if draft:
        messages.warning(
            request,
            "Din tekst er sat ind igen, men den er ikke gemt endnu. Tryk på knappen for at gemme.",
        )
    return draft


def _draft_initial(request) -> dict | None:
    draft = _draft(request) if request.method == "GET" else None
    return drafts.initial_for(TrialActionForm, draft) if draft else None


def _log_form(request, project, form, heading, **context):
    """The log form page, for creating and for editing. A file chosen with a form that
    had errors is not kept (a browser cannot be handed one back): the page says so."""
    upload = request.FILES.get("attachment")
    if upload and form.is_bound and form.errors and "attachment" not in form.errors:
        context.setdefault("file_again", upload.name)
    return TemplateResponse(
        request,
        "projects/trial_action_form.html",
        {"page": project, "project": project, "form": form, "heading": heading, **context},
    )


def _save_attachment(form, log, user):
    services.save_attachment(log, user, form.cleaned_data.get("attachment"))


def trial_action_detail(request, project, pk, comment_form=None, update_form=None):
    log = _get_log(request, project, pk)
    user = request.user
    if request.method == "GET" and comment_form is None and update_form is None:
        if draft := _draft(request, "/kommentar/"):
            comment_form = CommentForm(initial=drafts.initial_for(CommentForm, draft))
        elif draft := _draft(request, "/opdatering/"):
            update_form = UpdateForm(initial=drafts.initial_for(UpdateForm, draft))
    following.mark_read(user, log.get_absolute_url())
    can_hide = permissions.can_hide_comment(user, project)
    comments = permissions.visible_comments(user, project, log.comments.select_related("author"))
    pickups = permissions.visible_logs(user, log.pickups.all()).select_related("municipality")
    attachments = list(log.attachments.all())
    updates = list(log.updates.select_related("author").prefetch_related("attachments"))
    on_updates = [a for u in updates for a in u.attachments.all()]
    for item in [*attachments, *on_updates, *comments]:
        item.trial_action = log  # for the permission checks and links, without a query each
    comments = list(comments)
    return TemplateResponse(
        request,
        "projects/trial_action_detail.html",
        {
            "page": project,
            "project": project,
            "log": log,
            "updates": updates,
            "comments": comments,
            "pickups": pickups,
            # The log it was picked up from, if the reader may see it: its title and
            # municipality are the other log's (an outside attacker read a renamed
            # participants-only log's title here).
            "origin": log.origin
            if log.origin and permissions.can_see_log(user, log.origin)
            else None,
            "attachments": attachments,
            "deletable_attachments": {
                a.pk for a in attachments if permissions.can_delete_attachment(user, a)
            },
            "deletable_comments": {
                c.pk for c in comments if permissions.can_delete_comment(user, c)
            },
            "audience": permissions.audience(log),
            "can_edit": permissions.can_edit_log(user, log),
            "can_delete": permissions.can_delete_log(user, log),
            "can_comment": permissions.can_comment(user, log),
            "can_hide": can_hide,
            "can_pick_up": permissions.can_create_log(user, project),
            "can_propose": permissions.can_propose_experience(user, log),
            "comment_form": comment_form or CommentForm(),
            "update_form": update_form or UpdateForm(),
            # The form sent back with errors, if any: the page's title says "Fejl:".
            "form": next((f for f in (comment_form, update_form) if f and f.errors), None),
            # A message about the timeline or the comments is shown in its section,
            # where the page lands (#tidslinje, #kommentarer), not above the log.
            "message_sections": ("tidslinje", "kommentarer"),
        },
    )


def trial_action_add_update(request, project, pk):
    log = _get_log(request, project, pk)
    if request.method != "POST":  # the form's address, opened or bookmarked: its section
        return redirect(log.get_absolute_url() + "#tidslinje")
    if not permissions.can_edit_log(request.user, log):
        return _login_or_403(request)
    target = log.get_absolute_url() + "#tidslinje"
    if once.done(request, request.POST.get("once")):
        messages.info(request, "Opdateringen var allerede tilføjet.", extra_tags="tidslinje")
        return redirect(target)
    form = UpdateForm(request.POST, request.FILES)
    if not form.is_valid():
        upload = request.FILES.get("attachment")
        if upload and "attachment" not in form.errors:  # a browser cannot be handed it back
            form.file_again = upload.name
        return trial_action_detail(request, project, pk, update_form=form)
    key = form.cleaned_data.get("once")
    with transaction.atomic():
        if not services.still_there(log):
            return _gone(request, project, "Din opdatering", form.cleaned_data["text"])
        if once.claim(request, key):
            messages.info(request, "Opdateringen var allerede tilføjet.", extra_tags="tidslinje")
            return redirect(target)
        services.add_update(
            log, request.user, form.cleaned_data["text"], form.cleaned_data.get("attachment")
        )
        once.remember(request, key, target)
    messages.success(
        request,
        f"Opdateringen og filen »{upload.name[:200]}« er tilføjet tidslinjen."
        if (upload := form.cleaned_data.get("attachment"))
        else "Opdateringen er tilføjet tidslinjen.",
        extra_tags="tidslinje",
    )
    return redirect(target)


def trial_action_add_comment(request, project, pk):
    log = _get_log(request, project, pk)
    if request.method != "POST":
        return redirect(log.get_absolute_url() + "#kommentarer")
    if not permissions.can_comment(request.user, log):
        return _login_or_403(request)
    target = log.get_absolute_url() + "#kommentarer"
    if once.done(request, request.POST.get("once")):
        messages.info(request, "Kommentaren var allerede sendt.", extra_tags="kommentarer")
        return redirect(target)
    form = CommentForm(request.POST)
    limited = not hit("comments", request.user.pk, *COMMENT_RATE, fail_open=True)
    if not form.is_valid() or limited:
        if limited:
            form.add_error(
                None,
                "Du har skrevet mange kommentarer på kort tid. Vent lidt, "
                "og prøv igen – din tekst står stadig i feltet.",
            )
        response = trial_action_detail(request, project, pk, comment_form=form)
        if limited:
            response.status_code = 429
            response["Retry-After"] = str(retry_after("comments", request.user.pk, COMMENT_RATE[1]))
        return response
    key = form.cleaned_data.get("once")
    with transaction.atomic():
        if not services.still_there(log):
            return _gone(request, project, "Din kommentar", form.cleaned_data["text"])
        if once.claim(request, key):
            messages.info(request, "Kommentaren var allerede sendt.", extra_tags="kommentarer")
            return redirect(target)
        services.add_comment(log, request.user, form.cleaned_data["text"])
        once.remember(request, key, target)
    messages.success(request, "Din kommentar er gemt.", extra_tags="kommentarer")
    return redirect(target)


def _texts_of(form) -> str:
    """A log form's written fields, labelled, to give back."""
    return "\n\n".join(
        f"{form.fields[name].label}: {value}"
        for name, value in form.cleaned_data.items()
        if isinstance(value, str) and value.strip() and name != "once"
    )


def _gone(request, project, what: str, text: str) -> TemplateResponse:
    """The log was deleted while the member wrote: say so, and give their text back to
    copy (it has nowhere to go, and must not be lost without a word)."""
    return TemplateResponse(
        request,
        "projects/log_gone.html",
        {"page": project, "project": project, "what": what, "text": text},
        status=410,
    )


def _confirm(request, project, **context) -> TemplateResponse:
    """The step before an action that cannot simply be undone: what will happen, a
    button that does it (a POST with `confirmed`) and a way back. No JavaScript."""
    return TemplateResponse(
        request,
        "projects/confirm.html",
        {"page": project, "project": project, "action": request.path, **context},
    )


def trial_action_propose(request, project, pk):
    log = _get_log(request, project, pk)
    if not permissions.can_propose_experience(request.user, log):
        return _login_or_403(request)
    if log.proposed_as_experience_at:
        messages.info(request, "Prøvehandlingen er allerede foreslået som erfaringsartikel.")
        return redirect(log.get_absolute_url())
    form = ProposalForm(request.POST if request.POST.get("confirmed") else None)
    if request.method == "POST" and form.is_valid():
        services.propose_experience(log, request.user, note=form.cleaned_data["note"])
        messages.success(request, "Tak! Redaktionen har fået et udkast til en artikel.")
        return redirect(log.get_absolute_url())
    return _confirm(
        request,
        project,
        heading="Foreslå som erfaringsartikel",
        title=f"Foreslå »{log.title}« som erfaringsartikel",  # the page's title: which log
        question=f"Vil du foreslå »{log.title}« som erfaringsartikel?",
        consequence=(
            "Redaktionen får et udkast lavet af prøvehandlingen og en mail. De retter det "
            "til og udgiver det; intet bliver offentligt, før de gør det."
        ),
        form=form,
        confirm_label="Send forslaget",
        cancel_url=log.get_absolute_url(),
    )


def _get_comment(request, project, pk) -> TrialActionComment:
    comment = one_or_404(
        TrialActionComment.objects.select_related("trial_action"),
        pk=pk,
        trial_action__project=project,
    )
    comment.trial_action.project = project
    if not permissions.can_see_comment(request.user, comment):
        raise Http404
    return comment


@require_POST
def comment_hide(request, project, pk):
    comment = _get_comment(request, project, pk)
    if not permissions.can_hide_comment(request.user, project):
        return _login_or_403(request)
    hide = request.POST.get("action") != "show"
    if hide and not request.POST.get("confirmed"):
        return _confirm(
            request,
            project,
            heading="Skjul kommentar",
            question="Vil du skjule denne kommentar?",
            quote=comment.text,
            consequence=(
                "Bagefter kan kun den, der skrev den, og projektets koordinatorer se den, "
                "og koordinatorerne kan vise den igen."
            ),
            hidden=[("action", "hide")],
            confirm_label="Skjul kommentaren",
            cancel_url=comment.trial_action.get_absolute_url() + "#kommentarer",
        )
    services.hide_comment(comment, request.user, hidden=hide)
    messages.success(request, "Kommentaren er skjult." if hide else "Kommentaren vises igen.")
    return redirect(comment.trial_action.get_absolute_url() + "#kommentarer")


def comment_report(request, project, pk):
    comment = _get_comment(request, project, pk)
    if not permissions.can_comment(request.user, comment.trial_action):
        return _login_or_403(request)
    if comment.author_id == request.user.pk:
        raise Http404  # one's own words are deleted, not reported
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_comment(comment, request.user, form.cleaned_data["reason"])
        messages.success(request, "Tak. Koordinatoren kigger på kommentaren.")
        return redirect(comment.trial_action.get_absolute_url() + "#kommentarer")
    return TemplateResponse(
        request,
        "projects/comment_report.html",
        {
            "page": project,
            "project": project,
            "comment": comment,
            "form": form,
        },
    )


def attachment_download(request, project, pk):
    attachment = one_or_404(
        TrialActionAttachment.objects.select_related("trial_action"),
        pk=pk,
        trial_action__project=project,
    )
    attachment.trial_action.project = project
    if not permissions.can_see_log(request.user, attachment.trial_action):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_delete(request, project, pk):
    attachment = one_or_404(
        TrialActionAttachment.objects.select_related("trial_action"),
        pk=pk,
        trial_action__project=project,
    )
    log = attachment.trial_action
    log.project = project
    if not permissions.can_see_log(request.user, log):
        raise Http404
    if not permissions.can_delete_attachment(request.user, attachment):
        return _login_or_403(request)
    if request.method == "POST" and request.POST.get("confirmed"):
        services.delete_attachment(attachment)
        messages.success(request, f"Filen »{attachment.name}« er slettet.")
        return redirect(log.get_absolute_url())
    return _confirm(
        request,
        project,
        heading="Slet fil",
        question=f"Vil du slette »{attachment.name}« fra »{log.title}«?",
        consequence="Filen slettes helt. Ingen kan hente den bagefter, heller ikke dig.",
        confirm_label="Slet filen",
        cancel_url=log.get_absolute_url(),
    )


def trial_action_delete(request, project, pk):
    log = _get_log(request, project, pk)
    if not permissions.may_delete_own_log(request.user, log):
        return _login_or_403(request)
    others_wrote = "Andre har skrevet i prøvehandlingen, så den kan ikke slettes her: deres "
    others_wrote += "kommentarer og opdateringer ville forsvinde med den. Bed projektets "
    others_wrote += "koordinator om hjælp."
    if not permissions.can_delete_log(request.user, log):
        messages.warning(request, others_wrote)
        return redirect(log.get_absolute_url())
    if request.method == "POST" and request.POST.get("confirmed"):
        deleted = services.delete_log(log)
        if deleted is False:  # someone commented since the page was shown
            messages.warning(request, others_wrote)
            return redirect(log.get_absolute_url())
        if deleted is None:
            messages.info(request, f"Prøvehandlingen »{log.title}« var allerede slettet.")
            return redirect(project.url + "proevehandlinger/")
        messages.success(request, f"Prøvehandlingen »{log.title}« er slettet.")
        return redirect(project.url + "proevehandlinger/")
    return _confirm(
        request,
        project,
        heading="Slet prøvehandling",
        question=f"Vil du slette »{log.title}«?",
        consequence="Den slettes helt med sin tidslinje og sine filer og kan ikke hentes "
        "igen. Prøvehandlinger, der er inspireret af den, beholder deres egen tekst."
        + (
            " Det udkast til en erfaringsartikel, du har foreslået ud fra den, bliver hos "
            "redaktionen."
            if log.proposed_as_experience_at
            else ""
        ),
        confirm_label="Slet prøvehandlingen",
        cancel_url=log.get_absolute_url(),
    )


def comment_delete(request, project, pk):
    comment = _get_comment(request, project, pk)
    if not permissions.can_delete_comment(request.user, comment):
        return _login_or_403(request)
    back = comment.trial_action.get_absolute_url() + "#kommentarer"
    if request.method == "POST" and request.POST.get("confirmed"):
        services.delete_comment(comment)
        messages.success(request, "Din kommentar er slettet.")
        return redirect(back)
    return _confirm(
        request,
        project,
        heading="Slet kommentar",
        question="Vil du slette din kommentar?",
        quote=comment.text,
        consequence="Den forsvinder for alle og kan ikke hentes igen.",
        confirm_label="Slet kommentaren",
        cancel_url=back,
    )


def participants(request, project):
    if not permissions.can_see_participants(request.user, project):
        return _login_or_403(request)
    manage = permissions.can_manage_participants(request.user, project)
    if request.method == "POST" and not manage:
        raise PermissionDenied
    if not manage:
        return _participant_list(request, project)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and ("resend" in request.POST or "cancel" in request.POST):
        return _invitation_action(request, project)
    if request.method == "POST" and "remove" in request.POST:
        row = (
            ProjectParticipant.objects.select_related("user")
            .filter(project=project, pk=_int(request.POST.get("remove")))
            .first()
        )
        if row is None:
            # Removed meanwhile (by another coordinator, or in another tab), or not one
            # of this project's: say so rather than reload the page without a word.
            messages.warning(request, "Deltageren findes ikke i projektet (længere).")
            return redirect(request.path)
        if not request.POST.get("confirmed"):
            yourself = row.user_id == request.user.pk
            return _confirm(
                request,
                project,
                heading="Fjern deltager",
                question=(
                    "Vil du fjerne dig selv fra projektet?"
                    if yourself
                    else f"Vil du fjerne {row.user.name} fra projektet?"
                ),
                consequence=(
                    "Du mister adgangen til projektets indhold, der kun er for deltagere, "
                    "og kan kun komme med igen, hvis en koordinator tilføjer dig."
                    if yourself
                    else "Personen mister adgangen til projektets indhold, der kun er for "
                    "deltagere. Det, personen har skrevet, bliver i projektet."
                ),
                hidden=[("remove", row.pk)],
                confirm_label="Fjern mig" if yourself else "Fjern deltageren",
                cancel_url=request.path,
            )
        if services.remove_participant(project, row.pk):
            messages.success(request, "Deltageren er fjernet fra projektet.")
        else:
            messages.warning(request, "Deltageren var allerede fjernet fra projektet.")
        if row.user_id == request.user.pk:
            return redirect(project.url)
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        outcome = services.add_participant(
            project, form.cleaned_data["email"], form.cleaned_data["role"], request.user
        )
        messages.success(
            request,
            {
                "added": "Medlemmet er tilføjet projektet og har fået besked.",
                "already": "Personen er allerede med i projektet.",
                "invited": "Personen er ikke medlem endnu og har fået en invitation på mail.",
                "already_invited": (
                    "Personen er allerede inviteret. Brug »Send igen« ved invitationen, "
                    "hvis mailen skal sendes en gang til."
                ),
            }[outcome],
        )
        if outcome == "added":
            _say_where_they_count(request, project, form.cleaned_data["email"])
        return redirect(request.path)
    return TemplateResponse(
        request,
        "projects/participants.html",
        {
            "page": project,
            "project": project,
            "form": form,
            "manage": True,
            "participants": _participant_rows(request, project),
            "invitations": project.invitations.filter(accepted_at__isnull=True),
        },
    )


def _say_where_they_count(request, project, email: str) -> None:
    """The dashboard counts a participant under their profile's municipality: tell the
    coordinator when that adds a municipality or counts them nowhere."""
    member = services.active_member(email)
    if member is None:
        return
    if member.municipality is None:
        messages.info(
            request,
            f"{member.name} har ingen kommune på sin profil og tælles derfor ikke under "
            "kommunerne i overblikket.",
        )
    elif services.outside_municipalities(project, member):
        name = member.municipality.name
        messages.warning(
            request,
            f"{name} er ikke blandt projektets kommuner. Overblikket tæller nu {name} med, "
            "markeret »uden for projektets kommuner«. Skal kommunen være med i projektet, "
            "kan en redaktør tilføje den på projektsiden.",
        )


def _participant_rows(request, project) -> list:
    """Who takes part, with whether the viewer may open each profile and whether the
    person's municipality is outside the project's own (the dashboard marks it so)."""
    own = set(Municipality.objects.filter(projects=project).values_list("pk", flat=True))
    rows = list(
        project.participants.select_related("user", "user__municipality").order_by(
            "role", "user__first_name", "user__last_name"
        )
    )
    for row in rows:
        row.profile_visible = can_view_profile(request.user, row.user)
        row.outside = row.user.municipality_id is not None and row.user.municipality_id not in own
    return rows


def _participant_list(request, project):
    """The list as participants see it: who takes part, from where, linked to the
    profiles they may see; no addresses, invitations or buttons."""
    return TemplateResponse(
        request,
        "projects/participants.html",
        {
            "page": project,
            "project": project,
            "participants": _participant_rows(request, project),
            "manage": False,
        },
    )


def _invitation_action(request, project):
    """Send an open invitation again, or withdraw it (after a confirmation)."""
    resend = "resend" in request.POST
    invitation = services.open_invitation(
        project, _int(request.POST.get("resend" if resend else "cancel"))
    )
    if invitation is None:
        messages.info(request, "Invitationen findes ikke længere; måske er den taget imod.")
        return redirect(request.path)
    if resend:
        services.resend_invitation(invitation, request.user)
        messages.success(request, f"Invitationen er sendt igen til {invitation.email}.")
        return redirect(request.path)
    if not request.POST.get("confirmed"):
        return _confirm(
            request,
            project,
            heading="Træk invitation tilbage",
            question=f"Vil du trække invitationen til {invitation.email} tilbage?",
            consequence="Linket i mailen virker stadig til at oprette en konto, men personen "
            "bliver ikke deltager i projektet. Du kan invitere igen senere.",
            hidden=[("cancel", invitation.pk)],
            confirm_label="Træk invitationen tilbage",
            cancel_url=request.path,
        )
    services.cancel_invitation(invitation)
    messages.success(request, f"Invitationen til {invitation.email} er trukket tilbage.")
    return redirect(request.path)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def project_calendar(request, project):
    # A subscribable feed (fetched without a login, easily shared): never meeting links.
    events = project.get_children().live().type(_event_model()).specific()
    return _ics_response(calendar.build(project.title, events, request), f"{project.slug}.ics")


def event_form(request, project, event=None):
    """`…/arrangementer/ny/` and `<event>/rediger/`: a coordinator (or editor) sets up or
    changes an event of the project on the site."""
    if not permissions.can_manage_events(request.user, project):
        return _login_or_403(request)
    form = EventForm(request.POST or None, event=event, project=project)
    if request.method == "POST" and (made := once.done(request, request.POST.get("once"))):
        return redirect(made)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data.get("once")
        with transaction.atomic():
            if made := once.claim(request, key):
                return redirect(made)
            fields = {name: form.cleaned_data.get(name) for name in EventForm.FIELDS}
            saved = services.save_event(project, request.user, fields, event)
            once.remember(request, key, saved.url)
        messages.success(
            request, "Arrangementet er gemt." if event else "Arrangementet er lagt i programmet."
        )
        return redirect(saved.url)
    heading = f"Ret »{event.title}«" if event else "Nyt arrangement"
    return TemplateResponse(
        request,
        "projects/event_form.html",
        {"page": project, "project": project, "event": event, "form": form, "heading": heading},
    )


def member_calendar(request, token):
    """A member's subscription to a project that is not public (`kalender/<token>/`):
    the project's calendar as its public one, no meeting links, while the member may
    still see the project."""
    from .models import ProjectPage

    reader = calendar.subscription_reader(token)
    if reader is None:
        raise Http404
    project_id, user = reader
    project = ProjectPage.objects.live().filter(pk=project_id).first()
    if project is None or not permissions.can_see_project(user, project):
        raise Http404
    return project_calendar(request, project)


def _event_model():
    from .models import EventPage

    return EventPage


# -- events -----------------------------------------------------------------------


def event_sign_up(request, event):
    if request.method != "POST":
        return redirect(event.url)
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    if not permissions.can_sign_up(request.user, event):
        raise PermissionDenied
    registration = services.sign_up(event, request.user)
    messages.success(
        request,
        # The box on the page says "Du er tilmeldt."; the message says what follows.
        "Tak for din tilmelding. Du får en bekræftelse på mail med arrangementet til din kalender."
        if registration.status == "registered"
        else "Arrangementet er fuldt. Du er skrevet på ventelisten.",
    )
    return redirect(event.url)


def event_cancel(request, event):
    if request.method != "POST":
        return redirect(event.url)
    if not request.user.is_authenticated:
        return redirect_to_login(event.url)
    services.cancel(event, request.user)
    messages.success(request, "Du er afmeldt.")
    return redirect(event.url)


def event_attendees_csv(request, event):
    if not permissions.can_see_attendees(request.user, event.project):
        return _login_or_403(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deltagere-{event.slug}.csv"'
    # A member's name and job title are their own text: see network.spreadsheet.
    writer = spreadsheet.Writer(response)
    writer.writerow(["Navn", "E-mail", "Kommune", "Stilling", "Status", "Tilmeldt"])
    for r in event.registrations.exclude(status="cancelled").select_related(
        "user", "user__municipality"
    ):
        writer.writerow(
            [
                r.user.name,
                r.user.email,
                r.user.municipality.name if r.user.municipality else "",
                r.user.job_title,
                r.get_status_display(),
                timezone.localtime(r.signed_up_at).strftime("%d.%m.%Y %H:%M"),
            ]
        )
    return response


def event_ics(request, event):
    # The meeting link only in the .ics of someone who may see it (never the feed).
    meeting_link = permissions.can_see_meeting_link(request.user, event)
    response = _ics_response(
        calendar.build(event.title, [event], request, meeting_link=meeting_link),
        f"{event.slug}.ics",
    )
    if meeting_link:
        response["Cache-Control"] = "private, no-store"
    return response


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- helpers for the project page (get_context) -------------------------------------


def municipality_status_table(user, project):
    """Per municipality: how many logs in each status (only logs the user may see)."""
    rows = (
        permissions.visible_logs(user, project.trial_actions.all())
        .values("municipality__name", "municipality__slug", "status")
        .annotate(n=Count("pk"))
        .order_by("municipality__sort_name")
    )
    table: dict[str, dict] = {}
    for row in rows:
        entry = table.setdefault(
            row["municipality__name"],
            {
                "name": row["municipality__name"],
                "slug": row["municipality__slug"],
                "total": 0,
                **{s: 0 for s in TrialActionStatus.values},
            },
        )
        entry[row["status"]] += row["n"]
        entry["total"] += row["n"]
    return list(table.values())
