"""`manage.py runserver` that puts the links in mails where it serves.

Mails, feeds and the admin build absolute links from SITE_URL, which defaults to
`http://127.0.0.1:$PORT` (PORT 8000). `make run PORT=8602` sets both, but a plain
`manage.py runserver 8602` left SITE_URL on port 8000: every confirmation and
invitation mail linked to a port nothing listened on. Unless SITE_URL or PORT is set
(they win), the served address becomes SITE_URL, and the default Wagtail site follows
it, as `seed_demo` points it for `make run`.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import DatabaseError
from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as RunserverCommand,
)


def follow_served_address(addr: str, port: str | int) -> str | None:
    """Point SITE_URL (and the admin's and API's base URL, and the default Wagtail
    site) at the served address; returns it, or None if the environment set one."""
    if os.environ.get("SITE_URL") or os.environ.get("PORT"):
        return None
    host = "127.0.0.1" if addr in ("", "0", "0.0.0.0", "::") else addr
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{port}"
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = settings.WAGTAILAPI_BASE_URL = url
    try:
        from config.home.demo import site_address

        site_address()
    except DatabaseError:  # not migrated yet: the next start sets it
        pass
    return url


class Command(RunserverCommand):
    def inner_run(self, *args, **options):
        url = follow_served_address(self.addr, self.port)
        if url:
            self.stdout.write(f"Links i mails peger på {url}, hvor serveren svarer.")
        super().inner_run(*args, **options)
