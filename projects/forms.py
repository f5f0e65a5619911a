from django import forms
from django.core.exceptions import ValidationError

from network.formfields import ChoiceIdsMixin
from network.models import Municipality, WorkArea

from .models import EventPage, ProjectRole, TrialAction, TrialActionStatus
from .text import clean_text

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

TEXT_FIELDS = ("title", "purpose", "target_group", "actions", "results", "learnings", "next_steps")


class TrialActionForm(ChoiceIdsMixin, forms.ModelForm):
    attachment = forms.FileField(
        label="Vedhæft en fil",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, PNG eller JPEG. Højst 10 MB.",
    )

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
        self.fields["event"].queryset = EventPage.objects.child_of(project).order_by("starts_at")
        self.fields["event"].required = False
        self.fields["event"].empty_label = "Ingen"
        self.fields["work_areas"].queryset = WorkArea.objects.all()
        self.fields["status"].choices = TrialActionStatus.choices
        for name in ("purpose", "actions", "results", "learnings", "next_steps"):
            self.fields[name].widget.attrs["maxlength"] = self.fields[name].max_length

    def _municipalities(self, project, user):
        """The project's municipalities, the member's own first. A project without a
        list offers all 98; an existing log keeps the municipality it has."""
        from django.db.models import Case, IntegerField, Q, Value, When

        chosen = Municipality.objects.filter(projects=project)
        if not chosen.exists():
            return Municipality.objects.order_by("name")
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


class UpdateForm(forms.Form):
    """On the trial action's page beside CommentForm: ids of its own (id_update_text)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_update_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label="Ny opdatering",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
    )

    def clean_text(self):
        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise ValidationError("Skriv en opdatering.")
        return text


class ProposalForm(forms.Form):
    """The note that goes with proposing a trial action as an experience article."""

    note = forms.CharField(
        label="Besked til redaktionen (valgfri)",
        help_text=(
            "Fx hvad der er særligt ved prøvehandlingen, eller hvem redaktionen kan tale med."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
    )

    def clean_note(self):
        return clean_text(self.cleaned_data["note"])


class CommentForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_comment_%s")
        super().__init__(*args, **kwargs)

    text = forms.CharField(
        label="Din kommentar",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 3000}),
    )

    def clean_text(self):
        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise ValidationError("Skriv en kommentar.")
        return text


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="Hvorfor skal kommentaren fjernes?", max_length=500, required=False
    )


class ParticipantForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        error_messages={"invalid": "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."},
    )
    role = forms.ChoiceField(
        label="Rolle", choices=ProjectRole.choices, initial=ProjectRole.PARTICIPANT
    )
