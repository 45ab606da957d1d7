"""``?locale=``: every API answer in German (``de``, the default) or English (``en``).

The German tree is the data (``core.languages``): every channel lists the same German pages
in the same order whatever the language, with the German page ids, so that a partner can join
both languages. With ``locale=en`` each item is shown in its German page's live English
translation where there is one (its texts, ``meta.locale: "en"``), else as the German page
(``meta.locale: "de"``), and every page address is the English one (``/en`` + the German
path, ``core.languages.localize_path``). Error messages stay German.

``take_language`` reads and checks the parameter for the Wagtail APIs (``api.http.api_view``)
and takes it out of the query that Wagtail sees (its own ``locale`` filter would list the
English tree's pages instead); the exports and feeds read it with their filters
(``parse_language``).
"""

from __future__ import annotations

import functools
import re
import uuid

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from wagtail.models import Locale
from wagtail_localize.fields import TranslatableField, get_translatable_fields

from core.languages import (
    DEFAULT,
    OTHERS,
    BilingualPage,
    live_translation_q,
    live_translations,
    localize_path,
    page_address_in,
    split_path,
)
from places.models import ActorType, Category, Offer, PlacePage

from .v2.serializers import CompactJSONRenderer

PARAMETER = "locale"
#: The values ``locale`` takes: German first (the default).
LANGUAGES = (DEFAULT, *OTHERS)
#: Set on a request by ``take_language``: the language its answer is in.
REQUEST_ATTRIBUTE = "api_language"


class LocaleError(ValueError):
    """A ``locale`` value that is not one of ``LANGUAGES`` (German message)."""


def parse_language(values) -> str:
    """The language a list of ``locale`` values asks for: the last non-empty one (as for
    every single-valued parameter), ``DEFAULT`` without one; ``LocaleError`` otherwise."""
    given = [value.strip() for value in values if value.strip()]
    if not given:
        return DEFAULT
    value = given[-1]
    if value not in LANGUAGES:
        raise LocaleError(
            _("Unbekannte Sprache (locale): „%(value)s“. Erlaubt: %(allowed)s.")
            % {"value": value[:50], "allowed": ", ".join(LANGUAGES)}
        )
    return value


def take_language(request) -> str:
    """Read ``locale`` from ``request`` (``LocaleError`` for an unknown value), remove it from
    ``request.GET`` and note the language on the request (``request_language``).

    An English ``html_path`` (``/en/altmark/``, for ``find``) is handed on as its German path
    and asks for English unless ``locale`` says otherwise."""
    given = request.GET.getlist(PARAMETER)
    language = parse_language(given)
    path_language, german_path = split_path(request.GET.get("html_path") or "")
    if PARAMETER in request.GET or path_language != DEFAULT:
        params = request.GET.copy()
        params.pop(PARAMETER, None)
        if path_language != DEFAULT:
            if not any(value.strip() for value in given):
                language = path_language
            params["html_path"] = german_path
        params._mutable = False
        request.GET = params
    setattr(request, REQUEST_ATTRIBUTE, language)
    return language


def request_language(request) -> str:
    """The language of an API request's answer (``take_language``; German without one)."""
    return getattr(request, REQUEST_ATTRIBUTE, DEFAULT)


# --- Pages shown in a language ----------------------------------------------------------------


def translated_field_names(model) -> tuple[str, ...]:
    """The model's own columns that a translation translates (wagtail-localize's
    ``TranslatableField``s that are plain fields: title, teaser, story …). Synchronised fields
    (slug, coordinates, images …) and related rows stay the German page's."""
    names = []
    for field in get_translatable_fields(model):
        if not isinstance(field, TranslatableField):
            continue
        try:
            model_field = model._meta.get_field(field.field_name)
        except LookupError:
            continue
        if getattr(model_field, "concrete", False) and not model_field.is_relation:
            names.append(model_field.attname)
    return tuple(names)


@functools.cache
def _own_translated_fields(model, specific) -> tuple[str, ...]:
    """``translated_field_names`` of ``specific`` (a page's type), limited to the columns
    of ``model`` (a plain ``Page`` from an untyped listing has only ``Page``'s)."""
    own = {field.attname for field in model._meta.concrete_fields}
    return tuple(name for name in translated_field_names(specific) if name in own)


def show_translation(page, translation, language: str):
    """``page`` (a German page, changed in place) with ``translation``'s texts and locale:
    its id, address, tree position, synchronised fields and related rows stay the German
    page's. Returns ``page``."""
    model = type(page)
    specific = getattr(page, "specific_class", None) or model
    for name in _own_translated_fields(model, specific if issubclass(specific, model) else model):
        if name in translation.__dict__:
            setattr(page, name, getattr(translation, name))
    # The locale row without a query of its own (``translation.locale`` would make one).
    page.locale = Locale(pk=translation.locale_id, language_code=language)
    page.shown_translation = translation
    return page


def with_translated_texts(rows: list[dict], fields, language: str) -> list[dict]:
    """``rows`` (German places' values, with ``translation_key``), each translated one with
    its live translation's texts among ``fields`` (``translated_field_names``), in one query;
    unchanged in German."""
    if language == DEFAULT or not rows:
        return rows
    texts = [name for name in translated_field_names(PlacePage) if name in fields]
    translations = PlacePage.objects.filter(
        live_translation_q(language),
        translation_key__in=[row["translation_key"] for row in rows],
    ).values("translation_key", *texts)
    by_key = {translation.pop("translation_key"): translation for translation in translations}
    for row in rows:
        row.update(by_key.get(row["translation_key"], {}))
    return rows


def in_language(pages, language: str) -> list:
    """``pages`` (German pages of this request) shown in ``language``: each translated one
    with its live translation's texts (``show_translation``), in one query for all of them
    (``core.languages.live_translations``), and each at its address in ``language``; none
    for German."""
    pages = list(pages)
    if language == DEFAULT or not pages:
        return pages
    translations = live_translations(pages, language)
    for page in pages:
        translation = translations.get(page.pk)
        if translation is not None:
            show_translation(page, translation, language)
        at_address_in(page, language)
    return pages


def with_parent_in_language(page, language: str):
    """A page read on its own (v2, v3) in ``language``: the page and its parent (shown in
    ``meta.parent``), each as ``in_language`` shows it. Returns ``page``."""
    if language != DEFAULT:
        in_language([page], language)
        parent = page.get_parent()
        if parent is not None:
            in_language([parent], language)
    return page


def at_address_in(page, language: str):
    """``page``'s URLs (``url``, ``full_url``) at its address in ``language``, as a
    ``BilingualPage`` has them while that language is active; for a page read as a plain
    ``Page`` (an untyped listing, a parent), which has not got that behaviour."""
    if isinstance(page, BilingualPage) or language == DEFAULT:
        return page
    german_url_parts = page.get_url_parts

    def get_url_parts(request=None):
        parts = german_url_parts(request)
        if parts is None:
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, page_address_in(page_path, language)

    page.get_url_parts = get_url_parts
    return page


def localized_urls(url: str | None, full_url: str | None, language: str):
    """``(url, full_url)`` of a German page (``api.data.PublicUrls``) at its address in
    ``language``: ``/altmark/x/`` → ``/en/altmark/x/``, the full URL likewise."""
    if language == DEFAULT or url is None:
        return url, full_url
    localized = localize_path(url, language)
    if full_url is not None and full_url.endswith(url):
        full_url = full_url[: len(full_url) - len(url)] + localized
    return localized, full_url


# --- Names of fields, offers and actor types ------------------------------------------------

#: Where a stored item or feature lists reference data that has names in other languages
#: (tags are free German keywords in every language): ``"categories":[{"slug":…,"name":…},…]``,
#: the same for ``"offers"``, and ``"actor_type":{"slug":…,"name":…}`` – exactly as the
#: serializers and orjson write them (``places.api_fields.taxonomy_item``,
#: ``api.exports.feature``). Slugs are ASCII without quotes.
_ITEM = r'\{"slug":"[^"\\]*","name":"(?:[^"\\]|\\.)*"\}'
_TAXONOMY = re.compile(
    rf'"(categories|offers)":\[((?:{_ITEM},)*{_ITEM})\]|"(actor_type)":({_ITEM})'
)
_ONE_ITEM = re.compile(r'\{"slug":"([^"\\]*)","name":"(?:[^"\\]|\\.)*"\}')


def translations_and_names(german_pages, language: str) -> tuple[dict, dict]:
    """``({German translation key: live translation's pk}, names)`` in one query: the live
    translations of ``german_pages`` (a queryset: a subquery, not a list of ids, for the
    exports' thousands of places; or translation keys), the same pages as
    ``core.languages.live_translations`` finds, and ``names``
    (``{kind: {slug: name}}``) of the fields, offers and actor types that have a name in
    ``language``, for ``taxonomy_names_in``. Empty for German."""
    if language == DEFAULT:
        return {}, {}
    if isinstance(german_pages, QuerySet):
        model, keys = german_pages.model, german_pages.order_by().values("translation_key")
    else:
        model, keys = PlacePage, list(german_pages)
        if not keys:
            return {}, {}
    text = CharField()
    parts = [
        model.objects.filter(live_translation_q(language), translation_key__in=keys)
        .order_by()
        .values_list(Value(""), Cast("translation_key", text), Cast("pk", text)),
        *(
            taxonomy.objects.exclude(name_en="")
            .order_by()
            .values_list(Value(kind), "slug", "name_en")
            for kind, taxonomy in (
                ("categories", Category),
                ("offers", Offer),
                ("actor_type", ActorType),
            )
        ),
    ]
    translations, names = {}, {}
    for kind, key, value in parts[0].union(*parts[1:], all=True):
        if kind:
            names.setdefault(kind, {})[key] = value
        else:
            translations[uuid.UUID(key)] = int(value)
    return translations, names


#: Writes a name as the API's renderers write a string.
_JSON = CompactJSONRenderer()


def taxonomy_names_in(piece: str, names: dict) -> str:
    """A German place's stored ``piece`` (a GeoJSON feature or an API v2 item) with the
    names of its fields, offers and actor type from ``names`` (``translations_and_names``),
    where they have one: an untranslated place's piece in another language."""
    if not names:
        return piece

    def items(kind: str, text: str) -> str:
        shown = names.get(kind)
        if not shown:
            return text

        def item(match):
            slug = match.group(1)
            if slug not in shown:
                return match.group(0)
            return f'{{"slug":"{slug}","name":{_JSON.render(shown[slug]).decode()}}}'

        return _ONE_ITEM.sub(item, text)

    def replace(match):
        if match.group(1):
            return f'"{match.group(1)}":[{items(match.group(1), match.group(2))}]'
        return f'"{match.group(3)}":{items(match.group(3), match.group(4))}'

    return _TAXONOMY.sub(replace, piece)
