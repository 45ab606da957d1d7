from django.conf import settings


def site_context(request):
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "MAP_TILE_PROVIDER_NAME": getattr(settings, "MAP_TILE_PROVIDER_NAME", "OpenStreetMap"),
    }
