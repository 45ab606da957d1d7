"""Template helpers for the public site: opening hours, place details, sharing meta, JSON-LD."""

import functools
import json
import re
from collections import OrderedDict

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from core import languages
from core.images import image_is_public
from places import opening_hours as oh
from places.models import PlacePage
from website.cards import ListedPlace, card_html, in_active_language, listed_card_html
from website.listing import listing_page_part, shared_fragment
from website.views import highlight_terms

register = template.Library()

SOCIAL_IMAGE_SPEC = "fill-1200x630-c75|format-jpeg|jpegquality-80"
NOT_FOUND_TEMPLATE = "404.html"

# The characters that could end a <script> element or start markup, as JSON escapes.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def active_prefix() -> str:
    """``{% active_prefix as language_prefix %}``: what comes before a German path in the
    active language (``""``, ``"/en"``), for templates rendered without the request's
    context (the error pages' header and footer)."""
    return languages.prefix()


@register.filter
def api_url_in_active_language(url: str) -> str:
    """An API address (``/api/orte.geojson?region=…``) answering in the active language: with
    ``locale=en`` on an English page, so that the map's places have English titles and
    addresses (``api.locale``); unchanged in German."""
    language = languages.active()
    if not url or language == languages.DEFAULT:
        return url
    return f"{url}{'&' if '?' in url else '?'}locale={language}"


@register.simple_tag
def titles_in_active_language(pages):
    """``{% titles_in_active_language regions as regions %}``: the German ``pages`` with
    their live translations' titles in the active language (one query; none in German)."""
    return in_active_language(pages, fields=("title",))


@register.filter
def highlight(text, terms):
    return mark_safe(highlight_terms(str(text or ""), terms or []))  # escaped by highlight_terms


@register.filter
def json_ld(data):
    """Render ``data`` as a JSON-LD script element; editor text cannot break out of it."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(  # escaped above
        '<script type="application/ld+json">'
        + payload.translate(_JSON_SCRIPT_ESCAPES)
        + "</script>"
    )


@register.simple_tag
def page_url(query_string, number):
    """``?<filters>&page=<number>``; page 1 is the bare filter URL."""
    parts = [query_string] if query_string else []
    if number and int(number) > 1:
        parts.append(f"page={int(number)}")
    return "?" + "&".join(parts)


def _absolute(request, url):
    if url.startswith(("http://", "https://")) or request is None:
        return url
    return request.build_absolute_uri(url)


def social_image(image, request):
    """The rendition of ``image`` that stands for a page when shared (Open Graph, JSON-LD);
    None without an image or for one the public may not see."""
    if image is None or not image_is_public(image, request):
        return None
    return rendition(image, SOCIAL_IMAGE_SPEC)


def social_image_url(image, request) -> str | None:
    social = social_image(image, request)
    return None if social is None else _absolute(request, social.url)


def page_full_url(page, request) -> str | None:
    """``page``'s absolute URL: on the request's scheme and host when the page belongs to the
    site serving the request (Wagtail then gives the path), else its own site's root URL;
    without a request the site's root URL (``SITE_URL``, ``demo.site``)."""
    if request is None:
        return page.get_full_url()
    url = page.get_url(request=request)
    return None if url is None else _absolute(request, url)


@register.simple_tag(takes_context=True)
def social_meta(context):
    """Title, description, canonical URL and image for Open Graph and Twitter cards."""
    request = context.get("request")
    page = context.get("page")
    description = context.get("meta_description") or ""
    if not description and page is not None:
        specific = getattr(page, "specific_deferred", page)
        description = (
            page.search_description
            or getattr(specific, "teaser", "")
            or strip_tags(str(getattr(specific, "intro", "") or ""))
        )
    description = Truncator(re.sub(r"\s+", " ", description).strip()).chars(200)
    # The "not found" page names no canonical URL and is not indexed.
    origin = getattr(getattr(context, "template", None), "origin", None)
    not_found = getattr(origin, "template_name", None) == NOT_FOUND_TEMPLATE
    canonical = None if not_found else context.get("canonical_url")
    if not canonical and not not_found and page is not None and getattr(page, "pk", None):
        canonical = page_full_url(page, request)
    if not canonical and not not_found and request is not None:
        canonical = request.build_absolute_uri(request.path)
    image = None
    source = context.get("meta_image")
    if source is None and page is not None:
        source = getattr(page, "hero_image", None)
    social = social_image(source, request)
    if social is not None:
        image = {
            "url": _absolute(request, social.url),
            "width": social.width,
            "height": social.height,
            "alt": source.description,
        }
    title = context.get("page_title") or ""
    if not title and page is not None:
        title = page.seo_title or page.title
    if not title and not_found:
        title = _("Seite nicht gefunden")
    return {
        "title": title,
        "description": description,
        "canonical": canonical,
        "image": image,
        "type": "article" if isinstance(page, PlacePage) else "website",
        "noindex": not_found,
    }


def address_json_ld(place) -> dict:
    """The schema.org ``address`` (its filled-in parts) and, with coordinates, ``geo`` of a
    place, for its own JSON-LD and its events' ``location``."""
    address = {
        "@type": "PostalAddress",
        "streetAddress": place.street,
        "postalCode": place.postcode,
        "addressLocality": place.municipality,
        "addressRegion": place.district,
        "addressCountry": "DE",
    }
    data = {"address": {key: value for key, value in address.items() if value}}
    if place.has_coordinates:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(place.latitude),
            "longitude": float(place.longitude),
        }
    return data


def place_json_ld(place, request, image_url=None, links=()):
    """schema.org data of ``place``: a ``LocalBusiness`` (an ``Organization`` and a ``Place``)
    when it has opening hours, else a ``Place``. Every object carries only properties of its
    type (``website/tests/test_json_ld.py`` checks them against schema.org): ``email``
    exists on ``LocalBusiness``, not on ``Place``. The opening hours are
    ``openingHoursSpecification`` objects (``places.opening_hours``): unlike the text form
    ``openingHours`` they say which rule wins on a day (``Mo-Su 10:00-18:00; Mo off``:
    closed on Monday), closed holidays and seasons with their dates."""
    business = bool(place.opening_hours)
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness" if business else "Place",
        "name": place.title,
        "description": place.teaser,
        "url": page_full_url(place, request),
        **address_json_ld(place),
    }
    if business:
        data["openingHoursSpecification"] = oh.opening_hours_specification(place.opening_hours)
    if image_url:
        data["image"] = image_url
    if place.phone:
        data["telephone"] = place.phone
    if place.email and business:
        data["email"] = place.email
    same_as = [url for url in [place.website, *links] if url]
    if same_as:
        data["sameAs"] = same_as
    return {key: value for key, value in data.items() if value not in ("", None, [])}


@register.simple_tag(takes_context=True)
def place_card(context, place, distance_km=None):
    """The card of ``place`` (``includes/place_card.html``, ``website.cards.card_html``), with
    its ``distance_km`` on the place page. A ``ListedPlace`` takes the HTML from the card
    cache when the same version of the card was rendered before; the place is then not
    even loaded (``website.cards.listed_card_html``)."""
    request, link_target = context.get("request"), context.get("link_target") or ""
    if isinstance(place, ListedPlace):
        html = listed_card_html(place, request, link_target, distance_km)
    else:
        html = card_html(place, request, link_target, distance_km)
    return mark_safe(html)  # the card template escapes


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys

    def render(self, context):
        keys = tuple(key.resolve(context) for key in self.keys)
        if keys[0] is None:
            return self.nodelist.render(context)
        return shared_fragment(
            self.origin.template_name,
            keys,
            lambda: self.nodelist.render(context),
            context.get("request"),
        )


@register.tag
def listing_fragment(parser, token):
    """``{% listing_fragment listing.memo_key form_action … %}…{% end_listing_fragment %}``:
    the block as every page of one listing shows it, rendered once per static build and
    kept by data version on live requests (``website.listing.shared_fragment``); the keys
    must name everything the block shows besides the listing's filters and the data.
    Rendered every time when the first key is ``None`` (a listing with errors)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("listing_fragment needs the listing's memo_key")
    nodelist = parser.parse(("end_listing_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])


class ListingPageNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return listing_page_part(self.nodelist, context)


@register.tag
def listing_page(parser, token):
    """``{% listing_page %}…{% end_listing_page %}``: what differs between the pages of one
    listing (page number, cards, pagination); everything outside it must be the same on
    every page of the listing. In a static build the rest of the page is rendered once per
    listing (``website.listing.ListingResponse``)."""
    nodelist = parser.parse(("end_listing_page",))
    parser.delete_first_token()
    return ListingPageNode(nodelist)


@register.filter
def elided_pages(page_obj):
    """Page numbers with „…“ gaps for long listings."""
    paginator = page_obj.paginator
    return list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


@functools.lru_cache(maxsize=64)
def _filters(specs: tuple[str, ...]) -> tuple[Filter, ...]:
    # Filter objects parse their spec (and validate operations) lazily and cache the
    # result on the instance; Wagtail's {% picture %} builds new ones on every call,
    # which costs ~2 ms per card. Shared instances make a 24-card listing much cheaper.
    return tuple(Filter(spec=spec) for spec in Filter.expand_spec(list(specs)))


def rendition(image, spec: str):
    """``image.get_rendition(spec)`` without writing a prefetched rendition back to the
    cache on every call (``get_rendition`` does; ``get_renditions`` doesn't)."""
    return get_renditions_or_not_found(image, _filters((spec,)))[spec]


@register.simple_tag
def rendition_url(image, spec: str) -> str:
    """``{% rendition_url image "format-jpeg|width-960" %}``: the URL of one rendition (the
    gallery's link to the large image), from the prefetched renditions like
    ``responsive_picture``; the spec must be written as Wagtail expands it."""
    return rendition(image, spec).url if image else ""


#: ``<picture>`` markup by everything it is made of (settings are fixed per process).
_PICTURES: OrderedDict = OrderedDict()
PICTURE_CACHE_SIZE = 4096


@register.simple_tag
def responsive_picture(image, *specs, **attrs):
    """``{% responsive_picture image "format-{webp,jpeg}" "width-{400,800}" sizes="…" %}``:
    the same ``<picture>`` markup as Wagtail's ``{% picture %}`` tag.

    Building the markup (URLs, ``srcset``, attributes) costs more than finding the
    prefetched renditions, and a static build shows every place's card on several listing
    pages, so the markup is kept per process for the same renditions and attributes."""
    if not image:
        return ""
    renditions = get_renditions_or_not_found(image, _filters(tuple(specs)))
    key = (
        tuple(
            (spec, rendition.file.name, rendition.width, rendition.height, rendition.alt)
            for spec, rendition in renditions.items()
        ),
        tuple(attrs.items()),
    )
    html = _PICTURES.get(key)
    if html is None:
        html = Picture(renditions, attrs).__html__()
        _PICTURES[key] = html
        if len(_PICTURES) > PICTURE_CACHE_SIZE:
            _PICTURES.popitem(last=False)
    return html
