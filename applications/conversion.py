"""Turn an application into a draft place page in its region (one click in the inbox)."""

from __future__ import annotations

import io
import re
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from wagtail.images import get_image_model

from PIL import Image as PILImage
from PIL import ImageOps

from core.slugs import german_slugify, unique_slug
from places.models import PlaceGalleryImage, PlacePage, PlaceStatus

from .models import Application, ApplicationStatus
from .permissions import user_can_convert
from .photos import private_collection

TEASER_LENGTH = 200


class ConversionError(Exception):
    pass


def teaser_from(text: str, length: int = TEASER_LENGTH) -> str:
    """The introduction shortened to ``length`` characters at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= length:
        return flat
    cut = flat[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def story_from(text: str) -> list[dict]:
    """The full introduction as plain-text paragraphs: escaped, never interpreted as HTML."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r", "")) if p.strip()]
    blocks = []
    for paragraph in paragraphs:
        html = "<br/>".join(escape(line) for line in paragraph.split("\n"))
        blocks.append({"type": "paragraph", "value": f"<p>{html}</p>", "id": str(uuid.uuid4())})
    return blocks


def _clean_image_bytes(stored_file) -> tuple[bytes, str, tuple[int, int]]:
    """Re-encode the photo: no EXIF (GPS position!) or other metadata reaches the public."""
    stored_file.open("rb")
    try:
        with PILImage.open(stored_file) as original:
            image_format = original.format or "JPEG"
            icc_profile = original.info.get("icc_profile")
            image = ImageOps.exif_transpose(original)
            output = io.BytesIO()
            options = {"icc_profile": icc_profile} if icc_profile else {}
            if image_format == "JPEG":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(output, "JPEG", quality=90, **options)
            elif image_format == "WEBP":
                image.save(output, "WEBP", quality=90, **options)
            else:
                image_format = "PNG"
                image.save(output, "PNG", optimize=True, **options)
    finally:
        stored_file.close()
    extension = {"JPEG": "jpg", "WEBP": "webp", "PNG": "png"}[image_format]
    return output.getvalue(), extension, image.size


def _image_from_photo(photo, application, collection, user, number):
    data, extension, (width, height) = _clean_image_bytes(photo.file)
    image = get_image_model()(
        title=f"{application.place_name} – Foto {number}"[:255],
        description=photo.description,
        credit=photo.credit,
        collection=collection,
        uploaded_by_user=user,
        width=width,
        height=height,
    )
    stem = german_slugify(application.place_name)[:40] or "foto"
    # A random part: the files of a private image and its renditions (served from
    # /media/images/ by the web server) must not be found by guessing from the place name.
    name = f"{stem}-{number}-{secrets.token_hex(8)}.{extension}"
    image.file.save(name, ContentFile(data), save=False)
    image._set_image_file_metadata()
    image.width, image.height = width, height
    image.save()
    return image


def convert_to_draft(application: Application, user) -> PlacePage:
    """Create a draft PlacePage from ``application``; a second call returns the same page."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.place_id is not None:
            existing = PlacePage.objects.filter(pk=application.place_id).first()
            if existing is not None:
                return existing
        if application.anonymised_at is not None:
            raise ConversionError(
                "Die Bewerbung ist anonymisiert und kann nicht übernommen werden."
            )
        if not user_can_convert(user, application):
            raise PermissionDenied
        region = application.region.specific

        page = PlacePage(
            title=application.place_name,
            slug=unique_slug(
                application.place_name, set(region.get_children().values_list("slug", flat=True))
            ),
            teaser=teaser_from(application.introduction),
            story=story_from(application.introduction),
            municipality=application.municipality,
            street=application.street,
            postcode=application.postcode,
            website=application.website,
            contact_person=application.contact_person,
            email=application.email,
            phone=application.phone,
            status=PlaceStatus.ACTIVE,
            last_checked=timezone.localdate(),
            owner=user,
            live=False,
        )
        page.categories.set(list(application.categories.all()))

        photos = list(application.photos.all())
        if photos:
            # Not public until the page is published (photos.py).
            collection = private_collection(region)
            images = []
            for number, photo in enumerate(photos, start=1):
                image = _image_from_photo(photo, application, collection, user, number)
                photo.image = image
                photo.save(update_fields=["image"])
                images.append(image)
            page.hero_image = images[0]
            page.gallery_images = [PlaceGalleryImage(image=image) for image in images[1:]]

        region.add_child(instance=page)
        # Coordinates are unknown yet: the editor sets them on the map before publishing
        # (required in the editor, nullable in the database). Everything else is validated.
        try:
            page.full_clean(exclude=["latitude", "longitude"])
        except ValidationError as error:
            raise ConversionError(
                "Die Angaben passen nicht in eine Ortsseite: "
                + "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from error
        page.save_revision(user=user, log_action=True, clean=False)

        application.place = page
        application.status = ApplicationStatus.CONVERTED
        application.converted_at = timezone.now()
        application.converted_by = user
        application.save(
            update_fields=["place", "status", "converted_at", "converted_by", "updated_at"]
        )
    return page
