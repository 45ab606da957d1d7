"""The editors' inbox: who sees what, text stays text, exports hold what they should."""

import csv
import io

from django.contrib.auth.models import Group, Permission

import pytest
from openpyxl import load_workbook

from applications.factories import ApplicationFactory, ApplicationPhotoFactory
from applications.models import Application, ApplicationStatus
from applications.permissions import grant_application_permissions

pytestmark = pytest.mark.django_db

INDEX = "/admin/applications/application/"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def denied(response) -> bool:
    """Wagtail's admin answers PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] in ("/admin/", "/admin/login/")
    )


def inspect_url(application):
    return f"{INDEX}inspect/{application.pk}/"


@pytest.fixture
def harz_application(harz, categories):
    app = ApplicationFactory(region=harz, place_name="Harzer Hütte")
    app.categories.set(categories[:1])
    return app


@pytest.fixture
def nobody(django_user_model):
    user = django_user_model.objects.create_user("nobody", "n@example.org", "pw-nobody-1")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_anonymous_is_sent_to_the_login(client, application):
    for url in (
        INDEX,
        INDEX + "?export=csv",
        inspect_url(application),
        f"/admin/bewerbungen/{application.pk}/uebernehmen/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_a_user_without_rights_sees_nothing(client, nobody, application):
    photo = ApplicationPhotoFactory(application=application)
    client.force_login(nobody)
    assert denied(client.get(INDEX))
    assert denied(client.get(INDEX + "?export=csv"))
    assert denied(client.get(INDEX + "?export=xlsx"))
    assert denied(client.get(inspect_url(application)))
    assert denied(client.get(f"/admin/bewerbungen/{application.pk}/foto/{photo.pk}/"))
    assert denied(client.post(f"/admin/bewerbungen/{application.pk}/uebernehmen/"))
    assert denied(
        client.post(f"/admin/bewerbungen/{application.pk}/status/", {"status": "abgelehnt"})
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NEW and application.place_id is None


def test_editors_see_only_their_region(client, altmark_editor, application, harz_application):
    client.force_login(altmark_editor)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert application.place_name in html
    assert "Harzer Hütte" not in html

    export = client.get(INDEX + "?export=csv")
    assert export.status_code == 200
    text = b"".join(export.streaming_content).decode()
    assert application.place_name in text and "Harzer Hütte" not in text

    assert client.get(inspect_url(application)).status_code == 200
    assert denied(client.get(inspect_url(harz_application)))
    assert denied(client.post(f"/admin/bewerbungen/{harz_application.pk}/uebernehmen/"))
    assert denied(
        client.post(f"/admin/bewerbungen/{harz_application.pk}/status/", {"status": "abgelehnt"})
    )
    assert denied(client.post(f"{INDEX}delete/{harz_application.pk}/"))
    assert Application.objects.filter(pk=harz_application.pk).exists()


def test_portal_team_and_superusers_see_all(
    client, django_user_model, application, harz_application
):
    team = Group.objects.create(name="Portalteam")
    team.permissions.add(Permission.objects.get(codename="access_admin"))
    grant_application_permissions(team)
    member = django_user_model.objects.create_user("team", "t@example.org", "pw-team-1")
    member.groups.add(team)
    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw-root-1")
    for user in (member, admin):
        client.force_login(user)
        html = client.get(INDEX).content.decode()
        assert application.place_name in html and "Harzer Hütte" in html


def test_html_and_javascript_are_shown_as_text(client, altmark_editor, altmark, categories):
    application = ApplicationFactory(
        region=altmark,
        place_name=XSS,
        municipality=XSS,
        introduction=XSS + "\nzweite Zeile",
        contact_person=XSS,
        phone=XSS[:40],
        street=XSS,
    )
    ApplicationPhotoFactory(application=application, description=XSS, credit=XSS)
    client.force_login(altmark_editor)
    for url in (INDEX, inspect_url(application), INDEX + f"?q={application.pk}"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    html = client.get(inspect_url(application)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_export_holds_the_application_data(client, altmark_editor, application):
    application.place_name = '=HYPERLINK("http://evil.example")'
    application.save()
    client.force_login(altmark_editor)
    response = client.get(INDEX + "?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["Name des Ortes oder Projekts"].startswith("'=")  # no formula
    assert row["E-Mail"] == application.email
    assert row["Kurzvorstellung"] == application.introduction
    assert row["Themenfelder"] == application.categories.get().name
    assert row["Fassung der Datenschutzhinweise"] == "2026-11"

    response = client.get(INDEX + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headings = [cell.value for cell in sheet[1]]
    values = [cell.value for cell in sheet[2]]
    assert "E-Mail" in headings
    assert values[headings.index("E-Mail")] == application.email
    assert (
        sheet.cell(row=2, column=headings.index("Name des Ortes oder Projekts") + 1).data_type
        == "s"
    )


def test_filters_and_search(client, altmark_editor, application, altmark):
    other = ApplicationFactory(region=altmark, place_name="Kulturbahnhof", status="abgelehnt")
    client.force_login(altmark_editor)
    html = client.get(INDEX + "?status=abgelehnt").content.decode()
    assert other.place_name in html and application.place_name not in html
    html = client.get(INDEX + "?q=Kulturbahnhof").content.decode()
    assert other.place_name in html and application.place_name not in html
    html = client.get(INDEX + f"?region={altmark.pk}").content.decode()
    assert application.place_name in html


def test_status_buttons(client, altmark_editor, application):
    client.force_login(altmark_editor)
    html = client.get(inspect_url(application)).content.decode()
    assert "Als Entwurf übernehmen" in html and "Ablehnen" in html and "In Prüfung" in html
    client.post(f"/admin/bewerbungen/{application.pk}/status/", {"status": "in-pruefung"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    client.post(f"/admin/bewerbungen/{application.pk}/status/", {"status": "abgelehnt"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    response = client.post(f"/admin/bewerbungen/{application.pk}/status/", {"status": "neu"})
    assert denied(response)


def test_photos_are_served_to_the_region_editors_only(
    client, altmark_editor, harz_editor, application
):
    photo = ApplicationPhotoFactory(application=application)
    url = f"/admin/bewerbungen/{application.pk}/foto/{photo.pk}/"
    client.force_login(altmark_editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert url in client.get(inspect_url(application)).content.decode()
    client.force_login(harz_editor)
    assert denied(client.get(url))
