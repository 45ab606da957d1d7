"""An editor can only put images on a page that they may choose (their region's collection)
and that are public: by the hero image, the gallery, a story block, on save and on preview
(``core.forms.ImageCheckedPageForm``)."""

from django.apps import apps

from wagtail.admin.forms.pages import WagtailAdminPageForm
from wagtail.admin.models import FormState
from wagtail.models import CollectionViewRestriction, Page, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from core.factories import CustomImageFactory
from core.forms import ImageCheckedPageForm

# The German message ends with the refused ids (ASCII: StreamField errors come as JSON).
MESSAGE = "Bild-ID {}"


def _place_data(place, hero="", gallery=(), story=(), **extra):
    data = nested_form_data(
        {
            "title": "Harzer Hof neu",
            "slug": place.slug,
            "teaser": place.teaser,
            "municipality": "Wernigerode",
            "latitude": "51.830000",
            "longitude": "10.780000",
            "status": "aktiv",
            "hero_image": str(hero),
            "story": streamfield([("image", {"image": pk, "caption": "x"}) for pk in story]),
            "links": inline_formset([]),
            "gallery_images": inline_formset(
                [{"image": str(pk), "caption": "Galerie"} for pk in gallery]
            ),
            "comments": inline_formset([]),
            **extra,
        }
    )
    data["categories"] = [str(c.pk) for c in place.categories.all()]
    return data


@pytest.fixture
def foreign_images(two_regions):
    """Images the Harz editor may not put on a page: the Altmark's, and one in a restricted
    collection below the Harz collection (which the editor may otherwise choose from)."""
    d = two_regions
    private = d["harz"].collection.add_child(name="Harz intern")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    return {
        "altmark": d["image"].pk,
        "restricted": CustomImageFactory(title="Harz-intern", collection=private).pk,
    }


def _state(place):
    place.refresh_from_db()
    return (
        Revision.objects.filter(object_id=str(place.pk)).count(),
        place.latest_revision_id,
        place.get_latest_revision_as_object().hero_image_id,
        FormState.objects.count(),
    )


@pytest.mark.parametrize("which", ["altmark", "restricted"])
@pytest.mark.parametrize("where", ["hero", "gallery", "story"])
def test_editor_cannot_save_a_page_with_an_image_they_may_not_choose(
    client, two_regions, foreign_images, which, where
):
    d = two_regions
    place = d["harz_place"]
    client.force_login(d["harz_editor"])
    image_id = foreign_images[which]
    kwargs = {"hero": image_id} if where == "hero" else {where: [image_id]}
    before = _state(place)
    response = client.post(f"/admin/pages/{place.pk}/edit/", _place_data(place, **kwargs))
    assert response.status_code == 200  # the form again, with the error
    assert MESSAGE.format(image_id) in response.content.decode()
    assert _state(place) == before

    # The preview refuses it too, and keeps nothing to show.
    response = client.post(f"/admin/pages/{place.pk}/edit/preview/", _place_data(place, **kwargs))
    assert response.status_code == 200
    assert response.json()["is_valid"] is False
    assert not FormState.objects.filter(user=d["harz_editor"]).exists()
    preview = client.get(f"/admin/pages/{place.pk}/edit/preview/")
    assert "Harz-intern" not in preview.content.decode()
    assert _state(place) == before


def test_editor_cannot_create_a_page_with_a_foreign_image(client, two_regions, foreign_images):
    d = two_regions
    client.force_login(d["harz_editor"])
    count = Page.objects.count()
    place = d["harz_place"]
    data = _place_data(place, hero=foreign_images["altmark"])
    data["slug"] = "neuer-hof"
    response = client.post(f"/admin/pages/add/places/placepage/{d['harz'].region.pk}/", data)
    assert response.status_code == 200
    assert MESSAGE.format(foreign_images["altmark"]) in response.content.decode()
    assert Page.objects.count() == count


def test_own_images_and_images_already_on_the_page_are_accepted(client, two_regions):
    d = two_regions
    place = d["harz_place"]
    # The portal team put an Altmark image on the Harz page: it may stay there.
    place.hero_image = d["image"]
    place.save_revision().publish()
    client.force_login(d["harz_editor"])
    own = d["harz_image"].pk
    data = _place_data(place, hero=d["image"].pk, gallery=[own], story=[own])
    response = client.post(f"/admin/pages/{place.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    place.refresh_from_db()
    draft = place.get_latest_revision_as_object()
    assert draft.title == "Harzer Hof neu"
    assert draft.hero_image_id == d["image"].pk
    assert [item.image_id for item in draft.gallery_images.all()] == [own]
    response = client.post(f"/admin/pages/{place.pk}/edit/preview/", data)
    assert response.json()["is_valid"] is True


def test_every_page_type_checks_its_images():
    from wagtail.models import get_page_models

    project_apps = {"places", "regions", "home", "applications"}
    models = [model for model in get_page_models() if model._meta.app_label in project_apps]
    assert {m.__name__ for m in models} >= {"PlacePage", "RegionPage", "HomePage", "ContentPage"}
    for model in models:
        form_class = model.get_edit_handler().get_form_class()
        assert issubclass(form_class, ImageCheckedPageForm), model
        assert issubclass(form_class, WagtailAdminPageForm)
    assert apps.is_installed("wagtail.images")
