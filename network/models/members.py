import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.urls import reverse

from .organisations import Organisation
from .places import Municipality
from .topics import WorkArea


class UserManager(DjangoUserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class ProfileVisibility(models.TextChoices):
    PUBLIC = "public", "Alle, også uden login"
    MEMBERS = "members", "Kun medlemmer af netværket"
    PRIVATE = "private", "Kun mig"


class User(AbstractUser):
    """A member of the network. Editors are members with Wagtail admin permissions."""

    username = None
    email = models.EmailField("e-mail", unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job_title = models.CharField("stilling", max_length=150, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="kommune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation eller enhed",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    work_areas = models.ManyToManyField(
        WorkArea, verbose_name="arbejdsområder", blank=True, related_name="members"
    )
    bio = models.TextField("kort om mig", max_length=1000, blank=True)
    photo = models.ForeignKey(
        "network.SiteImage",
        verbose_name="foto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField("telefon", max_length=30, blank=True)
    profile_visibility = models.CharField(
        "hvem må se min profil",
        max_length=10,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.MEMBERS,
    )
    contact_allowed = models.BooleanField(
        "andre må kontakte mig",
        default=False,
        help_text="Viser din e-mail og dit telefonnummer på din profil.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = "medlem"
        verbose_name_plural = "medlemmer"
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.get_full_name() or self.email.split("@")[0]

    def get_absolute_url(self):
        return reverse("network:member", kwargs={"public_id": self.public_id})
