"""Static files storage for production: whitenoise's hashed and compressed files.

Some vendored packages (xstatic-leaflet-markercluster) reference source maps they do not ship;
Django's manifest storage would refuse to collect them. Source map comments are left as they
are instead of being rewritten to hashed names; everything else (url(), @import) is hashed.
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for glob, rules in patterns:
        rules = tuple(rule for rule in rules if "sourceMappingURL" not in str(rule))
        if rules:
            kept.append((glob, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(ManifestStaticFilesStorage.patterns)
