from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projekter"

    def ready(self):
        from . import registrations

        registrations.register()
