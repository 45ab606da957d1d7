import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import factory
from PIL import Image as PILImage

from applications.models import Application, ApplicationPhoto


def png_bytes(width: int = 64, height: int = 48, color=(120, 160, 90)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def png_upload(name: str = "scheune.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


class ApplicationFactory(factory.django.DjangoModelFactory):
    place_name = factory.Sequence(lambda n: f"Alte Scheune {n}")
    municipality = "Salzwedel"
    street = "Dorfstraße 1"
    postcode = "29410"
    introduction = "Eine alte Scheune, in der jetzt Werkstätten und ein Café sind."
    website = "https://scheune.example"
    contact_person = "Anna Muster"
    email = factory.Sequence(lambda n: f"anna{n}@example.org")
    phone = "03901 000 100"
    consent_version = "2026-11"
    consent_given_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Application


class ApplicationPhotoFactory(factory.django.DjangoModelFactory):
    application = factory.SubFactory(ApplicationFactory)
    file = factory.LazyFunction(lambda: png_upload())
    description = "Backsteinscheune mit offenem Tor"
    credit = "Foto: Anna Muster"
    rights_confirmed = True

    class Meta:
        model = ApplicationPhoto
