import hashlib
import json
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.forms.models import construct_instance
from django.utils import timezone

from network.formfields import ChoiceIdsMixin, WholeTextMixin
from network.formrendering import SiteFormMixin
from network.models import Municipality, WorkArea
from network.once import OnceMixin

from .models import EventKind, EventPage, ProjectRole, TrialAction, TrialActionStatus
from .text import clean_text, one_line_text

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What we accept is decided from the file's content, not its name; the name must
# then end in a suffix that fits the content, so what is stored, shown and
# downloaded is what it says (no PNG named "plan.exe").
ALLOWED_TYPES = {
    "application/pdf": ("PDF", (".pdf",)),
    "image/png": ("PNG", (".png",)),
    "image/jpeg": ("JPEG", (".jpg", ".jpeg")),
}
# docx/xlsx/pptx are zip containers; filetype reports them as zip or, when it
# sees the part folder near the start, as the OOXML type. Either way the
# container itself is checked (network.uploads.validate_office_container).
ZIP_TYPES = {
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# The browser's file picker shows these first (a hint only; the content decides).
ACCEPT = ",".join(
    [suffix for _label, suffixes in ALLOWED_TYPES.values() for suffix in suffixes]
    + list(OFFICE_TYPES)
)

TEXT_FIELDS = ("title", "purpose", "target_group", "actions", "results", "learnings", "next_steps")


class TrialActionForm(SiteFormMixin, OnceMixin, WholeTextMixin, ChoiceIdsMixin, forms.ModelForm):
    attachment = forms.FileField(
        label="Vedhæft en fil",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="PDF, Word, Excel, PowerPoint, PNG eller JPEG. Højst 10 MB.",
    )
    # Editing: a fingerprint of each field as the log was when the form was opened, so
    # that a save can tell what this member changed from what someone else saved
    # meanwhile (merge). Not a secret: a member who alters it only loses the merge.
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TrialAction
        fields = [
            "title",
            "municipality",
            "purpose",
            "target_group",
            "actions",
            "results",
            "learnings",
            "next_steps",
            "status",
            "started",
            "event",
            "work_areas",
            "visibility",
            "notify_on_comments",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "actions": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "learnings": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "started": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "work_areas": forms.CheckboxSelectMultiple,
            "status": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, project, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["municipality"].queryset = self._municipalities(project, user)
        self.fields["municipality"].error_messages["invalid_choice"] = (
            "Vælg en af projektets kommuner."
        )
        own = getattr(user, "municipality_id", None)
        offered = self.fields["municipality"].queryset
        if not self.instance.pk and own and offered.filter(pk=own).exists():
            self.initial.setdefault("municipality", own)
        # Published events only: a draft's title is not for participants to read (it
        # leaked through this list, and from a public log's "Opstod på" to anyone).
        # An existing log keeps the event it is linked to, also when that event has
        # been unpublished since: leaving it out of the choices cleared the link
        # silently on the next save.
        # And only events that have begun: a trial action cannot have arisen at a theme
        # day still to come (an outside walk was offered next month's), newest first.
        linked = Q(pk=self.instance.event_id) if self.instance.event_id else Q(pk__in=[])
        begun = Q(live=True, starts_at__lte=timezone.now())
        self.fields["event"].queryset = (
            EventPage.objects.child_of(project).filter(begun | linked).order_by("-starts_at")
        )
        # Its title is not shown: an unpublished page's title is not for participants.
        self.fields["event"].label_from_instance = lambda event: (
            event.title if event.live else "Det nuværende arrangement (ikke offentliggjort)"
        )
        self.fields["event"].required = False
        self.fields["event"].empty_label = "Ingen"
        self.fields["work_areas"].queryset = WorkArea.objects.all()
        self.fields["status"].choices = TrialActionStatus.choices
        if self.instance.pk and not self.is_bound:  # a kept draft brings its own
            self.initial.setdefault("opened", self.state_of(self.instance))

    @classmethod
    def state_of(cls, log: TrialAction) -> str:
        return json.dumps(
            {name: _fingerprint(_stored(log, name)) for name in cls.Meta.fields},
            separators=(",", ":"),
        )

    def merge(self, current: TrialAction) -> tuple[list[str], list[str]]:
        """Fold what was saved since the form was opened into this save, field by field,
        as a three-way merge: a field this member left as it was takes the saved value;
        a field only this member changed keeps theirs. Returns (conflicts, taken): the
        fields both changed, differently, and the fields taken from the saved log.
        Call after is_valid(), with `current` read under a row lock."""
        try:
            opened = json.loads(self.cleaned_data.get("opened") or "{}")
        except ValueError:
            opened = {}
        if not isinstance(opened, dict):
            opened = {}
        conflicts, taken = [], []
        for name in self.Meta.fields:
            base, theirs = opened.get(name), _stored(current, name)
            mine = self.cleaned_data.get(name)
            if base is None or _plain(mine) == _plain(theirs):
                continue
            if _fingerprint(mine) == base:
                self.cleaned_data[name] = theirs
                taken.append(name)
            elif _fingerprint(theirs) != base:
                conflicts.append(name)
        construct_instance(self, self.instance, fields=taken)
        for field in current._meta.concrete_fields:  # what the form does not hold, as saved
            if field.name not in self.Meta.fields and not field.primary_key:
                setattr(self.instance, field.attname, getattr(current, field.attname))
        return conflicts, taken

    def conflict_data(self, current: TrialAction, taken: list[str]):
        """The posted data again, with the fields taken from the saved log set to it and
        `opened` set to the saved log: saving it next keeps this member's text in the
        conflicting fields, now knowingly."""
        data = self.data.copy()
        for name in taken:
            value = _stored(current, name)
            if isinstance(value, list):
                data.setlist(name, [str(item.pk) for item in value])
            elif isinstance(value, bool):
                data.setlist(name, ["on"] if value else [])
            else:
                data[name] = _plain(value)
        data["opened"] = self.state_of(current)
        return data

    def saved_values(self, current: TrialAction, names: list[str]) -> list[tuple[str, str, str]]:
        """(field name, label, the saved value as text) for showing a conflict."""
        rows = []
        for name in names:
            value = _stored(current, name)
            # A choice is named as the form names it (a draft event is "Det nuværende
            # arrangement (ikke offentliggjort)", never its title: an outside attacker
            # forged a conflict to read one here).
            label = getattr(self.fields[name], "label_from_instance", str)
            if isinstance(value, list):
                shown = ", ".join(label(item) for item in value) or "(ingen)"
            elif isinstance(value, bool):
                shown = "Ja" if value else "Nej"
            elif name in ("status", "visibility"):
                shown = getattr(current, f"get_{name}_display")()
            elif isinstance(value, date):
                shown = f"{value:%d.%m.%Y}"
            else:
                shown = label(value) if value not in (None, "") else "(tom)"
            rows.append((name, self.fields[name].label, shown))
        return rows

    def _municipalities(self, project, user):
        """The project's municipalities, the member's own first. A project without a
        list offers all 98; an existing log keeps the municipality it has."""
        from django.db.models import Case, IntegerField, Q, Value, When

        chosen = Municipality.objects.filter(projects=project)
        if not chosen.exists():
            return Municipality.objects.all()  # in Danish order
        keep = Q(projects=project)
        if self.instance.pk and self.instance.municipality_id:
            keep |= Q(pk=self.instance.municipality_id)
        own = getattr(user, "municipality_id", None) or 0
        return (
            Municipality.objects.filter(keep)
            .distinct()
            .annotate(
                own=Case(When(pk=own, then=Value(0)), default=Value(1), output_field=IntegerField())
            )
            .order_by("own", "name")
        )

    def clean(self):
        cleaned = super().clean()
        for name in TEXT_FIELDS:
            if cleaned.get(name):
                cleaned[name] = clean_text(cleaned[name])
        if "title" in self.fields and not cleaned.get("title") and "title" not in self.errors:
            self.add_error("title", "Skriv en titel, der fortæller, hvad I prøver.")
        return cleaned

    def clean_attachment(self):
        return validate_upload(self.cleaned_data.get("attachment"))


def _stored(log: TrialAction, name: str):
    if name == "work_areas":
        return list(log.work_areas.order_by("pk")) if log.pk else []
    return getattr(log, name)


def _plain(value) -> str:
    """A field's value as comparable text: a row as its key, several rows as their keys."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, models.QuerySet)):
        return ",".join(sorted(str(getattr(item, "pk", item)) for item in value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _fingerprint(value) -> str:
    return hashlib.sha256(_plain(value).encode()).hexdigest()[:16]


def validate_upload(upload):
    """Check an upload's name, size and content; a clear Danish message otherwise.

    The name may hold no control or bidi characters ("rapport<U+202E>gpj.exe" is
    shown as "rapportexe.jpg"), the type comes from the content, and the
    name's suffix must fit that type. Office files must be real OOXML containers.
    """
    if not upload:
        return upload
    import os

    import filetype

    from network.uploads import validate_file_name, validate_office_container

    validate_file_name(upload.name)
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("Filen er for stor. Den må højst fylde 10 MB.")
    suffix = os.path.splitext(upload.name)[1].lower()
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime in ZIP_TYPES:
        if suffix not in OFFICE_TYPES:
            raise ValidationError("Zip-filer er ikke tilladt. Brug PDF eller et Office-dokument.")
        validate_office_container(upload, suffix)
        upload.detected_type = OFFICE_TYPES[suffix]
        return upload
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            "Filtypen er ikke tilladt. Brug PDF, Word, Excel, PowerPoint, PNG eller JPEG."
        )
    label, suffixes = ALLOWED_TYPES[mime]
    if suffix not in suffixes:
        raise ValidationError(
            f"Filnavnet passer ikke til indholdet, som er {label}. "
            f"Omdøb filen, så navnet ender på {' eller '.join(suffixes)}, og prøv igen."
        )
    upload.detected_type = mime
    return upload


class UpdateForm(SiteFormMixin, OnceMixin, WholeTextMixin, forms.Form):
    """On the trial action's page beside CommentForm: ids of its own (id_update_text)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_update_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label="Ny opdatering",
        max_length=5000,
        required=False,  # a file alone will do (clean)
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(
        label="Vedhæft en fil (valgfrit)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="PDF, Word, Excel, PowerPoint, PNG eller JPEG. Højst 10 MB. "
        "Filen vises under opdateringen og i prøvehandlingens filer.",
    )
    file_again = None  # the name of a file chosen with a text that had errors

    def clean_text(self):
        return clean_text(self.cleaned_data.get("text") or "")

    def clean_attachment(self):
        return validate_upload(self.cleaned_data.get("attachment"))

    def clean(self):
        cleaned = super().clean()
        if "text" not in cleaned or self.has_error("attachment"):
            return cleaned
        attachment = cleaned.get("attachment")
        if not cleaned["text"]:
            if not attachment:
                self.add_error("text", "Skriv en opdatering, eller vedhæft en fil.")
            else:  # what the timeline, the followers and the digest say of it
                cleaned["text"] = f"Tilføjede filen »{attachment.name[:200]}«."
        return cleaned


class ProposalForm(SiteFormMixin, WholeTextMixin, forms.Form):
    """The note that goes with proposing a trial action as an experience article."""

    note = forms.CharField(
        label="Besked til redaktionen (valgfri)",
        help_text=(
            "Fx hvad der er særligt ved prøvehandlingen, eller hvem redaktionen kan tale med."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_note(self):
        return clean_text(self.cleaned_data["note"])


class CommentForm(SiteFormMixin, OnceMixin, WholeTextMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_comment_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label="Din kommentar",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_text(self):
        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise ValidationError("Skriv en kommentar.")
        return text


class ReportForm(SiteFormMixin, WholeTextMixin, forms.Form):
    reason = forms.CharField(
        label="Hvorfor skal kommentaren fjernes?", max_length=500, required=False
    )


class ParticipantForm(SiteFormMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        error_messages={"invalid": "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."},
    )
    role = forms.ChoiceField(
        label="Rolle", choices=ProjectRole.choices, initial=ProjectRole.PARTICIPANT
    )


class _EventTime(forms.DateTimeField):
    """A date and time in Denmark between 2000 and 2100, in Danish words. Year 9999
    or 0001 took the calendar feed down (an overflow adding hours), and a time the
    clocks skip got Django's technical message (outside checks)."""

    def __init__(self, **kwargs):
        super().__init__(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            error_messages={"invalid": "Skriv dato og klokkeslæt."},
            **kwargs,
        )

    def to_python(self, value):
        try:
            moment = super().to_python(value)
        except ValidationError as error:
            if getattr(error, "code", "") == "ambiguous_timezone":
                # Skipped in spring, there twice in autumn: Django refuses both alike.
                twice = _occurs_twice(value)
                raise ValidationError(
                    "Det klokkeslæt findes to gange den dag (uret stilles tilbage). Vælg et andet."
                    if twice
                    else "Det klokkeslæt findes ikke den dag (uret stilles om). Vælg et andet.",
                    code="ambiguous_timezone",
                ) from error
            raise
        except OverflowError as error:
            raise ValidationError("Vælg en dato mellem år 2000 og 2100.") from error
        if moment and not 2000 <= moment.year <= 2100:
            raise ValidationError("Vælg en dato mellem år 2000 og 2100.")
        return moment


def _occurs_twice(value) -> bool:
    """Whether a typed local time is in the hour the clocks repeat in autumn (an
    outside check was told it did not exist)."""
    import datetime

    try:
        naive = datetime.datetime.fromisoformat(str(value).strip())
    except ValueError:
        return False
    zone = timezone.get_current_timezone()
    first, second = naive.replace(fold=0, tzinfo=zone), naive.replace(fold=1, tzinfo=zone)
    return first.utcoffset() != second.utcoffset() and first.utcoffset() > second.utcoffset()


class _MeetingLinkField(forms.URLField):
    """A web link (https or http) in place of URLField's own check, not beside it: the
    two said "Indtast en gyldig URL." twice (a user walk)."""

    default_validators = [URLValidator(schemes=["https", "http"])]
    default_error_messages = {"invalid": "Skriv et link til mødet, der begynder med https://."}


class EventForm(SiteFormMixin, OnceMixin, WholeTextMixin, forms.Form):
    """A coordinator sets up or changes a theme day or webinar of their project on the
    site (an outside walk: only editors could, in the admin). Agenda, speakers and
    material stay in the admin."""

    title = forms.CharField(label="Titel", max_length=255)
    kind = forms.ChoiceField(label="Type", choices=EventKind.choices)
    starts_at = _EventTime(label="Starter", help_text="Dato og klokkeslæt.")
    # Shown only when a new event's start has passed: a theme day recorded afterwards
    # is fine, a year typed wrong is not (an outside walk saved one in 2020, six years
    # before the project, with no word).
    held = forms.BooleanField(
        label="Arrangementet er allerede afholdt", required=False, widget=forms.HiddenInput
    )
    ends_at = _EventTime(label="Slutter", required=False)
    location = forms.CharField(
        label="Sted", max_length=255, required=False, help_text="Tomt for et onlinemøde."
    )
    online_url = _MeetingLinkField(
        label="Link til onlinemøde",
        required=False,
        assume_scheme="https",
        help_text="Kun dem med en plads ser linket.",
    )
    capacity = forms.IntegerField(
        label="Antal pladser",
        required=False,
        min_value=1,
        max_value=100_000,
        help_text="Tomt: ingen begrænsning. Er der flere tilmeldte, kommer de nye på venteliste.",
    )
    summary = forms.CharField(
        label="Beskrivelse",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    FIELDS = (
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "location",
        "online_url",
        "capacity",
        "summary",
    )

    def __init__(self, *args, event=None, project=None, **kwargs):
        self.event = event
        self.project = project
        if event is not None:
            kwargs.setdefault("initial", {name: getattr(event, name) for name in self.FIELDS})
            kwargs["initial"]["starts_at"] = timezone.localtime(event.starts_at)
            if event.ends_at:
                kwargs["initial"]["ends_at"] = timezone.localtime(event.ends_at)
        super().__init__(*args, **kwargs)

    def clean_title(self):
        # One line: a line break in a title broke the event's .ics (an outside check).
        return one_line_text(self.cleaned_data["title"])

    def clean_location(self):
        return one_line_text(self.cleaned_data.get("location") or "")

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and self.event is not None:
            taken = self.event.registrations.filter(status="registered").count()
            if capacity < taken:
                raise ValidationError(
                    f"{taken} har allerede en plads. Sæt antallet til mindst {taken}, "
                    "eller bed nogen om at melde fra."
                )
        return capacity

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "Arrangementet skal slutte, efter det begynder.")
        if not data.get("location") and not data.get("online_url") and not self.errors:
            self.add_error("location", "Skriv et sted, eller giv et link til onlinemødet.")
        if self.event is None and starts and starts < timezone.now() and not data.get("held"):
            self.fields["held"].widget = forms.CheckboxInput()
            self.add_error(
                "starts_at",
                f"Tidspunktet er passeret ({timezone.localtime(starts):%d.%m.%Y}). Er det et "
                "afholdt arrangement, du lægger ind bagefter, så sæt flueben i »Arrangementet "
                "er allerede afholdt« og gem igen. Ellers ret datoen.",
            )
        if self.event is None and self.project is not None and not self.errors:
            self._refuse_a_twin(data["title"], starts)
        return data

    def _refuse_a_twin(self, title, starts):
        """A new event the project already has, same title and start: the form sent
        again after going back to it, which gives a new form (an outside walk)."""
        from .models import EventPage

        # Compared in Python: SQLite's iexact folds ASCII letters only (Æ, Ø, Å).
        same_time = EventPage.objects.live().child_of(self.project).filter(starts_at=starts)
        twin = next((e for e in same_time if e.title.casefold() == title.casefold()), None)
        if twin is not None:
            self.add_error(
                "title",
                f"Projektet har allerede »{twin.title}« på det tidspunkt. "
                "Ret det i stedet, eller giv det nye en anden titel eller tid.",
            )
