"""The static site's rewriting of what events add: the iCalendar feed (folded lines) and
/veranstaltungen/'s form without its days."""

import icalendar

from staticsite.render import without_day_fields
from staticsite.rewrite import Refs, Rewriter, StaticNames
from staticsite.urlmap import output_file, static_url, url_key


def _rewriter():
    return Rewriter(
        base_url="https://static.example/kreativorte/",
        origins=["https://cms.example"],
        static_names=StaticNames(),
    )


def test_ics_urls_folded_across_lines_are_rewritten_and_the_lines_folded_again():
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kreativorte im Grünen//DE")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", "event-12@cms.example")
    event.add("summary", "Lesung über Höfe, Mühlen und Gärten " * 3)
    url = "https://cms.example/altmark/gutshof-wiesengrund/lesung-ueber-hoefe-und-muehlen/"
    event.add("url", url)
    event.add("description", f"Lesung im Gutshof.\n{url}")
    calendar.add_component(event)
    original = calendar.to_ical().decode()
    assert "\r\n " in original  # icalendar folded the long lines (a URL among them)

    refs = Refs()
    text = _rewriter().ics(original, "/api/veranstaltungen.ics", refs)

    parsed = icalendar.Calendar.from_ical(text)
    [rewritten] = parsed.walk("VEVENT")
    new_url = "https://static.example/kreativorte/altmark/gutshof-wiesengrund/lesung-ueber-hoefe-und-muehlen/"
    assert str(rewritten["URL"]) == new_url
    assert str(rewritten["DESCRIPTION"]) == f"Lesung im Gutshof.\n{new_url}"
    assert str(rewritten["SUMMARY"]) == str(event["SUMMARY"])
    assert str(rewritten["UID"]) == "event-12@cms.example"  # no URL: stable
    assert "cms.example/" not in text
    assert refs.links == {"/altmark/gutshof-wiesengrund/lesung-ueber-hoefe-und-muehlen/"}
    lines = text.encode("utf-8").split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # no line ends inside a character


def test_event_feed_filters_get_files_of_their_own():
    assert output_file("/api/veranstaltungen.ics", "place=12") == "api/veranstaltungen.ort=12.ics"
    assert static_url("/api/veranstaltungen.ics", "region=harz") == (
        "/api/veranstaltungen.region=harz.ics"
    )
    assert url_key("/veranstaltungen/", "category=b&region=harz&category=a&von=2026-12-24") == (
        "/veranstaltungen/?region=harz&category=a%2Cb"
    )


def test_the_static_event_form_has_no_days():
    form = (
        '<form class="filters"><div class="filter-grid">'
        '<div class="field"><label for="f-region">Region</label><select name="region"></select>'
        "</div>"
        '<div class="field-stack"><div class="field"><input type="date" name="von"></div>'
        '<div class="field"><input type="date" name="bis"></div><p>Tage</p></div>'
        "</div><button>Filter anwenden</button></form>"
    )
    assert without_day_fields(form) == (
        '<form class="filters"><div class="filter-grid">'
        '<div class="field"><label for="f-region">Region</label><select name="region"></select>'
        "</div>"
        "</div><button>Filter anwenden</button></form>"
    )
    assert without_day_fields("<p>keine Felder</p>") == "<p>keine Felder</p>"
