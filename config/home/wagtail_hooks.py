from wagtail import hooks

from config import publishing

hooks.register("before_bulk_action", publishing.before_bulk_publish)
