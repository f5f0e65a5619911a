from django.db import models
from django.urls import reverse


class Region(models.Model):
    """One of the five Danish regions, keyed by its official code (1081-1085)."""

    code = models.CharField("regionskode", max_length=4, unique=True)
    name = models.CharField("navn", max_length=100)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "region"
        verbose_name_plural = "regioner"

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """One of the 98 municipalities, keyed by its official 4-digit code."""

    code = models.CharField("kommunekode", max_length=4, unique=True)
    name = models.CharField("navn", max_length=100)
    slug = models.SlugField(unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        ordering = ["name"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:municipality", kwargs={"slug": self.slug})
