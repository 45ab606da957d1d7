"""Scheduled publishing and expiry of places, through Wagtail's ``publish_scheduled``."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from places.factories import PlacePageFactory
from places.models import PlacePage


def test_a_place_goes_live_and_expires_on_schedule(
    region, client, django_capture_on_commit_callbacks
):
    # The command runs in autocommit: the page cache forgets a page as each change commits.
    def publish_scheduled():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("publish_scheduled", stdout=StringIO())

    region.save_revision().publish()
    place = PlacePageFactory(parent=region, title="Geplanter Hof", slug="geplant", live=False)
    place.go_live_at = timezone.now() + timedelta(hours=1)
    revision = place.save_revision()
    revision.publish()  # with go_live_at in the future this only schedules
    place.refresh_from_db()
    assert not place.live
    assert client.get("/altmark/geplant/").status_code == 404

    publish_scheduled()
    place.refresh_from_db()
    assert not place.live, "not yet"

    # An hour later (the schedule moved into the past instead of waiting for the clock).
    past = timezone.now() - timedelta(minutes=1)
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    publish_scheduled()
    place.refresh_from_db()
    assert place.live
    assert client.get("/altmark/geplant/").status_code == 200

    PlacePage.objects.filter(pk=place.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    publish_scheduled()
    place.refresh_from_db()
    assert not place.live and place.expired
    assert client.get("/altmark/geplant/").status_code == 404
