"""Filtered, paginated place listings for the region page, /orte/ and the embed map.

The shared filters (``places.queries``) parse and apply; this module adds what a page
needs around them: the form's choices (built from the places in scope), the selected
values, pagination that keeps the filters in the URL and friendly German errors.
Every listing costs a fixed number of queries, however many places it holds.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from taggit.models import Tag

from places.queries import FilterError, PlaceFilters, parse_place_filters

PER_PAGE = 24
FORM_PARAMETERS = ("region", "category", "tag", "offer", "status", "municipality", "q")


def clean_search_text(text: str) -> str:
    """Letters, digits, spaces and hyphens only: search syntax characters never reach the
    database, so no query can fail there."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", " ", text or "")).strip(" -")[:200]


# Must match the {% picture %} filters in includes/place_card.html.
CARD_IMAGE_FILTERS = ["format-{webp,jpeg}", "fill-{400x250,800x500}-c80"]


def for_cards(queryset):
    """What a place card needs, in a fixed number of queries: the hero image with only the
    card's renditions, the fields (categories); no story, tags or offers."""
    from wagtail.images import get_image_model
    from wagtail.images.models import Filter

    specs = Filter.expand_spec(CARD_IMAGE_FILTERS)
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return (
        queryset.select_related("hero_image")
        .prefetch_related("categories", Prefetch("hero_image__renditions", queryset=renditions))
        .defer_streamfields()
    )


def _selected(params, name) -> list[str]:
    values = []
    for raw in params.getlist(name):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


@dataclass
class Listing:
    filters: PlaceFilters | None
    errors: dict[str, str]
    page_obj: PaginatorPage | None
    selected: dict[str, list[str]]
    choices: dict[str, list]
    query_string: str  # the filters as URL parameters, without the page number
    extra: dict = field(default_factory=dict)

    @property
    def places(self):
        return self.page_obj.object_list if self.page_obj else []

    @property
    def count(self) -> int:
        return self.page_obj.paginator.count if self.page_obj else 0

    @property
    def is_filtered(self) -> bool:
        return bool(self.errors) or bool(self.filters and not self.filters.is_empty)

    @property
    def status_code(self) -> int:
        return 400 if self.errors else 200

    @property
    def active_labels(self) -> list[str]:
        """Human-readable summary of the active filters (German)."""
        if not self.filters:
            return []
        names = {
            key: {str(slug): str(label) for slug, label in options}
            for key, options in self.choices.items()
        }
        labels = []
        for key, attribute in (
            ("region", None),
            ("category", "categories"),
            ("tag", "tags"),
            ("offer", "offers"),
            ("status", "statuses"),
            ("municipality", "municipalities"),
        ):
            values = (
                [region.slug for region in self.filters.regions]
                if key == "region"
                else getattr(self.filters, attribute)
            )
            labels.extend(names.get(key, {}).get(value, value) for value in values)
        if self.filters.query:
            labels.append(f"„{self.filters.query}“")
        return labels


def _choices(scope, *, with_regions: bool) -> dict[str, list]:
    """The filter form's options in one query (UNION): all fields, and the offers, tags and
    municipalities that occur among the places in ``scope``."""
    from django.db.models import IntegerField, Value

    from places.models import Category, Offer, PlaceStatus

    place_ids = scope.order_by().values("pk")
    zero = Value(0, output_field=IntegerField())
    parts = [
        Category.objects.order_by().values_list(Value("category"), "slug", "name", "sort_order"),
        Offer.objects.filter(places__in=place_ids)
        .order_by()
        .values_list(Value("offer"), "slug", "name", "sort_order"),
        Tag.objects.filter(places_placepagetag_items__content_object__in=place_ids)
        .order_by()
        .values_list(Value("tag"), "slug", "name", zero),
        scope.order_by()
        .exclude(municipality="")
        .values_list(Value("municipality"), "municipality", "municipality", zero),
    ]
    rows = sorted(parts[0].union(*parts[1:]), key=lambda row: (row[0], row[3], row[2].lower()))
    choices = {"category": [], "offer": [], "tag": [], "municipality": []}
    for kind, slug, name, _order in rows:
        choices[kind].append((slug, name))
    choices["status"] = list(PlaceStatus.choices)
    if with_regions:
        from places.page_data import restricted_q
        from regions.models import RegionPage

        choices["region"] = [
            (r.slug, r.title)
            for r in RegionPage.objects.live()
            .exclude(restricted_q())
            .defer_streamfields()
            .order_by("title")
        ]
    return choices


def build_listing(request, scope, *, region=None, per_page: int = PER_PAGE) -> Listing:
    """Filter ``scope`` (a queryset of visible places) by the request's GET parameters.

    ``region``: the listing belongs to this region's page, so a ``region`` parameter is
    ignored and the region choice is not offered.
    """
    params = request.GET.copy()
    params.pop("page", None)
    if region is not None:
        params.pop("region", None)
    # Only the public filter parameters count; anything else (utm_source …) is ignored.
    for key in list(params.keys()):
        if key not in FORM_PARAMETERS:
            params.pop(key)

    selected = {name: _selected(params, name) for name in FORM_PARAMETERS}
    selected["q"] = [" ".join(params.getlist("q")).strip()] if params.get("q") else []
    choices = _choices(scope, with_regions=region is None)

    try:
        filters = parse_place_filters(params)
    except FilterError as exc:
        return Listing(None, exc.errors, None, selected, choices, "")

    filters.query = clean_search_text(filters.query)
    queryset = for_cards(filters.apply(scope))
    if not filters.query:
        queryset = queryset.order_by("title", "pk")
    paginator = Paginator(queryset, per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    query_string = urlencode(filters.as_query_dict(), doseq=True)
    return Listing(filters, {}, page_obj, selected, choices, query_string)


def error_summary(errors: dict[str, str]) -> str:
    return _("Bitte prüfen Sie die Filter: ") + " ".join(errors.values())
