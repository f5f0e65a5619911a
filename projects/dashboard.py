"""The coordinator's dashboard (overblik) of a project: who takes part, who comes, who
is quiet, and the activity over time.

Every number comes from a fixed set of aggregate queries (``values().annotate()``),
so the page costs the same number of queries for 2 municipalities as for 17, and for
2 events as for 8. The activity chart is built here as inline SVG (no JavaScript);
the template shows the same numbers in a table.

Who may see it is decided in projects/permissions.py (``can_see_dashboard``); the
reminder mail lives in projects/reminders.py. The rules, in the words the page uses,
are in docs/dashboard.md.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import BooleanField, Case, Count, Max, Q, Value, When
from django.db.models.functions import TruncWeek
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from network import spreadsheet
from network.models import Municipality

from . import permissions, reminders
from .models import (
    EventPage,
    EventRegistration,
    ProjectParticipant,
    ProjectReminder,
    ProjectRole,
    RegistrationStatus,
    TrialAction,
    TrialActionComment,
    TrialActionUpdate,
)

#: Without an event that has started, "quiet" means no activity in this many days.
QUIET_DAYS = 21
#: The chart shows at most this many weeks, ending with the current one.
CHART_WEEKS = 52
#: The dashboard lists this many of the latest reminders.
REMINDERS_SHOWN = 20


@dataclass
class MunicipalityRow:
    pk: int
    name: str
    slug: str
    code: str
    own: bool = True  # one of the project's municipalities, not only a participant's or log's
    participants: int = 0
    attendance: list[int] = field(default_factory=list)  # registered, per event in date order
    by_event: list[tuple[EventPage, int]] = field(default_factory=list)
    created_since: int = 0
    updated_since: int = 0
    last_activity: datetime.datetime | None = None
    days_since: int | None = None
    quiet: bool = True


@dataclass
class Week:
    start: datetime.date  # the Monday, Europe/Copenhagen
    logs: int = 0
    updates: int = 0
    comments: int = 0

    @property
    def total(self) -> int:
        return self.logs + self.updates + self.comments

    @property
    def number(self) -> int:
        return self.start.isocalendar()[1]

    @property
    def label(self) -> str:
        return f"uge {self.number}"


@dataclass
class Dashboard:
    project: object
    now: datetime.datetime
    events: list[EventPage]
    last_event: EventPage | None
    since: datetime.datetime  # the reference point for "since" and for "quiet"
    rows: list[MunicipalityRow]
    weeks: list[Week]
    # Registered per event by people from no municipality of the table (another one, or
    # none on their profile): the event page counts them, so the table shows them too.
    others: list[int] = field(default_factory=list)

    @property
    def others_by_event(self) -> list[tuple[EventPage, int]]:
        return list(zip(self.events, self.others, strict=True)) if any(self.others) else []

    @property
    def quiet_rows(self) -> list[MunicipalityRow]:
        return [row for row in self.rows if row.quiet]

    @property
    def quiet_days(self) -> int:
        return QUIET_DAYS

    @property
    def outside_rows(self) -> list[MunicipalityRow]:
        """Municipalities counted because a participant or a log comes from them, though
        they are not among the project's municipalities."""
        return [row for row in self.rows if not row.own]

    @property
    def participants(self) -> int:
        return sum(row.participants for row in self.rows)

    @property
    def created_since(self) -> int:
        return sum(row.created_since for row in self.rows)

    @property
    def updated_since(self) -> int:
        return sum(row.updated_since for row in self.rows)


def reference_point(events, now) -> tuple[EventPage | None, datetime.datetime]:
    """The last event that has started, and the time from which we count: its start,
    or QUIET_DAYS ago when no event has started yet."""
    started = [event for event in events if event.starts_at <= now]
    if started:
        last = max(started, key=lambda event: event.starts_at)
        return last, last.starts_at
    return None, now - datetime.timedelta(days=QUIET_DAYS)


def build(project, now=None) -> Dashboard:
    now = now or timezone.now()
    events = list(EventPage.objects.child_of(project).live().order_by("starts_at", "pk"))
    last_event, since = reference_point(events, now)
    rows, others = _rows(project, events, since, now)
    return Dashboard(
        project=project,
        now=now,
        events=events,
        last_event=last_event,
        since=since,
        rows=rows,
        others=others,
        weeks=_weeks(project, now),
    )


def _municipalities(project):
    """The project's own municipalities, and those of its participants and logs."""
    own = Municipality.objects.filter(projects=project).values("pk")
    of_participants = ProjectParticipant.objects.filter(
        project=project, role=ProjectRole.PARTICIPANT
    ).values("user__municipality")
    of_logs = TrialAction.objects.filter(project=project).values("municipality")
    return (
        Municipality.objects.filter(Q(pk__in=own) | Q(pk__in=of_participants) | Q(pk__in=of_logs))
        .annotate(
            own=Case(
                When(pk__in=own, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("sort_name")
        .values("pk", "name", "slug", "code", "own")
    )


def _rows(project, events, since, now) -> tuple[list[MunicipalityRow], list[int]]:
    rows = {m["pk"]: MunicipalityRow(**m) for m in _municipalities(project)}
    column = {event.pk: i for i, event in enumerate(events)}
    for row in rows.values():
        row.attendance = [0] * len(events)
    latest: dict[int, list[datetime.datetime]] = {pk: [] for pk in rows}

    participants = (
        ProjectParticipant.objects.filter(
            project=project, role=ProjectRole.PARTICIPANT, user__is_active=True
        )
        .values("user__municipality")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for entry in participants:
        if entry["user__municipality"] in rows:
            rows[entry["user__municipality"]].participants = entry["n"]

    registrations = (
        EventRegistration.objects.filter(
            event__in=EventPage.objects.child_of(project).live().values("pk")
        )
        .values("event", "user__municipality", "status")
        .annotate(n=Count("pk"), last=Max("signed_up_at"))
        .order_by()
    )
    others = [0] * len(events)
    for entry in registrations:
        row = rows.get(entry["user__municipality"])
        if row is None:
            if entry["status"] == RegistrationStatus.REGISTERED and entry["event"] in column:
                others[column[entry["event"]]] += entry["n"]
            continue
        latest[row.pk].append(entry["last"])
        if entry["status"] == RegistrationStatus.REGISTERED and entry["event"] in column:
            row.attendance[column[entry["event"]]] += entry["n"]

    logs = (
        TrialAction.objects.filter(project=project)
        .values("municipality")
        .annotate(
            created_since=Count("pk", filter=Q(created_at__gte=since), distinct=True),
            updated_since=Count(
                "pk",
                filter=Q(created_at__lt=since)
                & (Q(updated_at__gte=since) | Q(updates__created_at__gte=since)),
                distinct=True,
            ),
            last_created=Max("created_at"),
            last_edited=Max("updated_at"),
            last_update=Max("updates__created_at"),
        )
        .order_by()
    )
    for entry in logs:
        row = rows.get(entry["municipality"])
        if row is None:
            continue
        row.created_since = entry["created_since"]
        row.updated_since = entry["updated_since"]
        latest[row.pk] += [entry["last_created"], entry["last_edited"], entry["last_update"]]

    comments = (
        TrialActionComment.objects.filter(trial_action__project=project)
        .values("author__municipality")
        .annotate(last=Max("created_at"))
        .order_by()
    )
    for entry in comments:
        if entry["author__municipality"] in rows:
            latest[entry["author__municipality"]].append(entry["last"])

    today = timezone.localdate(now)
    for row in rows.values():
        moments = [moment for moment in latest[row.pk] if moment is not None]
        row.last_activity = max(moments) if moments else None
        if row.last_activity:
            row.days_since = max(0, (today - timezone.localdate(row.last_activity)).days)
        row.quiet = row.last_activity is None or row.last_activity < since
        row.by_event = list(zip(events, row.attendance, strict=True))
    return list(rows.values()), others


# -- activity over time -------------------------------------------------------------


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def chart_range(project, now) -> tuple[datetime.date, datetime.date]:
    """From the project's first week (at most CHART_WEEKS back) to the current week."""
    last = _monday(timezone.localdate(now))
    first = max(_monday(project.start_date), last - datetime.timedelta(weeks=CHART_WEEKS - 1))
    return min(first, last), last


def _weeks(project, now) -> list[Week]:
    first, last = chart_range(project, now)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min), tz)
    weeks = {}
    day = first
    while day <= last:
        weeks[day] = Week(start=day)
        day += datetime.timedelta(weeks=1)
    sources = (
        ("logs", TrialAction.objects.filter(project=project)),
        ("updates", TrialActionUpdate.objects.filter(trial_action__project=project)),
        ("comments", TrialActionComment.objects.filter(trial_action__project=project)),
    )
    for name, queryset in sources:
        counted = (
            queryset.filter(created_at__gte=start)
            .annotate(week=TruncWeek("created_at", tzinfo=tz))
            .values("week")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for entry in counted:
            week = weeks.get(timezone.localtime(entry["week"], tz).date())
            if week is not None:
                setattr(week, name, entry["n"])
    return list(weeks.values())


#: Colours with at least 3:1 contrast on white (WCAG 1.4.11), told apart by the
#: legend, the order of the stack and the table, not by colour alone.
SERIES = (
    ("logs", "Nye prøvehandlinger", "#0b3d63"),
    ("updates", "Opdateringer", "#00796b"),
    ("comments", "Kommentarer", "#b35900"),
)
_W, _H = 480, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 8, 12, 40
# In the viewBox's units: the chart is drawn 480 wide and shrinks with the screen, so
# 16 here is 12 px on a phone (390 px), where 12 was 9 (an outside walk).
_FONT = 16


def _nice_step(value: float) -> int:
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= factor * power:
            return int(factor * power)
    return int(10 * power)


def _day(value: datetime.date) -> str:
    return date_format(value, "j. F Y")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def chart_description(weeks: list[Week]) -> str:
    totals = {name: sum(getattr(w, name) for w in weeks) for name, _, _ in SERIES}
    text = (
        f"Søjlediagram med {_count(len(weeks), 'uge', 'uger')} fra {weeks[0].label} "
        f"({_day(weeks[0].start)}) til {weeks[-1].label} ({_day(weeks[-1].start)}). I alt "
        f"{_count(totals['logs'], 'ny prøvehandling', 'nye prøvehandlinger')}, "
        f"{_count(totals['updates'], 'opdatering', 'opdateringer')} og "
        f"{_count(totals['comments'], 'kommentar', 'kommentarer')}."
    )
    busiest = max(weeks, key=lambda w: (w.total, w.start))
    if busiest.total:
        text += f" Mest aktivitet i {busiest.label} ({_day(busiest.start)}) med {busiest.total}."
    return text + " Tallene står også i tabellen under diagrammet."


def activity_svg(weeks: list[Week], title: str, id_prefix: str = "aktivitet") -> SafeString:
    """Stacked weekly bars as inline SVG: role="img" named by its <title> and <desc>."""
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    peak = max((w.total for w in weeks), default=0)
    step = _nice_step(max(peak, 1) / 4)
    top = max(step, math.ceil(max(peak, 1) / step) * step)
    band = plot_w / len(weeks)
    bar = max(band * 0.72, 1)
    title_id, desc_id = f"{id_prefix}-titel", f"{id_prefix}-beskrivelse"
    parts = [
        f'<svg class="dash-chart__svg" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'viewBox="0 0 {_W} {_H}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(chart_description(weeks))}</desc>',
    ]
    for value in range(0, top + 1, step):
        y = _TOP + plot_h - value / top * plot_h
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#b5c0ca" stroke-width="{1 if value else 1.5}"/>'
            f'<text x="{_LEFT - 5}" y="{y + 5:.1f}" text-anchor="end" font-size="{_FONT}" '
            f'fill="#4a5560">{value}</text>'
        )
    label_every = math.ceil(len(weeks) / 8)
    for i, week in enumerate(weeks):
        x = _LEFT + i * band + (band - bar) / 2
        y = _TOP + plot_h
        segments = []
        for name, _label, colour in SERIES:
            value = getattr(week, name)
            if not value:
                continue
            height = value / top * plot_h
            y -= height
            segments.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{colour}" stroke="#fff" stroke-width="0.5"/>'
            )
        if segments:
            tip = (
                f"{week.label} ({_day(week.start)}): "
                f"{_count(week.logs, 'ny prøvehandling', 'nye prøvehandlinger')}, "
                f"{_count(week.updates, 'opdatering', 'opdateringer')}, "
                f"{_count(week.comments, 'kommentar', 'kommentarer')}"
            )
            parts.append(f"<g><title>{escape(tip)}</title>{''.join(segments)}</g>")
        if i % label_every == 0 or i == len(weeks) - 1 and len(weeks) <= 8:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{_H - _BOTTOM + 18}" text-anchor="middle" '
                f'font-size="{_FONT}" fill="#4a5560">{week.number}</text>'
            )
    parts.append(
        f'<text x="{_LEFT + plot_w / 2:.1f}" y="{_H - 4}" text-anchor="middle" '
        f'font-size="{_FONT}" fill="#4a5560">Uge</text></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


# -- CSV ----------------------------------------------------------------------------


def _local(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def write_csv(data: Dashboard, out) -> None:
    """The per-municipality table for a spreadsheet (network.spreadsheet: `;`, a byte
    order mark, no cell read as a formula); times in Europe/Copenhagen."""
    writer = spreadsheet.Writer(out)
    since = _local(data.since)
    writer.writerow(
        [
            "Kommune",
            "Kommunekode",
            "Deltagere",
            *(f"Tilmeldt: {event.title} ({_local(event.starts_at)})" for event in data.events),
            f"Nye prøvehandlinger siden {since}",
            f"Opdaterede prøvehandlinger siden {since}",
            "Seneste aktivitet",
            "Dage siden seneste aktivitet",
            "Stille",
            "Uden for projektets kommuner",
        ]
    )
    for row in data.rows:
        writer.writerow(
            [
                row.name,
                row.code,
                row.participants,
                *row.attendance,
                row.created_since,
                row.updated_since,
                _local(row.last_activity),
                "" if row.days_since is None else row.days_since,
                "ja" if row.quiet else "nej",
                "nej" if row.own else "ja",
            ]
        )
    if data.others_by_event:
        writer.writerow(
            ["Andre tilmeldte (andre kommuner eller ingen kommune)", "", "", *data.others]
        )


# -- views (thin: permissions decide, reminders.py writes) --------------------------


def _refuse(request):
    from .views import _login_or_403

    return _login_or_403(request)


def _url(project, route: str) -> str:
    return project.url + project.reverse_subpage(route)


def sent_reminders(project) -> list[ProjectReminder]:
    """The latest reminders with their municipalities' names, in two queries."""
    latest = list(project.reminders.select_related("sender")[:REMINDERS_SHOWN])
    names: dict[int, list[str]] = {}
    through = ProjectReminder.municipalities.through.objects.filter(
        projectreminder__in=project.reminders.values("pk")[:REMINDERS_SHOWN]
    ).values_list("projectreminder", "municipality__name")
    for reminder_pk, name in through.order_by("municipality__sort_name"):
        names.setdefault(reminder_pk, []).append(name)
    for reminder in latest:
        reminder.municipality_names = names.get(reminder.pk, [])
    return latest


def dashboard(request, project):
    if not permissions.can_see_dashboard(request.user, project):
        return _refuse(request)
    data = build(project)
    return TemplateResponse(
        request,
        "projects/dashboard.html",
        {
            "page": project,
            "project": project,
            "data": data,
            "chart": activity_svg(data.weeks, f"Aktivitet pr. uge i {project.title}"),
            "series": SERIES,
            "reminders": sent_reminders(project),
            "can_send_reminder": permissions.can_send_reminder(request.user, project),
        },
    )


def dashboard_csv(request, project):
    if not permissions.can_see_dashboard(request.user, project):
        return _refuse(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overblik-{project.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    write_csv(build(project), response)
    return response


def dashboard_reminder(request, project):
    """Write → preview → send. The preview carries a one-time key; sending with a key
    already used sends nothing (a resubmitted POST, a double click)."""
    if not permissions.can_send_reminder(request.user, project):
        return _refuse(request)
    data = build(project)
    choices = reminders.municipality_choices(project, data.rows)
    form = reminders.ReminderForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"municipalities": [str(row.pk) for row in data.quiet_rows]},
    )
    action = request.POST.get("action") if request.method == "POST" else None
    context = {
        "page": project,
        "project": project,
        "form": form,
        "data": data,
        "unreachable": [row.name for row in data.quiet_rows if not row.participants],
    }
    if action in ("preview", "send") and form.is_valid():
        recipients = reminders.recipients(
            project, form.cleaned_data["municipalities"], exclude=request.user
        )
        if not recipients:
            form.add_error(
                "municipalities",
                "De valgte kommuner har ingen deltagere, der kan få en mail. Vælg andre.",
            )
        elif action == "send" and (key := reminders.clean_key(request.POST.get("key"))):
            reminder, sent = reminders.send_reminder(
                project,
                request.user,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
                municipality_ids=form.cleaned_data["municipalities"],
                key=key,
            )
            if sent:
                messages.success(
                    request,
                    f"Påmindelsen er sendt til {reminder.recipient_count} "
                    f"{'person' if reminder.recipient_count == 1 else 'personer'}.",
                )
            else:
                messages.info(request, "Påmindelsen var allerede sendt. Den er ikke sendt igen.")
            return redirect(_url(project, "dashboard") + "#paamindelser")
        else:
            selected = set(form.cleaned_data["municipalities"])
            context.update(
                key=reminders.new_key(),
                recipient_count=len(recipients),
                selected=[row for row in data.rows if str(row.pk) in selected],
                body=reminders.render_body(project, request.user, form.cleaned_data["message"]),
            )
            return TemplateResponse(request, "projects/dashboard_reminder_preview.html", context)
    return TemplateResponse(request, "projects/dashboard_reminder.html", context)
