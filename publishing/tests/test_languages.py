"""Every change reaches both languages' addresses; a translation's change is one of its German
page (``core.languages``: the German tree is the site, English lives at ``/en`` + the German
path)."""

from django.apps import apps
from django.utils import translation

from wagtail_localize.models import TranslationSource

import pytest

from places.models import PlaceApiSnapshot, PlacePage
from publishing.paths import (
    EVENT_LISTING_PATHS,
    PLACE_LISTING_PATHS,
    SITE_INDEX_PATHS,
    every_language,
    paths_showing_places,
)
from publishing.receivers import WATCHED
from publishing.stale_snapshots import mark_place
from tests.translations import translate

pytestmark = pytest.mark.django_db

PLACE = "/altmark/gutshof-wiesengrund/"
#: Addresses in no language prefix: the data, the feed, the sitemap.
SINGLE = ("/en/api/", "/en/feeds/", "/en/sitemap.xml", "/en/robots.txt", "/en/en/")


def _paths(changes) -> set[str]:
    return set().union(*(change.paths for change in changes))


def test_a_translations_publish_reaches_its_german_pages_paths_in_both_languages(
    place, heard, django_capture_on_commit_callbacks
):
    english = translate(place, run_on_commit=True)  # live, with the German texts
    heard.clear()
    english.title = "Wiesengrund Manor"
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    assert english.url == f"/en{PLACE}"
    paths = _paths(heard)
    german = {PLACE, "/altmark/", "/", "/orte/", "/einbetten/karte/", "/suche/"}
    assert german | {f"/en{path}" for path in german} <= paths
    assert {"/api/orte.geojson", "/feeds/orte.atom", "/sitemap.xml"} <= paths
    assert not [path for path in paths if path.startswith(SINGLE)]
    # Its own page changed (its card on the listings of both languages).
    assert {PLACE, f"/en{PLACE}"} <= set().union(*(change.page_paths for change in heard))


def test_a_german_change_reaches_its_english_twin(place, heard, django_capture_on_commit_callbacks):
    place.title = "Gutshof Wiesengrund am See"
    with django_capture_on_commit_callbacks(execute=True):
        place.save_revision().publish()
    [change] = heard
    assert every_language({PLACE, "/altmark/", "/", "/orte/", "/suche/"}) <= change.paths
    assert change.page_paths == {PLACE, f"/en{PLACE}"}
    # Wagtail announces (and its frontend cache purges) the German address only.
    assert change.announced_paths == {PLACE}
    assert not [path for path in change.paths if path.startswith(SINGLE)]


def test_a_change_made_while_english_is_active_reaches_the_german_paths_too(
    place, heard, django_capture_on_commit_callbacks
):
    place.title = "Gutshof Wiesengrund am See"
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        place.save_revision().publish()
    [change] = heard
    assert every_language({PLACE, "/altmark/", "/", "/orte/", "/suche/"}) <= change.paths
    assert change.page_paths == {PLACE, f"/en{PLACE}"}
    assert change.announced_paths == {PLACE}


def test_unpublishing_and_deleting_a_translation_reach_both_languages(
    client, place, heard, django_capture_on_commit_callbacks
):
    english = translate(place, title="Wiesengrund Manor", run_on_commit=True)
    assert "Wiesengrund Manor" in client.get(f"/en{PLACE}").content.decode()
    for action in ("unpublish", "delete"):
        if action == "delete":  # live again first: deleting a draft changes nothing public
            PlacePage.objects.get(pk=english.pk).save_revision().publish()
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            getattr(PlacePage.objects.get(pk=english.pk), action)()
        paths = _paths(heard)
        assert every_language({PLACE, "/altmark/", "/orte/", "/"}) <= paths, action
        assert not [path for path in paths if path.startswith(SINGLE)], action
        # The English address shows the German page again, marked untranslated.
        response = client.get(f"/en{PLACE}")
        assert response.status_code == 200
        assert "Wiesengrund Manor" not in response.content.decode()


def test_deleting_the_german_page_leaves_its_translation_unreachable(
    client, place, heard, django_capture_on_commit_callbacks
):
    english = translate(place, title="Wiesengrund Manor", run_on_commit=True)
    assert "Wiesengrund Manor" in client.get(f"/en{PLACE}").content.decode()
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        PlacePage.objects.get(pk=place.pk).delete()
    # wagtail-localize keeps the translation (live, in the English tree) …
    assert PlacePage.objects.filter(pk=english.pk, live=True).exists()
    # … but routing walks the German tree: neither address answers.
    assert client.get(f"/en{PLACE}").status_code == 404
    assert client.get(PLACE).status_code == 404
    assert "gutshof-wiesengrund" not in client.get("/sitemap.xml").content.decode()
    assert {PLACE, f"/en{PLACE}", "/en/altmark/", "/en/orte/"} <= _paths(heard)
    # The orphan's own changes reach nothing (and do not fail).
    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        english.refresh_from_db()
        english.title = "Orphaned Manor"
        english.save_revision().publish()
    assert _paths(heard) == set()


def test_wagtail_localizes_own_models_are_not_watched_and_change_nothing(
    place, heard, django_capture_on_commit_callbacks
):
    watched = {
        sender._meta.app_label
        for _signals, senders, _receiver in WATCHED
        for sender in senders or ()
        if sender is not None
    }
    assert not {app.label for app in apps.get_app_configs() if "localize" in app.name} & watched
    with django_capture_on_commit_callbacks(execute=True):
        source, created = TranslationSource.get_or_create_from_instance(place)
        source.update_from_db()
    assert created
    assert heard == []


def test_every_language_gives_exactly_the_addresses_the_urlconf_has(client, place):
    """The English twin of each listing path answers, the single-address paths have none."""
    for path in sorted(PLACE_LISTING_PATHS | EVENT_LISTING_PATHS | SITE_INDEX_PATHS):
        twins = every_language({path}) - {path}
        status = client.get(f"/en{path}").status_code
        assert status == (200 if twins else 404), path
        assert twins in (set(), {f"/en{path}"}), path
    assert every_language({"/en/orte/", "/mitmachen/"}) == {"/en/orte/", "/mitmachen/"} | {
        "/en/mitmachen/"
    }


def test_a_translations_rows_reach_its_german_place(place, django_capture_on_commit_callbacks):
    english = translate(place, title="Wiesengrund Manor", run_on_commit=True)
    snapshot, _ = PlaceApiSnapshot.objects.get_or_create(page_id=place.pk)
    mark_place(english.pk)
    snapshot_after = PlaceApiSnapshot.objects.get(page_id=place.pk)
    assert snapshot_after.generation == snapshot.generation + 1
    # Data many places show (an image, a tag) found on the translation: the German place's
    # paths.
    paths, own = paths_showing_places(PlacePage.objects.filter(pk=english.pk))
    assert own == {PLACE}
    assert {"/altmark/", "/orte/"} <= paths
