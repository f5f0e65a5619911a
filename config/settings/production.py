"""Production: every secret comes from the environment, with no default."""

from config import env

from .base import *  # noqa: F403

SECRET_KEY = env.string("SECRET_KEY", env.REQUIRED)
ALLOWED_HOSTS = env.csv_list("ALLOWED_HOSTS", env.REQUIRED)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
# A real site (over https) opens its admin only to accounts with two-factor login;
# `make serve` over plain HTTP keeps the demo logins' password-only admin.
ADMIN_REQUIRES_TWO_FACTOR = env.boolean("ADMIN_REQUIRES_TWO_FACTOR", SECURE_SSL_REDIRECT)
# Every link in a mail (confirmations, invitations, the newsletter's List-Unsubscribe,
# which RFC 8058 requires to be https) is built from SITE_URL. A site that redirects to
# https must name its https address; only a local run over plain HTTP (`make serve`,
# SECURE_SSL_REDIRECT=false) may keep the http default.
if SECURE_SSL_REDIRECT:
    SITE_URL = env.string("SITE_URL", env.REQUIRED).rstrip("/")
    if not SITE_URL.startswith("https://"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"SITE_URL must be the site's https:// address in production, not {SITE_URL!r}."
        )
    WAGTAILADMIN_BASE_URL = SITE_URL
    WAGTAILAPI_BASE_URL = SITE_URL
    # The sender of every mail: a real site's own address (SPF and DMARC are checked
    # against it), never the development default's noreply@localhost.
    DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", env.REQUIRED)
    SERVER_EMAIL = DEFAULT_FROM_EMAIL
    _sender = DEFAULT_FROM_EMAIL.strip().rstrip(">").lower()
    if "@" not in _sender or _sender.endswith(("@localhost", ".localhost")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "DEFAULT_FROM_EMAIL must be an address of the site's own domain in production, "
            f"not {DEFAULT_FROM_EMAIL!r}."
        )
# Only `make serve` (plain HTTP on loopback) turns these off.
SESSION_COOKIE_SECURE = env.boolean("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP
LOG_FORMAT = "json"
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
LOGGING["loggers"]["netvaerk.requests"]["level"] = env.string(  # noqa: F405
    "REQUEST_LOG_LEVEL", "INFO"
)
# Several app servers share sessions through the database and rate limits through
# the cache: REDIS_URL is required in production.
REDIS_URL = env.string("REDIS_URL", env.REQUIRED)
CACHES = redis_caches(REDIS_URL)  # noqa: F405
TASKS_BACKEND = env.string("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "config.worker.backend.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}
