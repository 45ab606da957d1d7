from django.db import migrations, models

HELP = (
    "Wird auf der englischen Website und in der englischen API gezeigt. Leer lassen: dort "
    "steht dann der deutsche Name."
)


def name_en():
    return models.CharField(
        blank=True, help_text=HELP, max_length=80, verbose_name="Name auf Englisch"
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0006_search_trigram")]

    operations = [
        migrations.AddField(model_name="category", name="name_en", field=name_en()),
        migrations.AddField(model_name="offer", name="name_en", field=name_en()),
        migrations.AddField(model_name="actortype", name="name_en", field=name_en()),
    ]
