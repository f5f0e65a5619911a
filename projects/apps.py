from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projekter"

    def ready(self):
        from wagtail.signals import page_published

        from . import registrations
        from .models import EventPage

        registrations.register()
        # Material published on an event that has ended: attendees hear about it once.
        page_published.connect(
            _event_published, sender=EventPage, dispatch_uid="projects-event-material"
        )


def _event_published(sender, instance, **kwargs):
    from .services import notify_new_material

    notify_new_material(instance)
