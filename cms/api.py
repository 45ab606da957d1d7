"""URLs under /api/: Wagtail API v2 and v3, GeoJSON and CSV of the places (docs/api.md)."""

from django.urls import include, path

from wagtail.api.v3.urls import api as api_v3
from wagtail.utils.urlpatterns import decorate_urlpatterns

from places.api import places_csv, places_geojson
from places.api_data import data_licence
from places.api_v2 import api_http_caching, api_router
from places.api_v3 import install as install_strict_v3
from places.api_v3 import query_parameters as v3_query_parameters

# Anonymous v3 reads see exactly what the rest of the public API shows (places/api_v3.py).
install_strict_v3()
# The data licence, stated in the OpenAPI schema and on the docs page.
api_v3.openapi_extra.setdefault("info", {})["license"] = {
    "name": data_licence()["name"],
    "url": data_licence()["url"],
}
api_v3.description = (
    "Kreativorte im Grünen – Wagtail API v3. Lesen ohne Anmeldung, Schreiben nur mit "
    f"API-Token. Daten: {data_licence()['name']} ({data_licence()['url']}), Namensnennung: "
    f"{data_licence()['attribution']}. Siehe auch /api/orte.geojson und /api/orte.csv."
)

v3_patterns, v3_app_name, v3_namespace = api_v3.urls
# The response cache knows v3's query parameters from its OpenAPI schema.
v3_caching = api_http_caching(parameters=v3_query_parameters)

urlpatterns = [
    path("orte.geojson", places_geojson, name="places_geojson"),
    path("orte.csv", places_csv, name="places_csv"),
    path("v2/", api_router.urls),
    path(
        "v3/",
        include(
            (decorate_urlpatterns(v3_patterns, v3_caching), v3_app_name),
            namespace=v3_namespace,
        ),
    ),
]
