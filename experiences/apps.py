from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "experiences"
    verbose_name = "Erfaringer"

    def ready(self):
        from . import registrations

        registrations.register()
