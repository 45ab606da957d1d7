"""Public views that are not Wagtail pages: all places, search, the embeddable map, robots."""

import re
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from wagtail.models import Page

from core import languages
from core.middleware import uses_wagtail_site
from core.visibility import visible_q
from places.models import Category, PlacePage, taxonomy_label
from places.queries import MAX_QUERY_LENGTH
from places.regions import visible_regions
from places.search import (
    SEARCH_RESULT_LIMIT,
    SUGGEST_BELOW,
    fold,
    other_pages_ids,
    query_words,
    ranked_place_ids,
    suggest,
)
from website.cards import in_active_language
from website.listing import (
    ListingResponse,
    build_listing,
    clean_search_text,
    kept_by_data_version,
)

SEARCH_PER_PAGE = 20
OTHER_PAGES = 8
OTHER_PAGES_CANDIDATES = 40
#: Served by the API app (CONTRACT.md); the path is part of the public contract.
GEOJSON_PATH = "/api/orte.geojson"


def _with_query(url: str, query_string: str) -> str:
    return f"{url}?{query_string}" if query_string else url


@uses_wagtail_site
@require_safe
def place_index(request):
    listing = build_listing(request, PlacePage.objects.visible())
    context = {
        "listing": listing,
        "geojson_url": _with_query(GEOJSON_PATH, listing.query_string),
        "embed_url": _with_query(
            request.build_absolute_uri(reverse("embed_map")), listing.query_string
        ),
        "canonical_url": request.build_absolute_uri(request.path),
    }
    return ListingResponse(request, "places/place_index.html", context, status=listing.status_code)


@uses_wagtail_site
@require_safe
@xframe_options_exempt
def embed_map(request):
    listing = build_listing(request, PlacePage.objects.visible(), per_page=50)
    context = {
        "listing": listing,
        "geojson_url": _with_query(GEOJSON_PATH, listing.query_string),
        "canonical_url": _with_query(
            request.build_absolute_uri(reverse("place_index")), listing.query_string
        ),
    }
    return ListingResponse(request, "places/embed_map.html", context, status=listing.status_code)


def _browse_links() -> dict:
    """What to look at instead: the fields and the regions (empty states of the search),
    the regions by their titles in the active language."""
    regions = visible_regions().only("title", "url_path", "translation_key")
    return {
        "browse_categories": [
            (slug, taxonomy_label(name, name_en))
            for slug, name, name_en in Category.objects.values_list("slug", "name", "name_en")
        ],
        "browse_regions": sorted(
            in_active_language(regions, fields=("title",)), key=lambda region: region.title
        ),
    }


def _other_pages(ids: list[int]) -> list:
    """Of the regions and content pages ``ids`` (best first), those the public may see, by
    their titles in the active language."""
    if not ids:
        return []
    pages = {page.pk: page for page in Page.objects.filter(visible_q(), pk__in=ids)}
    shown = [pages[pk] for pk in ids if pk in pages][:OTHER_PAGES]
    return in_active_language(shown, fields=("title",), model=Page)


def _shown_places(ids: list[int]) -> list:
    """The places ``ids`` with what a hit shows (``search_categories``: names), in order,
    with their texts in the active language (``in_active_language``). The ids are visible
    ones of the current data version (kept with it), so no visibility subqueries here."""
    places = PlacePage.objects.filter(pk__in=ids).only(
        "title", "url_path", "teaser", "status", "municipality", "translation_key"
    )
    shown = {place.pk: place for place in in_active_language(places)}
    names: dict[int, list[str]] = {pk: [] for pk in shown}
    through = PlacePage.categories.through.objects.filter(placepage_id__in=ids)
    for pk, name, name_en in through.order_by("category__sort_order", "category__name").values_list(
        "placepage_id", "category__name", "category__name_en"
    ):
        names[pk].append(taxonomy_label(name, name_en))
    for pk, place in shown.items():
        place.search_categories = names[pk]
    return [shown[pk] for pk in ids if pk in shown]


@uses_wagtail_site
@require_safe
def search(request):
    """The forgiving search of ``places.search``: typos, fragments and umlaut spellings find
    places; few hits offer „Meinten Sie …?“; no query or no hit shows where to look instead."""
    raw = " ".join(request.GET.getlist("q")).strip()[: MAX_QUERY_LENGTH * 2]
    query = clean_search_text(raw)
    terms = [term for term in query.split() if len(term) > 1]
    context = {"raw_query": raw[:MAX_QUERY_LENGTH], "query": query, "terms": terms}
    if query:
        # The ranked hits are kept by data version (website.listing.kept): a search asked
        # again before the next change costs no search (10,000 places: 10–50 ms). One
        # place more than the limit tells that there are more.
        ordered, other_ids = kept_by_data_version(
            ("search", tuple(query_words(query))),
            lambda: (
                ranked_place_ids(query, limit=SEARCH_RESULT_LIMIT + 1),
                other_pages_ids(query, OTHER_PAGES_CANDIDATES),
            ),
        )
        more_than_limit = len(ordered) > SEARCH_RESULT_LIMIT
        ordered = ordered[:SEARCH_RESULT_LIMIT]
        # Paginate the ids; only the shown page of places is loaded.
        page_obj = Paginator(ordered, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
        page_obj.object_list = _shown_places(list(page_obj.object_list))
        suggestion = suggest(query) if len(ordered) < SUGGEST_BELOW else ""
        context.update(
            {
                "page_obj": page_obj,
                "places": page_obj.object_list,
                "place_count": len(ordered),
                "more_than_limit": more_than_limit,
                "other_pages": _other_pages(other_ids),
                "suggestion": suggestion,
                "suggestion_url": f"{reverse('search')}?{urlencode({'q': suggestion})}",
            }
        )
    if not query or not ordered:
        context.update(_browse_links())
    return TemplateResponse(request, "places/search.html", context)


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    # The search and the embeddable map in every language (``/en/suche/`` …).
    unlisted = [
        languages.localize_path(path, language)
        for path in ("/suche/", "/einbetten/")
        for language in (languages.DEFAULT, *languages.OTHERS)
    ]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: {path}" for path in unlisted),
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


#: Spellings that search as one (places.search.fold): a term matches either in the text.
_SPELLINGS = {"ae": "(?:ae|ä)", "oe": "(?:oe|ö)", "ue": "(?:ue|ü)", "ss": "(?:ss|ß)"}


def _term_pattern(term: str) -> str:
    """``term`` as a regular expression matching its umlaut spellings both ways."""
    # Split at the spellings (kept, as every other part), from the left like a search.
    parts = re.split(f"({'|'.join(_SPELLINGS)})", fold(term))
    return "".join(_SPELLINGS.get(part) or re.escape(escape(part)) for part in parts)


def highlight_terms(text: str, terms: list[str]) -> str:
    """Escape ``text`` and wrap every match of ``terms`` in ``<mark>`` (umlauts as the
    search folds them: „Muehle“ marks „Mühle“)."""
    escaped = escape(text)
    if not terms:
        return escaped
    pattern = re.compile(
        "|".join(_term_pattern(term) for term in sorted(terms, key=len, reverse=True)),
        re.IGNORECASE,
    )
    return pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped)
