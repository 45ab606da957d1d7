"""The only receivers of Django's and Wagtail's signals in the project (``listen()``, called
from ``PublishingConfig.ready``), with the one list of what they watch (``WATCHED``).

Each receiver describes its signal as a ``publishing.changes.Change`` (which pages, which
public paths, whether data that any page may show changed) and hands it to
``changes.note``. Before that, in the same transaction and right after the write it
covers, it marks the API snapshots of the places the change touches
(``publishing.stale_snapshots`` says why that cannot wait for the commit).

What the public data is made of, and what a change of it means:

* pages: saved while live (not a draft save), published, unpublished, moved, deleted: the
  paths that show the page (``publishing.paths``), the snapshots of the places at or below it;
* a place's own rows (tags, fields, offers, links, gallery): the place's paths, unless the
  transaction changed the place itself already;
* reference data (fields, offers, actor types, tags), images and renditions, collections and
  their view restrictions: data any page may show (every kept page stale), and the paths
  of the places using it;
* page view restrictions: every kept page stale, and the paths of the page (and below);
* documents, sites, locales, a ``migrate`` (a release may change what is rendered from the
  same data): every kept page stale; no paths are known (the static site rebuilds them with
  a full ``build_frontend``).

Languages: a translation (a page in another locale than German, wagtail-localize) is shown
only in its German page's place (``core.languages``), so its change (publish, unpublish,
delete, edit while live) is one of its German page: that page's paths
(``publishing.paths.german_page``), in every language like every change's
(``changes.note``). wagtail-localize's own models (translation sources, strings, segments,
translations) hold nothing the public sees until a translation is published: they are not
watched.

Also here, because they are signal receivers too: an application photo's file goes with its
row, and an application's never-published images with the application
(``applications.signals``).
"""

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)

from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.signals import page_published, page_unpublished, post_page_move

from applications.models import Application, ApplicationPhoto
from applications.signals import delete_photo_file, delete_unpublished_images
from core.models import CustomImage, CustomRendition
from events.models import EventPage
from places.models import (
    ActorType,
    Category,
    Offer,
    PlaceGalleryImage,
    PlaceLink,
    PlacePage,
    PlacePageTag,
)

from . import stale_snapshots as marks
from .changes import Change, is_deleted, note, noted_paths, paths_wanted
from .paths import (
    german_page,
    own_paths,
    page_state,
    paths_showing,
    paths_showing_event_images,
    paths_showing_places,
)

#: Fields that a draft save (``save_revision``, locking) writes; they change nothing public.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "comments",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def _with_paths(change: Change, page, previous=None) -> None:
    """The change's paths: those of ``page``, or of the German page it translates (none for
    a translation without one: it is shown nowhere)."""
    if not paths_wanted(everything=change.everything):
        return
    source = german_page(page)
    if source is not None:
        previous = previous if source is page else None
        change.paths = paths_showing(source, previous=previous)
        change.page_paths = own_paths(source, previous)


def _places_changed(places: Q, change: Change, *, every_region=False, image_ids=None) -> None:
    """Data that ``places`` (a condition on ``PlacePage``) show changed; ``image_ids``: the
    images that changed (events show theirs too)."""
    marks.mark_places(places)
    if paths_wanted(everything=change.everything):
        change.paths, change.page_paths = paths_showing_places(
            PlacePage.objects.filter(places), every_region=every_region
        )
        if image_ids:
            # An event's own image shows on its page only.
            too_many = len(image_ids) > marks.MAX_IMAGES_LOOKED_UP
            events = paths_showing_event_images(None if too_many else image_ids)
            change.paths |= events
            change.page_paths |= events
    note(change)


# --- Pages ---------------------------------------------------------------------------------


def _draft_save(update_fields) -> bool:
    return update_fields is not None and set(update_fields) <= DRAFT_ONLY_FIELDS


def page_before_save(sender, instance, update_fields=None, raw=False, **kwargs):
    """Keep the page's stored state (old path, old position) for ``page_saved``."""
    if instance.pk and not raw and not _draft_save(update_fields) and paths_wanted():
        instance._publishing_previous = page_state(instance)


def page_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw:
        # Rows loaded as they are (loaddata, a test database's restored rows): the tree may
        # be incomplete, so no page is asked for its paths (that would query it, and make
        # content types); every kept page is stale once the load commits.
        note(Change(everything=True))
        return
    if _draft_save(update_fields):
        return
    if isinstance(instance, PlacePage):
        marks.mark_place(instance.pk)
    elif isinstance(instance, EventPage):
        pass  # no place's stored API rendering shows its events, and none lies below one
    elif instance.path:
        # A region (title, slug), the home page (URLs) or a place saved as a plain Page; for
        # a translation, its German page's places too.
        marks.mark_places(path__startswith=instance.path)
        source = german_page(instance)
        if source is not None and source is not instance:
            marks.mark_places(path__startswith=source.path)
    previous = instance.__dict__.pop("_publishing_previous", None)
    change = Change(pages={instance.pk})
    if instance.live or (previous is not None and not created):
        _with_paths(change, instance, previous)
    note(change)


def page_published_or_unpublished(sender, instance, signal, **kwargs):
    """The paths came with the save; a published page's photos, search entry and
    renditions follow (``changes``)."""
    published = {instance.pk: instance} if signal is page_published else {}
    change = Change(pages={instance.pk}, published=published)
    if paths_wanted():
        change.announced_paths = own_paths(instance)
    note(change)


def page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    path = Page.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
    if path:
        marks.mark_places(path__startswith=path)
    change = Change(pages={instance.pk})
    # The moved page's own save covered it; its descendants' URLs follow only now.
    if instance.live and url_path_before != url_path_after:
        _with_paths(change, instance, page_state(instance, url_path=url_path_before))
    note(change)


def page_deleting(sender, instance, **kwargs):
    if is_deleted(instance.pk):
        return  # noted already (the page's other table, a subtree)
    change = Change(pages={instance.pk}, deleted={instance.pk})
    if instance.numchild:
        # A whole subtree goes: its pages count as noted, every kept page as stale.
        change.deleted |= set(Page.objects.descendant_of(instance).values_list("pk", flat=True))
        change.pages |= change.deleted
        change.everything = instance.live
    if instance.live:
        _with_paths(change, instance)
    note(change)


def page_restriction_changed(sender, instance, **kwargs):
    """Every page at and below it appears or disappears: all of them count as changed."""
    page = Page.objects.filter(pk=instance.page_id).first()
    change = Change(everything=True)
    if page is not None and page.live:
        _with_paths(change, page)
        change.page_paths = set(change.paths)
    note(change)


# --- A place's own rows --------------------------------------------------------------------


def _place_changed(place_id) -> None:
    """A place's own rows (tags, links, gallery, fields, offers) changed."""
    marks.mark_place(place_id)
    change = Change(pages={place_id})
    noted = noted_paths(place_id)
    if noted is not None:
        change.paths, change.page_paths = noted  # saved with the place: known already
    else:
        place = PlacePage.objects.filter(pk=place_id, live=True).first()
        if place is not None:
            _with_paths(change, place)
    note(change)


def place_row_changed(sender, instance, **kwargs):
    """A tag, link or gallery image of a place, also when saved without the place (not when
    deleted with it: a new snapshot row would point to a deleted page)."""
    place_id = (
        instance.content_object_id if isinstance(instance, PlacePageTag) else instance.page_id
    )
    if not is_deleted(place_id):
        _place_changed(place_id)


def categories_or_offers_changed(sender, instance, action, pk_set, **kwargs):
    """A place's fields or offers (``m2m_changed``), from either side."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, PlacePage):
        _place_changed(instance.pk)
    else:
        _places_changed(Q(pk__in=pk_set) if pk_set else Q(), Change())


# --- Data that any page may show -----------------------------------------------------------


#: How the places that show a piece of reference data are found (``PlacePage`` lookups).
PLACES_SHOWING = {
    Category: "categories",
    Offer: "offers",
    ActorType: "actor_type",
    Tag: "tagged_items__tag",
}


def reference_data_changed(sender, instance, **kwargs):
    """A field, offer, actor type or tag (before a delete: the links are still there)."""
    places = Q(**{PLACES_SHOWING[sender]: instance.pk})
    # Every field is in the filter form of every listing.
    _places_changed(places, Change(everything=True), every_region=sender is Category)


def _images_changed(image_ids, change: Change) -> None:
    if image_ids:
        _places_changed(marks.places_using_images(image_ids), change, image_ids=image_ids)
    else:
        note(change)


def image_changed(sender, instance, **kwargs):
    _images_changed([instance.pk], Change(everything=True))


def rendition_deleted(sender, instance, **kwargs):
    """A new rendition changes nothing kept; a deleted one leaves kept pages and cards
    pointing at a missing file. (The static site copied the files it uses.)"""
    marks.mark_places(marks.places_using_images([instance.image_id]))
    note(Change(everything=True))


def collection_changed(sender, instance, **kwargs):
    """A collection or its view restriction: whether the images below it are public."""
    if isinstance(instance, Collection):
        collection = instance
    else:
        collection = Collection.objects.filter(pk=instance.collection_id).first()
    images = []
    if collection is not None:
        images = CustomImage.objects.filter(collection__path__startswith=collection.path)
        images = list(images.values_list("pk", flat=True)[: marks.MAX_IMAGES_LOOKED_UP + 1])
    _images_changed(images, Change(everything=True, collections=True))


def shared_data_changed(sender, **kwargs):
    """Sites and locales (in full URLs and API items), documents, a release."""
    if sender in (Site, Locale):
        marks.mark_places()
    note(Change(everything=True))


# --- The watch list ------------------------------------------------------------------------


#: ``(signals, senders, receiver)``; ``None`` as senders: every page model.
WATCHED = [
    ((pre_save,), None, page_before_save),
    ((post_save,), None, page_saved),
    ((pre_delete,), None, page_deleting),
    ((page_published, page_unpublished), None, page_published_or_unpublished),
    ((post_page_move,), None, page_moved),
    ((post_save, post_delete), (PageViewRestriction,), page_restriction_changed),
    ((post_save, post_delete), (PlacePageTag, PlaceLink, PlaceGalleryImage), place_row_changed),
    (
        (m2m_changed,),
        (PlacePage.categories.through, PlacePage.offers.through),
        categories_or_offers_changed,
    ),
    ((post_save, pre_delete), (Category, Offer, ActorType, Tag), reference_data_changed),
    ((post_save, pre_delete), (CustomImage,), image_changed),
    ((post_delete,), (CustomRendition,), rendition_deleted),
    ((post_save, post_delete), (Collection, CollectionViewRestriction), collection_changed),
    ((post_save, post_delete), (get_document_model(), Site, Locale), shared_data_changed),
    ((post_migrate,), (None,), shared_data_changed),
    # Applicants' files (not public data).
    ((post_delete,), (ApplicationPhoto,), delete_photo_file),
    ((pre_delete,), (Application,), delete_unpublished_images),
]


def listen() -> None:
    """Connect every receiver of ``WATCHED``."""
    pages = [model for model in apps.get_models() if issubclass(model, Page)]
    for signals, senders, receiver in WATCHED:
        for signal in signals:
            for sender in pages if senders is None else senders:
                signal.connect(receiver, sender=sender)
