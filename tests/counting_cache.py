"""A local-memory cache that counts its round trips (for tests/test_query_counts.py).

With Redis in production every cache call is a network round trip, as dear as a small
query; the tests keep their number per page fixed the way they keep the queries."""

from django.core.cache.backends.locmem import LocMemCache

OPERATIONS = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "touch")


class CountingLocMemCache(LocMemCache):
    calls: list[str] = []

    def __getattribute__(self, name):
        if name in OPERATIONS:
            CountingLocMemCache.calls.append(name)
        return super().__getattribute__(name)
