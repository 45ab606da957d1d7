"""The region editor's path, in a real browser: a place from an empty form to live.

A Harz editor logs in, creates a place with coordinates, uploads a photo with alt text and
credit through the image chooser's upload form, writes a story of two sections in the
StreamField editor and submits it to the region's workflow. A Harz moderator approves it; the
place is then live on the region page.

Admin requests are counted per person (see ``AdminRequestCounter``): every request to
``/admin/`` that is a page load (navigation, ``document``), a form post or another non-GET
request, or an XHR/fetch call (choosers, validation, previews). Static files are not counted.
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


class AdminRequestCounter:
    def __init__(self, page):
        self.navigations = []
        self.posts = []
        self.dynamic = []
        page.on("request", self.record)

    def record(self, request):
        path = urlparse(request.url).path
        if not path.startswith("/admin/"):
            return
        if request.method != "GET":
            self.posts.append(f"{request.method} {path}")
        elif request.is_navigation_request() or request.resource_type == "document":
            self.navigations.append(path)
        elif request.resource_type in ("xhr", "fetch"):
            self.dynamic.append(path)

    @property
    def total(self) -> int:
        return len(self.navigations) + len(self.posts) + len(self.dynamic)

    def summary(self) -> str:
        return (
            f"{self.total} admin requests: {len(self.navigations)} page loads, "
            f"{len(self.posts)} posts, {len(self.dynamic)} XHR/fetch"
        )


def png_file(tmp_path):
    path = tmp_path / "scheune.png"
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 400), (120, 160, 90)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def harz(transactional_db, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Wagtail 8 autosaves drafts every 500 ms and pings editing sessions on a timer. Both are
    # time-driven background requests: off here, so the count measures what the people do
    # (and SQLite's in-memory test database shares one connection across the live server's
    # threads, which concurrent background writes would trip over).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 10 * 60 * 1000
    return onboarded_region("Harz", "harz@example.org", django_user_model, editor="redakteurin")


def insert_block(page, index: int, label: str):
    """Open the StreamField's n-th "insert a block" menu and pick a block type."""
    page.locator("[data-streamfield-stream-container] .c-sf-add-button, .c-sf-add-button").nth(
        index
    ).click()
    page.get_by_role("option", name=label, exact=True).click()


def test_region_editor_creates_a_place_and_the_moderator_approves_it(
    live_server, chromium, harz, tmp_path, request
):
    base = live_server.url
    region = harz.region

    # --- The editor -----------------------------------------------------------------------
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    editor_requests = AdminRequestCounter(page)
    outside = RequestRecorder(page)

    log_in(page, base, "redakteurin", "geheim-123")
    page.goto(f"{base}/admin/pages/{region.pk}/")
    page.get_by_role("link", name=ADD_CHILD_PAGE).first.click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/places/placepage/\d+/$"))

    page.locator("input[name='title']").fill("Alte Mühle Ilsenburg")
    page.locator("[name='teaser']").fill("Werkstätten und Coworking in einer alten Wassermühle.")

    insert_block(page, 0, "Abschnittsüberschrift")
    page.locator("input[name='story-0-value-text']").fill("Das Objekt")
    insert_block(page, 1, "Text")
    editor_box = page.locator("[data-contentpath='story'] [role='textbox']").nth(0)
    editor_box.click()
    editor_box.type("Eine Wassermühle von 1850, seit 2020 ein Ort für Handwerk.")
    insert_block(page, 2, "Abschnittsüberschrift")
    page.locator("input[name='story-2-value-text']").fill("Die Menschen")
    insert_block(page, 3, "Text")
    editor_box = page.locator("[data-contentpath='story'] [role='textbox']").nth(1)
    editor_box.click()
    editor_box.type("Drei Tischlerinnen und ein Verein für Kultur im Dorf.")

    page.get_by_label("Arbeiten/Wirtschaft").check()

    page.get_by_role("tab", name="Ort & Kontakt").click()
    page.locator("input[name='municipality']").fill("Ilsenburg")
    page.locator("input[name='latitude']").fill("51.867000")
    page.locator("input[name='longitude']").fill("10.677000")

    page.get_by_role("tab", name="Bilder").click()
    page.locator("[data-contentpath='hero_image']").get_by_role(
        "button", name=re.compile("Bild auswählen")
    ).click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    modal.get_by_role("tab", name="Hochladen").click()
    modal.locator("input[name='image-chooser-upload-file']").set_input_files(png_file(tmp_path))
    modal.locator("input[name='image-chooser-upload-title']").fill("Mühle im Frühling")
    modal.locator("[name='image-chooser-upload-description']").fill(
        "Fachwerkmühle am Bach mit großem Wasserrad"
    )
    modal.locator("[name='image-chooser-upload-credit']").fill("Foto: Anna Muster")
    modal.get_by_role("button", name="Hochladen").click()
    expect(modal).to_be_hidden()
    expect(page.locator("[data-contentpath='hero_image']")).to_contain_text("Mühle im Frühling")

    page.locator(MENU_TOGGLE).first.click()
    page.get_by_role("button", name="In Freigabe Harz einreichen").click()
    expect(page.locator(".messages")).to_contain_text("Alte Mühle Ilsenburg")

    place = PlacePage.objects.get(title="Alte Mühle Ilsenburg")
    assert not place.live
    assert place.current_workflow_state is not None
    image = place.hero_image
    assert (image.description, image.credit, image.collection_id) == (
        "Fachwerkmühle am Bach mit großem Wasserrad",
        "Foto: Anna Muster",
        harz.collection.pk,
    )
    assert [block.block_type for block in place.get_latest_revision_as_object().story] == [
        "heading",
        "paragraph",
        "heading",
        "paragraph",
    ]
    assert outside.external == []
    context.close()

    # --- The moderator ----------------------------------------------------------------------
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    moderator_requests = AdminRequestCounter(page)
    log_in(page, base, "moderator", "geheim-456")
    page.get_by_role("link", name="Alte Mühle Ilsenburg").first.click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{place.pk}/edit/"))
    page.locator(MENU_TOGGLE).first.click()
    page.locator("button[data-workflow-action-name='approve']").first.click()
    expect(page.locator(".messages")).to_contain_text("Alte Mühle Ilsenburg")
    context.close()

    place.refresh_from_db()
    assert place.live

    # --- Visitors ---------------------------------------------------------------------------
    context = chromium.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(f"{base}/harz/")
    expect(page.get_by_role("link", name="Alte Mühle Ilsenburg")).to_be_visible()
    page.goto(f"{base}{place.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alte Mühle Ilsenburg")
    expect(page.locator("main")).to_contain_text("Die Menschen")
    context.close()

    total = editor_requests.total + moderator_requests.total
    print(
        f"\nEditor: {editor_requests.summary()}\nModerator: {moderator_requests.summary()}\n"
        f"Together: {total}\nEditor page loads: {editor_requests.navigations}\n"
        f"Editor posts: {editor_requests.posts}\nEditor XHR: {editor_requests.dynamic}\n"
        f"Moderator: {moderator_requests.navigations} {moderator_requests.posts} "
        f"{moderator_requests.dynamic}"
    )
    assert total < 60
