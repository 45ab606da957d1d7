import pytest

from staticsite.urlmap import canonical_query, output_file, static_url, url_key


@pytest.mark.parametrize(
    ("path", "query", "file", "url"),
    [
        ("/", "", "index.html", "/"),
        ("/altmark/", "", "altmark/index.html", "/altmark/"),
        (
            "/orte/",
            "tag=coworking&page=2",
            "orte/schlagwort=coworking/seite=2/index.html",
            "/orte/schlagwort=coworking/seite=2/",
        ),
        # Order, duplicates, comma lists, unknown parameters and page 1 do not matter.
        (
            "/altmark/",
            "utm_source=x&category=wohnen-bauen,arbeiten-wirtschaft&page=1&category=wohnen-bauen",
            "altmark/themenfeld=arbeiten-wirtschaft,wohnen-bauen/index.html",
            "/altmark/themenfeld=arbeiten-wirtschaft%2Cwohnen-bauen/",
        ),
        (
            "/orte/",
            "municipality=Kalbe+(Milde)",
            "orte/gemeinde=Kalbe (Milde)/index.html",
            "/orte/gemeinde=Kalbe%20%28Milde%29/",
        ),
        ("/api/orte.geojson", "", "api/orte.geojson", "/api/orte.geojson"),
        (
            "/api/orte.geojson",
            "region=altmark&category=leben-tourismus",
            "api/orte.region=altmark.themenfeld=leben-tourismus.geojson",
            "/api/orte.region=altmark.themenfeld=leben-tourismus.geojson",
        ),
        ("/orte/", "tag=a%2Fb", "orte/schlagwort=a%2Fb/index.html", "/orte/schlagwort=a%252Fb/"),
    ],
)
def test_mapping(path, query, file, url):
    assert output_file(path, query) == file
    assert static_url(path, query) == url


def test_canonical_query_and_keys():
    assert canonical_query("page=3&page=abc") == []
    assert canonical_query("page=abc&page=3") == [("page", "3")]
    assert url_key("/orte/", "page=1") == "/orte/"
    assert url_key("/orte/", "tag=x&region=altmark") == "/orte/?region=altmark&tag=x"
    assert url_key("/orte/", "") == "/orte/"
