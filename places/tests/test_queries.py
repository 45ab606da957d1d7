from decimal import Decimal

from django.http import QueryDict

import pytest

from places.factories import PlacePageFactory
from places.models import Category, Offer, PlacePage
from places.queries import FilterError, parse_place_filters
from regions.factories import RegionPageFactory


def filtered_titles(query_string, **kwargs):
    filters = parse_place_filters(QueryDict(query_string), **kwargs)
    return sorted(p.title for p in filters.apply(PlacePage.objects.visible()))


@pytest.fixture
def places(region, home_page):
    work = Category.objects.get(slug="arbeiten-wirtschaft")
    living = Category.objects.get(slug="wohnen-bauen")
    coworking = Offer.objects.get(slug="coworking")
    hof = PlacePageFactory(
        parent=region, title="Hof A", categories=[work, living], municipality="Salzwedel"
    )
    hof.offers.set([coworking])
    hof.tags.add("Makerspace")
    hof.save_revision().publish()
    PlacePageFactory(
        parent=region,
        title="Hof B",
        categories=[living],
        status="im-aufbau",
        municipality="Stendal",
        latitude=Decimal("52.6"),
        longitude=Decimal("11.86"),
    )
    other = RegionPageFactory(parent=home_page, title="Saale-Unstrut", slug="saale-unstrut")
    PlacePageFactory(
        parent=other,
        title="Weinberghaus",
        categories=[work],
        latitude=Decimal("51.15"),
        longitude=Decimal("11.81"),
    )
    PlacePageFactory(parent=region, title="Entwurf", categories=[work], live=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Hof A", "Hof B", "Weinberghaus"]),
        ("region=altmark", ["Hof A", "Hof B"]),
        ("category=arbeiten-wirtschaft", ["Hof A", "Weinberghaus"]),
        ("category=arbeiten-wirtschaft&region=altmark", ["Hof A"]),
        ("category=arbeiten-wirtschaft&category=wohnen-bauen", ["Hof A", "Hof B", "Weinberghaus"]),
        ("offer=coworking", ["Hof A"]),
        ("tag=makerspace", ["Hof A"]),
        ("status=im-aufbau", ["Hof B"]),
        ("municipality=stendal", ["Hof B"]),
        ("region=altmark,saale-unstrut&status=aktiv", ["Hof A", "Weinberghaus"]),
    ],
)
def test_filters_combine_as_documented(places, query, expected):
    assert filtered_titles(query) == expected


@pytest.mark.django_db
def test_bbox_selects_places_inside_the_box(places):
    assert filtered_titles("bbox=11.5,52.4,12.0,52.8", allow_bbox=True) == ["Hof B"]


@pytest.mark.django_db
def test_text_query_narrows_and_ranks(places):
    assert filtered_titles("q=Weinberghaus") == ["Weinberghaus"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("category=kochen", "category", "Unbekannte(r) Themenfeld: kochen"),
        ("region=harz", "region", "Region: harz"),
        ("offer=sauna", "offer", "Angebot: sauna"),
        ("tag=gibtsnicht", "tag", "Unbekanntes Schlagwort"),
        ("status=geschlossen", "status", "Erlaubt: aktiv, im-aufbau"),
        ("q=" + "x" * 300, "q", "höchstens 200 Zeichen"),
        ("bbox=1,2,3", "bbox", "vier Zahlen"),
        ("bbox=a,b,c,d", "bbox", "Zahlen"),
        ("bbox=12,52,11,53", "bbox", "Minimum vor dem Maximum"),
        ("bbox=200,52,201,53", "bbox", "-180 und 180"),
        ("bbox=NaN,52,11,53", "bbox", "Zahlen"),
        ("category=" + ",".join(f"c{i}" for i in range(25)), "category", "Höchstens 20"),
    ],
)
def test_bad_filter_values_are_reported_never_ignored(places, query, parameter, message):
    with pytest.raises(FilterError) as excinfo:
        parse_place_filters(QueryDict(query), allow_bbox=True)
    assert message in excinfo.value.errors[parameter]


@pytest.mark.django_db
def test_bbox_is_refused_where_it_is_not_offered(places):
    with pytest.raises(FilterError, match="nur in der API"):
        parse_place_filters(QueryDict("bbox=11,52,12,53"))


@pytest.mark.django_db
def test_as_query_dict_round_trips(places):
    filters = parse_place_filters(
        QueryDict("region=altmark&category=wohnen-bauen&q=Hof&bbox=11,52,12,53"), allow_bbox=True
    )
    again = parse_place_filters(
        QueryDict("&".join(f"{k}={v}" for k, vs in filters.as_query_dict().items() for v in vs)),
        allow_bbox=True,
    )
    assert again.as_query_dict() == filters.as_query_dict()
