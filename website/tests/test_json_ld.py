"""The place page's schema.org JSON-LD: every object carries only properties of its type.

``ALLOWED`` lists, per type, the properties schema.org defines for it (its own and its
supertypes'; https://schema.org/<Type>, "Properties from …" sections, schema.org 29), limited
to those a place page could sensibly use. An emitted property missing here is either wrong
for its type or has to be looked up on schema.org and added.
"""

import json
import re

import pytest

from places.factories import PlacePageFactory
from places.models import PlaceLink

pytestmark = pytest.mark.django_db

THING = {
    "additionalType",
    "alternateName",
    "description",
    "identifier",
    "image",
    "mainEntityOfPage",
    "name",
    "sameAs",
    "subjectOf",
    "url",
}
PLACE = THING | {
    "address",
    "amenityFeature",
    "containedInPlace",
    "faxNumber",
    "geo",
    "hasMap",
    "isAccessibleForFree",
    "keywords",
    "latitude",
    "logo",
    "longitude",
    "openingHoursSpecification",
    "photo",
    "publicAccess",
    "slogan",
    "specialOpeningHoursSpecification",
    "telephone",
}
ORGANIZATION = THING | {
    "address",
    "areaServed",
    "contactPoint",
    "email",
    "faxNumber",
    "foundingDate",
    "keywords",
    "legalName",
    "logo",
    "member",
    "slogan",
    "telephone",
}
ALLOWED = {
    "Place": PLACE,
    # LocalBusiness is an Organization and a Place.
    "LocalBusiness": PLACE | ORGANIZATION | {"openingHours", "priceRange", "paymentAccepted"},
    # PostalAddress is a ContactPoint (email, telephone) and a Thing.
    "PostalAddress": THING
    | {
        "addressCountry",
        "addressLocality",
        "addressRegion",
        "postOfficeBoxNumber",
        "postalCode",
        "streetAddress",
        "email",
        "telephone",
    },
    "GeoCoordinates": THING
    | {"address", "addressCountry", "elevation", "latitude", "longitude", "postalCode"},
    "OpeningHoursSpecification": THING
    | {"closes", "dayOfWeek", "opens", "validFrom", "validThrough"},
    "ImageObject": THING
    | {"caption", "contentUrl", "creditText", "copyrightNotice", "height", "license", "width"},
    # The event page (website/event_page.py).
    "Event": THING
    | {
        "about",
        "audience",
        "doorTime",
        "duration",
        "endDate",
        "eventAttendanceMode",
        "eventSchedule",
        "eventStatus",
        "inLanguage",
        "isAccessibleForFree",
        "keywords",
        "location",
        "maximumAttendeeCapacity",
        "offers",
        "organizer",
        "performer",
        "previousStartDate",
        "remainingAttendeeCapacity",
        "startDate",
        "subEvent",
        "superEvent",
        "typicalAgeRange",
    },
    "Offer": THING
    | {
        "availability",
        "availabilityEnds",
        "availabilityStarts",
        "category",
        "eligibleRegion",
        "price",
        "priceCurrency",
        "priceSpecification",
        "seller",
        "validFrom",
        "validThrough",
    },
    "Schedule": THING
    | {
        "byDay",
        "byMonth",
        "byMonthDay",
        "byMonthWeek",
        "duration",
        "endDate",
        "endTime",
        "exceptDate",
        "repeatCount",
        "repeatFrequency",
        "scheduleTimezone",
        "startDate",
        "startTime",
    },
}
#: Properties whose value is text (or a list of texts) by schema.org's ranges.
TEXT = {"name", "description", "telephone", "email", "openingHours", "streetAddress"}


def violations(data, path="") -> list[str]:
    """Properties of ``data`` (and of every object in it) that its ``@type`` does not have."""
    found = []
    if isinstance(data, list):
        for index, item in enumerate(data):
            found += violations(item, f"{path}[{index}]")
        return found
    if not isinstance(data, dict):
        return found
    kind = data.get("@type")
    allowed = ALLOWED.get(kind)
    if allowed is None:
        return [f"{path or '/'}: unknown type {kind!r}"]
    for key, value in data.items():
        if key in ("@type", "@context"):
            continue
        if key not in allowed:
            found.append(f"{path}/{key}: not a property of {kind}")
        if key in TEXT and not all(isinstance(v, str) and v for v in _values(value)):
            found.append(f"{path}/{key}: expected text, got {value!r}")
        found += violations(value, f"{path}/{key}")
    return found


def _values(value):
    return value if isinstance(value, list) else [value]


def json_ld(client, place) -> dict:
    html = client.get(place.url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_the_checker_finds_a_property_of_another_type():
    assert violations({"@type": "Place", "email": "a@example.org"}) == [
        "/email: not a property of Place"
    ]
    assert violations({"@type": "Place", "address": {"@type": "PostalAddress", "geo": 1}}) == [
        "/address/geo: not a property of PostalAddress"
    ]
    assert violations({"@type": "Product"}) == ["/: unknown type 'Product'"]


def test_a_place_without_opening_hours_has_place_properties_only(client, region):
    place = PlacePageFactory(
        parent=region,
        title="Alte Mühle",
        teaser="Werkstätten in der Mühle.",
        street="Mühlenweg 2",
        email="muehle@example.org",
        phone="039089 1",
        website="https://muehle.example.org",
        opening_hours="",
    )
    data = json_ld(client, place)
    assert data["@type"] == "Place"
    assert violations(data) == []
    # e-mail is a property of Organization (LocalBusiness), not of Place
    assert "email" not in data
    assert data["telephone"] == "039089 1"
    assert data["sameAs"] == ["https://muehle.example.org"]


def test_a_place_with_opening_hours_is_a_local_business_with_valid_objects(client, region):
    place = PlacePageFactory(
        parent=region,
        title="Hofcafé",
        teaser="Kuchen und Kunst.",
        street="Dorfstraße 1",
        postcode="39615",
        municipality="Seehausen",
        email="cafe@example.org",
        opening_hours="Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off",
    )
    PlaceLink.objects.create(page=place, platform="instagram", url="https://instagram.com/cafe")
    data = json_ld(client, place)
    assert data["@type"] == "LocalBusiness"
    assert violations(data) == []
    assert data["email"] == "cafe@example.org"
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert [
        (spec["dayOfWeek"], spec["opens"], spec["closes"])
        for spec in data["openingHoursSpecification"]
    ] == [
        (weekdays, "09:00", "17:00"),
        (["Saturday"], "10:00", "14:00"),
        (["PublicHolidays"], "00:00", "00:00"),
    ]
    assert data["address"]["@type"] == "PostalAddress"
    assert data["geo"]["@type"] == "GeoCoordinates"


def test_a_later_rule_wins_on_its_days_for_search_engines_too(client, region):
    """OSM's ``Mo-Su 10:00-18:00; Mo off`` is closed on Monday: the JSON-LD says so (the
    text form ``openingHours`` gave ``Mo-Su 10:00-18:00``, open every day)."""
    place = PlacePageFactory(
        parent=region, title="Hofladen", opening_hours="Mo-Su 10:00-18:00; Mo off"
    )
    data = json_ld(client, place)
    assert violations(data) == []
    assert "openingHours" not in data
    by_day = {
        day: (spec["opens"], spec["closes"])
        for spec in data["openingHoursSpecification"]
        for day in spec["dayOfWeek"]
    }
    assert by_day["Monday"] == ("00:00", "00:00")
    assert by_day["Sunday"] == ("10:00", "18:00")


def test_seasonal_opening_hours_are_kept_as_valid_specifications(client, region):
    """``places.opening_hours.opening_hours_specification`` gives seasonal rules with
    ``validFrom``/``validThrough``; they stay, and stay valid."""
    place = PlacePageFactory(
        parent=region, title="Sommergarten", opening_hours="Apr-Oct Sa,Su 10:00-18:00"
    )
    data = json_ld(client, place)
    assert violations(data) == []
    assert data.get("openingHours") or data.get("openingHoursSpecification")
    for specification in data.get("openingHoursSpecification", []):
        assert specification["@type"] == "OpeningHoursSpecification"
