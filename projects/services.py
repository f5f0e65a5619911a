"""Writes with side effects in a project space: sign-ups and the waiting list,
participants and invitations, logs, comments and the mails they send."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from network.mail import queue_mail
from network.models import Municipality

from . import permissions, signals
from .models import (
    CommentReport,
    EventPage,
    EventRegistration,
    ProjectInvitation,
    ProjectPage,
    ProjectParticipant,
    ProjectRole,
    RegistrationStatus,
    TrialAction,
    TrialActionAttachment,
    TrialActionComment,
    TrialActionStatus,
    TrialActionUpdate,
)

logger = logging.getLogger(__name__)
User = get_user_model()


def _mail(subject, template, context, to):
    queue_mail(subject, template, context, to)


# -- events --------------------------------------------------------------------------
# Mails about a registration carry the event's .ics (projects.tasks); the meeting link
# of an online event goes only to those with a seat.


def _registration_mail(registration_id: int, kind: str) -> None:
    from .tasks import send_registration_mail

    send_registration_mail.enqueue(registration_id, kind)


@transaction.atomic
def sign_up(event: EventPage, user) -> EventRegistration:
    """Register, or put on the waiting list when the event is full; confirm by mail."""
    # Lock the event row so two last-seat sign-ups cannot both get it.
    EventPage.objects.select_for_update().filter(pk=event.pk).first()
    registration, _ = EventRegistration.objects.get_or_create(
        event=event, user=user, defaults={"status": RegistrationStatus.CANCELLED}
    )
    if registration.status != RegistrationStatus.CANCELLED:
        return registration
    taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    full = event.capacity is not None and taken >= event.capacity
    registration.status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    registration.signed_up_at = timezone.now()
    _confirmation_is_reminder(registration)
    registration.save()
    _registration_mail(registration.pk, registration.status)
    return registration


@transaction.atomic
def cancel(event: EventPage, user) -> EventRegistration | None:
    """Cancel; the first on the waiting list moves up and is told by mail."""
    EventPage.objects.select_for_update().filter(pk=event.pk).first()
    registration = event.registrations.filter(user=user).first()
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return registration
    had_seat = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save()
    if had_seat and event.is_upcoming():
        # The event went into their calendar with the sign-up's .ics: one that cancels
        # it takes it out again (an outside walk found it left there). The freed seat
        # goes to the first in the queue.
        from . import calendar

        queue_mail(
            f"Du er afmeldt: {event.title}",
            "projects/mail/registration_cancelled.txt",
            {
                "name": user.first_name,
                "event_title": event.title,
                "starts_at": danish_time(event.starts_at),
                "url": event.url,
            },
            [user.email],
            files=[(f"{event.slug}.ics", calendar.build_cancellation(event), "text/calendar")],
        )
        fill_freed_seats(event)
    return registration


@transaction.atomic
def fill_freed_seats(event: EventPage) -> int:
    """Seats freed (a cancellation) or added (a higher capacity, or none at all): the
    waiting list moves up in turn, each told by mail, before anyone new can take a seat
    (an outside walk saw a newcomer take the seat ahead of the queue). Returns how
    many moved up."""
    if not event.live or not event.is_upcoming():
        return 0
    # The event's row, locked, as it is now (the capacity just published).
    capacity = (
        EventPage.objects.select_for_update()
        .filter(pk=event.pk)
        .values_list("capacity", flat=True)
        .first()
    )
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED)
    if capacity is not None:
        taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        waiting = waiting[: max(capacity - taken, 0)]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        _confirmation_is_reminder(registration)
        registration.save()
        _registration_mail(registration.pk, "promoted")
    return len(promoted)


def reminder_window(now=None) -> tuple:
    """Events to remind about: starting after `now` and no later than the end of
    tomorrow, Copenhagen time. Run daily (or hourly), each attendee is reminded the
    day before; someone who signed up after that run is reminded on the day."""
    now = now or timezone.now()
    copenhagen = timezone.get_default_timezone()
    tomorrow = timezone.localtime(now, copenhagen).date() + timedelta(days=1)
    end = datetime.combine(tomorrow + timedelta(days=1), time.min)
    return now, timezone.make_aware(end, copenhagen)


def _confirmation_is_reminder(registration: EventRegistration) -> None:
    """A seat taken when the reminder would already be due: the confirmation (time,
    place, link, .ics) is the reminder, so the next run sends no second mail."""
    if (
        registration.status == RegistrationStatus.REGISTERED
        and registration.reminded_at is None
        and registration.event.starts_at < reminder_window()[1]
    ):
        registration.reminded_at = timezone.now()


def send_event_reminders(now=None) -> int:
    """Remind registered attendees of events starting soon (see reminder_window).

    Idempotent: each registration is reminded once (`reminded_at`); claiming it with a
    conditional update keeps two overlapping runs from both sending. Returns how many
    reminders were queued.
    """
    start, end = reminder_window(now)
    candidates = EventRegistration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        event__live=True,
        event__starts_at__gt=start,
        event__starts_at__lt=end,
        user__is_active=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            claimed = EventRegistration.objects.filter(pk=pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if claimed:
                _registration_mail(pk, "reminder")
                sent += 1
    return sent


# What an attendee has in their calendar: a change to any of these is told.
_CALENDAR_FIELDS = ("starts_at", "ends_at", "location", "online_url")


def notify_changed_event(event: EventPage) -> int:
    """After a publication that moved an upcoming event (time, place, meeting link),
    mail each registered attendee the change with an .ics that updates their calendar
    (a higher SEQUENCE, the same UID), and those waiting the new facts, no .ics. The
    admin and the coordinators' form alike: compared with the version published before
    this one. Returns the mails queued."""
    from wagtail.models import PageLogEntry

    if not event.live or not event.is_upcoming():
        return 0
    # The log entry of this publication is written after page_published: the latest
    # entry of another revision is the version published before.
    published = PageLogEntry.objects.filter(page=event, action="wagtail.publish").exclude(
        revision=None
    )
    previous = (
        published.exclude(revision_id=event.live_revision_id).order_by("-timestamp", "-pk").first()
    )
    if previous is None:
        return 0
    before = previous.revision.as_object()
    if all(getattr(before, name) == getattr(event, name) for name in _CALENDAR_FIELDS):
        return 0
    told = 0
    for status, kind in (
        (RegistrationStatus.REGISTERED, "changed"),
        (RegistrationStatus.WAITLISTED, "changed_waitlisted"),
    ):
        for registration_id in event.registrations.filter(
            status=status, user__is_active=True
        ).values_list("pk", flat=True):
            _registration_mail(registration_id, kind)
            told += 1
    return told


@transaction.atomic
def notify_new_material(event: EventPage) -> int:
    """After an event has ended, tell its registered attendees once about material
    (documents) they have not been told about. Material that was there before the end
    is recorded without a mail. Returns the number of mails queued."""
    from .materials import openable
    from .models.events import EventMaterial, EventMaterialNotice
    from .permissions import can_see_event

    EventPage.objects.select_for_update().filter(pk=event.pk).first()
    materials = EventMaterial.objects.filter(event=event).select_related("document")
    known = set(event.material_notices.values_list("document_id", flat=True))
    new = []
    for material in materials.order_by("sort_order", "pk"):
        if material.document_id not in known:
            known.add(material.document_id)
            new.append(material)
    if not new:
        return 0
    ended = event.live and not event.is_upcoming()
    EventMaterialNotice.objects.bulk_create(
        [EventMaterialNotice(event=event, document=m.document, mailed=ended) for m in new],
        ignore_conflicts=True,
    )
    if not ended:
        return 0
    attendees = event.registrations.filter(
        status=RegistrationStatus.REGISTERED, user__is_active=True
    ).select_related("user")
    sent = 0
    for registration in attendees:
        if not can_see_event(registration.user, event):
            continue
        # Only what this attendee may open (material of a project they cannot see is
        # 404 for them, and its title is not theirs to read).
        theirs = openable(registration.user, new)
        if not theirs:
            continue
        _mail(
            f"Materialet er lagt op: {event.title}",
            "projects/mail/event_material.txt",
            {
                "event_title": event.title,
                "url": event.url,
                "materials": [m.label for m in theirs],
                "recording_url": event.recording_url,
            },
            [registration.user.email],
        )
        sent += 1
    return sent


def event_cancellations(page) -> list[dict]:
    """The mails to send when `page` is deleted: one to each person signed up or on
    the waiting list for an upcoming event that goes with it (the event itself, or the
    events of a project). Collected before the delete (the sign-ups go with the page)
    and sent after it (`send_event_cancellations`)."""
    events = EventPage.objects.descendant_of(page, inclusive=True).filter(
        starts_at__gt=timezone.now()
    )
    registrations = (
        EventRegistration.objects.filter(event__in=events)
        .exclude(status=RegistrationStatus.CANCELLED)
        .filter(user__is_active=True)
        .select_related("user", "event")
    )
    from . import calendar

    mails, cancelled = [], {}
    for registration in registrations:
        event = registration.event
        if event.pk not in cancelled:
            cancelled[event.pk] = calendar.build_cancellation(event)
        project = event.get_parent()
        if project is not None and project.path.startswith(page.path):
            # The project goes too: point at the projects' list instead.
            project = project.get_parent()
        mails.append(
            {
                "subject": f"Aflyst: {event.title}",
                "template": "projects/mail/event_cancelled.txt",
                "context": {
                    "name": registration.user.get_full_name(),
                    "event_title": event.title,
                    "starts_at": danish_time(event.starts_at),
                    "waitlisted": registration.status == RegistrationStatus.WAITLISTED,
                    "project_url": project.url if project else "",
                },
                "to": [registration.user.email],
                "files": [(f"{event.slug}.ics", cancelled[event.pk], "text/calendar")],
            }
        )
    return mails


def danish_time(moment) -> str:
    """The time as a Danish reader writes it (torsdag 10. december 2026 kl. 09:30), in
    Copenhagen: a mail's context is queued as JSON, so the time travels as text."""
    from django.utils import translation
    from django.utils.dateformat import format as date_format

    with translation.override("da"):
        return date_format(timezone.localtime(moment), r"l j. F Y \k\l. H:i")


def send_event_cancellations(mails: list[dict]) -> None:
    for mail in mails:
        queue_mail(
            mail["subject"], mail["template"], mail["context"], mail["to"], files=mail["files"]
        )


# -- participants ----------------------------------------------------------------


@transaction.atomic
def add_participant(project: ProjectPage, email: str, role: str, invited_by) -> str:
    """Add a member by e-mail, or invite someone who is not a member yet.

    Returns "added", "already", "invited" or "already_invited" (an open invitation
    is not mailed again here: "Send igen" on it does that, on purpose).
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user:
        _, created = ProjectParticipant.objects.get_or_create(
            project=project, user=user, defaults={"role": role}
        )
        if created:
            _mail(
                f"Du er med i projektet {project.title}",
                "projects/mail/added.txt",
                {
                    "name": user.get_full_name(),
                    "inviter": str(invited_by),
                    "role": ProjectRole(role).label.lower(),
                    "project_title": project.title,
                    "url": project.url,
                },
                [user.email],
            )
        return "added" if created else "already"
    waiting = ProjectInvitation.objects.filter(
        project=project, email=email, accepted_at__isnull=True
    ).first()
    if waiting:
        if waiting.role != role:
            waiting.role = role
            waiting.save(update_fields=["role"])
        return "already_invited"
    invitation, _ = ProjectInvitation.objects.update_or_create(
        project=project,
        email=email,
        defaults={
            "role": role,
            "invited_by": invited_by,
            "accepted_at": None,
            "sent_at": timezone.now(),
        },
    )
    _mail_invitation(invitation, invited_by)
    return "invited"


def active_member(email: str):
    """The active member with this e-mail, or None."""
    return (
        User.objects.filter(email__iexact=email.strip(), is_active=True)
        .select_related("municipality")
        .first()
    )


def outside_municipalities(project: ProjectPage, member) -> bool:
    """Whether the member's municipality is not one of the project's (the dashboard
    then counts it too, marked as outside)."""
    return (
        member.municipality_id is not None
        and not Municipality.objects.filter(projects=project, pk=member.municipality_id).exists()
    )


def _mail_invitation(invitation: ProjectInvitation, inviter) -> None:
    project = invitation.project
    _mail(
        f"Invitation til projektet {project.title}",
        "projects/mail/invitation.txt",
        {"project_title": project.title, "inviter": str(inviter), "email": invitation.email},
        [invitation.email],
    )


def open_invitation(project: ProjectPage, invitation_id) -> ProjectInvitation | None:
    """An invitation of this project that has not been accepted (None for any other id)."""
    return ProjectInvitation.objects.filter(
        project=project, pk=invitation_id, accepted_at__isnull=True
    ).first()


def resend_invitation(invitation: ProjectInvitation, by) -> None:
    """Send the invitation mail again, from `by` (the coordinator who asked)."""
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    _mail_invitation(invitation, by)


def cancel_invitation(invitation: ProjectInvitation) -> None:
    """Withdraw it: the person no longer joins the project on signing up."""
    invitation.delete()


def accept_invitations(user) -> int:
    """Called when a member has verified an e-mail address: join invited projects."""
    accepted = 0
    for invitation in ProjectInvitation.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True
    ):
        ProjectParticipant.objects.get_or_create(
            project=invitation.project, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        accepted += 1
    return accepted


def remove_participant(project: ProjectPage, participant_id: int) -> bool:
    membership = ProjectParticipant.objects.filter(project=project, pk=participant_id).first()
    if membership is None:
        return False
    membership.delete()
    # Seats and places in the queue at the project's coming events go with them, and
    # the queue moves up (an outside check: a removed member kept a seat), unless
    # the project is open to them anyway.
    from .models import EventPage

    if not permissions.can_see_project(membership.user, project):
        for event in (
            EventPage.objects.child_of(project).live().filter(starts_at__gt=timezone.now())
        ):
            cancel(event, membership.user)
    return True


# -- logs, updates and comments ----------------------------------------------------


def save_attachment(log: TrialAction, user, upload, update=None) -> TrialActionAttachment | None:
    """Store a file checked by `forms.validate_upload` on the log (and, given one, on the
    timeline entry it came with)."""
    if not upload:
        return None
    return TrialActionAttachment.objects.create(
        trial_action=log,
        update=update,
        file=upload,
        name=upload.name[:200],
        size=upload.size,
        content_type=getattr(upload, "detected_type", "application/octet-stream"),
        uploaded_by=user,
    )


def add_update(log: TrialAction, author, text: str, upload=None) -> TrialActionUpdate:
    update = TrialActionUpdate.objects.create(trial_action=log, author=author, text=text)
    save_attachment(log, author, upload, update=update)
    signals.trial_action_changed.send(TrialAction, instance=log)
    return update


def comment_mail_recipient(log: TrialAction, commenter_id: int | None):
    """The log's author, if a comment by `commenter_id` is mailed to them (their
    *send mig en mail ved nye kommentarer*), else None."""
    recipient = log.author
    if (
        recipient
        and recipient.pk != commenter_id
        and log.notify_on_comments
        and recipient.is_active
        and permissions.can_see_log(recipient, log)  # not after leaving the project
    ):
        return recipient
    return None


def add_comment(log: TrialAction, author, text: str) -> TrialActionComment:
    comment = TrialActionComment.objects.create(trial_action=log, author=author, text=text)
    if recipient := comment_mail_recipient(log, author.pk):
        _mail(
            f"Ny kommentar til »{log.title}«",
            "projects/mail/new_comment.txt",
            {
                "name": recipient.first_name,
                "log_title": log.title,
                "commenter": str(author),
                "text": text,
                "url": log.get_absolute_url(),
            },
            [recipient.email],
        )
    signals.trial_action_changed.send(TrialAction, instance=log)
    return comment


def delete_attachment(attachment) -> None:
    """The row and the stored file; the file after the commit, so a rolled-back delete
    leaves the file in place."""
    from django.db import transaction

    file, log = attachment.file, attachment.trial_action
    attachment.delete()
    transaction.on_commit(lambda: file.delete(save=False))
    signals.trial_action_changed.send(TrialAction, instance=log)


def record_status_change(log: TrialAction, before: str, by) -> TrialActionUpdate | None:
    """A new status on the timeline, in the editor's name: a user walk changed a log
    from *I gang* to *Afsluttet* and the timeline still said *Ingen opdateringer
    endnu*, so neither readers nor followers learnt that it had ended."""
    if log.status == before:
        return None
    labels = dict(TrialActionStatus.choices)
    update = TrialActionUpdate.objects.create(
        trial_action=log,
        author=by,
        text=f"Status ændret fra »{labels.get(before, before)}« til »{labels[log.status]}«.",
    )
    signals.trial_action_changed.send(TrialAction, instance=log)
    return update


def still_there(log: TrialAction) -> bool:
    """Lock the log's row for the rest of the transaction and say whether it is still
    there. Whatever writes under a log asks first: an outside walk commented while
    the author deleted it, and got a 500 (the new row's log was gone at the commit)
    after the author had been mailed the comment. On SQLite the transaction holds
    the write lock from its start (IMMEDIATE), so this reads what is committed."""
    return TrialAction.objects.select_for_update().filter(pk=log.pk).exists()


def delete_log(log: TrialAction) -> bool | None:
    """The log with its timeline, its author's comments and its files (the files after
    the commit, so a rolled-back delete leaves them in place). Logs that took it up
    keep their own text and lose the link (`origin` is set to null); the search index
    drops it on the delete. False, and nothing deleted, if someone else wrote in it
    meanwhile: the log is locked while that is asked, so a comment committed after
    the confirm page was shown is not lost with it. None if it is gone already (the
    same confirm page sent twice)."""
    from .permissions import others_wrote_in

    with transaction.atomic():
        locked = TrialAction.objects.select_for_update().filter(pk=log.pk).first()
        if locked is None:
            return None
        if others_wrote_in(locked):
            return False
        files = [attachment.file for attachment in locked.attachments.all()]
        locked.delete()
        for file in files:
            transaction.on_commit(lambda file=file: file.delete(save=False))
    return True


def delete_comment(comment: TrialActionComment) -> None:
    log = comment.trial_action
    comment.delete()
    signals.trial_action_changed.send(TrialAction, instance=log)


def hide_comment(comment: TrialActionComment, by, hidden: bool = True) -> None:
    comment.hidden_at = timezone.now() if hidden else None
    comment.hidden_by = by if hidden else None
    comment.save(update_fields=["hidden_at", "hidden_by"])
    signals.trial_action_changed.send(TrialAction, instance=comment.trial_action)


REPORT_MAILS_PER_COMMENT = (3, 3600)
REPORT_MAILS = (10, 3600)


def report_comment(comment: TrialActionComment, reporter, reason: str) -> bool:
    """One report per member and comment. Reporting again with a new reason adds it to
    the report and tells the coordinators again (it was dropped without a word), but a
    member's reports of one comment mail the coordinators at most REPORT_MAILS_PER_COMMENT
    times an hour, and of all comments REPORT_MAILS: the reasons are kept either way."""
    from network.ratelimit import hit

    report, created = CommentReport.objects.get_or_create(
        comment=comment, reporter=reporter, defaults={"reason": reason}
    )
    added = not created and bool(reason) and reason not in report.reason
    if added:
        report.reason = "\n".join(filter(None, [report.reason, reason]))[-500:]
        report.save(update_fields=["reason"])
    if not (created or added):
        return created
    this_comment = hit(
        "comment-report", f"{reporter.pk}:{comment.pk}", *REPORT_MAILS_PER_COMMENT, fail_open=True
    )
    if this_comment and hit("comment-report-mails", reporter.pk, *REPORT_MAILS, fail_open=True):
        coordinators = ProjectParticipant.objects.filter(
            project=comment.trial_action.project, role=ProjectRole.COORDINATOR
        ).values_list("user__email", flat=True)
        if coordinators:
            _mail(
                "En kommentar er anmeldt",
                "projects/mail/comment_reported.txt",
                {
                    "log_title": comment.trial_action.title,
                    "reason": reason,
                    "url": comment.trial_action.get_absolute_url(),
                },
                list(coordinators),
            )
    return created


def propose_experience(log: TrialAction, by, note: str = "") -> None:
    """Ask the editors to publish a completed log as an experience article.

    projects/ does not know experiences/; the top layer (config) listens to the
    signal and creates the draft article.
    """
    log.proposed_as_experience_at = timezone.now()
    log.save(update_fields=["proposed_as_experience_at"])
    signals.experience_proposed.send(
        TrialAction, instance=log, proposed_by=by, data=experience_data(log), note=note
    )


def experience_data(log: TrialAction) -> dict:
    """The log as the neutral shape of an experience article (the import format)."""
    sections = [
        ("Formål og hypotese", log.purpose),
        ("Det gjorde vi", log.actions),
        ("Det skete", log.results),
        ("Det lærte vi", log.learnings),
        ("Næste skridt", log.next_steps),
    ]
    body = []
    for heading, text in sections:
        if text:
            body.append({"type": "heading", "text": heading})
            body.extend(
                {"type": "paragraph", "text": part} for part in text.split("\n\n") if part.strip()
            )
    return {
        "title": log.title,
        "lead": (log.purpose or log.title)[:580],
        "kind": "case",
        "municipalities": [log.municipality.code],
        "topics": [area.slug for area in log.work_areas.all()],
        "author": str(log.author) if log.author else "",
        "contact_email": log.author.email if log.author else None,
        "body": body,
        "source": f"trial_action:{log.pk}",
    }


def save_event(project, user, fields: dict, event=None):
    """Create (event None) or change one of the project's events from the site's form
    (`fields`: the form's cleaned values by field name), published as the admin
    publishes (a revision and page_published: search, follows, the newsletter), under
    the member's name."""
    from network.page_forms import free_slug
    from network.text import danish_slugify

    from .models import EventPage
    from .models.routes import PROJECT_ROUTE_SLUGS

    if event is None:
        event = EventPage(**fields)
        slug = danish_slugify(fields["title"]) or "arrangement"
        if slug in PROJECT_ROUTE_SLUGS:  # the project's own addresses would win
            slug = f"{slug}-arrangement"
        event.slug = free_slug(slug, project, event)
        project.add_child(instance=event)
    else:
        event = EventPage.objects.get(pk=event.pk)
        for name, value in fields.items():
            setattr(event, name, value)
    # The project's permission rule (can_manage_events) decided; Wagtail's page
    # permissions are the admin's, which a coordinator need not have.
    event.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    return EventPage.objects.get(pk=event.pk)
