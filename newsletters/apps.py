from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Nyhedsbreve"

    def ready(self):
        from . import registrations

        registrations.register()
