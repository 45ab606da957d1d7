import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from PIL import Image as PILImage

from core.models import CustomImage


def png_upload(name="scheune.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 40), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    user = django_user_model.objects.create_superuser("redaktion", "r@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_image_without_alt_text_or_credit_is_refused_in_german(admin_client_logged_in):
    response = admin_client_logged_in.post(
        reverse("wagtailimages:add"),
        {"title": "Scheune", "file": png_upload(), "description": "", "credit": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"description", "credit"}
    assert CustomImage.objects.count() == 0
    assert "Alternativtext" in response.content.decode()


@pytest.mark.django_db
def test_image_with_alt_text_and_credit_is_stored(admin_client_logged_in):
    response = admin_client_logged_in.post(
        reverse("wagtailimages:add"),
        {
            "title": "Scheune",
            "file": png_upload(),
            "description": "Rote Backsteinscheune",
            "credit": "Foto: Erika Muster",
            "licence": "CC BY 4.0",
        },
    )
    assert response.status_code == 302
    image = CustomImage.objects.get()
    assert image.description == "Rote Backsteinscheune"
    assert image.credit_line == "Foto: Erika Muster (CC BY 4.0)"


@pytest.mark.django_db
def test_admin_login_form_is_german(client):
    content = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "Passwort" in content
    assert ">\n            Password<" not in content
