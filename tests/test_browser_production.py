"""The Content-Security-Policy in Chromium: public pages and the Wagtail editor work under it.

Chromium reports every blocked script, style, image or frame as a console error
("… violates the following Content Security Policy directive …") and as a
``securitypolicyviolation`` event; both are collected on every page. The policy the admin needs
(``CONTENT_SECURITY_POLICY_ADMIN``) is documented in docs/deployment.md.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

COLLECT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const seen = JSON.parse(sessionStorage.getItem("csp-violations") || "[]");
  seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
  sessionStorage.setItem("csp-violations", JSON.stringify(seen));
});
"""


class PolicyWatcher:
    def __init__(self, page):
        self.page = page
        self.console = []
        page.on(
            "console",
            lambda message: (
                self.console.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: self.console.append(f"{page.url}: {error}"))

    def events(self):
        return self.page.evaluate("JSON.parse(sessionStorage.getItem('csp-violations') || '[]')")


def test_public_pages_and_the_admin_editor_run_without_policy_violations(
    live_server, chromium, place, admin_user
):
    place.save_revision().publish()
    base = live_server.url
    context = chromium.new_context(locale="de-DE", viewport={"width": 1280, "height": 1000})
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    watcher = PolicyWatcher(page)

    for path in ["/", place.get_parent().url, place.url, "/einbetten/karte/", "/mitmachen/"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    page.goto(base + "/orte/")
    page.get_by_role("button", name=re.compile(r"^Karte laden")).click()
    expect(page.locator(".leaflet-container")).to_be_visible()
    page.wait_for_load_state("networkidle")
    public_events = watcher.events()

    page.goto(base + "/admin/login/")
    page.locator("input[name='username']").fill(admin_user.username)
    page.locator("input[name='password']").fill("password")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.goto(f"{base}/admin/pages/{place.pk}/edit/")
    page.wait_for_load_state("networkidle")
    # The StreamField editor (scripts), the preview panel (a same-origin frame of the page).
    page.locator(".c-sf-add-button").first.click()
    expect(page.get_by_role("option", name="Text", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    preview = page.frame_locator("iframe[id='w-preview-iframe'], .preview-panel iframe").first
    expect(preview.locator("h1")).to_contain_text(place.title)
    page.goto(f"{base}/admin/images/")
    page.wait_for_load_state("networkidle")

    assert public_events == []
    assert watcher.events() == []
    assert watcher.console == []
    context.close()
