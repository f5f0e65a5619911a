"""What this app contributes to the layers below and above it."""

from network.sections import Section, municipality_sections


def register() -> None:
    from . import importing, queries

    importing.register()

    municipality_sections.register(
        Section(
            key="experiences",
            title="Erfaringer",
            template="experiences/includes/section.html",
            items=lambda request, municipality: queries.for_municipality(municipality),
            order=10,
            more_url=_more_url,
            feed_url=_feed_url,
        )
    )


def _more_url(municipality):
    from .models import ExperienceIndexPage

    index = ExperienceIndexPage.objects.live().first()
    return f"{index.url}?kommune={municipality.slug}" if index else None


def _feed_url(municipality):
    from .models import ExperienceIndexPage

    index = ExperienceIndexPage.objects.live().first()
    return f"{index.url}feed/?kommune={municipality.slug}" if index else None
