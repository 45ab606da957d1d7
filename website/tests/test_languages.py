"""The public site's languages as visitors meet them: German at ``/``, English under ``/en/``
(``core.languages``). The chrome in the page's language, the switcher and ``hreflang``,
the note on a page that is not translated yet, the English page's texts on the German
page's facts, cards in English, links that stay in the language, and what it costs.

With the caches as production has them (``cms/settings/test.py``: the page cache on), and
where it matters with the cards kept as well (``FRAGMENT_CACHE_SECONDS``)."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

import pytest

from bench.dataset import create_places
from core.factories import CustomImageFactory
from home.factories import ContentPageFactory
from places import nearby
from places.factories import PlacePageFactory
from places.models import PlacePage
from tests.test_query_counts import PAST_THE_PAGE_CACHE, PLACE_BUDGET
from tests.translations import translate
from website.templatetags.places_tags import social_meta
from website.tests.event_pages import make_event
from website.wagtail_hooks import with_texts_of

pytestmark = pytest.mark.django_db

NOTE = "Diese Seite ist noch nicht übersetzt. Der Text unten ist auf Deutsch."
#: Addresses an English page may link to outside /en/: one address for every language.
SINGLE_ADDRESS = ("/api/", "/static/", "/media/", "/feeds/", "/sitemap.xml", "/dokumente/")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def english(msgid: str) -> str:
    """What the English catalogue makes of ``msgid`` (the German text where it has none)."""
    with translation.override("en"):
        return gettext(msgid)


class Tags(HTMLParser):
    """Every start tag of a page as ``(name, attributes)``, and the language of the element
    each text is in (the nearest ``lang``), and whether it is in ``<main>``."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, str | None, bool]] = []
        self._langs: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in self.VOID:
            self._langs.append((tag, attrs.get("lang")))

    def handle_endtag(self, tag):
        while self._langs:
            if self._langs.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip():
            language = next((lang for _tag, lang in reversed(self._langs) if lang), None)
            in_main = any(tag == "main" for tag, _lang in self._langs)
            self.texts.append((data.strip(), language, in_main))

    def find(self, tag, **wanted) -> list[dict]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(key) == value for key, value in wanted.items())
        ]

    def language_of(self, text: str, in_main: bool = True) -> str | None:
        """The language of the first element holding ``text`` (in ``<main>``, or outside)."""
        return next(
            language for data, language, main in self.texts if text in data and main == in_main
        )


def get(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def site(home_page, region, place):
    """A region with a place (with a point, an address and a tag) and a neighbour, the
    pages the header and footer name, and the place's event."""
    place.latitude, place.longitude = Decimal("52.85"), Decimal("11.15")
    place.phone = "03901 12345"
    place.opening_hours = "Mo-Fr 09:00-17:00"
    place.tags.add("Holzwerkstatt")
    place.hero_image = CustomImageFactory()  # among the home page's newest places
    place.save_revision().publish()
    neighbour = PlacePageFactory(
        parent=region,
        title="Nachbarhof",
        slug="nachbarhof",
        teaser="Ein Hof nebenan.",
        latitude=Decimal("52.86"),
        longitude=Decimal("11.16"),
    )
    neighbour.save_revision().publish()
    for slug, title in [("ueber-das-projekt", "Über das Projekt"), ("impressum", "Impressum")]:
        ContentPageFactory(parent=home_page, slug=slug, title=title, intro="<p>Wer wir sind.</p>")
    make_event(place, title="Hoffest im Wiesengrund")
    return {"place": PlacePage.objects.get(pk=place.pk), "neighbour": neighbour}


PAGES = [
    "/",
    "/altmark/",
    "/altmark/gutshof-wiesengrund/",
    "/orte/",
    "/orte/?category=arbeiten-wirtschaft",
    "/suche/?q=Gutshof",
    "/ueber-das-projekt/",
]


def test_english_pages_answer_in_english_with_english_chrome(client, site):
    for path in PAGES:
        german, english_page = get(client, path), client.get(f"/en{path}")
        assert english_page.status_code == 200, path
        assert english_page["Content-Language"] == "en", path
        html = english_page.content.decode()
        assert '<html lang="en">' in html, path
        assert f">{english('Alle Orte')}<" in html and english("Alle Orte") != "Alle Orte"
        assert f">{english('Zum Inhalt springen')}<" in html
        assert '<html lang="de">' in german and ">Alle Orte<" in german, path
        assert f">{english('Alle Orte')}<" not in german


def test_switcher_links_both_ways_and_keeps_a_filter_pages_query(client, site):
    for path in PAGES:
        german = Tags(get(client, path)).find("nav", **{"class": "language-switcher"})
        assert german == [{"class": "language-switcher", "aria-label": "Sprache"}], path
        links = [
            attrs for attrs in Tags(get(client, path)).find("a") if attrs.get("hreflang") == "en"
        ]
        assert links == [{"href": f"/en{path}", "hreflang": "en", "lang": "en"}], path
        back = [
            attrs
            for attrs in Tags(get(client, f"/en{path}")).find("a", hreflang="de")
            if attrs.get("lang") == "de"
        ]
        assert {"href": path, "hreflang": "de", "lang": "de"} in back, path
    html = get(client, "/")
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in html
    assert '<a href="/" hreflang="de" lang="de">Deutsch</a>' in get(client, "/en/")
    assert 'aria-label="Language"' in get(client, "/en/") or english("Sprache") == "Sprache"


def test_the_switcher_takes_only_what_the_page_read_of_the_query(client, site):
    """A place page reads no parameter: its switcher (and its one page cache entry) ignore
    any; a listing keeps its filters in their canonical form, not its page number."""
    html = get(client, "/altmark/gutshof-wiesengrund/?utm_source=x&q=y")
    assert '<a href="/en/altmark/gutshof-wiesengrund/" hreflang="en"' in html
    html = get(client, "/orte/?utm_source=x&status=aktiv&category=arbeiten-wirtschaft")
    assert '<a href="/en/orte/?category=arbeiten-wirtschaft&amp;status=aktiv" hreflang="en"' in (
        html
    )
    html = get(client, "/en/suche/?q=Gutshof&page=1&utm_source=x")
    assert '<a href="/suche/?q=Gutshof" hreflang="de"' in html  # from its first page


def test_hreflang_alternates_are_absolute_and_german_is_the_default(client, site):
    for path in PAGES:
        for address in (path, f"/en{path}"):
            tags = Tags(get(client, address))
            alternates = {
                attrs["hreflang"]: attrs["href"]
                for attrs in tags.find("link", rel="alternate")
                if "hreflang" in attrs
            }
            plain = path.split("?")[0]
            assert alternates == {
                "de": f"http://testserver{plain}",
                "en": f"http://testserver/en{plain}",
                "x-default": f"http://testserver{plain}",
            }, address
            (canonical,) = tags.find("link", rel="canonical")
            assert canonical["href"] == f"http://testserver{address.split('?')[0]}", address
    # The page that is not there names no alternates.
    assert 'hreflang="x-default"' not in get(client, "/en/gibt-es-nicht/", status=404)


def test_an_untranslated_english_page_says_so_and_marks_its_german_text(client, site):
    html = get(client, "/en/altmark/gutshof-wiesengrund/")
    tags = Tags(html)
    assert english(NOTE) in html
    assert tags.find("div", **{"class": "untranslated-note", "role": "note"})
    assert {"href": "/altmark/gutshof-wiesengrund/", "hreflang": "de", "lang": "de"} in tags.find(
        "a"
    )
    # The German texts are German for screen readers; the note and the chrome are English.
    assert tags.language_of("Gutshof Wiesengrund") == "de"
    assert tags.language_of("Hoffest im Wiesengrund") == "de"
    assert tags.language_of(english(NOTE)) == "en"
    assert tags.language_of(english("Alle Orte"), in_main=False) == "en"
    for path in ["/altmark/gutshof-wiesengrund/", "/"]:
        assert NOTE not in get(client, path) and "untranslated-note" not in get(client, path)


def test_a_translated_english_place_page_shows_its_texts_on_the_german_pages_facts(client, site):
    place = site["place"]
    translate(
        place,
        title="Wiesengrund Estate",
        teaser="A farmstead turned into workshops.",
        phone="0000 stale",  # a fact the translation holds a stale copy of
    )
    # The German page's facts change after the translation was made.
    place.phone = "03901 99999"
    place.opening_hours = "Sa 10:00-14:00"
    place.tags.add("Lehmbau")
    place.save_revision().publish()
    make_event(place, title="Lehmbautag", start_date=datetime.date.today() + datetime.timedelta(3))

    html = get(client, "/en/altmark/gutshof-wiesengrund/")
    tags = Tags(html)
    assert "<h1>Wiesengrund Estate</h1>" in html
    assert "A farmstead turned into workshops." in html
    assert "<title>Wiesengrund Estate –" in html
    assert "Gutshof Wiesengrund" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "03901 99999" in html and "0000 stale" not in html
    assert "#Lehmbau" in html and "#Holzwerkstatt" in html
    assert "Lehmbautag" in html and "Hoffest im Wiesengrund" in html
    assert "Nachbarhof" in html  # the nearby place, of the German tree
    assert english(NOTE) not in html and "untranslated-note" not in html
    assert tags.language_of("Wiesengrund Estate") == "en"
    # The German page is as it was.
    german = get(client, "/altmark/gutshof-wiesengrund/")
    assert "<h1>Gutshof Wiesengrund</h1>" in german and "Wiesengrund Estate" not in german


@pytest.mark.parametrize("kept", [0, 600], ids=["rendered", "cards-kept"])
def test_cards_show_english_titles_of_translated_places(client, site, settings, kept):
    settings.FRAGMENT_CACHE_SECONDS = kept
    translate(site["place"], title="Wiesengrund Estate", teaser="Workshops in a farmstead.")
    # German first: a kept German card must not stand in for the English one.
    german = get(client, "/orte/")
    assert "Gutshof Wiesengrund" in german and "Wiesengrund Estate" not in german
    for path in ["/en/orte/", "/en/altmark/", "/en/", "/en/einbetten/karte/"]:
        html = get(client, path)
        tags = Tags(html)
        assert "Wiesengrund Estate" in html and "Workshops in a farmstead." in html, path
        assert 'href="/en/altmark/gutshof-wiesengrund/"' in html, path
        titles = re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", html)  # the cards'
        assert any(title.startswith("Wiesengrund Estate") for title in titles), path
        assert not any("Gutshof Wiesengrund" in title for title in titles), path
        # A place without a translation: German, and marked so.
        if path != "/en/":  # the home page shows the newest places with an image only
            assert tags.language_of("Nachbarhof") == "de", path
            assert tags.language_of("Ein Hof nebenan.") == "de", path
            assert 'href="/en/altmark/nachbarhof/"' in html, path
    assert "Gutshof Wiesengrund" in get(client, "/orte/")
    # The neighbour's page lists the translated place among the nearby ones in English.
    assert "Wiesengrund Estate" in get(client, "/en/altmark/nachbarhof/")
    assert "Wiesengrund Estate" not in get(client, "/altmark/nachbarhof/")


def test_search_hits_and_regions_in_english(client, site):
    translate(site["place"], title="Wiesengrund Estate", teaser="Workshops in a farmstead.")
    html = get(client, "/en/suche/?q=Gutshof")
    assert 'href="/en/altmark/gutshof-wiesengrund/"' in html and "Wiesengrund Estate" in html
    assert 'action="/en/suche/"' in html
    assert Tags(get(client, "/en/suche/?q=Nachbarhof")).language_of("Ein Hof nebenan.") == "de"
    html = get(client, "/en/suche/")
    assert 'href="/en/orte/?category=arbeiten-wirtschaft"' in html
    assert 'href="/en/altmark/"' in html


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "action", "src"):
            if attrs.get(name) is not None:
                self.found.append((tag, name, attrs[name], attrs))


def internal_links_outside(html: str, prefix: str) -> list:
    """The links, form actions and sources to this site that do not start with
    ``prefix``, except one-address ones and the links to the German page (``hreflang``)."""
    outside = []
    for tag, name, value, attrs in Links(html).found:
        parts = urlsplit(value)
        if parts.scheme in ("mailto", "tel") or (parts.netloc and parts.netloc != "testserver"):
            continue
        if not parts.path:  # "#anchor", "?page=2": the same page
            continue
        if parts.path.startswith(SINGLE_ADDRESS) or attrs.get("hreflang") in ("de", "x-default"):
            continue
        if not parts.path.startswith(prefix):
            outside.append((tag, name, value))
    return outside


def assert_links_stay_in_their_language(client, pages):
    for path in pages:
        response = client.get(f"/en{path}")
        assert response.status_code in (200, 400, 404), path
        html = response.content.decode()
        assert internal_links_outside(html, "/en/") == [], path
        # And the German page's stay German.
        german = client.get(path).content.decode()
        assert [link for link in internal_links_outside(german, "/") if "/en/" in link[2]] == []


def test_every_internal_link_on_an_english_page_stays_under_en(client, site):
    translate(site["place"], title="Wiesengrund Estate")
    pages = [
        *(path for path in PAGES if not path.startswith("/orte/")),
        "/altmark/?category=arbeiten-wirtschaft&status=im-aufbau",  # nothing found: reset
        "/altmark/?tag=gibt-es-nicht",  # a filter error
        "/suche/",
        "/suche/?q=Xylophon",
        "/altmark/nachbarhof/",
        "/einbetten/karte/",
        "/gibt-es-nicht/",
    ]
    assert_links_stay_in_their_language(client, pages)


def test_the_filtered_all_places_listing_links_stay_under_en(client, site):
    assert_links_stay_in_their_language(
        client,
        [
            "/orte/",
            "/orte/?category=arbeiten-wirtschaft",
            "/orte/?category=arbeiten-wirtschaft&status=im-aufbau",  # nothing found: reset
            "/orte/?tag=gibt-es-nicht",  # a filter error
        ],
    )


def test_error_pages_and_robots_in_every_language(client, site):
    html = get(client, "/en/gibt-es-nicht/", status=404)
    assert '<html lang="en">' in html and 'action="/en/suche/"' in html
    robots = get(client, "/robots.txt")
    for path in ("/suche/", "/en/suche/", "/einbetten/", "/en/einbetten/"):
        assert f"Disallow: {path}\n" in robots


def queries(client, url) -> int:
    client.get(url, **PAST_THE_PAGE_CACHE)  # warm-up: renditions, site root paths
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **PAST_THE_PAGE_CACHE)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("kept", [0, 600], ids=["rendered", "cards-kept"])
def test_the_english_place_page_stays_within_the_german_budget_plus_one(
    client, region, settings, kept
):
    """Within the German place page's budget (``tests/test_query_counts.py``) + 1. Over the
    German page's own count: the lookup of its English page, and where the nearby places'
    cards are rendered (not kept), their English texts."""
    if kept:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        settings.FRAGMENT_CACHE_SECONDS = kept
    create_places(12, regions=(region.slug,), images=3)
    place = PlacePage.objects.child_of(region).live().order_by("pk").first()
    german = queries(client, place.url)
    untranslated = queries(client, f"/en{place.url}")
    for neighbour in nearby.nearest(place)[:3]:
        translate(neighbour, title=f"{neighbour.title} (English)")
    translate(place, title="English title")
    translated = queries(client, f"/en{place.url}")
    html = get(client, f"/en{place.url}")
    assert "<h1>English title</h1>" in html and "(English)</a></h3>" in html
    counts = (german, untranslated, translated)
    assert german <= PLACE_BUDGET, counts
    assert max(untranslated, translated) <= PLACE_BUDGET + 1, counts
    assert max(untranslated, translated) - german == (1 if kept else 2), counts


def test_the_german_site_is_unchanged_by_english_visits(client, site):
    """German, English, German again: each answer (from the page cache or not) in its
    language."""
    translate(site["place"], title="Wiesengrund Estate")
    first = get(client, "/altmark/")
    assert "Wiesengrund Estate" in get(client, "/en/altmark/")
    assert get(client, "/altmark/") == first and "Wiesengrund Estate" not in first


def test_an_english_page_shows_its_own_description_after_the_german_page_was_rendered(place, rf):
    """The static build found the English home page's description German now and then: the
    English copy of the German page took over Wagtail's cached ``specific_deferred``, which
    is the German object once anything asked for it."""
    place.search_description = ""
    place.teaser = "Werkstätten im alten Gutshof."
    place.save_revision().publish()
    translation = translate(place, teaser="Workshops in the old manor.")
    german = PlacePage.objects.get(pk=place.pk)
    assert german.specific_deferred is german  # what rendering the German page leaves behind

    shown = with_texts_of(german, translation)

    social = social_meta({"page": shown, "request": rf.get("/en" + german.url)})
    assert social["description"] == "Workshops in the old manor."
    assert german.teaser == "Werkstätten im alten Gutshof."
