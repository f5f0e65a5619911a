"""Factories shared by the tests and the demo-content command."""

import factory
from allauth.account.models import EmailAddress

from .models import Municipality, Organisation, OrganisationKind, User, WorkArea
from .text import danish_slugify


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: danish_slugify(o.name))
    kind = OrganisationKind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    """A member with a verified e-mail address, able to log in at once."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"medlem{n}@kommune.example")
    first_name = factory.Sequence(lambda n: f"Medlem{n}")
    last_name = "Hansen"
    job_title = "Jobkonsulent"
    municipality = factory.LazyFunction(lambda: Municipality.objects.order_by("?").first())
    password = factory.PostGenerationMethodCall("set_password", "kodeord-123")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def work_areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.work_areas.set(
                extracted
                if not isinstance(extracted[0], str)
                else WorkArea.objects.filter(slug__in=extracted)
            )
