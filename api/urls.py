"""URLs under /api/: Wagtail API v2 and v3, GeoJSON and CSV of the places, the events as
iCalendar and GeoJSON (docs/api.md)."""

from django.urls import include, path

from wagtail.api.v3.urls import api as api_v3
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .data import data_licence
from .event_feeds import events_geojson, events_ics
from .exports import places_csv, places_geojson
from .http import api_view
from .v2.endpoints import api_router, v2_parameters
from .v3 import install as install_strict_v3
from .v3 import query_parameters as v3_query_parameters

# Anonymous v3 reads see exactly what the rest of the public API shows (api/v3.py).
install_strict_v3()
# The data licence, stated in the OpenAPI schema and on the docs page.
licence = data_licence()
api_v3.openapi_extra.setdefault("info", {})["license"] = {
    "name": licence["name"],
    "url": licence["url"],
}
api_v3.description = (
    "Kreativorte im Grünen – Wagtail API v3. Lesen ohne Anmeldung, Schreiben nur mit "
    f"API-Token. Daten: {licence['name']} ({licence['url']}), Namensnennung: "
    f"{licence['attribution']}. Siehe auch /api/orte.geojson, /api/orte.csv, "
    "/api/veranstaltungen.ics und /api/veranstaltungen.geojson."
)


def kept(urls, parameters, **options):
    """``include()`` of a Wagtail API's URLs, each view behind ``api.http.api_view``."""
    patterns, app_name, namespace = urls
    patterns = decorate_urlpatterns(patterns, api_view(parameters=parameters, **options))
    return include((patterns, app_name), namespace=namespace)


urlpatterns = [
    path("orte.geojson", places_geojson, name="places_geojson"),
    path("orte.csv", places_csv, name="places_csv"),
    path("veranstaltungen.ics", events_ics, name="events_ics"),
    path("veranstaltungen.geojson", events_geojson, name="events_geojson"),
    path("v2/", kept(api_router.urls, v2_parameters)),
    # The answers' cache knows v3's query parameters from its OpenAPI schema.
    # Token holders keep Wagtail's ``locale`` filter (pages in that locale, api/v3.py).
    path("v3/", kept(api_v3.urls, v3_query_parameters, wagtail_locale_with_token=True)),
]
