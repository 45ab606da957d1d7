"""A local-memory cache that counts its round trips (for tests/test_query_counts.py).

With Redis in production every cache call is a network round trip, as dear as a small
query; the tests keep their number per page fixed the way they keep the queries. A call
made inside another one (``LocMemCache.get_many`` calls ``get`` per key) is part of it."""

from django.core.cache.backends.locmem import LocMemCache

OPERATIONS = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "touch")


class CountingLocMemCache(LocMemCache):
    calls: list[str] = []
    _depth = 0

    def __getattribute__(self, name):
        method = super().__getattribute__(name)
        if name not in OPERATIONS:
            return method

        def counted(*args, **kwargs):
            if CountingLocMemCache._depth == 0:
                CountingLocMemCache.calls.append(name)
            CountingLocMemCache._depth += 1
            try:
                return method(*args, **kwargs)
            finally:
                CountingLocMemCache._depth -= 1

        return counted
