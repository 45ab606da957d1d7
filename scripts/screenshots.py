"""Screenshots of the public site for README.md and docs/website.md.

Takes home, a region, /orte/ and a place page at 1366 and 390 px wide with Debian's
Chromium (Playwright, never a downloaded browser) from a running site with the demo
content, and writes them to docs/img/ as ``<page>-<width>.png``.

    make run                                   # in one terminal (demo content, port 8000)
    .venv/bin/python scripts/screenshots.py    # in another; --url for another address

Wide screenshots show the page from the top down to at most 1,300 px, phone screenshots
the first screen (390 × 844), which is what a visitor sees first. The PNGs are reduced to
256 colours to keep the repository small.
"""

import argparse
import os
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

PAGES = {
    "home": "/",
    "region": "/altmark/",
    "orte": "/orte/",
    "place": "/altmark/alter-bahnhof-kuhfelde/",
}
#: width → (viewport height, tallest screenshot)
WIDTHS = {1366: (900, 1300), 390: (844, 844)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running site")
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"), help="target folder")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for width, (height, tallest) in WIDTHS.items():
                phone = width < 600
                context = browser.new_context(
                    locale="de-DE",
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    is_mobile=phone,
                    has_touch=phone,
                )
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(args.url.rstrip("/") + path)
                    page.wait_for_load_state("networkidle")
                    page.evaluate("document.fonts.ready")
                    full = page.evaluate("document.documentElement.scrollHeight")
                    clip = {"x": 0, "y": 0, "width": width, "height": min(full, tallest)}
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), clip=clip, full_page=True)
                    with Image.open(target) as shot:
                        small = shot.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
                    small.save(target, optimize=True)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
