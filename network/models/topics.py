from django.db import models


class _Vocabulary(models.Model):
    """A small editable list used to tag content; the slug is stable for URLs and imports."""

    name = models.CharField("navn", max_length=120, unique=True)
    slug = models.SlugField(
        unique=True, help_text="Bruges i adresser og importfiler. Ændr den ikke."
    )
    description = models.TextField("beskrivelse", blank=True)
    sort_order = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class WorkArea(_Vocabulary):
    """A topic of the employment field (arbejdsområde), e.g. Sygedagpenge og jobafklaring."""

    class Meta(_Vocabulary.Meta):
        verbose_name = "arbejdsområde"
        verbose_name_plural = "arbejdsområder"


class CompetenceProfile(_Vocabulary):
    """A competence profile of the field (fagprofil)."""

    class Meta(_Vocabulary.Meta):
        verbose_name = "fagprofil"
        verbose_name_plural = "fagprofiler"
