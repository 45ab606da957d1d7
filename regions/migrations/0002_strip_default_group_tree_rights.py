"""Wagtail's default groups "Editors" and "Moderators" get rights on the whole page tree and
every collection. In a portal where each region keeps its drafts to itself, one wrong click
(putting a regional editor into "Editors") would open every region. Their tree and collection
rights are removed; the groups themselves stay (the default workflow references "Moderators").
Region staff get their rights from the groups that `onboard_region` creates.
"""

from django.db import migrations

DEFAULT_GROUPS = ("Editors", "Moderators")


def strip_tree_rights(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission.objects.filter(group__name__in=DEFAULT_GROUPS).delete()
    GroupCollectionPermission.objects.filter(group__name__in=DEFAULT_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        # The default groups and their permissions are created by these migrations.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(strip_tree_rights, migrations.RunPython.noop)]
