"""Load the demo content: home page, content pages, regions, places, events, illustrations and
English translations of some of them (``demo.translations``).

Idempotent: pages are looked up by slug below their parent and images by title; anything
that already exists is left as it is (editors may have changed it), so running the
loader twice creates nothing twice. The one exception are demo events that are over and
that no editor has touched: they get fresh dates (``demo.events``), so that an old demo
database still shows upcoming events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from home.models import ContentPage, HomePage
from places.models import ActorType, Category, Offer, PlaceGalleryImage, PlaceLink, PlacePage
from regions.models import RegionPage
from regions.onboarding import onboard_region, region_collection

from . import streams, translations
from .data import CONTENT_PAGES, HOME, REFERENCE_DATA_EN, REGIONS, TOWNS
from .events import Tally, ensure_events
from .images import IMAGE_CREDIT, PALETTES, ensure_illustration
from .site import ensure_home_page, publish

COORDINATE_STEP = Decimal("0.000001")
GALLERY_VARIANTS = (("evening", True), ("morning", False))  # (palette, close-up) of each image


@dataclass
class DemoResult:
    home_created: bool = False
    home_updated: bool = False
    regions: Tally = field(default_factory=Tally)
    places: Tally = field(default_factory=Tally)
    content_pages: Tally = field(default_factory=Tally)
    images: Tally = field(default_factory=Tally)
    events: Tally = field(default_factory=Tally)
    translations: Tally = field(default_factory=Tally)  # English pages

    @property
    def created_anything(self) -> bool:
        return (
            self.home_created
            or self.home_updated
            or any(t.created or t.refreshed for _name, t in self._tallies)
        )

    @property
    def _tallies(self):
        """Every tally with its German plural, in the summary's order."""
        return (
            ("Regionen", self.regions),
            ("Orte", self.places),
            ("Veranstaltungen", self.events),
            ("Inhaltsseiten", self.content_pages),
            ("Bilder", self.images),
            ("englische Seiten", self.translations),
        )

    def summary(self) -> str:
        """A short German summary for the command line."""
        if not self.created_anything:
            totals = ", ".join(f"{t.total} {name}" for name, t in self._tallies)
            return f"Die Demo-Inhalte waren bereits vorhanden – nichts geändert ({totals})."
        created = ", ".join(f"{t.created} {name}" for name, t in self._tallies)
        text = f"Demo-Inhalte geladen: {created} neu angelegt"
        if self.home_created:
            text += ", Startseite „" + HOME["title"] + "“ eingerichtet"
        if self.events.refreshed:
            text += f", {self.events.refreshed} vergangene Veranstaltungen neu datiert"
        existing = sum(t.existing for _name, t in self._tallies)
        if existing:
            text += f"; {existing} Einträge waren schon vorhanden"
        return text + "."


class DemoLoader:
    def __init__(self, *, with_images: bool = True):
        self.with_images = with_images
        self.result = DemoResult()
        self.today = timezone.localdate()
        self.home: HomePage | None = None

    # -- helpers ------------------------------------------------------------------------------

    def resolve_link(self, slug: str) -> int | None:
        return (
            Page.objects.child_of(self.home).filter(slug=slug).values_list("pk", flat=True).first()
        )

    def illustration(self, title: str, **kwargs):
        if not self.with_images:
            return None
        image, created = ensure_illustration(title, **kwargs)
        if created:
            self.result.images.created += 1
        else:
            self.result.images.existing += 1
        return image

    @staticmethod
    def reference_data(model, slugs) -> dict:
        found = {obj.slug: obj for obj in model.objects.filter(slug__in=set(slugs))}
        missing = set(slugs) - set(found)
        if missing:
            raise LookupError(
                f"Referenzdaten fehlen ({model._meta.verbose_name_plural}: "
                f"{', '.join(sorted(missing))}). Wurden alle Migrationen ausgeführt?"
            )
        return found

    # -- steps --------------------------------------------------------------------------------

    def run(self) -> DemoResult:
        with transaction.atomic():
            had_home = HomePage.objects.filter(depth=2).exists()
            self.home = ensure_home_page()
            self.result.home_created = not had_home
            self.load_content_pages()
            self.load_regions()
            self.complete_home()
        # After the German pages' commit: what was published on it (a region's English twin
        # from onboarding) must not come after the English texts (demo.translations).
        with transaction.atomic():
            created, existing = translations.load(self.home, self.resolve_link)
        self.result.translations = Tally(created=created, existing=existing)
        if not self.result.images.total:
            # Pages that already existed were skipped together with their images.
            self.result.images.existing = (
                get_image_model().objects.filter(credit=IMAGE_CREDIT).count()
            )
        return self.result

    def move_legacy_pages(self) -> None:
        """Earlier demos had a content page at /mitmachen/, which is now the form's address."""
        if Page.objects.child_of(self.home).filter(slug="so-gehts").exists():
            return
        legacy = ContentPage.objects.child_of(self.home).filter(slug="mitmachen").first()
        if legacy is None:
            return
        page = legacy.get_latest_revision_as_object()
        page.slug = "so-gehts"
        if page.title == "Mitmachen":
            page.title = "So machen Sie mit"
        revision = page.save_revision()
        if legacy.live:
            revision.publish()

    def load_content_pages(self) -> None:
        self.move_legacy_pages()
        # Two passes: create all pages first, so that their bodies can link to each other.
        new_pages = []
        for spec in CONTENT_PAGES:
            if Page.objects.child_of(self.home).filter(slug=spec["slug"]).exists():
                self.result.content_pages.existing += 1
                continue
            page = ContentPage(
                title=spec["title"], slug=spec["slug"], intro=spec["intro"], live=False
            )
            self.home.add_child(instance=page)
            new_pages.append((page, spec["body"]))
        for page, body in new_pages:
            page.body = streams.blocks_from_spec(body, self.resolve_link)
            publish(page)
            self.result.content_pages.created += 1

    @staticmethod
    def english_names() -> None:
        """English names of the fields, offers and actor types, where none is set (an
        editor's name is kept). Saved one by one: the caches hear of the change."""
        for key, model in (("categories", Category), ("offers", Offer), ("actor_types", ActorType)):
            names = REFERENCE_DATA_EN[key]
            for item in model.objects.filter(slug__in=names, name_en=""):
                item.name_en = names[item.slug]
                item.save(update_fields=["name_en"])

    def load_regions(self) -> None:
        self.english_names()
        all_places = [place for region in REGIONS for place in region["places"]]
        self.categories = self.reference_data(
            Category, [slug for p in all_places for slug in p["categories"]]
        )
        self.offers = self.reference_data(Offer, [slug for p in all_places for slug in p["offers"]])
        self.actor_types = self.reference_data(ActorType, [p["actor_type"] for p in all_places])

        for region in REGIONS:
            collection = region_collection(region["title"]) if self.with_images else None
            region_page = self.ensure_region(region, collection)
            # Groups, collection and moderation workflow, exactly as a real region gets them.
            onboard_region(region["title"], slug=region["slug"])
            places = {
                place["slug"]: self.ensure_place(region_page, place, collection, index)
                for index, place in enumerate(region["places"], start=1)
            }
            ensure_events(places, self.today, self.result.events)

    def ensure_region(self, region: dict, collection: Collection | None) -> RegionPage:
        existing = RegionPage.objects.child_of(self.home).filter(slug=region["slug"]).first()
        if existing is not None:
            self.result.regions.existing += 1
            return existing
        hero = self.illustration(
            f"{region['title']} – Titelbild",
            seed=f"region-{region['slug']}",
            building=region["hero_building"],
            collection=collection,
            palette="day",
            hills=region["hills"],
        )
        page = RegionPage(
            title=region["title"],
            slug=region["slug"],
            intro=region["intro"],
            body=streams.blocks_from_spec(region["body"], self.resolve_link),
            contact_person=region["contact_person"],
            contact_email=region["contact_email"],
            hero_image=hero,
            live=False,
        )
        self.home.add_child(instance=page)
        publish(page)
        self.result.regions.created += 1
        return page

    def ensure_place(
        self, region_page: RegionPage, place: dict, collection: Collection | None, index: int
    ) -> PlacePage:
        existing = PlacePage.objects.child_of(region_page).filter(slug=place["slug"]).first()
        if existing is not None:
            self.result.places.existing += 1
            return existing

        town = TOWNS[place["town"]]
        image_options = {
            "building": place["building"],
            "collection": collection,
            "water": place["water"],
            "hills": place["hills"],
        }
        hero = self.illustration(
            f"{place['short_name']} – Titelbild", seed=place["slug"], **image_options
        )
        gallery = []
        for number, (palette, close) in enumerate(GALLERY_VARIANTS[: place["gallery"]], start=1):
            image = self.illustration(
                f"{place['short_name']} – Ansicht {number}",
                seed=f"{place['slug']}-{number}",
                palette=palette,
                close=close,
                **image_options,
            )
            if image is not None:
                caption = f"{place['short_name']} {PALETTES[palette].phrase}"
                gallery.append(PlaceGalleryImage(image=image, caption=caption))
        story_image = gallery[0].image if gallery else hero
        story = streams.place_story(place["story"], town, story_image.pk if story_image else None)

        dlat, dlon = place["offset"]
        getting_there = " ".join(
            filter(None, [town["getting_there"], place["getting_there_extra"]])
        )
        page = PlacePage(
            title=place["title"],
            slug=place["slug"],
            teaser=place["teaser"],
            story=story,
            status=place["status"],
            seeking_members=bool(place["seeking_members_text"]),
            seeking_members_text=place["seeking_members_text"],
            former_use=place["former_use"],
            actor_type=self.actor_types[place["actor_type"]],
            founded=place["founded"],
            street=place["street"],
            postcode=town["postcode"],
            municipality=town["name"],
            district=town["district"],
            latitude=Decimal(str(town["lat"] + dlat)).quantize(COORDINATE_STEP),
            longitude=Decimal(str(town["lon"] + dlon)).quantize(COORDINATE_STEP),
            getting_there=getting_there,
            contact_person=place["contact_person"],
            email=f"kontakt@{place['slug']}.example",
            # Subscriber numbers never start with 0 in Germany: clearly fictional.
            phone=f"{town['area_code']} 000 {100 + index}",
            website=f"https://{place['slug']}.example",
            opening_hours=place["opening_hours"],
            last_checked=self.today - timedelta(days=place["checked_days_ago"]),
            hero_image=hero,
            live=False,
        )
        # Relations are set before the first save so that the published revision holds them.
        page.categories.set([self.categories[slug] for slug in place["categories"]])
        page.offers.set([self.offers[slug] for slug in place["offers"]])
        page.tags.add(*place["tags"])
        page.gallery_images = gallery
        page.links = [PlaceLink(platform=platform, url=url) for platform, url in place["links"]]
        region_page.add_child(instance=page)
        publish(page)
        self.result.places.created += 1
        return page

    def complete_home(self) -> None:
        """Give the home page its hero image and body, unless an editor already did."""
        home = self.home
        changed = False
        if home.hero_image_id is None and self.with_images:
            home.hero_image = self.illustration(
                f"{HOME['title']} – Titelbild",
                seed="home",
                building="village",
                palette="morning",
                water=True,
            )
            changed = home.hero_image is not None
        if not home.body:
            home.body = streams.blocks_from_spec(HOME["body"], self.resolve_link)
            changed = True
        if not home.intro:
            home.intro = HOME["intro"]
            changed = True
        if changed:
            publish(home)
            self.result.home_updated = not self.result.home_created


def load_demo(*, with_images: bool = True) -> DemoResult:
    """Load (or complete) the demo content; safe to call repeatedly."""
    return DemoLoader(with_images=with_images).run()
