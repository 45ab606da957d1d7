"""A listing's later pages in a build: made from the frame of its first page
(``website.listing.ListingResponse``), the frame's URLs rewritten once
(``Rewriter.html_shared``), and still exactly the page the whole live response gives."""

from django.test import Client

import pytest

from bench.dataset import create_places
from staticsite.builder import BuildConfig
from staticsite.render import Renderer
from staticsite.rewrite import Refs, Rewriter, StaticNames

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_page_made_from_the_frame_is_the_whole_page_rewritten(region, tmp_path):
    create_places(60, regions=(region.slug,), images=2)
    config = BuildConfig(
        output=tmp_path / "site",
        base_url="https://www.kreativorte.example/unter/",
        app_url="https://cms.kreativorte.example",
        workers=1,
    )
    renderer = Renderer(config, tmp_path / "out")
    live = Client(HTTP_HOST=renderer.host)
    for path, page in (
        ("/orte/", None),
        ("/orte/", 2),
        ("/orte/", 3),
        (region.url, None),
        (region.url, 2),
    ):
        key = f"{path}?page={page}" if page else path
        result = renderer.render(key)
        response = live.get(path, {"page": page} if page else {}, secure=True)
        refs = Refs()
        whole = Rewriter(
            base_url=config.base_url,
            origins=renderer.origins,
            static_names=StaticNames(),
        ).html(response.content.decode(), path, refs)
        whole = whole.replace("</body>", renderer._script_tags(refs, path) + "</body>", 1)
        assert (tmp_path / "out" / result.file).read_text() == whole, key
        assert result.links == sorted(refs.links - {key})
        assert (result.static, result.media) == (refs.static, sorted(refs.media))
        assert f'href="/unter{path}seite=' in whole  # pagination, rewritten per page
    assert len(renderer.rewriter._shared_memo) == 4  # before and after, per listing
