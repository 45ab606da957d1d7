"""Marks on the places' stored API renderings (``places.models.PlaceApiSnapshot``).

A snapshot is current only while its ``built_generation`` (and each ``v2_…_built``) names its
``generation``. Every change that may alter a place's rendering bumps that generation *in
the same transaction as the change*, right after the data write it covers: an export stores a
rendering under the generation it read *before* reading the data, so a rendering from older
data can only ever be stored as stale. Bumping after the commit (as the caches are) would
leave a window in which an export stores the old rendering as current, for good. That is why
the receivers call these functions as each signal arrives, not through the ``Change`` handed
on after the commit.
"""

from django.db.models import F, Q, TextField
from django.db.models.functions import Cast

from core.languages import in_language_q
from places.models import PlaceApiSnapshot, PlacePage

#: Above this many images, a change of their collection marks every place.
MAX_IMAGES_LOOKED_UP = 50


def mark_place(place_id) -> None:
    """A place's own data changed: bump (and create, if missing) its snapshot row; for a
    translation (``core.languages``) also its German place's, whose API items it may
    show (in the same two or three queries as for the place alone)."""
    if place_id is None:
        return
    translation_key = PlacePage.objects.filter(pk=place_id).values("translation_key")
    mark_places(Q(pk=place_id) | (in_language_q() & Q(translation_key__in=translation_key)))


def mark_places(*conditions, **lookups) -> None:
    """Bump the snapshots of the places matching ``conditions``/``lookups`` (on
    ``PlacePage``), creating missing rows first (so that an export rendering one of them
    meanwhile cannot store its rendering as current)."""
    places = PlacePage.objects.filter(*conditions, **lookups)
    missing = places.filter(api_snapshot__isnull=True).values_list("pk", flat=True)
    PlaceApiSnapshot.objects.bulk_create(
        [PlaceApiSnapshot(page_id=pk) for pk in missing], ignore_conflicts=True, batch_size=500
    )
    PlaceApiSnapshot.objects.filter(page_id__in=places.values("pk")).update(
        generation=F("generation") + 1
    )


def places_using_images(image_ids) -> Q:
    """The places showing one of the images: as hero image, in the gallery or in the story
    (every place when there are more than ``MAX_IMAGES_LOOKED_UP``).

    Story images are found in the stored JSON as text (``"image": 12``, which also matches
    ids starting with those digits: a few places too many are harmless), so that the lookup
    reads the same committed data a rendering does."""
    image_ids = list(image_ids)
    if len(image_ids) > MAX_IMAGES_LOOKED_UP:
        return Q()
    if not image_ids:
        return Q(pk__in=[])
    in_story = Q()
    for image_id in image_ids:
        in_story |= Q(_story_text__contains=f'"image": {image_id}')
        in_story |= Q(_story_text__contains=f'"image":{image_id}')
    story = PlacePage.objects.annotate(_story_text=Cast("story", TextField())).filter(in_story)
    return (
        Q(hero_image_id__in=image_ids)
        | Q(pk__in=story.values("pk"))
        | Q(gallery_images__image_id__in=image_ids)
    )
