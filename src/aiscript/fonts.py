"""The CJK TrueType font used for captions, contact sheets and PDFs.

Looked up in order: the ``AISCRIPT_FONT`` environment variable, the WenQuanYi Micro Hei font
that aiscript installs with itself, then common system locations.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

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


def font_face_css(text: str, family: str = "AiscriptCJK") -> str:
    """An ``@font-face`` rule carrying the CJK font, cut down to the characters of ``text``
    (a few KB of WOFF, base64 inline), so a page shows its Chinese on machines without CJK
    fonts; empty when fontTools is missing (the page then falls back to system fonts).

    >>> css = font_face_css("林晚：我不干了。")
    >>> css.startswith("@font-face{font-family:'AiscriptCJK';src:url(data:font/woff;base64,")
    True
    """
    import base64
    import io

    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return ""
    chars = "".join(sorted(set(text + " 0123456789:().")))
    _SHEETS[0] += 1
    # a season's sheets cut from the common-character font: the same bytes, ~3x sooner
    source = (io.BytesIO(_common_font()) if _SHEETS[0] > _SHEETS_BEFORE_COMMON
              and set(chars) <= _common_chars() else str(cjk_font_path()))
    # no fresh modification time in the head table: the same text gives the same bytes
    font = TTFont(source, fontNumber=0, lazy=True, recalcTimestamp=False)
    _subset(font, chars, "woff")
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"@font-face{{font-family:'{family}';src:url(data:font/woff;base64,{data}) format('woff')}}"


_SHEETS = [0]  # pages cut in this process
_SHEETS_BEFORE_COMMON = 8  # the common font costs about ten pages: worth it for a season


def _subset(font, chars: str, flavor: str | None) -> None:
    from fontTools import subset

    options = subset.Options()
    options.flavor, options.layout_features, options.hinting = flavor, [], False
    options.name_IDs, options.notdef_outline = ["*"], True
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    font.flavor = flavor


@cache
def _common_chars() -> frozenset[str]:
    """GB2312's symbols and level-1 hanzi (the 3,755 most used), Latin-1, and general, CJK and
    full-width punctuation: what nearly every short-drama page is written in."""
    rows = [*range(0xA1, 0xAA), *range(0xB0, 0xD8)]
    hanzi = (bytes([row, cell]).decode("gb2312", errors="ignore")
             for row in rows for cell in range(0xA1, 0xFF))
    ranges = [(0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x3000, 0x3040), (0xFF00, 0xFFF0)]
    return frozenset(ch for ch in hanzi if ch) | {chr(i) for a, b in ranges for i in range(a, b)}


@cache
def _common_font() -> bytes:
    """The CJK font cut once to the common characters (a sixth of its glyphs): a page cut from
    it gets the same bytes as one cut from the whole font."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(str(cjk_font_path()), fontNumber=0, lazy=True, recalcTimestamp=False)
    _subset(font, "".join(sorted(_common_chars())), None)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()
