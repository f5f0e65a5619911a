from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "config.home"
    label = "home"
    verbose_name = "Forside"

    def ready(self):
        from . import sections, signals, wiring

        signals.connect()
        sections.register()
        wiring.connect()

        from config import pagecache

        pagecache.connect()
