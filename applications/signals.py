"""Files and images go with their records: photos of applications are personal data.

- An application photo's file is deleted once the deletion of its row is committed, however
  the row goes: one application, a queryset, the cascade from its application, the
  anonymisation (a rolled-back deletion keeps the file).
- Deleting an application also deletes the images made from its photos that were never
  published (photos.py); images its draft still shows stay private for the draft and are
  removed by the retention purge if the draft is not published in time.
"""

from __future__ import annotations

from django.db import transaction

from wagtail.models import Page

from .photos import delete_private_images, images_on


def delete_photo_file(sender, instance, **kwargs) -> None:
    """post_delete of ApplicationPhoto."""
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    transaction.on_commit(lambda: storage.delete(name))


def delete_unpublished_images(sender, instance, **kwargs) -> None:
    """pre_delete of Application (its photos still exist and name their images)."""
    image_ids = [pk for pk in instance.photos.values_list("image_id", flat=True) if pk]
    if not image_ids:
        return
    keep = set()
    # From the database: the instance may predate its conversion.
    place_id = type(instance).objects.filter(pk=instance.pk).values_list("place_id", flat=True)
    page = Page.objects.filter(pk__in=place_id).first()
    if page is not None:
        keep = images_on(page.specific.get_latest_revision_as_object())
    delete_private_images(image_ids, keep=keep)
