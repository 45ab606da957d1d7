"""The admin speaks the editors' German: the project catalogue (locale/de) replaces Wagtail's
jargon, Wagtail's default groups and workflow have German names, the admin is branded."""

import ast
import gettext
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import label_for_field
from django.contrib.auth.models import Group
from django.utils import translation

from wagtail.models import Task, Workflow, WorkflowPage

import pytest

from applications.wagtail_hooks import ApplicationAdmin

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"


def po_entries(path: Path) -> dict[str, str]:
    """msgid → msgstr of a simple .po file (no plurals or contexts, as ours has none)."""
    entries, current, key = {}, {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        match = re.match(r'(msgid|msgstr)\s+(".*")$', line)
        if match:
            if match.group(1) == "msgid" and "msgstr" in current:
                entries[current["msgid"]] = current["msgstr"]
                current = {}
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
    if "msgstr" in current:
        entries[current["msgid"]] = current["msgstr"]
    entries.pop("", None)
    return entries


def test_the_compiled_catalogue_matches_its_source():
    """The .mo is committed (no compilemessages in make run, CI or the image): it must say
    what the .po says."""
    source = po_entries(CATALOGUE / "django.po")
    with open(CATALOGUE / "django.mo", "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    assert len(source) >= 30
    for msgid, msgstr in source.items():
        assert compiled.gettext(msgid) == msgstr, msgid


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("slug", "Seitenadresse"),
        ("meta description", "Beschreibung für Suchmaschinen"),
        ("Approve with comment", "Mit Kommentar freigeben"),
        ("Page '%(page_title)s' has been updated.", "als Entwurf gespeichert"),
        ("Sign in to Wagtail", "In der Redaktion anmelden"),
        ("Workflows", "Freigaben"),
        ("Promote", "Adresse & Teilen"),
        ("What's new in Wagtail %(version)s", "Neu im Redaktionssystem"),
    ],
)
def test_the_project_catalogue_comes_before_wagtails(english, german):
    with translation.override("de"):
        assert german in translation.gettext(english)


JARGON = (
    "Kurztitel",
    "domain.com",
    "Meta-Information",
    "genehmig",
    "Validierungsfehler",
    "Workflows",
    "Was ist neu in Wagtail",
)


@pytest.mark.django_db
def test_the_place_form_has_no_jargon(admin_client, region):
    response = admin_client.get(f"/admin/pages/add/places/placepage/{region.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Seitenadresse" in content
    assert "Beschreibung für Suchmaschinen" in content
    for word in JARGON:
        assert word not in content, word


@pytest.mark.django_db
def test_wagtails_default_groups_and_workflow_have_german_names():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Redaktion (ohne Seitenrechte)", "Moderation (ohne Seitenrechte)"} <= names
    assert not names & {"Editors", "Moderators"}
    workflow = Workflow.objects.get(name="Freigabe Portalseiten")
    assert Task.objects.filter(name="Freigabe Portalseiten").exists()
    # Still the default workflow on the root page, approved by the renamed moderators' group.
    assert WorkflowPage.objects.filter(workflow=workflow, page__depth=1).exists()
    task = workflow.tasks.get().specific
    assert task.groups.filter(name="Moderation (ohne Seitenrechte)").exists()
    assert not Workflow.objects.filter(name__icontains="Moderators").exists()


@pytest.mark.django_db
def test_login_page_is_branded_and_german(client):
    content = client.get("/admin/login/").content.decode()
    assert "Willkommen in der Redaktion" in content
    assert "Kreativorte im Grünen – Redaktion" in content  # the title
    assert "img/logo-mark.svg" in content
    assert "img/favicon.svg" in content
    assert "core/admin/admin.css" in content
    assert "Wagtail" not in re.sub(r"<(script|link|svg)[^>]*>", "", content.split("<body")[1])


@pytest.mark.django_db
def test_dashboard_is_branded(admin_client, home_page):
    content = admin_client.get("/admin/").content.decode()
    assert "Kreativorte im Grünen – Redaktion" in content
    assert "img/logo-mark.svg" in content  # the sidebar's logo


def test_admin_colours_use_wagtails_custom_properties():
    css = (Path(settings.BASE_DIR) / "core/static/core/admin/admin.css").read_text()
    for name in ("--w-color-primary-hue", "--w-color-secondary-hue"):
        assert name in css


def test_the_applications_inbox_has_german_column_headings():
    """modeladmin reads the function behind a staticmethod: "Mail state" was its heading."""
    model = apps.get_model("applications", "Application")
    admin = ApplicationAdmin()
    assert label_for_field("mail_state", model, model_admin=admin) == "E-Mails"
    assert label_for_field("category_names", model, model_admin=admin) == "Themenfelder"
