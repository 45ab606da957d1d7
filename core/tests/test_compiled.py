"""``CompiledQuery`` gives what its queryset gives, with the SQL the ORM writes for it."""

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Value
from django.test.utils import CaptureQueriesContext

import pytest

from core.compiled import CompiledQuery
from core.factories import CustomImageFactory
from core.visibility import restricted_q
from places.models import Category, Offer, PlaceLink, PlacePage

pytestmark = pytest.mark.django_db


def _place_at(url_path):
    return (
        PlacePage.objects.filter(url_path=url_path)
        .select_related("hero_image", "actor_type")
        .annotate(restricted=ExpressionWrapper(restricted_q(), output_field=BooleanField()))
        .order_by("path")
    )


def _run(query, queryset, **values):
    """Both results and the SQL each ran."""
    with CaptureQueriesContext(connection) as compiled:
        found = query(**values)
    with CaptureQueriesContext(connection) as orm:
        expected = list(queryset)
    return found, expected, [q["sql"] for q in compiled], [q["sql"] for q in orm]


def test_model_instances_with_joined_rows_and_annotations_as_the_queryset_makes_them(place):
    place.hero_image = CustomImageFactory()
    place.save()
    query = CompiledQuery(_place_at, url_path=str)
    for url_path in (place.url_path, place.get_parent().url_path, "/gibt/es/nicht/"):
        found, expected, sql, orm_sql = _run(query, _place_at(url_path), url_path=url_path)
        assert sql == orm_sql  # one query, the ORM's own
        assert [p.pk for p in found] == [p.pk for p in expected]
    [found] = query(url_path=place.url_path)
    [expected] = _place_at(place.url_path)
    with CaptureQueriesContext(connection) as queries:
        for field in PlacePage._meta.concrete_fields:
            assert getattr(found, field.attname) == getattr(expected, field.attname), field
        assert list(found.story.raw_data) == list(expected.story.raw_data)
        assert found.hero_image == expected.hero_image
        assert found.hero_image.file == expected.hero_image.file
        assert found.restricted is expected.restricted is False
        assert found._state.adding is False and found._state.db == expected._state.db
    assert not queries  # joined as select_related joins them


def test_values_of_a_union_as_the_queryset_gives_them(place):
    def relations(page):
        return (
            Category.objects.filter(places=page)
            .values_list(Value("category"), "pk", "name")
            .order_by()
            .union(
                Offer.objects.filter(places=page).values_list(Value("offer"), "pk", "name"),
                PlaceLink.objects.filter(page=page).values_list(Value("link"), "pk", "url"),
                all=True,
            )
        )

    place.offers.add(Offer.objects.order_by("pk").first())
    place.save()  # the relation is kept in memory until then (modelcluster)
    PlaceLink.objects.create(page=place, platform="instagram", url="https://example.org/x")
    query = CompiledQuery(relations, page=int)
    found, expected, sql, orm_sql = _run(query, relations(place.pk), page=place.pk)
    assert sorted(found) == sorted(expected) and len(found) >= 3
    assert sql == orm_sql


def test_a_value_the_orm_rewrites_is_refused():
    query = CompiledQuery(
        lambda prefix: PlacePage.objects.filter(path__startswith=prefix), prefix=str
    )
    with pytest.raises(ValueError, match="prefix"):
        query(prefix="0001")
