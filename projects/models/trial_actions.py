"""Trial-action logs (prøvehandlinger): what a municipality tries, and what came of it."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import LazyObject

from network import uploads

EARLIEST_START = datetime.date(2000, 1, 1)


def start_out_of_range(started: datetime.date) -> str:
    """Why `started` cannot be a log's start date, or "": from 2000 to the end of the
    year after next (a planned trial action). A user walk saved logs started in 1900
    and 2099, and an outside attacker 0001-01-01, which the lists sorted first and last."""
    latest = datetime.date(timezone.localdate().year + 2, 12, 31)
    if EARLIEST_START <= started <= latest:
        return ""
    return (
        f"Startdatoen skal ligge mellem {date_format(EARLIEST_START, 'j. F Y')} "
        f"og {date_format(latest, 'j. F Y')}."
    )


class LogVisibility(models.TextChoices):
    PARTICIPANTS = "participants", "Kun projektets deltagere"
    NETWORK = "network", "Hele netværket (medlemmer)"
    PUBLIC = "public", "Alle (offentligt)"


class TrialActionStatus(models.TextChoices):
    PLANNED = "planned", "Planlagt"
    IN_PROGRESS = "in_progress", "I gang"
    COMPLETED = "completed", "Afsluttet"
    ABANDONED = "abandoned", "Opgivet"


class PrivateStorage(LazyObject):
    """Uploads that are never served by the web server, only through a view that checks
    permission (MEDIA_ROOT/private is outside MEDIA_URL's served folders)."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.MEDIA_ROOT / "private")


_private_storage = PrivateStorage()


def private_storage():
    """A callable, so migrations refer to this function and not to a machine's path."""
    return _private_storage


TEXT_LIMIT = 5000


class TrialAction(models.Model):
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name="projekt",
        on_delete=models.CASCADE,
        related_name="trial_actions",
    )
    municipality = models.ForeignKey(
        "network.Municipality",
        verbose_name="kommune",
        on_delete=models.PROTECT,
        related_name="trial_actions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="forfatter",
        null=True,
        on_delete=models.SET_NULL,
        related_name="trial_actions",
    )
    title = models.CharField("titel", max_length=200)
    purpose = models.TextField("formål og hypotese", max_length=TEXT_LIMIT)
    target_group = models.CharField("målgruppe", max_length=300, blank=True)
    actions = models.TextField("det gjorde vi", max_length=TEXT_LIMIT, blank=True)
    results = models.TextField("det skete", max_length=TEXT_LIMIT, blank=True)
    learnings = models.TextField("det lærte vi", max_length=TEXT_LIMIT, blank=True)
    next_steps = models.TextField("næste skridt", max_length=TEXT_LIMIT, blank=True)
    status = models.CharField(
        "status",
        max_length=12,
        choices=TrialActionStatus.choices,
        default=TrialActionStatus.PLANNED,
    )
    started = models.DateField("startdato", default=timezone.localdate)
    event = models.ForeignKey(
        "projects.EventPage",
        verbose_name="opstod på",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trial_actions",
    )
    work_areas = models.ManyToManyField(
        "network.WorkArea", verbose_name="arbejdsområder", blank=True, related_name="trial_actions"
    )
    visibility = models.CharField(
        "hvem må se den",
        max_length=12,
        choices=LogVisibility.choices,
        default=LogVisibility.PARTICIPANTS,
    )
    origin = models.ForeignKey(
        "self",
        verbose_name="inspireret af",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pickups",
    )
    notify_on_comments = models.BooleanField("send mig en mail ved nye kommentarer", default=True)
    proposed_as_experience_at = models.DateTimeField(null=True, blank=True, editable=False)
    external_id = models.CharField(
        "import-id", max_length=100, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField("oprettet", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("opdateret", auto_now=True)

    def clean(self):
        """The site's form, the admin's and every other model form: a start date out of
        range is refused, unless it is the one stored (an import's, say)."""
        super().clean()
        if self.started and (problem := start_out_of_range(self.started)):
            stored = (
                TrialAction.objects.filter(pk=self.pk).values_list("started", flat=True).first()
                if self.pk
                else None
            )
            if self.started != stored:
                raise ValidationError({"started": problem})

    class Meta:
        ordering = ["-started", "-pk"]
        verbose_name = "prøvehandling"
        verbose_name_plural = "prøvehandlinger"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.project.url + self.project.reverse_subpage(
            "trial_action", kwargs={"pk": self.pk}
        )


class TrialActionUpdate(models.Model):
    """A dated entry on the log's timeline."""

    trial_action = models.ForeignKey(TrialAction, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("opdatering", max_length=TEXT_LIMIT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Opdatering af {self.trial_action}"


class TrialActionComment(models.Model):
    trial_action = models.ForeignKey(TrialAction, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="trial_action_comments",
    )
    text = models.TextField("kommentar", max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def __str__(self):
        return f"Kommentar af {self.author} til {self.trial_action}"


class CommentReport(models.Model):
    comment = models.ForeignKey(
        TrialActionComment, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("begrundelse", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="unique_comment_report")
        ]

    def __str__(self):
        return f"Anmeldelse af kommentar {self.comment_id}"


def _attachment_path(instance, filename):
    # The name as uploaded is kept in `name`; the stored one fits the field.
    return uploads.fitting_path(f"trial-actions/{instance.trial_action_id}", filename)


class TrialActionAttachment(models.Model):
    trial_action = models.ForeignKey(
        TrialAction, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, storage=private_storage)
    # The timeline entry the file came with, if any (shown under it; the log's file
    # list has every file either way).
    update = models.ForeignKey(
        TrialActionUpdate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def get_absolute_url(self):
        project = self.trial_action.project
        return project.url + project.reverse_subpage("attachment", kwargs={"pk": self.pk})

    def __str__(self):
        return self.name
