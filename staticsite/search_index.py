"""``suche/index.json``: what the static site's client-side search and filters need, in every
language: ``suche/index.json`` (German) and ``en/suche/index.json`` (the English search page's
``search.js`` reads the one below its language's root, ``staticsite.render``): the English
one links the English addresses and shows the live translations' titles and teasers where
there are some (the German texts otherwise, as the English pages do)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from wagtail.models import Page

import orjson

from core.languages import DEFAULT, OTHERS, live_translation_q, localize_path
from core.visibility import visible_q
from home.models import ContentPage
from places.models import Category, Offer, PlacePage, PlacePageTag, taxonomy_label
from regions.models import RegionPage

from .crawl import default_root_page
from .output import without_cyclic_gc, write_atomic


def _translated(model, keys, fields, language: str) -> dict:
    """``{translation_key: (field values)}`` of the live ``language`` pages of ``model``
    among ``keys`` (one query)."""
    rows = model.objects.filter(live_translation_q(language), translation_key__in=keys).values_list(
        "translation_key", *fields
    )
    return {key: values for key, *values in rows}


@without_cyclic_gc()
def write_search_index(root: Path, base_path: str) -> int:
    """Write the index of every language below ``root`` for a site under ``base_path`` (the
    base URL's path); returns their size."""
    regions = {
        region.path: (region.slug, region.title, region.translation_key)
        for region in RegionPage.objects.filter(visible_q()).only(
            "path", "slug", "title", "translation_key"
        )
    }
    prefix = default_root_page().url_path

    def url(url_path: str, language: str) -> str:
        return base_path + localize_path("/" + url_path[len(prefix) :], language)

    # Plain rows instead of page objects with prefetches (0.03 s instead of 0.55 s at 1,000
    # places): an incremental build writes the index after every publish.
    categories: dict[int, list] = defaultdict(list)
    for pk, slug, name, name_en in Category.objects.filter(places__isnull=False).values_list(
        "places", "slug", "name", "name_en"
    ):
        categories[pk].append((slug, name, name_en))
    offers: dict[int, list] = defaultdict(list)
    for pk, slug in Offer.objects.filter(places__isnull=False).values_list("places", "slug"):
        offers[pk].append(slug)
    tags: dict[int, list] = defaultdict(list)
    for pk, slug, name in PlacePageTag.objects.order_by("tag__name", "tag__slug").values_list(
        "content_object_id", "tag__slug", "tag__name"
    ):
        tags[pk].append([slug, name])
    places = []
    for pk, key, title, url_path, path, teaser, municipality, status, former_use in (
        PlacePage.objects.visible()
        .order_by("title", "pk")
        .values_list(
            "pk",
            "translation_key",
            "title",
            "url_path",
            "path",
            "teaser",
            "municipality",
            "status",
            "former_use",
        )
    ):
        region, region_title, region_key = regions.get(path[: -Page.steplen], ("", "", None))
        entry = {
            "t": title,
            "x": teaser,
            "m": municipality,
            "r": region,
            "rn": region_title,
            "s": status,
            "o": offers.get(pk, []),
            "g": tags.get(pk, []),
            "f": former_use,
        }
        places.append((key, url_path, region_key, pk, entry))
    pages = [
        (page.translation_key, page.url_path, page.title, str(page.search_description or ""))
        for page in ContentPage.objects.filter(visible_q()).order_by("title")
    ]
    size = 0
    for language in (DEFAULT, *OTHERS):
        place_texts = region_titles = page_texts = {}
        if language != DEFAULT:
            place_texts = _translated(
                PlacePage, [key for key, *_rest in places], ("title", "teaser"), language
            )
            region_titles = _translated(
                RegionPage, [key for _slug, _title, key in regions.values()], ("title",), language
            )
            page_keys = [key for key, *_rest in pages]
            page_texts = _translated(
                ContentPage, page_keys, ("title", "search_description"), language
            )
        entries = []
        for key, url_path, region_key, pk, entry in places:
            entry = {
                **entry,
                "u": url(url_path, language),
                "c": [
                    [slug, taxonomy_label(name, name_en, language)]
                    for slug, name, name_en in categories.get(pk, ())
                ],
            }
            if key in place_texts:
                entry["t"], entry["x"] = place_texts[key]
            if region_key in region_titles:
                entry["rn"] = region_titles[region_key][0]
            entries.append(entry)
        if language != DEFAULT:  # in the order of the language's titles
            entries.sort(key=lambda entry: entry["t"])
        content = []
        for key, url_path, title, description in pages:
            title, description = page_texts.get(key, (title, description))
            content.append({"t": title, "u": url(url_path, language), "x": str(description)})
        data = orjson.dumps({"places": entries, "pages": content})
        write_atomic(root / localize_path("/suche/index.json", language).lstrip("/"), data)
        size += len(data)
    return size
