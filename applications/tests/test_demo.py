"""/mitmachen/ is the form; the demo's "how to take part" page lives at /so-gehts/."""

import pytest

from demo.loader import load_demo
from demo.site import ensure_home_page
from home.models import ContentPage
from regions.models import RegionPage

pytestmark = pytest.mark.django_db


def test_demo_links_to_the_form_and_moves_an_old_mitmachen_page(client):
    home = ensure_home_page()
    old = ContentPage(title="Mitmachen", slug="mitmachen", intro="<p>Alt</p>")
    home.add_child(instance=old)
    old.save_revision().publish()

    load_demo(with_images=False)
    load_demo(with_images=False)

    pages = ContentPage.objects.child_of(home)
    assert not pages.filter(slug="mitmachen").exists()
    moved = pages.get(slug="so-gehts")
    assert moved.pk == old.pk and moved.title == "So machen Sie mit"
    altmark = RegionPage.objects.get(slug="altmark", locale__language_code="de")
    assert altmark.contact_email == "kreativorte@altmark.de"

    form = client.get("/mitmachen/")
    assert form.status_code == 200 and "Ort vorschlagen" in form.content.decode()
    assert client.get("/so-gehts/").status_code == 200


def test_fresh_demo_page_links_to_the_form(client):
    load_demo(with_images=False)
    html = client.get("/so-gehts/").content.decode()
    assert "So machen Sie mit" in html
    assert 'href="/mitmachen/"' in html
    assert "kreativorte@altmark.de" in html
