"""What the public pages need from the database, in a fixed and small number of queries.

Budgets (``tests/test_query_counts.py``, docs/performance.md): a place page ≤ 10 queries, a
region page and ``/orte/`` ≤ 12, however many places exist. The pieces:

- what is visible (``core.visibility``: live, no view restriction at or above, nothing
  unpublished above) as subqueries, so that excluding hidden pages costs no query of its
  own (Wagtail's ``.public()`` runs one each time it is called); routing reads a region's
  and a place's restriction flag in its query, ``HomePage.route`` refuses what lies below
  an unpublished page;
- ``view_restrictions(page)``: what Wagtail's ``check_view_restrictions`` hook asks
  (``Page.get_view_restrictions``) in one query instead of two, and none at all for a
  region or place whose routing query already found no restriction
  (``known_view_restrictions``);
- ``route_below(home, request, components)``: resolves ``/<region>/<place>/`` with one query
  per level instead of two (Wagtail fetches the generic page, then the specific one);
- ``place_details(place, request)``: categories, offers, tags and links in one query, the
  gallery, the three nearest places, and every image's renditions in one query;
- ``find_site(request)``: Wagtail's site lookup and the home page in one query
  (``core.middleware.WagtailSiteMiddleware``).

The queries of a place page run on every uncached request, and compiling a queryset of
``PlacePage`` (some 50 columns, joins, subqueries) cost more Python time than anything else
on the page. So the place page's own queries (routing, nearby places, relations, gallery)
are SQL written here once per database backend; ``_Table`` turns their rows into model
instances the way the ORM does (same converters, ``Model.from_db``, joined rows cached as
``select_related`` caches them).
"""

from __future__ import annotations

import math
from functools import cache
from types import SimpleNamespace

from django.db import connections
from django.db.models import FloatField, Q

from wagtail.models import Page, PageViewRestriction, Site

from core.images import image_is_public
from core.visibility import hidden_sql, restricted_sql

#: What a place page shows of its region (read with the place, in the routing query).
REGION_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "slug",
    "content_type",
    "live",
    "url_path",
    "locale",
    "alias_of",
    "page_ptr",
    "contact_email",
    "contact_person",
)
NEARBY_COUNT = 3
NEARBY_CANDIDATES = 12  # ranked by a flat-earth distance in SQL, re-ranked exactly here
NEARBY_BOX_DEGREES = 1.0
#: Half-width (degrees of latitude) of the smaller box tried first; see ``nearby_places``.
NEARBY_SMALL_BOX_DEGREES = 0.1
#: What a nearby place is read with when its card may come from the static build's card
#: store (``nearby_listed``): the card's key (``places.cards.card_key``) and the location.
NEARBY_KEY_FIELDS = ("id", "page_ptr", "live_revision", "url_path", "latitude", "longitude")


class _Table:
    """Columns of ``model`` for SQL written by hand, and instances made from a row the way
    the ORM makes them: the backend's and the fields' converters, then ``Model.from_db``.
    ``aliases`` maps table names (a page model has two) to the aliases the SQL uses."""

    def __init__(self, model, aliases: dict, fields=None, exclude=()):
        self.model = model
        self.aliases = aliases
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if (fields is None or field.name in fields) and field.name not in exclude
        ]
        self.attnames = [field.attname for field in self.fields]
        self._converters = {}
        self.pk_index = next(
            i for i, field in enumerate(self.fields) if field.primary_key or field.name == "id"
        )

    def _alias(self, field) -> str:
        return self.aliases[field.model._meta.db_table]

    def columns(self, connection, alias: str | None = None) -> str:
        """``alias.column, …`` (``alias`` overrides the table aliases: a derived table)."""
        quote = connection.ops.quote_name
        return ", ".join(
            f"{alias or self._alias(field)}.{quote(field.column)}" for field in self.fields
        )

    def converters(self, connection) -> list:
        """``(index, column, functions)`` for the columns whose values need converting."""
        found = self._converters.get(connection.vendor)
        if found is None:
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self._alias(field))
                functions = connection.ops.get_db_converters(column)
                functions += column.get_db_converters(connection)
                if functions:
                    found.append((index, column, functions))
            self._converters[connection.vendor] = found
        return found

    def load(self, row, start: int, connection):
        """The instance from ``row[start:]``; ``None`` for the empty side of an outer join."""
        values = list(row[start : start + len(self.fields)])
        if values[self.pk_index] is None:
            return None
        for index, column, functions in self.converters(connection):
            for function in functions:
                values[index] = function(values[index], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)

    def __len__(self):
        return len(self.fields)


def _query(connection, sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@cache
def _tables() -> SimpleNamespace:
    """The ``_Table`` of every model the place page's SQL reads, with its aliases."""
    from wagtail.fields import StreamField
    from wagtail.images import get_image_model

    from home.models import HomePage
    from places.models import ActorType, PlaceGalleryImage, PlacePage
    from regions.models import RegionPage

    image = get_image_model()
    page = Page._meta.db_table
    streamfields = [f.name for f in PlacePage._meta.fields if isinstance(f, StreamField)]
    place_aliases = {page: "p", PlacePage._meta.db_table: "pp"}
    return SimpleNamespace(
        place=_Table(PlacePage, place_aliases),
        card=_Table(PlacePage, place_aliases, exclude=streamfields),  # defer_streamfields()
        # A nearby place whose card comes from the static build's store: its key and place.
        card_key=_Table(PlacePage, place_aliases, fields=NEARBY_KEY_FIELDS),
        hero=_Table(image, {image._meta.db_table: "hi"}),
        actor=_Table(ActorType, {ActorType._meta.db_table: "ac"}),
        region=_Table(
            RegionPage, {page: "rp", RegionPage._meta.db_table: "rr"}, fields=REGION_FIELDS
        ),
        region_page=_Table(RegionPage, {page: "rp", RegionPage._meta.db_table: "rr"}),
        gallery=_Table(PlaceGalleryImage, {PlaceGalleryImage._meta.db_table: "g"}),
        site=_Table(Site, {Site._meta.db_table: "s"}),
        # The site's root page: a home page, or (its columns first) any other page.
        home=_Table(HomePage, {page: "p", HomePage._meta.db_table: "h"}),
        root_page=_Table(Page, {page: "p"}),
        gallery_image=_Table(image, {image._meta.db_table: "gi"}),
    )


_SQL: dict = {}


def _sql(connection, name: str) -> str:
    """The statement ``name`` for ``connection``'s backend, written once per process."""
    key = (connection.vendor, name)
    if key not in _SQL:
        _SQL[key] = _SQL_BUILDERS[name](connection, connection.ops.quote_name)
    return _SQL[key]


def _place_from(quote) -> str:
    """``FROM`` a place (``p``, ``pp``) with its hero image (``hi``) joined."""
    from wagtail.images import get_image_model

    from places.models import PlacePage

    image = get_image_model()._meta.db_table
    return (
        f"FROM {quote(Page._meta.db_table)} p "
        f"INNER JOIN {quote(PlacePage._meta.db_table)} pp "
        f"ON pp.{quote('page_ptr_id')} = p.{quote('id')} "
        f"LEFT OUTER JOIN {quote(image)} hi ON hi.{quote('id')} = pp.{quote('hero_image_id')}"
    )


def _route_place_sql(connection, quote) -> str:
    """The place at a URL path (with hero image, actor type, restriction flag) and the few
    fields of the region at another (first by tree order, as ``.first()`` would)."""
    from places.models import ActorType
    from regions.models import RegionPage

    tables = _tables()
    url_path, path = quote("url_path"), quote("path")
    return (
        f"SELECT {tables.place.columns(connection)}, {tables.hero.columns(connection)}, "
        f"{tables.actor.columns(connection)}, {tables.region.columns(connection, 'r')}, "
        f"{restricted_sql(quote, f'p.{path}')} "
        f"{_place_from(quote)} "
        f"LEFT OUTER JOIN {quote(ActorType._meta.db_table)} ac "
        f"ON ac.{quote('id')} = pp.{quote('actor_type_id')} "
        f"LEFT OUTER JOIN (SELECT {tables.region.columns(connection)} "
        f"FROM {quote(Page._meta.db_table)} rp INNER JOIN {quote(RegionPage._meta.db_table)} rr "
        f"ON rr.{quote('page_ptr_id')} = rp.{quote('id')} "
        f"WHERE rp.{url_path} = %s ORDER BY rp.{path} LIMIT 1) r ON 1 = 1 "
        f"WHERE p.{url_path} = %s ORDER BY p.{path} LIMIT 1"
    )


def _route_region_sql(connection, quote) -> str:
    """The region at a URL path (first by tree order) with its hero image and the
    restriction flag: ``select_related("hero_image")`` and ``restricted_q()``."""
    from wagtail.images import get_image_model

    from regions.models import RegionPage

    tables = _tables()
    image = get_image_model()._meta.db_table
    path = quote("path")
    return (
        f"SELECT {tables.region_page.columns(connection)}, {tables.hero.columns(connection)}, "
        f"{restricted_sql(quote, f'rp.{path}')} "
        f"FROM {quote(Page._meta.db_table)} rp INNER JOIN {quote(RegionPage._meta.db_table)} rr "
        f"ON rr.{quote('page_ptr_id')} = rp.{quote('id')} "
        f"LEFT OUTER JOIN {quote(image)} hi ON hi.{quote('id')} = rr.{quote('hero_image_id')} "
        f"WHERE rp.{quote('url_path')} = %s ORDER BY rp.{path} LIMIT 1"
    )


def _nearby_sql(connection, quote, columns: str) -> str:
    """Candidates for the nearby places, in one statement of three tries, each read only
    when the one before failed: the nearest (by the flat distance) visible places in the
    small box, if the last of them is nearer than the given limit; else those in the big
    box, if at least the given minimum; else those anywhere. ``columns`` of each place
    before its flat distance."""
    path, latitude, longitude = quote("path"), quote("latitude"), quote("longitude")
    real = FloatField().cast_db_type(connection)
    lat, lon = f"CAST(pp.{latitude} AS {real})", f"CAST(pp.{longitude} AS {real})"
    select = (
        f"SELECT {columns}, "
        f"(({lat} - %s) * ({lat} - %s) + %s * (({lon} - %s) * ({lon} - %s))) AS flat_distance "
        f"{_place_from(quote)} "
        f"WHERE p.{quote('live')} AND NOT {hidden_sql(quote, f'p.{path}')}"
        f" AND p.{quote('id')} <> %s"
        f" AND pp.{latitude} IS NOT NULL AND pp.{longitude} IS NOT NULL"
    )
    box = f" AND pp.{latitude} BETWEEN %s AND %s AND pp.{longitude} BETWEEN %s AND %s"
    nearest = f" ORDER BY flat_distance, p.{quote('id')} LIMIT {NEARBY_CANDIDATES}"
    small_ok = "(SELECT COUNT(*) = %s AND MAX(flat_distance) <= %s FROM small)"
    return (
        f"WITH small AS ({select}{box}{nearest}), "
        f"big AS ({select}{box} AND NOT {small_ok}{nearest}) "
        f"SELECT * FROM small WHERE {small_ok} "
        f"UNION ALL SELECT * FROM big WHERE (SELECT COUNT(*) FROM big) >= %s "
        f"UNION ALL SELECT * FROM ({select} AND NOT {small_ok}"
        f" AND (SELECT COUNT(*) FROM big) < %s{nearest}) everywhere"
    )


def _gallery_sql(connection, quote) -> str:
    from wagtail.images import get_image_model

    from places.models import PlaceGalleryImage

    tables = _tables()
    return (
        f"SELECT {tables.gallery.columns(connection)}, {tables.gallery_image.columns(connection)} "
        f"FROM {quote(PlaceGalleryImage._meta.db_table)} g "
        f"INNER JOIN {quote(get_image_model()._meta.db_table)} gi "
        f"ON gi.{quote('id')} = g.{quote('image_id')} "
        f"WHERE g.{quote('page_id')} = %s ORDER BY g.{quote('sort_order')}"
    )


def _nearby_cards_sql(connection, quote) -> str:
    tables = _tables()
    columns = f"{tables.card.columns(connection)}, {tables.hero.columns(connection)}"
    return _nearby_sql(connection, quote, columns)


def _nearby_keys_sql(connection, quote) -> str:
    return _nearby_sql(connection, quote, _tables().card_key.columns(connection))


def _site_sql(connection, quote) -> str:
    """Wagtail's ``get_site_for_hostname`` (the candidate sites, best match first) with the
    root page joined, as its home page when it is one."""
    tables = _tables()
    site = tables.site
    hostname, port, default = quote("hostname"), quote("port"), quote("is_default_site")
    return (
        f"SELECT {site.columns(connection)}, {tables.home.columns(connection)}, "
        f"CASE WHEN s.{hostname} = %s AND s.{port} = %s THEN 0 "
        f"WHEN s.{hostname} = %s AND s.{default} THEN 1 "
        f"WHEN s.{default} THEN 2 ELSE 3 END AS site_match "
        f"FROM {quote(site.model._meta.db_table)} s "
        f"INNER JOIN {quote(Page._meta.db_table)} p ON p.{quote('id')} = s.{quote('root_page_id')} "
        f"LEFT OUTER JOIN {quote(tables.home.model._meta.db_table)} h "
        f"ON h.{quote('page_ptr_id')} = p.{quote('id')} "
        f"WHERE s.{hostname} = %s OR s.{default} ORDER BY site_match"
    )


_SQL_BUILDERS = {
    "site": _site_sql,
    "route_place": _route_place_sql,
    "route_region": _route_region_sql,
    "nearby": _nearby_cards_sql,
    "nearby_keys": _nearby_keys_sql,
    "gallery": _gallery_sql,
}


def find_site(request):
    """``Site.find_for_request(request)`` in one query written once per backend instead of
    the ORM's two (the site, then the root page's ``.specific``), which cost about 3 ms of
    CPU per request. The same choice as Wagtail's ``get_site_for_hostname``: the hostname
    and port, else the hostname of the default site, else the default site unless exactly
    one other site has the hostname; ``None`` when nothing matches."""
    from django.http.request import split_domain_port

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    connection = connections[Site.objects.db]
    tables = _tables()
    rows = _query(connection, _sql(connection, "site"), [hostname, port, hostname, hostname])
    if not rows:
        return None
    # Wagtail: a unique match, a hostname (with port or default) match, or the default …
    match = rows[0][-1]
    if len(rows) == 1 or match in (0, 1):
        row = rows[0]
    elif match == 2:
        row = rows[len(rows) == 2]  # … unless exactly one other site has the hostname
    else:
        return None
    site = tables.site.load(row, 0, connection)
    start = len(tables.site)
    home = tables.home.load(row, start, connection)
    if home.page_ptr_id is not None and home.content_type_id == _home_content_type_id():
        root = home
    else:
        root = tables.root_page.load(row, start, connection)
    Site.root_page.field.set_cached_value(site, root)
    return site


def _home_content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    from home.models import HomePage

    return ContentType.objects.get_for_model(HomePage).id


def view_restrictions(page):
    """``Page.get_view_restrictions`` in one query: restrictions on the page or an ancestor,
    or on the page an alias (the page or an ancestor) stands for."""
    steplen = page.steplen
    paths = [page.path[: steplen * depth] for depth in range(1, page.depth + 1)]
    aliased = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of_id")
    return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page_id__in=aliased))


def route_below(home, request, components):
    """Route ``components`` below ``home`` (the site root) in one query.

    A region comes from one query; a place and the few fields of its region that the page
    shows (title, contact) from one query too. Returns ``None`` when the fast path does not
    apply (other page types, unknown paths); the caller then uses Wagtail's routing."""
    from django.contrib.contenttypes.models import ContentType

    from places.models import PlacePage
    from regions.models import RegionPage

    if len(components) not in (1, 2):
        return None
    region_path = f"{home.url_path}{components[0]}/"
    connection = connections[PlacePage.objects.db]
    tables = _tables()
    if len(components) == 1:
        rows = _query(connection, _sql(connection, "route_region"), [region_path])
        if not rows:
            return None
        row = rows[0]
        region = tables.region_page.load(row, 0, connection)
        hero = tables.hero.load(row, len(tables.region_page), connection)
        RegionPage.hero_image.field.set_cached_value(region, hero)
        region.restricted = bool(row[-1])
        region._cached_parent_obj = home
        _note_restrictions(region, region.restricted, home, region)
        return region
    rows = _query(
        connection,
        _sql(connection, "route_place"),
        [region_path, f"{region_path}{components[1]}/"],
    )
    if not rows:
        return None
    row = rows[0]
    place = tables.place.load(row, 0, connection)
    start = len(tables.place)
    PlacePage.hero_image.field.set_cached_value(place, tables.hero.load(row, start, connection))
    start += len(tables.hero)
    PlacePage.actor_type.field.set_cached_value(place, tables.actor.load(row, start, connection))
    start += len(tables.actor)
    region = tables.region.load(row, start, connection)
    if region is None:
        return None
    Page.content_type.field.set_cached_value(
        region, ContentType.objects.get_for_id(region.content_type_id)
    )
    place.restricted = bool(row[-1])
    region._cached_parent_obj = home
    place._cached_parent_obj = region
    _note_restrictions(place, place.restricted, home, region, place)
    return place


def _note_restrictions(page, restricted: bool, *chain) -> None:
    """Remember that ``page`` has no view restriction (known from the routing query), so
    that ``get_view_restrictions`` needs no query of its own. Aliases on the way (their
    originals' restrictions count too) leave it to the full lookup."""
    page._known_unrestricted = not restricted and all(p.alias_of_id is None for p in chain)


def known_view_restrictions(page):
    """``Page.get_view_restrictions`` for the public page types: nothing when routing
    already showed there is none, else ``view_restrictions(page)``."""
    if getattr(page, "_known_unrestricted", False):
        return PageViewRestriction.objects.none()
    return view_restrictions(page)


def nearby_places(place, count: int = NEARBY_COUNT) -> list:
    """The ``count`` nearest other visible places (great-circle distance, ties by pk), as
    cards (hero image joined), each with its ``distance_km``. Same result as
    ``places_tags.nearby_places``, which ``publishing.paths`` mirrors.

    Candidates are the ``NEARBY_CANDIDATES`` nearest by a flat-earth distance within
    ±``NEARBY_BOX_DEGREES`` (the whole country if that box has fewer than ``count``),
    re-ranked exactly here. A smaller box is tried first: when its last candidate is
    nearer than the box's edge, every place of the big box at most that near lies in the
    small box, so both give the same candidates. One query (``_nearby_sql``)."""
    from places.models import PlacePage

    tables = _tables()

    def card(row, connection):
        candidate = tables.card.load(row, 0, connection)
        PlacePage.hero_image.field.set_cached_value(
            candidate, tables.hero.load(row, len(tables.card), connection)
        )
        return candidate

    return _nearest(place, count, "nearby", card)


def nearby_listed(place, count: int = NEARBY_COUNT) -> list:
    """``nearby_places`` as ``ListedPlace`` objects (with ``distance_km``), where cards are
    kept (``places.cards.CardCache``: a static build's, or live): the query reads only the
    cards' keys, and a place is loaded only when its card is not kept (``{% place_card %}``).
    Live, the keys themselves are kept by data version."""
    from places.cards import build_card_cache, listed_places
    from places.listing import kept_by_data_version
    from places.models import PlacePage

    tables = _tables()

    def nearest_rows():
        nearest = _nearest(
            place, count, "nearby_keys", lambda row, c: tables.card_key.load(row, 0, c)
        )
        return [
            (other.pk, other.live_revision_id, other.url_path, other.distance_km)
            for other in nearest
        ]

    if build_card_cache() is None:
        # Live: kept by data version, as every place's visibility and position counts.
        rows = kept_by_data_version(("nearby", place.pk, count), nearest_rows)
    else:
        rows = nearest_rows()
    listed = listed_places(PlacePage, [row[:3] for row in rows])
    for item, row in zip(listed, rows, strict=True):
        item.distance_km = row[3]
    return listed


def _nearest(place, count: int, sql_name: str, load) -> list:
    """The ranked nearby places (``nearby_places``), each made from its row by ``load``."""
    from places.models import PlacePage, distance_km

    if not place.has_coordinates:
        return []
    connection = connections[PlacePage.objects.db]
    lat, lon = float(place.latitude), float(place.longitude)
    scale = math.cos(math.radians(lat)) ** 2
    distance = [lat, lat, scale, lon, lon]
    latitude = PlacePage._meta.get_field("latitude")
    longitude = PlacePage._meta.get_field("longitude")

    def bounds(lat_box: float, lon_box: float) -> list:
        # As ``latitude__range=(…)`` would pass them (decimals of the column's precision).
        return [
            field.get_db_prep_value(value, connection)
            for field, value in (
                (latitude, lat - lat_box),
                (latitude, lat + lat_box),
                (longitude, lon - lon_box),
                (longitude, lon + lon_box),
            )
        ]

    # A flat distance ≤ r lies within ±r of latitude and ±r/√scale of longitude. The margin
    # is well above the rounding of the bounds (1e-6°) and of the distance.
    small = NEARBY_SMALL_BOX_DEGREES
    small_bounds = bounds(small, small / max(math.sqrt(scale), 0.01))
    small_ok = [NEARBY_CANDIDATES, (small - 1e-5) ** 2]
    big = NEARBY_BOX_DEGREES
    big_bounds = bounds(big, big / max(math.cos(math.radians(min(abs(lat) + big, 89.0))), 0.01))
    other = [*distance, place.pk]
    rows = _query(
        connection,
        _sql(connection, sql_name),
        [
            *other,
            *small_bounds,
            *other,
            *big_bounds,
            *small_ok,
            *small_ok,
            count,
            *other,
            *small_ok,
            count,
        ],
    )
    candidates = []
    for row in rows:
        candidate = load(row, connection)
        candidate.flat_distance = row[-1]
        candidate.exact_km = distance_km(
            lat, lon, float(candidate.latitude), float(candidate.longitude)
        )
        candidates.append(candidate)
    ranked = sorted(candidates, key=lambda c: (c.exact_km, c.pk))[:count]
    for candidate in ranked:
        candidate.distance_km = round(candidate.exact_km)
    return ranked


def _gallery(place) -> list:
    """``place.gallery_images.select_related("image")`` (each item's ``page`` set too)."""
    from places.models import PlaceGalleryImage

    connection = connections[PlaceGalleryImage.objects.db]
    tables = _tables()
    items = []
    for row in _query(connection, _sql(connection, "gallery"), [place.pk]):
        item = tables.gallery.load(row, 0, connection)
        PlaceGalleryImage.image.field.set_cached_value(
            item, tables.gallery_image.load(row, len(tables.gallery), connection)
        )
        PlaceGalleryImage.page.field.set_cached_value(item, place)
        items.append(item)
    return items


def _relations_sql(connection, quote, count: int) -> str:
    """Categories, offers, tags and links of ``count`` places (UNION ALL)."""
    from places.models import PlaceLink, PlacePage, PlacePageTag

    ids = ", ".join(["%s"] * count)

    def part(kind, table, page, ref, joined, name, slug, sort):
        target = f"{quote(joined._meta.db_table)} t" if joined else ""
        source = "t" if joined else "x"
        return (
            f"SELECT '{kind}', x.{quote(page)}, x.{quote(ref)}, {source}.{quote(name)}, "
            f"{source}.{quote(slug)}, {sort if sort == '0' else f'{source}.{quote(sort)}'} "
            f"FROM {quote(table)} x"
            + (f" INNER JOIN {target} ON t.{quote('id')} = x.{quote(ref)}" if joined else "")
            + f" WHERE x.{quote(page)} IN ({ids})"
        )

    categories = PlacePage.categories.through
    offers = PlacePage.offers.through
    tag = PlacePageTag._meta.get_field("tag").related_model
    # No ORDER BY inside a compound statement (SQLite refuses it); callers sort.
    return " UNION ALL ".join(
        [
            part(
                "category",
                categories._meta.db_table,
                "placepage_id",
                "category_id",
                PlacePage.categories.rel.model,
                "name",
                "slug",
                "sort_order",
            ),
            part(
                "offer",
                offers._meta.db_table,
                "placepage_id",
                "offer_id",
                PlacePage.offers.rel.model,
                "name",
                "slug",
                "sort_order",
            ),
            part(
                "tag",
                PlacePageTag._meta.db_table,
                "content_object_id",
                "tag_id",
                tag,
                "name",
                "slug",
                "0",
            ),
            part(
                "link",
                PlaceLink._meta.db_table,
                "page_id",
                "id",
                None,
                "platform",
                "url",
                "sort_order",
            ),
        ]
    )


def _relations(places) -> dict:
    """Categories, offers, tags and links of ``places`` in one query (UNION ALL)."""
    from places.models import PlacePage

    ids = [place.pk for place in places]
    columns = ("kind", "page", "ref", "name", "slug", "sort")
    connection = connections[PlacePage.objects.db]
    key = (connection.vendor, "relations", len(ids))
    if key not in _SQL:
        _SQL[key] = _relations_sql(connection, connection.ops.quote_name, len(ids))
    result: dict = {pk: {"category": [], "offer": [], "tag": [], "link": []} for pk in ids}
    for row in _query(connection, _SQL[key], ids * 4):
        result[row[1]][row[0]].append(dict(zip(columns, row, strict=True)))
    return result


def _prefetched(instance, name: str, model, rows) -> None:
    """Fill ``instance.<name>.all()`` from ``_relations`` rows, as ``prefetch_related``
    would (in the models' default order), without a query of its own."""
    objects = [
        model(id=row["ref"], name=row["name"], slug=row["slug"], sort_order=row["sort"])
        for row in sorted(rows, key=lambda row: (row["sort"], row["name"]))
    ]
    queryset = getattr(instance, name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


class _Taxon:
    """A category, offer or tag as templates use it (``name``, ``slug``, ``pk``)."""

    def __init__(self, row):
        self.pk = self.id = row["ref"]
        self.name = row["name"]
        self.slug = row["slug"]
        self.sort_order = row["sort"]

    def __str__(self):
        return self.name


def place_details(place, request) -> dict:
    """Everything the place page shows besides plain fields (see the module docstring)."""
    from django.db.models import prefetch_related_objects

    from places import opening_hours as oh
    from places.cards import ListedPlace, cards_kept
    from places.models import Category, PlaceLink
    from places.templatetags.places_tags import (
        SOCIAL_IMAGE_SPEC,
        _absolute,
        place_json_ld,
        rendition,
    )

    if getattr(request, "is_preview", False) or not place.pk:
        # Previews hold unsaved relations in memory: read them from there.
        categories = list(place.categories.all())
        offers = list(place.offers.all())
        tags = list(place.tags.all())
        links = list(place.links.all())
        gallery = list(place.gallery_images.all())
        nearby = []
    else:
        # Where cards are kept (a static build's store, the live cache), the nearby places'
        # cards are joined by their keys (``nearby_listed``).
        nearby = nearby_listed(place) if cards_kept() else nearby_places(place)
        cards = [other for other in nearby if not isinstance(other, ListedPlace)]
        relations = _relations([place, *cards])
        own = relations[place.pk]

        def by_order(rows):
            return sorted(rows, key=lambda row: (row["sort"], row["name"]))

        categories = [_Taxon(row) for row in by_order(own["category"])]
        offers = [_Taxon(row) for row in by_order(own["offer"])]
        tags = [_Taxon(row) for row in sorted(own["tag"], key=lambda row: row["name"].lower())]
        links = [
            PlaceLink(
                id=row["ref"],
                page_id=place.pk,
                platform=row["name"],
                url=row["slug"],
                sort_order=row["sort"],
            )
            for row in sorted(own["link"], key=lambda row: (row["sort"], row["ref"]))
        ]
        for other in cards:
            _prefetched(other, "categories", Category, relations[other.pk]["category"])
        gallery = _gallery(place)
        # Every image on the page, by its role (the sizes it shows): renditions at once.
        roles = {
            "hero": [place.hero_image],
            "card": [other.hero_image for other in cards],
            "content": [item.image for item in gallery]
            + [block.value["image"] for block in place.story if block.block_type == "image"],
        }
        # Every instance, not one per pk: an image shown twice (hero and story, say) is two
        # objects, and one without prefetched renditions would ask the cache for them.
        images = {
            id(image): image
            for role_images in roles.values()
            for image in role_images
            if image is not None
        }
        if images:
            # Only the sizes each image shows here (images keep many more renditions over
            # time): the hero's, the cards', the story's and gallery's.
            from django.db.models import Prefetch

            from places.renditions import specs_by_role

            specs = specs_by_role()
            wanted = Q(pk__in=[])
            for role, role_images in roles.items():
                ids = {image.pk for image in role_images if image is not None}
                if ids:
                    wanted |= Q(image_id__in=sorted(ids), filter_spec__in=specs[role])
            renditions = next(iter(images.values())).get_rendition_model()
            prefetch_related_objects(
                list(images.values()),
                Prefetch("renditions", queryset=renditions.objects.filter(wanted)),
            )
    image_url = None
    if place.hero_image is not None and image_is_public(place.hero_image, request):
        image_url = _absolute(request, rendition(place.hero_image, SOCIAL_IMAGE_SPEC).url)
    return {
        "categories": categories,
        "offers": offers,
        "tags": tags,
        "links": links,
        "gallery": gallery,
        "opening_hours": oh.humanize_lines(place.opening_hours),
        "nearby": nearby,
        "json_ld": place_json_ld(place, request, image_url, [link.url for link in links]),
    }
