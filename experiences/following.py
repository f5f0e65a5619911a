"""New experiences are announced to those who follow their municipalities and work
areas (newsletters/following.py); whether a follower may see one is asked at
delivery: the page must still be live and public."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from network.numbers import parse_int
from newsletters.following import Announcement, Kind, announce, first_publication, register_kind

from .models import ExperiencePage


def _experience(key):
    pk = parse_int(str(key), 1, 2**63 - 1)
    if pk is None:
        return None
    return ExperiencePage.objects.live().public().filter(pk=pk).first()


def register() -> None:
    from wagtail.signals import page_published

    register_kind(
        Kind(
            key="experience",
            resolve=_experience,
            can_see=lambda user, page: True,  # resolve() finds live, public pages only
            label=lambda page: page.title,
            url=lambda page: page.url,
        )
    )
    page_published.connect(_published, sender=ExperiencePage, dispatch_uid="follow-experience")


# An article dated further back than this is not news: importing an archive of old
# articles announces none of them to followers.
NEWS_MAX_AGE = timedelta(days=30)


def _published(sender, instance, revision=None, **kwargs):
    if not first_publication(instance):
        return
    if instance.published_date and instance.published_date < timezone.localdate() - NEWS_MAX_AGE:
        return
    about = [("municipality", m.code) for m in instance.municipalities.all()]
    about += [("work_area", w.slug) for w in instance.work_areas.all()]
    if not about:
        return
    names = ", ".join(m.name for m in instance.municipalities.all())
    announce(
        Announcement(
            event_key=f"experience:{instance.pk}",
            object_kind="experience",
            object_key=str(instance.pk),
            title=f"Ny erfaring{f' fra {names}' if names else ''}: {instance.title}",
            text=instance.lead,
            url=instance.url or "",
            about=tuple(about),
        )
    )
