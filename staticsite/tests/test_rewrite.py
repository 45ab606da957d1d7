import pytest

from staticsite.assets import css_dependencies, manifest_dependencies
from staticsite.rewrite import Refs, Rewriter, StaticNames


def _rewriter(base="https://example.org/sub/"):
    return Rewriter(
        base_url=base,
        origins=["http://localhost", "https://localhost"],
        static_names=StaticNames(),
    )


def test_html_links_are_mapped_below_the_base_path():
    refs = Refs()
    html = (
        '<a href="/orte/?tag=coworking&amp;page=2">x</a>'
        '<a href="?category=wohnen-bauen">y</a>'
        '<a href="#inhalt">z</a>'
        '<img src="/media/images/a.jpg"'
        ' srcset="/media/images/a.webp 400w, /media/images/b.webp 800w">'
        '<link rel="stylesheet" href="/static/css/site.css">'
        '<div data-geojson="/api/orte.geojson?region=altmark"></div>'
        '<a href="https://elsewhere.example/x">e</a>'
        '<link rel="canonical" href="http://localhost/altmark/">'
    )
    out = _rewriter().html(html, "/altmark/", refs)
    assert 'href="/sub/orte/schlagwort=coworking/seite=2/"' in out
    assert 'href="/sub/altmark/themenfeld=wohnen-bauen/"' in out
    assert 'href="#inhalt"' in out
    assert 'src="/sub/media/images/a.jpg"' in out
    assert 'srcset="/sub/media/images/a.webp 400w, /sub/media/images/b.webp 800w"' in out
    assert 'data-geojson="/sub/api/orte.region=altmark.geojson"' in out
    assert 'href="https://elsewhere.example/x"' in out
    assert 'href="https://example.org/sub/altmark/"' in out
    assert out.count("/static/css/site.") == 1 and "site.css" not in out
    assert refs.links == {
        "/orte/?tag=coworking&page=2",
        "/altmark/?category=wohnen-bauen",
        "/api/orte.geojson?region=altmark",
        "/altmark/",
    }
    assert refs.media == {"images/a.jpg", "images/a.webp", "images/b.webp"}
    assert list(refs.static) == ["css/site.css"]


def test_text_and_json():
    refs = Refs()
    rewriter = _rewriter()
    xml = "<loc>http://localhost/altmark/x/</loc><loc>http://localhost/</loc>"
    assert rewriter.text(xml, "/sitemap.xml", refs) == (
        "<loc>https://example.org/sub/altmark/x/</loc><loc>https://example.org/sub/</loc>"
    )
    geojson = '{"url":"/altmark/x/","full_url":"https://localhost/altmark/x/"}'
    out = rewriter.json_urls(rewriter.text(geojson, "/api/orte.geojson", refs), "/", refs)
    assert out == '{"url":"/sub/altmark/x/","full_url":"https://example.org/sub/altmark/x/"}'
    # Another host that merely starts like ours is not ours.
    assert rewriter.text("http://localhost.evil/x", "/", refs) == "http://localhost.evil/x"


def test_css_dependencies():
    css = ".a{background:url(images/layers.png)} .b{background:url('data:image/png;base64,x')}"
    assert css_dependencies("vendor/leaflet/leaflet.css", css) == [
        "vendor/leaflet/images/layers.png"
    ]
    fonts = (
        "@font-face{src:url('../fonts/a.woff2?v=2') format('woff2')}"
        '.i{background:url("../img/icons.svg#pin")} .x{background:url(https://cdn.example/x.png)}'
        ".r{background:url(/static/img/r.png)} .f{filter:url(#blur)}"
    )
    assert css_dependencies("css/site.css", fonts) == [
        "fonts/a.woff2",
        "img/icons.svg",
        "/static/img/r.png",  # refused by safe_relative: it would miss under a sub-path
    ]


def test_manifest_dependencies():
    manifest = '{"icons": [{"src": "icon-192.png"}, {"src": "../img/icon-512.png"}, {"x": 1}]}'
    assert manifest_dependencies("img/site.webmanifest", manifest) == [
        "img/icon-192.png",
        "img/icon-512.png",
    ]
    assert manifest_dependencies("a.webmanifest", "kein JSON") == []


@pytest.mark.parametrize(
    "url",
    [
        "/media/../db.sqlite3",
        "/media/%2e%2e/.env",
        "/media/%2E%2E%2F.env",
        "/media/images/../original_images/a.jpg",
        "/media/images/%2e%2e/%2e%2e/.env",
        "/media/images//a.jpg",
        "/media/images/a%2500.jpg",
        "/media/original_images/a.jpg",
        "/media/documents/vertrag.pdf",
        "/media/private/photo.jpg",
        "http://localhost/media/../db.sqlite3",
        "https://localhost/media/documents/vertrag.pdf",
        "/static/../../cms/settings/base.py",
        "/static/css/%2e%2e/%2e%2e/x.py",
        "/altmark/../../../etc/",
        "/altmark/%2e%2e/%2e%2e/x.html",
    ],
)
def test_files_beyond_the_renditions_and_dot_segments_are_refused(url):
    refs = Refs()
    out = _rewriter().html(f'<a href="{url}">x</a><img src="{url}" alt="">', "/", refs)
    assert refs.media == set() and refs.links == set() and refs.static == {}
    assert len(refs.refused) == 1
    assert out == '<a href="#">x</a><img src="#" alt="">'
    assert _rewriter().text(f'{{"website":"{url}"}}', "/", refs, mode="json") in (
        '{"website":""}',
        f'{{"website":"{url}"}}',  # a relative URL in JSON is not a link of ours
    )


def test_a_refused_candidate_leaves_the_srcset():
    refs = Refs()
    out = _rewriter().html(
        '<img srcset="/media/images/a.webp 400w, /media/original_images/a.jpg 4000w">', "/", refs
    )
    assert out == '<img srcset="/sub/media/images/a.webp 400w">'
    assert refs.media == {"images/a.webp"}


def test_csv_cells_are_rewritten_whole():
    """A URL of ours in a cell must not take the cells after it along."""
    import csv
    import io

    rows = [
        ["title", "website", "email", "phone", "teaser", "url"],
        [
            "Hof",
            "https://localhost/orte/?tag=werkstatt",
            "anna@example.org",
            "0391 1",
            "siehe http://localhost/altmark/, mit Komma",
            "http://localhost/altmark/hof/",
        ],
        ["Geheim", "http://localhost/media/../db.sqlite3", "", "", 'a "quote", too', ""],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    refs = Refs()
    out = _rewriter().csv("\ufeff" + buffer.getvalue(), "/api/orte.csv", refs)
    assert out.startswith("\ufeff")
    result = list(csv.reader(io.StringIO(out[1:], newline="")))
    assert result[0] == rows[0]
    assert result[1] == [
        "Hof",
        "https://example.org/sub/orte/schlagwort=werkstatt/",
        "anna@example.org",
        "0391 1",
        "siehe http://localhost/altmark/, mit Komma",
        "https://example.org/sub/altmark/hof/",
    ]
    assert result[2] == ["Geheim", "", "", "", 'a "quote", too', ""]
    assert refs.links == {"/orte/?tag=werkstatt", "/altmark/hof/"}


def test_urls_in_json_and_xml_stay_valid():
    """A rewritten URL is escaped for the format it stands in (no HTML entity decoded into
    XML, no raw quote in a JSON string)."""
    import json

    refs = Refs()
    rewriter = _rewriter()
    data = json.dumps({"website": "http://localhost/a%22b/", "url": "/c%22d/"})
    out = rewriter.json_urls(rewriter.text(data, "/", refs, mode="json"), "/", refs)
    assert json.loads(out) == {"website": 'https://example.org/sub/a"b/', "url": '/sub/c"d/'}
    xml = "<loc>http://localhost/x/&lt;y&gt;</loc><loc>http://localhost/admin/?a=1&amp;b=2</loc>"
    assert rewriter.text(xml, "/sitemap.xml", refs, mode="xml") == (
        "<loc>https://example.org/sub/x/&lt;y&gt;</loc>"
        "<loc>https://example.org/sub/admin/?a=1&amp;b=2</loc>"
    )
