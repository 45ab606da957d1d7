"""Nearby places: the few nearest other visible places of a place („Orte in der Nähe“ on its
page), and the reverse, which places show a given place among theirs (what a change of
that place reaches).

Distances are great-circle distances (``distance_km``, haversine); ties go to the smaller
id. „Visible“ is ``PlacePage.objects.visible()`` (``core.visibility``).

``nearest`` reads the candidates in one query (compiled once, ``core.compiled``): the
``CANDIDATES`` nearest by a flat-earth distance within a box around the place, re-ranked
exactly here. The box is ±``SMALL_BOX`` degrees of latitude when at least ``CANDIDATES``
visible places lie within the circle that fits in it (then no place outside it can be
nearer), else ±``BOX`` degrees when that holds at least ``count`` places, else the whole
country. The database picks the box (``EXISTS`` subqueries run once per query), so a dense
region reads a few dozen rows through the ``(latitude, longitude)`` index, not every place.

Many places at once (a static build's place pages, what a change reaches) read every
visible point once (``visible_points``) and rank in Python (``nearest_in``, ``showing``).
"""

import bisect
import functools
import itertools
import math

from django.apps import apps
from django.db.models import Case, DecimalField, Exists, F, FloatField, Q, Value, When
from django.db.models.functions import Cast

from core.compiled import CompiledQuery

NEARBY_COUNT = 3
#: Candidates ranked by the flat distance in SQL, re-ranked exactly here.
CANDIDATES = 12
BOX = 1.0
SMALL_BOX = 0.1
#: Wide enough for every point in Germany (``places.validators``).
EVERYWHERE = 90.0
#: What ``nearest(…, keys_only=True)`` reads of a place: its card's key
#: (``website.cards.card_key``) and its point.
KEY_FIELDS = ("live_revision", "url_path", "latitude", "longitude")
EARTH_RADIUS_KM = 6371.0
#: The haversine distance of one degree of latitude: a lower bound per degree of latitude.
KM_PER_DEGREE_LAT = 2 * math.pi * EARTH_RADIUS_KM / 360


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _located():
    places = apps.get_model("places", "PlacePage").objects
    return places.visible().filter(latitude__isnull=False, longitude__isnull=False)


def nearest(place, count: int = NEARBY_COUNT, keys_only: bool = False) -> list:
    """The ``count`` nearest other visible places of ``place``, nearest first, each with its
    ``distance_km`` (rounded): what a card shows (hero image joined), or with ``keys_only``
    the card's key and the point. One query; none for a place without a point."""
    if place.latitude is None or place.longitude is None:
        return []
    lat, lon = float(place.latitude), float(place.longitude)
    candidates = _nearest_query(count, keys_only)(
        pk=place.pk,
        lat=lat,
        lon=lon,
        scale=math.cos(math.radians(lat)) ** 2,
        small_width=SMALL_BOX * _lon_factor(lat, SMALL_BOX),
        width_factor=_lon_factor(lat, BOX),
    )
    # Re-ranked by the exact distance (the query orders by a flat one).
    exact = sorted(
        (distance_km(lat, lon, float(c.latitude), float(c.longitude)), c.pk, c) for c in candidates
    )[:count]
    for km, _pk, candidate in exact:
        candidate.distance_km = round(km)
    return [candidate for _km, _pk, candidate in exact]


@functools.cache
def _nearest_query(count: int, keys_only: bool) -> CompiledQuery:
    return CompiledQuery(
        lambda **values: _candidates(count, keys_only, **values),
        pk=int,
        lat=float,
        lon=float,
        scale=float,
        small_width=float,
        width_factor=float,
    )


def _candidates(count, keys_only, pk, lat, lon, scale, small_width, width_factor):
    lat, lon, width_factor = Value(lat), Value(lon), Value(width_factor)
    d_lat = Cast("latitude", FloatField()) - lat
    d_lon = Cast("longitude", FloatField()) - lon
    others = _located().exclude(pk=pk).alias(flat=d_lat * d_lat + Value(scale) * d_lon * d_lon)

    def box(height, width):
        return Q(
            latitude__gte=_bound(lat - height),
            latitude__lte=_bound(lat + height),
            longitude__gte=_bound(lon - width),
            longitude__lte=_bound(lon + width),
        )

    radius = SMALL_BOX - 1e-5  # of the circle within the small box (its bounds are rounded)
    small_box_holds_them = Exists(
        others.filter(box(Value(SMALL_BOX), Value(small_width)), flat__lte=radius * radius)[
            CANDIDATES - 1 :
        ]
    )
    big_box = box(Value(BOX), Value(BOX) * width_factor)
    big_box_has_enough = Exists(others.filter(big_box)[count - 1 :])
    height = Case(
        When(small_box_holds_them, then=Value(SMALL_BOX)),
        When(big_box_has_enough, then=Value(BOX)),
        default=Value(EVERYWHERE),
        output_field=FloatField(),
    )
    candidates = others.alias(height=height).filter(box(F("height"), F("height") * width_factor))
    if keys_only:
        candidates = candidates.only(*KEY_FIELDS)
    else:
        candidates = candidates.select_related("hero_image").defer_streamfields()
    return candidates.order_by("flat", "pk")[:CANDIDATES]


def _lon_factor(lat: float, half_height: float) -> float:
    """Degrees of longitude per degree of latitude that cover at least the same flat
    distance anywhere within ±``half_height`` of ``lat``."""
    return 1 / max(math.cos(math.radians(min(abs(lat) + half_height, 89.0))), 0.01)


def _bound(expression):
    """A bound computed in SQL, of the columns' type: compared as a number of that type,
    it can use their index."""
    return Cast(expression, DecimalField(max_digits=9, decimal_places=6))


class Points:
    """``(lat, lon, pk, url_path, live_revision_id)`` of every visible place with a point, by
    latitude (``visible_points``): read once for many places (a static build's place pages,
    what a change reaches)."""

    def __init__(self, rows: list[tuple]):
        self.rows = sorted(rows)
        self.lats = [row[0] for row in self.rows]

    def nearer(self, lat: float, lon: float, key: tuple, count: int, skip=()) -> list:
        """Up to ``count`` ``((km, pk), row)`` of the places nearer to (``lat``, ``lon``) than
        ``key`` (``(km, pk)``), nearest first, leaving out the places ``skip``."""
        return sorted(self._nearer(lat, lon, key, skip))[:count]

    def count_nearer(self, lat: float, lon: float, key: tuple, limit: int, skip=()) -> int:
        """How many places are nearer than ``key`` (as ``nearer``), counted up to ``limit``."""
        return sum(1 for _place in itertools.islice(self._nearer(lat, lon, key, skip), limit))

    def _nearer(self, lat: float, lon: float, key: tuple, skip):
        # |Δlat| bounds the distance from below: only a band of latitudes can be nearer,
        # read outwards from ``lat``.
        reach = key[0] / KM_PER_DEGREE_LAT
        lon_reach = 1.01 * reach * _lon_factor(lat, reach)
        start = bisect.bisect_left(self.lats, lat - reach)
        middle = bisect.bisect_left(self.lats, lat)
        stop = bisect.bisect_right(self.lats, lat + reach)
        for index in itertools.chain(range(middle - 1, start - 1, -1), range(middle, stop)):
            row = self.rows[index]
            if row[2] not in skip and abs(row[1] - lon) <= lon_reach:
                candidate = (distance_km(lat, lon, row[0], row[1]), row[2])
                if candidate < key:
                    yield candidate, row


def visible_points() -> Points:
    """The point of every visible place with one (``Points``), in one query."""
    return Points(
        (float(lat), float(lon), pk, url_path, revision)
        for pk, lat, lon, url_path, revision in _located().values_list(
            "pk", "latitude", "longitude", "url_path", "live_revision_id"
        )
    )


def nearest_in(points: Points, place, count: int = NEARBY_COUNT) -> list[tuple]:
    """``nearest`` from ``visible_points()``: ``(row, km)`` of the ``count`` nearest other
    visible places, ``km`` rounded."""
    if place.latitude is None or place.longitude is None:
        return []
    lat, lon = float(place.latitude), float(place.longitude)
    reach = 5.0  # km, widened until it holds ``count`` places (or every one there is)
    while True:
        found = points.nearer(lat, lon, (reach, math.inf), count, skip=(place.pk,))
        if len(found) == count or reach > 180 * KM_PER_DEGREE_LAT:
            return [(row, round(km)) for (km, _pk), row in found]
        reach *= 4


def showing(
    pk: int | None, latitude: float, longitude: float, points: Points | None = None
) -> list[str]:
    """The ``url_path`` of every visible place whose nearby places (``nearest``) include a
    place ``pk`` at (``latitude``, ``longitude``), whether that place is visible now or
    not. ``points``: ``visible_points()`` read once for many places."""
    points = visible_points() if points is None else points
    target = pk if pk is not None else math.inf
    found = []
    for lat, lon, other_pk, url_path, _revision in points.rows:
        if other_pk != pk:
            key = (distance_km(lat, lon, latitude, longitude), target)
            skip = (other_pk, pk)
            if points.count_nearer(lat, lon, key, NEARBY_COUNT, skip) < NEARBY_COUNT:
                found.append(url_path)
    return found
