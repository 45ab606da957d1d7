"""HTTP validators (ETag / Last-Modified) for the public API, and the stale marks of the
places' API snapshots. The data version they derive from: ``publishing.versions``.

A conditional request whose validator still matches costs one query and a cache read.
"""

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from wagtail.models import Page

from publishing.versions import DataVersion, bump_version


def conditional_response(request, version: DataVersion, etag: str):
    """A ``304 Not Modified`` (with the validators) when the client's copy is current."""
    last_modified = version.last_modified.timestamp() if version.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is not None:
        set_validators(response, version, etag)
    return response


def set_validators(response, version: DataVersion, etag: str, max_age: int | None = None):
    if max_age is None:
        max_age = getattr(settings, "PLACES_API_MAX_AGE", 0)
    response["ETag"] = etag
    if version.last_modified:
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
    # max-age=0 + must-revalidate: clients and CDNs always ask again, and get a cheap 304
    # while nothing changed, so a publish shows up at once.
    patch_cache_control(response, public=True, max_age=max_age, must_revalidate=True)
    return response


# --- Snapshots of places for the GeoJSON/CSV exports (``places.models.PlaceApiSnapshot``) --
#
# Every change that may alter a place's pre-rendered feature or CSV row bumps the
# generation of its snapshot (in the same transaction as the change); a bump always follows
# the data write it covers. An export stores a rendering as built at the generation it
# read *before* reading the data, so a rendering from older data can only be stored as
# stale (see ``places.api.store_snapshots``).


def _bump(snapshots) -> None:
    from django.db.models import F

    snapshots.update(generation=F("generation") + 1)


def touch_place(place_id) -> None:
    """A place's own data changed: bump (and create, if missing) its snapshot row."""
    from places.models import PlaceApiSnapshot

    if place_id is None:
        return
    PlaceApiSnapshot.objects.bulk_create(
        [PlaceApiSnapshot(page_id=place_id)], ignore_conflicts=True
    )
    _bump(PlaceApiSnapshot.objects.filter(page_id=place_id))


def touch_places(*conditions, **lookups) -> None:
    """Bump the snapshots of the places matching ``conditions``/``lookups`` (on
    ``PlacePage``), creating missing rows first (so that an export rendering one of them
    meanwhile cannot store its rendering as current)."""
    from places.models import PlaceApiSnapshot, PlacePage

    places = PlacePage.objects.filter(*conditions, **lookups)
    missing = places.filter(api_snapshot__isnull=True).values_list("pk", flat=True)
    PlaceApiSnapshot.objects.bulk_create(
        [PlaceApiSnapshot(page_id=pk) for pk in missing], ignore_conflicts=True, batch_size=500
    )
    _bump(PlaceApiSnapshot.objects.filter(page_id__in=places.values("pk")))


def touch_all_places(**kwargs) -> None:
    touch_places()


def _page_saved(sender, instance, **kwargs):
    from places.models import PlacePage

    if isinstance(instance, PlacePage):
        touch_place(instance.pk)
    elif isinstance(instance, Page) and instance.path:
        # A region (title, slug), the home page (URLs) or a place saved as a plain Page.
        touch_places(path__startswith=instance.path)


def _page_moved(sender, instance, **kwargs):
    path = Page.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
    if path:
        touch_places(path__startswith=path)


def _taxonomy_link_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from places.models import PlacePage

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, PlacePage):
        touch_place(instance.pk)
    elif pk_set:
        touch_places(pk__in=pk_set)
    else:
        touch_all_places()


def _tag_link_changed(sender, instance, **kwargs):
    touch_place(instance.content_object_id)


def _reference_data_changed(sender, instance, **kwargs):
    from taggit.models import Tag

    from places.models import ActorType, Category, Offer

    if isinstance(instance, Category):
        touch_places(categories=instance.pk)
    elif isinstance(instance, Offer):
        touch_places(offers=instance.pk)
    elif isinstance(instance, Tag):
        touch_places(tagged_items__tag=instance.pk)
    elif isinstance(instance, ActorType):
        touch_places(actor_type=instance.pk)


def _child_row_changed(sender, instance, **kwargs):
    """A link or gallery image of a place, also when saved without the place. Only an
    existing snapshot is bumped: these rows are also deleted along with their place,
    when a new snapshot row would point to a deleted page."""
    from places.models import PlaceApiSnapshot

    _bump(PlaceApiSnapshot.objects.filter(page_id=instance.page_id))


def places_using_image(image_id):
    """Places showing the image: as hero image, in the gallery or in the story.

    Story images are found in the stored JSON as text (``"image": 12``, which also matches
    ids starting with those digits: a few places too many are harmless), so that the
    lookup reads the same committed data a rendering does (see ``store_snapshots``).
    """
    from django.db.models import Q, TextField
    from django.db.models.functions import Cast

    from places.models import PlacePage

    story = PlacePage.objects.annotate(_story_text=Cast("story", TextField())).filter(
        Q(_story_text__contains=f'"image": {image_id}')
        | Q(_story_text__contains=f'"image":{image_id}')
    )
    return (
        Q(hero_image_id=image_id)
        | Q(pk__in=story.values("pk"))
        | Q(gallery_images__image_id=image_id)
    )


def _image_changed(sender, instance, **kwargs):
    touch_places(places_using_image(instance.pk))


def _rendition_deleted(sender, instance, **kwargs):
    touch_places(places_using_image(instance.image_id))


def register_snapshot_handlers() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from taggit.models import Tag
    from wagtail.models import Collection, CollectionViewRestriction, Locale, Site
    from wagtail.signals import post_page_move

    from core.models import CustomImage, CustomRendition
    from places.models import (
        ActorType,
        Category,
        Offer,
        PlaceGalleryImage,
        PlaceLink,
        PlacePage,
        PlacePageTag,
    )

    uid = "places-api-snapshot"
    post_save.connect(_page_saved, dispatch_uid=f"{uid}-page", weak=False)
    post_page_move.connect(_page_moved, dispatch_uid=f"{uid}-move", weak=False)
    for through in (PlacePage.categories.through, PlacePage.offers.through):
        m2m_changed.connect(_taxonomy_link_changed, sender=through, dispatch_uid=f"{uid}-{through}")
    post_save.connect(_tag_link_changed, sender=PlacePageTag, dispatch_uid=f"{uid}-tag-s")
    post_delete.connect(_tag_link_changed, sender=PlacePageTag, dispatch_uid=f"{uid}-tag-d")
    for model in (Category, Offer, Tag, ActorType):
        # Before a delete: the links to the places are still there.
        post_save.connect(_reference_data_changed, sender=model, dispatch_uid=f"{uid}-s-{model}")
        pre_delete.connect(_reference_data_changed, sender=model, dispatch_uid=f"{uid}-d-{model}")
    post_save.connect(_image_changed, sender=CustomImage, dispatch_uid=f"{uid}-image-s")
    pre_delete.connect(_image_changed, sender=CustomImage, dispatch_uid=f"{uid}-image-d")
    post_delete.connect(_rendition_deleted, sender=CustomRendition, dispatch_uid=f"{uid}-rend")
    for model in (PlaceLink, PlaceGalleryImage):
        post_save.connect(_child_row_changed, sender=model, dispatch_uid=f"{uid}-s-{model}")
        post_delete.connect(_child_row_changed, sender=model, dispatch_uid=f"{uid}-d-{model}")
    # Full URLs come from the sites' root URLs; API v2 items may show the locale; images in
    # restricted collections are left out (``CustomImage.objects.public()``).
    for model in (Site, Locale, Collection, CollectionViewRestriction):
        post_save.connect(touch_all_places, sender=model, dispatch_uid=f"{uid}-s-{model}")
        post_delete.connect(touch_all_places, sender=model, dispatch_uid=f"{uid}-d-{model}")


def register_signal_handlers() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    from taggit.models import Tag
    from wagtail.models import CollectionViewRestriction, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from core.models import CustomImage
    from places.models import ActorType, Category, Offer, PlacePageTag

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_version, dispatch_uid=f"places-api-{id(signal)}")
    # A release (``migrate`` runs once per release) may change what is rendered from data.
    post_migrate.connect(bump_version, dispatch_uid="places-api-migrate")

    def page_saved_or_deleted(sender, instance, **kwargs):
        if isinstance(instance, Page):
            bump_version()

    post_save.connect(page_saved_or_deleted, dispatch_uid="places-api-page-save", weak=False)
    post_delete.connect(page_saved_or_deleted, dispatch_uid="places-api-page-delete", weak=False)
    from wagtail.documents import get_document_model
    from wagtail.models import Site

    for model in (
        get_document_model(),
        Site,
        PageViewRestriction,
        CollectionViewRestriction,
        Category,
        Offer,
        ActorType,
        Tag,
        PlacePageTag,
        CustomImage,
    ):
        post_save.connect(bump_version, sender=model, dispatch_uid=f"places-api-save-{model}")
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"places-api-delete-{model}")
    m2m_changed.connect(bump_version, dispatch_uid="places-api-m2m")
    register_snapshot_handlers()
