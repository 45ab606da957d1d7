"""The one version of the public data: every cache, validator and kept part derives from it.

Two ingredients make it up:

* a counter in Django's cache, bumped by ``publishing.changes`` whenever something public
  may have changed (every change the receivers hear: publish, unpublish, delete, move, view
  restrictions, reference data, images, a ``migrate``), at once and again after the commit.
  With a shared cache (Redis in production) this invalidates every worker at once.
* a fingerprint read from the database in one query of primary-key lookups (newest page,
  page log entry, revision, model log entry: see ``_database_fingerprint``). It catches
  changes made by another process whose cache the counter does not reach (e.g. several
  workers with a local-memory cache): Wagtail logs every publish, unpublish, move and
  delete. Its cost does not grow with the number of pages.
"""

import hashlib
import time
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection
from django.utils.dateparse import parse_datetime

from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision

VERSION_CACHE_KEY = "data-version"


def bump_version() -> None:
    """Everything derived from the old version becomes stale at once."""
    cache.set(VERSION_CACHE_KEY, f"{time.time_ns():x}", timeout=None)


def _counter() -> str:
    value = cache.get(VERSION_CACHE_KEY)
    if value is None:
        value = f"{time.time_ns():x}"
        # add() keeps a value another process may have set in the meantime.
        if not cache.add(VERSION_CACHE_KEY, value, timeout=None):
            value = cache.get(VERSION_CACHE_KEY, value)
    return value


def _database_fingerprint() -> tuple:
    """The newest page, page log entry, revision and model log entry ids, and the time of
    the newest page log entry (above): publishing, unpublishing, moving, deleting or creating
    a page, and editors' changes to images or view restrictions all add a row to one of these."""
    quote = connection.ops.quote_name
    pk = quote("id")

    def newest(model, column=None):
        table = quote(model._meta.db_table)
        if column is None:
            return f"(SELECT MAX({pk}) FROM {table})"
        return f"(SELECT {quote(column)} FROM {table} ORDER BY {pk} DESC LIMIT 1)"

    columns = [
        newest(Page),
        newest(PageLogEntry),
        newest(Revision),
        newest(ModelLogEntry),
        newest(PageLogEntry, "timestamp"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        *ids, logged_at = cursor.fetchone()
    if isinstance(logged_at, str):  # SQLite
        logged_at = parse_datetime(logged_at)
    if logged_at is not None and logged_at.tzinfo is None:
        logged_at = logged_at.replace(tzinfo=UTC)
    return ids, logged_at


class DataVersion:
    """The current data version: a token for cache keys and a Last-Modified time."""

    def __init__(self, counter: str | None = None):
        """``counter``: the signals' counter as already read from the cache (together with
        other values, ``website.listing.kept``); read (or created) here when None."""
        ids, logged_at = _database_fingerprint()
        counter = counter or _counter()
        # The counter is the time of the last change seen by the signals.
        try:
            changed = datetime.fromtimestamp(int(counter, 16) / 1e9, tz=UTC)
        except (ValueError, OverflowError, OSError):
            changed = None
        candidates = [value for value in (logged_at, changed) if value is not None]
        self.last_modified = max(candidates, default=None)
        self.token = "-".join([counter, *(str(value) for value in ids)])

    def etag_for(self, *parts: str) -> str:
        digest = hashlib.sha256("|".join([self.token, *parts]).encode()).hexdigest()[:32]
        return f'"{digest}"'
