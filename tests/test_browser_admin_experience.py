"""The editing form without traps, in a real browser (autosave on, as configured by default).

- An invalid entry stops the autosave: a German notice names the field and its tab, and once
  the editor corrects it the page saves again by itself.
- A failed background save (server error) is tried again without the editor doing anything.
- A full save with an invalid entry keeps every tab's entries and opens the tab with the error.
- The image chooser's duplicate dialog: keeping the existing image leaves no „gelöscht“ banner.
- The page address spells out umlauts while the title is typed (ü → ue, ß → ss).
- The login page and the admin carry the portal's name and logo.
"""

import io
import re

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from places.models import PlacePage
from tests.admin_staff import EDITOR_PASSWORD, log_in, onboarded_region

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
NOTICE = "#kig-save-notice"


@pytest.fixture
def harz(transactional_db, settings, tmp_path, django_user_model):
    from places.factories import PlacePageFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 500  # Wagtail's default, stated
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000
    result = onboarded_region(
        "Harz", "harz@example.org", django_user_model, editor="redakteurin", moderator=False
    )
    result.place = PlacePageFactory(
        parent=result.region, title="Alte Mühle", slug="alte-muehle", municipality="Ilsenburg"
    )
    return result


@pytest.fixture
def editor_page(chromium, live_server, harz):
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    log_in(page, live_server.url, "redakteurin", EDITOR_PASSWORD)
    yield page
    context.close()


def open_editor(page, url):
    """Open the edit form and wait until Wagtail watches it for changes: it takes its
    reference copy of the form 2 s after loading (w-unsaved), and a change made before that
    would count as the form's original state."""
    page.goto(url)
    page.wait_for_timeout(2_500)


def latest_title(place) -> str:
    place.refresh_from_db()
    return place.get_latest_revision_as_object().title


def wait_for(predicate, page, timeout_ms=20_000):
    for _ in range(timeout_ms // 250):
        if predicate():
            return True
        page.wait_for_timeout(250)
    return predicate()


def test_an_invalid_entry_is_named_and_autosave_resumes_after_the_correction(
    editor_page, live_server, harz
):
    page = editor_page
    place = harz.place
    open_editor(page, f"{live_server.url}/admin/pages/{place.pk}/edit/")
    page.get_by_role("tab", name="Ort & Kontakt").click()
    page.locator("input[name='latitude']").fill("Nordhang")
    page.get_by_role("tab", name="Inhalt").click()
    page.locator("input[name='title']").fill("Alte Mühle am Bach")

    notice = page.locator(NOTICE)
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Noch nicht gespeichert")
    expect(notice).to_contain_text("Ort & Kontakt")  # the tab that holds the error
    expect(notice).to_contain_text("„Breite“")  # the field
    assert latest_title(place) == "Alte Mühle"

    notice.get_by_role("button", name="Zeigen").first.click()
    expect(page.locator("input[name='latitude']")).to_be_focused()
    page.locator("input[name='latitude']").fill("51.8")
    expect(notice).to_be_hidden()
    assert wait_for(lambda: latest_title(place) == "Alte Mühle am Bach", page)


def test_a_failed_background_save_is_retried_without_a_new_change(editor_page, live_server, harz):
    page = editor_page
    place = harz.place
    open_editor(page, f"{live_server.url}/admin/pages/{place.pk}/edit/")
    edit_path = f"/admin/pages/{place.pk}/edit/"
    failures = []

    def fail_once(route):
        if route.request.method == "POST" and not failures:
            failures.append(route.request.url)
            route.fulfill(status=502, body="<h1>Bad Gateway</h1>", content_type="text/html")
        else:
            route.continue_()

    page.route(f"**{edit_path}", fail_once)
    page.locator("input[name='title']").fill("Alte Mühle im Harz")
    notice = page.locator(NOTICE)
    expect(notice).to_contain_text("Der Server hat einen Fehler gemeldet")
    assert failures
    # No further typing: the save is tried again by itself.
    expect(notice).to_be_hidden(timeout=25_000)
    assert wait_for(lambda: latest_title(place) == "Alte Mühle im Harz", page)


def test_a_failed_save_keeps_every_tab_and_opens_the_tab_with_the_error(
    editor_page, live_server, harz
):
    page = editor_page
    place = harz.place
    page.goto(f"{live_server.url}/admin/pages/{place.pk}/edit/")
    page.locator("input[name='title']").fill("Alte Mühle Ilsenburg")
    page.locator("[name='teaser']").fill("Werkstätten in einer alten Wassermühle.")
    page.get_by_role("tab", name="Ort & Kontakt").click()
    page.locator("input[name='street']").fill("Mühlenweg 3")
    page.locator("input[name='latitude']").fill("Nordhang")
    page.get_by_role("tab", name="Inhalt").click()
    page.get_by_role("button", name="Entwurf speichern").click()

    page.wait_for_load_state("load")
    expect(page.locator(".messages")).to_contain_text("korrigieren")
    location_tab = page.get_by_role("tab", name=re.compile("Ort & Kontakt"))
    expect(location_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("input[name='latitude']")).to_be_visible()
    expect(page.locator("input[name='latitude']")).to_have_value("Nordhang")
    expect(page.locator("input[name='street']")).to_have_value("Mühlenweg 3")
    page.get_by_role("tab", name="Inhalt").click()
    expect(page.locator("input[name='title']")).to_have_value("Alte Mühle Ilsenburg")
    expect(page.locator("[name='teaser']")).to_have_value("Werkstätten in einer alten Wassermühle.")


def png(tmp_path):
    path = tmp_path / "muehle.png"
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 400), (120, 160, 90)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def upload_in_chooser(page, file):
    chooser = page.locator("[data-contentpath='hero_image']")
    if chooser.locator(".chooser.blank").count():
        chooser.get_by_role("button", name=re.compile("Bild auswählen")).click()
    else:  # an image is chosen: "Anderes Bild wählen" sits in the actions menu
        chooser.get_by_role("button", name="Aktionen").click()
        chooser.locator("[data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Hochladen").click()
    modal.locator("input[name='image-chooser-upload-file']").set_input_files(file)
    modal.locator("input[name='image-chooser-upload-title']").fill("Mühle im Frühling")
    modal.locator("[name='image-chooser-upload-description']").fill("Fachwerkmühle am Bach")
    modal.locator("[name='image-chooser-upload-credit']").fill("Foto: Anna Muster")
    modal.get_by_role("button", name="Hochladen").click()
    return modal


def test_keeping_the_existing_image_leaves_no_deleted_banner(
    editor_page, live_server, harz, tmp_path
):
    from core.models import CustomImage

    page = editor_page
    place = harz.place
    file = png(tmp_path)
    page.goto(f"{live_server.url}/admin/pages/{place.pk}/edit/")
    page.get_by_role("tab", name="Bilder").click()
    modal = upload_in_chooser(page, file)
    expect(modal).to_be_hidden()
    (existing,) = CustomImage.objects.all()

    # The same photo again: Wagtail finds the duplicate; the editor keeps the existing one.
    modal = upload_in_chooser(page, file)
    keep_existing = modal.locator(".use-existing-image")
    expect(keep_existing).to_be_visible()
    keep_existing.click()
    expect(modal).to_be_hidden()
    expect(page.locator("[data-contentpath='hero_image']")).to_contain_text("Mühle im Frühling")
    assert list(CustomImage.objects.values_list("pk", flat=True)) == [existing.pk]

    # The next page the editor opens shows no "Bild ‚Mühle im Frühling‘ gelöscht.".
    page.goto(f"{live_server.url}/admin/images/")
    expect(page.locator("main")).to_contain_text("Mühle im Frühling")
    expect(page.locator(".messages li")).to_have_count(0)


def test_the_page_address_spells_out_umlauts_while_typing(editor_page, live_server, harz):
    page = editor_page
    page.goto(f"{live_server.url}/admin/pages/add/places/placepage/{harz.region.pk}/")
    page.locator("input[name='title']").fill("Grüne Straße Öko-Hof")
    page.get_by_role("tab", name="Adresse & Teilen").click()
    slug = page.locator("input[name='slug']")
    expect(slug).to_have_value("gruene-strasse-oeko-hof")
    slug.fill("Über-Mühle")
    slug.blur()
    expect(slug).to_have_value(re.compile("^ueber-muehle$", re.I))


def test_the_login_page_and_admin_carry_the_portals_brand(chromium, live_server, harz):
    context = chromium.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    expect(page).to_have_title(re.compile("Kreativorte im Grünen – Redaktion"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willkommen in der Redaktion")
    logo = page.locator("img.kig-admin-logo")
    expect(logo).to_be_visible()
    assert page.evaluate("() => document.querySelector('img.kig-admin-logo').naturalWidth") > 0
    primary = page.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue("
        "'--w-color-primary-hue').trim()"
    )
    assert primary == "146.6"
    context.close()
    assert not PlacePage.objects.filter(title="").exists()
