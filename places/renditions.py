"""Image renditions made when a page is published, not on a visitor's first request.

The specs match the templates (``includes/figure.html``, ``includes/place_card.html``,
``social_meta``); a template change that uses another size only means that size is made on
first view again. Runs as a django-tasks task after the publish commits (``publishing``
enqueues it; at once with the immediate backend, in the worker in production).
"""

import functools
import logging

from wagtail.images.models import Filter
from wagtail.models import Page

from django_tasks import task

from .models import PlacePage

logger = logging.getLogger(__name__)

HERO = ["format-{avif,webp,jpeg}", "fill-{640x360,1200x675}-c80"]
CARD = ["format-{webp,jpeg}", "fill-{400x250,800x500}-c80"]
CONTENT = ["format-{webp,jpeg}", "width-{480,960}"]
SOCIAL = "fill-1200x630-c75|format-jpeg|jpegquality-80"


def _specs(*parts: list[str]) -> list[str]:
    return [spec for part in parts for spec in Filter.expand_spec(part)]


@functools.cache
def page_specs() -> tuple[str, ...]:
    """Every filter spec the public templates use (to prefetch only those renditions)."""
    return tuple(dict.fromkeys([*_specs(HERO, CARD, CONTENT), SOCIAL]))


def images_of(page) -> dict:
    """``{image: specs}`` for every image the page shows with its own sizes."""
    wanted: dict = {}
    hero = getattr(page, "hero_image", None)
    if hero is not None:
        wanted[hero] = [*_specs(HERO, CARD), SOCIAL]
    if isinstance(page, PlacePage):
        for item in page.gallery_images.select_related("image"):
            wanted.setdefault(item.image, []).extend(_specs(CONTENT))
    for field in ("story", "body"):
        for block in getattr(page, field, None) or []:
            if block.block_type == "image" and block.value.get("image"):
                wanted.setdefault(block.value["image"], []).extend(_specs(CONTENT))
    return wanted


@task()
def make_renditions_task(page_id: int) -> int:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    made = 0
    for image, specs in images_of(page.specific).items():
        try:
            made += len(image.get_renditions(*dict.fromkeys(specs)))
        except Exception:  # a broken file must not break publishing
            logger.exception("Renditions for image %s failed", image.pk)
    return made
