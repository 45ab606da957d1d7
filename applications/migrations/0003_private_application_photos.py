"""Photos of applications converted before this release sit in the region's public collection
even though their place was never published. Move them into the region's restricted
collection „Bewerbungsfotos (nicht öffentlich)“ (applications/photos.py), as new conversions
do. Only images still where the conversion put them (the region's collection) and whose page
was never published (or no longer exists) move; nothing is deleted. Reversible: moving them
back is the reverse operation.
"""

from django.db import migrations
from django.db.models import F

PRIVATE_COLLECTION_NAME = "Bewerbungsfotos (nicht öffentlich)"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # django-treebeard's MP_Node, steplen 4
STEPLEN = 4


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _children(Collection, parent):
    return Collection.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)


def _private_child(Collection, CollectionViewRestriction, parent):
    """Historical models have no treebeard methods: add the child by hand."""
    collection = _children(Collection, parent).filter(name=PRIVATE_COLLECTION_NAME).first()
    if collection is None:
        last = _children(Collection, parent).order_by("-path").first()
        number = int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
        collection = Collection.objects.create(
            name=PRIVATE_COLLECTION_NAME,
            path=parent.path + _step(number),
            depth=parent.depth + 1,
            numchild=0,
        )
        Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    return collection


def hide_unpublished_photos(apps, schema_editor):
    ApplicationPhoto = apps.get_model("applications", "ApplicationPhoto")
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Page = apps.get_model("wagtailcore", "Page")
    photos = ApplicationPhoto.objects.filter(
        image__isnull=False, application__region__isnull=False
    ).select_related("image__collection", "application")
    for photo in photos:
        application, image = photo.application, photo.image
        page = Page.objects.filter(pk=application.place_id).first()
        if page is not None and page.first_published_at is not None:
            continue  # shown publicly already: the editors decided
        region = Page.objects.filter(pk=application.region_id).first()
        collection = image.collection
        if region is None or collection.depth != 2 or collection.name != region.title:
            continue  # moved by an editor since: leave it where they put it
        private = _private_child(Collection, CollectionViewRestriction, collection)
        type(image).objects.filter(pk=image.pk).update(collection=private)


def show_them_again(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    ApplicationPhoto = apps.get_model("applications", "ApplicationPhoto")
    for photo in ApplicationPhoto.objects.filter(
        image__collection__name=PRIVATE_COLLECTION_NAME
    ).select_related("image__collection"):
        collection = photo.image.collection
        parent = Collection.objects.filter(
            depth=collection.depth - 1, path=collection.path[:-STEPLEN]
        ).first()
        if parent is not None:
            type(photo.image).objects.filter(pk=photo.image.pk).update(collection=parent)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_confirmation_withheld"),
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(hide_unpublished_photos, show_them_again)]
