"""Blocks on the front page that content apps contribute (newest experiences,
upcoming events, ...). Same mechanism as the municipality page."""

from network.sections import SectionRegistry

home_sections = SectionRegistry()


def register() -> None:
    from experiences import queries as experience_queries
    from experiences.models import ExperienceIndexPage
    from network.sections import Section
    from projects import queries as project_queries
    from projects.models import ProjectIndexPage

    def all_projects(_obj):
        index = ProjectIndexPage.objects.live().first()
        return index.url if index else None

    home_sections.register(
        Section(
            key="upcoming-events",
            title="Kommende temadage og webseminarer",
            template="projects/includes/section_events.html",
            items=lambda request, page: project_queries.upcoming_events(request.user, 4),
            order=20,
        )
    )
    home_sections.register(
        Section(
            key="active-projects",
            title="Aktive projekter",
            template="projects/includes/section_projects.html",
            items=lambda request, page: project_queries.active_projects(request.user, 4),
            order=30,
            more_url=all_projects,
        )
    )

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
