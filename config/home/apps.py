from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "config.home"
    label = "home"
    verbose_name = "Forside"

    def ready(self):
        from . import admin_fixes, sections, signals, wiring

        admin_fixes.mend_choosers()
        admin_fixes.keep_typed_dates()
        admin_fixes.excel_readable_csv()
        signals.connect()
        sections.register()
        wiring.connect()

        from config import cache, pagecache
        from experiences.queries import bump_content_version

        pagecache.connect()
        # A publish during a cache outage could not invalidate what was cached.
        cache.on_recovery(pagecache.bump)
        cache.on_recovery(bump_content_version)
