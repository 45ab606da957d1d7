"""Translators (``Übersetzung <Region>``) through the admin's real views: the Altmark's
translator translates an Altmark place with wagtail-localize and submits it to the region's
approval; nobody translates, edits or sees another region's pages, and translators never
edit a German page (regions.translation, regions.translation_views)."""

from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from wagtail.models import Locale, Page, TaskState, WorkflowState
from wagtail_localize.models import StringSegment, Translation

import pytest

from places.models import PlacePage

from .test_isolation import ATTEMPTS, SECRET_DRAFT, SECRET_UNPUBLISHED, _edit_data, snapshot


def _refused(response):
    assert response.status_code in (302, 403, 404, 405), response.status_code
    if response.status_code == 302:
        # Wagtail answers PermissionDenied with a redirect to the dashboard.
        assert response["Location"] == "/admin/", response["Location"]


@pytest.fixture
def english():
    return Locale.objects.get(language_code="en")


@pytest.fixture
def regions(two_regions, django_user_model):
    """``two_regions`` plus a translator for each region."""
    d = dict(two_regions)
    for key, result in (("altmark", d["altmark"]), ("harz", d["harz"])):
        user = django_user_model.objects.create_user(
            f"{key}_translator", f"{key}_translator@example.org", "pw-123456"
        )
        user.groups.add(result.translators_group)
        d[f"{key}_translator"] = user
    return d


def submit_url(page):
    return reverse("wagtail_localize:submit_page_translation", args=[page.pk])


def translate(client, page, english):
    """„Übersetzen“ as the logged-in user: the translation's edit view, or the refusal."""
    return client.post(submit_url(page), {"locales": [str(english.pk)]})


def put_string(client, translation, path, value):
    segment = StringSegment.objects.get(source=translation.source, context__path=path)
    url = reverse(
        "wagtail_localize:edit_string_translation",
        kwargs={"translation_id": translation.pk, "string_segment_id": segment.pk},
    )
    return client.put(
        url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded"
    )


def test_translator_translates_a_place_of_their_region_and_submits_it(
    client, regions, english, django_capture_on_commit_callbacks
):
    """(Callbacks on commit run as in production: wagtail-localize publishes there.)"""
    d = regions
    place = d["live_place"]
    german_before = Page.objects.filter(pk=place.pk).values().get()
    client.force_login(d["altmark_translator"])

    # The German region's pages are there to open, with „Übersetzen“; the admin is German.
    explorer = client.get(reverse("wagtailadmin_explore", args=[d["altmark"].region.pk]))
    assert explorer.status_code == 200
    html = explorer.content.decode()
    assert "Gutshof Altmark" in html or SECRET_DRAFT in html
    assert submit_url(place) in html
    assert "Diese Seite übersetzen" in html
    form = client.get(submit_url(place))
    assert form.status_code == 200
    assert "Seite übersetzen" in form.content.decode()
    assert "Translate page" not in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = translate(client, place, english)
    translated = PlacePage.objects.get(translation_key=place.translation_key, locale=english)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[translated.pk])
    # A draft below the region's English twin, whatever the German page's state.
    assert not translated.live
    assert translated.get_parent().pk == d["altmark"].translated_regions[0].pk
    assert Page.objects.filter(pk=place.pk).values().get() == german_before

    editor = client.get(reverse("wagtailadmin_pages:edit", args=[translated.pk]))
    assert editor.status_code == 200
    html = editor.content.decode()
    assert "js-translation-editor" in html
    assert "Übersetzung von" in html and "Translation of" not in html
    assert "Zur Freigabe einreichen" in html
    catalog = client.get(reverse("wagtail_localize:javascript_catalog")).content.decode()
    # The editor's own strings (JavaScript) in German too; the catalogue escapes umlauts.
    assert '"Publish in ": "Ver\\u00f6ffentlichen in "' in catalog

    translation = Translation.objects.get(
        source__object_id=place.translation_key, target_locale=english
    )
    assert put_string(client, translation, "title", "Altmark Manor").status_code in (200, 201)

    # No publishing for translators: wagtail-localize's own button is refused …
    edit_url = reverse("wagtailadmin_pages:edit", args=[translated.pk])
    with django_capture_on_commit_callbacks(execute=True):
        _refused(client.post(edit_url, {"action": "publish"}))
    translated.refresh_from_db()
    assert not translated.live
    # … they submit to the region's approval instead.
    with django_capture_on_commit_callbacks(execute=True):
        submit = client.post(
            reverse("regions_submit_translation_for_moderation", args=[translated.pk])
        )
    assert submit.status_code == 302 and submit["Location"] == edit_url
    translated.refresh_from_db()
    assert not translated.live
    assert translated.get_latest_revision_as_object().title == "Altmark Manor"
    state = translated.current_workflow_state
    assert state.workflow.name == "Freigabe Altmark"
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "wartet auf die Freigabe" in client.get(edit_url).content.decode()

    # The Altmark's moderator approves: the English page is live at /en/….
    client.force_login(d["altmark_moderator"])
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[translated.pk, "approve", task_state.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(approve, {"comment": ""}).status_code in (200, 302)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    translated.refresh_from_db()
    assert translated.live and translated.title == "Altmark Manor"
    public = client.get(f"/en/altmark/{place.slug}/")
    public_html = public.content.decode()
    assert public.status_code == 200, public.status_code
    assert "Altmark Manor" in public_html


GERMAN_ATTEMPTS = {
    "edit",
    "edit-save",
    "publish",
    "submit",
    "add",
    "add-post",
    "add-subpage",
    "unpublish",
    "unpublish-post",
    "move",
    "move-confirm",
    "move-post",
    "copy",
    "copy-post",
    "delete",
    "delete-post",
    "delete-region",
    "lock",
    "revert-post",
}


@pytest.mark.parametrize(
    ("method", "make_url", "extra"),
    [pytest.param(m, u, e, id=name) for name, m, u, e in ATTEMPTS if name in GERMAN_ATTEMPTS],
)
def test_translator_cannot_change_their_regions_german_pages(
    client, regions, method, make_url, extra
):
    d = regions
    client.force_login(d["altmark_translator"])
    before = snapshot()
    url = make_url(d)
    response = client.get(url) if method == "get" else client.post(url, _edit_data(d, **extra))
    _refused(response)
    assert snapshot() == before


def test_translator_cannot_translate_or_see_another_region(
    client, regions, english, django_capture_on_commit_callbacks
):
    d = regions
    # The Altmark has an English place (a draft with a secret title) and a report row.
    client.force_login(d["altmark_translator"])
    assert translate(client, d["unpublished"], english).status_code == 302
    altmark_english = Page.objects.get(
        translation_key=d["unpublished"].translation_key, locale=english
    )
    twin = d["altmark"].translated_regions[0]
    # „Synchronisiere übersetzte Seiten“ for their own page, without „Sofort veröffentlichen“.
    source = Translation.objects.get(
        target_locale=english, source__object_id=d["unpublished"].translation_key
    ).source
    sync_url = reverse("wagtail_localize:update_translations", args=[source.pk])
    sync = client.get(sync_url)
    assert sync.status_code == 200 and 'name="publish_translations"' not in sync.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(sync_url, {"publish_translations": "on"}).status_code == 302
    altmark_english.refresh_from_db()
    assert not altmark_english.live

    client = Client()  # a browser of its own: no message from the Altmark's session
    client.force_login(d["harz_translator"])
    assert translate(client, d["harz_place"], english).status_code == 302  # own region
    client.get("/admin/")  # shows (and so uses up) the success message
    before = snapshot()
    for place in (d["live_place"], d["unpublished"]):
        for response in (client.get(submit_url(place)), translate(client, place, english)):
            _refused(response)
            assert SECRET_DRAFT not in response.content.decode()
    for url in (
        sync_url,
        reverse("wagtailadmin_pages:edit", args=[twin.pk]),
        reverse("wagtailadmin_pages:edit", args=[altmark_english.pk]),
    ):
        _refused(client.get(url))
        with django_capture_on_commit_callbacks(execute=True):
            _refused(client.post(url, {"publish_translations": "on", "action": "publish"}))
    _refused(
        client.post(reverse("regions_submit_translation_for_moderation", args=[altmark_english.pk]))
    )
    assert snapshot() == before
    assert not Page.objects.filter(
        translation_key=d["live_place"].translation_key, locale=english
    ).exists()

    # No Altmark title in explorer, search, choosers or the translations report.
    for url in [
        reverse("wagtailadmin_explore", args=[d["altmark"].region.pk]),
        reverse("wagtailadmin_explore", args=[d["live_place"].pk]),
        reverse("wagtailadmin_explore_results", args=[d["live_place"].pk]),
        reverse("wagtailadmin_explore", args=[twin.pk]),
        reverse("wagtailadmin_explore", args=[altmark_english.pk]),
        "/admin/pages/search/?q=Geheimer",
        "/admin/pages/search/?q=Unveröff",
        "/admin/choose-page/search/?q=Geheim",
        "/admin/choose-page/search/?q=Unver",
        f"/admin/choose-page/{twin.pk}/",
        reverse("wagtail_localize:translations_report"),
        reverse("wagtail_localize:translations_report_results"),
        "/admin/",
    ]:
        response = client.get(url, follow=True)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert SECRET_DRAFT not in content, url
        assert SECRET_UNPUBLISHED not in content, url
    report = client.get(reverse("wagtail_localize:translations_report")).content.decode()
    assert "Harzer Hof" in report  # not vacuous
    client.force_login(d["altmark_translator"])
    report = client.get(reverse("wagtail_localize:translations_report")).content.decode()
    assert SECRET_UNPUBLISHED in report and "Harzer Hof" not in report


def test_region_staff_on_the_english_pages(client, regions, english):
    """Editors keep to the German pages; moderators review and publish their region's
    English pages; nobody reaches another region's."""
    d = regions
    client.force_login(d["harz_translator"])
    assert translate(client, d["harz_place"], english).status_code == 302
    harz_english = Page.objects.get(translation_key=d["harz_place"].translation_key, locale=english)
    harz_twin = d["harz"].translated_regions[0]
    altmark_twin = d["altmark"].translated_regions[0]
    before = snapshot()

    client.force_login(d["altmark_editor"])
    for page in (harz_twin, harz_english, altmark_twin):
        _refused(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])))
        _refused(
            client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"})
        )
    _refused(translate(client, d["live_place"], english))  # no „Übersetzen“ for editors
    client.force_login(d["altmark_moderator"])
    for page in (harz_twin, harz_english):
        _refused(client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])))
    assert snapshot() == before

    response = client.get(reverse("wagtailadmin_pages:edit", args=[altmark_twin.pk]))
    assert response.status_code == 200
    assert "Zur Freigabe einreichen" not in response.content.decode()  # publishes instead
    assert altmark_twin.permissions_for_user(d["altmark_moderator"]).can_publish()
    assert not altmark_twin.permissions_for_user(d["altmark_translator"]).can_publish()
