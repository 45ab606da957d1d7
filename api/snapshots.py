"""Each place's pre-rendered pieces (``places.models.PlaceApiSnapshot``): its GeoJSON
feature and CSV row (``api.exports``) and its API v2 listing items (``api.v2.listing``).

One protocol for every kind of piece (``Pieces``). Every change that may alter a place's
pieces bumps its snapshot's ``generation`` in the same transaction
(``publishing.stale_snapshots``). A rendering is stored with ``"<generation>:<key>"`` in the
kind's built column, the generation read *before* the data was read and the key naming the
code and settings the pieces depend on; a piece is current only while both match. So a
rendering of older data, or one made by other code or settings, is never served as current:
the next request renders it afresh.

Pieces are request-independent: URLs on the API's own base are stored behind
``BASE_MARKER``, which ``with_base_url`` replaces per response.

A German place's pieces live in its own row. Its pieces in another language (``?locale=en``,
``api.locale``) are those of its live translation, stored in the translation's row (a
translation is a place page of its own, with a row of its own): they show the translation's
texts and the German place's data, so they depend on both rows' generations and are stored
as ``"<generation>.<German place's generation>:<key>"`` (``Pieces.get``'s ``depends``).
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Q

from places.api_fields import absolute
from places.models import PlaceApiSnapshot

logger = logging.getLogger(__name__)

RENDER_BATCH = 2000
# orjson and DRF's encoder escape every control character inside strings, so the raw marker
# byte cannot occur anywhere else in a piece.
BASE_MARKER = b"\x01"


def with_base_url(body: bytes, request) -> bytes:
    return body.replace(BASE_MARKER, absolute("/", request)[:-1].encode())


def settings_key(*parts: str) -> str:
    """A key of ``parts`` (the code's format) and the media settings that stored image URLs
    depend on."""
    parts = (
        *parts,
        str(settings.MEDIA_URL),
        settings.STORAGES["default"]["BACKEND"],
        str(getattr(default_storage, "base_url", "")),
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


class Pieces:
    """One kind of piece: ``columns`` of the snapshot rows, rendered together by
    ``render(ids) -> {pk: (values in column order, storable)}`` and current while
    ``built_column`` holds ``"<generation>:<key>"``."""

    def __init__(self, columns: tuple[str, ...], built_column: str, key: str, render):
        self.columns = columns
        self.built_column = built_column
        self.key = key
        self.render = render

    def get(
        self, ids, column: str, among=None, never_store=frozenset(), depends=None
    ) -> dict[int, str]:
        """``{pk: piece}`` of ``column`` for the places ``ids``: the stored ones when
        current, the others rendered now (a fixed number of queries more) and stored, except
        for ``never_store``. ``among`` (a subquery of primary keys covering ``ids``) reads
        the snapshots without sending every id.

        ``depends`` (``{pk: other pk}``, e.g. a translation's and its German place's): the
        piece of ``pk`` depends on the other row's data as well, so it is current only while
        both generations are those it was stored under. ``among`` need not cover these."""
        depends = depends or {}
        condition = Q(page_id__in={*ids, *depends.values()} if among is None else among)
        if among is not None and depends:
            condition |= Q(page_id__in=list(depends))
        rows = PlaceApiSnapshot.objects.filter(condition)
        # Piece, generation and built column come from the same row version.
        snapshots = {
            pk: (piece, built, generation)
            for pk, piece, generation, built in rows.values_list(
                "page_id", column, "generation", self.built_column
            )
        }
        needed = [pk for pk in ids if pk not in never_store]
        needed += [depends[pk] for pk in needed if pk in depends]
        missing = [pk for pk in dict.fromkeys(needed) if pk not in snapshots]
        if missing:
            for pk, generation in create_rows(missing).items():
                snapshots[pk] = (None, None, generation)

        def generation_of(pk) -> str | None:
            own = snapshots.get(pk)
            if own is None:
                return None
            if pk not in depends:
                return str(own[2])
            other = snapshots.get(depends[pk])
            return None if other is None else f"{own[2]}.{other[2]}"

        pieces, stale = {}, {}
        for pk in ids:
            generation = None if pk in never_store else generation_of(pk)
            if generation is not None and snapshots[pk][1] == f"{generation}:{self.key}":
                pieces[pk] = snapshots[pk][0]
            else:
                stale[pk] = generation
        # The generations were read before the data is rendered.
        index = self.columns.index(column)
        stale_ids = list(stale)
        for start in range(0, len(stale_ids), RENDER_BATCH):
            batch = stale_ids[start : start + RENDER_BATCH]
            rendered = self.render(batch)
            self.store({pk: stale[pk] for pk in batch if stale[pk] is not None}, rendered)
            pieces.update((pk, values[index]) for pk, (values, _storable) in rendered.items())
        return pieces

    def store(self, generations: dict[int, int | str], rendered: dict) -> int:
        """Store ``rendered`` as built at ``generations``, read *before* rendering: a change
        committed meanwhile has bumped a row's generation, so a rendering of older data is
        stored as stale, never as current. Returns how many were written."""
        rows = [
            (f"{generations[pk]}:{self.key}", *values, pk)
            for pk, (values, storable) in rendered.items()
            if storable and pk in generations
        ]
        if not rows:
            return 0
        quote = connection.ops.quote_name
        columns = {field.name: quote(field.column) for field in PlaceApiSnapshot._meta.fields}
        assignments = ", ".join(
            f"{columns[name]} = %s" for name in (self.built_column, *self.columns)
        )
        sql = (
            f"UPDATE {quote(PlaceApiSnapshot._meta.db_table)} SET {assignments} "
            f"WHERE {columns['page']} = %s"
        )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        except DatabaseError:
            # Storing is only a saving for the next request (e.g. a lock held by an editor's
            # publish): the pieces stay stale and are rendered again next time.
            logger.warning("Could not store %d API snapshots", len(rows), exc_info=True)
            return 0
        return len(rows)

    def refresh(self, ids) -> int:
        """Render and store the pieces of ``ids``; returns how many were written. Safe at
        any time (see ``store``)."""
        ids = list(ids)
        written = 0
        for start in range(0, len(ids), RENDER_BATCH):
            batch = ids[start : start + RENDER_BATCH]
            written += self.store(create_rows(batch), self.render(batch))
        return written


def create_rows(place_ids) -> dict[int, int]:
    """Create missing snapshot rows (e.g. after bulk inserts without signals) and return
    their generations, read after creating them; empty if that is not possible now."""
    try:
        with transaction.atomic():
            PlaceApiSnapshot.objects.bulk_create(
                [PlaceApiSnapshot(page_id=pk) for pk in place_ids],
                ignore_conflicts=True,
                batch_size=500,
            )
    except DatabaseError:  # e.g. a place deleted meanwhile
        logger.warning("Could not create API snapshot rows", exc_info=True)
        return {}
    generations = {}
    for start in range(0, len(place_ids), RENDER_BATCH):
        batch = place_ids[start : start + RENDER_BATCH]
        generations.update(
            PlaceApiSnapshot.objects.filter(page_id__in=batch).values_list("page_id", "generation")
        )
    return generations
