"""Shared data for the API tests: a small published tree with every kind of content."""

from decimal import Decimal

import pytest

from core.factories import CustomImageFactory
from places.factories import OfferFactory, PlacePageFactory
from places.models import Category, PlaceGalleryImage, PlaceLink


@pytest.fixture
def image(db):
    return CustomImageFactory(
        description="Backsteinscheune im Abendlicht", credit="Foto: Anna Muster", licence="CC BY"
    )


@pytest.fixture
def full_place(region, image):
    """A place with every field filled in."""
    offer = OfferFactory(slug="coworking", name="Coworking-Plätze")
    place = PlacePageFactory(
        parent=region,
        title="Gutshof Wiesengrund",
        slug="gutshof-wiesengrund",
        teaser="Ein Gutshaus mit Coworking und Werkstatt.",
        street="Dorfstraße 1",
        postcode="29410",
        municipality="Salzwedel",
        latitude=Decimal("52.850000"),
        longitude=Decimal("11.150000"),
        hero_image=image,
        website="https://example.org",
        email="hallo@example.org",
        phone="+49 3901 123456",
        contact_person="Erika Beispiel",
        opening_hours="Mo-Fr 09:00-17:00",
        founded=2019,
        former_use="Gutshaus",
        status="im-aufbau",
        external_id="ext-1",
        story=[
            ("heading", {"text": "Das Objekt", "level": "h2"}),
            ("paragraph", "<p>Ein <b>altes</b> Haus.</p>"),
            ("image", {"image": image, "caption": "Die Scheune"}),
            ("quote", {"text": "Hier ist Platz.", "attribution": "Erika"}),
            ("key_facts", {"title": "Eckdaten", "facts": [{"label": "Baujahr", "value": "1892"}]}),
        ],
        categories=[
            Category.objects.get(slug="wohnen-bauen"),
            Category.objects.get(slug="arbeiten-wirtschaft"),
        ],
    )
    place.offers.add(offer)
    place.tags.add("Coworking", "Makerspace")
    PlaceGalleryImage.objects.create(page=place, image=image, caption="Innenhof")
    PlaceLink.objects.create(page=place, platform="instagram", url="https://instagram.com/x")
    place.save()
    return place
