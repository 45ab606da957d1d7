import logging
import os
import secrets

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

HEALTHZ_CACHE_KEY = "healthz:probe"
logger = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def _cache() -> str:
    # With Redis, errors are swallowed (DJANGO_REDIS_IGNORE_EXCEPTIONS): a round trip that does
    # not come back is how an outage shows.
    token = secrets.token_hex(8)
    try:
        cache.set(HEALTHZ_CACHE_KEY, token, timeout=30)
        ok = cache.get(HEALTHZ_CACHE_KEY) == token
    except Exception:  # a cache backend without IGNORE_EXCEPTIONS
        ok = False
    return "ok" if ok else "down"


def _storage() -> str:
    try:
        if isinstance(default_storage, FileSystemStorage):
            # The media folder (or, on a fresh install, the first existing parent that
            # Django would create it in) must be writable.
            path = os.path.abspath(default_storage.location)
            while not os.path.exists(path) and os.path.dirname(path) != path:
                path = os.path.dirname(path)
            return "ok" if os.path.isdir(path) and os.access(path, os.W_OK) else "down"
        default_storage.exists("healthz-probe")  # one cheap request to the object store
    except Exception:
        return "down"
    return "ok"


@require_safe
@never_cache
def healthz(request):
    """Load balancers and monitoring: 200 when the database answers, 503 when it does not.

    Cache and media storage are reported too. They do not fail the check: without the cache
    the site keeps serving (slower), and a storage outage only affects uploads and new
    renditions; ``status`` is ``degraded`` then, so monitoring can alert on it.
    """
    checks = {"database": _database(), "cache": _cache(), "storage": _storage()}
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif all(value == "ok" for value in checks.values()):
        status, code = "ok", 200
    else:
        status, code = "degraded", 200
    response = JsonResponse({"status": status, **checks}, status=code)
    if status != "ok":
        logger.warning("healthz: %s", status, extra={"status_code": code, **checks})
        # One warning instead of django.request's ERROR line for every probe while down.
        response._has_been_logged = True
    return response
