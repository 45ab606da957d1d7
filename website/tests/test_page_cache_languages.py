"""The page cache in both languages (``website/page_cache.py``, ``core.languages``): an English
address keeps entries of its own, the form and the other uncached paths stay uncached in
every language, and a change reaches the entries of both addresses (``publishing``)."""

from django.test import RequestFactory

import pytest

from home.factories import ContentPageFactory
from tests.translations import translate
from website.page_cache import SKIP_PREFIXES, cacheable_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

PLACE = "/altmark/gutshof-wiesengrund/"


def state(client, url) -> str:
    return client.get(url).get("X-Page-Cache", "")


def test_skipped_paths_stay_uncached_in_every_language(client, place):
    requests = RequestFactory()
    for prefix in SKIP_PREFIXES:
        for address in (prefix, f"/en{prefix}"):
            assert not cacheable_request(requests.get(f"{address}x")), address
    for url in ("/mitmachen/", "/en/mitmachen/"):
        assert client.get(url).status_code == 200
        assert state(client, url) == "", url
    # Pages are cached in both languages.
    assert cacheable_request(requests.get("/en/altmark/"))


def test_an_english_address_has_entries_of_its_own(client, place):
    assert state(client, "/altmark/") == "miss"
    assert state(client, "/altmark/") == "hit"
    english = client.get("/en/altmark/")
    assert english["X-Page-Cache"] == "miss"
    assert '<html lang="en"' in english.content.decode()
    again = client.get("/en/altmark/")
    assert again["X-Page-Cache"] == "hit" and again.content == english.content
    assert '<html lang="de"' in client.get("/altmark/").content.decode()


def test_a_change_makes_both_addresses_stale(
    client, place, home_page, django_capture_on_commit_callbacks
):
    other = "/en/impressum/"
    ContentPageFactory(parent=home_page, title="Impressum", slug="impressum")
    urls = [PLACE, f"/en{PLACE}", "/en/altmark/", "/en/orte/", "/en/orte/?page=1", other]
    for url in urls:
        state(client, url)
        assert state(client, url) == "hit", url

    # A German change: its English twins too.
    place.title = "Gutshof Wiesengrund am See"
    with django_capture_on_commit_callbacks(execute=True):
        place.save_revision().publish()
    for url in urls:
        assert state(client, url) == ("hit" if url == other else "miss"), url
    assert "Gutshof Wiesengrund am See" in client.get(f"/en{PLACE}").content.decode()

    # An English translation's publish (its commit callbacks run in ``translate``): its
    # German page's addresses in both languages.
    for url in urls:
        state(client, url)
    translate(place, title="Wiesengrund Manor", run_on_commit=True)
    for url in [PLACE, f"/en{PLACE}", "/en/altmark/", "/altmark/"]:
        assert state(client, url) == "miss", url
    assert state(client, other) == "hit"
    assert "Wiesengrund Manor" in client.get(f"/en{PLACE}").content.decode()
