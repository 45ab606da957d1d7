"""Export of a region's places in the import layout (``export_places``): every place, drafts
included, as its latest revision, with its page id, so that importing the file again changes
nothing and publishes nothing."""

from .layout import (
    CSV_SEPARATOR,
    ID_COLUMN,
    LAYOUT_COLUMNS,
    MULTI_COLUMNS,
    latest_places,
    place_values,
    safe_cell,
)


def export_rows(region):
    """Header and rows (CSV cells, formatted like ``/api/orte.csv``) of ``region``'s places."""
    yield list(LAYOUT_COLUMNS)
    for page, place in latest_places(region):
        values = {**place_values(place), ID_COLUMN: page.pk}
        # safe_cell leaves numbers (coordinates, the id) as they are
        yield [
            CSV_SEPARATOR.join(values[column])
            if column in MULTI_COLUMNS
            else safe_cell(values[column])
            for column in LAYOUT_COLUMNS
        ]


def export_geojson(region) -> dict:
    """The same layout as a GeoJSON FeatureCollection (coordinates in the geometry)."""
    features = []
    for page, place in latest_places(region):
        values = place_values(place)
        lat, lon = values.pop("latitude"), values.pop("longitude")
        properties = {
            column: values[column]
            if column in MULTI_COLUMNS or column == "founded"
            else values[column] or ""
            for column in LAYOUT_COLUMNS
            if column not in ("latitude", "longitude", ID_COLUMN)
        }
        geometry = None
        if lat is not None and lon is not None:
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        features.append(
            {"type": "Feature", "id": page.pk, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}
