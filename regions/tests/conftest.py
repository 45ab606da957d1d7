from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import override_settings

from wagtail.documents import get_document_model

import pytest

from core.factories import CustomImageFactory
from places.factories import PlacePageFactory
from regions.onboarding import onboard_region
from tests.fixtures import fresh, make_home_page, make_region


def make_two_regions() -> dict:
    """Altmark and Harz onboarded, each with an editor and a moderator, and Altmark content:
    a live place with a newer draft, an unpublished place, an image and a document. Needs the
    Altmark's region page (``make_region``) and ``MEDIA_ROOT`` set."""
    altmark = onboard_region("Altmark", slug="altmark")
    harz = onboard_region("Harz", publish=True)
    users = {}
    for key, group in [
        ("altmark_editor", altmark.editors_group),
        ("altmark_moderator", altmark.moderators_group),
        ("harz_editor", harz.editors_group),
        ("harz_moderator", harz.moderators_group),
    ]:
        user = get_user_model().objects.create_user(key, f"{key}@example.org", "pw-123456")
        user.groups.add(group)
        users[key] = user

    live_place = PlacePageFactory(parent=altmark.region, title="Gutshof Altmark", slug="gutshof")
    draft = live_place.get_latest_revision_as_object()
    draft.title = "Geheimer Entwurfstitel"
    draft.teaser = "Geheimer Entwurfstext der Altmark"
    draft.save_revision(user=users["altmark_editor"])
    live_place.refresh_from_db()

    unpublished = PlacePageFactory(
        parent=altmark.region, title="Unveröffentlichter Altmark-Ort", slug="unveroeffentlicht"
    )
    unpublished.unpublish()
    unpublished.save_revision(user=users["altmark_editor"])

    harz_place = PlacePageFactory(parent=harz.region, title="Harzer Hof", slug="harzer-hof")

    image = CustomImageFactory(title="Altmark-Foto", collection=altmark.collection)
    harz_image = CustomImageFactory(title="Harz-Foto", collection=harz.collection)
    document = get_document_model()(title="Altmark-Dokument", collection=altmark.collection)
    document.file.save("altmark.txt", ContentFile(b"Altmark"), save=True)
    return {
        "altmark": altmark,
        "harz": harz,
        "live_place": live_place,
        "unpublished": unpublished,
        "harz_place": harz_place,
        "image": image,
        "harz_image": harz_image,
        "document": document,
        **users,
    }


@pytest.fixture(scope="module")
def two_regions_once(module_db, tmp_path_factory):
    """``make_two_regions`` made once for a test module (``tests.fixtures.module_db``)."""
    media = tmp_path_factory.mktemp("two-regions") / "media"
    with module_db(), override_settings(MEDIA_ROOT=media):
        make_region(make_home_page())
        made = make_two_regions()
    return made, media


@pytest.fixture
def two_regions(two_regions_once, db, settings):
    """``make_two_regions`` for a test: made once for its module, fresh instances for each
    test; what a test changes rolls back with it."""
    made, media = two_regions_once
    settings.MEDIA_ROOT = media
    return fresh(made)
