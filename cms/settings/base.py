"""Settings shared by every environment. Everything that differs comes from the environment."""

from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet as xstatic_leaflet
import xstatic.pkg.leaflet_markercluster as xstatic_leaflet_markercluster
from csp.constants import NONCE

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "core",
    "home",
    "regions",
    "places",
    "events",
    "applications",
    "publishing",
    "website",
    "api",
    "staticsite",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.api.v2",
    "wagtail.api.v3",
    # API v3 docs page with Swagger UI served from our static files, not a CDN.
    "ninja",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "wagtail_localize",
    "wagtail_localize.locales",
    "modelcluster",
    "taggit",
    "django_filters",
    "corsheaders",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost: turns "database unreachable" into the static 503 page (docs/deployment.md).
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Static files with hashed names and compression, straight from gunicorn (never media).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 400 for a NUL character in the path, the query or a form field, before anything reads it.
    "core.middleware.NulByteMiddleware",
    # Outside the page cache: redirects match the request's own query string, which the
    # page cache hands the view only in its canonical form (core/query_keys.py).
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Whole public pages from the cache, before sessions and routing (website/page_cache.py).
    "website.page_cache.PageCacheMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.FrameAncestorsMiddleware",
    # After FrameAncestorsMiddleware: it sets the policy first, frame-ancestors is appended.
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: process_view runs once the URL is resolved to Wagtail's page view.
    "core.middleware.WagtailSiteMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The public site's templates live in one folder so that the live site and the
        # generated static site render from the same source.
        "DIRS": [BASE_DIR / "frontend_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.site_context",
                "core.context_processors.language_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Planning the page and listing queries costs PostgreSQL 2-4 ms each, more than running
    # them. Server-side binding gives them the same text with other parameters, so psycopg
    # prepares each after its second use per connection and PostgreSQL plans it once.
    # Off for a pooler without prepared-statement support (PgBouncer < 1.21 in
    # transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=2
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The site is German at / and English at /en/ (core/languages.py, docs/languages.md); the
# admin speaks German to editors and translators alike.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = env_str("STATIC_URL", "/static/")
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [
    BASE_DIR / "frontend_templates" / "static",
    # Leaflet ships inside a Python package (xstatic) so that no CDN is ever needed.
    ("vendor/leaflet", xstatic_leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic_leaflet_markercluster.BASE_DIR),
]
# Media: S3-compatible object storage when a bucket is configured (django-storages), the local
# disk otherwise. Original images must never be public: see docs/deployment.md ("Medien").
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as BotoConfig

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            # Renditions get public URLs via the bucket policy on images/ (or a CDN domain);
            # objects are private by default, so original_images/ is never readable.
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN"),
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "location": env_str("AWS_LOCATION", ""),
            # An unreachable object store must not hold a worker (or /healthz) for minutes.
            "client_config": BotoConfig(
                connect_timeout=3, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }
    # Documents stream through Django, which checks collection privacy (a redirect to the
    # private bucket would not work).
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Applicants' photos in a second, never public bucket (else APPLICATIONS_PRIVATE_ROOT on disk).
AWS_PRIVATE_STORAGE_BUCKET_NAME = env_str("AWS_PRIVATE_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME and AWS_PRIVATE_STORAGE_BUCKET_NAME:
    STORAGES["applications"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],
            "bucket_name": AWS_PRIVATE_STORAGE_BUCKET_NAME,
            "custom_domain": None,
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
# Static files are served by whitenoise (MIDDLEWARE); only STATIC_ROOT, never MEDIA_ROOT.
WHITENOISE_MAX_AGE = env_int("WHITENOISE_MAX_AGE", 60 * 60)

# Cache: Redis when REDIS_URL is set (shared by all processes: API cache version, page cache),
# else per-process memory. A Redis outage degrades to "no cache", never to an error.
# "security" holds what must never be evicted (form rate-limit counters, used one-time form
# tokens: applications/security.py), apart from the page and API caches that any visitor can
# fill. With Redis it lives in SECURITY_CACHE_URL (default: REDIS_URL), whose Redis must not
# evict (maxmemory-policy noeviction, docs/deployment.md); without Redis in a memory cache of
# its own that never culls.
REDIS_URL = env_str("REDIS_URL")
SECURITY_CACHE_MAX_ENTRIES = 1_000_000
if REDIS_URL:
    _REDIS_OPTIONS = {
        "IGNORE_EXCEPTIONS": True,
        # Fail fast while Redis is down instead of holding a worker.
        "SOCKET_CONNECT_TIMEOUT": 0.5,
        "SOCKET_TIMEOUT": 0.5,
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kig"),
            "OPTIONS": _REDIS_OPTIONS,
        },
        "security": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env_str("SECURITY_CACHE_URL", REDIS_URL),
            # Its own prefix: clearing or flooding the default cache's keys never touches it.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "kig") + "-security",
            # Fails closed: while it is unreachable the form refuses submissions (and keeps
            # what was entered) rather than letting them past the rate limit and token checks.
            "OPTIONS": {**_REDIS_OPTIONS, "IGNORE_EXCEPTIONS": False},
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "security": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "security",
            "OPTIONS": {"MAX_ENTRIES": SECURITY_CACHE_MAX_ENTRIES},
        },
    }
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "core.cache"

# Per-page cache of public pages (website/page_cache.py, docs/performance.md); 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Parts of public pages that many pages share, kept in the cache by their version
# (docs/performance.md): place cards by the place's revision (website/cards.py), a listing's
# filter choices and count, the home page's counts and nearby places by the API's data
# version (website/listing.py); 0 turns them off. On by default only with a cache that all
# processes share: with one cache per process, one process would not see another's
# invalidation of cards. The lifetime bounds how long an invalidation lost to a cache
# outage can go unseen.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 60 * 60 if REDIS_URL else 0)

# Background work (reference index, renditions, later the static build) runs through
# django-tasks, which Wagtail 8 already uses. The immediate backend needs no worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Generated static site (staticsite/, docs/static-site.md). Empty output: no automatic builds.
STATICSITE_OUTPUT = env_str("STATICSITE_OUTPUT", "")
STATICSITE_BASE_URL = env_str("STATICSITE_BASE_URL", "")  # e.g. https://www.kreativorte.example/
STATICSITE_APP_URL = env_str("STATICSITE_APP_URL", "")  # default: WAGTAILADMIN_BASE_URL
STATICSITE_AUTO_BUILD = env_bool("STATICSITE_AUTO_BUILD", True)
STATICSITE_WORKERS = env_int("STATICSITE_WORKERS", 0)  # 0: min(2, CPUs)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kreativorte im Grünen <noreply@localhost>")

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
# Read-only GETs of the API from any origin (open data); never the admin (CORS_URLS_REGEX).
CORS_ALLOW_ALL_ORIGINS = env_bool("CORS_ALLOW_ALL_ORIGINS", False)
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link"]

# Headless API (docs/api.md): v2 read-only, v3 with tokens for writes, GeoJSON and CSV.
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_SEARCH_ENABLED = True
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_DOCS_ENABLED = env_bool("WAGTAILAPI_DOCS_ENABLED", True)
# Licence of the place data, stated in the GeoJSON, a Link header and the API docs.
PLACES_DATA_LICENCE = {
    "name": env_str("PLACES_DATA_LICENCE_NAME", "CC BY 4.0"),
    "url": env_str(
        "PLACES_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.de"
    ),
    "attribution": env_str("PLACES_DATA_ATTRIBUTION", "Kreativorte im Grünen"),
}
# Cache-Control max-age of API responses; 0 = clients revalidate (cheap 304) every time.
PLACES_API_MAX_AGE = env_int("PLACES_API_MAX_AGE", 0)
# API v2 answers for anonymous GETs kept in the cache under the data version (as the GeoJSON
# and CSV bodies are); 0 turns it off. Short: every publish makes a new version.
PLACES_API_RESPONSE_CACHE_SECONDS = env_int("PLACES_API_RESPONSE_CACHE_SECONDS", 600)
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # API v2 is anonymous and read-only: sessions never widen what it shows.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}

# Wagtail
WAGTAIL_SITE_NAME = "Kreativorte im Grünen"
WAGTAILADMIN_USER_LOGIN_FORM = "core.forms.GermanLoginForm"
# The address the site is served on (scheme, host, port; no path): the one source for absolute
# URLs made without a request (e-mails, the demo's Wagtail Site, the static build's default
# base URL). With a request, pages and the API take the request's host. `make run` sets it to
# http://HOST:PORT; production sets its public address (docs/deployment.md, "Adresse").
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", SITE_URL)
WAGTAIL_I18N_ENABLED = True
# A new translation starts as a draft for the region's approval, also of a live page
# (wagtail-localize would publish it at once with the German text; regions/translation.py).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# No language variants of purged URLs: publishing/changes.py purges both addresses itself
# (/altmark/ and /en/altmark/); Wagtail would add a wrong /de/… for every /en/… URL.
WAGTAILFRONTENDCACHE_LANGUAGES = []
WAGTAILIMAGES_IMAGE_MODEL = "core.CustomImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
# Decoding costs about 4 bytes a pixel per worker: 24 MP (a 6000 × 4000 camera photo) is enough.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 24_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "avif"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend: PostgreSQL full-text search (German config) on
        # PostgreSQL, a simpler fallback on SQLite.
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "german",
    }
}
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Applications ("Mitmachen", docs/mitmachen.md). The form sets no cookie: it carries a signed,
# time-stamped token and checks Origin/Referer instead of Django's CSRF cookie.
APPLICATIONS_ALLOWED_ORIGINS = env_list("APPLICATIONS_ALLOWED_ORIGINS")
APPLICATIONS_MIN_FILL_SECONDS = env_int("APPLICATIONS_MIN_FILL_SECONDS", 3)
APPLICATIONS_MAX_FORM_AGE_SECONDS = env_int("APPLICATIONS_MAX_FORM_AGE_SECONDS", 2 * 60 * 60)
APPLICATIONS_RATE_LIMIT = env_int("APPLICATIONS_RATE_LIMIT", 10)  # form posts per IP …
APPLICATIONS_RATE_LIMIT_WINDOW = env_int("APPLICATIONS_RATE_LIMIT_WINDOW", 10 * 60)  # … seconds
# The visitor's address for the rate limit (docs/deployment.md, "Reverse-Proxy"). Behind a
# proxy REMOTE_ADDR is the proxy, so all visitors would share one quota. Either name a header
# the proxy sets itself (nginx: `proxy_set_header X-Real-IP $remote_addr;` →
# APPLICATIONS_CLIENT_IP_HEADER=X-Real-IP), or trust X-Forwarded-For: then the entry that the
# outermost of APPLICATIONS_TRUSTED_PROXY_COUNT proxies appended (counted from the right) is
# taken, never the client-controlled left-most one.
APPLICATIONS_CLIENT_IP_HEADER = env_str("APPLICATIONS_CLIENT_IP_HEADER", "")
APPLICATIONS_TRUST_X_FORWARDED_FOR = env_bool("APPLICATIONS_TRUST_X_FORWARDED_FOR", False)
APPLICATIONS_TRUSTED_PROXY_COUNT = env_int("APPLICATIONS_TRUSTED_PROXY_COUNT", 1)
APPLICATIONS_MAX_PHOTOS = 3
APPLICATIONS_MAX_PHOTO_SIZE = env_int("APPLICATIONS_MAX_PHOTO_SIZE", 5 * 1024 * 1024)
APPLICATIONS_MAX_REQUEST_SIZE = env_int("APPLICATIONS_MAX_REQUEST_SIZE", 25 * 1024 * 1024)
APPLICATIONS_PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# Uploaded photos stay outside MEDIA_ROOT (never served publicly); editors see them through a
# permission-checked admin view.
APPLICATIONS_PRIVATE_ROOT = Path(
    env_str("APPLICATIONS_PRIVATE_ROOT", str(BASE_DIR / "private-media"))
)
APPLICATIONS_FALLBACK_EMAIL = env_str("APPLICATIONS_FALLBACK_EMAIL", "kreativorte@altmark.de")
APPLICATIONS_PORTAL_TEAM_GROUP = "Portalteam"
APPLICATIONS_RETENTION_DAYS = env_int("APPLICATIONS_RETENTION_DAYS", 180)
# Open applications ("neu", "in Prüfung") unchanged for this long are anonymised as abandoned.
APPLICATIONS_STALE_DAYS = env_int("APPLICATIONS_STALE_DAYS", 365)
APPLICATIONS_MAX_MAIL_ATTEMPTS = env_int("APPLICATIONS_MAX_MAIL_ATTEMPTS", 20)
APPLICATIONS_CONFIRMATIONS_PER_ADDRESS = env_int("APPLICATIONS_CONFIRMATIONS_PER_ADDRESS", 3)
PRIVACY_NOTICE_VERSION = env_str("PRIVACY_NOTICE_VERSION", "2026-11")

# Maps. Tiles are only requested after a visitor (or editor) agrees; an empty URL turns
# tiles off entirely (tests, offline installs).
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
)
# Named on the public "Karte laden" button, so visitors know whom their browser will contact.
MAP_TILE_PROVIDER_NAME = env_str("MAP_TILE_PROVIDER_NAME", "OpenStreetMap")
# "Punkt aus Adresse setzen" in the place form (places.geocoding): a Nominatim-compatible
# search endpoint, e.g. https://nominatim.openstreetmap.org/search. Empty (default): no
# request to anyone; the button uses the shipped table of Saxony-Anhalt's municipalities.
GEOCODER_URL = env_str("GEOCODER_URL", "")
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "Kreativorte im Gruenen (Redaktion)")
GEOCODER_TIMEOUT = env_int("GEOCODER_TIMEOUT", 5)

# Content-Security-Policy (django-csp 4, via core.middleware.ContentSecurityPolicyMiddleware):
# no inline scripts or styles on the public site; the map tile host is added to img-src at
# runtime from MAP_TILE_URL; frame-ancestors comes from FrameAncestorsMiddleware below.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *env_list("CSP_IMG_SRC")],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
# The Wagtail admin (8.0) still renders inline <script> blocks (widget and panel set-up) and
# inline style attributes, so /admin/ allows 'unsafe-inline' for scripts and styles (without
# a nonce, which would make browsers ignore 'unsafe-inline'). Everything else stays as strict
# as on the public site. Checked in Chromium: tests/test_browser_production.py.
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}
# Browser features nobody on this site needs (Permissions-Policy header).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Framing: every page refuses it (X-Frame-Options and CSP frame-ancestors), except the
# embeddable map /einbetten/karte/, which partners may frame from these origins.
X_FRAME_OPTIONS = "DENY"
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", ["*"])

# Who may log in to the demo: `make run` creates an account only when this is true.
DEMO_MODE = env_bool("DEMO_MODE", False)

# LOG_FORMAT=json (the default in production): one JSON object per line on stderr.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "filters": {"cache_outage": {"()": "core.logging.CacheOutageFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "core.cache": {"filters": ["cache_outage"], "level": "WARNING"},
    },
}

# No calls home from the admin: no update check, no Gravatar (DSGVO, offline installs).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
