"""Page addresses spell out umlauts in the admin like the demo's (core/slugs.py), for every
page type: in the live title → slug script (the widget's formatters) and on the server."""

import json

from wagtail.models import get_page_models
from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest

from core.slugs import GermanSlugField, german_slugify, spell_out_umlauts
from core.wagtail_hooks import GermanSlugInput
from home.models import ContentPage


def test_umlauts_are_spelled_out_and_nothing_else_changes():
    assert german_slugify("Grüne Straße") == "gruene-strasse"
    assert spell_out_umlauts("Über-Mühle-2") == "Ueber-Muehle-2"
    assert GermanSlugField(allow_unicode=True).clean("grün-weiß") == "gruen-weiss"


@pytest.mark.parametrize("model", get_page_models(), ids=lambda model: model.__name__)
def test_every_page_types_admin_form_spells_out_umlauts(model):
    form_class = model.get_edit_handler().get_form_class()
    field = form_class.base_fields["slug"]
    assert isinstance(field, GermanSlugField)
    assert isinstance(field.widget, GermanSlugInput)
    formatters = json.loads(field.widget.attrs["data-w-slug-formatters-value"])
    assert [["ü", "gu"], "ue"] in formatters


@pytest.mark.django_db
def test_a_typed_slug_with_umlauts_is_saved_spelled_out(admin_client, home_page):
    data = nested_form_data({"title": "Über uns", "slug": "über-uns", "body": streamfield([])})
    response = admin_client.post(
        f"/admin/pages/add/home/contentpage/{home_page.pk}/", data, follow=False
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ContentPage.objects.get(title="Über uns")
    assert page.slug == "ueber-uns"
