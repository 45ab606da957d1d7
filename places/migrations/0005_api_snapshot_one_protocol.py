"""The exports' pieces follow the one snapshot protocol (``api.snapshots``): built as
``"<generation>:<key>"`` like the API v2 items. Every stored feature and CSV row becomes
stale once; the next export or ``manage.py refresh_api_snapshots`` renders them again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0004_api_snapshot_v2_items"),
    ]

    operations = [
        migrations.RemoveField(model_name="placeapisnapshot", name="built_generation"),
        migrations.AddField(
            model_name="placeapisnapshot",
            name="exports_built",
            field=models.CharField(blank=True, max_length=80),
        ),
    ]
