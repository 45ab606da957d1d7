"""Gallery images become translatable: step 3 of 3, the columns required and unique."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("places", "0009_gallery_translatable_data")]

    operations = [
        migrations.AlterField(
            model_name="placegalleryimage",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="placegalleryimage",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="placegalleryimage", unique_together={("translation_key", "locale")}
        ),
    ]
