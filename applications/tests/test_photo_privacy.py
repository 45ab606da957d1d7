"""Applicants' photos: private until their place is published, gone with their application.

- Converted photos sit in the restricted collection „Bewerbungsfotos (nicht öffentlich)“
  below the region's collection: not in /api/v2/images/, usable by the region's editors.
- Publishing the place moves the photos it shows into the region's collection.
- A draft that is never published loses its photos to the retention purge.
- Files of deleted or anonymised applications are deleted after the commit; private files
  and folders are owner-only.
"""

import os
import stat
from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Collection

import pytest

from applications.conversion import convert_to_draft
from applications.factories import ApplicationFactory, ApplicationPhotoFactory, png_upload
from applications.models import Application, ApplicationPhoto
from applications.photos import PRIVATE_COLLECTION_NAME
from applications.privacy import anonymise
from regions.onboarding import onboard_region

from .test_photos import with_photo

pytestmark = pytest.mark.django_db

Image = get_image_model()


def api_image_ids(client) -> set[int]:
    response = client.get("/api/v2/images/?limit=100")
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def converted(application, user, photos=2):
    for number in range(photos):
        ApplicationPhotoFactory(
            application=application, description=f"Foto {number}", sort_order=number
        )
    return convert_to_draft(application, user)


def publish(page, user):
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    draft.latitude, draft.longitude = Decimal("52.850000"), Decimal("11.150000")
    draft.save_revision(user=user).publish(user=user)


def file_paths(images):
    return [image.file.path for image in images]


def test_converted_photos_stay_out_of_the_api_until_the_place_is_published(
    client, altmark, altmark_editor, application
):
    page = converted(application, altmark_editor)
    images = list(Image.objects.all())
    assert len(images) == 2
    for image in images:
        assert image.collection.name == PRIVATE_COLLECTION_NAME
        assert image.collection.get_parent().name == "Altmark"
        assert image.collection.get_view_restrictions().exists()
    assert not api_image_ids(client) & {image.pk for image in images}
    for image in images:
        assert client.get(f"/api/v2/images/{image.pk}/").status_code == 404

    publish(page, altmark_editor)
    region_collection = Collection.objects.get(name="Altmark")
    for image in images:
        image.refresh_from_db()
        assert image.collection == region_collection
    assert {image.pk for image in images} <= api_image_ids(client)


def test_publishing_moves_only_the_photos_the_page_shows(altmark, altmark_editor, application):
    page = converted(application, altmark_editor)
    draft = page.get_latest_revision_as_object()
    left_out = draft.gallery_images.first().image
    draft.gallery_images = []  # the editor did not want the second photo on the page
    draft.latitude, draft.longitude = Decimal("52.850000"), Decimal("11.150000")
    draft.save_revision(user=altmark_editor)
    publish(page, altmark_editor)
    page.refresh_from_db()
    assert page.hero_image.collection.name == "Altmark"
    left_out.refresh_from_db()
    assert left_out.collection.name == PRIVATE_COLLECTION_NAME


def test_photos_of_a_draft_never_published_are_removed_by_the_retention_purge(
    altmark, altmark_editor, application, django_capture_on_commit_callbacks
):
    page = converted(application, altmark_editor)
    # The draft was rejected in moderation and never published.
    images = list(Image.objects.all())
    paths = file_paths(images)
    assert all(os.path.exists(path) for path in paths)
    long_ago = timezone.now() - timedelta(days=200)
    Application.objects.filter(pk=application.pk).update(converted_at=long_ago)
    Image.objects.update(created_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_applications", stdout=StringIO())
    # The draft still shows them: the editors' work is kept while the draft exists.
    assert Image.objects.count() == 2
    page.refresh_from_db()
    assert not page.live  # the draft itself is the editors' to delete

    page.delete()  # the editors give up the draft
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_applications", stdout=StringIO())
    assert not Image.objects.exists()
    assert not any(os.path.exists(path) for path in paths)


def age(application):
    long_ago = timezone.now() - timedelta(days=200)
    Application.objects.filter(pk=application.pk).update(converted_at=long_ago)
    Image.objects.update(created_at=long_ago)


def test_the_purge_keeps_private_photos_a_draft_or_another_page_still_uses(
    altmark, altmark_editor, application, django_capture_on_commit_callbacks
):
    page = converted(application, altmark_editor, photos=4)
    draft = page.get_latest_revision_as_object()
    gallery = [row.image for row in draft.gallery_images.all()]
    shown, elsewhere, unused = (image for image in gallery if image.pk != page.hero_image_id)
    draft.gallery_images = [row for row in draft.gallery_images.all() if row.image == shown]
    draft.latitude, draft.longitude = Decimal("52.850000"), Decimal("11.150000")
    draft.save_revision(user=altmark_editor)
    # An editor put another photo on the (live) region page.
    altmark.refresh_from_db()
    altmark.hero_image = elsewhere
    altmark.save()
    age(application)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_applications", stdout=StringIO())
    remaining = set(Image.objects.values_list("pk", flat=True))
    assert {page.hero_image_id, shown.pk, elsewhere.pk} <= remaining
    assert unused.pk not in remaining
    altmark.refresh_from_db()
    assert altmark.hero_image_id == elsewhere.pk


def test_anonymising_keeps_the_photos_the_draft_shows(
    altmark, altmark_editor, application, django_capture_on_commit_callbacks
):
    page = converted(application, altmark_editor)
    draft = page.get_latest_revision_as_object()
    unused = draft.gallery_images.first().image
    draft.gallery_images = []
    draft.latitude, draft.longitude = Decimal("52.850000"), Decimal("11.150000")
    draft.save_revision(user=altmark_editor)
    with django_capture_on_commit_callbacks(execute=True):
        anonymise(application)
    assert not Image.objects.filter(pk=unused.pk).exists()
    hero = page.get_latest_revision_as_object().hero_image
    assert Image.objects.filter(pk=hero.pk).exists()
    assert os.path.exists(hero.file.path)


def test_a_published_photo_survives_the_purge(
    altmark, altmark_editor, application, django_capture_on_commit_callbacks
):
    page = converted(application, altmark_editor, photos=1)
    publish(page, altmark_editor)
    long_ago = timezone.now() - timedelta(days=200)
    Application.objects.filter(pk=application.pk).update(converted_at=long_ago)
    Image.objects.update(created_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_applications", stdout=StringIO())
    image = Image.objects.get()
    assert os.path.exists(image.file.path)
    application.refresh_from_db()
    assert application.anonymised_at is not None


def test_region_editors_see_and_use_the_private_photos(client, home_page, django_user_model):
    altmark = onboard_region("Altmark", publish=True, editors=["redaktion@altmark.example"])
    harz = onboard_region("Harz", publish=True, editors=["redaktion@harz.example"])
    editor = django_user_model.objects.get(email="redaktion@altmark.example")
    other = django_user_model.objects.get(email="redaktion@harz.example")
    application = ApplicationFactory(region=altmark.region)
    ApplicationPhotoFactory(application=application, description="Scheune")
    moderator = django_user_model.objects.create_user("mod", "m@altmark.example", "pw-mod-1")
    moderator.groups.add(altmark.moderators_group)
    page = convert_to_draft(application, moderator)
    image = page.hero_image
    assert image.collection.name == PRIVATE_COLLECTION_NAME

    client.force_login(editor)
    assert client.get(f"/admin/images/{image.pk}/").status_code == 200
    chooser = client.get("/admin/images/chooser/results/").content.decode()
    assert image.title in chooser
    edit = client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit.status_code == 200

    outsider = Client()
    outsider.force_login(other)
    assert image.title not in outsider.get("/admin/images/chooser/results/").content.decode()
    assert harz.collection != image.collection.get_parent()


def test_deleting_an_application_deletes_its_photo_files(
    post, altmark, categories, altmark_editor, private_media, django_capture_on_commit_callbacks
):
    post(with_photo(altmark, categories, png_upload()))
    application = Application.objects.get()
    path = private_media / ApplicationPhoto.objects.get().file.name
    assert path.exists()
    client = Client()
    client.force_login(altmark_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/applications/application/delete/{application.pk}/")
    assert response.status_code == 302
    assert not Application.objects.exists()
    assert not path.exists()


def test_a_queryset_delete_deletes_the_files_too_but_only_after_the_commit(
    post, altmark, categories, private_media, django_capture_on_commit_callbacks
):
    for number in range(2):
        post(with_photo(altmark, categories, png_upload(), email=f"a{number}@example.org"))
    paths = [private_media / photo.file.name for photo in ApplicationPhoto.objects.all()]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Application.objects.all().delete()
    assert all(path.exists() for path in paths)  # not yet committed: a rollback keeps them
    for callback in callbacks:
        callback()
    assert not any(path.exists() for path in paths)


def test_deleting_an_application_deletes_its_unpublished_images_but_not_its_drafts(
    altmark, altmark_editor, application, django_capture_on_commit_callbacks
):
    page = converted(application, altmark_editor)
    draft = page.get_latest_revision_as_object()
    unused = draft.gallery_images.first().image
    draft.gallery_images = []
    draft.latitude, draft.longitude = Decimal("52.850000"), Decimal("11.150000")
    draft.save_revision(user=altmark_editor)
    unused_path = unused.file.path
    with django_capture_on_commit_callbacks(execute=True):
        application.delete()
    assert not Image.objects.filter(pk=unused.pk).exists()
    assert not os.path.exists(unused_path)
    # The hero image the draft still shows stays, private, for the draft.
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().hero_image.collection.name == (
        PRIVATE_COLLECTION_NAME
    )


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_private_photos_and_their_folders_are_owner_only(post, altmark, categories, private_media):
    private_media.mkdir(mode=0o755, parents=True)
    os.chmod(private_media, 0o755)  # an older installation's folder
    old_umask = os.umask(0o022)
    try:
        post(with_photo(altmark, categories, png_upload()))
    finally:
        os.umask(old_umask)
    path = private_media / ApplicationPhoto.objects.get().file.name
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(private_media) == 0o700


def test_a_big_photo_is_owner_only_too(post, altmark, categories, private_media, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # streamed to a temporary file, then moved
    post(with_photo(altmark, categories, png_upload(width=300, height=200)))
    path = private_media / ApplicationPhoto.objects.get().file.name
    assert mode(path) == 0o600


def test_the_migration_hides_photos_of_drafts_converted_before_it(
    altmark, altmark_editor, categories
):
    """Installations that converted before this release: their drafts' photos get private."""
    migration = import_module("applications.migrations.0003_private_application_photos")
    region_collection = Collection.get_first_root_node().add_child(name="Altmark")
    draft_app, live_app = (ApplicationFactory(region=altmark) for _ in range(2))
    draft_page, live_page = (
        converted(app, altmark_editor, photos=1) for app in (draft_app, live_app)
    )
    publish(live_page, altmark_editor)
    # As the former conversion left them: in the region's own collection.
    Image.objects.update(collection=region_collection)
    Collection.objects.filter(name=PRIVATE_COLLECTION_NAME).delete()
    moved_by_editor = ApplicationPhotoFactory(application=draft_app, sort_order=5)
    other = Collection.get_first_root_node().add_child(name="Sonstiges")
    moved_by_editor.image = Image.objects.create(
        title="verschoben", file=moved_by_editor.file.name, collection=other, width=1, height=1
    )
    moved_by_editor.save()

    state = MigrationLoader(connection).project_state(
        ("applications", "0003_private_application_photos")
    )
    migration.hide_unpublished_photos(state.apps, None)
    migration.hide_unpublished_photos(state.apps, None)  # idempotent

    draft_page.refresh_from_db()
    live_page.refresh_from_db()
    hidden = Image.objects.get(pk=draft_page.hero_image_id)
    assert hidden.collection.name == PRIVATE_COLLECTION_NAME
    assert hidden.collection.get_parent() == region_collection
    assert hidden.collection.get_view_restrictions().exists()
    assert Collection.objects.filter(name=PRIVATE_COLLECTION_NAME).count() == 1
    assert Image.objects.get(pk=live_page.hero_image_id).collection == region_collection
    assert Image.objects.get(title="verschoben").collection == other
    assert all(not problems for problems in Collection.find_problems())  # a sound tree
    region_collection.refresh_from_db()
    assert region_collection.get_children().get() == hidden.collection


def test_converted_image_files_cannot_be_guessed_from_the_place_name(
    altmark, altmark_editor, application
):
    """Renditions are served from /media/images/ by name: a private image's name is random."""
    first = converted(application, altmark_editor, photos=1).hero_image
    second_application = ApplicationFactory(region=altmark, place_name=application.place_name)
    second = converted(second_application, altmark_editor, photos=1).hero_image
    names = [os.path.basename(image.file.name) for image in (first, second)]
    stem = names[0].rsplit("-", 2)[0]
    assert names[0] != f"{stem}-1.png" and names[1] != f"{stem}-1.png"
    assert len(names[0].rsplit("-", 1)[1].split(".")[0]) == 16


def test_the_migration_leaves_a_photo_another_live_page_shows(altmark, altmark_editor):
    migration = import_module("applications.migrations.0003_private_application_photos")
    region_collection = Collection.get_first_root_node().add_child(name="Altmark")
    draft_page = converted(ApplicationFactory(region=altmark), altmark_editor, photos=1)
    Image.objects.update(collection=region_collection)
    Collection.objects.filter(name=PRIVATE_COLLECTION_NAME).delete()
    altmark.refresh_from_db()
    altmark.hero_image_id = draft_page.hero_image_id  # an editor used it on the region page
    altmark.save_revision(user=altmark_editor).publish(user=altmark_editor)

    state = MigrationLoader(connection).project_state(
        ("applications", "0003_private_application_photos")
    )
    migration.hide_unpublished_photos(state.apps, None)
    assert Image.objects.get(pk=draft_page.hero_image_id).collection == region_collection
