from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Søgning"

    def ready(self):
        from django.db.models.signals import post_migrate

        from network.importing import registry as import_registry

        from . import signals

        signals.connect()
        # An import reindexes what it wrote once, in bulk, not page by page.
        import_registry.wrap_batch("search", signals.deferred_indexing)
        post_migrate.connect(_prune_index, sender=self)
        from django.db.models.signals import post_delete, post_save

        from .models import SynonymGroup

        post_save.connect(_synonyms_changed, sender=SynonymGroup)
        post_delete.connect(_synonyms_changed, sender=SynonymGroup)


def _synonyms_changed(sender, **kwargs):
    """Searches in this process use the new groups at once (others within
    expansion.SYNONYMS_TTL_SECONDS), and Elasticsearch's synonyms set follows."""
    from . import backends, expansion

    expansion.forget_synonyms()
    es = backends.elasticsearch_backend()
    if es is not None:
        es.put_synonyms()


def _prune_index(sender, using="default", **kwargs):
    """After migrate or flush: no full-text row may outlive its entry."""
    from django.db import connections

    from . import backends

    backend = backends.database_backend()
    tables = connections[using].introspection.table_names()
    # All exist unless the search app is migrated back before its index tables.
    if {"search_searchentry", "search_indexstate", backend.dialect.table} <= set(tables):
        backend.prune()
