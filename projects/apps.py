from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projekter"

    def ready(self):
        from wagtail.signals import page_published

        from network import drafts

        from . import registrations
        from .forms import CommentForm, TrialActionForm, UpdateForm
        from .models import EventPage

        registrations.register()
        # What a member wrote in these forms is kept if their session ended meanwhile.
        drafts.register(TrialActionForm, CommentForm, UpdateForm)
        # Material published on an event that has ended: attendees hear about it once.
        page_published.connect(
            _event_published, sender=EventPage, dispatch_uid="projects-event-material"
        )


def _event_published(sender, instance, **kwargs):
    from .services import fill_freed_seats, notify_changed_event, notify_new_material

    notify_new_material(instance)
    # A new time or place: attendees hear of it, with an .ics that updates it.
    notify_changed_event(instance)
    # More seats: the waiting list moves up first.
    fill_freed_seats(instance)
