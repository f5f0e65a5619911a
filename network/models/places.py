from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower, Replace
from django.urls import reverse

# Danish alphabetical order: a … z, æ, ø, å, with "aa" read as å (Aabenraa, Aalborg
# and Aarhus come last, after Ærø). The database compares the name spelt with ASCII
# letters only, which sort the same way under every collation (SQLite's byte order,
# PostgreSQL's C or linguistic ones, where æ would sort as "ae"): æ, ø, å become
# "zzza", "zzzb", "zzzc", after every word of the ordinary alphabet.
_DANISH_LETTERS = (
    ("Aa", "zzzc"),
    ("AA", "zzzc"),
    ("aa", "zzzc"),
    ("Æ", "zzza"),
    ("æ", "zzza"),
    ("Ø", "zzzb"),
    ("ø", "zzzb"),
    ("Å", "zzzc"),
    ("å", "zzzc"),
)


def danish_order(field: str):
    """An expression to order by `field` in Danish alphabetical order."""
    expression = models.F(field)
    for letters, spelt in _DANISH_LETTERS:
        expression = Replace(expression, Value(letters), Value(spelt))
    return Lower(expression)


def danish_key(text: str) -> str:
    """The same order for sorting in Python."""
    for letters, spelt in _DANISH_LETTERS:
        text = text.replace(letters, spelt)
    return text.lower()


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
        ordering = [danish_order("name")]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:municipality", kwargs={"slug": self.slug})
