"""The demo regions (from ``load_demo``) are adopted by onboarding, never duplicated."""

from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail.models import WorkflowPage

from regions.models import RegionPage
from regions.onboarding import onboard_region


def test_onboarding_adopts_the_demo_regions(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--no-images", verbosity=0)
    german = RegionPage.objects.filter(locale__language_code="de")  # not the English twins
    regions = {region.slug: region.pk for region in german}
    assert {"altmark", "saale-unstrut"} <= set(regions)

    for name, slug in [("Altmark", "altmark"), ("Saale-Unstrut", "saale-unstrut")]:
        result = onboard_region(name, slug=slug)
        assert not result.region_created
        assert result.region.pk == regions[slug]
        assert WorkflowPage.objects.get(page=result.region).workflow.name == f"Freigabe {name}"

    assert {region.slug: region.pk for region in german.all()} == regions
    assert (
        Group.objects.filter(name__in=["Redaktion Altmark", "Moderation Saale-Unstrut"]).count()
        == 2
    )
    call_command("load_demo", "--no-images", verbosity=0)  # still idempotent afterwards
    assert german.count() == len(regions)
