"""A region without places says so and invites a proposal; only a filtered list speaks of
filters."""

import pytest

from places.factories import PlacePageFactory
from regions.factories import RegionPageFactory

pytestmark = pytest.mark.django_db


def test_a_region_without_places_invites_a_proposal(client, home_page, region):
    RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    PlacePageFactory(parent=region, title="Gutshof")
    html = client.get("/harz/").content.decode()
    assert "Hier sind noch keine Orte eingetragen" in html
    assert 'href="/mitmachen/"' in html
    assert "passen zu diesen Filtern" not in html


def test_a_filtered_list_without_hits_speaks_of_the_filters(client, region):
    PlacePageFactory(parent=region, title="Gutshof", status="aktiv")
    html = client.get("/altmark/?status=im-aufbau").content.decode()
    assert "Keine Orte passen zu diesen Filtern" in html
    assert "Hier sind noch keine Orte eingetragen" not in html
