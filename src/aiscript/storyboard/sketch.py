"""The embedded default renderer: blocking thumbnails drawn with Pillow, no model needed.

Each frame shows the framing of the shot size, characters as figures that keep their colour
and badge shape in every frame, a tint for day/night and interior/exterior, the dialogue as a
caption above the lower fifth (left free for subtitles and app buttons), and a header with the
shot id, timecode, size, angle and camera move. Same input, same pixels.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from PIL import Image, ImageDraw

from aiscript.fonts import pil_font
from aiscript.schema import Angle, Character, Movement, ShotSize, _tc
from aiscript.storyboard.frames import FrameSpec
from aiscript.storyboard.prompts import ANGLE_WORDS, MOVE_WORDS, SIZE_WORDS

# Background per (setting, time): interiors warmer, exteriors cooler, nights dark.
TINTS = {
    ("INT", "DAY"): (236, 226, 208), ("EXT", "DAY"): (214, 230, 242),
    ("INT", "NIGHT"): (52, 50, 70), ("EXT", "NIGHT"): (28, 34, 56),
    ("INT", "DUSK"): (222, 180, 140), ("EXT", "DUSK"): (232, 168, 120),
    ("INT", "DAWN"): (226, 208, 214), ("EXT", "DAWN"): (238, 206, 200),
}
# How big a figure's head is, as a fraction of frame width, and where the head centre sits.
FRAMING = {
    ShotSize.extreme_close_up: (0.95, 0.40), ShotSize.close_up: (0.55, 0.30),
    ShotSize.medium_close_up: (0.38, 0.24), ShotSize.medium: (0.26, 0.22),
    ShotSize.medium_wide: (0.17, 0.22), ShotSize.wide: (0.09, 0.40),
    ShotSize.extreme_wide: (0.045, 0.50), ShotSize.over_the_shoulder: (0.30, 0.26),
    ShotSize.two_shot: (0.24, 0.26), ShotSize.insert: (0.0, 0.0),
}
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


class SketchRenderer:
    """Pillow blocking sketches at 540x960 (9:16) by default."""

    name = "sketch"

    def __init__(self, width: int = 540, height: int = 960) -> None:
        if width * 16 != height * 9:
            raise ValueError(f"{width}x{height} is not 9:16; try 540x960 or 720x1280")
        self.width, self.height = width, height

    def render(self, specs: Sequence[FrameSpec]) -> list[Image.Image]:
        return [self.draw(spec) for spec in specs]

    def draw(self, spec: FrameSpec) -> Image.Image:
        w, h = self.width, self.height
        heading = spec.scene.heading
        bg = TINTS[("EXT" if heading.setting == "EXT" else "INT", heading.time)]
        img = Image.new("RGB", (w, h), bg)
        placed = self._figures(img, spec)
        d = ImageDraw.Draw(img)
        self._name_tags(d, placed)
        ink = (250, 250, 250) if sum(bg) < 300 else (30, 30, 36)
        self._header(d, spec, ink)
        self._caption(d, spec)
        self._safe_area(d, spec, ink)
        return img

    # -- picture ---------------------------------------------------------------------------

    def _figures(self, img: Image.Image, spec: FrameSpec) -> list[tuple]:
        """Horizon, figures or a prop block, blended straight onto the frame; a dutch angle
        tilts their coordinates (no full-frame layer to rotate and composite). Returns where
        each figure's head is (character, x, y, size)."""
        w, h = self.width, self.height
        shot = spec.shot
        pen = Pen(ImageDraw.Draw(img, "RGBA"), w / 2, h / 2, DUTCH_DEG if shot.angle is Angle.dutch else 0)
        horizon = {Angle.high: 0.30, Angle.birds_eye: 0.12, Angle.low: 0.62}.get(shot.angle, 0.48)
        # drawn past both edges, so a tilted horizon still runs edge to edge
        pen.line([(-w / 2, h * horizon), (w * 1.5, h * horizon)], fill=(0, 0, 0, 60), width=2)
        head, cy = FRAMING[shot.size]
        if shot.size is ShotSize.insert or not spec.cast:
            # an object or an empty set: a prop block at the centre of interest
            pen.rounded_rectangle([w * 0.3, h * 0.3, w * 0.7, h * 0.5], radius=12,
                                  outline=(0, 0, 0, 140), width=4, fill=(255, 255, 255, 90))
            return []
        cast = list(spec.cast)
        if shot.size is ShotSize.over_the_shoulder and len(cast) > 1:
            # the listener's shoulder sits in the foreground, the speaker faces us
            speakers = {ln.speaker for ln in shot.lines}
            listener = next((c for c in cast if c.name not in speakers), cast[0])
            cast = [c for c in cast if c is not listener] + [listener]
        n = len(cast)
        placed = []
        for i, c in enumerate(cast):
            x = w * (i + 1) / (n + 1)
            scale = head
            if shot.size is ShotSize.over_the_shoulder and i == n - 1 and n > 1:
                x, scale = w * 0.85, head * 1.6  # foreground shoulder, bigger
            size = w * scale / max(1, n ** 0.5)
            self._figure(pen, c, x, h * cy, size)
            placed.append((c, x, h * cy, size))
        return placed

    def _name_tags(self, d: ImageDraw.ImageDraw, placed) -> None:
        """Each figure's name on a dark tag edged in its colour just under its head, kept
        inside the frame, so a reader knows who is who without a legend."""
        w, h = self.width, self.height
        font = pil_font(max(14, w // 28))
        for c, x, y, size in placed:
            color = tuple(int(c.color[i : i + 2], 16) for i in (1, 3, 5))
            tw = d.textlength(c.name, font=font)
            left = min(max(6.0, x - tw / 2 - 8), w - tw - 22)
            top = min(max(w / 8 + 6, y + size / 2 + 6), h * 0.62)
            d.rounded_rectangle([left, top, left + tw + 16, top + font.size + 10], radius=6,
                                fill=(20, 20, 24), outline=color, width=3)
            d.text((left + 8, top + 4), c.name, font=font, fill=(255, 255, 255))

    def _figure(self, d: Pen, c: Character, x: float, y: float, size: float):
        """A head, shoulders and body in the character's colour, with its badge on the chest."""
        color = tuple(int(c.color[i : i + 2], 16) for i in (1, 3, 5))
        r = size / 2
        body_top = y + r * 1.05
        d.polygon(
            [(x - r * 1.5, body_top + r * 5), (x - r * 1.1, body_top), (x + r * 1.1, body_top),
             (x + r * 1.5, body_top + r * 5)],
            fill=color + (230,),
        )
        d.circle((x, y), r, fill=color + (255,), outline=(0, 0, 0, 160),
                 width=max(1, int(r / 12)))
        self._badge(d, BADGES[c.role], x, body_top + r * 1.2, r * 0.45)

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
        if not spec.caption:
            return
        w, h = self.width, self.height
        font = pil_font(max(16, w // 24))
        lines = wrap(spec.caption, font, w - 48, d)[:4]
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
        font = pil_font(max(12, w // 34))
        for i, text in enumerate(wrap(spec.shot.action, font, w - 24, d)[:3]):
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
        if trial_w <= width:
            line, line_w = (f"{line}{sep}{tok}" if line else tok), trial_w
        else:
            if line:
                out.append(line)
            line, line_w = tok, tok_w
    if line:
        out.append(line)
    return out


_WIDTHS: dict[tuple, float] = {}


def _text_width(text: str, font, d: ImageDraw.ImageDraw) -> float:
    key = (getattr(font, "path", id(font)), getattr(font, "size", 0), text)
    if key not in _WIDTHS:
        if len(_WIDTHS) > 100_000:  # a long run meets many words; keep the memory bounded
            _WIDTHS.clear()
        _WIDTHS[key] = d.textlength(text, font=font) if text else 0.0
    return _WIDTHS[key]
