"""A full build of the demo content, checked over HTTP like a static host serves it.

One build at the domain root and one under a sub-path share the module's demo database
(``demo_server``: committed data, so the build renders in two processes, as in production).
"""

import re
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command

import pytest

from staticsite.builder import BuildConfig, full_build
from staticsite.crawl import in_every_language, page_urls
from staticsite.output import load_manifest
from staticsite.rewrite import Rewriter, StaticNames
from staticsite.tests.checker import check_site, check_tree, serve
from staticsite.urlmap import url_key

pytestmark = pytest.mark.django_db

MAIN = re.compile(r"<main\b.*?</main>", re.S)


@pytest.fixture(scope="module")
def root_build(demo_server, tmp_path_factory):
    """The demo built for the domain root of a static server on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("static-root")
    output = folder / "site"
    with serve(output) as url:  # serves whatever is at that path, also after the swap
        config = BuildConfig(output=output, base_url=f"{url}/", app_url=demo_server.url, workers=2)
        summary = full_build(config)
        yield {"config": config, "summary": summary, "url": url}


def _tree(folder: Path) -> dict:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_links_assets_and_renditions_all_resolve(root_build):
    config, summary = root_build["config"], root_build["summary"]
    broken, checked = check_site(f"{root_build['url']}/")
    assert broken == []
    assert len(checked) >= summary.pages
    assert any(url.endswith(".webp") for url in checked)
    assert any(url.endswith(".avif") for url in checked)
    assert any("/static/css/site." in url for url in checked)
    # robots.txt, sitemap and the 404 page are there too.
    for name in ("robots.txt", "sitemap.xml", "404.html", "suche/index.json"):
        assert (config.output / name).is_file(), name
    assert "Seite nicht gefunden" in (config.output / "404.html").read_text()
    print(summary.line())


def test_every_file_the_html_and_css_name_is_in_the_output(root_build):
    """Read from disk, not crawled: also what no link reaches (the 404 page's assets), every
    ``url()`` of the copied CSS files (Leaflet's images, the fonts), the icons."""
    output = root_build["config"].output
    missing, checked = check_tree(output, root_build["config"].base_url)
    assert missing == []
    assert checked > 1000
    home = (output / "index.html").read_text()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon|manifest)"[^>]*>', home)
    assert icons, "the pages name a favicon"
    static = output / "static"
    # Leaflet's JavaScript loads these from the folder of the marker named in leaflet.css.
    for name in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png", "layers.png"):
        assert (static / "vendor" / "leaflet" / "images" / name).is_file(), name


def test_the_404_page_names_no_canonical_and_is_not_indexed(root_build):
    for name in ("404.html", "en/404.html"):
        page = (root_build["config"].output / name).read_text()
        assert 'rel="canonical"' not in page
        assert 'property="og:url"' not in page
        assert '<meta name="robots" content="noindex">' in page
        assert "__staticsite-404__" not in page


def test_every_live_page_has_its_twin_with_the_same_main_content(root_build, demo_server):
    """<main> of the live page, with its links mapped like the build maps them, equals <main>
    of the static file."""
    from staticsite.rewrite import Refs

    config = root_build["config"]
    manifest = load_manifest(config.output)["pages"]
    origins = [demo_server.url, "http://localhost", "https://localhost"]
    rewriter = Rewriter(base_url=config.base_url, origins=origins, static_names=StaticNames())
    urls = [*page_urls(), "/orte/", "/orte/?tag=coworking", "/altmark/?category=wohnen-bauen"]
    urls = in_every_language(urls)  # the English addresses too (the demo's translations)
    compared = 0
    for url in urls:
        entry = manifest.get(url_key(*url.partition("?")[::2]))
        assert entry, f"no static twin for {url}"
        with urllib.request.urlopen(demo_server.url + url) as response:
            live = response.read().decode()
        static = (config.output / entry["file"]).read_text()
        path = url.split("?")[0]
        live_main = rewriter.html(MAIN.search(live).group(0), path, Refs())
        static_main = MAIN.search(static).group(0)
        if url in ("/mitmachen/", "/en/mitmachen/"):
            continue  # compared in test_static_form_posts_to_the_application_server
        assert static_main == live_main, url
        compared += 1
    assert compared >= 50


def test_sub_path(root_build, tmp_path):
    with serve(tmp_path) as url:
        config = BuildConfig(
            output=tmp_path / "kreativorte",
            base_url=f"{url}/kreativorte/",
            app_url="https://cms.example.org",
            workers=2,
        )
        full_build(config)
        broken, checked = check_site(f"{url}/kreativorte/")
        assert broken == []
        assert len(checked) > 100
        home = (config.output / "index.html").read_text()
        assert 'href="/kreativorte/orte/"' in home
        assert 'href="/orte/"' not in home
        assert f'<link rel="canonical" href="{url}/kreativorte/">' in home
        geojson = (config.output / "api" / "orte.geojson").read_text()
        assert '"url":"/kreativorte/altmark/' in geojson


@pytest.mark.parametrize("workers", [1, 2])
def test_failed_build_leaves_previous_output_untouched(root_build, settings, workers):
    """Also when the error comes from a render process (two workers)."""
    output = root_build["config"].output
    before = _tree(output)
    # A real failure: the site's own static files are gone, so the pages' CSS is missing.
    settings.STATICFILES_DIRS = [
        entry for entry in settings.STATICFILES_DIRS if not str(entry).endswith("static")
    ]
    with pytest.raises(CommandError, match=r"vorherige Ausgabe unverändert: Statische Datei fehlt"):
        call_command(
            "build_frontend",
            output=str(output),
            base_url=root_build["config"].base_url,
            workers=workers,
            verbosity=0,
        )
    assert _tree(output) == before
    leftovers = [p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}.")]
    assert leftovers == [f".{output.name}.lock"]
    assert settings.STATICFILES_DIRS  # Leaflet is still there


@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_static_form_posts_to_the_application_server(root_build, chromium, prefix):
    """The static /mitmachen/ (one port) fetches a token from and posts to the application
    server (the live server, another port): CORS for the token, Origin check on the post. The
    English form (``/en/mitmachen/``) the same way, to the English form's address."""
    from applications.models import Application

    served_root = root_build["url"]
    settings.APPLICATIONS_ALLOWED_ORIGINS = [served_root]
    try:
        context = chromium.new_context(locale="de-DE")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{served_root}{prefix}/mitmachen/")
        page.wait_for_selector("form[data-token-ready]")
        page.locator("[name=place_name]").fill("Scheune am Deich")
        page.locator("[name=region]").select_option(label="Altmark")
        page.locator("[name=municipality]").fill("Havelberg")
        # The English form names the fields in English (SluggedTaxonomy.name_en).
        page.get_by_label("Living/Tourism" if prefix else "Leben/Tourismus").check()
        page.locator("[name=introduction]").fill(
            "Eine Scheune am Deich, in der wir eine Werkstatt und ein Café einrichten."
        )
        page.locator("[name=contact_person]").fill("Anna Muster")
        page.locator("[name=email]").fill("anna@example.org")
        page.locator("[name=consent]").check()
        page.wait_for_timeout(1200)  # the minimum fill time (1 s in tests)
        page.locator("form.app-form [type=submit]").click()
        page.wait_for_url(f"{root_build['config'].app_url}{prefix}/mitmachen/")
        if not prefix:
            assert "Vielen Dank" in page.locator("h1").inner_text()
        assert page.locator("html").get_attribute("lang") == (prefix.strip("/") or "de")
        assert Application.objects.filter(place_name="Scheune am Deich").exists()
        assert context.cookies() == []
        context.close()
    finally:
        Application.objects.filter(place_name="Scheune am Deich").delete()
        settings.APPLICATIONS_ALLOWED_ORIGINS = []
