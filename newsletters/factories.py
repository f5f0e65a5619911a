"""Factories shared by the tests, the benchmark and the demo content."""

import factory
from django.utils import timezone

from network.models import WorkArea

from .models import Edition, EditionItem, EditionStatus, Subscriber, SubscriberStatus


def _areas(extracted):
    if extracted and isinstance(next(iter(extracted)), str):
        return WorkArea.objects.filter(slug__in=extracted)
    return extracted


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber; pass work_areas=["unge", ...] (slugs or objects)."""

    class Meta:
        model = Subscriber
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"abonnent{n}@kommune.example")
    status = SubscriberStatus.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)
    confirm_nonce = "fabrik"

    @factory.post_generation
    def work_areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.work_areas.set(_areas(extracted))

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            from network.models import Municipality

            obj.municipalities.set(Municipality.objects.filter(code__in=extracted))


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    subject = factory.Sequence(lambda n: f"Nyhedsbrev nr. {n}")
    intro = "Her er det nye fra netværket."
    status = EditionStatus.DRAFT


class EditionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EditionItem

    edition = factory.SubFactory(EditionFactory)
    work_area = factory.LazyFunction(lambda: WorkArea.objects.order_by("sort_order").first())
    title = factory.Sequence(lambda n: f"Nyhed {n}")
    summary = "Et kort resumé af det nye."
    url = factory.Sequence(lambda n: f"/erfaringer/nyhed-{n}/")
    kind = "Artikel"
    sort_order = factory.Sequence(lambda n: n)


def edition_with_items(per_area: dict[str, int], **kwargs) -> Edition:
    """An edition with `count` items in each work area (by slug)."""
    edition = EditionFactory(**kwargs)
    for slug, count in per_area.items():
        area = WorkArea.objects.get(slug=slug)
        for _ in range(count):
            EditionItemFactory(edition=edition, work_area=area)
    return edition
