"""Blocks on the front page that content apps contribute (newest experiences,
upcoming events, ...). Same mechanism as the municipality page."""

from network.sections import SectionRegistry

home_sections = SectionRegistry()


def register() -> None:
    from experiences import queries as experience_queries
    from experiences.models import ExperienceIndexPage
    from network.sections import Section

    def all_experiences(_obj):
        index = ExperienceIndexPage.objects.live().first()
        return index.url if index else None

    home_sections.register(
        Section(
            key="newest-experiences",
            title="Nye erfaringer",
            template="experiences/includes/section.html",
            items=lambda request, page: experience_queries.newest(6),
            order=10,
            more_url=all_experiences,
        )
    )
