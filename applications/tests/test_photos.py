"""Photos are checked by content and kept where nobody outside the admin can reach them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image as PILImage

from applications.factories import jpeg_bytes, png_bytes, png_upload
from applications.models import Application, ApplicationPhoto

from .helpers import bomb_png, form_data

pytestmark = pytest.mark.django_db

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def with_photo(altmark, categories, upload, number=1, **extra):
    return form_data(
        altmark,
        categories,
        **{
            f"photo_{number}": upload,
            f"photo_{number}_description": "Backsteinscheune mit offenem Tor",
            f"photo_{number}_credit": "Foto: Anna Muster",
            f"photo_{number}_rights": "on",
        },
        **extra,
    )


def test_a_photo_is_stored_privately_under_a_random_name(
    post, altmark, categories, private_media, settings
):
    response = post(with_photo(altmark, categories, png_upload("mein-hof.png")))
    assert response.status_code == 200, response.content.decode()[:3000]
    photo = ApplicationPhoto.objects.get()
    assert photo.file.name.startswith("applications/")
    assert "mein-hof" not in photo.file.name
    assert (private_media / photo.file.name).exists()
    assert not str(private_media).startswith(str(settings.MEDIA_ROOT))
    assert (photo.width, photo.height) == (64, 48)
    assert photo.description == "Backsteinscheune mit offenem Tor"
    assert photo.rights_confirmed


def test_photo_needs_description_credit_and_rights(post, altmark, categories):
    data = form_data(altmark, categories, photo_1=png_upload())
    response = post(data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte beschreiben Sie kurz, was auf dem Foto zu sehen ist." in html
    assert "Bitte nennen Sie, wer das Foto gemacht hat." in html
    assert "Bitte bestätigen Sie, dass Sie die Rechte an diesem Foto haben." in html
    # The photo itself was fine: it is kept for the next attempt (test_kept_photos.py).
    assert "Foto 1: scheune.png – bleibt erhalten" in html
    assert Application.objects.count() == 0


def refused(post, data, expected):
    response = post(data)
    assert response.status_code == 400, response.status_code
    html = response.content.decode()
    assert expected in html, html[:4000]
    assert Application.objects.count() == 0
    assert ApplicationPhoto.objects.count() == 0
    return html


def test_a_20_mb_photo_is_refused(post, altmark, categories):
    big = SimpleUploadedFile("gross.jpg", b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024))
    refused(post, with_photo(altmark, categories, big), "Das Foto ist zu groß (höchstens 5,0")


def test_a_decompression_bomb_is_refused(post, altmark, categories):
    bomb = SimpleUploadedFile("bombe.png", bomb_png(), content_type="image/png")
    assert bomb.size < 1024 * 1024
    refused(post, with_photo(altmark, categories, bomb), "zu viele Bildpunkte")


def test_a_photo_with_too_many_pixels_for_wagtail_is_refused(post, altmark, categories, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1000
    upload = png_upload(width=100, height=100)
    refused(post, with_photo(altmark, categories, upload), "zu viele Bildpunkte")


def test_an_svg_is_refused(post, altmark, categories):
    svg = SimpleUploadedFile("bild.svg", SVG, content_type="image/svg+xml")
    refused(post, with_photo(altmark, categories, svg), "Dieses Dateiformat ist nicht erlaubt.")


def test_an_svg_named_png_is_refused(post, altmark, categories):
    svg = SimpleUploadedFile("bild.png", SVG, content_type="image/png")
    refused(post, with_photo(altmark, categories, svg), "JPG-, PNG- oder WebP-Bild")


def test_a_pdf_renamed_to_jpg_is_refused(post, altmark, categories):
    pdf = SimpleUploadedFile("foto.jpg", PDF, content_type="image/jpeg")
    refused(post, with_photo(altmark, categories, pdf), "kein Foto, das wir lesen können")


def test_a_png_named_jpg_is_refused(post, altmark, categories):
    upload = SimpleUploadedFile("foto.jpg", png_bytes(), content_type="image/jpeg")
    refused(post, with_photo(altmark, categories, upload), "Dateiendung passt nicht")


def test_a_truncated_image_is_refused(post, altmark, categories):
    data = png_bytes(width=400, height=300)
    upload = SimpleUploadedFile("kaputt.png", data[: len(data) // 2], content_type="image/png")
    refused(post, with_photo(altmark, categories, upload), "kein Foto, das wir lesen können")


def test_ten_photos_are_refused(post, altmark, categories):
    data = with_photo(altmark, categories, png_upload("1.png"))
    data["photo_1"] = [png_upload(f"{n}.png") for n in range(4)]
    data["photo_2"] = [png_upload(f"b{n}.png") for n in range(3)]
    data["photo_3"] = [png_upload(f"c{n}.png") for n in range(3)]
    refused(post, data, "Bitte laden Sie höchstens 3 Fotos hoch.")


def test_three_photos_are_fine(post, altmark, categories):
    data = with_photo(altmark, categories, png_upload("1.png"))
    data.update(with_photo(altmark, categories, png_upload("2.png"), number=2))
    jpeg = SimpleUploadedFile("3.jpg", jpeg_bytes(), content_type="image/jpeg")
    data.update(with_photo(altmark, categories, jpeg, number=3))
    assert post(data).status_code == 200
    assert ApplicationPhoto.objects.count() == 3


def test_an_oversized_request_is_refused_before_reading_it(client, altmark, categories, settings):
    settings.APPLICATIONS_MAX_REQUEST_SIZE = 1024
    data = with_photo(altmark, categories, png_upload(width=400, height=400))
    response = client.post("/mitmachen/", data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 413
    assert "Die Fotos sind zu groß" in response.content.decode()
    assert Application.objects.count() == 0


def test_private_photos_are_not_under_media_url(post, altmark, categories, client):
    post(with_photo(altmark, categories, png_upload()))
    photo = ApplicationPhoto.objects.get()
    assert client.get(f"/media/{photo.file.name}").status_code == 404


def test_image_helper_makes_real_images():
    with PILImage.open(io.BytesIO(png_bytes())) as image:
        assert image.format == "PNG"


def bilevel_png(width: int, height: int) -> bytes:
    """A real PNG of that size that stays small (1 bit a pixel, one colour)."""
    buffer = io.BytesIO()
    PILImage.new("1", (width, height), 1).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_30_megapixel_photo_is_refused_and_the_limit_is_stated(post, client, altmark, categories):
    upload = SimpleUploadedFile("kamera.png", bilevel_png(6000, 5000), content_type="image/png")
    assert upload.size < 1024 * 1024
    refused(
        post,
        with_photo(altmark, categories, upload),
        "Das Foto hat zu viele Bildpunkte (höchstens 24 Megapixel)",
    )
    form = client.get("/mitmachen/").content.decode()
    assert "JPG, PNG oder WebP, höchstens 5,0\xa0MB und 24 Megapixel" in form


def test_a_24_megapixel_camera_photo_is_accepted(post, altmark, categories):
    upload = SimpleUploadedFile("kamera.png", bilevel_png(6000, 4000), content_type="image/png")
    assert post(with_photo(altmark, categories, upload)).status_code == 200
    photo = ApplicationPhoto.objects.get()
    assert (photo.width, photo.height) == (6000, 4000)


def test_the_pixel_count_is_checked_from_the_header_before_decoding(post, altmark, categories):
    """A header that claims too many pixels is refused as such; its data is never decoded."""
    data = bilevel_png(6000, 5000)
    header_only = data[: data.index(b"IDAT") - 4] + b"\x00\x00\x00\x04IDATjunk\x00\x00\x00\x00"
    upload = SimpleUploadedFile("kopf.png", header_only, content_type="image/png")
    refused(post, with_photo(altmark, categories, upload), "zu viele Bildpunkte")
