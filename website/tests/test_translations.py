"""The public site's strings in gettext catalogues: German msgids, English translations.

The site is German at ``/`` and English at ``/en`` + the German path (``core.languages``).
Some views are called inside ``translation.override("en")``; the place, region and event
pages and /veranstaltungen/ are fetched at their /en/ addresses, and at their German ones to
check that the German site stays German.
"""

import ast
import datetime
import gettext
import re
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation.template import templatize

from taggit.models import Tag
from wagtail.views import serve

import pytest

from applications import security
from applications.views import application_form
from core.factories import CustomImageFactory
from events.models import EventPage, Recurrence
from events.occurrences import TIME_ZONE, upcoming
from places.factories import PlacePageFactory
from places.models import (
    ActorType,
    Category,
    Offer,
    PlaceGalleryImage,
    PlaceLink,
    PlacePageTag,
)
from places.opening_hours import humanize
from website.events import day_span, price, repeats, when
from website.tests.event_pages import days, make_event
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
    """``view``'s answer at the English address of the German ``url`` (``/en`` + ``url``)."""
    factory = RequestFactory(HTTP_HOST="localhost")
    request = getattr(factory, method)("/en" + url, data or {})
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


# --- (a2) the place, region and event pages at their /en/ addresses ---------------------

#: The German words of the place, region and event pages' own templates (and of the dates and
#: prices they show); none may be left in those pages' English <main>. The test content is
#: German (an untranslated page shows its German texts), chosen without these words.
PAGE_GERMAN_UI = (
    "Brotkrumen",
    ">Start<",
    "im Aufbau",
    "Sucht Mitstreiter",
    "Dieser Ort sucht",
    "Kontakt",
    "Auf einen Blick",
    "Themenfelder",
    "Adresse",
    "Anreise",
    "Öffnungszeiten",
    "Angebote",
    "Frühere Nutzung",
    "Gegründet",
    "Trägerform",
    "Entfernung",
    "Telefon",
    "E-Mail:",
    " von ",
    "Fragen zu diesem Ort",
    "Nächste Termine",
    "Termin",
    "abonnieren",
    "Bilder",
    "Bild ",
    "Schließen",
    "Lage",
    "externe Website",
    "Angaben zuletzt",
    "in der Nähe",
    "Veranstaltung",
    "in der Region",
    "Sie kennen einen Ort",
    "Fällt aus",
    "fällt aus",
    "stattgefunden",
    "Wann",
    "Eintritt",
    "Anmeldung",
    "Mehr über",
    "Uhr",
    "ganztägig",
    "jeden",
    "zweiten",
    "Filter anwenden",
    "Gefiltert nach",
    "Seite ",
    "Zeitraum",
    "einschließlich",
    "passen nicht",
    "Zurzeit",
)
#: A German date („Sa, 5. Dezember 2026“, „5.–7. Dezember“) and price („12,50 €“).
GERMAN_DATE = re.compile(r"\b(Mo|Di|Mi|Do|Fr|Sa|So), \d|\d\.[ –]|\d,\d\d\xa0€")
ENGLISH_DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]+ \d{4}, 18:00")


def main_part(html: str) -> str:
    return re.search(r"<main\b.*?</main>", html, re.S).group(0)


def assert_english_page(response, *english: str) -> str:
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert '<html lang="en">' in html
    main = main_part(html)
    for text in english:
        assert text in main, text
    for word in PAGE_GERMAN_UI:
        assert word not in main, word
    assert not GERMAN_DATE.search(main), GERMAN_DATE.search(main).group(0)
    # Every link to a page of the site stays on the English site, but for the links to a
    # German page (hreflang="de": the untranslated page's note).
    german_links = re.findall(r'<a\b[^>]*\bhreflang="de"[^>]*>', main)
    main_without = main
    for link in german_links:
        main_without = main_without.replace(link, "")
    for address in re.findall(r'(?:href|action)="(/[^"]*)"', main_without):
        assert address.startswith(("/en/", "/api/", "/media/")), address
    return main


@pytest.fixture
def event_site(region):
    """A region with a contact, a place with every fact, a bare place, and events."""
    region.contact_email = "altmark@example.org"
    region.save_revision().publish()
    categories = list(Category.objects.order_by("sort_order"))
    place = PlacePageFactory(
        parent=region,
        title="Gutshof Wiesengrund",
        slug="gutshof-wiesengrund",
        categories=categories[:2],
        hero_image=CustomImageFactory(),
        seeking_members=True,
        email="hof@example.org",
        phone="0123 456",
        website="https://example.org",
        opening_hours="Mo-Fr 09:00-17:00",
        former_use="Gutshaus",
        founded=2015,
        actor_type=ActorType.objects.first(),
        getting_there="Bus 100",
        last_checked=datetime.date(2026, 3, 5),
    )
    place.offers.set(Offer.objects.all()[:1])
    tag = Tag.objects.create(name="Scheune", slug="scheune")
    PlacePageTag.objects.create(content_object=place, tag=tag)
    PlaceLink.objects.create(page=place, platform="other", url="https://other.example.org")
    for caption in ("Hof", "Scheune"):
        PlaceGalleryImage.objects.create(page=place, image=CustomImageFactory(), caption=caption)
    place.save_revision().publish()
    bare = PlacePageFactory(
        parent=region,
        title="Alte Molkerei",
        slug="alte-molkerei",
        status="im-aufbau",
        categories=categories[2:],
    )
    make_event(place, "Hoffest", price=Decimal("12.50"), registration_url="https://example.org/a")
    make_event(
        place,
        "Offene Werkstatt",
        slug="werkstatt",
        recurrence=Recurrence.WEEKLY,
        recurrence_interval=2,
        start_date=days(2),
        is_free=True,
    )
    make_event(bare, "Abgesagt", slug="abgesagt", cancelled=True)
    make_event(bare, "Vorbei", slug="vorbei", start_date=days(-5))
    make_event(
        bare,
        "Werkstatttage",
        slug="tage",
        start_date=days(10),
        end_date=days(12),
        start_time=None,
        end_time=None,
    )
    make_event(bare, "Coworking-Tag", slug="coworking", recurrence=Recurrence.WEEKLY)
    return {"region": region, "place": place, "bare": bare}


@pytest.mark.django_db
def test_the_place_page_at_its_english_address(client, event_site):
    place, bare = event_site["place"], event_site["bare"]
    main = assert_english_page(
        client.get("/en" + place.url),
        'aria-label="Breadcrumb"',
        '<a href="/en/">Home</a> › <a href="/en/altmark/">Altmark</a>',
        'href="/en/altmark/?category=wohnen-bauen"',
        ">Looking for people to join</h2>",
        "This place is looking for people who want to get involved.",
        "Get in touch now",
        'href="/en/orte/?tag=scheune">#Scheune</a>',
        ">At a glance</h2>",
        "<dt>Fields</dt>",
        "<dt>Address</dt>",
        "<dt>Getting there</dt>",
        "<dt>Opening hours</dt><dd>Monday to Friday 9:00–17:00</dd>",
        "<dt>Offers</dt>",
        "<dt>Looking for people to join</dt><dd>Yes</dd>",
        "<dt>Former use</dt>",
        "<dt>Founded</dt>",
        "<dt>Type of organisation</dt>",
        "<dt>Distance (as the crow flies)</dt>",
        ">Contact</h2>",
        "Email: <a",
        "Phone: <a",
        'Website<span class="visually-hidden"> of Gutshof Wiesengrund</span>',
        'Other link<span class="visually-hidden"> of Gutshof Wiesengrund</span>',
        ">Upcoming dates</h2>",
        "€12.50",
        "Free admission",
        "Subscribe to the dates as a calendar",
        ">Images</h2>",
        'data-close="Close" data-previous="← Previous image" data-next="Next image →" '
        'data-image="Image" data-image-of="Image {number} of {total}"',
        ">Location</h2>",
        'Open the location in OpenStreetMap<span class="visually-hidden"> (external website)',
        "Details last checked on 5 March 2026.",
        ">Places nearby</h2>",
    )
    assert ENGLISH_DATE.search(main)
    bare_main = assert_english_page(
        client.get("/en" + bare.url),
        '<p class="badge">in development</p>',
        'Questions about this place? Write to the region: <a href="mailto:altmark@example.org">',
        "Cancelled</span>",  # the cancelled event's row
        "–",
    )
    assert re.search(r">\d{1,2}–\d{1,2} [A-Z][a-z]+ \d{4}<|>\d{1,2} [A-Z][a-z]+ – ", bare_main)


@pytest.mark.django_db
def test_the_region_page_at_its_english_address(client, event_site):
    main = assert_english_page(
        client.get("/en/altmark/"),
        '<a href="/en/">Home</a> › <span aria-current="page">Altmark</span>',
        "2 places in the region</h2>",
        ">The places on the map</h2>",
        ">Events in the region</h2>",
        '<a href="/en/veranstaltungen/?region=altmark">All events'
        '<span class="visually-hidden"> in the Altmark region</span></a>',
        ">Contact the region</h2>",
        'Do you know a place that belongs here? <a href="/en/mitmachen/">Propose a place</a>',
        "Cancelled</span>",
    )
    assert ENGLISH_DATE.search(main)


@pytest.mark.django_db
def test_the_event_pages_at_their_english_addresses(client, event_site):
    place, bare = event_site["place"], event_site["bare"]
    main = assert_english_page(
        client.get(f"/en{place.url}hoffest/"),
        '<a href="/en/">Home</a> › <a href="/en/altmark/">Altmark</a> › '
        '<a href="/en/altmark/gutshof-wiesengrund/">Gutshof Wiesengrund</a>',
        '<p class="eyebrow">Event</p>',
        ">At a glance</h2>",
        "<dt>When</dt>",
        "<dt>Where</dt>",
        "<dt>Admission</dt><dd>€12.50",
        'Register<span class="visually-hidden"> for Hoffest (external website)</span>',
        "Subscribe to the dates of Gutshof Wiesengrund as a calendar",
        '>More about Gutshof Wiesengrund</a> · <a href="/en/veranstaltungen/">All events</a>',
    )
    assert ENGLISH_DATE.search(main)
    series = assert_english_page(
        client.get(f"/en{place.url}werkstatt/"),
        ">Upcoming dates</h2>",
        "<dt>Admission</dt><dd>free",
    )
    assert re.search(r">Every second [A-Z][a-z]+day, 18:00–21:00<", series)
    assert_english_page(
        client.get(f"/en{bare.url}abgesagt/"),
        '<p class="badge badge--cancelled">Cancelled</p>',
        '<p class="callout">This event is cancelled.</p>',
    )
    assert_english_page(client.get(f"/en{bare.url}vorbei/"), "This event has already taken place.")
    days_main = assert_english_page(client.get(f"/en{bare.url}tage/"), "<dt>When</dt>")
    assert re.search(
        r"<dd>\d{1,2}(–\d{1,2})? [A-Z][a-z]+( – \d{1,2} [A-Z][a-z]+)? \d{4}", days_main
    )


@pytest.mark.django_db
def test_all_events_at_the_english_address(client, event_site):
    main = assert_english_page(
        client.get("/en/veranstaltungen/"),
        "What is on at the creative places",
        ">Filter events</span>",
        'action="/en/veranstaltungen/#ergebnisse"',
        ">all regions</option>",
        "<legend>Field of the place</legend>",
        '<label for="f-von">from</label>',
        '<label for="f-bis">to</label>',
        "Both days included, e.g. 24.12.2026.",
        ">Apply filters</button>",
        "Subscribe as a calendar",
        "Cancelled</span>",
        "€12.50",
    )
    count = int(re.search(r">(\d+) dates</h2>", main).group(1))
    assert count > 30
    assert "Page 1 of " in main
    filtered = assert_english_page(
        client.get(
            "/en/veranstaltungen/", {"region": "altmark", "von": "2026-01-01", "bis": "2099-01-01"}
        ),
        '<span class="filter-count">3 active</span>',
        "Filtered by: Altmark, from 1 January 2026, until 1 January 2099",
        "Dates are set at most a year ahead; they are shown up to ",
        '<a href="/en/veranstaltungen/">Reset all filters</a>',
    )
    assert ENGLISH_DATE.search(filtered)
    wrong = assert_english_page(
        client.get("/en/veranstaltungen/", {"von": "2026-02-01", "bis": "2026-01-01"}),
        "These filters do not work:",
        "The end date (1 January 2026) is before the start date (1 February 2026).",
        'or <a href="/en/veranstaltungen/">reset the filters</a>.',
        ">No dates shown</h2>",
    )
    assert "Unknown" not in wrong
    assert_english_page(
        client.get("/en/veranstaltungen/", {"von": "2099-01-01"}),
        'No dates match these filters. <a href="/en/veranstaltungen/">Show all events</a>',
    )
    EventPage.objects.all().delete()
    for cache in caches.all():  # the page cache's copy of the list above
        cache.clear()
    assert_english_page(
        client.get("/en/veranstaltungen/"),
        ">0 dates</h2>",
        'No events are scheduled at the moment. Come back soon – or <a href="/en/orte/">'
        "discover the places</a>.",
    )


@pytest.mark.django_db
def test_the_same_pages_stay_german_at_their_german_addresses(client, event_site):
    place, bare = event_site["place"], event_site["bare"]
    pages = {
        place.url: (
            '<nav aria-label="Brotkrumen" class="breadcrumb"><a href="/">Start</a> › '
            '<a href="/altmark/">Altmark</a>',
            'href="/orte/?tag=scheune">#Scheune</a>',
            ">Auf einen Blick</h2>",
            "<dt>Öffnungszeiten</dt><dd>Montag bis Freitag 9:00–17:00 Uhr</dd>",
            "<dt>Sucht Mitstreiter*innen</dt><dd>Ja</dd>",
            "Dieser Ort sucht Menschen, die mitmachen wollen.",
            'Website<span class="visually-hidden"> von Gutshof Wiesengrund</span>',
            ">Nächste Termine</h2>",
            "12,50\xa0€",
            "Eintritt frei",
            'data-close="Schließen" data-previous="← Vorheriges Bild" data-next="Nächstes Bild →" '
            'data-image="Bild" data-image-of="Bild {number} von {total}"',
            ">Lage</h2>",
            'Lage bei OpenStreetMap öffnen<span class="visually-hidden"> (externe Website)',
            "Angaben zuletzt geprüft am 05.03.2026.",
            ">Orte in der Nähe</h2>",
        ),
        bare.url: (
            '<p class="badge">im Aufbau</p>',
            "Fragen zu diesem Ort? Schreiben Sie der Region:",
            '<span class="badge badge--cancelled">Fällt aus</span>',
        ),
        "/altmark/": (
            "2 Orte in der Region</h2>",
            ">Die Orte auf der Karte</h2>",
            '<a href="/veranstaltungen/?region=altmark">Alle Veranstaltungen'
            '<span class="visually-hidden"> in der Region Altmark</span></a>',
            'Sie kennen einen Ort, der hierher gehört? <a href="/mitmachen/">Ort vorschlagen</a>',
        ),
        f"{place.url}hoffest/": (
            '<a href="/">Start</a> › <a href="/altmark/">Altmark</a>',
            '<p class="eyebrow">Veranstaltung</p>',
            "<dt>Eintritt</dt><dd>12,50\xa0€",
            'Zur Anmeldung<span class="visually-hidden"> für Hoffest (externe Website)</span>',
            "Termine von Gutshof Wiesengrund als Kalender abonnieren",
            '>Mehr über Gutshof Wiesengrund</a> · <a href="/veranstaltungen/">Alle Veranstaltungen',
        ),
        f"{place.url}werkstatt/": ("<dt>Eintritt</dt><dd>frei",),
        f"{bare.url}abgesagt/": ('<p class="callout">Diese Veranstaltung fällt aus.</p>',),
        "/veranstaltungen/?von=2026-01-01&region=altmark": (
            '<form class="filters" method="get" action="/veranstaltungen/#ergebnisse"',
            "Veranstaltungen filtern",
            "<legend>Themenfeld des Ortes</legend>",
            "Gefiltert nach: Altmark, ab 01.01.2026",
            "Termine</h2>",
            "Seite 1 von ",
        ),
    }
    for path, german in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="de">' in html
        main = main_part(html)
        for text in german:
            assert text in main, (path, text)
        assert 'href="/en/' not in main and 'action="/en/' not in main, path
        assert not ENGLISH_DATE.search(main), path
        assert GERMAN_DATE.search(main), path


@pytest.mark.django_db
def test_dates_repeats_and_prices_in_english():
    saturday = datetime.date(2026, 12, 5)

    def event(**fields):
        return EventPage(**{"title": "Hoffest", "start_date": saturday, "pk": 1, **fields})

    def first(page):
        now = datetime.datetime.combine(page.start_date, datetime.time.min, tzinfo=TIME_ZONE)
        return upcoming([page], now=now, limit=1)[0]

    with translation.override("en"):
        evening = event(start_time=datetime.time(18), end_time=datetime.time(21))
        assert when(first(evening)) == "Sat, 5 December 2026, 18:00–21:00"
        assert when(first(event())) == "Sat, 5 December 2026, all day"
        assert day_span(saturday, datetime.date(2026, 12, 7)) == "5–7 December 2026"
        assert day_span(datetime.date(2026, 11, 30), datetime.date(2026, 12, 2)) == (
            "30 November – 2 December 2026"
        )
        assert day_span(saturday, datetime.date(2027, 1, 2)) == "5 December 2026 – 2 January 2027"
        assert repeats(event(recurrence=Recurrence.WEEKLY, recurrence_interval=2)) == (
            "every second Saturday, all day"
        )
        assert repeats(
            event(recurrence=Recurrence.MONTHLY_WEEKDAY, start_time=datetime.time(10))
        ) == ("every first Saturday of the month, 10:00")
        assert price(event(price=Decimal("1250.5"))) == "€1,250.50"
        assert price(event(price=Decimal("12"))) == "€12"
        assert price(event(price=Decimal("0"))) == "Free admission"
    with translation.override("de"):
        assert price(event(price=Decimal("1250.5"))) == "1.250,50\xa0€"
        assert day_span(saturday, datetime.date(2026, 12, 7)) == "5.–7. Dezember 2026"


@pytest.mark.django_db
def test_the_gallery_speaks_the_pages_language_in_chromium(client, chromium, event_site):
    """gallery.js takes its words from the page (data attributes): English at /en/."""
    script = (TEMPLATES / "static" / "js" / "gallery.js").read_text(encoding="utf-8")
    place = event_site["place"]
    for prefix, close, count in (
        ("/en", "Close", "Image 1 of 2"),
        ("", "Schließen", "Bild 1 von 2"),
    ):
        html = client.get(prefix + place.url).content.decode()
        context = chromium.new_context(java_script_enabled=True)
        try:
            page = context.new_page()
            # Offline: nothing the page names is fetched (no server behind about:blank).
            page.route("**/*", lambda route: route.abort())
            page.set_content(re.sub(r"<script\b[^>]*\bsrc=[^>]*></script>", "", html))
            page.add_script_tag(content=script)
            page.locator(".gallery a.gallery-link").first.click()
            assert page.locator("dialog.lightbox .lightbox-count").inner_text() == count
            assert page.locator("dialog.lightbox .lightbox-close").inner_text() == close
            buttons = page.locator("dialog.lightbox .lightbox-nav button").all_inner_texts()
            assert buttons == (
                ["← Previous image", "Next image →"]
                if prefix
                else ["← Vorheriges Bild", "Nächstes Bild →"]
            )
        finally:
            context.close()


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
