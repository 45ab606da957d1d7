"""Cache keys from a request's query string: normalised, and only what the view reads.

The public caches (whole pages, ``website.page_cache``; API answers, ``api.http``) keep a
response per URL. Keyed on the raw query string, junk (``?utm=1…N``, a parameter repeated
or left empty, the same parameters in another order) would make a new entry per request,
and a flood of them would push everything else out of the cache. So:

* ``canonical_pairs`` turns the parameters into one canonical form: sorted by name, empty
  values dropped; a name that takes several values (``multi``: the place filters) keeps
  each value once, in their order (``q=a&q=b`` is another search than ``q=b&q=a``); any
  other name keeps its last value (the one ``QueryDict.get`` returns), ``page``/``p`` only
  when it is a plain page number; names outside ``allowed`` are dropped.
* ``use_canonical_query`` hands the view exactly that form (``request.GET`` and
  ``QUERY_STRING``), so the response stored under the canonical key is the one every
  request with the same canonical form gets, cached or not: a response can never differ
  from the one it shares an entry with, and nothing a client adds beyond the canonical form
  reaches a stored response.
* ``ReadTracker`` notes which parameters the view read; the page cache keys an entry on
  those only (a place page reads none, so ``?q=…`` on it shares the plain page's entry).
  Reading the whole query string (``get_full_path()``) or iterating the parameters counts
  as reading all of them.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

from django.http import QueryDict

#: Stands for "every parameter" in a ``ReadTracker``'s set.
ALL = object()
#: Page numbers (listings, search: ``page``; the sitemap: ``p``).
PAGE_NUMBERS = frozenset({"page", "p"})
_PAGE_NUMBER = re.compile(r"^[1-9][0-9]{0,5}$")


def canonical_pairs(params: QueryDict, allowed=None, multi=frozenset()) -> list[tuple[str, str]]:
    pairs = []
    for name in sorted(params.keys()):
        if allowed is not None and name not in allowed:
            continue
        values = [value for value in params.getlist(name) if value.strip()]
        if name not in multi:
            values = values[-1:]
        if name in PAGE_NUMBERS:
            # Not a page number: the view shows the first page, as without one.
            values = [value.strip() for value in values if _PAGE_NUMBER.match(value.strip())]
        pairs.extend((name, value) for value in dict.fromkeys(values))
    return pairs


def encode(pairs) -> str:
    return urlencode(list(pairs))


def restrict(pairs, names) -> list[tuple[str, str]]:
    if names is None:
        return list(pairs)
    return [(name, value) for name, value in pairs if name in names]


class ReadTracker:
    """What the view read of the query: a set of names, with ``ALL`` for everything."""

    def __init__(self):
        self.names: set = set()
        self.query = None  # the TrackedQueryDict handed to the view

    def mark(self, name) -> None:
        self.names.add(name)

    def read(self, request=None) -> frozenset | None:
        """The names read, or ``None`` when the view may have read every parameter (also
        when ``request.GET`` was rebuilt meanwhile, e.g. by setting ``request.encoding``:
        its reads were not seen)."""
        if request is not None and request.__dict__.get("GET") is not self.query:
            return None
        return None if ALL in self.names else frozenset(self.names)


def _reads_name(method):
    """``method`` of ``QueryDict`` that marks the one name it is given as read."""

    @functools.wraps(method)
    def reading(self, key, *args, **kwargs):
        self._tracker.mark(key)
        return method(self, key, *args, **kwargs)

    return reading


def _reads_all(method):
    """``method`` of ``QueryDict`` that sees every parameter: marks all of them as read."""

    @functools.wraps(method)
    def reading(self, *args, **kwargs):
        self._tracker.mark(ALL)
        return method(self, *args, **kwargs)

    return reading


class TrackedQueryDict(QueryDict):
    """An immutable ``QueryDict`` that tells its ``ReadTracker`` what was read. Reading one
    name (``get``, ``getlist``, ``[]``, ``in``) marks that name; anything that sees all of
    them (iterating, ``keys``, ``items``, ``lists``, ``copy``, ``urlencode``, ``len``)
    marks all."""

    def __init__(self, query_string=None, mutable=False, encoding=None, tracker=None):
        self._tracker = ReadTracker()  # building the dict reads it: not the view
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self._tracker = tracker or ReadTracker()

    __getitem__ = _reads_name(QueryDict.__getitem__)
    __contains__ = _reads_name(QueryDict.__contains__)
    get = _reads_name(QueryDict.get)
    getlist = _reads_name(QueryDict.getlist)

    __iter__ = _reads_all(QueryDict.__iter__)
    __len__ = _reads_all(QueryDict.__len__)
    __eq__ = _reads_all(QueryDict.__eq__)
    __hash__ = None
    __repr__ = _reads_all(QueryDict.__repr__)
    keys = _reads_all(QueryDict.keys)
    lists = _reads_all(QueryDict.lists)
    items = _reads_all(QueryDict.items)
    values = _reads_all(QueryDict.values)
    dict = _reads_all(QueryDict.dict)
    urlencode = _reads_all(QueryDict.urlencode)

    @_reads_all
    def copy(self):
        """A plain, mutable ``QueryDict`` (as ``QueryDict.copy`` returns)."""
        return QueryDict(self.urlencode(), mutable=True, encoding=self.encoding)

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()


class TrackedMeta(dict):
    """``request.META`` that marks everything read when the raw query string is read
    (``get_full_path()``, ``build_absolute_uri()``)."""

    def __init__(self, meta, tracker: ReadTracker):
        super().__init__(meta)
        self._tracker = tracker

    def __getitem__(self, key):
        if key == "QUERY_STRING":
            self._tracker.mark(ALL)
        return super().__getitem__(key)

    def get(self, key, default=None):
        if key == "QUERY_STRING":
            self._tracker.mark(ALL)
        return super().get(key, default)


def use_canonical_query(request, pairs) -> ReadTracker:
    """Give the view ``pairs`` as its query (``request.GET`` and ``QUERY_STRING``) and
    return the tracker of what it reads; ``restore_query`` gives the request its own query
    back once the view has answered."""
    tracker = ReadTracker()
    environ = getattr(request, "environ", None)  # WSGI: ``GET`` is rebuilt from it
    tracker.original = (request.META, request.__dict__.get("GET"), environ)
    query_string = encode(pairs)
    request.META = TrackedMeta({**request.META, "QUERY_STRING": query_string}, tracker)
    if environ is not None:
        request.environ = {**environ, "QUERY_STRING": query_string}
    request.GET = tracker.query = TrackedQueryDict(
        query_string, encoding=request.encoding, tracker=tracker
    )
    return tracker


def restore_query(request, tracker: ReadTracker) -> None:
    """The request's own query again, for what runs outside the page cache (Wagtail's
    redirects match the full path, query string included)."""
    meta, get, environ = tracker.original
    request.META = meta
    if get is None:
        request.__dict__.pop("GET", None)
    else:
        request.GET = get
    if environ is not None:
        request.environ = environ
