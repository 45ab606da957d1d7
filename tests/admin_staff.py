"""Shared set-up of the admin browser tests: the site, an onboarded region with its editor
(and moderator), and logging in through Wagtail's login form."""

import re

from wagtail.models import Page, Site

from playwright.sync_api import expect

from home.factories import HomePageFactory
from regions.onboarding import onboard_region

EDITOR_PASSWORD = "geheim-123"
MODERATOR = ("moderator", "m@example.org", "geheim-456")


def onboarded_region(name, contact_email, django_user_model, *, editor, moderator=True):
    """``onboard_region(name)`` below a fresh home page served by the default site; the user
    ``editor`` (password ``EDITOR_PASSWORD``) in its editors' group and, with ``moderator``,
    the user ``MODERATOR`` in its moderators' group."""
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="kreativorte")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    result = onboard_region(name, contact_email=contact_email, publish=True)
    user = django_user_model.objects.create_user(editor, f"{editor}@example.org", EDITOR_PASSWORD)
    user.groups.add(result.editors_group)
    if moderator:
        username, email, password = MODERATOR
        user = django_user_model.objects.create_user(username, email, password)
        user.groups.add(result.moderators_group)
    return result


def log_in(page, base_url, username, password):
    page.goto(base_url + "/admin/login/")
    page.locator("input[name='username']").fill(username)
    page.locator("input[name='password']").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
