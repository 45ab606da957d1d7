"""Public views that are not Wagtail pages: all places, search, the embeddable map, robots."""

import re

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from wagtail.models import Page

from core.middleware import uses_wagtail_site
from core.visibility import visible_q
from places.models import PlacePage
from places.queries import MAX_QUERY_LENGTH, SEARCH_RESULT_LIMIT
from website.listing import ListingResponse, build_listing, clean_search_text

SEARCH_PER_PAGE = 20
OTHER_PAGES = 8
OTHER_PAGES_CANDIDATES = 40
GEOJSON_PATH = "/api/orte.geojson"


def _geojson_url(query_string: str) -> str:
    # Served by the API app (CONTRACT.md); the path is part of the public contract.
    return f"{GEOJSON_PATH}?{query_string}" if query_string else GEOJSON_PATH


def _search_ids(query: str) -> list[int]:
    """``places.queries.search_place_ids`` without loading whole pages (stories) per hit."""
    results = (
        PlacePage.objects.live().only("pk").search(query, operator="and")[:SEARCH_RESULT_LIMIT]
    )
    return [page.pk for page in results]


@uses_wagtail_site
@require_safe
def place_index(request):
    listing = build_listing(request, PlacePage.objects.visible())
    context = {
        "listing": listing,
        "geojson_url": _geojson_url(listing.query_string),
        "embed_url": request.build_absolute_uri(reverse("embed_map"))
        + (f"?{listing.query_string}" if listing.query_string else ""),
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
        "geojson_url": _geojson_url(listing.query_string),
        "canonical_url": request.build_absolute_uri(reverse("place_index"))
        + (f"?{listing.query_string}" if listing.query_string else ""),
    }
    return ListingResponse(request, "places/embed_map.html", context, status=listing.status_code)


def _terms(query: str) -> list[str]:
    return [term for term in query.split() if len(term) > 1]


@uses_wagtail_site
@require_safe
def search(request):
    raw = " ".join(request.GET.getlist("q")).strip()[: MAX_QUERY_LENGTH * 2]
    query = clean_search_text(raw)
    context = {"raw_query": raw[:MAX_QUERY_LENGTH], "query": query, "terms": _terms(query)}
    if query:
        ranked_ids = _search_ids(query)
        visible = set(
            PlacePage.objects.visible().filter(pk__in=ranked_ids).values_list("pk", flat=True)
        )
        ordered = [pk for pk in ranked_ids if pk in visible]
        # Paginate the ids; only the shown page of places is loaded.
        page_obj = Paginator(ordered, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
        shown = {
            place.pk: place
            for place in PlacePage.objects.visible()
            .filter(pk__in=list(page_obj.object_list))
            .prefetch_related("categories")
            .defer_streamfields()
        }
        page_obj.object_list = [shown[pk] for pk in page_obj.object_list if pk in shown]
        # Titles and URLs only: generic pages, no per-result query for the specific page.
        # The search backend filters on indexed fields only, so what is visible is asked
        # of the hits (a content page or region below an unpublished page is left out).
        hits = list(
            Page.objects.live()
            .not_type(PlacePage)
            .exclude(depth__lte=2)
            .search(query, operator="and")[:OTHER_PAGES_CANDIDATES]
        )
        shown_pages = set(
            Page.objects.filter(visible_q(), pk__in=[hit.pk for hit in hits]).values_list(
                "pk", flat=True
            )
        )
        other_pages = [hit for hit in hits if hit.pk in shown_pages][:OTHER_PAGES]
        context.update(
            {
                "page_obj": page_obj,
                "places": page_obj.object_list,
                "place_count": len(ordered),
                "other_pages": other_pages,
            }
        )
    return TemplateResponse(request, "places/search.html", context)


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /suche/",
        "Disallow: /einbetten/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def highlight_terms(text: str, terms: list[str]) -> str:
    """Escape ``text`` and wrap every (prefix) match of ``terms`` in ``<mark>``."""
    from django.utils.html import escape

    escaped = escape(text)
    if not terms:
        return escaped
    pattern = re.compile(
        "|".join(re.escape(escape(term)) for term in sorted(terms, key=len, reverse=True)),
        re.IGNORECASE,
    )
    return pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped)
