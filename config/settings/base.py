"""Settings shared by every environment, safe for production.

dev.py and test.py loosen them; production.py tightens them. Everything read
from the environment goes through config.env.
"""

from pathlib import Path

import dj_database_url

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CONFIG_DIR = BASE_DIR / "config"

SECRET_KEY = env.string("SECRET_KEY", "")
DEBUG = False
# Image renditions from the app (config/media.py): on in the embedded default only.
SERVE_MEDIA_IMAGES = False
ALLOWED_HOSTS = env.csv_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.csv_list("CSRF_TRUSTED_ORIGINS", [])
# Where the site is served: links in mails and feeds. Set it in production; on a
# development machine it follows PORT (`PORT=8080 make run`).
SITE_URL = env.string("SITE_URL", f"http://127.0.0.1:{env.integer('PORT', 8000)}").rstrip("/")

INSTALLED_APPS = [
    # Our apps, lowest layer first (see docs/architecture.md).
    "network",
    "experiences",
    "projects",
    "search",
    "newsletters",
    "config.home",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "network.apps.UsersAppConfig",  # wagtail.users with the member fields
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Background work (config.worker first: its db_worker holds a lease)
    "config.worker",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.RejectNulMiddleware",
    "config.middleware.SiteMethodsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "network.middleware.ReaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.DraftMiddleware",
    "config.pagecache.AnonymousPageCacheMiddleware",
    "config.middleware.LoginForNotFoundMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "config.middleware.IncompleteFormMiddleware",
    "config.publishing.WorkflowApprovalMiddleware",
    "config.middleware.AdminTwoFactorMiddleware",
]
# The admin opens only to accounts with two-factor login (on in production over https).
ADMIN_REQUIRES_TWO_FACTOR = env.boolean("ADMIN_REQUIRES_TWO_FACTOR", False)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [CONFIG_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "config.home.context_processors.site",
                "newsletters.context_processors.notifications",
            ],
        },
    },
]

# Database: a SQLite file in the repository unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env.string("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer of the embedded default overlap;
    # IMMEDIATE avoids "database is locked" when two requests upgrade to write.
    # Reads go through a memory map of the file (the operating system's page cache,
    # shared by every connection) rather than each connection's own small cache:
    # the search index reads large parts of the full-text table per query.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache: required as soon as there is more than one app server, because
# login rate limits and the like are counted in it. A Redis outage degrades instead
# of failing (config/cache.py): "default" serves misses, "ratelimit" reports the
# outage so each limit fails the way network/ratelimit.py says.
REDIS_URL = env.string("REDIS_URL", "")


def redis_caches(url: str) -> dict:
    backend = "config.cache.ResilientRedisCache"
    return {
        "default": {"BACKEND": backend, "LOCATION": url},
        "ratelimit": {"BACKEND": backend, "LOCATION": url, "OPTIONS": {"FAIL_SILENTLY": False}},
        "search": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "search"},
    }


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ratelimit",
        },
        # Broad matches of the search index (search/backends/matchcache.py), up to
        # ~1.5 MB each at 100,000 documents.
        "search": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "search",
            "OPTIONS": {"MAX_ENTRIES": 64},
        },
    }

# Clients are told apart by their address (network/ratelimit.py `client_ip`): the
# connecting one, or behind N trusted proxies (nginx: 1) the N-th X-Forwarded-For
# entry from the right. Every limit, allauth's included, counts by it.
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Whole-page cache for anonymous visitors on public pages (config/pagecache.py);
# 0 turns it off. Invalidated on every publish and every change of shown content.
PAGE_CACHE_SECONDS = env.integer("PAGE_CACHE_SECONDS", 300)

# Background work: in-process on the embedded default, a database queue and a
# worker process (`manage.py db_worker`) when TASKS_BACKEND=database.
TASKS_BACKEND = env.string("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "config.worker.backend.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}
# Newsletter sending (newsletters/sending.py): a send run renews its lease this often,
# and is taken for dead when it has not for the lease time (at once when its process on
# this host is gone). A mail server that is away is retried with backoff this long
# before the send stops, resumable (exit status 75).
NEWSLETTER_SEND_HEARTBEAT_SECONDS = env.integer("NEWSLETTER_SEND_HEARTBEAT_SECONDS", 5)
NEWSLETTER_SEND_LEASE_SECONDS = env.integer("NEWSLETTER_SEND_LEASE_SECONDS", 60)
NEWSLETTER_SMTP_RETRY_SECONDS = env.integer("NEWSLETTER_SMTP_RETRY_SECONDS", 300)
# A database that goes away mid-send: a sent mail's record is retried this long.
NEWSLETTER_DB_RETRY_SECONDS = env.integer("NEWSLETTER_DB_RETRY_SECONDS", 30)
# Connections to the mail server a send uses at once, each from a thread of its own.
NEWSLETTER_SMTP_CONNECTIONS = env.integer("NEWSLETTER_SMTP_CONNECTIONS", 2)
# A worker renews its lease this often; a task whose worker has not renewed for the
# lease time is run again, at most TASK_MAX_ATTEMPTS times (config/worker/leases.py).
TASK_WORKER_HEARTBEAT_SECONDS = env.integer("TASK_WORKER_HEARTBEAT_SECONDS", 10)
TASK_WORKER_LEASE_SECONDS = env.integer("TASK_WORKER_LEASE_SECONDS", 60)
TASK_MAX_ATTEMPTS = env.integer("TASK_MAX_ATTEMPTS", 3)

# Accounts
AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
CSRF_FAILURE_VIEW = "config.csrf.csrf_failure"
# After login a member lands on *Mit overblik* (config/home/overview.py).
LOGIN_REDIRECT_URL = "/overblik/"
ACCOUNT_ADAPTER = "network.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "network.forms.SignupExtraForm"
# An address pending a change is nobody's for a password reset or a sign-up
# (network/account_forms.py).
ACCOUNT_FORMS = {
    "reset_password": "network.account_forms.SiteResetPasswordForm",
    "signup": "network.account_forms.SiteSignupForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
# A mail to the account (to the old address, for a change of address) when its password
# or address changes, so a change the member did not make is noticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Beskæftigelsesnetværket] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# A logged-in member sent to the login page (by /admin/, or a page limited to a group)
# sees it, with a word that they lack access, instead of being sent straight back: the
# page sent them here again, and the browser gave up ("too many redirects").
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Failed logins: 5 per 5 minutes per account, and 30 a minute per IP address. A
# jobcentre's staff share one public address: at 10 a minute, a few mistyped passwords
# there locked every colleague out for a minute (an outside check).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Beskæftigelsesnetværket"

# E-mail
EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Beskæftigelsesnetværket <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Language: Danish user interface, Danish dates, Copenhagen time.
LANGUAGE_CODE = "da"
# Django's Danish formats, with more ways to type a date and a time (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGES = [("da", "Dansk")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("da", "Dansk"), ("en", "English")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [CONFIG_DIR / "locale"]

# Static files and uploads
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [CONFIG_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.string("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = "Beskæftigelsesnetværket"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL  # the open data API's detail_url
# No Gravatar: our CSP would block it (a broken avatar), and it would tell a third
# party which editors use the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILIMAGES_IMAGE_MODEL = "network.SiteImage"
WAGTAILDOCS_DOCUMENT_MODEL = "network.SiteDocument"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Words only (config/wagtailsearch.py): no query can be read as FTS5/tsquery syntax.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "config.wagtailsearch"}}
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"

# Site search (docs/search.md): the database index is always kept; Elasticsearch is
# written too and answers searches when ELASTICSEARCH_URL is set and reachable.
ELASTICSEARCH_URL = env.string("ELASTICSEARCH_URL", "")
SEARCH_API_RATE_PER_MINUTE = env.integer("SEARCH_API_RATE_PER_MINUTE", 120)
SEARCH_PAGE_RATE_PER_MINUTE = env.integer("SEARCH_PAGE_RATE_PER_MINUTE", 120)
SEARCH_INDEX_PREFIX = env.string("SEARCH_INDEX_PREFIX", "netvaerk")
# Keep the database index's broad matches in the `search` cache until the index next
# changes (search/backends/matchcache.py); off only to measure a search without it.
SEARCH_MATCH_CACHE = env.boolean("SEARCH_MATCH_CACHE", True)
ELASTICSEARCH_SHARDS = env.integer("ELASTICSEARCH_SHARDS", 1)
ELASTICSEARCH_REPLICAS = env.integer("ELASTICSEARCH_REPLICAS", 1)
# Seconds for a search; bulk writes, index creation and the alias swap get the longer one.
ELASTICSEARCH_TIMEOUT = env.integer("ELASTICSEARCH_TIMEOUT", 5)
ELASTICSEARCH_BULK_TIMEOUT = env.integer("ELASTICSEARCH_BULK_TIMEOUT", 60)
# A secured cluster (Elasticsearch 8 starts with TLS and authentication on): the CA
# certificate file or the certificate's SHA-256 fingerprint, and an API key (preferred)
# or a user and password.
ELASTICSEARCH_CA_CERTS = env.string("ELASTICSEARCH_CA_CERTS", "")
ELASTICSEARCH_FINGERPRINT = env.string("ELASTICSEARCH_FINGERPRINT", "")
ELASTICSEARCH_API_KEY = env.string("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_USERNAME = env.string("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = env.string("ELASTICSEARCH_PASSWORD", "")

# Content-Security-Policy: no inline or foreign scripts on the public site. Video
# embeds may frame the two video hosts editors use.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
ADMIN_URL_PREFIXES = ("/admin/",)
# network.drafts never keeps what was posted to these (sign-in, two-factor codes, admin).
DRAFT_EXCLUDED_PREFIXES = (*ADMIN_URL_PREFIXES, "/konto/")
# Where a logged-out browser's not-found is sent to log in (LoginForNotFoundMiddleware):
# the addresses of things that may be hidden from it.
LOGIN_FOR_NOT_FOUND_PREFIXES = ("/projekter/", "/dokumenter/", "/medlemmer/")
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its preview views SAMEORIGIN itself

LOG_FORMAT = env.string("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logformat.JsonFormatter"},
    },
    "filters": {"client_errors": {"()": "config.logformat.NoTracebackForClientErrors"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    # One line per task run is noise in the embedded default, where tasks run inline.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        # One line per request: on in production (JSON), quiet in dev and tests.
        "netvaerk.requests": {"level": env.string("REQUEST_LOG_LEVEL", "WARNING")},
    },
}

# One login (config/login.py): Wagtail's password reset and password change forms are
# off; members reset and change passwords through allauth at /konto/.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# Nor does the admin's account page change the login address: it did so with no
# confirmation (an outside check took over a subscriber's newsletter that way), and a
# changed case of another member's address gave a 500. allauth's /konto/email/ does it,
# confirmed by mail.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# The open data API is anonymous and read-only. DRF's default Basic authentication
# would check a password with no two-factor step and no lockout: sessions only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}
