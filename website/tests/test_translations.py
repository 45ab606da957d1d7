"""The public site's strings in gettext catalogues: German msgids, English translations.

The site itself is German at ``/`` (LocaleMiddleware knows only German), so the English is
checked by calling the views inside ``translation.override("en")``, as the /en/ site will.
"""

import ast
import gettext
import re
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation.template import templatize

from wagtail.views import serve

import pytest

from applications import security
from applications.views import application_form
from core.factories import CustomImageFactory
from places.factories import PlacePageFactory
from places.models import Category
from places.opening_hours import humanize
from website.views import embed_map, place_index, search

LOCALE = Path(settings.BASE_DIR) / "locale"
TEMPLATES = Path(settings.BASE_DIR) / "frontend_templates"

# ``gettext(u'…')``/``ngettext(u'…', u'…', count)`` from {% translate %}/{% blocktranslate %},
# ``_("…")`` from a translated literal in a tag's arguments (what makemessages reads).
_LITERAL = r"""(u?'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALL = re.compile(rf"\b(?:ngettext|gettext|_)\(\s*{_LITERAL}(?:\s*,\s*{_LITERAL})?")


def template_msgids() -> set[str | tuple[str, str]]:
    """Every msgid of the public templates: a string, or (singular, plural)."""
    msgids = set()
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in _CALL.finditer(templatize(path.read_text(encoding="utf-8"), origin=path)):
            singular = ast.literal_eval(match.group(1))
            plural = match.group(2) and ast.literal_eval(match.group(2))
            msgids.add((singular, plural) if plural else singular)
    return msgids


def po_entries(path: Path) -> dict:
    """msgid (or (msgid, msgid_plural)) → msgstr (or [msgstr[0], msgstr[1]]) and the flags,
    of every entry of a .po file that is not obsolete."""
    entries, entry, key = {}, None, None

    def close():
        if entry and "msgid" in entry and entry["msgid"]:
            if "msgid_plural" in entry:
                plurals = sorted(k for k in entry if k.startswith("msgstr["))
                value = [entry[k] for k in plurals]
                entries[(entry["msgid"], entry["msgid_plural"])] = (value, entry["flags"])
            else:
                entries[entry["msgid"]] = (entry["msgstr"], entry["flags"])

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                close()
                entry, key = None, None
            continue
        entry = entry or {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?)\s+(".*")$', line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
    return entries


# --- (a) the pages in English -------------------------------------------------------------

#: UI words the German templates show; none may be left in the English pages. The site
#: header (includes/site_header.html) is not translated yet and is left out of the check.
GERMAN_UI = (
    "Ort vorschlagen",
    "Orte filtern",
    "Filter anwenden",
    "Themenfeld",
    "Suchbegriff",
    "alle Regionen",
    "Karte laden",
    "Karte überspringen",
    "Zustimmung",
    "Neu im Portal",
    "Impressum",
    "Barrierefreiheit",
    "Rechtliches",
    "im Aufbau",
    "Pflichtfeld",
    "Vorschlag absenden",
    "Datenschutzhinweis",
    "Höchstens",
    "Bitte ",
    "Seite nicht gefunden",
    " Orte",
    " Ort ",
)


def without_header(html: str) -> str:
    html = re.sub(r'<a class="skip-link".*?</a>', "", html, flags=re.S)
    return re.sub(r'<header class="site-header">.*?</header>', "", html, flags=re.S)


def assert_english(html: str, *english: str) -> None:
    for text in english:
        assert text in html, text
    checked = without_header(html)
    for word in GERMAN_UI:
        assert word not in checked, word
    assert '<html lang="en">' in html


def english(view, url: str, *, data=None, method="get", **view_kwargs) -> str:
    factory = RequestFactory(HTTP_HOST="localhost")
    request = getattr(factory, method)(url, data or {})
    request.user = AnonymousUser()
    with translation.override("en"):
        response = view(request, **view_kwargs)
        if hasattr(response, "render"):
            response.render()
        return response.content.decode()


@pytest.fixture
def places(region):
    categories = {category.slug: category for category in Category.objects.all()}
    return [
        PlacePageFactory(
            parent=region,
            title="Gutshof Wiesengrund",
            slug="gutshof-wiesengrund",
            categories=[categories["wohnen-bauen"]],
            hero_image=CustomImageFactory(),
        ),
        PlacePageFactory(
            parent=region,
            title="Alte Molkerei",
            slug="alte-molkerei",
            status="im-aufbau",
            categories=[categories["arbeiten-wirtschaft"]],
            hero_image=CustomImageFactory(),
        ),
    ]


@pytest.mark.django_db
def test_the_home_page_in_english(places):
    html = english(serve, "/", path="")
    assert_english(
        html,
        "Saxony-Anhalt · Living, working, life",
        "Discover all 2 places",
        ">Propose a place</a>",
        ">Regions</h2>",
        "2 places</p>",  # the region card's count (plural form)
        ">New in the portal</h2>",
        'title="Image: ',  # the card image's credit
        "All places on the map",
        "Skip the map",
        "Load the map",
        ">Take part</h2>",
        "in development",  # the badge on a card
        "Legal notice",
        "Accessibility",
        'aria-label="Legal and contact"',
    )


@pytest.mark.django_db
def test_all_places_in_english(places):
    html = english(place_index, "/orte/")
    assert_english(
        html,
        "<title>All places – Kreativorte im Grünen</title>",
        ">Filter places</span>",
        ">Search term</label>",
        ">all regions</option>",
        "<legend>Field</legend>",
        ">Tag</label>",
        ">all municipalities</option>",
        ">Apply filters</button>",
        "2 places",
        "Show on the map",
        "Embed the map",
        'title="Map: Kreativorte im Grünen"',
        "Copy code",
    )
    filtered = english(place_index, "/orte/", data={"status": "im-aufbau"})
    assert_english(filtered, "1 place<", "Filtered by: in development", "Reset all filters")
    wrong = english(place_index, "/orte/", data={"category": "gibt-es-nicht"})
    assert_english(wrong, "These filters do not work:", "No places shown", "reset the filters")
    assert "Unknown Field: gibt-es-nicht. Allowed:" in wrong  # places/queries.py


@pytest.mark.django_db
def test_the_embedded_map_in_english(places):
    html = english(embed_map, "/einbetten/karte/")
    assert_english(html, "<title>Map – Kreativorte im Grünen</title>", "(opens a new window)")


@pytest.mark.django_db
def test_search_in_english(places):
    assert_english(english(search, "/suche/"), "Search for places, municipalities", "all places")
    found = english(search, "/suche/", data={"q": "Molkerei"})
    assert_english(found, "<title>Search: Molkerei", "1 place for “Molkerei”", "in development")
    assert_english(
        english(search, "/suche/", data={"q": "Wiesengrund Molkerei"}),
        "We found no place for this.",
        "Fewer words find more",
    )


@pytest.mark.django_db
def test_the_application_form_in_english(places):
    html = english(application_form, "/mitmachen/")
    assert_english(
        html,
        "<h1>Propose a place</h1>",
        "Fields marked “(required)” must be filled in.",
        "Name of the place or project",
        '<span class="app-required">(required)</span>',
        "At most 120 characters.",
        "Please choose",
        "<legend>Photo 1</legend>",
        "Add another photo (photo 2)",
        "JPG, PNG or WebP, at most",
        "I have read the privacy notice",
        "<legend>Privacy</legend>",
        ">Send proposal</button>",
    )
    token = security.make_form_token(time.time() - 10)
    sent = english(
        application_form,
        "/mitmachen/",
        method="post",
        data={"token": token, "place_name": "Hof", "email": "kein-at", "introduction": "kurz"},
    )
    assert_english(
        sent,
        "<title>Error: Propose a place",
        "Please check your details",
        "Please fill in this field.",
        "Please enter a valid email address",
        "Please write at least 30 characters.",
        "Please choose the region your place is in.",
    )


def test_opening_hours_in_english_and_german():
    hours = "Mo-Fr 09:00-17:00; Sa 10:00-14:00+; PH off"
    with translation.override("en"):
        assert humanize(hours) == (
            "Monday to Friday 9:00–17:00; Saturday 10:00–14:00 (open end); public holidays closed"
        )
        assert humanize("24/7") == "Open 24/7"
    with translation.override("de"):
        assert humanize(hours) == (
            "Montag bis Freitag 9:00–17:00 Uhr; Samstag 10:00–14:00 Uhr (Ende offen); "
            "an Feiertagen geschlossen"
        )


def test_the_error_pages_in_english_without_a_database():
    with translation.override("en"):
        unavailable = render_to_string("503.html", {"method": "POST"})
        failed = render_to_string("500.html")
    assert_english(unavailable, "Temporarily unavailable", "has <strong>not arrived</strong>")
    assert_english(failed, "Sorry, something went wrong", "Go to the home page")


# --- (b) every public template string has its English -------------------------------------


def test_every_public_template_msgid_has_an_english_translation():
    msgids = template_msgids()
    assert len(msgids) > 100
    assert ("%(counter)s Ort", "%(counter)s Orte") in msgids
    assert "Alle Orte auf der Karte" in msgids  # _("…") in an include's arguments
    english_entries = po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    missing = [
        msgid
        for msgid in msgids
        if msgid not in english_entries
        or "fuzzy" in english_entries[msgid][1]
        or not all(
            english_entries[msgid][0] if isinstance(msgid, tuple) else [english_entries[msgid][0]]
        )
    ]
    assert not missing, missing


def test_the_german_catalogue_lists_every_public_template_msgid_unchanged():
    """German is the msgid; the de catalogue repeats it (scripts/messages.py), so that no other
    catalogue's German for a msgid spelt the same can change the German site."""
    german = po_entries(LOCALE / "de" / "LC_MESSAGES" / "django.po")
    msgids = template_msgids()
    assert len(msgids) > 100
    for msgid in msgids:
        assert msgid in german, msgid
        expected = list(msgid) if isinstance(msgid, tuple) else msgid
        assert german[msgid][0] == expected, msgid


# --- (c) the committed .mo files say what their .po files say -----------------------------


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = po_entries(folder / "django.po")
    with open(folder / "django.mo", "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    assert compiled.info()["language"] == language
    assert any(isinstance(msgid, tuple) for msgid in source)  # plural forms are checked too
    for msgid, (msgstr, flags) in source.items():
        assert "fuzzy" not in flags, msgid
        if isinstance(msgid, tuple):
            singular, plural = msgid
            expected = msgstr if all(msgstr) else [singular, plural]
            assert compiled.ngettext(singular, plural, 1) == expected[0], msgid
            assert compiled.ngettext(singular, plural, 2) == expected[1], msgid
        else:
            assert compiled.gettext(msgid) == (msgstr or msgid), msgid
