"""The CJK TrueType font used for captions, contact sheets and PDFs.

Looked up in order: the ``AISCRIPT_FONT`` environment variable, the WenQuanYi Micro Hei font
that aiscript installs with itself, then common system locations.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import NamedTuple

from aiscript.errors import AiscriptError

_SYSTEM = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


@cache
def cjk_font_path() -> Path:
    env = os.environ.get("AISCRIPT_FONT")
    if env:
        if not Path(env).is_file():
            raise AiscriptError(f"AISCRIPT_FONT={env} is not a file", "point it at a .ttf/.ttc")
        return Path(env)
    try:
        import paperang_p2_fonts_cjk

        bundled = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
        if bundled.is_file():
            return bundled
    except ImportError:
        pass
    for candidate in _SYSTEM:
        if Path(candidate).is_file():
            return Path(candidate)
    raise AiscriptError(
        "no CJK TrueType font found for captions",
        'reinstall aiscript (it brings one), or set AISCRIPT_FONT to a .ttf/.ttc file',
    )


@cache  # parsing the CJK TrueType file costs more than drawing a frame
def pil_font(size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(cjk_font_path()), size=size, index=0)


def font_face_css(text: str, family: str = "AiscriptCJK", source: SeasonFont | None = None) -> str:
    """An ``@font-face`` rule carrying the CJK font cut down to the characters of ``text``
    (a few KB of WOFF, base64 inline), so a page shows its Chinese on machines without CJK
    fonts, in any browser, opened from anywhere; empty when fontTools is missing (the page then
    falls back to system fonts). ``source``: a season's cut (:func:`season_font`) to cut from,
    when it holds every character: the same bytes, several times sooner.

    >>> css = font_face_css("林晚：我不干了。")
    >>> css.startswith("@font-face{font-family:'AiscriptCJK';src:url(data:font/woff;base64,")
    True
    """
    import base64

    chars = sheet_chars(text)
    inside = source is not None and chars <= source.chars
    data = _cut(chars, source.data if inside else None, "woff")
    if data is None:
        return ""
    return (f"@font-face{{font-family:'{family}';src:url(data:font/woff;base64,"
            f"{base64.b64encode(data).decode('ascii')}) format('woff')}}")


class SeasonFont(NamedTuple):
    """The CJK font cut to every character a run's pages show: each page's own cut is then
    made from its ~1,500 glyphs instead of the source's ~30,000 (0.04 s instead of 0.26 s)."""

    chars: frozenset[str]
    data: bytes  # TrueType


def season_font(text: str) -> SeasonFont | None:
    """The font cut to the characters of ``text`` (all of a season's titles and captions);
    None without fontTools."""
    chars = sheet_chars(text)
    data = _cut(chars, None, None)
    return None if data is None else SeasonFont(chars, data)


def sheet_chars(text: str) -> frozenset[str]:
    """The characters a font cut for ``text`` holds: its own, plus what timecodes and
    durations (``00:12.5 (2.5s)``) need."""
    return frozenset(text + " 0123456789:().s")


def _cut(chars: frozenset[str], source: bytes | None, flavor: str | None) -> bytes | None:
    """The CJK font (or ``source``, a cut of it) cut to ``chars``, as ``flavor`` (``woff``,
    or None: TrueType). Deterministic: no fresh time stamp in the head table, and a cut of a
    cut gives the same bytes as a cut of the whole font. None without fontTools."""
    import io

    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        return None
    font = TTFont(io.BytesIO(source) if source else str(cjk_font_path()), fontNumber=0,
                  lazy=True, recalcTimestamp=False)
    options = subset.Options()
    options.flavor, options.layout_features, options.hinting = flavor, [], False
    options.name_IDs, options.notdef_outline = ["*"], True
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    font.flavor = flavor
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()
