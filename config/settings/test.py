"""pytest settings: fast hashing, in-memory mail, in-process tasks."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests see fresh renderings; tests/config/test_pagecache.py turns the cache on.
PAGE_CACHE_SECONDS = 0
# Uploads go to a folder of their own per test process (pytest-xdist runs two), never
# into the development site's media/.
MEDIA_ROOT = (
    Path(tempfile.gettempdir())
    / "netvaerk-test-media"
    / os.environ.get("PYTEST_XDIST_WORKER", "main")
)
# A mail server that goes away stops a send at once (tests/newsletters/test_smtp.py
# sets its own retry time).
NEWSLETTER_SMTP_RETRY_SECONDS = 0
# Tests run inside a transaction that other threads' connections cannot see: one
# sender (tests/newsletters/test_smtp.py runs the threaded default in real processes).
NEWSLETTER_SMTP_CONNECTIONS = 1
