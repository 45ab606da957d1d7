from django.db import migrations

CATEGORIES = [
    (
        "wohnen-bauen",
        "Wohnen/Bauen",
        "Wohnprojekte, Baugruppen, Umbau leerstehender Gebäude zum Wohnen.",
    ),
    (
        "arbeiten-wirtschaft",
        "Arbeiten/Wirtschaft",
        "Coworking, Werkstätten, Gründungen, kreative und digitale Unternehmen.",
    ),
    (
        "leben-tourismus",
        "Leben/Tourismus",
        "Kultur, Gastronomie, Übernachten, Begegnung und Freizeit.",
    ),
]

OFFERS = [
    ("coworking", "Coworking-Arbeitsplätze"),
    ("wohnraum", "Wohnungen/Zimmer zur Miete"),
    ("werkstatt", "Werkstatt"),
    ("veranstaltungsraum", "Veranstaltungsraum"),
    ("uebernachtung", "Übernachtung"),
    ("cafe-gastronomie", "Café/Gastronomie"),
    ("atelier", "Atelier"),
    ("seminarraum", "Seminarraum"),
    ("probewohnen", "Probewohnen"),
    ("hofladen", "Hofladen"),
]

ACTOR_TYPES = [
    ("verein", "Verein"),
    ("unternehmen", "Unternehmen"),
    ("start-up", "Start-up"),
    ("kommune", "Kommune"),
    ("private-initiative", "Private Initiative"),
    ("genossenschaft", "Genossenschaft"),
    ("stiftung", "Stiftung"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("places", "Category")
    Offer = apps.get_model("places", "Offer")
    ActorType = apps.get_model("places", "ActorType")
    for order, (slug, name, description) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )
    for model, rows in ((Offer, OFFERS), (ActorType, ACTOR_TYPES)):
        for order, (slug, name) in enumerate(rows):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


def unseed(apps, schema_editor):
    apps.get_model("places", "Category").objects.filter(
        slug__in=[slug for slug, *_ in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
