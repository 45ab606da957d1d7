"""The editors' dashboard lists their region's places that need attention."""

from datetime import timedelta

from django.utils import timezone

from core.factories import CustomImageFactory
from places.factories import PlacePageFactory
from regions.components import places_needing_attention
from regions.onboarding import onboard_region, regions_for_user


def test_dashboard_lists_stale_and_incomplete_places_of_the_own_region_only(
    client, region, django_user_model, django_assert_max_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    altmark = onboard_region("Altmark", slug="altmark")
    harz = onboard_region("Harz", publish=True)
    today = timezone.localdate()
    fresh = PlacePageFactory(
        parent=region,
        title="Frischer Hof",
        last_checked=today,
        hero_image=CustomImageFactory(),
        email="hof@example.org",
    )
    PlacePageFactory(parent=region, title="Alter Hof", last_checked=today - timedelta(days=400))
    PlacePageFactory(
        parent=region,
        title="Hof ohne Punkt",
        live=False,  # a draft, e.g. from an application, may lack its point
        last_checked=today,
        latitude=None,
        longitude=None,
        hero_image=fresh.hero_image,
        phone="123",
    )
    PlacePageFactory(parent=harz.region, title="Harzer Hof ohne alles")

    editor = django_user_model.objects.create_user("ed", "ed@example.org", "x")
    editor.groups.add(altmark.editors_group)
    assert list(regions_for_user(editor)) == [region]

    with django_assert_max_num_queries(3):
        rows, total = places_needing_attention([region])
    assert total == 2
    problems = {place.title: items for place, _, items in rows}
    assert set(problems) == {"Alter Hof", "Hof ohne Punkt"}
    assert any("zuletzt geprüft" in str(p) for p in problems["Alter Hof"])
    assert {str(p) for p in problems["Alter Hof"]} >= {"kein Titelbild", "kein Kontakt"}
    assert [str(p) for p in problems["Hof ohne Punkt"]] == ["keine Koordinaten"]

    client.force_login(editor)
    content = client.get("/admin/").content.decode()
    assert "data-freshness-panel" in content
    assert "Alter Hof" in content and "Hof ohne Punkt" in content
    assert "Frischer Hof" not in content
    assert "Harzer Hof ohne alles" not in content

    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "x")
    client.force_login(admin)
    content = client.get("/admin/").content.decode()
    assert "Harzer Hof ohne alles" in content and "Alter Hof" in content


def test_users_without_region_rights_see_no_panel(client, region, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("nur", "nur@example.org", "x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert "data-freshness-panel" not in client.get("/admin/").content.decode()
