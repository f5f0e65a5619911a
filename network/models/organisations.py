from django.db import models

from .places import Municipality


class OrganisationKind(models.TextChoices):
    NATIONAL = "national", "Nationalt organ"
    UNION = "union", "Faglig organisation"
    PARTNERSHIP = "partnership", "Partnerskab"
    MUNICIPAL_UNIT = "municipal_unit", "Kommunal enhed"
    OTHER = "other", "Anden"


class Organisation(models.Model):
    """A publisher or partner (KL, a union, a partnership) or a municipal unit."""

    name = models.CharField("navn", max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(
        "type", max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="kommune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        help_text="For kommunale enheder, fx et jobcenter.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="hører under",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )
    website = models.URLField("hjemmeside", blank=True)
    description = models.TextField("beskrivelse", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"

    def __str__(self):
        return self.name
