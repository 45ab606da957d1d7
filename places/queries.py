"""The place filters shared by the website, the feeds and the API.

The filter names and values are part of the public contract (CONTRACT.md): ``region``,
``category``, ``tag``, ``offer``, ``status``, ``municipality``, ``q`` and, for machine
clients, ``bbox``. Each parameter may be repeated (values are OR-ed); different parameters
are AND-ed. Unknown values are errors, never silently ignored.
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from taggit.models import Tag

from core.middleware import nul_message
from core.visibility import visible_q
from places.models import Category, Offer, PlacePage, PlacePageTag, PlaceStatus
from places.search import ranked_place_ids

FILTER_PARAMETERS = ("region", "category", "tag", "offer", "status", "municipality", "q")
MAX_VALUES_PER_PARAMETER = 20
MAX_QUERY_LENGTH = 200


class FilterError(ValueError):
    """Invalid filter parameters; ``errors`` maps each parameter to a German message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass
class PlaceFilters:
    regions: list = field(default_factory=list)  # RegionPage instances
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    query: str = ""
    bbox: tuple[Decimal, Decimal, Decimal, Decimal] | None = None

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, item.name) for item in fields(self))

    def as_query_dict(self) -> dict[str, list[str]]:
        """The filters as URL parameters (for links, pagination and the embed code)."""
        params = {
            "region": [region.slug for region in self.regions],
            "category": self.categories,
            "tag": self.tags,
            "offer": self.offers,
            "status": self.statuses,
            "municipality": self.municipalities,
            "q": [self.query] if self.query else [],
        }
        if self.bbox:
            params["bbox"] = [",".join(str(value) for value in self.bbox)]
        return {key: values for key, values in params.items() if values}

    def apply(self, queryset):
        if self.regions:
            region_paths = Q()
            for region in self.regions:
                region_paths |= Q(path__startswith=region.path, depth=region.depth + 1)
            queryset = queryset.filter(region_paths)
        for through, target, slugs in (
            (PlacePage.categories.through, "category", self.categories),
            (PlacePage.offers.through, "offer", self.offers),
        ):
            if slugs:
                rows = through.objects.filter(**{f"{target}__slug__in": slugs})
                queryset = queryset.filter(pk__in=rows.values("placepage_id"))
        if self.tags:
            queryset = queryset.filter(
                pk__in=PlacePageTag.objects.filter(tag__slug__in=self.tags).values(
                    "content_object_id"
                )
            )
        if self.statuses:
            queryset = queryset.filter(status__in=self.statuses)
        if self.municipalities:
            municipality_q = Q()
            for name in self.municipalities:
                municipality_q |= Q(municipality__iexact=name)
            queryset = queryset.filter(municipality_q)
        if self.bbox:
            min_lon, min_lat, max_lon, max_lat = self.bbox
            queryset = queryset.filter(
                longitude__gte=min_lon,
                longitude__lte=max_lon,
                latitude__gte=min_lat,
                latitude__lte=max_lat,
            )
        if self.query:
            # The forgiving search (places/search.py), within what the other filters left.
            ranked_ids = ranked_place_ids(self.query, scope=queryset)
            queryset = queryset.filter(pk__in=ranked_ids).order_by(search_rank(ranked_ids))
        return queryset


def search_rank(ranked_ids: list[int]):
    """An ordering by the position in ``ranked_ids``: PostgreSQL's ``array_position`` (a
    ``CASE`` of 1,000 branches, evaluated per row and per sort comparison, took seconds
    at 10,000 places), elsewhere that ``CASE``."""
    if connection.vendor == "postgresql":
        return Func(
            Value(ranked_ids, output_field=ArrayField(IntegerField())),
            F("pk"),
            function="array_position",
            output_field=IntegerField(),
        ).asc()
    return Case(
        *[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ranked_ids)],
        output_field=IntegerField(),
    ).asc()


def _values(params, name: str) -> list[str]:
    getter = getattr(params, "getlist", None)
    raw = getter(name) if getter else ([params[name]] if name in params else [])
    values = []
    for item in raw:
        values.extend(part.strip() for part in str(item).split(",") if part.strip())
    return list(dict.fromkeys(values))


def _check_known(errors, name, values, known, label):
    unknown = [value for value in values if value not in known]
    if unknown:
        errors[name] = _("Unbekannte(r) %(label)s: %(values)s. Erlaubt: %(allowed)s.") % {
            "label": label,
            "values": ", ".join(unknown),
            "allowed": ", ".join(sorted(known)) or "–",
        }


def parse_bbox(raw: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    parts = raw.split(",")
    if len(parts) != 4:
        raise ValueError(_("bbox braucht vier Zahlen: minLon,minLat,maxLon,maxLat."))
    try:
        min_lon, min_lat, max_lon, max_lat = (Decimal(part.strip()) for part in parts)
    except InvalidOperation as exc:
        raise ValueError(_("bbox enthält etwas anderes als Zahlen.")) from exc
    if not all(value.is_finite() for value in (min_lon, min_lat, max_lon, max_lat)):
        raise ValueError(_("bbox enthält etwas anderes als Zahlen."))
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise ValueError(_("Längengrade in bbox müssen zwischen -180 und 180 liegen."))
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise ValueError(_("Breitengrade in bbox müssen zwischen -90 und 90 liegen."))
    if min_lon > max_lon or min_lat > max_lat:
        raise ValueError(_("In bbox muss das Minimum vor dem Maximum stehen."))
    return (min_lon, min_lat, max_lon, max_lat)


def parse_place_filters(params, *, allow_bbox: bool = False) -> PlaceFilters:
    """Read and validate filters from a QueryDict (or a plain dict).

    Raises ``FilterError`` with one German message per bad parameter.
    """
    # regions sit above places in the layering (docs/architecture.md).
    RegionPage = apps.get_model("regions", "RegionPage")
    errors: dict[str, str] = {}
    filters = PlaceFilters()

    for name in (*FILTER_PARAMETERS, "bbox"):
        # core.middleware.NulByteMiddleware refuses these for every request; this keeps
        # callers outside a request (and any new route) from passing NUL to the database.
        if any("\x00" in value for value in _values(params, name)):
            errors[name] = nul_message(name)
    if errors:
        raise FilterError(errors)

    for name in FILTER_PARAMETERS:
        if len(_values(params, name)) > MAX_VALUES_PER_PARAMETER:
            errors[name] = _("Höchstens %(max)s Werte je Filter.") % {
                "max": MAX_VALUES_PER_PARAMETER
            }
    if errors:
        raise FilterError(errors)

    region_slugs = _values(params, "region")
    if region_slugs:
        regions = {
            region.slug: region
            for region in RegionPage.objects.filter(visible_q(), slug__in=region_slugs)
        }
        _check_known(errors, "region", region_slugs, regions.keys(), _("Region"))
        filters.regions = [regions[slug] for slug in region_slugs if slug in regions]

    filters.categories = _values(params, "category")
    if filters.categories:
        known = set(Category.objects.values_list("slug", flat=True))
        _check_known(errors, "category", filters.categories, known, _("Themenfeld"))

    filters.offers = _values(params, "offer")
    if filters.offers:
        known = set(Offer.objects.values_list("slug", flat=True))
        _check_known(errors, "offer", filters.offers, known, _("Angebot"))

    filters.tags = _values(params, "tag")
    if filters.tags:
        known = set(Tag.objects.filter(slug__in=filters.tags).values_list("slug", flat=True))
        unknown = [tag for tag in filters.tags if tag not in known]
        if unknown:
            errors["tag"] = _("Unbekanntes Schlagwort: %(values)s.") % {
                "values": ", ".join(unknown)
            }

    filters.statuses = _values(params, "status")
    if filters.statuses:
        _check_known(errors, "status", filters.statuses, set(PlaceStatus.values), _("Status"))

    filters.municipalities = _values(params, "municipality")

    query_values = params.getlist("q") if hasattr(params, "getlist") else [params.get("q", "")]
    query = " ".join(value.strip() for value in query_values if value and value.strip())
    if len(query) > MAX_QUERY_LENGTH:
        errors["q"] = _("Der Suchbegriff darf höchstens %(max)s Zeichen lang sein.") % {
            "max": MAX_QUERY_LENGTH
        }
    filters.query = query

    raw_bbox = params.get("bbox") if hasattr(params, "get") else None
    if raw_bbox is not None:
        if not allow_bbox:
            errors["bbox"] = _("bbox gibt es nur in der API.")
        else:
            try:
                filters.bbox = parse_bbox(raw_bbox)
            except ValueError as exc:
                errors["bbox"] = str(exc)

    if errors:
        raise FilterError(errors)
    return filters
