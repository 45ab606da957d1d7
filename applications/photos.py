"""Applicants' photos in the media library: private until their place is published.

The conversion (conversion.py) turns each photo into a Wagtail image in the collection
„Bewerbungsfotos (nicht öffentlich)“ below the region's collection. That collection has a
view restriction, so no public channel (API, pages, feeds, the static build) shows its
images, while the region's editors and moderators use them in the admin through the
permissions they hold on the region's collection (Wagtail applies those to its children).

When a page is published, the images it shows that still sit in such a collection move up
into the region's collection (:func:`publish_images_of`, called by ``publishing`` in the
publish's transaction): the moderator who published the page decided that they are public
now. Images that were never published are deleted with the application (anonymisation,
deletion) or, left without one, by the retention purge - but never one that a page still
uses (:func:`images_in_use`): an editor's draft or another page keeps it.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ForeignKey, Q
from django.utils import timezone

from modelcluster.models import get_all_child_relations
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex, Revision

from regions.onboarding import region_collection

PRIVATE_COLLECTION_NAME = "Bewerbungsfotos (nicht öffentlich)"


def private_collection(region) -> Collection:
    """The region's collection for applicants' photos, created (restricted) if missing."""
    parent = region_collection(region.title)
    collection = parent.get_children().filter(name=PRIVATE_COLLECTION_NAME).first()
    if collection is None:
        collection = parent.add_child(name=PRIVATE_COLLECTION_NAME)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    return collection


def private_collections():
    """Every collection for applicants' photos (by name, and only while restricted)."""
    return Collection.objects.filter(
        name=PRIVATE_COLLECTION_NAME, view_restrictions__isnull=False
    ).distinct()


def _is_image_model(model) -> bool:
    return isinstance(model, type) and issubclass(model, AbstractImage)


def images_on(instance) -> set[int]:
    """Ids of the images an object shows: image foreign keys, StreamField and rich text
    references, and the same in its child objects (the gallery)."""
    ids = set()
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if value in (None, ""):
            continue
        if isinstance(field, ForeignKey):
            if _is_image_model(field.related_model):
                ids.add(int(value))
            continue
        extract = getattr(field, "extract_references", None)
        if extract is not None:
            for model, object_id, _path, _content_path in extract(value):
                if _is_image_model(model) and str(object_id).isdigit():
                    ids.add(int(object_id))
    for relation in get_all_child_relations(type(instance)):
        for child in getattr(instance, relation.get_accessor_name()).all():
            ids |= images_on(child)
    return ids


def publish_images_of(page) -> None:
    """Move the private applicants' photos that ``page`` shows into their region's collection."""
    ids = images_on(page)
    if not ids:
        return
    images = get_image_model().objects.filter(pk__in=ids, collection__in=private_collections())
    for image in images.select_related("collection"):
        image.collection = image.collection.get_parent()
        image.save(update_fields=["collection"])


def images_in_use(image_ids) -> set[int]:
    """Those of ``image_ids`` that something still uses: the live version of a page (its
    gallery) or another object (a snippet) by Wagtail's reference index - not the
    applications themselves - and the latest revision of every page with a draft (the rows
    of a page that is not live are no longer what its editors work on)."""
    ids = {int(pk) for pk in image_ids}
    if not ids:
        return set()
    image_type = ContentType.objects.get_for_model(get_image_model())
    page_type = ContentType.objects.get_for_model(Page)
    references = (
        ReferenceIndex.objects.filter(
            to_content_type=image_type, to_object_id__in=[str(pk) for pk in ids]
        )
        .exclude(base_content_type__app_label="applications")
        .values_list("base_content_type_id", "object_id", "to_object_id")
    )
    pages = Page.objects.filter(Q(live=False) | Q(has_unpublished_changes=True))
    not_live = {str(pk) for pk in pages.filter(live=False).values_list("pk", flat=True)}
    used = {
        int(image_id)
        for base_type, object_id, image_id in references
        if not (base_type == page_type.pk and object_id in not_live)
    } & ids
    for revision in Revision.objects.filter(pk__in=pages.values("latest_revision")).iterator():
        used |= images_on(revision.as_object()) & ids
    return used


def delete_private_images(image_ids, keep=frozenset()) -> None:
    """Delete those of ``image_ids`` that are still private (never published), except ``keep``
    and those a page still uses (:func:`images_in_use`).

    Wagtail deletes the files and renditions once the transaction commits."""
    candidates = set(
        get_image_model()
        .objects.filter(pk__in=set(image_ids) - set(keep), collection__in=private_collections())
        .values_list("pk", flat=True)
    )
    for image in get_image_model().objects.filter(pk__in=candidates - images_in_use(candidates)):
        image.delete()


def purge_unpublished_images(days: int) -> None:
    """Private applicants' photos older than the retention period that no page uses: their
    place was never published in time and the draft no longer shows them (or is gone)."""
    cutoff = timezone.now() - timedelta(days=days)
    ids = (
        get_image_model()
        .objects.filter(collection__in=private_collections(), created_at__lt=cutoff)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        delete_private_images(list(ids))
