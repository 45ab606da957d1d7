"""Bulk import and export of a region's places (``import_places``, ``export_places``)."""

import json
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Revision

import pytest

from places.factories import PlacePageFactory
from places.imports import run_import, writing
from places.imports.layout import LAYOUT_COLUMNS
from places.imports.readers import MAX_FILE_BYTES, MAX_ROWS
from places.imports.report import ImportFileError
from places.models import PlacePage

HEADER = ",".join(LAYOUT_COLUMNS)


def row(**values) -> str:
    defaults = {
        "external_id": "",
        "title": "Alte Molkerei",
        "teaser": "Werkstätten und Coworking in der alten Molkerei.",
        "municipality": "Gardelegen",
        "latitude": "52.5260",
        "longitude": "11.3950",
        "categories": "arbeiten-wirtschaft",
        "status": "aktiv",
    }
    defaults.update(values)
    cells = []
    for column in LAYOUT_COLUMNS:
        cell = str(defaults.get(column, ""))
        if any(char in cell for char in ',"\n'):
            cell = '"' + cell.replace('"', '""') + '"'
        cells.append(cell)
    return ",".join(cells)


def write_csv(tmp_path, *rows, header=HEADER, name="orte.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def db_state():
    return (
        PlacePage.objects.count(),
        Revision.objects.count(),
        list(PlacePage.objects.order_by("pk").values_list("pk", "title", "live", "teaser")),
    )


def test_valid_rows_arrive_as_drafts_and_the_report_lists_rejected_rows(region, tmp_path):
    path = write_csv(
        tmp_path,
        row(external_id="a1", title="Alte Molkerei", tags="Coworking|Makerspace"),
        row(external_id="a2", title="", municipality="Kalbe"),
        row(external_id="a3", title="Bahnhof Zichtau", latitude="11.2", longitude="52.6"),
        row(external_id="a4", title="Kulturhof", categories="kultur"),
        row(external_id="a1", title="Alte Molkerei doppelt", municipality="Stendal"),
        row(external_id="a6", title="Gutshaus", offers="coworking|wohnraum", founded="1998"),
        row(external_id="a7", title="Schule", latitude="abc"),
    )
    report = run_import(path, region)

    assert report.count("create") == 2
    rejected = {r.number: " ".join(r.errors) for r in report.rejected}
    assert set(rejected) == {3, 4, 5, 6, 8}
    assert "„title“ fehlt" in rejected[3]
    assert "nicht in Deutschland" in rejected[4]
    assert "unbekannte(s) Themenfeld „kultur“" in rejected[5]
    assert "doppelt" in rejected[6]
    assert "keine Zahl" in rejected[8]
    text = "\n".join(report.lines())
    assert "Zeile 3: abgelehnt – „title“ fehlt" in text

    molkerei = PlacePage.objects.get(external_id="a1")
    assert not molkerei.live and molkerei.get_parent().pk == region.pk
    assert sorted(molkerei.tags.names()) == ["Coworking", "Makerspace"]
    assert molkerei.slug == "alte-molkerei"
    gutshaus = PlacePage.objects.get(external_id="a6")
    assert sorted(gutshaus.offers.values_list("slug", flat=True)) == ["coworking", "wohnraum"]
    assert gutshaus.founded == 1998
    assert gutshaus.latest_revision is not None


def test_rerunning_the_same_file_updates_instead_of_duplicating(region, tmp_path):
    path = write_csv(
        tmp_path, row(external_id="m1"), row(title="Ohne Kennung", municipality="Kalbe")
    )
    run_import(path, region)
    state = db_state()

    report = run_import(path, region)
    assert report.count("unchanged") == 2
    assert db_state() == state, "an unchanged file writes nothing, not even revisions"

    path = write_csv(
        tmp_path,
        row(external_id="m1", teaser="Neu: auch ein Café."),
        row(title="ohne kennung", municipality="KALBE", teaser="Jetzt mit Teaser."),
    )
    report = run_import(path, region)
    assert report.count("update") == 2 and report.count("create") == 0
    assert PlacePage.objects.count() == state[0]
    place = PlacePage.objects.get(external_id="m1")
    assert place.get_latest_revision_as_object().teaser == "Neu: auch ein Café."


def test_updates_to_live_places_become_drafts_unless_publish(region, tmp_path):
    live = PlacePageFactory(parent=region, title="Gutshof", external_id="g1", teaser="Alt.")
    live.save_revision().publish()
    path = write_csv(tmp_path, row(external_id="g1", title="Gutshof", teaser="Neu."))

    run_import(path, region)
    live.refresh_from_db()
    assert live.teaser == "Alt." and live.has_unpublished_changes
    assert live.get_latest_revision_as_object().teaser == "Neu."

    # The same file again: the row equals the draft, so --publish publishes nothing.
    report = run_import(path, region, publish=True)
    assert report.count("unchanged") == 1
    live.refresh_from_db()
    assert live.teaser == "Alt." and live.has_unpublished_changes

    # A changed row while a draft is pending: the draft (pending changes included) is not
    # published around the moderation; the change is saved as a new draft.
    path = write_csv(tmp_path, row(external_id="g1", title="Gutshof", teaser="Neuer."))
    report = run_import(path, region, publish=True)
    live.refresh_from_db()
    assert live.teaser == "Alt." and live.has_unpublished_changes
    assert live.get_latest_revision_as_object().teaser == "Neuer."
    assert "ausstehende Änderungen der Redaktion" in " ".join(report.rows[0].warnings)

    # Once the moderation published it, a changed row is published with --publish.
    live.get_latest_revision().publish()
    path = write_csv(tmp_path, row(external_id="g1", title="Gutshof", teaser="Neuester."))
    run_import(path, region, publish=True)
    live.refresh_from_db()
    assert live.teaser == "Neuester." and not live.has_unpublished_changes


def test_publish_flag_publishes_new_places(region, tmp_path):
    path = write_csv(tmp_path, row(external_id="p1"))
    run_import(path, region, publish=True)
    assert PlacePage.objects.get(external_id="p1").live


def test_dry_run_changes_nothing(region, tmp_path):
    PlacePageFactory(parent=region, title="Gutshof", external_id="g1")
    state = db_state()
    path = write_csv(tmp_path, row(external_id="g1", title="Gutshof", teaser="Neu"), row())
    out = StringIO()
    call_command("import_places", str(path), "--region", "altmark", "--dry-run", stdout=out)
    assert db_state() == state
    assert "Probelauf, nichts gespeichert" in out.getvalue()
    assert "1 neu, 1 geändert" in out.getvalue()


def test_possible_duplicates_nearby_are_flagged_not_merged(region, tmp_path):
    PlacePageFactory(
        parent=region, title="Kulturgut Ziethen", latitude="52.850000", longitude="11.150000"
    )
    path = write_csv(
        tmp_path,
        row(
            external_id="x1",
            title="Kulturgut  ziethen",
            municipality="Salzwedel-Ziethen",
            latitude="52.851",
            longitude="11.151",
        ),
    )
    report = run_import(path, region)
    assert report.count("create") == 1
    assert "möglicherweise doppelt" in " ".join(report.flagged[0].warnings)
    assert PlacePage.objects.filter(title__icontains="ziethen").count() == 2


def test_excel_german_semicolon_cp1252_with_decimal_commas(region, tmp_path):
    header = ";".join(LAYOUT_COLUMNS)
    values = dict.fromkeys(LAYOUT_COLUMNS, "")
    values.update(
        external_id="e1",
        title="Bäckerei Müller – Café",
        teaser="Brot, Kuchen und Kaffee in Tangermünde.",
        municipality="Tangermünde",
        latitude="52,5420",
        longitude="11,9690",
        categories="leben-tourismus",
        street="Straße der Einheit 1",
    )
    path = write_csv(
        tmp_path, ";".join(values[c] for c in LAYOUT_COLUMNS), header=header, encoding="cp1252"
    )
    report = run_import(path, region)
    assert (report.encoding, report.delimiter) == ("Windows-1252", ";")
    assert report.count("create") == 1, report.lines()
    place = PlacePage.objects.get(external_id="e1")
    assert place.title == "Bäckerei Müller – Café"
    assert str(place.latitude) == "52.542000"


def test_utf8_bom_and_a_subset_of_columns(region, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        "\ufefftitle,municipality,latitude,longitude,categories\r\n"
        "Hof Nord,Arendsee,52.88,11.48,wohnen-bauen\r\n".encode()
    )
    report = run_import(path, region)
    assert report.count("create") == 1, report.lines()
    assert "Kurzbeschreibung fehlt" in " ".join(report.rows[0].warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title;municipality;latitude\r\nA;B;52\r\n", "Pflicht-Spalte(n) fehlen"),
        (
            b"title,municipality,latitude,longitude,categories,notizen\r\n",
            "Unbekannte Spalte(n): „notizen“",
        ),
        (b"PK\x03\x04binary", "Excel- oder ZIP-Datei"),
        (b"title,municipality\x00,x\r\n", "Nullbytes"),
        (b"   ", "leer"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b"{kaputt", "kein gültiges JSON"),
        (b'title,municipality,latitude,longitude,categories\r\n"offen,A,1,2,x\r\n', "kaputt"),
    ],
)
def test_broken_files_are_refused_with_a_clear_message(region, tmp_path, content, message):
    path = tmp_path / "kaputt.csv"
    path.write_bytes(content)
    state = db_state()
    with pytest.raises(ImportFileError) as info:
        run_import(path, region)
    assert message in str(info.value)
    assert db_state() == state


def test_wrong_encoding_is_refused(region, tmp_path):
    path = tmp_path / "x.csv"
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8.
    path.write_bytes(HEADER.encode() + b"\r\n\x81\x81," + b"," * 19 + b"\r\n")
    with pytest.raises(ImportFileError, match="Zeichenkodierung"):
        run_import(path, region)


def test_too_many_rows_is_refused_quickly_before_touching_the_database(
    region, tmp_path, django_assert_max_num_queries
):
    path = tmp_path / "gross.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("title,municipality,latitude,longitude,categories\r\n")
        for number in range(100_000):
            handle.write(f"Hof {number},Kalbe,52.5,11.4,wohnen-bauen\r\n")
    assert path.stat().st_size < MAX_FILE_BYTES, "the row limit, not the size limit, refuses"
    with django_assert_max_num_queries(0), pytest.raises(ImportFileError, match=r"20\.000"):
        run_import(path, region)
    assert MAX_ROWS == 20_000


def test_a_50_mb_file_is_refused_by_its_size(region, tmp_path, django_assert_max_num_queries):
    path = tmp_path / "riesig.csv"
    with path.open("wb") as handle:
        handle.write(HEADER.encode() + b"\r\n")
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\r\n")
    with django_assert_max_num_queries(0), pytest.raises(ImportFileError, match=r"50\.0 MB"):
        run_import(path, region)
    with pytest.raises(CommandError, match="höchstens 10 MB"):
        call_command("import_places", str(path), "--region", "altmark", stdout=StringIO())


def test_formulas_are_rejected_and_html_stays_text(region, tmp_path, client, home_page):
    path = write_csv(
        tmp_path,
        row(external_id="f1", title='=HYPERLINK("http://evil.example";"klick")'),
        row(external_id="f2", title="Hof Formel", teaser="@SUM(A1:A2)"),
        row(external_id="f3", title="Hof Telefon", phone="+49 3901 12345"),
        row(
            external_id="h1",
            title="Hof <b>fett</b>",
            teaser="<script>alert('x')</script> & mehr",
        ),
    )
    report = run_import(path, region, publish=True)
    rejected = {r.values["external_id"]: " ".join(r.errors) for r in report.rejected}
    assert set(rejected) == {"f1", "f2"}
    assert "Tabellenformel" in rejected["f1"]
    assert PlacePage.objects.get(external_id="f3").phone == "+49 3901 12345"
    html_place = PlacePage.objects.get(external_id="h1")
    assert html_place.teaser == "<script>alert('x')</script> & mehr"
    assert "HTML-Zeichen" in " ".join(report.flagged[0].warnings)

    region.save_revision().publish()
    response = client.get(html_place.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert('x')</script>" not in content
    assert "&lt;script&gt;" in content
    assert "<b>fett</b>" not in content


def test_a_database_error_while_writing_rolls_back_everything(region, tmp_path, monkeypatch):
    path = write_csv(tmp_path, row(external_id="r1"), row(external_id="r2", title="Zweiter Hof"))
    state = db_state()
    original = writing._save
    calls = []

    def failing_save(page, user, publish):
        calls.append(page)
        if len(calls) == 2:
            raise RuntimeError("Datenbank weg")
        original(page, user, publish)

    monkeypatch.setattr(writing, "_save", failing_save)
    with pytest.raises(RuntimeError):
        run_import(path, region)
    assert db_state() == state


def test_nothing_published_changes_when_a_file_is_refused(region, tmp_path):
    live = PlacePageFactory(parent=region, title="Gutshof", external_id="g1", teaser="Alt.")
    live.save_revision().publish()
    path = write_csv(
        tmp_path, row(external_id="g1", title="Gutshof", teaser="Neu."), header=HEADER + ",x"
    )
    with pytest.raises(ImportFileError):
        run_import(path, region)
    live.refresh_from_db()
    assert live.teaser == "Alt." and not live.has_unpublished_changes


def test_strict_mode_writes_nothing_when_a_row_is_rejected(region, tmp_path):
    path = write_csv(tmp_path, row(external_id="s1"), row(external_id="s2", latitude="x"))
    state = db_state()
    report = run_import(path, region, strict=True)
    assert len(report.rejected) == 1 and not report.written
    assert db_state() == state


def test_geojson_import(region, tmp_path):
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [11.5, 52.6]},
                "properties": {
                    "external_id": "geo1",
                    "title": "Hof am See",
                    "municipality": "Arendsee",
                    "categories": ["wohnen-bauen", "leben-tourismus"],
                    "tags": [{"slug": "wohnprojekt", "name": "Wohnprojekt"}],
                    "url": "https://example.org/ignoriert/",
                },
            },
            {"type": "Feature", "geometry": None, "properties": {"title": "Ohne Punkt"}},
        ],
    }
    path = tmp_path / "orte.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = run_import(path, region)
    assert report.file_format == "GeoJSON"
    assert report.count("create") == 1
    assert report.rejected[0].number == 2
    place = PlacePage.objects.get(external_id="geo1")
    assert (str(place.latitude), str(place.longitude)) == ("52.600000", "11.500000")
    assert place.categories.count() == 2


def test_export_and_reimport_is_a_lossless_round_trip(region, tmp_path):
    path = write_csv(
        tmp_path,
        row(
            external_id="r1",
            title="Rundreise, mit Komma",
            teaser='Ein "Zitat" und -Minus am Anfang',
            street="Hauptstr. 1",
            postcode="29410",
            district="Altmarkkreis Salzwedel",
            tags="Coworking|Kulturhof",
            offers="coworking|atelier",
            status="im-aufbau",
            website="https://example.org/",
            email="hof@example.org",
            phone="+49 3901 1234",
            contact_person="Anna Muster",
            opening_hours="Mo-Fr 09:00-17:00; Sa 10:00-14:00",
            founded="2019",
            former_use="Bahnhof",
        ),
        row(external_id="r2", title="Zweiter Hof", teaser="-Minus vorn"),
    )
    run_import(path, region)
    PlacePageFactory(parent=region, title="Ohne Kennung aus dem Admin", teaser="=1+1 als Text")
    exported = tmp_path / "export.csv"
    call_command(
        "export_places", "--region", "altmark", "--output", str(exported), stderr=StringIO()
    )
    state = db_state()

    report = run_import(exported, region)
    assert report.count("unchanged") == 3, report.lines()
    assert not report.rejected
    assert db_state() == state

    geojson = tmp_path / "export.geojson"
    call_command(
        "export_places",
        "--region",
        "altmark",
        "--format",
        "geojson",
        "--output",
        str(geojson),
        stderr=StringIO(),
    )
    report = run_import(geojson, region)
    assert report.count("unchanged") == 3, report.lines()
    assert db_state() == state


def test_command_reports_unknown_region_and_prints_the_report(region, tmp_path):
    path = write_csv(tmp_path, row(external_id="c1"), row(external_id="c2", title=""))
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("import_places", str(path), "--region", "harz", stdout=StringIO())
    out = StringIO()
    call_command("import_places", str(path), "--region", "altmark", stdout=out)
    assert "Zeile 3" in out.getvalue() and "1 neu" in out.getvalue()


# --- Export, then import with --publish (issue 19, finding 9) ------------------------------


def _states():
    """What the public sees and what is drafted, per place."""
    return {
        page.pk: (
            page.live,
            page.title,
            page.teaser,
            page.has_unpublished_changes,
            page.latest_revision_id,
        )
        for page in PlacePage.objects.all()
    }


@pytest.fixture
def moderated(region):
    """A region as moderators leave it: a live place; one taken offline; a draft nobody
    approved (no external_id, as from an application); a live place with a pending draft
    that renames it; a place in the moderation workflow."""
    from django.contrib.auth import get_user_model

    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    user = get_user_model().objects.create_superuser("moderatorin", "m@example.org", "x")
    live = PlacePageFactory(parent=region, title="Live", external_id="e1", teaser="Online.")
    offline = PlacePageFactory(parent=region, title="Offline", external_id="e2", teaser="Weg.")
    offline.save_revision(user=user).publish(user=user)
    offline.unpublish(user=user)
    draft = PlacePageFactory(
        parent=region, title="Vorschlag", teaser="Nie freigegeben.", live=False
    )
    draft.save_revision(user=user)
    renamed = PlacePageFactory(parent=region, title="Alter Name", teaser="Alt.")
    renamed.title = "Neuer Name"
    renamed.teaser = "Neu, noch nicht freigegeben."
    renamed.save_revision(user=user)
    waiting = PlacePageFactory(parent=region, title="Wartet", external_id="e5", teaser="Prüfen.")
    waiting.teaser = "Zur Freigabe eingereicht."
    waiting.save_revision(user=user)
    task = GroupApprovalTask.objects.create(name="Freigabe")
    workflow = Workflow.objects.create(name="Moderation")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(waiting, user)
    for page in (live, offline, draft, renamed, waiting):
        page.refresh_from_db()
    assert not offline.live and not draft.live and renamed.has_unpublished_changes
    assert waiting.current_workflow_state is not None
    return {
        "live": live,
        "offline": offline,
        "draft": draft,
        "renamed": renamed,
        "waiting": waiting,
        "user": user,
    }


def _export(tmp_path, fmt="csv"):
    path = tmp_path / f"export.{fmt}"
    call_command(
        "export_places",
        "--region",
        "altmark",
        "--format",
        "geojson" if fmt == "geojson" else "csv",
        "--output",
        str(path),
        stderr=StringIO(),
    )
    return path


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_then_import_with_publish_changes_and_publishes_nothing(
    region, tmp_path, moderated, fmt
):
    exported = _export(tmp_path, fmt)
    before, state = _states(), db_state()
    report = run_import(exported, region, publish=True)
    assert report.count("unchanged") == 5, report.lines()
    assert not report.rejected and not report.count("create")
    assert _states() == before and db_state() == state
    assert "0 veröffentlicht" in report.summary()


def test_the_export_carries_the_page_id_and_the_draft(region, tmp_path, moderated):
    text = _export(tmp_path).read_text(encoding="utf-8-sig")
    header, *lines = text.splitlines()
    assert header.split(",")[0] == "id"
    renamed = moderated["renamed"]
    assert any(line.startswith(f"{renamed.pk},") and "Neuer Name" in line for line in lines)
    features = json.loads(_export(tmp_path, "geojson").read_text(encoding="utf-8-sig"))
    assert {f["id"] for f in features["features"]} == set(
        PlacePage.objects.values_list("pk", flat=True)
    )


def test_without_the_id_column_a_renamed_draft_is_still_matched_not_duplicated(
    region, tmp_path, moderated
):
    exported = _export(tmp_path)
    lines = exported.read_text(encoding="utf-8-sig").splitlines()
    without_id = tmp_path / "ohne-id.csv"
    without_id.write_text("\r\n".join(line.split(",", 1)[1] for line in lines) + "\r\n")
    before = _states()
    report = run_import(without_id, region, publish=True)
    assert report.count("unchanged") == 5, report.lines()
    assert _states() == before


def _edited(path, old, new):
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_changed_row_is_published_only_where_a_moderator_would(region, tmp_path, moderated):
    exported = _export(tmp_path)
    for old, new in (
        ("Online.", "Online – geändert."),
        ("Weg.", "Weg – geändert."),
        ("Nie freigegeben.", "Nie freigegeben – geändert."),
        ("Zur Freigabe eingereicht.", "Zur Freigabe eingereicht – geändert."),
    ):
        _edited(exported, old, new)
    report = run_import(exported, region, publish=True)
    assert report.count("update") == 4 and report.count("unchanged") == 1, report.lines()
    text = "\n".join(report.lines())
    pages = {
        key: PlacePage.objects.get(pk=page.pk) for key, page in moderated.items() if key != "user"
    }

    # A live place: published.
    assert pages["live"].live and pages["live"].teaser == "Online – geändert."
    # Taken offline by a moderator: stays offline, the change waits as a draft.
    offline = pages["offline"]
    assert not offline.live and offline.teaser == "Weg."
    assert offline.get_latest_revision_as_object().teaser == "Weg – geändert."
    assert (
        "„Offline“ (geändert): Hinweis – Entwurf gespeichert, nicht veröffentlicht: "
        "offline genommen" in text
    )
    # In the workflow: not published around it.
    waiting = pages["waiting"]
    assert waiting.teaser == "Prüfen." and waiting.current_workflow_state is not None
    assert waiting.get_latest_revision_as_object().teaser == "Zur Freigabe eingereicht – geändert."
    assert (
        "„Wartet“ (geändert): Hinweis – Entwurf gespeichert, nicht veröffentlicht: "
        "in der Freigabe" in text
    )
    # A draft nobody ever published (as from an application), changed in the file: no new
    # live page; the changed draft is saved and the report says why.
    draft = pages["draft"]
    assert not draft.live and draft.live_revision is None and draft.first_published_at is None
    assert draft.get_latest_revision_as_object().teaser == "Nie freigegeben – geändert."
    assert (
        "„Vorschlag“ (geändert): Hinweis – Entwurf gespeichert, nicht veröffentlicht: "
        "noch nie veröffentlicht – bitte in der Redaktion freigeben" in text
    )
    # The renamed place's pending draft was not touched.
    renamed = pages["renamed"]
    assert renamed.title == "Alter Name" and renamed.has_unpublished_changes
    assert "1 veröffentlicht" in report.summary()


def test_a_changed_row_does_not_publish_an_editors_pending_changes(region, tmp_path, moderated):
    """A live place with an editor's unreviewed draft: a changed row with --publish saves a new
    draft (the editor's changes kept) and leaves the live version as it is."""
    exported = _edited(_export(tmp_path), "Neu, noch nicht freigegeben.", "Neu – importiert.")
    renamed = moderated["renamed"]
    live_revision = renamed.live_revision_id
    dry = run_import(exported, region, publish=True, dry_run=True)
    assert any("ausstehende Änderungen der Redaktion" in line for line in dry.lines())
    report = run_import(exported, region, publish=True)
    assert report.count("update") == 1 and "0 veröffentlicht" in report.summary()
    renamed.refresh_from_db()
    assert renamed.live and renamed.title == "Alter Name" and renamed.teaser == "Alt."
    assert renamed.live_revision_id == live_revision and renamed.has_unpublished_changes
    latest = renamed.get_latest_revision_as_object()
    assert latest.title == "Neuer Name" and latest.teaser == "Neu – importiert."
    assert (
        "„Neuer Name“ (geändert): Hinweis – Entwurf gespeichert, nicht veröffentlicht: "
        "ausstehende Änderungen der Redaktion" in "\n".join(report.lines())
    )


def test_a_dry_run_says_what_publish_would_do(region, tmp_path, moderated):
    exported = _edited(_export(tmp_path), "Weg.", "Weg – geändert.")
    before = _states()
    report = run_import(exported, region, publish=True, dry_run=True)
    assert report.count("update") == 1 and report.count("unchanged") == 4
    assert any("offline genommen" in line for line in report.lines())
    assert _states() == before

    exported = _edited(exported, "Nie freigegeben.", "Nie freigegeben – geändert.")
    report = run_import(exported, region, publish=True, dry_run=True)
    assert any("noch nie veröffentlicht" in line for line in report.lines())
    assert _states() == before


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", "„id“: „abc“ ist keine Seiten-ID"),
        ("99999999999", "keine Seiten-ID"),
        ("-3", "keine Seiten-ID"),
        ("other-region", "ist kein Ort der Region „Altmark“"),
        ("unrelated", "weder Titel noch Ort passen"),
    ],
)
def test_a_foreign_or_broken_id_changes_nothing(region, home_page, tmp_path, cell, message):
    from regions.factories import RegionPageFactory

    here = PlacePageFactory(parent=region, title="Hier", municipality="Stendal", teaser="Hier.")
    harz = RegionPageFactory(parent=home_page, title="Harz", slug="harz")
    there = PlacePageFactory(parent=harz, title="Dort", teaser="Dort.")
    value = {"other-region": there.pk, "unrelated": here.pk}.get(cell, cell)
    path = write_csv(tmp_path, row(id=value, title="Fremder Hof", municipality="Kalbe"))
    state = db_state()
    report = run_import(path, region, publish=True)
    assert report.count("rejected") == 1
    assert message in " ".join(report.rejected[0].errors)
    assert db_state() == state


def test_an_id_and_a_different_external_id_are_refused(region, tmp_path):
    one = PlacePageFactory(parent=region, title="Eins", external_id="x1", teaser="Eins.")
    PlacePageFactory(parent=region, title="Zwei", external_id="x2", teaser="Zwei.")
    path = write_csv(tmp_path, row(id=one.pk, external_id="x2", title="Eins"))
    state = db_state()
    report = run_import(path, region, publish=True)
    assert report.count("rejected") == 1
    assert db_state() == state


def test_the_command_help_explains_publishing(capsys):
    from places.management.commands.import_places import Command

    text = Command().create_parser("manage.py", "import_places").format_help()
    assert "Unveränderte Zeilen" in text and "offline" in text and "Freigabe" in text
    assert "noch nie veröffentlichte Entwürfe" in " ".join(text.split())
    assert "ausstehenden Änderungen der Redaktion" in " ".join(text.split())


# --- Malformed GeoJSON and huge numbers (issue 19, finding 15) ----------------------------

GOOD_FEATURE = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [11.5, 52.6]},
    "properties": {
        "title": "Guter Hof",
        "municipality": "Arendsee",
        "categories": ["wohnen-bauen"],
    },
}


def _feature(geometry=None, **properties):
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "title": "Kaputter Hof",
            "municipality": "Kalbe",
            "categories": ["wohnen-bauen"],
            **properties,
        },
    }


BAD_FEATURES = {
    "geometry a list": '{"type": "Feature", "geometry": [11.5, 52.6], "properties": {}}',
    "geometry a string": '{"type": "Feature", "geometry": "POINT(11 52)", "properties": {}}',
    "geometry a number": '{"type": "Feature", "geometry": 7, "properties": {}}',
    "line": json.dumps(_feature({"type": "LineString", "coordinates": [[11, 52], [12, 53]]})),
    "no coordinates": json.dumps(_feature({"type": "Point"})),
    "coordinates null": json.dumps(_feature({"type": "Point", "coordinates": None})),
    "coordinates a string": json.dumps(_feature({"type": "Point", "coordinates": "11.5,52.6"})),
    "one coordinate": json.dumps(_feature({"type": "Point", "coordinates": [11.5]})),
    "strings": json.dumps(_feature({"type": "Point", "coordinates": ["11.5", "52.6"]})),
    "nested lists": json.dumps(_feature({"type": "Point", "coordinates": [[11.5, 52.6]]})),
    "deeply nested": '{"type": "Feature", "properties": {}, "geometry": {"type": "Point", '
    '"coordinates": ' + "[" * 50 + "1" + "]" * 50 + "}}",
    "booleans": json.dumps(_feature({"type": "Point", "coordinates": [True, True]})),
    "NaN": '{"type": "Feature", "properties": {"title": "x"}, '
    '"geometry": {"type": "Point", "coordinates": [NaN, 52.6]}}',
    "Infinity": '{"type": "Feature", "properties": {"title": "x"}, '
    '"geometry": {"type": "Point", "coordinates": [11.5, -Infinity]}}',
    "1e400": '{"type": "Feature", "properties": {"title": "x"}, '
    '"geometry": {"type": "Point", "coordinates": [1e400, 52.6]}}',
    "400 digits": '{"type": "Feature", "properties": {"title": "x"}, '
    '"geometry": {"type": "Point", "coordinates": [' + "9" * 400 + ", 52]}}",
    "10000 digits": '{"type": "Feature", "properties": {"title": "x"}, '
    '"geometry": {"type": "Point", "coordinates": [11, ' + "5" * 10_000 + "]}}",
    "properties a list": '{"type": "Feature", "properties": ["title"], '
    '"geometry": {"type": "Point", "coordinates": [11.5, 52.6]}}',
    "properties a string": '{"type": "Feature", "properties": "title", '
    '"geometry": {"type": "Point", "coordinates": [11.5, 52.6]}}',
    "feature a list": "[1, 2]",
    "huge founded": json.dumps(_feature({"type": "Point", "coordinates": [11.5, 52.6]}))[:-2]
    + ', "founded": '
    + "1" * 5000
    + "}}",
    "huge id": '{"type": "Feature", "id": '
    + "7" * 5000
    + ', "geometry": {"type": "Point", "coordinates": [11.5, 52.6]}, '
    '"properties": {"title": "x", "municipality": "y", "categories": ["wohnen-bauen"]}}',
    "float founded": json.dumps(_feature({"type": "Point", "coordinates": [11.5, 52.6]}))[:-2]
    + ', "founded": 1e400}}',
}


@pytest.mark.parametrize("name", list(BAD_FEATURES))
def test_a_malformed_feature_is_reported_in_german_and_nothing_bad_is_imported(
    region, tmp_path, name
):
    text = (
        '{"type": "FeatureCollection", "features": ['
        + json.dumps(GOOD_FEATURE)
        + ", "
        + BAD_FEATURES[name]
        + "]}"
    )
    path = tmp_path / "orte.geojson"
    path.write_text(text, encoding="utf-8")
    report = run_import(path, region)
    assert [row.number for row in report.rejected] == [2], report.lines()
    message = " ".join(report.rejected[0].errors)
    assert message and message.isprintable(), message
    assert "Traceback" not in message and "Error" not in message
    assert any(line.startswith("Objekt 2") for line in report.lines())
    assert list(PlacePage.objects.values_list("title", flat=True)) == ["Guter Hof"]


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("1e400", "latitude"),
        ("9" * 400, "longitude"),
        ("9" * 50_000, "latitude"),
        ("NaN", "latitude"),
        ("-Infinity", "longitude"),
        ("1" * 50_000, "founded"),
        ("1e400", "founded"),
        ("9" * 50_000, "id"),
    ],
)
def test_huge_numbers_in_a_csv_are_reported_per_row(region, tmp_path, cell, column):
    path = write_csv(tmp_path, row(external_id="ok"), row(external_id="bad", **{column: cell}))
    report = run_import(path, region)
    assert [r.number for r in report.rejected] == [3], report.lines()
    assert f"„{column}“" in " ".join(report.rejected[0].errors)
    assert PlacePage.objects.get().external_id == "ok"


def test_a_json_nested_too_deep_is_refused_with_a_german_message(region, tmp_path):
    path = tmp_path / "orte.geojson"
    path.write_text('{"type": "FeatureCollection", "features": ' + "[" * 100_000, encoding="utf-8")
    with pytest.raises(ImportFileError, match="GeoJSON"):
        run_import(path, region)
    path.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(ImportFileError, match="zu tief verschachtelt"):
        run_import(path, region)
    assert not PlacePage.objects.exists()


def test_opening_hours_in_german_words_arrive_as_osm_and_unreadable_hours_are_refused(
    region, tmp_path
):
    path = write_csv(
        tmp_path,
        row(external_id="h1", opening_hours="Mo bis Fr 10 bis 18 Uhr, Sa 10.30-14 Uhr"),
        row(external_id="h2", title="Kulturhof", opening_hours="Mo-Fr 09:00-17:00"),
        row(external_id="h3", title="Gutshaus", opening_hours="montags irgendwann mal"),
    )
    report = run_import(path, region)

    assert report.count("create") == 2
    german = PlacePage.objects.get(external_id="h1")
    assert german.opening_hours == "Mo-Fr 10:00-18:00; Sa 10:30-14:00"
    note = " ".join(report.rows[0].warnings)
    assert "„Mo bis Fr 10 bis 18 Uhr, Sa 10.30-14 Uhr“ als" in note
    assert "„Mo-Fr 10:00-18:00; Sa 10:30-14:00“ übernommen" in note
    assert PlacePage.objects.get(external_id="h2").opening_hours == "Mo-Fr 09:00-17:00"
    assert not any("opening_hours" in warning for warning in report.rows[1].warnings)
    (rejected,) = report.rejected
    assert rejected.number == 4
    assert "„opening_hours“:" in " ".join(rejected.errors)
    assert "Mo-Fr 10-18 Uhr" in " ".join(rejected.errors), "the message shows an example"
    assert not PlacePage.objects.filter(external_id="h3").exists()
