"""One ``Change`` per transaction, handed on after the commit; nothing from a rollback; the
CDN purged of the paths that show a change (Wagtail's frontend cache, a real HTTP backend)."""

from django.db import transaction

import pytest

from places.factories import PlacePageFactory
from staticsite.models import PendingPath

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_a_transaction_hands_on_one_change_after_its_commit(
    region, heard, django_capture_on_commit_callbacks
):
    drafts = [
        PlacePageFactory(parent=region, title=f"Entwurf {n}", slug=f"entwurf-{n}", live=False)
        for n in range(2)
    ]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for draft in drafts:
            draft.save_revision().publish()
        assert heard == []  # not before the commit
    [change] = heard
    ids = {draft.pk for draft in drafts}
    assert set(change.published) == ids and ids <= change.pages
    assert {"/altmark/entwurf-0/", "/altmark/entwurf-1/"} <= change.page_paths
    assert {"/altmark/", "/orte/", "/"} <= change.paths
    assert not change.everything


def test_a_rolled_back_change_is_handed_on_to_no_one(
    place, heard, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.STATICSITE_OUTPUT = str(tmp_path / "site")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        place.title = "Nie veröffentlicht"
        place.save_revision().publish()
        # The static site's pending paths are stored with the change …
        assert PendingPath.objects.filter(path=place.url).exists()
        raise Rollback
    # … and go with it.
    assert heard == []
    assert not PendingPath.objects.exists()


def test_the_cdn_is_purged_of_the_paths_that_show_a_publish(
    place, settings, purge_server, django_capture_on_commit_callbacks
):
    location, received = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    place.title = "Neuer Name"
    with django_capture_on_commit_callbacks(execute=True):
        place.save_revision().publish()
    paths = {path for _host, path in received}
    # Its region, the lists, the feed, the exports: beyond the page itself, which Wagtail's
    # frontend cache purges (where installed, as in production).
    assert {"/altmark/", "/orte/", "/", "/feeds/orte.atom", "/api/orte.geojson"} <= paths
    assert place.url not in paths
    assert {host for host, _path in received} == {"localhost"}
