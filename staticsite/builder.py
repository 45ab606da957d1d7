"""Full builds of the static site, and what every build takes and gives.

Every page is rendered in-process by the real views (``staticsite.render``), the crawl
(``staticsite.crawl``) follows every internal link, in forked render processes
(``staticsite.processes``); the output folder, with the manifest an incremental build
(``staticsite.incremental``) starts from, is replaced as a whole (``staticsite.output``).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from .assets import copy_assets
from .crawl import Crawl, root_urls
from .output import BuildError, build_lock, previous_output, save_manifest, swap_in
from .processes import render_cards_ahead
from .render import NOT_FOUND_PROBES, build_card_cache, default_site, render_host
from .search_index import write_search_index

logger = logging.getLogger(__name__)


@dataclass
class BuildConfig:
    output: Path
    base_url: str
    app_url: str
    workers: int = 1
    progress: bool = False
    # Replace an output folder that no build made (its content is kept beside it).
    force: bool = False

    @classmethod
    def from_settings(
        cls, output=None, base_url=None, app_url=None, workers=None, progress=False, force=False
    ):
        output = output or settings.STATICSITE_OUTPUT
        if not output:
            raise BuildError("Kein Ausgabeordner: --output DIR oder STATICSITE_OUTPUT setzen.")
        base_url = base_url or settings.STATICSITE_BASE_URL
        if not base_url:
            site = default_site()
            base_url = (site.root_url if site else settings.SITE_URL.rstrip("/")) + "/"
        if not base_url.endswith("/"):
            base_url += "/"
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BuildError(f"Die Basis-URL muss absolut sein (https://…/): {base_url!r}")
        app_url = (app_url or settings.STATICSITE_APP_URL).rstrip("/")
        if not app_url:
            app_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        if workers is None:
            workers = settings.STATICSITE_WORKERS or min(2, os.cpu_count() or 1)
        return cls(Path(output).resolve(), base_url, app_url, max(1, workers), progress, force)

    def search_index_task(self, root: Path) -> partial:
        """The search index for ``root`` as a side task of the crawl (``Crawl.run``)."""
        return partial(write_search_index, root, urlsplit(self.base_url).path.rstrip("/"))


@dataclass
class Summary:
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    unchanged: int = 0  # rendered, but the file already had this content
    rendered: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # linked, but 404 on the live site
    # Left out with a warning: linked URLs that redirect or answer a client error, URLs of
    # files the static site must not hold (media beyond the renditions, paths with ``..``).
    skipped: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    kept: str = ""  # where a replaced folder's other content was moved (``--force``)

    @property
    def removed(self) -> int:
        return len(self.removed_files)

    def line(self) -> str:
        return (
            f"{self.pages} Seiten, {self.files} Dateien, {self.bytes / 1e6:.1f} MB, "
            f"{self.seconds:.1f} s ({self.pages / max(self.seconds, 1e-6):.0f} Seiten/s)"
            + (f", {self.unchanged} davon unverändert" if self.unchanged else "")
            + (f", {self.removed} entfernt" if self.removed else "")
        )

    def warn(self, message: str) -> None:
        if message not in self.skipped:
            self.skipped.append(message)
            logger.warning("Statische Website: %s", message)


def full_build(config: BuildConfig) -> Summary:
    """Render everything into a temporary folder beside the output and swap it in. On any
    error the previous output stays untouched and ``BuildError`` says why."""
    started = time.monotonic()
    summary = Summary()
    with build_lock(config.output):  # makes the output's parent folder
        # Refuses a folder that must not be replaced before any work is done.
        previous = previous_output(config.output, config.force)
        cards = build_card_cache(render_host())
        temp = Path(
            tempfile.mkdtemp(prefix=f".{config.output.name}.new-", dir=config.output.parent)
        )
        swapped = False
        try:
            manifest: dict = {}
            render_cards_ahead(config, temp, cards)
            index_bytes = Crawl(config, temp, manifest, summary, cards).run(
                [*root_urls(), *NOT_FOUND_PROBES], side_tasks=[config.search_index_task(temp)]
            )
            reuse = config.output if previous == "ours" else None
            copy_assets(temp, manifest.values(), summary, reuse=reuse)
            summary.bytes += sum(index_bytes)
            summary.files += summary.pages + 1
            save_manifest(temp, config.base_url, config.app_url, manifest)
            os.chmod(temp, 0o755)
            summary.kept = str(swap_in(temp, config.output, previous) or "")
            swapped = True
        except BaseException:
            if not swapped:  # after the swap, temp holds the previous output
                shutil.rmtree(temp, ignore_errors=True)
            raise
        finally:
            cards.backend.clear()
    summary.seconds = time.monotonic() - started
    return summary
