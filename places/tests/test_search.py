import pytest

from places.factories import PlacePageFactory
from places.models import PlacePage


@pytest.mark.django_db
def test_places_are_found_by_title_teaser_story_municipality_and_tag(region):
    place = PlacePageFactory(
        parent=region,
        title="Kulturscheune Elbblick",
        teaser="Konzerte und Theater in einer alten Scheune.",
        municipality="Tangermünde",
        story=[("paragraph", "<p>Im Winter wird hier gemeinsam gedrechselt.</p>")],
    )
    place.tags.add("Reparaturcafé")
    place.save_revision().publish()
    PlacePageFactory(parent=region, title="Ganz anderer Hof", municipality="Salzwedel")

    def titles(query):
        return [p.title for p in PlacePage.objects.live().search(query)]

    assert titles("Elbblick") == ["Kulturscheune Elbblick"]
    assert titles("Theater") == ["Kulturscheune Elbblick"]
    assert titles("Tangermünde") == ["Kulturscheune Elbblick"]
    assert titles("gedrechselt") == ["Kulturscheune Elbblick"]
    assert titles("Reparaturcafé") == ["Kulturscheune Elbblick"]
