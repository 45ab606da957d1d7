import pytest

from places.models import ActorType, Category, Offer


@pytest.mark.django_db
def test_the_three_fields_are_seeded():
    assert list(Category.objects.values_list("slug", "name")) == [
        ("wohnen-bauen", "Wohnen/Bauen"),
        ("arbeiten-wirtschaft", "Arbeiten/Wirtschaft"),
        ("leben-tourismus", "Leben/Tourismus"),
    ]
    assert Offer.objects.filter(slug="coworking").exists()
    assert ActorType.objects.filter(slug="verein").exists()


@pytest.mark.django_db
def test_portal_team_manages_reference_data_in_the_admin(admin_client):
    response = admin_client.get("/admin/places/category/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Arbeiten/Wirtschaft" in content
    response = admin_client.post(
        "/admin/places/offer/create/", {"name": "Kita", "slug": "kita", "sort_order": 20}
    )
    assert response.status_code == 302
    assert Offer.objects.filter(slug="kita", name="Kita").exists()


@pytest.mark.django_db
def test_reference_data_is_not_open_to_anonymous_visitors(client):
    response = client.get("/admin/places/category/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
