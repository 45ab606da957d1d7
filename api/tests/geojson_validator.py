"""A small RFC 7946 validator for what the portal emits (FeatureCollection of Points).

It checks the rules a strict consumer (uMap, QGIS, geojsonlint) relies on: object types,
required members, [longitude, latitude] order with numbers in range, no ``crs`` member
(removed in RFC 7946), ``id`` a string or number, ``properties`` an object or null, a valid
``bbox`` if present, and no GeoJSON keywords used as foreign members in the wrong place.
"""

import math

GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


class GeoJSONError(AssertionError):
    pass


def _check(condition, message):
    if not condition:
        raise GeoJSONError(message)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def validate_position(position, where):
    _check(isinstance(position, list), f"{where}: a position must be an array")
    _check(2 <= len(position) <= 3, f"{where}: a position has 2 or 3 elements")
    _check(all(_is_number(value) for value in position), f"{where}: positions are numbers")
    lon, lat = position[0], position[1]
    _check(-180 <= lon <= 180, f"{where}: longitude {lon} out of range (order is [lon, lat])")
    _check(-90 <= lat <= 90, f"{where}: latitude {lat} out of range (order is [lon, lat])")


def validate_bbox(bbox, where):
    _check(isinstance(bbox, list) and len(bbox) in (4, 6), f"{where}: bad bbox")
    _check(all(_is_number(value) for value in bbox), f"{where}: bbox values are numbers")


def validate_geometry(geometry, where):
    _check(isinstance(geometry, dict), f"{where}: geometry must be an object or null")
    _check(geometry.get("type") in GEOMETRY_TYPES, f"{where}: unknown geometry type")
    _check("crs" not in geometry, f"{where}: 'crs' is not allowed in RFC 7946")
    if geometry["type"] == "Point":
        validate_position(geometry.get("coordinates"), where)
    elif geometry["type"] == "GeometryCollection":
        for index, member in enumerate(geometry.get("geometries", [])):
            validate_geometry(member, f"{where}.geometries[{index}]")
    else:
        _check(isinstance(geometry.get("coordinates"), list), f"{where}: coordinates missing")
    if "bbox" in geometry:
        validate_bbox(geometry["bbox"], where)


def validate_feature(feature, where="feature"):
    _check(isinstance(feature, dict), f"{where}: a feature must be an object")
    _check(feature.get("type") == "Feature", f"{where}: type must be 'Feature'")
    _check("geometry" in feature, f"{where}: 'geometry' member missing")
    _check("properties" in feature, f"{where}: 'properties' member missing")
    if feature["geometry"] is not None:
        validate_geometry(feature["geometry"], f"{where}.geometry")
    _check(
        feature["properties"] is None or isinstance(feature["properties"], dict),
        f"{where}: properties must be an object or null",
    )
    if "id" in feature:
        _check(
            isinstance(feature["id"], str) or _is_number(feature["id"]),
            f"{where}: id must be a string or a number",
        )
    for keyword in ("coordinates", "geometries", "features"):
        _check(keyword not in feature, f"{where}: '{keyword}' must not appear in a Feature")
    if "bbox" in feature:
        validate_bbox(feature["bbox"], where)


def validate_feature_collection(data):
    _check(isinstance(data, dict), "top level must be an object")
    _check(data.get("type") == "FeatureCollection", "type must be 'FeatureCollection'")
    _check(isinstance(data.get("features"), list), "'features' must be an array")
    _check("crs" not in data, "'crs' is not allowed in RFC 7946")
    for keyword in ("coordinates", "geometries", "geometry", "properties"):
        _check(keyword not in data, f"'{keyword}' must not appear in a FeatureCollection")
    if "bbox" in data:
        validate_bbox(data["bbox"], "collection")
    for index, feature in enumerate(data["features"]):
        validate_feature(feature, f"features[{index}]")
    return True
