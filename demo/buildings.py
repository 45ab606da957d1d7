"""The buildings of the demo illustrations, drawn with Pillow on a :class:`Scene`.

Each building draws itself with its base centred at (cx, y), scaled by s (one percent of the
picture width), and returns its German description for the alt text. demo.images draws the
landscape around it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import ImageDraw

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


FOREST = [(46, 92, 58), (54, 104, 62), (40, 84, 54), (62, 112, 70)]
BRICK = [(164, 72, 50), (150, 62, 44), (176, 88, 60), (140, 58, 46)]
PLASTER = [(238, 226, 198), (242, 236, 222), (230, 206, 150), (224, 214, 196)]
ROOF_TILES = [(148, 56, 42), (128, 48, 40), (160, 74, 52)]
SLATE = [(72, 76, 88), (86, 90, 100)]
TIMBER = (84, 56, 40)
GLASS = (58, 70, 88)
LIT = (255, 212, 120)
FRAME = (245, 242, 235)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


@dataclass
class Scene:
    draw: ImageDraw.ImageDraw
    rng: random.Random
    palette: Palette
    width: int
    height: int

    def c(self, colour: RGB, factor: float = 1.0) -> RGB:
        """A colour adjusted to the light and warmth of the palette."""
        tinted = mix(colour, self.palette.warmth, 0.12)
        light = self.palette.light * factor
        return tuple(max(0, min(255, round(c * light))) for c in tinted)

    def pick(self, colours: list[RGB], factor: float = 1.0) -> RGB:
        """One of ``colours`` at random, adjusted like :meth:`c`."""
        return self.c(self.rng.choice(colours), factor)

    def window(self) -> RGB:
        if self.palette.lit_windows and self.rng.random() < 0.6:
            return LIT
        return self.c(GLASS)


def _wall(scene: Scene, x0, y, w, h, fill):
    scene.draw.rectangle((x0, y - h, x0 + w, y), fill=fill)


def _windows(scene: Scene, x0, y_base, w, h, rows, cols, *, ww=None, wh=None, arched=False):
    """A regular grid of windows on a facade whose bottom-left corner is (x0, y_base)."""
    draw, frame = scene.draw, scene.c(FRAME)
    ww = ww or w / cols * 0.42
    wh = wh or h / rows * 0.5
    for row in range(rows):
        for col in range(cols):
            cx = x0 + w * (col + 0.5) / cols
            cy = y_base - h * (row + 0.5) / rows
            box = (cx - ww / 2, cy - wh / 2, cx + ww / 2, cy + wh / 2)
            colour = scene.window()
            draw.rectangle(box, fill=colour, outline=frame, width=3)
            if arched:
                arch = (box[0], box[1] - ww / 2, box[2], box[1] + ww / 2)
                draw.pieslice(arch, 180, 360, fill=colour, outline=frame, width=3)
            draw.line((cx, box[1], cx, box[3]), fill=frame, width=2)


def _roof(scene: Scene, x0, y_top, w, rise, colour, *, inset=0.5, overhang=10):
    """A gable roof over the width ``w``; an ``inset`` below 0.5 makes it a hipped roof."""
    ridge = y_top - rise
    eaves = [(x0 - overhang, y_top), (x0 + w + overhang, y_top)]
    ridge_ends = [(x0 + w * inset, ridge), (x0 + w * (1 - inset), ridge)]
    scene.draw.polygon([eaves[0], *ridge_ends, eaves[1]], fill=colour)


def _house(scene: Scene, x0, y, w, h, roof, rise, wall, windows, *, timber=0, **options):
    """Roof, wall, half-timbering (``timber`` fields) and windows ``(rows, cols, ww, wh)``."""
    arched = options.pop("arched", False)
    _roof(scene, x0, y - h, w, rise, roof, **options)
    _wall(scene, x0, y, w, h, wall)
    if timber:
        _half_timber(scene, x0, y, w, h, timber)
    rows, cols, ww, wh = windows
    _windows(scene, x0, y, w, h, rows, cols, ww=ww, wh=wh, arched=arched)


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


def _tower(scene: Scene, cx, y, w, h, spire, wall, roof):
    draw = scene.draw
    draw.rectangle((cx - w / 2, y - h, cx + w / 2, y), fill=wall)
    draw.polygon([(cx - w / 2 - 4, y - h), (cx, y - h - spire), (cx + w / 2 + 4, y - h)], fill=roof)
    window = (cx - w / 8, y - h * 0.8, cx + w / 8, y - h * 0.65)
    draw.rectangle(window, fill=scene.c(GLASS))


def _manor(scene: Scene, cx, y, s):
    w, h = 34 * s, 11 * s
    x0 = cx - w / 2
    wall, roof = scene.pick(PLASTER), scene.pick(ROOF_TILES)
    _house(scene, x0, y, w, h, roof, 6 * s, wall, (2, 9, 1.4 * s, 2.2 * s), inset=0.22)
    # Central avant-corps with a pediment and the entrance.
    rw = 8 * s
    scene.draw.rectangle((cx - rw / 2, y - h - 0.5 * s, cx + rw / 2, y), fill=scene.c(wall, 1.04))
    _roof(scene, cx - rw / 2, y - h - 0.5 * s, rw, 3 * s, scene.c(wall, 0.92), overhang=6)
    _door(scene, cx, y, 2.2 * s, 3.6 * s)
    for share in (0.3, 0.7):  # chimneys
        _wall(scene, x0 + w * share, y - h - 4 * s, 1.2 * s, 2.4 * s, scene.pick(BRICK))
    return "hell verputztes Gutshaus mit Walmdach und Freitreppe"


def _station(scene: Scene, cx, y, s):
    draw = scene.draw
    brick, roof = scene.pick(BRICK), scene.pick(SLATE)
    w, h = 14 * s, 10 * s
    x0 = cx - w * 0.9
    _house(scene, x0, y, w, h, roof, 5 * s, brick, (2, 3, 1.6 * s, 2.6 * s), arched=True)
    # Single-storey wing with the former waiting room.
    ww_, wh_ = 16 * s, 5 * s
    wx = x0 + w
    draw.rectangle((wx, y - wh_, wx + ww_, y), fill=scene.c(brick, 0.95))
    draw.rectangle((wx - 6, y - wh_ - 1.2 * s, wx + ww_ + 8, y - wh_), fill=roof)
    _windows(scene, wx, y, ww_, wh_, 1, 4, ww=1.6 * s, wh=2.2 * s, arched=True)
    # Station clock on the gable.
    r = 1.3 * s
    gx, gy = x0 + w / 2, y - h - 1.8 * s
    black = (40, 40, 40)
    draw.ellipse((gx - r, gy - r, gx + r, gy + r), fill=(250, 250, 245), outline=black, width=3)
    draw.line((gx, gy, gx, gy - r * 0.7), fill=black, width=3)
    draw.line((gx, gy, gx + r * 0.5, gy), fill=black, width=3)
    # Rails in front.
    rail = scene.c((110, 104, 98))
    for offset in (1.4, 2.4):
        draw.line((0, y + offset * s, scene.width, y + offset * s), fill=rail, width=4)
    for x in range(0, scene.width, int(1.6 * s)):
        draw.line((x, y + 1.1 * s, x + 6, y + 2.8 * s), fill=scene.c((120, 92, 70)), width=4)
    return "ehemaliges Bahnhofsgebäude aus rotem Backstein mit Bahnhofsuhr und Gleisen"


def _barn(scene: Scene, cx, y, s):
    draw = scene.draw
    brick = scene.pick(BRICK)
    w, h = 26 * s, 8 * s
    x0 = cx - w / 2
    _roof(scene, x0, y - h, w, 12 * s, scene.pick(ROOF_TILES))
    # Brick gable facing us.
    gable = [(x0 + 3 * s, y - h), (x0 + w / 2, y - h - 10.5 * s), (x0 + w - 3 * s, y - h)]
    draw.polygon(gable, fill=brick)
    _wall(scene, x0, y, w, h, brick)
    gate = scene.c((112, 74, 48))
    bars = scene.c(gate, 0.8)
    draw.rectangle((cx - 4 * s, y - 6.5 * s, cx + 4 * s, y), fill=gate)
    for i in range(1, 8):
        draw.line((cx - 4 * s + i * s, y - 6.5 * s, cx - 4 * s + i * s, y), fill=bars, width=3)
    draw.line((cx - 4 * s, y - 6.5 * s, cx + 4 * s, y), fill=bars, width=4)
    # Ventilation slits and an owl hole, typical for Altmark barns.
    dark = scene.c((60, 40, 34))
    for i in range(4):
        for sx in (x0 + 2.5 * s + i * 1.6 * s, x0 + w - 3 * s - i * 1.6 * s):
            draw.rectangle((sx, y - 5.5 * s, sx + 0.4 * s, y - 3 * s), fill=dark)
    owl_hole = (cx - 0.8 * s, y - h - 6 * s, cx + 0.8 * s, y - h - 4.4 * s)
    draw.ellipse(owl_hole, fill=scene.c((40, 30, 26)))
    return "große Backsteinscheune mit hölzernem Tor"


def _factory(scene: Scene, cx, y, s):
    draw = scene.draw
    brick = scene.pick(BRICK)
    w, h = 30 * s, 7 * s
    x0 = cx - w / 2
    # The chimney: a narrowing stack with a darker rim.
    foot, top = x0 + w + 2 * s, y - 24 * s
    stack = [(foot, y), (foot + 0.6 * s, top), (foot + 2.0 * s, top), (foot + 2.6 * s, y)]
    draw.polygon(stack, fill=scene.c(brick, 0.9))
    draw.rectangle((foot + 0.4 * s, y - 24.8 * s, foot + 2.2 * s, top), fill=scene.c(brick, 0.75))
    _wall(scene, x0, y, w, h, brick)
    teeth = 6
    glass = scene.c((170, 190, 200))
    for i in range(teeth):  # saw-tooth roof with north lights
        tx = x0 + w * i / teeth
        tw = w / teeth
        ridge = y - h - 3.2 * s
        tooth = [(tx, y - h), (tx + tw * 0.8, ridge), (tx + tw, ridge), (tx + tw, y - h)]
        draw.polygon(tooth, fill=scene.pick(SLATE))
        draw.rectangle((tx + tw * 0.8, ridge, tx + tw, y - h), fill=glass)
    _windows(scene, x0, y, w, h, 1, 8, ww=2 * s, wh=3.6 * s, arched=True)
    _door(scene, x0 + w * 0.5, y, 4 * s, 5 * s, (70, 84, 92))
    return "alte Fabrikhalle aus Backstein mit Sheddach und hohem Schornstein"


def _townhouse(scene: Scene, cx, y, s):
    rng, draw = scene.rng, scene.draw
    # Neighbours left and right.
    for side in (-1, 1):
        nw, nh = 9 * s, rng.uniform(11, 14) * s
        nx = cx + side * 10 * s - nw / 2
        wall, roof = scene.pick(PLASTER, 0.95), scene.pick(ROOF_TILES)
        _house(scene, nx, y, nw, nh, roof, 5 * s, wall, (3, 3, 1.3 * s, 2 * s), overhang=4)
    # Brick house with a stepped gable in the middle.
    w, h = 11 * s, 15 * s
    x0 = cx - w / 2
    brick = scene.pick(BRICK)
    steps = 5
    points = [(x0, y - h)]
    for i in range(steps):
        inset = w / 2 * (i + 1) / (steps + 0.5)
        top = y - h - (i + 1) * 1.7 * s
        points += [(x0 + inset - w / (2 * steps + 1), top), (x0 + inset, top)]
    points += [(x0 + w - p[0] + x0, p[1]) for p in reversed(points)]
    draw.polygon(points, fill=brick)
    _wall(scene, x0, y, w, h, brick)
    _windows(scene, x0, y - 4 * s, w, h - 4 * s, 3, 3, ww=1.5 * s, wh=2.4 * s, arched=True)
    draw.rectangle((x0 + s, y - 3.6 * s, x0 + w - s, y - 0.4 * s), fill=scene.window())
    return (
        "Backsteinhaus mit Treppengiebel und großem Schaufenster zwischen zwei verputzten "
        "Nachbarhäusern,"
    )


def _school(scene: Scene, cx, y, s):
    brick, roof = scene.pick(BRICK), scene.pick(ROOF_TILES)
    w, h = 24 * s, 9 * s
    x0 = cx - w / 2
    _house(scene, x0, y, w, h, roof, 6 * s, brick, (2, 6, 1.8 * s, 2.8 * s), arched=True)
    cornice = (x0 - 4, y - h * 0.52, x0 + w + 4, y - h * 0.48)
    scene.draw.rectangle(cornice, fill=scene.c((230, 220, 200)))
    _door(scene, cx, y, 2.4 * s, 3.8 * s)
    # Small bell turret on the ridge.
    _tower(scene, cx, y - h - 5.4 * s, 2.2 * s, 2.4 * s, 3 * s, scene.c((236, 230, 214)), roof)
    return "alte Dorfschule aus Backstein mit kleinem Glockentürmchen auf dem Dach"


def _warehouse(scene: Scene, cx, y, s):
    draw = scene.draw
    brick = scene.pick(BRICK)
    w, h = 14 * s, 20 * s
    x0 = cx - w / 2
    _house(scene, x0, y, w, h, scene.pick(ROOF_TILES), 7 * s, brick, (5, 4, 1.2 * s, 1.6 * s))
    # Loading doors stacked in the middle and a hoist beam.
    for row in range(4):
        ly = y - h * (row + 0.5) / 5
        hatch = (cx - 1.2 * s, ly - 1.4 * s, cx + 1.2 * s, ly + 1.4 * s)
        draw.rectangle(hatch, fill=scene.c((94, 64, 46)))
    draw.line((cx, y - h - 3 * s, cx, y - h - 5 * s), fill=scene.c(TIMBER), width=5)
    draw.line((cx, y - h - 4.6 * s, cx + 2 * s, y - h - 4.6 * s), fill=scene.c(TIMBER), width=5)
    return "hoher Speicher aus Backstein mit Ladeluken"


def _hall(scene: Scene, cx, y, s):
    draw = scene.draw
    w, h = 32 * s, 5.5 * s
    x0 = cx - w / 2
    _wall(scene, x0, y, w, h, scene.c((226, 224, 216)))
    edge = scene.pick([(202, 88, 60), (64, 128, 150), (96, 150, 84)])
    draw.rectangle((x0 - 6, y - h - 1.4 * s, x0 + w + 6, y - h), fill=edge)
    top, bottom = y - h + 1.2 * s, y - 0.8 * s
    draw.rectangle((x0 + 1.2 * s, top, x0 + w - 1.2 * s, bottom), fill=scene.window())
    for i in range(1, 12):
        x = x0 + 1.2 * s + (w - 2.4 * s) * i / 12
        draw.line((x, top, x, bottom), fill=scene.c((200, 200, 200)), width=4)
    _door(scene, cx, y, 3.5 * s, 3.4 * s, (120, 140, 150))
    return "flache ehemalige Kaufhalle mit langer Fensterfront und farbigem Dachrand"


def _holiday_home(scene: Scene, cx, y, s):
    draw = scene.draw
    w, h = 36 * s, 8 * s
    x0 = cx - w / 2
    wall = scene.pick([(240, 236, 226), (236, 222, 180)])
    draw.rectangle((x0 - 6, y - h - 0.8 * s, x0 + w + 6, y - h), fill=scene.c((120, 120, 120)))
    _wall(scene, x0, y, w, h, wall)
    _windows(scene, x0, y, w, h, 2, 12, ww=1.8 * s, wh=2.2 * s)
    for row in range(2):
        by = y - h * (0.5 * row) - 0.6 * s
        draw.line((x0 + s, by, x0 + w - s, by), fill=scene.c((150, 110, 80)), width=5)
    return "lang gestrecktes ehemaliges Ferienheim mit Flachdach und Balkonen"


def _parsonage(scene: Scene, cx, y, s):
    # Church tower behind, to one side.
    tx = cx + 12 * s
    fieldstone = scene.c((150, 140, 126))
    _tower(scene, tx, y, 6 * s, 18 * s, 9 * s, fieldstone, scene.pick(SLATE))
    scene.draw.rectangle((tx + 3 * s, y - 9 * s, tx + 16 * s, y), fill=scene.c(fieldstone, 0.95))
    _roof(scene, tx + 3 * s, y - 9 * s, 13 * s, 5 * s, scene.pick(ROOF_TILES), overhang=0)
    w, h = 16 * s, 8 * s
    x0 = cx - w / 2 - 4 * s
    roof, wall = scene.pick(ROOF_TILES), scene.c((238, 228, 206))
    _house(scene, x0, y, w, h, roof, 6 * s, wall, (2, 3, 1.4 * s, 1.8 * s), timber=6)
    return "Fachwerk-Pfarrhaus neben einer Feldsteinkirche"


def _farm(scene: Scene, cx, y, s):
    draw = scene.draw
    # Barn behind.
    bx = cx + 4 * s
    _roof(scene, bx, y - 6 * s, 18 * s, 9 * s, scene.pick(ROOF_TILES, 0.9))
    _wall(scene, bx, y, 18 * s, 6 * s, scene.c((128, 92, 64)))
    for i in range(1, 12):
        x = bx + i * 1.5 * s
        draw.line((x, y - 6 * s, x, y), fill=scene.c((104, 74, 52)), width=3)
    # Farmhouse in front.
    w, h = 15 * s, 7 * s
    roof, wall = scene.pick(ROOF_TILES), scene.pick(PLASTER)
    _house(scene, cx - w, y, w, h, roof, 6 * s, wall, (2, 3, 1.4 * s, 1.8 * s), timber=5)
    return "Bauernhaus mit Fachwerk und Holzscheune"


def _mill(scene: Scene, cx, y, s):
    draw = scene.draw
    w, h = 16 * s, 11 * s
    x0 = cx - w / 2
    _roof(scene, x0, y - h, w, 7 * s, scene.pick(ROOF_TILES))
    _wall(scene, x0, y, w, h, scene.pick(PLASTER))
    _half_timber(scene, x0, y - h * 0.45, w, h * 0.55, 5)
    _wall(scene, x0, y, w, h * 0.45, scene.pick(BRICK))
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
    draw = scene.draw
    w, h = 12 * s, 6 * s
    x0 = cx - w / 2
    _roof(scene, x0, y - h, w, 5 * s, scene.pick(ROOF_TILES))
    _wall(scene, x0, y, w, h, scene.c((232, 214, 170)))
    door = scene.c((92, 60, 42))
    draw.pieslice((cx - 2 * s, y - 4 * s, cx + 2 * s, y), 180, 360, fill=door)
    draw.rectangle((cx - 2 * s, y - 2 * s, cx + 2 * s, y), fill=door)
    _windows(scene, x0, y - 2 * s, w, h - 2 * s, 1, 2, ww=1.4 * s, wh=1.6 * s)
    # Vine rows in the foreground slope.
    for i in range(10):
        yy = y + (i + 1) * 1.6 * s
        draw.line((0, yy + 8 * s, scene.width, yy - 4 * s), fill=scene.c((66, 112, 56)), width=6)
    return "kleines Kelterhaus zwischen Weinbergen"


def _village(scene: Scene, cx, y, s):
    rng = scene.rng
    slate = scene.pick(SLATE)
    _tower(scene, cx, y, 5 * s, 16 * s, 10 * s, scene.c((150, 140, 126)), slate)
    scene.draw.rectangle((cx + 2.5 * s, y - 8 * s, cx + 16 * s, y), fill=scene.c((146, 136, 122)))
    _roof(scene, cx + 2.5 * s, y - 8 * s, 13.5 * s, 5 * s, scene.pick(ROOF_TILES), overhang=0)
    for i, dx in enumerate((-34, -24, -14, 20, 30)):
        hw, hh = rng.uniform(7, 9) * s, rng.uniform(5, 7) * s
        roof, wall = scene.pick(ROOF_TILES), scene.pick(PLASTER if i % 2 else BRICK)
        hx = cx + dx * s
        _house(scene, hx, y, hw, hh, roof, 4 * s, wall, (1, 2, 1.2 * s, 1.6 * s), overhang=4)
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


def tree(scene: Scene, x, y, s):
    rng, draw = scene.rng, scene.draw
    if rng.random() < 0.3:
        # Poplar.
        draw.rectangle((x - 0.3 * s, y - 3 * s, x + 0.3 * s, y), fill=scene.c((90, 64, 46)))
        crown = (x - 1.8 * s, y - 14 * s, x + 1.8 * s, y - 2 * s)
        draw.ellipse(crown, fill=scene.pick(FOREST, 1.1))
        return
    draw.rectangle((x - 0.4 * s, y - 4 * s, x + 0.4 * s, y), fill=scene.c((90, 64, 46)))
    crown = scene.pick(FOREST, 1.15)
    for _ in range(4):
        r = rng.uniform(2.2, 3.2) * s
        dx, dy = rng.uniform(-1.8, 1.8) * s, rng.uniform(-1.5, 1.0) * s
        cy = y - 6.5 * s + dy
        draw.ellipse((x + dx - r, cy - r, x + dx + r, cy + r), fill=crown)
