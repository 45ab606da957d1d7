"""Gallery images become translatable: step 2 of 3, every row gets its page's locale and a
translation key. A translation's copy of a German row (same image, same position in the
gallery) gets the German row's key, so its caption is matched before the next sync."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    PlaceGalleryImage = apps.get_model("places", "PlaceGalleryImage")
    PlacePage = apps.get_model("places", "PlacePage")
    Locale = apps.get_model("wagtailcore", "Locale")
    pages = {
        pk: (locale_id, key)
        for pk, locale_id, key in PlacePage.objects.values_list(
            "pk", "locale_id", "translation_key"
        )
    }
    if not pages:
        return
    german = Locale.objects.filter(language_code="de").values_list("pk", flat=True).first()
    german_page_of_key = {key: pk for pk, (locale_id, key) in pages.items() if locale_id == german}
    rows = {}
    for row in PlaceGalleryImage.objects.order_by("page_id", "sort_order", "pk"):
        rows.setdefault(row.page_id, []).append(row)
    keys = {}  # German page pk -> [(image_id, key)] in gallery order
    for page_id, gallery in rows.items():
        locale_id, _key = pages[page_id]
        if locale_id == german:
            for row in gallery:
                row.translation_key = uuid.uuid4()
            keys[page_id] = [(row.image_id, row.translation_key) for row in gallery]
    for page_id, gallery in rows.items():
        locale_id, page_key = pages[page_id]
        if locale_id == german:
            continue
        source = keys.get(german_page_of_key.get(page_key), [])
        for index, row in enumerate(gallery):
            same = index < len(source) and source[index][0] == row.image_id
            row.translation_key = source[index][1] if same else uuid.uuid4()
    for page_id, gallery in rows.items():
        for row in gallery:
            row.locale_id = pages[page_id][0]
        PlaceGalleryImage.objects.bulk_update(gallery, ["locale", "translation_key"])


class Migration(migrations.Migration):
    dependencies = [("places", "0008_gallery_translatable_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
