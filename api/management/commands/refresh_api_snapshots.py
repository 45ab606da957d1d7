"""``python manage.py refresh_api_snapshots``: pre-render every place for the exports and
the API v2 listings."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import Client

from wagtail.models import Site

from api.exports import refresh_snapshots

#: The listings whose per-place items are stored (``api.v2.listing``).
V2_LISTINGS = (
    "/api/v2/pages/?type=places.PlacePage&fields=*&limit={limit}&offset={offset}",
    "/api/v2/pages/?type=places.PlacePage&limit={limit}&offset={offset}",
)


def prerender_v2_listings() -> int:
    """Walk the v2 place listings page by page through the real view, which renders and
    stores each visible place's items; returns the number of items walked."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    client = Client(HTTP_HOST=site.hostname if site else "localhost")
    limit = getattr(settings, "WAGTAILAPI_LIMIT_MAX", None) or 100
    walked = 0
    for listing in V2_LISTINGS:
        offset = 0
        while True:
            url = listing.format(limit=limit, offset=offset)
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            items = response.json()["items"]
            walked += len(items)
            offset += limit
            if len(items) < limit:
                break
    return walked


class Command(BaseCommand):
    help = (
        "Rendert die GeoJSON-Features, CSV-Zeilen und API-v2-Einträge aller Orte für "
        "/api/orte.geojson, /api/orte.csv und /api/v2/pages/ vor (nach Massenänderungen an "
        "der Datenbank oder einem Wechsel von MEDIA_URL/Speicher). Ohne diesen Befehl holt "
        "der erste Abruf das nach."
    )

    def handle(self, *args, **options):
        written = refresh_snapshots()
        self.stdout.write(self.style.SUCCESS(f"{written} Orte für GeoJSON/CSV vorgerendert."))
        walked = prerender_v2_listings()
        self.stdout.write(self.style.SUCCESS(f"{walked} API-v2-Einträge vorgerendert."))
