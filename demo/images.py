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
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 1000
IMAGE_CREDIT = "Illustration: Kreativorte im Grünen (Demo)"
IMAGE_LICENCE = "CC0"

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    name: str
    sky_top: RGB
    sky_bottom: RGB
    sun: RGB | None
    light: float  # multiplies ground and building colours
    warmth: RGB  # tint mixed into everything on the ground
    phrase: str  # German, for alt texts and captions
    lit_windows: bool = False


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
FOREST = [(46, 92, 58), (54, 104, 62), (40, 84, 54), (62, 112, 70)]
BRICK = [(164, 72, 50), (150, 62, 44), (176, 88, 60), (140, 58, 46)]
PLASTER = [(238, 226, 198), (242, 236, 222), (230, 206, 150), (224, 214, 196)]
ROOF_TILES = [(148, 56, 42), (128, 48, 40), (160, 74, 52)]
SLATE = [(72, 76, 88), (86, 90, 100)]
TIMBER = (84, 56, 40)
GLASS = (58, 70, 88)
LIT = (255, 212, 120)
WATER = (86, 140, 186)


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(colour: RGB, factor: float) -> RGB:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


@dataclass
class Scene:
    draw: ImageDraw.ImageDraw
    rng: random.Random
    palette: Palette
    width: int
    height: int

    def c(self, colour: RGB, factor: float = 1.0) -> RGB:
        """A colour adjusted to the light and warmth of the palette."""
        tinted = _mix(colour, self.palette.warmth, 0.12)
        return _shade(tinted, self.palette.light * factor)

    def window(self) -> RGB:
        if self.palette.lit_windows and self.rng.random() < 0.6:
            return LIT
        return self.c(GLASS)


# --- Sky, horizon, fields ----------------------------------------------------------------


def _sky(palette: Palette, size: tuple[int, int], horizon: int) -> Image.Image:
    """A vertical gradient: one column of colours, stretched to the full width."""
    width = size[0]
    column = Image.new("RGB", (1, horizon + 1))
    column.putdata(
        [_mix(palette.sky_top, palette.sky_bottom, y / max(1, horizon)) for y in range(horizon + 1)]
    )
    image = Image.new("RGB", size, palette.sky_bottom)
    image.paste(column.resize((width, horizon + 1)), (0, 0))
    return image


def _sun_and_clouds(image: Image.Image, rng: random.Random, palette: Palette, horizon: int):
    width = image.width
    # Only the sky gets the translucent layer, which keeps compositing cheap.
    overlay = Image.new("RGBA", (width, horizon), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    if palette.sun:
        radius = rng.randint(48, 70)
        cx = rng.randint(int(width * 0.1), int(width * 0.9))
        low = palette.name in {"evening", "morning"}
        cy = (
            rng.randint(int(horizon * 0.55), int(horizon * 0.8))
            if low
            else rng.randint(int(horizon * 0.15), int(horizon * 0.4))
        )
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
            draw.ellipse(
                (cx + dx - rx, cy + dy - ry, cx + dx + rx, cy + dy + ry),
                fill=(*cloud_colour, alpha),
            )
    sky = image.crop((0, 0, width, horizon)).convert("RGBA")
    image.paste(Image.alpha_composite(sky, overlay).convert("RGB"), (0, 0))


def _tree_line(scene: Scene, horizon: int):
    """Woods along the horizon, with gaps where the fields reach the sky."""
    rng, draw = scene.rng, scene.draw
    x = -40
    while x < scene.width + 40:
        segment = rng.randint(180, 520)
        if rng.random() < 0.78:
            colour = scene.c(rng.choice(FOREST), 0.95)
            for tx in range(x, x + segment, 14):
                r = rng.randint(14, 30)
                top = horizon - rng.randint(10, 34)
                draw.ellipse((tx - r, top - r, tx + r, top + r), fill=colour)
            draw.rectangle((x, horizon - 22, x + segment, horizon + 2), fill=colour)
        x += segment + rng.randint(0, 160)


def _hills(scene: Scene, horizon: int, vineyard: bool):
    """Rolling hills (Saale-Unstrut) instead of the flat Altmark horizon."""
    rng, draw, width = scene.rng, scene.draw, scene.width
    for layer, (lift, colour) in enumerate(
        [(170, (112, 150, 120)), (110, (96, 150, 82)), (60, (110, 166, 84))]
    ):
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
            for row in range(14):
                y0 = horizon - lift * 0.2 - row * 7
                draw.line(
                    (width * 0.05, y0 + 40, width * 0.45, y0 - 30),
                    fill=scene.c((70, 118, 60)),
                    width=3,
                )


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
        draw.polygon(
            [(0, y0 - tilt), (width, y0 + tilt), (width, height), (0, height)], fill=scene.c(colour)
        )
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
            other = scene.c(rng.choice(GREENS), 1.05)
            draw.polygon(
                [(xt, y0 + tilt), (width, y0 + tilt), (width, y1 + 20), (xb, y1 + 20)], fill=other
            )
    if water:
        top = borders[-3] + rng.randint(10, 40)
        draw.rectangle((0, top, width, height), fill=scene.c(WATER))
        for _ in range(60):
            y = rng.randint(top + 8, height)
            x = rng.randint(0, width)
            length = rng.randint(30, 140)
            draw.line((x, y, x + length, y), fill=scene.c((150, 190, 220)), width=2)
        # Reeds along the bank.
        for x in range(0, width, 9):
            h = rng.randint(10, 34)
            draw.line(
                (x, top + 4, x + rng.randint(-4, 4), top - h), fill=scene.c((92, 128, 64)), width=3
            )
    return borders, near


# --- Building parts ------------------------------------------------------------------------


def _windows(scene: Scene, x0, y_base, w, h, rows, cols, *, ww=None, wh=None, arched=False):
    """A regular grid of windows on a facade whose bottom-left corner is (x0, y_base)."""
    draw = scene.draw
    ww = ww or w / cols * 0.42
    wh = wh or h / rows * 0.5
    for row in range(rows):
        for col in range(cols):
            cx = x0 + w * (col + 0.5) / cols
            cy = y_base - h * (row + 0.5) / rows
            box = (cx - ww / 2, cy - wh / 2, cx + ww / 2, cy + wh / 2)
            colour = scene.window()
            draw.rectangle(box, fill=colour, outline=scene.c((245, 242, 235)), width=3)
            if arched:
                draw.pieslice(
                    (box[0], box[1] - ww / 2, box[2], box[1] + ww / 2),
                    180,
                    360,
                    fill=colour,
                    outline=scene.c((245, 242, 235)),
                    width=3,
                )
            draw.line((cx, box[1], cx, box[3]), fill=scene.c((245, 242, 235)), width=2)


def _gable(scene: Scene, x0, y_top, w, rise, colour, overhang=10):
    scene.draw.polygon(
        [(x0 - overhang, y_top), (x0 + w / 2, y_top - rise), (x0 + w + overhang, y_top)],
        fill=colour,
    )


def _hip(scene: Scene, x0, y_top, w, rise, colour, inset=0.22, overhang=10):
    scene.draw.polygon(
        [
            (x0 - overhang, y_top),
            (x0 + w * inset, y_top - rise),
            (x0 + w * (1 - inset), y_top - rise),
            (x0 + w + overhang, y_top),
        ],
        fill=colour,
    )


def _door(scene: Scene, cx, y_base, w, h, colour=(92, 60, 42)):
    scene.draw.rectangle((cx - w / 2, y_base - h, cx + w / 2, y_base), fill=scene.c(colour))


def _half_timber(scene: Scene, x0, y_base, w, h, fields):
    draw, colour = scene.draw, scene.c(TIMBER)
    draw.rectangle((x0, y_base - h, x0 + w, y_base), outline=colour, width=6)
    draw.line((x0, y_base - h / 2, x0 + w, y_base - h / 2), fill=colour, width=6)
    for i in range(fields + 1):
        x = x0 + w * i / fields
        draw.line((x, y_base - h, x, y_base), fill=colour, width=6)
        if i < fields and i % 2 == 0:
            draw.line((x, y_base, x + w / fields, y_base - h / 2), fill=colour, width=5)


def _chimney(scene: Scene, x, y_top, w, h, colour):
    scene.draw.rectangle((x, y_top - h, x + w, y_top), fill=colour)


def _tower(scene: Scene, cx, y_base, w, h, spire, wall, roof):
    draw = scene.draw
    draw.rectangle((cx - w / 2, y_base - h, cx + w / 2, y_base), fill=wall)
    draw.polygon(
        [(cx - w / 2 - 4, y_base - h), (cx, y_base - h - spire), (cx + w / 2 + 4, y_base - h)],
        fill=roof,
    )
    draw.rectangle(
        (cx - w / 8, y_base - h * 0.8, cx + w / 8, y_base - h * 0.65), fill=scene.c(GLASS)
    )


# --- Buildings: each draws itself with its base centred at (cx, y) and returns alt text ----


def _manor(scene: Scene, cx, y, s):
    rng = scene.rng
    w, h = 34 * s, 11 * s
    x0 = cx - w / 2
    wall = scene.c(rng.choice(PLASTER))
    _hip(scene, x0, y - h, w, 6 * s, scene.c(rng.choice(ROOF_TILES)))
    scene.draw.rectangle((x0, y - h, x0 + w, y), fill=wall)
    _windows(scene, x0, y, w, h, 2, 9, ww=1.4 * s, wh=2.2 * s)
    # Central avant-corps with a pediment and the entrance.
    rw = 8 * s
    scene.draw.rectangle((cx - rw / 2, y - h - 0.5 * s, cx + rw / 2, y), fill=scene.c(wall, 1.04))
    _gable(scene, cx - rw / 2, y - h - 0.5 * s, rw, 3 * s, scene.c(wall, 0.92), overhang=6)
    _door(scene, cx, y, 2.2 * s, 3.6 * s)
    _chimney(scene, x0 + w * 0.3, y - h - 4 * s, 1.2 * s, 2.4 * s, scene.c(rng.choice(BRICK)))
    _chimney(scene, x0 + w * 0.7, y - h - 4 * s, 1.2 * s, 2.4 * s, scene.c(rng.choice(BRICK)))
    return "hell verputztes Gutshaus mit Walmdach und Freitreppe"


def _station(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    brick = scene.c(rng.choice(BRICK))
    roof = scene.c(rng.choice(SLATE))
    w, h = 14 * s, 10 * s
    x0 = cx - w * 0.9
    _gable(scene, x0, y - h, w, 5 * s, roof)
    draw.rectangle((x0, y - h, x0 + w, y), fill=brick)
    _windows(scene, x0, y, w, h, 2, 3, ww=1.6 * s, wh=2.6 * s, arched=True)
    # Single-storey wing with the former waiting room.
    ww_, wh_ = 16 * s, 5 * s
    wx = x0 + w
    draw.rectangle((wx, y - wh_, wx + ww_, y), fill=scene.c(brick, 0.95))
    draw.rectangle((wx - 6, y - wh_ - 1.2 * s, wx + ww_ + 8, y - wh_), fill=roof)
    _windows(scene, wx, y, ww_, wh_, 1, 4, ww=1.6 * s, wh=2.2 * s, arched=True)
    # Station clock on the gable.
    r = 1.3 * s
    gx, gy = x0 + w / 2, y - h - 1.8 * s
    draw.ellipse(
        (gx - r, gy - r, gx + r, gy + r), fill=(250, 250, 245), outline=(40, 40, 40), width=3
    )
    draw.line((gx, gy, gx, gy - r * 0.7), fill=(40, 40, 40), width=3)
    draw.line((gx, gy, gx + r * 0.5, gy), fill=(40, 40, 40), width=3)
    # Rails in front.
    rail = scene.c((110, 104, 98))
    for offset in (1.4, 2.4):
        draw.line((0, y + offset * s, scene.width, y + offset * s), fill=rail, width=4)
    for x in range(0, scene.width, int(1.6 * s)):
        draw.line((x, y + 1.1 * s, x + 6, y + 2.8 * s), fill=scene.c((120, 92, 70)), width=4)
    return "ehemaliges Bahnhofsgebäude aus rotem Backstein mit Bahnhofsuhr und Gleisen"


def _barn(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    brick = scene.c(rng.choice(BRICK))
    w, h = 26 * s, 8 * s
    x0 = cx - w / 2
    _gable(scene, x0 + 2 * s, y - h, w - 4 * s, 0, brick)
    draw.polygon(
        [(x0 - 10, y - h), (x0 + w * 0.5, y - h - 12 * s), (x0 + w + 10, y - h)],
        fill=scene.c(rng.choice(ROOF_TILES)),
    )
    # Brick gable facing us.
    draw.polygon(
        [(x0 + 3 * s, y - h), (x0 + w / 2, y - h - 10.5 * s), (x0 + w - 3 * s, y - h)], fill=brick
    )
    draw.rectangle((x0, y - h, x0 + w, y), fill=brick)
    gate = scene.c((112, 74, 48))
    draw.rectangle((cx - 4 * s, y - 6.5 * s, cx + 4 * s, y), fill=gate)
    for i in range(1, 8):
        draw.line(
            (cx - 4 * s + i * s, y - 6.5 * s, cx - 4 * s + i * s, y),
            fill=scene.c(gate, 0.8),
            width=3,
        )
    draw.line((cx - 4 * s, y - 6.5 * s, cx + 4 * s, y), fill=scene.c(gate, 0.8), width=4)
    # Ventilation slits and an owl hole, typical for Altmark barns.
    for i in range(4):
        sx = x0 + 2.5 * s + i * 1.6 * s
        draw.rectangle((sx, y - 5.5 * s, sx + 0.4 * s, y - 3 * s), fill=scene.c((60, 40, 34)))
        sx = x0 + w - 3 * s - i * 1.6 * s
        draw.rectangle((sx, y - 5.5 * s, sx + 0.4 * s, y - 3 * s), fill=scene.c((60, 40, 34)))
    draw.ellipse(
        (cx - 0.8 * s, y - h - 6 * s, cx + 0.8 * s, y - h - 4.4 * s), fill=scene.c((40, 30, 26))
    )
    return "große Backsteinscheune mit hölzernem Tor"


def _factory(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    brick = scene.c(rng.choice(BRICK))
    w, h = 30 * s, 7 * s
    x0 = cx - w / 2
    chimney_x = x0 + w + 2 * s
    draw.polygon(
        [
            (chimney_x, y),
            (chimney_x + 0.6 * s, y - 24 * s),
            (chimney_x + 2.0 * s, y - 24 * s),
            (chimney_x + 2.6 * s, y),
        ],
        fill=scene.c(brick, 0.9),
    )
    draw.rectangle(
        (chimney_x + 0.4 * s, y - 24.8 * s, chimney_x + 2.2 * s, y - 24 * s),
        fill=scene.c(brick, 0.75),
    )
    draw.rectangle((x0, y - h, x0 + w, y), fill=brick)
    teeth = 6
    glass = scene.c((170, 190, 200))
    for i in range(teeth):
        tx = x0 + w * i / teeth
        tw = w / teeth
        draw.polygon(
            [
                (tx, y - h),
                (tx + tw * 0.8, y - h - 3.2 * s),
                (tx + tw, y - h - 3.2 * s),
                (tx + tw, y - h),
            ],
            fill=scene.c(rng.choice(SLATE)),
        )
        draw.rectangle((tx + tw * 0.8, y - h - 3.2 * s, tx + tw, y - h), fill=glass)
    _windows(scene, x0, y, w, h, 1, 8, ww=2 * s, wh=3.6 * s, arched=True)
    _door(scene, x0 + w * 0.5, y, 4 * s, 5 * s, (70, 84, 92))
    return "alte Fabrikhalle aus Backstein mit Sheddach und hohem Schornstein"


def _townhouse(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    # Neighbours left and right.
    for side in (-1, 1):
        nw, nh = 9 * s, rng.uniform(11, 14) * s
        nx = cx + side * 10 * s - nw / 2
        wall = scene.c(rng.choice(PLASTER), 0.95)
        _gable(scene, nx, y - nh, nw, 5 * s, scene.c(rng.choice(ROOF_TILES)), overhang=4)
        draw.rectangle((nx, y - nh, nx + nw, y), fill=wall)
        _windows(scene, nx, y, nw, nh, 3, 3, ww=1.3 * s, wh=2 * s)
    # Brick house with a stepped gable in the middle.
    w, h = 11 * s, 15 * s
    x0 = cx - w / 2
    brick = scene.c(rng.choice(BRICK))
    steps = 5
    points = [(x0, y - h)]
    for i in range(steps):
        inset = w / 2 * (i + 1) / (steps + 0.5)
        top = y - h - (i + 1) * 1.7 * s
        points += [(x0 + inset - w / (2 * steps + 1), top), (x0 + inset, top)]
    points += [(x0 + w - p[0] + x0, p[1]) for p in reversed(points)]
    draw.polygon(points, fill=brick)
    draw.rectangle((x0, y - h, x0 + w, y), fill=brick)
    _windows(scene, x0, y - 4 * s, w, h - 4 * s, 3, 3, ww=1.5 * s, wh=2.4 * s, arched=True)
    draw.rectangle((x0 + s, y - 3.6 * s, x0 + w - s, y - 0.4 * s), fill=scene.window())
    return (
        "Backsteinhaus mit Treppengiebel und großem Schaufenster zwischen zwei verputzten "
        "Nachbarhäusern,"
    )


def _school(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    brick = scene.c(rng.choice(BRICK))
    roof = scene.c(rng.choice(ROOF_TILES))
    w, h = 24 * s, 9 * s
    x0 = cx - w / 2
    _gable(scene, x0, y - h, w, 6 * s, roof)
    draw.rectangle((x0, y - h, x0 + w, y), fill=brick)
    _windows(scene, x0, y, w, h, 2, 6, ww=1.8 * s, wh=2.8 * s, arched=True)
    draw.rectangle((x0 - 4, y - h * 0.52, x0 + w + 4, y - h * 0.48), fill=scene.c((230, 220, 200)))
    _door(scene, cx, y, 2.4 * s, 3.8 * s)
    # Small bell turret on the ridge.
    _tower(scene, cx, y - h - 5.4 * s, 2.2 * s, 2.4 * s, 3 * s, scene.c((236, 230, 214)), roof)
    return "alte Dorfschule aus Backstein mit kleinem Glockentürmchen auf dem Dach"


def _warehouse(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    brick = scene.c(rng.choice(BRICK))
    w, h = 14 * s, 20 * s
    x0 = cx - w / 2
    _gable(scene, x0, y - h, w, 7 * s, scene.c(rng.choice(ROOF_TILES)))
    draw.rectangle((x0, y - h, x0 + w, y), fill=brick)
    _windows(scene, x0, y, w, h, 5, 4, ww=1.2 * s, wh=1.6 * s)
    # Loading doors stacked in the middle and a hoist beam.
    for row in range(4):
        ly = y - h * (row + 0.5) / 5
        draw.rectangle(
            (cx - 1.2 * s, ly - 1.4 * s, cx + 1.2 * s, ly + 1.4 * s), fill=scene.c((94, 64, 46))
        )
    draw.line((cx, y - h - 3 * s, cx, y - h - 5 * s), fill=scene.c(TIMBER), width=5)
    draw.line((cx, y - h - 4.6 * s, cx + 2 * s, y - h - 4.6 * s), fill=scene.c(TIMBER), width=5)
    return "hoher Speicher aus Backstein mit Ladeluken"


def _hall(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    w, h = 32 * s, 5.5 * s
    x0 = cx - w / 2
    draw.rectangle((x0, y - h, x0 + w, y), fill=scene.c((226, 224, 216)))
    draw.rectangle(
        (x0 - 6, y - h - 1.4 * s, x0 + w + 6, y - h),
        fill=scene.c(rng.choice([(202, 88, 60), (64, 128, 150), (96, 150, 84)])),
    )
    draw.rectangle(
        (x0 + 1.2 * s, y - h + 1.2 * s, x0 + w - 1.2 * s, y - 0.8 * s), fill=scene.window()
    )
    for i in range(1, 12):
        x = x0 + 1.2 * s + (w - 2.4 * s) * i / 12
        draw.line((x, y - h + 1.2 * s, x, y - 0.8 * s), fill=scene.c((200, 200, 200)), width=4)
    _door(scene, cx, y, 3.5 * s, 3.4 * s, (120, 140, 150))
    return "flache ehemalige Kaufhalle mit langer Fensterfront und farbigem Dachrand"


def _holiday_home(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    w, h = 36 * s, 8 * s
    x0 = cx - w / 2
    wall = scene.c(rng.choice([(240, 236, 226), (236, 222, 180)]))
    draw.rectangle((x0 - 6, y - h - 0.8 * s, x0 + w + 6, y - h), fill=scene.c((120, 120, 120)))
    draw.rectangle((x0, y - h, x0 + w, y), fill=wall)
    _windows(scene, x0, y, w, h, 2, 12, ww=1.8 * s, wh=2.2 * s)
    for row in range(2):
        by = y - h * (0.5 * row) - 0.6 * s
        draw.line((x0 + s, by, x0 + w - s, by), fill=scene.c((150, 110, 80)), width=5)
    return "lang gestrecktes ehemaliges Ferienheim mit Flachdach und Balkonen"


def _parsonage(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    # Church tower behind, to one side.
    tx = cx + 12 * s
    fieldstone = scene.c((150, 140, 126))
    _tower(scene, tx, y, 6 * s, 18 * s, 9 * s, fieldstone, scene.c(rng.choice(SLATE)))
    draw.rectangle((tx + 3 * s, y - 9 * s, tx + 16 * s, y), fill=scene.c(fieldstone, 0.95))
    _gable(scene, tx + 3 * s, y - 9 * s, 13 * s, 5 * s, scene.c(rng.choice(ROOF_TILES)), overhang=0)
    w, h = 16 * s, 8 * s
    x0 = cx - w / 2 - 4 * s
    _gable(scene, x0, y - h, w, 6 * s, scene.c(rng.choice(ROOF_TILES)))
    draw.rectangle((x0, y - h, x0 + w, y), fill=scene.c((238, 228, 206)))
    _half_timber(scene, x0, y, w, h, 6)
    _windows(scene, x0, y, w, h, 2, 3, ww=1.4 * s, wh=1.8 * s)
    return "Fachwerk-Pfarrhaus neben einer Feldsteinkirche"


def _farm(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    # Barn behind.
    bx = cx + 4 * s
    draw.polygon(
        [(bx - 10, y - 6 * s), (bx + 9 * s, y - 15 * s), (bx + 18 * s + 10, y - 6 * s)],
        fill=scene.c(rng.choice(ROOF_TILES), 0.9),
    )
    draw.rectangle((bx, y - 6 * s, bx + 18 * s, y), fill=scene.c((128, 92, 64)))
    for i in range(1, 12):
        draw.line(
            (bx + i * 1.5 * s, y - 6 * s, bx + i * 1.5 * s, y), fill=scene.c((104, 74, 52)), width=3
        )
    # Farmhouse in front.
    w, h = 15 * s, 7 * s
    x0 = cx - w
    _gable(scene, x0, y - h, w, 6 * s, scene.c(rng.choice(ROOF_TILES)))
    draw.rectangle((x0, y - h, x0 + w, y), fill=scene.c(rng.choice(PLASTER)))
    _half_timber(scene, x0, y, w, h, 5)
    _windows(scene, x0, y, w, h, 2, 3, ww=1.4 * s, wh=1.8 * s)
    return "Bauernhaus mit Fachwerk und Holzscheune"


def _mill(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    w, h = 16 * s, 11 * s
    x0 = cx - w / 2
    _gable(scene, x0, y - h, w, 7 * s, scene.c(rng.choice(ROOF_TILES)))
    draw.rectangle((x0, y - h, x0 + w, y), fill=scene.c(rng.choice(PLASTER)))
    _half_timber(scene, x0, y - h * 0.45, w, h * 0.55, 5)
    draw.rectangle((x0, y - h * 0.45, x0 + w, y), fill=scene.c(rng.choice(BRICK)))
    _windows(scene, x0, y, w, h, 2, 4, ww=1.3 * s, wh=1.8 * s)
    # Water wheel at the side.
    r = 5 * s
    wx, wy = x0 + w + r * 0.7, y - r * 0.6
    wood = scene.c((100, 70, 48))
    draw.ellipse((wx - r, wy - r, wx + r, wy + r), outline=wood, width=int(0.6 * s))
    for i in range(12):
        a = math.tau * i / 12
        draw.line((wx, wy, wx + r * math.cos(a), wy + r * math.sin(a)), fill=wood, width=4)
    return "Wassermühle mit Fachwerk und hölzernem Mühlrad"


def _winery(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    w, h = 12 * s, 6 * s
    x0 = cx - w / 2
    _gable(scene, x0, y - h, w, 5 * s, scene.c(rng.choice(ROOF_TILES)))
    draw.rectangle((x0, y - h, x0 + w, y), fill=scene.c((232, 214, 170)))
    draw.pieslice((cx - 2 * s, y - 4 * s, cx + 2 * s, y), 180, 360, fill=scene.c((92, 60, 42)))
    draw.rectangle((cx - 2 * s, y - 2 * s, cx + 2 * s, y), fill=scene.c((92, 60, 42)))
    _windows(scene, x0, y - 2 * s, w, h - 2 * s, 1, 2, ww=1.4 * s, wh=1.6 * s)
    # Vine rows in the foreground slope.
    for i in range(10):
        yy = y + (i + 1) * 1.6 * s
        draw.line((0, yy + 8 * s, scene.width, yy - 4 * s), fill=scene.c((66, 112, 56)), width=6)
    return "kleines Kelterhaus zwischen Weinbergen"


def _village(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    _tower(
        scene, cx, y, 5 * s, 16 * s, 10 * s, scene.c((150, 140, 126)), scene.c(rng.choice(SLATE))
    )
    draw.rectangle((cx + 2.5 * s, y - 8 * s, cx + 16 * s, y), fill=scene.c((146, 136, 122)))
    _gable(
        scene, cx + 2.5 * s, y - 8 * s, 13.5 * s, 5 * s, scene.c(rng.choice(ROOF_TILES)), overhang=0
    )
    for i, dx in enumerate((-34, -24, -14, 20, 30)):
        hw, hh = rng.uniform(7, 9) * s, rng.uniform(5, 7) * s
        hx = cx + dx * s
        _gable(scene, hx, y - hh, hw, 4 * s, scene.c(rng.choice(ROOF_TILES)), overhang=4)
        wall = scene.c(rng.choice(PLASTER if i % 2 else BRICK))
        draw.rectangle((hx, y - hh, hx + hw, y), fill=wall)
        _windows(scene, hx, y, hw, hh, 1, 2, ww=1.2 * s, wh=1.6 * s)
    return "Dorf mit Feldsteinkirche und Backsteinhäusern"


BUILDINGS: dict[str, Callable] = {
    "manor": _manor,
    "station": _station,
    "barn": _barn,
    "factory": _factory,
    "townhouse": _townhouse,
    "school": _school,
    "warehouse": _warehouse,
    "hall": _hall,
    "holiday_home": _holiday_home,
    "parsonage": _parsonage,
    "farm": _farm,
    "mill": _mill,
    "winery": _winery,
    "village": _village,
}


def _tree(scene: Scene, x, y, s):
    rng, draw = scene.rng, scene.draw
    if rng.random() < 0.3:
        # Poplar.
        draw.rectangle((x - 0.3 * s, y - 3 * s, x + 0.3 * s, y), fill=scene.c((90, 64, 46)))
        draw.ellipse(
            (x - 1.8 * s, y - 14 * s, x + 1.8 * s, y - 2 * s), fill=scene.c(rng.choice(FOREST), 1.1)
        )
        return
    draw.rectangle((x - 0.4 * s, y - 4 * s, x + 0.4 * s, y), fill=scene.c((90, 64, 46)))
    crown = scene.c(rng.choice(FOREST), 1.15)
    for _ in range(4):
        r = rng.uniform(2.2, 3.2) * s
        dx, dy = rng.uniform(-1.8, 1.8) * s, rng.uniform(-1.5, 1.0) * s
        cy = y - 6.5 * s + dy
        draw.ellipse((x + dx - r, cy - r, x + dx + r, cy + r), fill=crown)


# --- Public API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Illustration:
    content: bytes
    alt_text: str  # German, describes what is shown
    phrase: str  # German time-of-day phrase, e.g. "im Abendlicht"


def _rng(seed: str) -> random.Random:
    return random.Random(zlib.crc32(seed.encode("utf-8")))


def render_illustration(
    seed: str,
    building: str = "village",
    *,
    palette: str | None = None,
    water: bool = False,
    hills: bool = False,
    close: bool = False,
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> Illustration:
    """Draw a landscape with a building; deterministic for the same arguments."""
    rng = _rng(f"{seed}|{building}|{palette}|{close}")
    chosen = PALETTES[palette or rng.choice(["day", "day", "morning", "overcast"])]
    width, height = size
    horizon = round(height * rng.uniform(0.52, 0.6))
    image = _sky(chosen, size, horizon)
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
        side = rng.choice((-1, 1))
        _tree(
            scene, cx + side * rng.uniform(22, 40) * scale, base_y - rng.randint(0, 8), scale * 0.9
        )
    what = BUILDINGS[building](scene, cx, base_y, scale)
    for _ in range(rng.randint(1, 3)):
        x = rng.choice((rng.uniform(0.02, 0.18), rng.uniform(0.82, 0.98))) * width
        _tree(scene, x, borders[4] + rng.randint(0, 30), scale * 1.4)

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
    return Illustration(buffer.getvalue(), alt, chosen.phrase)


# --- Storing illustrations as Wagtail images ------------------------------------------------


def ensure_illustration(
    title: str,
    *,
    seed: str,
    building: str,
    collection=None,
    **options,
):
    """Return ``(image, created)``: the core.CustomImage with ``title``, drawn if missing.

    Images are looked up by title, so re-running the demo loader reuses them.
    """
    from django.core.files.images import ImageFile
    from django.utils.text import slugify

    from wagtail.images import get_image_model
    from wagtail.utils.file import hash_filelike

    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing, False

    illustration = render_illustration(seed, building, **options)
    content = illustration.content
    image = image_model(
        title=title,
        description=illustration.alt_text,
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
