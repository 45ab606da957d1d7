"""A new regional editor's first place, in a real browser, the way a non-technical editor works.

An Altmark editor creates a place: sets the point with „Punkt aus Adresse setzen“ (no geocoder
configured: the municipality's centre, no request leaves the machine), pastes a pair of
coordinates with decimal commas, fills the opening hours with the weekday picker and adds a
Saturday in German words, uploads three photos through the image chooser (title image and two
gallery images), saves a draft and submits it. A moderator approves. The published page shows
the opening hours in German.

Autosave runs as configured by default: no save may fail on the way, neither a click on a
button nor an autosave in the background (every POST to the admin is watched, and no error
banner or autosave warning may appear).
"""

import io
import re
from urllib.parse import urlparse

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from places.models import PlacePage
from tests.admin_staff import log_in, onboarded_region
from tests.browser import RequestRecorder

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
MENU_TOGGLE = "footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']"
ADD_CHILD_PAGE = re.compile("Unterseite hinzufügen|Seite hinzufügen")
ERROR_BANNER = ".messages .error, .messages [class*='error'], .help-critical"
AUTOSAVE_WARNING = "footer [data-w-messages-target='container']"
#: Milliseconds for a pending autosave (every 500 ms after a change) to be sent and answered.
AUTOSAVE_SETTLES = 1500


class SaveWatcher:
    """Every POST to the admin and its answer: a failed save is a 4xx/5xx answer (Wagtail's
    autosave answers 400 with ``"success": false`` when validation fails)."""

    def __init__(self, page):
        self.saves = []
        page.on("response", self.record)

    def record(self, response):
        request = response.request
        if request.method == "POST" and urlparse(response.url).path.startswith("/admin/"):
            answer = response.text()[:500] if response.status >= 400 else ""
            self.saves.append((urlparse(response.url).path, response.status, answer))

    @property
    def failed(self):
        return [save for save in self.saves if save[1] >= 400]


def assert_no_failed_save(page, watcher, step):
    page.wait_for_timeout(AUTOSAVE_SETTLES)
    assert watcher.failed == [], f"{step}: failed saves {watcher.failed}"
    expect(page.locator(ERROR_BANNER), f"{step}: error banner").to_have_count(0)
    warning = page.locator(AUTOSAVE_WARNING)
    if warning.count():
        expect(warning.first, f"{step}: autosave warning").to_have_text("")


def photo(tmp_path, name, colour):
    path = tmp_path / f"{name}.png"
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 600), colour).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def altmark(transactional_db, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GEOCODER_URL = ""  # the default: no third-party request
    # Autosave stays on (Wagtail's default interval); only the editing-session ping, a pure
    # timer, is slowed down.
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000
    return onboarded_region("Altmark", "altmark@example.org", django_user_model, editor="neu")


def upload_in_chooser(page, path, title, description, credit):
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    modal.get_by_role("tab", name="Hochladen").click()
    modal.locator("input[name='image-chooser-upload-file']").set_input_files(path)
    modal.locator("input[name='image-chooser-upload-title']").fill(title)
    modal.locator("[name='image-chooser-upload-description']").fill(description)
    modal.locator("[name='image-chooser-upload-credit']").fill(credit)
    modal.get_by_role("button", name="Hochladen").click()
    expect(modal).to_be_hidden()


def test_a_new_editor_creates_a_place_in_german_and_it_is_approved(
    live_server, chromium, altmark, tmp_path
):
    base = live_server.url
    region = altmark.region

    # --- The new editor -------------------------------------------------------------------
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    watcher = SaveWatcher(page)
    outside = RequestRecorder(page)

    log_in(page, base, "neu", "geheim-123")
    page.goto(f"{base}/admin/pages/{region.pk}/")
    page.get_by_role("link", name=ADD_CHILD_PAGE).first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/places/placepage/\d+/$"))

    page.locator("input[name='title']").fill("Kulturscheune Chüden")
    page.locator("[name='teaser']").fill("Eine Scheune für Konzerte, Werkstätten und Feste.")
    page.get_by_label("Leben/Tourismus").check()

    # Where: the municipality's centre from the button, then the exact point pasted.
    page.get_by_role("tab", name="Ort & Kontakt").click()
    page.locator("input[name='street']").fill("Dorfstraße 7")
    page.locator("input[name='postcode']").fill("29410")
    page.locator("input[name='municipality']").fill("Salzwedel")
    page.get_by_role("button", name="Punkt aus Adresse setzen").click()
    expect(page.locator("[data-coordinates-locate-status]")).to_contain_text(
        "Mittelpunkt von Salzwedel"
    )
    expect(page.locator("input[name='latitude']")).to_have_value("52.854400")
    expect(page.locator("input[name='longitude']")).to_have_value("11.152500")
    page.locator("input[name='latitude']").fill("52,8912 11,2327")
    expect(page.locator("input[name='latitude']")).to_have_value("52,8912")
    expect(page.locator("input[name='longitude']")).to_have_value("11,2327")
    assert_no_failed_save(page, watcher, "setting the point")

    # When: Monday to Friday through the picker, Saturday added in German words.
    page.get_by_text("Öffnungszeiten per Auswahl eintragen").click()
    for day in ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"):
        page.get_by_label(f"{day} geöffnet").check()
    page.get_by_label("An Feiertagen geschlossen").check()
    page.get_by_role("button", name="In das Feld übernehmen").click()
    hours = page.locator("input[name='opening_hours']")
    expect(hours).to_have_value("Mo-Fr 10:00-18:00; PH off")
    hours.fill("Mo-Fr 10:00-18:00; Sa 10 bis 14 Uhr; Feiertage geschlossen")
    assert_no_failed_save(page, watcher, "opening hours")

    # Three photos: the title image and two for the gallery, each uploaded in the chooser.
    page.get_by_role("tab", name="Bilder").click()
    page.locator("[data-contentpath='hero_image']").get_by_role(
        "button", name=re.compile("Bild auswählen")
    ).click()
    upload_in_chooser(
        page,
        photo(tmp_path, "scheune", (150, 90, 60)),
        "Scheune von außen",
        "Rote Backsteinscheune mit offenem Tor",
        "Foto: Lea Beispiel",
    )
    expect(page.locator("[data-contentpath='hero_image']")).to_contain_text("Scheune von außen")
    assert_no_failed_save(page, watcher, "title image")
    gallery = [
        ("konzert", (60, 60, 140), "Konzert in der Scheune", "Publikum vor einer kleinen Bühne"),
        ("werkstatt", (90, 140, 90), "Werkstatt", "Hobelbank mit Werkzeug an der Wand"),
    ]
    for index, (name, colour, title, description) in enumerate(gallery):
        page.get_by_role("button", name="Bild hinzufügen").click()
        page.locator(f"#id_gallery_images-{index}-image-chooser .chooser__choose-button").click()
        upload_in_chooser(page, photo(tmp_path, name, colour), title, description, "Foto: Lea")
        expect(page.locator(f"#id_gallery_images-{index}-image-title")).to_have_text(title)
        assert_no_failed_save(page, watcher, f"gallery image {index + 1}")
    assert_no_failed_save(page, watcher, "filling the form")

    # Save a draft, then submit it to the region's workflow.
    page.locator("footer").get_by_role("button", name="Entwurf speichern").click()
    expect(page.locator(".messages")).to_contain_text("Kulturscheune Chüden")
    assert_no_failed_save(page, watcher, "saving the draft")
    place = PlacePage.objects.get(title="Kulturscheune Chüden")
    draft = place.get_latest_revision_as_object()
    assert draft.opening_hours == "Mo-Fr 10:00-18:00; Sa 10:00-14:00; PH off"
    assert (str(draft.latitude), str(draft.longitude)) == ("52.891200", "11.232700")
    assert draft.hero_image is not None
    assert len(draft.gallery_images.all()) == 2

    page.locator(MENU_TOGGLE).first.click()
    page.get_by_role("button", name="In Freigabe Altmark einreichen").click()
    expect(page.locator(".messages")).to_contain_text("Kulturscheune Chüden")
    assert_no_failed_save(page, watcher, "submitting")
    assert outside.external == []
    context.close()

    # --- The moderator ----------------------------------------------------------------------
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    watcher = SaveWatcher(page)
    log_in(page, base, "moderator", "geheim-456")
    page.goto(f"{base}/admin/pages/{place.pk}/edit/")
    page.locator(MENU_TOGGLE).first.click()
    page.locator("button[data-workflow-action-name='approve']").first.click()
    expect(page.locator(".messages")).to_contain_text("Kulturscheune Chüden")
    assert_no_failed_save(page, watcher, "approving")
    context.close()

    place.refresh_from_db()
    assert place.live
    assert place.opening_hours == "Mo-Fr 10:00-18:00; Sa 10:00-14:00; PH off"

    # --- A visitor ----------------------------------------------------------------------------
    context = chromium.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{base}{place.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kulturscheune Chüden")
    main = page.locator("main")
    expect(main).to_contain_text("Montag bis Freitag 10:00–18:00 Uhr")
    expect(main).to_contain_text("Samstag 10:00–14:00 Uhr")
    expect(main).to_contain_text("An Feiertagen geschlossen")
    context.close()
