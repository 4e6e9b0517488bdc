"""The embedded default renderer: storyboard sketches drawn with Pillow, no model needed.

Each frame draws the shot's blocking (``aiscript.shots.blocking``): a set for the place type (ward,
office, street, banquet hall, car, a room) at the people's scale, so a wide shot shows small
figures in the set and a close-up crops to the face; figures in their poses (standing,
sitting, lying in bed, kneeling, fallen, held), heads turned by facing, keeping their colour
and badge shape in every frame; an over-the-shoulder's foreground shoulder and the back of
the head; contact marks (a blade at the throat, a slap's impact, a grip, an embrace); props
as labelled icons in hand or in frame. A tint for day/night and interior/exterior, the
dialogue as a caption above the lower fifth (left free for subtitles and app buttons),
shrunk to fit and marked with "…" when it must still be cut, and a header with the shot id,
timecode, size, angle and camera move. Cards (``TO BE CONTINUED``, 【黑屏】) are drawn as
cards. Same input, same pixels.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from aiscript.fonts import pil_font
from aiscript.schema import Angle, Character, Movement, ShotSize, _tc
from aiscript.storyboard.prompts import ANGLE_WORDS, MOVE_WORDS, SIZE_WORDS
from aiscript.storyboard.renderer import FrameRenderer, FrameSpec

# Background per (setting, time): interiors warmer, exteriors cooler, nights dark.
TINTS = {
    ("INT", "DAY"): (236, 226, 208), ("EXT", "DAY"): (214, 230, 242),
    ("INT", "NIGHT"): (52, 50, 70), ("EXT", "NIGHT"): (28, 34, 56),
    ("INT", "DUSK"): (222, 180, 140), ("EXT", "DUSK"): (232, 168, 120),
    ("INT", "DAWN"): (226, 208, 214), ("EXT", "DAWN"): (238, 206, 200),
}
# Head radius as a fraction of frame width, and where a standing head's centre sits (of height).
SIZES = {
    ShotSize.extreme_close_up: (0.40, 0.40), ShotSize.close_up: (0.21, 0.36),
    ShotSize.medium_close_up: (0.14, 0.32), ShotSize.medium: (0.095, 0.30),
    ShotSize.medium_wide: (0.065, 0.30), ShotSize.wide: (0.03, 0.50),
    ShotSize.extreme_wide: (0.016, 0.56), ShotSize.over_the_shoulder: (0.11, 0.30),
    ShotSize.two_shot: (0.085, 0.30), ShotSize.insert: (0.0, 0.0),
}
TIGHT = (ShotSize.extreme_close_up, ShotSize.close_up, ShotSize.medium_close_up)
# How far a pose lowers the head (in head radii) below a standing head, feet on the same floor.
LOWER = {"sitting": 2.2, "kneeling": 2.2, "lying": 6.3, "fallen": 8.3}
SKIN, HAIR = (238, 212, 186), (48, 38, 36)
# One badge shape per role, so figures stay distinguishable in greyscale prints too.
BADGES = {"protagonist": "circle", "love_interest": "square", "antagonist": "triangle",
          "ally": "diamond", "elder": "bar", "rival": "triangle"}
SAFE_TOP = 0.80  # the lower fifth stays free
DUTCH_DEG = 8.0  # a dutch angle tilts the figures this much, counter-clockwise


class Pen:
    """Draws shapes tilted by ``degrees`` about ``(cx, cy)``: points are turned before drawing,
    so a dutch angle costs nothing (turning a finished frame resamples every pixel)."""

    def __init__(self, draw: ImageDraw.ImageDraw, cx: float, cy: float, degrees: float) -> None:
        self.draw, self.cx, self.cy = draw, cx, cy
        rad = math.radians(degrees)
        self.cos, self.sin = math.cos(rad), math.sin(rad)
        self.tilted = degrees != 0

    def at(self, x: float, y: float) -> tuple[float, float]:
        """``(x, y)`` turned counter-clockwise on screen (y points down)."""
        dx, dy = x - self.cx, y - self.cy
        return (self.cx + dx * self.cos + dy * self.sin, self.cy - dx * self.sin + dy * self.cos)

    def line(self, points, **kw) -> None:
        self.draw.line([self.at(*p) for p in points], **kw)

    def polygon(self, points, **kw) -> None:
        self.draw.polygon([self.at(*p) for p in points], **kw)

    def circle(self, centre, radius: float, **kw) -> None:
        self.draw.circle(self.at(*centre), radius, **kw)  # a circle turns into itself

    def rounded_rectangle(self, box, radius: float, **kw) -> None:
        if not self.tilted:
            self.draw.rounded_rectangle(box, radius=radius, **kw)
            return
        x0, y0, x1, y1 = box
        width = kw.pop("width", 1)
        outline = kw.pop("outline", None)
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        self.polygon(corners, **kw)
        if outline:
            self.line(corners + corners[:1], fill=outline, width=width, joint="curve")


@dataclass
class Figure:
    """Where the renderer drew one character: head centre ``(x, y)`` and radius ``r``, the
    pose and facing it drew, and the box the whole figure fills (what tests and sheets read)."""

    character: Character
    pose: str
    facing: str
    foreground: bool
    x: float
    y: float
    r: float
    box: tuple[float, float, float, float]
    tight: bool = False  # a close shot: the legs are out of frame

    @property
    def name(self) -> str:
        return self.character.name


class SketchRenderer(FrameRenderer):
    """Pillow blocking sketches at 540x960 (9:16) by default."""

    name = "sketch"
    draws_cards = True  # cards are words on black, drawn here

    def __init__(self, width: int = 540, height: int = 960) -> None:
        if width * 16 != height * 9:
            raise ValueError(f"{width}x{height} is not 9:16; try 540x960 or 720x1280")
        self.width, self.height = width, height

    def render(self, specs: Sequence[FrameSpec]) -> list[Image.Image]:
        return [self.draw(spec) for spec in specs]

    def draw(self, spec: FrameSpec) -> Image.Image:
        w, h = self.width, self.height
        heading = spec.scene.heading
        if spec.shot.card:
            return self._card(spec)
        bg = TINTS[("EXT" if heading.setting == "EXT" else "INT", heading.time)]
        img = Image.new("RGB", (w, h), bg)
        self._close: set[str] = set()
        self._low: set[str] = set()
        placed = self._figures(img, spec)
        view = spec.shot.blocking.view if spec.shot.blocking else ""
        if view:
            self._view(img, view)
            placed = [p for p in placed if abs(p[1] - w / 2) < w * 0.42] if view == "scope" else placed
        # the lower fifth stays free: what reaches into it is washed out under the action notes
        ImageDraw.Draw(img, "RGBA").rectangle([0, h * SAFE_TOP, w, h], fill=bg + (215,))
        d = ImageDraw.Draw(img)
        self._name_tags(d, placed, self._close)
        ink = (250, 250, 250) if sum(bg) < 300 else (30, 30, 36)
        self._header(d, spec, ink)
        self._caption(d, spec)
        self._safe_area(d, spec, ink)
        return img

    # -- layout ------------------------------------------------------------------------------

    def layout(self, spec: FrameSpec) -> list[Figure]:
        """Every character's figure in this frame, from the shot's blocking: position, size by
        shot size, pose and facing; the foreground shoulder of an over-the-shoulder is big, at
        the frame's edge. Drawing follows this layout exactly."""
        w, h = self.width, self.height
        shot = spec.shot
        if shot.size is ShotSize.insert or not spec.cast or shot.card:
            return []
        by_name = {c.name: c for c in spec.cast}
        people = list(shot.blocking.people) if shot.blocking else []
        places = {p.name: p for p in people if p.name in by_name}
        # a character the blocking does not name (an episode edited by hand) takes a spare place
        spare = [p for p in people if p.name not in by_name]
        for c in spec.cast:
            if c.name not in places and spare:
                places[c.name] = spare.pop(0)
        names = [p.name for p in people if p.name in by_name]
        names += [c.name for c in spec.cast if c.name not in names]
        n = len(names)
        rf, yf = SIZES[shot.size]
        crowd = 1.0 if shot.size in (ShotSize.wide, ShotSize.extreme_wide) else \
            max(1.0, (n / 2) ** 0.5)
        figures = []
        for i, name in enumerate(names):
            p = places.get(name)
            x = (p.x if p else (i + 1) / (n + 1)) * w
            pose = p.pose if p else "standing"
            facing = p.facing if p else "camera"
            fg = bool(p and p.foreground)
            if fg:
                r, y = w * 0.21, h * 0.5
            else:
                r = w * rf / crowd
                y = self._head_y(h * yf, r, pose, shot.size)
            tight = shot.size in TIGHT
            figures.append(Figure(by_name[name], pose, facing, fg, x, y, r,
                                  _box(x, y, r, pose, facing, fg, w, h), tight))
        # the background figures first, the foreground shoulder last (drawn over them)
        return sorted(figures, key=lambda f: f.foreground)

    @staticmethod
    def _head_y(y: float, r: float, pose: str, size: ShotSize) -> float:
        """A standing head sits where the framing puts it; other poses lower it, except in
        tight shots, where the camera follows the face."""
        if size in TIGHT:
            return y + (0.6 * r if pose in ("lying", "fallen") else 0.0)
        return y + LOWER.get(pose, 0.0) * r

    # -- picture ---------------------------------------------------------------------------

    def _figures(self, img: Image.Image, spec: FrameSpec) -> list[tuple]:
        """The set, the figures in their poses, contacts and props, blended straight onto the
        frame; a dutch angle tilts their coordinates. Returns where each figure's head is
        (character, x, y, head size)."""
        w, h = self.width, self.height
        shot = spec.shot
        pen = Pen(ImageDraw.Draw(img, "RGBA"), w / 2, h / 2,
                  DUTCH_DEG if shot.angle is Angle.dutch else 0)
        bg = img.getpixel((0, h - 1))
        figures = self.layout(spec)
        self._set(pen, spec, figures, bg)
        # the camera's eye line: high for a high angle, low for a low one; tilted when dutch
        horizon = {Angle.high: 0.30, Angle.birds_eye: 0.12, Angle.low: 0.62}.get(shot.angle, 0.48)
        pen.line([(-w / 2, h * horizon), (w * 1.5, h * horizon)], fill=(0, 0, 0, 60), width=2)
        blocking = shot.blocking
        if shot.size is ShotSize.insert or not figures:
            self._props_in_frame(pen, ImageDraw.Draw(img), spec, big=True)
            return []
        contacts = blocking.contacts if blocking else []
        reach = _reaches(figures, contacts, blocking.props if blocking else [], shot.action)
        if shot.size in TIGHT:  # a hand below the frame comes up into it, arm and all
            reach = {n: (min(max(x, w * 0.14), w * 0.86), min(max(y, h * 0.18), h * 0.64))
                     for n, (x, y) in reach.items()}
        behind = {c.by for c in contacts if c.kind in ("knife_at_throat", "embrace", "behind", "choke")}
        for f in sorted(figures, key=lambda f: (f.foreground, f.name not in behind)):
            # whoever reaches round from behind gets the arm drawn over the other one, below
            self._figure(pen, f, reach.get(f.name), arm=f.name not in behind or f.name not in reach)
        for f in figures:
            if f.name in behind and f.name in reach:
                self._arm(pen, f, reach[f.name])
        d = ImageDraw.Draw(img)
        self._contacts(pen, figures, contacts)
        self._props_in_frame(pen, d, spec, big=False, figures=figures, reach=reach)
        self._close = {n for c in contacts for n in (c.by, c.to)
                       if c.kind in ("knife_at_throat", "embrace", "kiss", "grab", "gun_at", "choke",
                                     "support", "behind")}
        self._low = {f.name for f in figures if f.pose in ("lying", "fallen")}
        return [(f.character, f.x, f.y, 2 * f.r) for f in figures]

    def _set(self, pen: Pen, spec: FrameSpec, figures: list[Figure], bg) -> None:
        """The place behind the people, drawn at the people's scale: a wide shot shows the
        whole set small, a close-up a corner of it, large."""
        w, h = self.width, self.height
        shot = spec.shot
        kind = shot.blocking.place if shot.blocking else "room"
        rf, yf = SIZES.get(shot.size, (0.03, 0.5))
        standing = [f for f in figures if not f.foreground]
        r = standing[0].r if standing else w * (rf or 0.03)
        head = h * yf if shot.size is not ShotSize.insert else h * 0.3
        floor = head + 9.5 * r if shot.size is not ShotSize.insert else h * 0.66
        dark = sum(bg) < 300
        ink = tuple(min(255, c + 45) for c in bg) + (255,) if dark else \
            tuple(max(0, c - 55) for c in bg) + (255,)
        fill = tuple(min(255, c + 18) for c in bg) + (255,) if dark else \
            tuple(max(0, c - 16) for c in bg) + (255,)
        zoom = r / (w * 0.03)
        lw = max(2, int(zoom * 1.5))

        def P(u: float, v: float) -> tuple[float, float]:  # set units: frame widths, head radii
            return (w / 2 + u * w * zoom, floor - v * r)

        def rect(u0, v0, u1, v1, **kw):
            pen.polygon([P(u0, v0), P(u1, v0), P(u1, v1), P(u0, v1)], **kw)

        def line(*pts, width=lw, color=ink):
            pen.line([P(*p) for p in pts], fill=color, width=width)

        if floor < h * 1.2:  # the floor, a shade off the wall
            pen.polygon([(-w, floor), (2 * w, floor), (2 * w, 2 * h), (-w, 2 * h)], fill=fill)
            pen.line([(-w, floor), (2 * w, floor)], fill=ink, width=lw)
        lying_here = any(f.pose == "lying" for f in figures)
        if kind == "ward":
            rect(-0.42, 6, -0.12, 13, outline=ink, width=lw)
            line((-0.27, 6), (-0.27, 13))
            line((-0.42, 9.5), (-0.12, 9.5))
            line((0.44, 0), (0.44, 12.5))
            rect(0.4, 10.2, 0.48, 12.4, fill=(255, 255, 255, 150), outline=ink, width=max(1, lw // 2))
            rect(-0.5, 7.5, -0.36, 10.5, outline=ink, width=lw)
            line((-0.49, 9), (-0.46, 9), (-0.44, 10), (-0.42, 8), (-0.4, 9), (-0.37, 9),
                 width=max(1, lw // 2), color=(60, 200, 90, 255))
            if not lying_here:
                rect(0.1, 1.0, 0.4, 3.3, fill=(250, 250, 252, 200), outline=ink, width=lw)
                rect(0.1, 3.3, 0.17, 4.2, fill=(255, 255, 255, 230), outline=ink, width=lw)
        elif kind == "office":
            rect(-0.45, 5, -0.02, 14, outline=ink, width=lw)
            for k in range(1, 9):
                line((-0.45, 5 + k), (-0.02, 5 + k), width=max(1, lw // 2))
            rect(0.08, 3.2, 0.46, 3.8, fill=ink)
            line((0.11, 3.2), (0.11, 0))
            line((0.43, 3.2), (0.43, 0))
            rect(0.24, 3.8, 0.34, 6.0, outline=ink, width=lw)
        elif kind == "street":
            for u0, u1, top in ((-0.7, -0.42, 24), (-0.4, -0.18, 17), (-0.16, 0.1, 28),
                                (0.12, 0.36, 20), (0.38, 0.7, 26)):
                rect(u0, 6, u1, top, outline=ink, width=lw)
                for v in range(8, int(top) - 1, 4):
                    for k in range(3):
                        uu = u0 + (u1 - u0) * (k + 1) / 4
                        rect(uu - 0.015, v, uu + 0.015, v + 1.6, fill=ink)
            line((-0.8, 6), (0.8, 6))
            line((0.46, 0), (0.46, 15))
            line((0.46, 15), (0.4, 15.5))
            pen.circle(P(0.4, 15.2), max(2, r * 0.6), fill=(255, 230, 150, 220))
        elif kind == "banquet":
            line((0, 30), (0, 25))
            for k in range(-3, 4):
                line((0, 25), (k * 0.035, 23))
                pen.circle(P(k * 0.035, 22.6), max(1.5, r * 0.25), fill=(255, 240, 190, 230))
            for u in (-0.48, 0.48):
                for k in range(3):
                    line((u + 0.02 * k * (1 if u < 0 else -1), 0), (u + 0.02 * k * (1 if u < 0 else -1), 28))
            for u in (-0.33, 0.33):
                rect(u - 0.12, 0, u + 0.12, 2.6, fill=(255, 255, 255, 170), outline=ink, width=lw)
                pen.circle(P(u - 0.04, 3.2), max(1.5, r * 0.4), outline=ink, width=max(1, lw // 2))
                pen.circle(P(u + 0.05, 3.2), max(1.5, r * 0.4), outline=ink, width=max(1, lw // 2))
        elif kind == "car":  # from the bonnet: windscreen frame, roof, seat backs, dashboard
            glass = (200, 225, 240, 120)
            pen.polygon([P(-0.62, 4.5), P(0.62, 4.5), P(0.5, 13.5), P(-0.5, 13.5)], fill=glass,
                        outline=ink, width=lw * 2)
            rect(-0.7, 13.5, 0.7, 16, fill=ink)  # the roof
            line((0, 13.5), (0, 12.6), width=lw * 2)  # the mirror's stem
            rect(-0.06, 11.8, 0.06, 12.6, fill=ink)
            for u in (-0.27, 0.27):  # seat backs and headrests behind the two front seats
                rect(u - 0.13, 0.5, u + 0.13, 8.2, fill=(90, 80, 80, 150), outline=ink, width=lw)
                rect(u - 0.07, 8.2, u + 0.07, 10, fill=(90, 80, 80, 150), outline=ink, width=lw)
            rect(-0.75, -1.5, 0.75, 1.5, fill=(70, 70, 78, 235))  # the dashboard, nearest us
        elif kind == "auction":  # a rostrum with a gavel, the lot on a screen, rows of chairs
            rect(0.2, 0, 0.42, 5, fill=(120, 80, 50, 230), outline=ink, width=lw)
            line((0.26, 5.6), (0.33, 5.3), width=lw * 2)
            rect(-0.4, 8, 0.12, 15, outline=ink, width=lw)
            pen.polygon([P(-0.22, 9), P(-0.06, 9), P(-0.14, 13)], outline=ink, width=lw)
            line((-0.36, 14.2), (0.08, 14.2))
            for row, v in enumerate((-1.5, -3.5)):
                for k in range(6):
                    u = -0.5 + k * 0.12 + row * 0.05
                    rect(u, v, u + 0.08, v + 2.4, outline=ink, width=max(1, lw // 2))
        elif kind == "shop":  # a counter, shelves of boxes and bags, a sign board
            for v in (6, 9, 12):
                line((-0.48, v), (0.48, v))
                for k in range(7):
                    u = -0.45 + k * 0.13
                    rect(u, v, u + 0.08, v + 1.8, fill=ink if k % 2 else (255, 255, 255, 120),
                         outline=ink, width=max(1, lw // 2))
            rect(-0.3, 15, 0.3, 17.5, fill=(200, 60, 40, 200), outline=ink, width=lw)
            rect(-0.55, 0, 0.55, 3.8, fill=(150, 120, 90, 210), outline=ink, width=lw)
        elif kind == "pool":  # water in front, a sun lounger, a parasol
            pen.polygon([P(-0.8, -0.3), P(0.25, -0.3), P(0.45, -6), P(-0.8, -6)],
                        fill=(120, 190, 230, 230), outline=ink, width=lw)
            for v in (-1.5, -3, -4.5):
                line((-0.7, v), (-0.6, v + 0.4), (-0.5, v), (-0.4, v + 0.4), (-0.3, v),
                     color=(255, 255, 255, 220), width=max(1, lw // 2))
            line((0.28, 1.2), (0.5, 1.2), (0.56, 2.4))
            line((0.3, 0), (0.3, 1.2))
            line((0.48, 0), (0.48, 1.2))
            line((-0.05, 0), (-0.05, 11))
            pen.polygon([P(-0.3, 10), P(0.2, 10), P(-0.05, 12.5)], fill=(230, 90, 80, 220))
        elif kind == "patio":  # a house wall with a sliding door, decking, a table and parasol
            rect(-0.7, 0, 0.7, 20, outline=ink, width=lw)
            rect(0.12, 0, 0.46, 11, fill=(200, 225, 240, 120), outline=ink, width=lw)
            line((0.29, 0), (0.29, 11))
            for k in range(-6, 7):
                line((k * 0.1, 0), (k * 0.16, -6), width=max(1, lw // 2))
            line((-0.28, 0), (-0.28, 8))
            pen.polygon([P(-0.55, 7.5), P(-0.01, 7.5), P(-0.28, 9.8)], fill=(240, 200, 90, 220))
            rect(-0.38, 2.6, -0.18, 3.0, fill=ink)
        elif kind == "shack":  # rough boards, a small cross-barred window, a bare bulb
            for k in range(-8, 9):
                line((k * 0.07, 0), (k * 0.07 + 0.004 * (k % 3), 22), width=max(1, lw // 2))
            rect(-0.38, 8, -0.14, 12, fill=(230, 230, 200, 160), outline=ink, width=lw)
            line((-0.26, 8), (-0.26, 12))
            line((-0.38, 10), (-0.14, 10))
            line((0.2, 22), (0.2, 15))
            pen.circle(P(0.2, 14.6), max(2, r * 0.35), fill=(255, 240, 160, 240))
        elif kind == "mansion":  # columns, a grand door under a pediment, steps
            for u in (-0.45, -0.3, 0.3, 0.45):
                rect(u - 0.035, 0, u + 0.035, 16, fill=(255, 255, 255, 140), outline=ink, width=lw)
            pen.polygon([P(-0.55, 16), P(0.55, 16), P(0, 20)], outline=ink, width=lw)
            rect(-0.12, 0, 0.12, 9, fill=(110, 70, 50, 200), outline=ink, width=lw)
            line((0, 0), (0, 9))
            for k in range(1, 3):
                line((-0.6, -k * 0.8), (0.6, -k * 0.8))
        else:  # a room: a door, a window, a sofa
            rect(0.3, 0, 0.44, 12, outline=ink, width=lw)
            pen.circle(P(0.33, 6), max(1.5, r * 0.25), fill=ink)
            rect(-0.42, 6, -0.16, 12, outline=ink, width=lw)
            line((-0.29, 6), (-0.29, 12))
            rect(-0.12, 0.6, 0.2, 2.6, outline=ink, width=lw)
            line((-0.12, 2.6), (-0.12, 4), (0.2, 4), (0.2, 2.6))

    def _view(self, img: Image.Image, view: str) -> None:
        """Someone's point of view over the frame: a rifle scope's round field with its
        cross-hairs and range marks, or a pair of eyes' soft dark edges."""
        w, h = self.width, self.height
        mask = Image.new("L", (w, h), 255)
        md = ImageDraw.Draw(mask)
        cx, cy = w / 2, h * 0.42
        if view == "scope":
            rad = w * 0.44
            md.ellipse([cx - rad, cy - rad, cx + rad, cy + rad], fill=0)
            img.paste((6, 6, 8), (0, 0, w, h), mask)
            d = ImageDraw.Draw(img)
            d.ellipse([cx - rad, cy - rad, cx + rad, cy + rad], outline=(20, 20, 20), width=6)
            d.line([(cx - rad, cy), (cx + rad, cy)], fill=(10, 10, 10), width=2)
            d.line([(cx, cy - rad), (cx, cy + rad)], fill=(10, 10, 10), width=2)
            for k in range(-4, 5):  # the range marks
                if k:
                    d.circle((cx + k * rad / 5, cy), 3, fill=(10, 10, 10))
                    d.circle((cx, cy + k * rad / 5), 3, fill=(10, 10, 10))
            for x0, x1 in ((cx - rad, cx - rad * 0.55), (cx + rad * 0.55, cx + rad)):
                d.line([(x0, cy), (x1, cy)], fill=(10, 10, 10), width=7)
            d.text((cx - rad * 0.9, cy + rad + 8), "POV: SCOPE", font=pil_font(max(14, w // 26)),
                   fill=(230, 230, 230))
        else:  # two overlapping lenses of sight, dark outside
            for dx in (-w * 0.2, w * 0.2):
                md.ellipse([cx + dx - w * 0.42, cy - h * 0.3, cx + dx + w * 0.42, cy + h * 0.3], fill=0)
            img.paste((10, 10, 14), (0, 0, w, h), mask)
            ImageDraw.Draw(img).text((16, h * 0.74), "POV", font=pil_font(max(14, w // 26)),
                                     fill=(230, 230, 230))

    def _arm(self, d: Pen, f: Figure, hand: tuple[float, float]) -> None:
        """A front arm reaching to ``hand`` (drawn over whoever it reaches round)."""
        s = {"right": 1, "left": -1}.get(f.facing, 1)
        color = tuple(int(f.character.color[i : i + 2], 16) for i in (1, 3, 5))
        shade = tuple(int(v * 0.62) for v in color)
        front = (f.x + s * 1.15 * f.r, f.y + 1.75 * f.r)
        d.line([front, hand], fill=shade + (255,), width=max(2, int(0.45 * f.r)))
        d.circle(hand, 0.3 * f.r, fill=SKIN + (255,))

    def _figure(self, d: Pen, f: Figure, reach: tuple[float, float] | None,
                arm: bool = True) -> None:
        """One character in their pose: body in the character's colour with its badge, head
        turned by facing (a nose and an eye toward where they look; the back of the head when
        facing away), long hair for women; ``reach`` is where the front hand goes."""
        c = f.character
        color = tuple(int(c.color[i : i + 2], 16) for i in (1, 3, 5))
        shade = tuple(int(v * 0.62) for v in color)
        x, y, r = f.x, f.y, f.r
        line_w = max(1, int(r / 10))
        edge = (0, 0, 0, 170)
        if f.foreground:  # the listener's back: shoulder and the back of the head, big
            d.polygon([(x - 2.6 * r, self.height + r), (x - 2.0 * r, y + 1.5 * r),
                       (x - 0.7 * r, y + 0.9 * r), (x + 0.7 * r, y + 0.9 * r),
                       (x + 2.0 * r, y + 1.5 * r), (x + 2.6 * r, self.height + r)],
                      fill=color + (255,), outline=edge, width=line_w)
            d.circle((x, y), r, fill=_hair(c) + (255,), outline=edge, width=line_w)
            d.circle((x - 0.95 * r, y + 0.1 * r), 0.22 * r, fill=SKIN + (255,))  # an ear
            d.circle((x + 0.95 * r, y + 0.1 * r), 0.22 * r, fill=SKIN + (255,))
            return
        face = {"right": 1, "left": -1}.get(f.facing, 0)
        s = face or 1
        if f.pose in ("lying", "fallen"):
            self._lying(d, f, color, shade, edge, line_w)
            return
        sw, hw = 1.35 * r, 1.0 * r
        top, hip = y + 1.45 * r, y + 5.2 * r
        floor = y + (9.5 - LOWER.get(f.pose, 0.0)) * r
        long_hair = c.gender == "female"
        if long_hair and f.facing != "away":
            d.polygon([(x - s * 0.15 * r - 0.95 * r, y), (x - s * 0.15 * r + 0.95 * r, y),
                       (x - s * 0.15 * r + 1.05 * r, y + 2.3 * r),
                       (x - s * 0.15 * r - 1.05 * r, y + 2.3 * r)], fill=_hair(c) + (255,))
        # legs by pose
        leg = max(2, int(0.6 * r))
        if f.tight:
            pass  # the legs are below the frame
        elif f.pose == "sitting":
            knee = (x + s * 2.6 * r if face else x, hip + (0 if face else 1.2 * r))
            chair = (x - s * 1.4 * r, hip - 2.6 * r, x + s * 0.8 * r, hip + 0.5 * r)
            d.polygon([(chair[0], chair[1]), (chair[0] + s * 0.5 * r, chair[1]),
                       (chair[0] + s * 0.5 * r, chair[3]), (chair[0], chair[3])], fill=(90, 70, 60, 200))
            d.line([(chair[0], chair[3]), (chair[2], chair[3])], fill=(90, 70, 60, 220), width=leg)
            for dx in (-0.45 * r, 0.45 * r):
                d.line([(x + dx, hip), (knee[0] + dx * 0.4, knee[1]),
                        (knee[0] + dx * 0.4, floor - 0 * r)], fill=shade + (255,), width=leg)
        elif f.pose == "kneeling":  # thighs down to the knees on the floor, shins back along it
            for dx in (-0.45 * r, 0.45 * r):
                d.line([(x + dx, hip), (x + dx + s * 0.4 * r, floor - 0.3 * r),
                        (x + dx - s * 2.4 * r, floor - 0.3 * r)], fill=shade + (255,), width=leg)
        else:
            for dx in (-0.5 * r, 0.5 * r):
                d.line([(x + dx, hip), (x + dx * 1.25, floor)], fill=shade + (255,), width=leg)
        # torso and badge
        d.polygon([(x - sw, top), (x + sw, top), (x + hw, hip), (x - hw, hip)],
                  fill=color + (255,), outline=edge, width=line_w)
        self._badge(d, BADGES[c.role], x, top + 1.3 * r, r * 0.42)
        # arms: the back one hangs (behind the back when held), the front one reaches
        arm_w = max(2, int(0.45 * r))
        back = (x - s * (sw - 0.2 * r), top + 0.3 * r)
        front = (x + s * (sw - 0.2 * r), top + 0.3 * r)
        if f.pose == "held":
            d.line([back, (x - s * 0.4 * r, hip - 0.6 * r)], fill=shade + (255,), width=arm_w)
            d.line([front, (x + s * 0.4 * r, hip - 0.6 * r)], fill=shade + (255,), width=arm_w)
        else:
            d.line([back, (back[0] - s * 0.35 * r, hip - 0.2 * r)], fill=shade + (255,),
                   width=arm_w)
            if arm:
                hand = reach or (front[0] + s * 0.35 * r, hip - 0.2 * r)
                d.line([front, hand], fill=shade + (255,), width=max(2, int(0.45 * r)))
                d.circle(hand, 0.3 * r, fill=SKIN + (255,))
        self._head(d, x, y, r, f.facing, edge, line_w, _hair(c))

    def _head(self, d: Pen, x: float, y: float, r: float, facing: str, edge, line_w: int,
              hair: tuple = (48, 38, 36), eyes_closed: bool = False) -> None:
        face = {"right": 1, "left": -1}.get(facing, 0)
        if facing == "away":
            d.circle((x, y), r, fill=hair + (255,), outline=edge, width=line_w)
            return
        d.circle((x - face * 0.12 * r, y - 0.08 * r), r * 1.02, fill=hair + (255,))
        d.circle((x + face * 0.1 * r, y + 0.1 * r), r * 0.86, fill=SKIN + (255,),
                 outline=edge, width=line_w)
        eye = max(1.5, 0.09 * r)
        ey = y + 0.05 * r
        if eyes_closed:
            for ex in ((x - 0.32 * r, x + 0.32 * r) if not face else (x + face * 0.4 * r,)):
                d.line([(ex - 0.15 * r, ey), (ex + 0.15 * r, ey)], fill=(40, 30, 30, 255),
                       width=max(1, int(eye)))
        elif face:
            d.circle((x + face * 0.45 * r, ey), eye, fill=(30, 25, 25, 255))
            d.polygon([(x + face * 0.86 * r, y - 0.05 * r), (x + face * 1.3 * r, y + 0.34 * r),
                       (x + face * 0.86 * r, y + 0.45 * r)], fill=SKIN + (255,), outline=edge)
        else:
            for ex in (x - 0.32 * r, x + 0.32 * r):
                d.circle((ex, ey), eye, fill=(30, 25, 25, 255))
            d.line([(x - 0.2 * r, y + 0.5 * r), (x + 0.2 * r, y + 0.5 * r)],
                   fill=(120, 60, 60, 255), width=max(1, int(eye / 2)))

    def _lying(self, d: Pen, f: Figure, color, shade, edge, line_w: int) -> None:
        """Lying in bed (pillow, blanket, eyes closed) or fallen on the floor (tilted)."""
        x, y, r = f.x, f.y, f.r
        s = _body_side(f, self.width)
        fallen = f.pose == "fallen"
        tilt = -0.18 if fallen else 0.0
        body = lambda u, v: (x + s * u * r, y + v * r + tilt * u * r * s * s)  # noqa: E731
        if not fallen:  # the bed under them
            d.polygon([body(-1.6, 0.9), body(10.6, 0.9), body(10.6, 3.2), body(-1.6, 3.2)],
                      fill=(246, 246, 250, 230), outline=edge, width=line_w)
            d.line([body(-1.6, 0.9), body(-1.6, 4.6)], fill=edge, width=line_w * 2)
            d.polygon([body(-1.4, 0.1), body(1.2, 0.1), body(1.2, 0.95), body(-1.4, 0.95)],
                      fill=(255, 255, 255, 255), outline=edge, width=line_w)
        d.polygon([body(1.2, -0.6), body(5.4, -0.6), body(5.4, 0.9), body(1.2, 0.9)],
                  fill=color + (255,), outline=edge, width=line_w)
        if fallen:
            d.line([body(5.2, 0.2), body(9.2, 0.7)], fill=shade + (255,), width=max(2, int(0.6 * r)))
            d.line([body(1.6, -0.3), body(0.6, -2.2)], fill=shade + (255,), width=max(2, int(0.45 * r)))
        else:  # a blanket over the legs
            d.polygon([body(4.2, -0.5), body(9.6, -0.1), body(9.6, 0.95), body(4.2, 0.95)],
                      fill=(214, 226, 240, 255), outline=edge, width=line_w)
        self._badge(d, BADGES[f.character.role], *body(3.0, 0.15), r * 0.38)
        self._head(d, *body(0, 0), r, "camera" if not fallen else f.facing, edge, line_w,
                   _hair(f.character), eyes_closed=not fallen)

    def _contacts(self, d: Pen, figures: list[Figure], contacts) -> None:
        """Contact marks: the blade at the throat, the slap's impact, the grip, the embrace."""
        at = {f.name: f for f in figures if not f.foreground}
        red = (210, 30, 30, 255)
        for c in contacts:
            a, b = at.get(c.by), at.get(c.to)
            if not (a and b):
                continue
            s = 1 if b.x >= a.x else -1
            throat = (b.x, b.y + 1.1 * b.r)
            cheek = (b.x - s * 0.85 * b.r, b.y + 0.1 * b.r)
            if c.kind == "knife_at_throat":
                _icon(d, "knife", throat[0] + s * 0.2 * b.r, throat[1], max(12, 1.8 * b.r), s)
                for k in (-1, 0, 1):
                    d.line([(throat[0] + k * 0.35 * b.r, throat[1] + 0.35 * b.r),
                            (throat[0] + k * 0.5 * b.r, throat[1] + 0.75 * b.r)], fill=red,
                           width=max(1, int(b.r / 8)))
            elif c.kind == "gun_at":
                muzzle = (a.x + s * 3.2 * a.r, a.y + 1.6 * a.r)
                _icon(d, "gun", *muzzle, max(10, 1.2 * a.r), s)
                _dashes(d, muzzle, (b.x, b.y), red, max(1, int(b.r / 8)))
            elif c.kind == "slap":
                for k in range(5):
                    ang = math.pi * (0.5 + k / 4) * (1 if s < 0 else -1) + (0 if s < 0 else math.pi)
                    d.line([(cheek[0] + math.cos(ang) * 0.3 * b.r, cheek[1] + math.sin(ang) * 0.3 * b.r),
                            (cheek[0] + math.cos(ang) * 0.9 * b.r, cheek[1] + math.sin(ang) * 0.9 * b.r)],
                           fill=red, width=max(2, int(b.r / 6)))
            elif c.kind == "choke":  # a hand at the throat, strain marks
                d.circle(throat, 0.45 * b.r, outline=red, width=max(2, int(b.r / 6)))
                for k in (-1, 1):
                    d.line([(throat[0] + k * 0.6 * b.r, throat[1] - 0.2 * b.r),
                            (throat[0] + k * 1.0 * b.r, throat[1] - 0.5 * b.r)], fill=red,
                           width=max(1, int(b.r / 8)))
            elif c.kind == "support":  # a hand under the other's shoulder, an arrow up
                grip = (b.x - s * 0.5 * b.r, b.y - 0.6 * b.r)
                d.circle(grip, 0.4 * b.r, outline=red, width=max(2, int(b.r / 6)))
                top = (b.x, b.y - 2.2 * b.r)
                d.line([(b.x, b.y - 1.2 * b.r), top], fill=red, width=max(2, int(b.r / 5)))
                d.polygon([(top[0] - 0.4 * b.r, top[1] + 0.5 * b.r), (top[0] + 0.4 * b.r,
                           top[1] + 0.5 * b.r), top], fill=red)
            elif c.kind == "throw_at":  # what was thrown flies at the face, with motion lines
                face = (b.x - s * 0.9 * b.r, b.y)
                for k in (-1, 0, 1):
                    d.line([(face[0] - s * 1.0 * b.r, face[1] + k * 0.4 * b.r),
                            (face[0] - s * 2.4 * b.r, face[1] + k * 0.4 * b.r)], fill=red,
                           width=max(1, int(b.r / 8)))
                for k in range(5):
                    ang = math.pi * (0.5 + k / 4) * (1 if s < 0 else -1) + (0 if s < 0 else math.pi)
                    d.line([(face[0] + math.cos(ang) * 0.3 * b.r, face[1] + math.sin(ang) * 0.3 * b.r),
                            (face[0] + math.cos(ang) * 0.8 * b.r, face[1] + math.sin(ang) * 0.8 * b.r)],
                           fill=red, width=max(2, int(b.r / 6)))
            elif c.kind == "behind":  # a dashed sight line from behind to the unaware one
                _dashes(d, (a.x + s * 0.9 * a.r, a.y), (b.x - s * 0.9 * b.r, b.y), red,
                        max(1, int(b.r / 8)))
            elif c.kind == "grab" and a.pose in ("lying", "fallen"):  # from the bed: the wrist
                grip = (b.x - s * 1.3 * b.r, b.y + 4.6 * b.r) if not b.tight else \
                    (b.x - s * 1.6 * b.r, b.y + 2.4 * b.r)
                color = tuple(int(a.character.color[i : i + 2], 16) for i in (1, 3, 5))
                d.line([(a.x + s * 0.8 * a.r, a.y + 0.9 * a.r), grip],
                       fill=tuple(int(v * 0.62) for v in color) + (255,), width=max(2, int(0.4 * a.r)))
                d.circle(grip, 0.3 * a.r, fill=SKIN + (255,))
                d.circle(grip, 0.55 * b.r, outline=red, width=max(2, int(b.r / 6)))
            elif c.kind in ("grab", "push"):
                grip = (b.x - s * 1.2 * b.r, b.y + 2.0 * b.r)
                d.circle(grip, 0.4 * b.r, outline=red, width=max(2, int(b.r / 6)))
                if c.kind == "push":
                    for k in (-1, 0, 1):
                        y0 = b.y + (2.5 + k) * b.r
                        d.line([(b.x + s * 1.8 * b.r, y0), (b.x + s * 3.0 * b.r, y0)], fill=red,
                               width=max(1, int(b.r / 8)))
            elif c.kind in ("embrace", "kiss"):
                mid = ((a.x + b.x) / 2, (a.y + b.y) / 2 + (2.4 if c.kind == "embrace" else 0.2) * a.r)
                for k in (-1, 1):
                    d.circle((mid[0] + k * 0.25 * a.r, mid[1] - 0.1 * a.r), 0.3 * a.r, fill=red)
                d.polygon([(mid[0] - 0.55 * a.r, mid[1]), (mid[0] + 0.55 * a.r, mid[1]),
                           (mid[0], mid[1] + 0.6 * a.r)], fill=red)

    def _props_in_frame(self, d: Pen, text: ImageDraw.ImageDraw, spec: FrameSpec, big: bool,
                        figures: list[Figure] | None = None, reach=None) -> None:
        """Props as drawn, labelled icons: in the holder's hand, else on the frame's lower
        third; an insert shows its prop large at the centre."""
        w, h = self.width, self.height
        props = spec.shot.blocking.props if spec.shot.blocking else []
        figs = {f.name: f for f in figures or [] if not f.foreground}
        drawn = 0
        if big and not props and spec.shot.size is not ShotSize.insert:
            return  # an empty set: the set alone
        if big and not props:  # an object the script does not name: a prop block
            d.rounded_rectangle([w * 0.3, h * 0.3, w * 0.7, h * 0.5], radius=12,
                                outline=(0, 0, 0, 140), width=4, fill=(255, 255, 255, 90))
            return
        for p in props:
            if p.kind in ("knife", "gun") and spec.shot.blocking and any(
                    c.kind in ("knife_at_throat", "gun_at") for c in spec.shot.blocking.contacts):
                continue  # drawn at the throat / in the aim
            holder = figs.get(p.held_by or "")
            if big:
                cx, cy, size = w * (0.5 + 0.22 * (drawn - (len(props) - 1) / 2)), h * 0.42, w * 0.3
                size /= max(1, len(props)) ** 0.5
                if p.held_by:  # an insert of a held thing: the holder's hand comes into frame
                    self._hand_in(d, text, p.held_by, (cx, cy), size)
            elif holder is not None and reach and p.held_by in reach:
                (cx, cy) = reach[p.held_by]
                size = min(w * 0.3, max(16, holder.r * (2.4 if p.kind == "wheel" else 1.3)))
            else:  # nobody holds it: it rests on a table or the floor, never in the air
                cx, cy, size = w * (0.5 + 0.25 * (drawn - (len(props) - 1) / 2)), h * 0.62, w * 0.11
                top = cy + size * 0.5
                d.polygon([(cx - size, top), (cx + size, top), (cx + size, top + size * 0.18),
                           (cx - size, top + size * 0.18)], fill=(120, 85, 60, 235),
                          outline=(40, 30, 20, 255))
                for lx in (cx - size * 0.85, cx + size * 0.85):
                    d.line([(lx, top + size * 0.18), (lx, top + size * 1.1)], fill=(90, 65, 45, 255),
                           width=max(2, int(size / 10)))
            _icon(d, p.kind, cx, cy, size, 1)
            font = pil_font(max(12, int(w / (24 if big else 36))))
            tw = text.textlength(p.label, font=font)
            lx = min(max(4, cx - tw / 2), w - tw - 8)
            ly = min(cy + size * 0.6 + 2, h * SAFE_TOP - font.size - 12)
            text.rounded_rectangle([lx - 4, ly, lx + tw + 4, ly + font.size + 6], radius=4,
                                   fill=(255, 250, 220), outline=(60, 60, 60))
            text.text((lx, ly + 2), p.label, font=font, fill=(20, 20, 20))
            drawn += 1

    def _hand_in(self, d: Pen, text: ImageDraw.ImageDraw, name: str, at: tuple[float, float],
                 size: float) -> None:
        """A sleeve and hand reaching up from the frame's lower edge to hold what ``at`` shows,
        tagged with whose hand it is."""
        h = self.height
        x, y = at
        wrist = (x + size * 0.1, y + size * 0.45)
        base = (x + size * 0.55, h * SAFE_TOP + 20)
        sleeve = size * 0.34
        d.polygon([(base[0] - sleeve, base[1]), (base[0] + sleeve, base[1]),
                   (wrist[0] + sleeve * 0.7, wrist[1]), (wrist[0] - sleeve * 0.7, wrist[1])],
                  fill=(110, 110, 120, 255), outline=(30, 30, 30, 255), width=3)
        d.circle((wrist[0], wrist[1] - size * 0.08), sleeve * 0.9, fill=SKIN + (255,),
                 outline=(30, 30, 30, 255), width=2)
        font = pil_font(max(12, self.width // 32))
        tw = text.textlength(name, font=font)
        lx = min(max(6, base[0] - tw / 2 - 6), self.width - tw - 18)
        ly = h * SAFE_TOP - font.size - 34
        text.rounded_rectangle([lx, ly, lx + tw + 12, ly + font.size + 8], radius=5,
                               fill=(20, 20, 24), outline=(200, 200, 200), width=2)
        text.text((lx + 6, ly + 3), name, font=font, fill=(255, 255, 255))

    @staticmethod
    def card_for(width: int, height: int):
        """Draws cards at any size (another renderer's), for frames that are only words."""
        if width * 16 == height * 9:
            return SketchRenderer(width, height)._card
        sketch = SketchRenderer(540, 960)
        return lambda spec: sketch._card(spec).resize((width, height))

    def _card(self, spec: FrameSpec) -> Image.Image:
        """A transition or caption card: its words on black, no figures, no camera."""
        w, h = self.width, self.height
        img = Image.new("RGB", (w, h), (14, 14, 18))
        d = ImageDraw.Draw(img)
        d.rectangle([0, 0, w, w // 8], fill=(0, 0, 0))
        d.text((12, 8), f"{spec.shot.id}   {_tc(spec.start_s)}  +{spec.shot.duration_s:.1f}s",
               font=pil_font(max(14, w // 22)), fill=(255, 255, 255))
        d.text((12, 12 + w // 20), "card", font=pil_font(max(12, w // 30)), fill=(210, 210, 210))
        font, lines, _ = fit_lines(spec.shot.card, d, w - 80, 3, max(20, w // 12), 14)
        line_h = font.size + 12
        top = h * 0.42 - len(lines) * line_h / 2
        d.line([(w * 0.25, top - 24), (w * 0.75, top - 24)], fill=(200, 200, 200), width=2)
        for i, text in enumerate(lines):
            tw = d.textlength(text, font=font)
            d.text(((w - tw) / 2, top + i * line_h), text, font=font, fill=(240, 240, 240))
        d.line([(w * 0.25, top + len(lines) * line_h + 12),
                (w * 0.75, top + len(lines) * line_h + 12)], fill=(200, 200, 200), width=2)
        return img

    def _name_tags(self, d: ImageDraw.ImageDraw, placed, above: set[str] = frozenset()) -> None:
        """Each figure's name on a dark tag edged in its colour just under its head (above
        it for people in a close contact, whose throats and hands must show), kept inside the
        frame, so a reader knows who is who without a legend."""
        w, h = self.width, self.height
        taken: list[tuple[float, float, float, float]] = []
        for c, x, y, size in placed:
            font = pil_font(max(12, w // 28) if size > w * 0.05 else max(11, w // 40))
            color = tuple(int(c.color[i : i + 2], 16) for i in (1, 3, 5))
            tw = d.textlength(c.name, font=font)
            left = min(max(6.0, x - tw / 2 - 8), w - tw - 22)
            top = min(max(w / 8 + 6, y + size / 2 + 6), h * 0.62)
            if c.name in self._low:  # someone lying: the tag below the bed, clear of any hand
                top = min(max(w / 8 + 6, y + size * 1.7), h * 0.7)
            if c.name in above:
                top = max(w / 8 + 6, y - size / 2 - font.size - 16)
            tag_h = font.size + 10
            while any(left < r[2] and r[0] < left + tw + 16 and top < r[3] and r[1] < top + tag_h
                      for r in taken) and top < h * 0.75:  # never over another tag
                top += tag_h + 4
            taken.append((left, top, left + tw + 16, top + tag_h))
            d.rounded_rectangle([left, top, left + tw + 16, top + font.size + 10], radius=6,
                                fill=(20, 20, 24), outline=color, width=3)
            d.text((left + 8, top + 4), c.name, font=font, fill=(255, 255, 255))
        self.tags = taken  # where this frame's name tags went (tests read it)

    @staticmethod
    def _badge(d: Pen, shape: str, x: float, y: float, s: float) -> None:
        white = (255, 255, 255, 235)
        if shape == "circle":
            d.circle((x, y), s, fill=white)
        elif shape == "square":
            d.polygon([(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)], fill=white)
        elif shape == "triangle":
            d.polygon([(x, y - s), (x + s, y + s), (x - s, y + s)], fill=white)
        elif shape == "diamond":
            d.polygon([(x, y - s), (x + s, y), (x, y + s), (x - s, y)], fill=white)
        else:
            a, b = s * 1.3, s * 0.4
            d.polygon([(x - a, y - b), (x + a, y - b), (x + a, y + b), (x - a, y + b)], fill=white)

    # -- annotations -------------------------------------------------------------------------

    def _header(self, d: ImageDraw.ImageDraw, spec: FrameSpec, ink) -> None:
        w = self.width
        shot = spec.shot
        small = pil_font(max(12, w // 30))
        d.rectangle([0, 0, w, w // 8], fill=(0, 0, 0))
        d.text((12, 8), f"{shot.id}   {_tc(spec.start_s)}  +{shot.duration_s:.1f}s",
                font=pil_font(max(14, w // 22)), fill=(255, 255, 255))
        move = MOVE_WORDS[shot.movement] or "static"
        d.text((12, 12 + w // 20),
               f"{SIZE_WORDS[shot.size]} · {ANGLE_WORDS[shot.angle]} · {move} · {shot.lens_mm}mm",
               font=small, fill=(210, 210, 210))
        if shot.beat and shot.beat != "beat":
            label = shot.beat.upper()
            tw = d.textlength(label, font=small)
            d.rectangle([w - tw - 24, 8, w - 8, 10 + w // 24], fill=(200, 40, 40))
            d.text((w - tw - 16, 9), label, font=small, fill=(255, 255, 255))
        self._move_arrow(d, shot.movement, ink)

    def _move_arrow(self, d: ImageDraw.ImageDraw, move: Movement, ink) -> None:
        w, h = self.width, self.height
        cx, cy, a = w / 2, h * 0.45, w * 0.12
        lines = {
            Movement.pan: [((cx - a, cy), (cx + a, cy))],
            Movement.dolly: [((cx - a, cy + a), (cx + a, cy + a))],
            Movement.tilt: [((cx, cy - a), (cx, cy + a))],
            Movement.push_in: [((w * 0.08, h * 0.18), (w * 0.18, h * 0.24)),
                               ((w * 0.92, h * 0.18), (w * 0.82, h * 0.24))],
            Movement.pull_out: [((w * 0.18, h * 0.24), (w * 0.08, h * 0.18)),
                                ((w * 0.82, h * 0.24), (w * 0.92, h * 0.18))],
        }.get(move, [])
        for start, end in lines:
            d.line([start, end], fill=ink, width=4)
            ang = math.atan2(end[1] - start[1], end[0] - start[0])
            for side in (2.6, -2.6):
                d.line([end, (end[0] + 14 * math.cos(ang + side), end[1] + 14 * math.sin(ang + side))],
                       fill=ink, width=4)
        if move is Movement.handheld:
            pts = [(w * 0.08 + i * 10, h * 0.2 + (6 if i % 2 else -6)) for i in range(8)]
            d.line(pts, fill=ink, width=3)

    def _caption(self, d: ImageDraw.ImageDraw, spec: FrameSpec) -> None:
        """The dialogue above the lower fifth: wrapped, shrunk to fit four lines, and ended
        with "…" only if it still must be cut."""
        if not spec.caption:
            return
        w, h = self.width, self.height
        font, lines, _ = fit_lines(spec.caption, d, w - 48, 4, max(16, w // 24), max(11, w // 40))
        line_h = font.size + 8
        top = h * SAFE_TOP - len(lines) * line_h - 16
        d.rectangle([12, top, w - 12, h * SAFE_TOP - 6], fill=(0, 0, 0, 190))
        for i, text in enumerate(lines):
            d.text((24, top + 8 + i * line_h), text, font=font, fill=(255, 236, 160))

    def _safe_area(self, d: ImageDraw.ImageDraw, spec: FrameSpec, ink) -> None:
        w, h = self.width, self.height
        y = h * SAFE_TOP
        for x in range(0, w, 20):
            d.line([(x, y), (x + 10, y)], fill=ink, width=1)
        font, lines, _ = fit_lines(spec.shot.action, d, w - 24, 3, max(12, w // 34),
                                   max(10, w // 48))
        for i, text in enumerate(lines):
            d.text((12, y + 10 + i * (font.size + 6)), text, font=font, fill=ink)


def wrap(text: str, font, width: float, d: ImageDraw.ImageDraw) -> list[str]:
    """Greedy wrap that breaks between words in English and between characters in Chinese.
    Each word is measured once (and remembered): a line is as wide as its words."""
    out: list[str] = []
    line, line_w = "", 0.0
    cjk = re.search(r"[\u3040-\u9fff\uac00-\ud7af]", text) is not None
    tokens = list(text.replace("\n", "")) if cjk else text.replace("\n", " ").split(" ")
    sep = "" if cjk else " "
    sep_w = _text_width(sep, font, d)
    for tok in tokens:
        tok_w = _text_width(tok, font, d)
        trial_w = line_w + sep_w + tok_w if line else tok_w
        if trial_w <= width or (cjk and line and tok in _NO_LINE_START):
            line, line_w = (f"{line}{sep}{tok}" if line else tok), trial_w
        else:
            if line:
                out.append(line)
            line, line_w = tok, tok_w
    if line:
        out.append(line)
    return out


# closing punctuation never starts a line: it stays at the end of the line before
_NO_LINE_START = set("，。！？、；：）」』】》…,.!?;:)")
_WIDTHS: dict[tuple, float] = {}


def _text_width(text: str, font, d: ImageDraw.ImageDraw) -> float:
    key = (getattr(font, "path", id(font)), getattr(font, "size", 0), text)
    if key not in _WIDTHS:
        if len(_WIDTHS) > 100_000:  # a long run meets many words; keep the memory bounded
            _WIDTHS.clear()
        _WIDTHS[key] = d.textlength(text, font=font) if text else 0.0
    return _WIDTHS[key]


def _box(x: float, y: float, r: float, pose: str, facing: str, fg: bool, w: float,
         h: float) -> tuple[float, float, float, float]:
    """The box a figure fills, as :meth:`SketchRenderer._figure` draws it."""
    if fg:
        return (x - 2.3 * r, y - r, x + 2.3 * r, h)
    if pose in ("lying", "fallen"):
        s = _body_side_of(x, facing, w)
        u0, u1 = (-1.6, 10.6) if pose == "lying" else (-1.0, 9.4)
        v0, v1 = (-1.0, 3.2) if pose == "lying" else (-2.8, 1.2)
        xs = sorted((x + s * u0 * r, x + s * u1 * r))
        return (xs[0], y + v0 * r, xs[1], y + v1 * r)
    s = {"right": 1, "left": -1}.get(facing, 0)
    if pose == "sitting":
        x0, x1 = x - 1.5 * r, x + 1.5 * r
        if s:
            x0, x1 = min(x0, x + s * 3.0 * r), max(x1, x + s * 3.0 * r)
        return (x0, y - r, x1, y + 7.3 * r)
    if pose == "kneeling":
        return (x - 2.9 * r, y - r, x + 2.9 * r, y + 7.3 * r)
    return (x - 1.4 * r, y - r, x + 1.4 * r, y + 9.5 * r)


def _hair(c: Character) -> tuple[int, int, int]:
    """Grey for the old (an elder, "silver hair", "70 years old"), dark for everyone else."""
    look = c.visual_prompt.lower()
    if c.role == "elder" or re.search(r"silver|grey hair|gray hair|white hair|elderly", look):
        return (200, 200, 204)
    return HAIR


def _body_side_of(x: float, facing: str, w: float) -> int:
    """Which way a lying body runs from the head: away from whom they face, else toward the
    frame's middle."""
    return {"left": 1, "right": -1}.get(facing, 1 if x <= w / 2 else -1)


def _body_side(f: Figure, w: float) -> int:
    return _body_side_of(f.x, f.facing, w)


_CALL = re.compile(r"\bcall\b|\bcalls\b|calling|on the phone|phone call|打电话|接电话|通话|电话里|听筒", re.I)


def _reaches(figures: list[Figure], contacts, props, action: str = "",
             ) -> dict[str, tuple[float, float]]:
    """Where each figure's front hand goes: to whoever they touch, else up with what they hold
    (a phone in a call to the ear, the wheel in front of the driver's chest even when they turn
    to talk, anything else at the chest)."""
    at = {f.name: f for f in figures if not f.foreground and f.pose not in ("lying", "fallen")}
    out: dict[str, tuple[float, float]] = {}
    for c in contacts:
        a, b = at.get(c.by), {f.name: f for f in figures}.get(c.to)
        if not (a and b) or b.foreground:
            continue
        s = 1 if b.x >= a.x else -1
        out[c.by] = {
            "slap": (b.x - s * 0.85 * b.r, b.y + 0.1 * b.r),
            "knife_at_throat": (b.x, b.y + 1.1 * b.r),
            "grab": (b.x - s * 1.2 * b.r, b.y + 2.0 * b.r),
            "push": (b.x - s * 1.2 * b.r, b.y + 2.0 * b.r),
            "embrace": (b.x + s * 0.9 * b.r, b.y + 2.4 * b.r),
            "gun_at": (a.x + s * 3.2 * a.r, a.y + 1.6 * a.r),
            "choke": (b.x, b.y + 1.1 * b.r),
            "support": (b.x - s * 0.5 * b.r, b.y - 0.6 * b.r),
            "throw_at": (b.x - s * 1.6 * b.r, b.y),
        }.get(c.kind, out.get(c.by))
        out = {k: v for k, v in out.items() if v is not None}
    for p in props:
        a = at.get(p.held_by or "")
        if a and a.name not in out:
            s = {"right": 1, "left": -1}.get(a.facing, 1)
            lurks = next((c.to for c in contacts if c.kind == "behind" and c.by == a.name), None)
            if lurks in at:  # right behind someone: held up on the far side, dangled, not on them
                away = -1 if at[lurks].x >= a.x else 1
                out[a.name] = (a.x + away * 1.9 * a.r, a.y + 0.4 * a.r)
            elif p.kind == "phone" and _CALL.search(action):
                out[a.name] = (a.x + s * 0.95 * a.r, a.y + 0.1 * a.r)
            elif p.kind == "wheel":  # the car's, in front of the driver's chest, wherever they look
                out[a.name] = (a.x, a.y + 3.0 * a.r)
            else:
                out[a.name] = (a.x + s * 2.3 * a.r, a.y + 2.6 * a.r)
    return out


def _dashes(d: Pen, a: tuple[float, float], b: tuple[float, float], fill, width: int) -> None:
    n = 8
    for k in range(0, n, 2):
        p = (a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n)
        q = (a[0] + (b[0] - a[0]) * (k + 1) / n, a[1] + (b[1] - a[1]) * (k + 1) / n)
        d.line([p, q], fill=fill, width=width)


def _icon(d: Pen, kind: str, x: float, y: float, s: float, direction: int = 1) -> None:
    """A prop as a simple drawing ``s`` pixels across, centred on ``(x, y)``."""
    k = direction
    edge = (30, 30, 30, 255)
    lw = max(1, int(s / 14))
    if kind == "document":
        d.polygon([(x - 0.38 * s, y - 0.5 * s), (x + 0.22 * s, y - 0.5 * s),
                   (x + 0.38 * s, y - 0.34 * s), (x + 0.38 * s, y + 0.5 * s),
                   (x - 0.38 * s, y + 0.5 * s)], fill=(255, 255, 255, 255), outline=edge, width=lw)
        for i in range(4):
            yy = y - 0.25 * s + i * 0.17 * s
            d.line([(x - 0.26 * s, yy), (x + 0.26 * s, yy)], fill=(120, 120, 120, 255), width=lw)
    elif kind == "knife":
        d.polygon([(x - k * 0.5 * s, y - 0.08 * s), (x - k * 0.1 * s, y - 0.08 * s),
                   (x - k * 0.1 * s, y + 0.08 * s), (x - k * 0.5 * s, y + 0.08 * s)],
                  fill=(60, 40, 30, 255))
        d.polygon([(x - k * 0.1 * s, y - 0.11 * s), (x + k * 0.5 * s, y),
                   (x - k * 0.1 * s, y + 0.11 * s)], fill=(225, 230, 235, 255), outline=edge, width=lw)
    elif kind == "gun":
        d.polygon([(x - k * 0.4 * s, y - 0.15 * s), (x + k * 0.4 * s, y - 0.15 * s),
                   (x + k * 0.4 * s, y + 0.02 * s), (x - k * 0.15 * s, y + 0.02 * s),
                   (x - k * 0.2 * s, y + 0.4 * s), (x - k * 0.4 * s, y + 0.4 * s)],
                  fill=(35, 35, 40, 255), outline=edge, width=lw)
    elif kind == "phone":
        d.rounded_rectangle([x - 0.22 * s, y - 0.4 * s, x + 0.22 * s, y + 0.4 * s], 0.06 * s,
                            fill=(30, 30, 35, 255), outline=edge, width=lw)
        d.rounded_rectangle([x - 0.17 * s, y - 0.32 * s, x + 0.17 * s, y + 0.3 * s], 0.03 * s,
                            fill=(150, 200, 240, 255))
    elif kind == "ring":
        d.circle((x, y + 0.1 * s), 0.3 * s, outline=(210, 170, 40, 255), width=max(2, int(s / 8)))
        d.polygon([(x, y - 0.45 * s), (x + 0.14 * s, y - 0.28 * s), (x, y - 0.14 * s),
                   (x - 0.14 * s, y - 0.28 * s)], fill=(200, 235, 255, 255), outline=edge)
    elif kind == "glass":
        d.polygon([(x - 0.25 * s, y - 0.45 * s), (x + 0.25 * s, y - 0.45 * s), (x, y)],
                  fill=(150, 20, 40, 220), outline=edge, width=lw)
        d.line([(x, y), (x, y + 0.38 * s)], fill=edge, width=lw)
        d.line([(x - 0.18 * s, y + 0.4 * s), (x + 0.18 * s, y + 0.4 * s)], fill=edge, width=lw)
    elif kind == "cash":
        d.polygon([(x - 0.45 * s, y - 0.22 * s), (x + 0.45 * s, y - 0.22 * s),
                   (x + 0.45 * s, y + 0.22 * s), (x - 0.45 * s, y + 0.22 * s)],
                  fill=(120, 190, 120, 255), outline=edge, width=lw)
        d.circle((x, y), 0.12 * s, outline=edge, width=lw)
    elif kind == "photo":
        d.polygon([(x - 0.4 * s, y - 0.32 * s), (x + 0.4 * s, y - 0.32 * s),
                   (x + 0.4 * s, y + 0.32 * s), (x - 0.4 * s, y + 0.32 * s)],
                  fill=(255, 255, 255, 255), outline=edge, width=lw)
        d.polygon([(x - 0.3 * s, y + 0.22 * s), (x - 0.05 * s, y - 0.12 * s),
                   (x + 0.12 * s, y + 0.08 * s), (x + 0.3 * s, y + 0.22 * s)],
                  fill=(110, 140, 170, 255))
    elif kind == "bag":
        d.line([(x - 0.2 * s, y - 0.2 * s), (x - 0.12 * s, y - 0.45 * s),
                (x + 0.12 * s, y - 0.45 * s), (x + 0.2 * s, y - 0.2 * s)], fill=edge, width=lw * 2)
        d.polygon([(x - 0.4 * s, y - 0.2 * s), (x + 0.4 * s, y - 0.2 * s),
                   (x + 0.4 * s, y + 0.4 * s), (x - 0.4 * s, y + 0.4 * s)],
                  fill=(150, 100, 60, 255), outline=edge, width=lw)
    elif kind == "jewel":
        for i in range(8):
            a = 2 * math.pi * i / 8
            d.circle((x + 0.3 * s * math.cos(a), y + 0.3 * s * math.sin(a)), 0.09 * s,
                     fill=(90, 180, 140, 255), outline=edge)
    elif kind == "key":
        d.circle((x - 0.25 * s, y), 0.15 * s, outline=(200, 170, 60, 255), width=max(2, int(s / 10)))
        d.line([(x - 0.1 * s, y), (x + 0.4 * s, y)], fill=(200, 170, 60, 255), width=max(2, int(s / 10)))
        d.line([(x + 0.3 * s, y), (x + 0.3 * s, y + 0.14 * s)], fill=(200, 170, 60, 255),
               width=max(2, int(s / 10)))
    elif kind == "wheel":
        d.circle((x, y), 0.45 * s, outline=(30, 30, 30, 255), width=max(3, int(s / 9)))
        for a in (math.pi / 2, math.pi * 7 / 6, math.pi * 11 / 6):
            d.line([(x, y), (x + 0.42 * s * math.cos(a), y + 0.42 * s * math.sin(a))],
                   fill=(30, 30, 30, 255), width=max(2, int(s / 12)))
    else:
        d.rounded_rectangle([x - 0.35 * s, y - 0.3 * s, x + 0.35 * s, y + 0.3 * s], 0.08 * s,
                            fill=(255, 255, 255, 200), outline=edge, width=lw)


def fit_lines(text: str, d: ImageDraw.ImageDraw, width: float, max_lines: int, size: int,
              min_size: int) -> tuple:
    """Wrap ``text`` into at most ``max_lines`` lines of ``width``, shrinking the font from
    ``size`` down to ``min_size``; if it still does not fit, the last line ends in "…".
    Returns (font, lines, cut)."""
    sz = size
    while True:
        font = pil_font(sz)
        lines = wrap(text, font, width, d)
        if len(lines) <= max_lines:
            return font, lines, False
        if sz <= min_size:
            break
        sz = max(min_size, sz - 2)
    kept = lines[:max_lines]
    last = kept[-1]
    while last and _text_width(last + "…", font, d) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return font, kept, True
