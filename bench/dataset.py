"""Fill the database quickly with realistic places for benchmarks.

``create_places(5000)`` writes live places into a handful of regions in bulk (a few
seconds on SQLite), with categories, offers, tags, a short story, a hero image and a small
gallery from a shared pool of generated images. It bypasses Wagtail's page creation
(revisions, search index, reference index): good for measuring reads, not for testing
editing. Call it inside a configured Django project (``django.setup()`` done).
"""

import io
import json
import random
import uuid
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from taggit.models import Tag
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site
from wagtail.search.backends import get_search_backend

from PIL import Image as PILImage

from core.data_version import bump_version
from core.models import CustomImage
from home.models import HomePage
from places.models import (
    ActorType,
    Category,
    Offer,
    PlaceGalleryImage,
    PlaceLink,
    PlacePage,
    PlacePageTag,
)
from regions.models import RegionPage

DEFAULT_REGIONS = ("altmark", "harz", "saale-unstrut", "anhalt")

# Rough centres (lat, lon) so that points fall where the regions are.
REGION_CENTRES = {
    "altmark": (52.70, 11.40),
    "harz": (51.75, 10.90),
    "saale-unstrut": (51.20, 11.75),
    "anhalt": (51.85, 12.20),
}
TAG_NAMES = [
    "Coworking",
    "Makerspace",
    "Wohnprojekt",
    "Kulturhof",
    "Werkstatt",
    "Hofladen",
    "Seminarhaus",
    "Gemeinschaftsgarten",
    "Atelier",
    "Café",
    "Start-up",
    "Bildung",
]
FORMER_USES = ["Gutshaus", "Bahnhof", "Schule", "Scheune", "Kaufhalle", "Molkerei", "Pfarrhaus"]
MUNICIPALITIES = ["Salzwedel", "Stendal", "Gardelegen", "Tangermünde", "Kalbe (Milde)", "Havelberg"]
WORDS = [
    "alt",
    "neu",
    "Hof",
    "Haus",
    "Werkstatt",
    "Garten",
    "Scheune",
    "Raum",
    "Dorf",
    "Feld",
    "Ideen",
    "Menschen",
    "Arbeit",
    "Leben",
    "Gemeinschaft",
    "Kultur",
    "Handwerk",
    "Zukunft",
    "Landschaft",
    "Licht",
]


def _sentence(rng: random.Random, words: int = 10) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def ensure_home_page():
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Kreativorte im Grünen", slug="start"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "KiG"},
    )
    return home


def ensure_regions(slugs) -> list:
    home = ensure_home_page()
    regions = []
    for slug in slugs:
        region = RegionPage.objects.filter(slug=slug).first()
        if region is None:
            region = home.add_child(
                instance=RegionPage(
                    title=slug.replace("-", " ").title(),
                    slug=slug,
                    intro="<p>Weite Landschaft, alte Höfe und viel Platz für Ideen.</p>",
                )
            )
        regions.append(region)
    return regions


def ensure_images(count: int) -> list:
    """A pool of small generated JPEGs shared by all places."""
    images = list(CustomImage.objects.filter(title__startswith="Bench ").order_by("pk")[:count])
    rng = random.Random(4711)
    for index in range(len(images), count):
        buffer = io.BytesIO()
        colour = tuple(rng.randrange(40, 220) for _ in range(3))
        PILImage.new("RGB", (960, 600), colour).save(buffer, "JPEG", quality=70)
        image = CustomImage(
            title=f"Bench {index}",
            description=f"Generiertes Testbild {index}",
            credit="Foto: Benchmark",
            licence="CC0",
        )
        image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"bench-{index}.jpg")
        image.save()
        images.append(image)
    return images


SECTIONS = ["Das Objekt", "Die Lage", "Der Ort", "Die Menschen", "Leben und Arbeiten vor Ort"]


def _block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def _story(rng: random.Random, image_ids: list[int]) -> list[dict]:
    """A story of typical length, like the real profiles: five sections with one or two
    paragraphs of 40-70 words each, two images, a quote and key facts (~350 words)."""
    blocks = []
    for index, section in enumerate(SECTIONS):
        blocks.append(_block("heading", {"text": section, "level": "h2"}))
        for _ in range(rng.randint(1, 2)):
            text = " ".join(_sentence(rng, rng.randint(8, 14)) for _ in range(4))
            blocks.append(_block("paragraph", f"<p>{text}</p>"))
        if index in (0, 3) and image_ids:
            image = image_ids[index % len(image_ids)]
            blocks.append(_block("image", {"image": image, "caption": _sentence(rng, 5)}))
        if index == 2:
            blocks.append(
                _block("quote", {"text": _sentence(rng, 18), "attribution": "Erika Beispiel"})
            )
        if index == 0:
            facts = [
                {"label": "Baujahr", "value": str(rng.randint(1750, 1960))},
                {"label": "Fläche", "value": f"{rng.randint(80, 3000)} m²"},
                {"label": "Frühere Nutzung", "value": rng.choice(FORMER_USES)},
            ]
            blocks.append(_block("key_facts", {"title": "Eckdaten", "facts": facts}))
    return blocks


def _insert_rows(model, objects) -> None:
    """INSERT the model's own table rows (multi-table inheritance: bulk_create can't)."""
    fields = model._meta.local_concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = []
    for obj in objects:
        row = []
        for field in fields:
            value = getattr(obj, field.attname)
            if isinstance(field, StreamField):
                row.append(json.dumps(list(value.raw_data)))
            else:
                row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def index_places(pks: list[int], chunk: int = 500) -> None:
    """Add places to the search index in chunks, with their tags and categories prefetched."""
    backend = get_search_backend()
    for start in range(0, len(pks), chunk):
        objects = list(
            PlacePage.objects.filter(pk__in=pks[start : start + chunk]).prefetch_related(
                "tags", "categories"
            )
        )
        backend.add_bulk(PlacePage, objects)


def create_places(
    count: int,
    regions: tuple[str, ...] = DEFAULT_REGIONS,
    images: int = 20,
    index_search: bool = False,
) -> None:
    """Create ``count`` live places spread over ``regions`` (created if missing).

    ``index_search``: also add them to Wagtail's search index (for ``/suche/`` and ``?q=``;
    about a third of the time of the whole fill)."""
    rng = random.Random(count)
    region_pages = ensure_regions(regions)
    pool = ensure_images(images)
    categories = list(Category.objects.all())
    offers = list(Offer.objects.all())
    actor_types = list(ActorType.objects.all())
    tags = [
        Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in TAG_NAMES
    ]
    content_type = ContentType.objects.get_for_model(PlacePage)
    locale = Locale.get_default()
    now = timezone.now()

    with transaction.atomic():
        places = []
        per_region = {region.pk: 0 for region in region_pages}
        for index in range(count):
            region = region_pages[index % len(region_pages)]
            position = region.numchild + per_region[region.pk] + 1
            per_region[region.pk] += 1
            lat0, lon0 = REGION_CENTRES.get(region.slug, (52.0, 11.5))
            title = f"{rng.choice(FORMER_USES)} {rng.choice(WORDS).capitalize()} {index}"
            slug = f"bench-{slugify(title)}-{uuid.uuid4().hex[:6]}"
            hero = rng.choice(pool)
            place = PlacePage(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                locale=locale,
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                path=PlacePage._get_path(region.path, region.depth + 1, position),
                depth=region.depth + 1,
                numchild=0,
                url_path=f"{region.url_path}{slug}/",
                teaser=_sentence(rng, 12)[:200],
                story=_story(rng, [image.pk for image in rng.sample(pool, min(2, len(pool)))]),
                status=rng.choice(["aktiv", "aktiv", "aktiv", "im-aufbau"]),
                former_use=rng.choice(FORMER_USES),
                actor_type=rng.choice(actor_types) if actor_types else None,
                founded=rng.randint(1990, 2025),
                street=f"Dorfstraße {index % 90 + 1}",
                postcode=f"{rng.randint(6000, 39999):05d}",
                municipality=rng.choice(MUNICIPALITIES),
                district="Altmarkkreis Salzwedel",
                latitude=Decimal(f"{lat0 + rng.uniform(-0.3, 0.3):.6f}"),
                longitude=Decimal(f"{lon0 + rng.uniform(-0.4, 0.4):.6f}"),
                website="https://example.org",
                email=f"ort{index}@example.org",
                phone="+49 3901 123456",
                contact_person="Erika Beispiel",
                opening_hours="Mo-Fr 09:00-17:00; Sa 10:00-14:00",
                getting_there="RE 20 bis Salzwedel, dann Bus 300 (15 Min.)",
                seeking_members=index % 5 == 0,
                seeking_members_text="Wir suchen zwei Familien." if index % 5 == 0 else "",
                last_checked=now.date(),
                external_id=f"bench-{index}",
                hero_image=hero,
            )
            places.append(place)

        page_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
        created = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in places],
            batch_size=500,
        )
        for place, page in zip(places, created, strict=True):
            place.pk = place.id = place.page_ptr_id = page.pk
        _insert_rows(PlacePage, places)
        for region in region_pages:
            Page.objects.filter(pk=region.pk).update(
                numchild=region.numchild + per_region[region.pk]
            )

        category_through = PlacePage.categories.through
        offer_through = PlacePage.offers.through
        category_rows, offer_rows, tag_rows, gallery_rows, link_rows = [], [], [], [], []
        for place in places:
            for category in rng.sample(categories, rng.randint(1, min(2, len(categories)))):
                category_rows.append(category_through(placepage_id=place.pk, category=category))
            for offer in rng.sample(offers, min(len(offers), rng.randint(0, 3))):
                offer_rows.append(offer_through(placepage_id=place.pk, offer=offer))
            for tag in rng.sample(tags, rng.randint(1, 3)):
                tag_rows.append(PlacePageTag(content_object_id=place.pk, tag=tag))
            for order, image in enumerate(rng.sample(pool, min(2, len(pool)))):
                gallery_rows.append(
                    PlaceGalleryImage(
                        page_id=place.pk, locale_id=place.locale_id, image=image, sort_order=order
                    )
                )
            link_rows.append(
                PlaceLink(
                    page_id=place.pk,
                    platform="instagram",
                    url=f"https://instagram.com/ort{place.pk}",
                    sort_order=0,
                )
            )
        category_through.objects.bulk_create(category_rows, batch_size=1000)
        offer_through.objects.bulk_create(offer_rows, batch_size=1000)
        PlacePageTag.objects.bulk_create(tag_rows, batch_size=1000)
        PlaceGalleryImage.objects.bulk_create(gallery_rows, batch_size=1000)
        PlaceLink.objects.bulk_create(link_rows, batch_size=1000)

    if index_search:
        index_places([place.pk for place in places])

    # Bulk writes send no signals: tell the API that the data changed.
    bump_version()
    analyze()


def analyze() -> None:
    """Table statistics for PostgreSQL's planner, as autovacuum keeps them in production.
    Bulk writes leave none (and this machine's PostgreSQL runs without autovacuum); without
    them the planner scans every page once per place ("behind a view restriction?"), which
    takes seconds per listing at 10,000 places."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
