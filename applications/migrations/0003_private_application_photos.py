"""Photos of applications converted before this release sit in the region's public collection
even though their place was never published. Move them into the region's restricted
collection „Bewerbungsfotos (nicht öffentlich)“ (applications/photos.py), as new conversions
do. Only images still where the conversion put them (the region's collection), whose page
was never published (or no longer exists) and that nothing else uses (another page, its
gallery, a snippet: :func:`_used_elsewhere`) move; nothing is deleted. Reversible: moving them
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


def _used_elsewhere(apps, image, own_page_id) -> bool:
    """Whether anything but the application's own page uses ``image``: image foreign keys of
    every model (pages, galleries, snippets; not renditions, not the applications) and
    Wagtail's reference index (StreamField, rich text; may be incomplete during migrations)."""
    label = image._meta.label_lower
    for model in apps.get_models():
        if model._meta.app_label == "applications":
            continue
        names = {field.name for field in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if not field.many_to_one or field.related_model._meta.label_lower != label:
                continue
            if field.remote_field.related_name == "renditions":
                continue
            rows = model._default_manager.filter(**{field.attname: image.pk})
            if "page_ptr" in names or model._meta.label_lower == "wagtailcore.page":
                rows = rows.exclude(pk=own_page_id)
            elif "page" in names:
                rows = rows.exclude(page_id=own_page_id)
            if rows.exists():
                return True
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    image_type = ContentType.objects.filter(
        app_label=image._meta.app_label, model=image._meta.model_name
    ).first()
    if image_type is None:
        return False
    references = ReferenceIndex.objects.filter(
        to_content_type=image_type, to_object_id=str(image.pk)
    ).exclude(base_content_type__app_label="applications")
    if own_page_id is not None:
        references = references.exclude(
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
            object_id=str(own_page_id),
        )
    return references.exists()


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
        if _used_elsewhere(apps, image, application.place_id):
            continue  # on another page (maybe live) too: hiding it would break that page
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
        ("home", "0001_initial"),
        ("places", "0002_seed_reference_data"),
        ("regions", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(hide_unpublished_photos, show_them_again)]
