from staticsite.rewrite import Refs, Rewriter, StaticNames, css_dependencies


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
