from django import forms
from django.core.exceptions import ValidationError

from network.models import Municipality, WorkArea

from .models import EventPage, ProjectRole, TrialAction, TrialActionStatus
from .text import clean_text

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What we accept, decided from the file's content, not its name.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/zip": "Office-dokument",  # docx/xlsx/pptx are zip containers
}
OFFICE_SUFFIXES = (".docx", ".xlsx", ".pptx")

TEXT_FIELDS = ("title", "purpose", "target_group", "actions", "results", "learnings", "next_steps")


class TrialActionForm(forms.ModelForm):
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

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["event"].queryset = EventPage.objects.child_of(project).order_by("starts_at")
        self.fields["event"].required = False
        self.fields["event"].empty_label = "Ingen"
        self.fields["work_areas"].queryset = WorkArea.objects.all()
        self.fields["status"].choices = TrialActionStatus.choices
        for name in ("purpose", "actions", "results", "learnings", "next_steps"):
            self.fields[name].widget.attrs["maxlength"] = self.fields[name].max_length

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
    """Check an upload by its content and size; a clear Danish message otherwise."""
    if not upload:
        return upload
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("Filen er for stor. Den må højst fylde 10 MB.")
    import filetype

    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            "Filtypen er ikke tilladt. Brug PDF, Word, Excel, PowerPoint, PNG eller JPEG."
        )
    if mime == "application/zip" and not upload.name.lower().endswith(OFFICE_SUFFIXES):
        raise ValidationError("Zip-filer er ikke tilladt. Brug PDF eller et Office-dokument.")
    upload.detected_type = (
        "application/vnd.openxmlformats-officedocument" if mime == "application/zip" else mime
    )
    return upload


class UpdateForm(forms.Form):
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


class CommentForm(forms.Form):
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
        error_messages={"invalid": "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."},
    )
    role = forms.ChoiceField(
        label="Rolle", choices=ProjectRole.choices, initial=ProjectRole.PARTICIPANT
    )
