from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .navigation import clear_cache


def connect() -> None:
    page_published.connect(clear_cache, dispatch_uid="nav-published")
    page_unpublished.connect(clear_cache, dispatch_uid="nav-unpublished")
    post_page_move.connect(clear_cache, dispatch_uid="nav-moved")
    post_delete.connect(_on_delete, dispatch_uid="nav-deleted")


def _on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        clear_cache()
