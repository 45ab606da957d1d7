from .base import *  # noqa: F403

DEBUG = False
DEMO_MODE = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "build" / "test-media"  # noqa: F405
APPLICATIONS_PRIVATE_ROOT = BASE_DIR / "build" / "test-private-media"  # noqa: F405
APPLICATIONS_MIN_FILL_SECONDS = 1
# Nothing in the tests may reach the internet: no tiles, no oEmbed lookups.
MAP_TILE_URL = ""
# The caches as production has them (cms/settings/base.py defaults), so that the tests see
# what visitors get: whole pages and API answers from the cache, the second answer the same
# bytes as the first. conftest.py empties every cache around each test (a cached body must not
# leak into the next test). Kept parts of pages (FRAGMENT_CACHE_SECONDS) are off, as in
# production without Redis; places/tests/test_fragment_cache.py turns them on.
PAGE_CACHE_SECONDS = 600
PLACES_API_RESPONSE_CACHE_SECONDS = 600
FRAGMENT_CACHE_SECONDS = 0
WAGTAILEMBEDS_FINDERS = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# whitenoise looks up files per request instead of expecting a collected STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
    "filters": {"cache_outage": {"()": "core.logging.CacheOutageFilter"}},
    "loggers": {"core.cache": {"filters": ["cache_outage"], "level": "WARNING"}},
}
