"""Illustrations for the demo content, drawn locally with Pillow (no downloads).

Every picture is a flat, friendly landscape: a sky with sun or clouds, a tree line or hills
on the horizon, fields in perspective and a building whose shape and colours depend on
its former use. The same seed always gives the same picture, so re-running the demo
loader reproduces identical files.
"""

from __future__ import annotations

import io
import itertools
import math
import random
import zlib

from django.core.files.images import ImageFile
from django.utils.text import slugify

from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from PIL import Image, ImageDraw

from .buildings import BUILDINGS, FOREST, RGB, Palette, Scene, mix, tree

WIDTH, HEIGHT = 1600, 1000
IMAGE_CREDIT = "Illustration: Kreativorte im Grünen (Demo)"
IMAGE_LICENCE = "CC0"

PALETTES = {
    "day": Palette(
        "day", (74, 138, 212), (196, 226, 246), (255, 246, 206), 1.0, (255, 255, 240),
        "unter blauem Himmel",
    ),
    "morning": Palette(
        "morning", (118, 164, 214), (252, 218, 178), (255, 232, 170), 0.96, (255, 226, 196),
        "im Morgenlicht",
    ),
    "evening": Palette(
        "evening", (62, 80, 150), (248, 164, 104), (255, 196, 116), 0.78, (255, 170, 120),
        "im Abendlicht", lit_windows=True,
    ),
    "overcast": Palette(
        "overcast", (140, 156, 174), (214, 222, 228), None, 0.9, (225, 230, 235),
        "unter bewölktem Himmel",
    ),
}  # fmt: skip

GREENS = [(96, 160, 72), (124, 178, 84), (78, 140, 64), (146, 190, 96), (110, 168, 90)]
RAPESEED = (236, 206, 58)
WHEAT = (218, 186, 108)
PLOUGHED = (150, 112, 80)
WATER = (86, 140, 186)
HILLS = [(170, (112, 150, 120)), (110, (96, 150, 82)), (60, (110, 166, 84))]  # (height, colour)


# --- Sky, horizon, fields ----------------------------------------------------------------


def _sky(palette: Palette, horizon: int) -> Image.Image:
    """A vertical gradient: one column of colours, stretched to the full width."""
    column = Image.new("RGB", (1, horizon + 1))
    column.putdata(
        [mix(palette.sky_top, palette.sky_bottom, y / max(1, horizon)) for y in range(horizon + 1)]
    )
    image = Image.new("RGB", (WIDTH, HEIGHT), palette.sky_bottom)
    image.paste(column.resize((WIDTH, horizon + 1)), (0, 0))
    return image


def _sun_and_clouds(image: Image.Image, rng: random.Random, palette: Palette, horizon: int):
    width = image.width
    # Only the sky gets the translucent layer, which keeps compositing cheap.
    overlay = Image.new("RGBA", (width, horizon), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    if palette.sun:
        radius = rng.randint(48, 70)
        cx = rng.randint(int(width * 0.1), int(width * 0.9))
        top, bottom = (0.55, 0.8) if palette.name in {"evening", "morning"} else (0.15, 0.4)
        cy = rng.randint(int(horizon * top), int(horizon * bottom))
        for step in range(6, 0, -1):
            r = radius + step * 22
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*palette.sun, 18))
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(*palette.sun, 255))
    clouds = rng.randint(2, 4) if palette.name != "overcast" else rng.randint(6, 9)
    cloud_colour = (255, 255, 255) if palette.name != "evening" else (255, 214, 196)
    for _ in range(clouds):
        cx = rng.randint(-100, width + 100)
        cy = rng.randint(int(horizon * 0.08), int(horizon * 0.6))
        base = rng.randint(90, 170)
        alpha = rng.randint(150, 215)
        for _part in range(rng.randint(4, 7)):
            dx = rng.randint(-base, base)
            dy = rng.randint(-base // 5, base // 6)
            rx = rng.randint(base // 2, base)
            ry = rng.randint(base // 4, base // 2)
            puff = (cx + dx - rx, cy + dy - ry, cx + dx + rx, cy + dy + ry)
            draw.ellipse(puff, fill=(*cloud_colour, alpha))
    sky = image.crop((0, 0, width, horizon)).convert("RGBA")
    image.paste(Image.alpha_composite(sky, overlay).convert("RGB"), (0, 0))


def _tree_line(scene: Scene, horizon: int):
    """Woods along the horizon, with gaps where the fields reach the sky."""
    rng, draw = scene.rng, scene.draw
    x = -40
    while x < scene.width + 40:
        segment = rng.randint(180, 520)
        if rng.random() < 0.78:
            colour = scene.pick(FOREST, 0.95)
            for tx in range(x, x + segment, 14):
                r = rng.randint(14, 30)
                top = horizon - rng.randint(10, 34)
                draw.ellipse((tx - r, top - r, tx + r, top + r), fill=colour)
            draw.rectangle((x, horizon - 22, x + segment, horizon + 2), fill=colour)
        x += segment + rng.randint(0, 160)


def _hills(scene: Scene, horizon: int, vineyard: bool):
    """Rolling hills (Saale-Unstrut) instead of the flat Altmark horizon."""
    rng, draw, width = scene.rng, scene.draw, scene.width
    for layer, (lift, colour) in enumerate(HILLS):  # back to front
        phase = rng.random() * math.tau
        freq = rng.uniform(1.2, 2.2)
        points = [(0, horizon + 40)]
        for x in range(0, width + 1, 20):
            y = horizon - lift * (0.55 + 0.45 * math.sin(phase + freq * math.tau * x / width))
            points.append((x, y))
        points.append((width, horizon + 40))
        draw.polygon(points, fill=scene.c(colour))
        if vineyard and layer == 1:
            # Rows of vines on the middle hill, slanted like terraces on a slope.
            vines = scene.c((70, 118, 60))
            for row in range(14):
                y0 = horizon - lift * 0.2 - row * 7
                draw.line((width * 0.05, y0 + 40, width * 0.45, y0 - 30), fill=vines, width=3)


def _fields(scene: Scene, horizon: int, water: bool) -> tuple[list[int], list[RGB]]:
    """Fields in perspective; returns the band borders (y) and the nearer field colours."""
    rng, draw, width, height = scene.rng, scene.draw, scene.width, scene.height
    ground = height - horizon
    fractions = [0.0, 0.05, 0.12, 0.22, 0.37, 0.58, 1.0]
    borders = [horizon + round(ground * f) for f in fractions]
    vx = width * rng.uniform(0.35, 0.65)
    near: list[RGB] = []
    choices = [*GREENS, *GREENS, RAPESEED, WHEAT, PLOUGHED]
    for index, (y0, y1) in enumerate(itertools.pairwise(borders)):
        tilt = rng.randint(-18, 18) if index else 0
        colour = choices[rng.randrange(len(choices))]
        if index == len(borders) - 2:
            colour = rng.choice(GREENS)
        if index >= 3:
            near.append(colour)
        # Each band reaches down to the bottom edge; nearer bands paint over it.
        band = [(0, y0 - tilt), (width, y0 + tilt), (width, height), (0, height)]
        draw.polygon(band, fill=scene.c(colour))
        if colour in (WHEAT, PLOUGHED, RAPESEED) or rng.random() < 0.3:
            # Furrows running towards the vanishing point.
            line_colour = scene.c(colour, 0.9)
            for xb in range(-width, 2 * width, 46):
                xt = vx + (xb - vx) * (y0 - horizon + 1) / max(1, y1 - horizon)
                draw.line((xb, y1, xt, y0 + abs(tilt)), fill=line_colour, width=2)
        if rng.random() < 0.45:
            # A second field in the same band, divided along a line to the vanishing point.
            xb = rng.randint(int(width * 0.2), int(width * 0.8))
            xt = vx + (xb - vx) * (y0 - horizon) / max(1, y1 - horizon)
            other = [(xt, y0 + tilt), (width, y0 + tilt), (width, y1 + 20), (xb, y1 + 20)]
            draw.polygon(other, fill=scene.pick(GREENS, 1.05))
    if water:
        top = borders[-3] + rng.randint(10, 40)
        draw.rectangle((0, top, width, height), fill=scene.c(WATER))
        for _ in range(60):
            y = rng.randint(top + 8, height)
            x = rng.randint(0, width)
            length = rng.randint(30, 140)
            draw.line((x, y, x + length, y), fill=scene.c((150, 190, 220)), width=2)
        reed = scene.c((92, 128, 64))
        for x in range(0, width, 9):  # reeds along the bank
            h = rng.randint(10, 34)
            draw.line((x, top + 4, x + rng.randint(-4, 4), top - h), fill=reed, width=3)
    return borders, near


# --- Public API -----------------------------------------------------------------------------


def render_illustration(
    seed: str,
    building: str = "village",
    *,
    palette: str | None = None,
    water: bool = False,
    hills: bool = False,
    close: bool = False,
) -> tuple[bytes, str]:
    """Draw a landscape with a building: the JPEG and its German alt text, the same for the
    same arguments."""
    rng = random.Random(zlib.crc32(f"{seed}|{building}|{palette}|{close}".encode()))
    chosen = PALETTES[palette or rng.choice(["day", "day", "morning", "overcast"])]
    width, height = WIDTH, HEIGHT
    horizon = round(height * rng.uniform(0.52, 0.6))
    image = _sky(chosen, horizon)
    _sun_and_clouds(image, rng, chosen, horizon)
    scene = Scene(ImageDraw.Draw(image), rng, chosen, width, height)
    if hills:
        _hills(scene, horizon, vineyard=building != "winery")
    _tree_line(scene, horizon)
    borders, field_colours = _fields(scene, horizon, water)

    scale = width / 100 * (rng.uniform(1.2, 1.4) if close else rng.uniform(0.85, 1.0))
    base_y = borders[3] if close else borders[2] + rng.randint(0, 12)
    cx = width * rng.uniform(0.4, 0.58)
    # Trees behind and beside the building, others in the foreground.
    for _ in range(rng.randint(2, 4)):
        x = cx + rng.choice((-1, 1)) * rng.uniform(22, 40) * scale
        tree(scene, x, base_y - rng.randint(0, 8), scale * 0.9)
    what = BUILDINGS[building](scene, cx, base_y, scale)
    for _ in range(rng.randint(1, 3)):
        x = rng.choice((rng.uniform(0.02, 0.18), rng.uniform(0.82, 0.98))) * width
        tree(scene, x, borders[4] + rng.randint(0, 30), scale * 1.4)

    if building == "townhouse":
        setting = "in der Altstadt"
    elif water:
        setting = "am Wasser"
    elif building == "winery" or hills:
        setting = "vor sanften Hügeln"
    elif RAPESEED in field_colours:
        setting = "hinter einem gelben Rapsfeld"
    else:
        setting = "zwischen Feldern und Bäumen"
    alt = f"Illustration: {what[0].upper()}{what[1:]} {setting} {chosen.phrase}"

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=84)
    return buffer.getvalue(), alt


# --- Storing illustrations as Wagtail images ------------------------------------------------


def ensure_illustration(title: str, *, seed: str, building: str, collection=None, **options):
    """``(image, created)``: the core.CustomImage with ``title``, drawn if missing. Looked up
    by title, so that re-running the demo loader reuses it."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing, False

    content, alt_text = render_illustration(seed, building, **options)
    image = image_model(
        title=title,
        description=alt_text,
        credit=IMAGE_CREDIT,
        licence=IMAGE_LICENCE,
        file=ImageFile(io.BytesIO(content), name=f"demo-{slugify(title)[:60]}.jpg"),
        file_size=len(content),
        file_hash=hash_filelike(io.BytesIO(content)),
    )
    if collection is not None:
        image.collection = collection
    image.save()
    return image, True
