"""Local development and `make run`: the embedded default."""

from config import env

from .base import *  # noqa: F403

# Off by default: `make run` is what people walk, and DEBUG's pages are English and list
# every URL pattern (an outside walk met them at a mistyped address). Tracebacks still
# go to the terminal; `DEBUG=true make run` gives Django's technical pages.
DEBUG = env.boolean("DEBUG", False)
# The app serves image renditions here, as the web server in front does in production.
SERVE_MEDIA_IMAGES = True
# A fixed key is fine for a developer's own machine and never used in production.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS + ["0.0.0.0", "[::1]"]  # noqa: F405
# Mail goes to the terminal that runs `make run` unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Edits to templates and code show at once while developing; `make serve` caches.
PAGE_CACHE_SECONDS = env.integer("PAGE_CACHE_SECONDS", 0)
# runserver's own static handler answers a path like /static/%2e%2e/x with a 500;
# WhiteNoise (already in the middleware) serves static files in development as in
# production, and refuses such paths.
# It goes right above django.contrib.staticfiles (as WhiteNoise says), below
# config.home, whose runserver extends it (links in mails follow the served port).
INSTALLED_APPS = list(INSTALLED_APPS)  # noqa: F405
_STATICFILES = INSTALLED_APPS.index("django.contrib.staticfiles")
INSTALLED_APPS.insert(_STATICFILES, "whitenoise.runserver_nostatic")
