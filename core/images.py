"""Which images may be shown publicly, for code that holds image instances (templates).

Querysets use ``CustomImage.objects.public()`` (``core.models``): the check runs in the
database, in the same query. Templates get their images from many loaders (the place
page's hand-written SQL, cards, StreamField blocks); they ask ``image_is_public(image)``,
which compares the image's collection with the ids of ``restricted_collections()`` (the
same definition) kept in Django's cache. Every change of a collection or a collection view
restriction forgets the ids (``publishing``), at once and again when the transaction commits;
``RESTRICTED_COLLECTIONS_SECONDS`` bounds how long a change that no signal reports (a
collection moved by code outside Wagtail's admin) or one another process's private cache
kept (no Redis) can go unseen.
"""

import time

from django.core.cache import cache

from .models import restricted_collections

CACHE_KEY = "core:restricted-collection-ids:v1"
RESTRICTED_COLLECTIONS_SECONDS = 60


#: Templates rendered without a request (StreamField blocks, cards) ask once per image; the
#: ids they read stay in this process this long, so that one page costs one cache round
#: trip. A change in this process forgets them at once.
PROCESS_MEMO_SECONDS = 5.0
_process_memo: list = [0.0, None]  # [valid until (monotonic), ids]


def restricted_collection_ids() -> frozenset[int]:
    now = time.monotonic()
    if _process_memo[1] is not None and now < _process_memo[0]:
        return _process_memo[1]
    ids = cache.get(CACHE_KEY)
    if ids is None:
        ids = frozenset(restricted_collections().values_list("pk", flat=True))
        cache.set(CACHE_KEY, ids, timeout=RESTRICTED_COLLECTIONS_SECONDS)
    _process_memo[:] = [now + PROCESS_MEMO_SECONDS, ids]
    return ids


#: The ids as read for one request (set on the request object).
REQUEST_ATTRIBUTE = "_restricted_collection_ids"


def image_is_public(image, request=None) -> bool:
    """Whether ``image`` may be shown on a public page, feed, export or API response.

    With ``request``, the restricted collections are read once for the whole request."""
    if image is None:
        return False
    ids = getattr(request, REQUEST_ATTRIBUTE, None) if request is not None else None
    if ids is None:
        ids = restricted_collection_ids()
        if request is not None:
            setattr(request, REQUEST_ATTRIBUTE, ids)
    return image.collection_id not in ids


def forget_process_memo() -> None:
    _process_memo[:] = [0.0, None]


def forget_restricted_collection_ids() -> None:
    """Called by ``publishing`` when collections or their restrictions change: at once and
    again after the commit."""
    forget_process_memo()
    cache.delete(CACHE_KEY)
