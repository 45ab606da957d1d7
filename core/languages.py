"""The site's languages: German at ``/``, English (and any further language) under ``/en/``.

The German page tree is the site. Every public page has an English address, ``/en`` and
its German path, rendered with the English interface (``{% translate %}``) and, where a
translator has published one (wagtail-localize), the page's English translation; otherwise
the German page with a note that it is not translated yet (``website/wagtail_hooks.py``).

So the English tree that wagtail-localize keeps (a translation needs its parents translated
or copied) never decides what exists: routing always walks the German tree
(``home.HomePage.localized``), listings, the map, the search, the sitemap and the API start
from the German pages (``core.visibility.visible_q``) and show a page's English translation
where one is live (``live_translations``). A translation keeps its German page's slug
(``BilingualPage.override_translatable_fields``), so its address is always ``/en`` + the
German address. docs/languages.md says why this, and not an alias tree per language.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from wagtail.models import Locale, Page
from wagtail_localize.fields import SynchronizedField

DEFAULT = settings.LANGUAGE_CODE
#: The languages with an address prefix (``/en/``), in the order of ``LANGUAGES``.
OTHERS = tuple(code for code, _name in settings.LANGUAGES if code != DEFAULT)


def in_language_q(language: str = DEFAULT) -> Q:
    """Pages (or rows with a ``locale``) in ``language``: a subquery, no query of its own."""
    return Q(locale__in=Locale.objects.filter(language_code=language).values("pk"))


def active() -> str:
    """The language of the current request (``DEFAULT`` outside one)."""
    language = translation.get_language() or DEFAULT
    return language if language in OTHERS else DEFAULT


def prefix(language: str | None = None) -> str:
    """``""`` for German, ``"/en"`` for English: what comes before a German path."""
    language = active() if language is None else language
    return "" if language == DEFAULT else f"/{language}"


def localize_path(path: str, language: str | None = None) -> str:
    """The German ``path`` (``/altmark/``) at its address in ``language`` (``/en/altmark/``)."""
    return f"{prefix(language)}{path}"


def split_path(path: str) -> tuple[str, str]:
    """``(language, German path)`` of a public path: ``/en/altmark/`` → ``("en",
    "/altmark/")``; ``/en`` alone is the English home page."""
    for language in OTHERS:
        start = f"/{language}/"
        if path.startswith(start):
            return language, path[len(start) - 1 :]
        if path == f"/{language}":
            return language, "/"
    return DEFAULT, path


def all_addresses(paths) -> set[str]:
    """Every language's address of the German ``paths``: what a change must reach."""
    paths = {path for path in paths if path}
    return paths | {localize_path(path, language) for language in OTHERS for path in paths}


def live_translation_q(language: str) -> Q:
    """Pages that are a live translation in ``language`` (an alias or a draft is none)."""
    return in_language_q(language) & Q(live=True, alias_of__isnull=True)


def live_translations(pages, language: str | None = None) -> dict:
    """``{German page pk: its live English page}`` for ``pages`` (one query; pages of one
    model as that model, else as ``Page``). Empty for German and for no pages."""
    language = active() if language is None else language
    pages = list(pages)
    if language == DEFAULT or not pages:
        return {}
    models = {type(page) for page in pages}
    model = models.pop() if len(models) == 1 else Page
    translated = model.objects.filter(
        live_translation_q(language),
        translation_key__in=[page.translation_key for page in pages],
    )
    by_key = {page.translation_key: page for page in translated}
    return {
        page.pk: by_key[page.translation_key] for page in pages if page.translation_key in by_key
    }


def live_translation_keys(language: str) -> set:
    """The ``translation_key`` of every page with a live translation in ``language`` (one
    query): for many pages at once (a static build's render process)."""
    return set(
        Page.objects.filter(live_translation_q(language)).values_list("translation_key", flat=True)
    )


def live_translation(page, language: str | None = None):
    """``page``'s live English page (its specific type), or ``None``."""
    return live_translations([page], language).get(page.pk)


def page_address_in(page_path: str | None, language: str) -> str | None:
    """A page's path as Wagtail gives it (a German page's, or a translation's ``/en/…``) at
    its address in ``language``."""
    if page_path is None or language == DEFAULT or split_path(page_path)[0] != DEFAULT:
        return page_path
    return localize_path(page_path, language)


class BilingualPage:
    """For page models (before ``Page`` in the bases): a German page's address follows the
    active language (``/en/altmark/`` while an English page renders), and a translation
    keeps the German slug."""

    override_translatable_fields = [SynchronizedField("slug")]

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if parts is None:
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, page_address_in(page_path, active())
