"""Rich text shows only public images: an ``<embed embedtype="image">`` of an image in a
restricted collection renders nothing (website.wagtail_hooks.PublicImageEmbedHandler)."""

from wagtail.models import Collection, CollectionViewRestriction

import pytest

from core.factories import CustomImageFactory
from home.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


def _embed(image) -> str:
    return f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="{image.title}"/>'


def test_rich_text_leaves_out_images_of_restricted_collections(
    client, home_page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    private = Collection.get_first_root_node().add_child(name="Bewerbungsfotos")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    secret = CustomImageFactory(title="GEHEIMBILD", collection=private)
    public = CustomImageFactory(title="Offenes Bild")
    page = ContentPageFactory(
        parent=home_page,
        slug="ueber-uns",
        intro=f"<p>Vorher</p>{_embed(secret)}{_embed(public)}<p>Nachher</p>",
    )
    page.save_revision().publish()

    html = client.get("/ueber-uns/").content.decode()
    assert 'alt="Offenes Bild"' in html
    assert "GEHEIMBILD" not in html
    assert "Vorher" in html and "Nachher" in html
