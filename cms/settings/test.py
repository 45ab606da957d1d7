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
# Off: the cache outlives the per-test rollback. tests/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
# Off too, so that the tests see the API's rendering; places/tests/test_api_v2.py turns it on.
PLACES_API_RESPONSE_CACHE_SECONDS = 0
# Off too (every card and filter form from the database); places/tests/test_fragment_cache.py
# turns it on.
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
