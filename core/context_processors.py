from django.conf import settings

from core import languages


def site_context(request):
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "MAP_TILE_PROVIDER_NAME": getattr(settings, "MAP_TILE_PROVIDER_NAME", "OpenStreetMap"),
    }


def language_context(request):
    """The active language, the prefix of its addresses (``{{ language_prefix }}/orte/``), this
    page's address in every language (switcher, ``hreflang``), and whether the page shown is
    the German page on an English address (``untranslated``: the template's note)."""
    language, german_path = languages.split_path(request.path)
    return {
        "language": language,
        "language_prefix": languages.prefix(language),
        "language_addresses": [
            (code, name, languages.localize_path(german_path, code))
            for code, name in settings.LANGUAGES
        ],
        "untranslated": getattr(request, "untranslated_page", None),
    }
