"""``python manage.py refresh_api_snapshots``: pre-render every place for the exports."""

from django.core.management.base import BaseCommand

from places.api import refresh_snapshots


class Command(BaseCommand):
    help = (
        "Rendert die GeoJSON-Features und CSV-Zeilen aller Orte für /api/orte.geojson und "
        "/api/orte.csv vor (nach Massenänderungen an der Datenbank oder einem Wechsel von "
        "MEDIA_URL/Speicher). Ohne diesen Befehl holt der erste Abruf das nach."
    )

    def handle(self, *args, **options):
        written = refresh_snapshots()
        self.stdout.write(self.style.SUCCESS(f"{written} Orte vorgerendert."))
