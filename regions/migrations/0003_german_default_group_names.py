"""Wagtail's default groups, workflow and task carry English names ("Editors", "Moderators",
"Moderators approval") that editors read in the admin (group lists, "In Moderators approval
einreichen"). German names here; the objects stay the same rows, so the default workflow on
the root page (approved by the renamed moderators group and the portal team) keeps working.
Names already in use are left alone.
"""

from django.db import migrations

GROUPS = {
    "Editors": "Redaktion (ohne Seitenrechte)",
    "Moderators": "Moderation (ohne Seitenrechte)",
}
DEFAULT_WORKFLOW = {"Moderators approval": "Freigabe Portalseiten"}


def _rename(model, names):
    for old, new in names.items():
        if not model.objects.filter(name=new).exists():
            model.objects.filter(name=old).update(name=new)


def to_german(apps, schema_editor):
    _rename(apps.get_model("auth", "Group"), GROUPS)
    _rename(apps.get_model("wagtailcore", "Workflow"), DEFAULT_WORKFLOW)
    _rename(apps.get_model("wagtailcore", "Task"), DEFAULT_WORKFLOW)


def to_english(apps, schema_editor):
    def reverse(names):
        return {new: old for old, new in names.items()}

    _rename(apps.get_model("auth", "Group"), reverse(GROUPS))
    _rename(apps.get_model("wagtailcore", "Workflow"), reverse(DEFAULT_WORKFLOW))
    _rename(apps.get_model("wagtailcore", "Task"), reverse(DEFAULT_WORKFLOW))


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_strip_default_group_tree_rights"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_german, to_english)]
