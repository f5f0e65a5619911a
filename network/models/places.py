from django.db import models
from django.urls import reverse

from network.collation import danish_key


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
    # The name in Danish alphabetical order (network/collation.py), set on save.
    sort_name = models.CharField(max_length=120, default="", editable=False)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_name = danish_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("network:municipality", kwargs={"slug": self.slug})
