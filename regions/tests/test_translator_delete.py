"""The translators' browsing grant (``bulk_delete`` on the German region page,
``regions.translation``) never deletes anything: a person in both the region's editors' group
and its translators' group cannot delete an unpublished German page with its children – which
the editors' group alone could not either – in the delete view or the bulk delete, while
translators still browse their region's German pages with „Übersetzen“."""

from django.urls import reverse

from wagtail.models import Page

import pytest

from events.factories import EventPageFactory
from places.factories import PlacePageFactory
from regions.onboarding import ensure_portal_team, onboard_region
from regions.translation import deletes_only_through_browsing_grant

from .test_isolation_translation import _refused, submit_url


@pytest.fixture
def altmark(region, django_user_model):
    """The Altmark with an unpublished place that has an unpublished event, an unpublished
    place without children, and an editor who is also the region's translator."""
    result = onboard_region("Altmark", slug="altmark")
    place = PlacePageFactory(parent=result.region, title="Scheune im Bau", slug="scheune")
    EventPageFactory(parent=place, title="Richtfest", slug="richtfest")
    leaf = PlacePageFactory(parent=result.region, title="Leerer Entwurf", slug="leer")
    Page.objects.filter(pk__in=[place.pk, leaf.pk]).update(live=False)
    Page.objects.filter(pk__in=place.get_descendants().values("pk")).update(live=False)
    place.refresh_from_db()
    leaf.refresh_from_db()
    people = {}
    for name, groups in (
        ("editor", [result.editors_group]),
        ("both", [result.editors_group, result.translators_group]),
        ("translator", [result.translators_group]),
        ("portal", [ensure_portal_team()]),
    ):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw-123456")
        user.groups.add(*groups)
        people[name] = user
    return {"region": result.region, "place": place, "leaf": leaf, **people}


def exists(page) -> bool:
    return Page.objects.filter(pk=page.pk).exists()


def bulk_delete_url(page):
    return reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete")) + (
        f"?id={page.pk}"
    )


def test_the_editors_group_alone_cannot_delete_a_page_with_children(altmark):
    assert not altmark["place"].permissions_for_user(altmark["editor"]).can_delete()


def test_editor_and_translator_cannot_delete_a_page_with_children(client, altmark):
    place, both = altmark["place"], altmark["both"]
    assert deletes_only_through_browsing_grant(both, place)
    client.force_login(both)
    delete_url = reverse("wagtailadmin_pages:delete", args=[place.pk])

    _refused(client.get(delete_url))
    _refused(client.post(delete_url))
    assert exists(place)


def test_editor_and_translator_cannot_bulk_delete_a_page_with_children(client, altmark):
    place = altmark["place"]
    client.force_login(altmark["both"])
    confirmation = client.get(bulk_delete_url(place))
    assert confirmation.status_code == 200
    assert 'type="submit"' not in confirmation.content.decode()  # nothing to delete here
    client.post(bulk_delete_url(place), {"confirm_site_name": "Kreativorte im Grünen"})
    assert exists(place)
    assert exists(place.get_children().get())


def test_editor_and_translator_still_delete_what_the_editors_group_may(client, altmark):
    leaf, both = altmark["leaf"], altmark["both"]
    leaf.owner = both
    leaf.save()
    assert leaf.permissions_for_user(altmark["editor"]).can_delete()
    client.force_login(both)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[leaf.pk]))
    assert response.status_code == 302
    assert not exists(leaf)


def test_the_portal_team_still_deletes_pages_with_children(client, altmark):
    place, portal = altmark["place"], altmark["portal"]
    assert not deletes_only_through_browsing_grant(portal, place)
    client.force_login(portal)
    client.post(bulk_delete_url(place), {"confirm_site_name": "Kreativorte im Grünen"})
    assert not exists(place)


def test_translators_still_browse_the_german_pages_with_translate(client, altmark):
    for name in ("translator", "both"):
        client.force_login(altmark[name])
        explorer = client.get(reverse("wagtailadmin_explore", args=[altmark["region"].pk]))
        assert explorer.status_code == 200
        html = explorer.content.decode()
        assert "Scheune im Bau" in html
        assert submit_url(altmark["place"]) in html
        assert client.get(submit_url(altmark["place"])).status_code == 200
