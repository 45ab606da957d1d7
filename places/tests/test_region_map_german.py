"""``visible_region_map`` (the API's ``region`` of a place) holds German regions only: a
region's live English twin is no region of its own."""

from places.factories import PlacePageFactory
from places.regions import region_for_path, visible_region_map
from regions.translation import translated_regions


def test_the_region_map_leaves_out_the_live_english_twin(region):
    (twin,) = translated_regions(region)
    twin.save_revision().publish()
    twin.refresh_from_db()
    assert twin.live
    place = PlacePageFactory(parent=region, title="Gutshof", slug="gutshof")

    regions = visible_region_map()
    assert regions == {region.path: {"id": region.pk, "slug": "altmark", "title": "Altmark"}}
    assert region_for_path(regions, place.path)["id"] == region.pk
