"""Contact sheets: every frame of an episode on a page, with shot id, timecode and caption.

HTML (relative image links, opens from the storyboard folder) and PDF (reportlab, with a CJK
TrueType font embedded, so Chinese captions show on any reader).
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aiscript.errors import MissingExtra
from aiscript.fonts import SeasonFont, cjk_font_path, font_face_css
from aiscript.schema import Storyboard, _tc

if TYPE_CHECKING:
    from PIL.Image import Image

_CSS = """
body{font-family:"AiscriptCJK","WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC",sans-serif;margin:24px;background:#111;color:#eee}
h1{font-size:20px} .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:14px}
figure{margin:0;background:#1d1d22;padding:8px;border-radius:6px} img{width:100%;aspect-ratio:9/16;object-fit:cover}
figcaption{font-size:12px;line-height:1.4} .id{color:#f5c542;font-weight:bold}
.note{color:#f08080;margin:-6px 0 14px}
"""


def contact_sheet_html(board: Storyboard, title: str = "", note: str = "",
                       font: SeasonFont | None = None) -> str:
    """The sheet as one HTML file beside the frames. The CJK font rides along, cut down to the
    characters the page shows (from ``font``, a season's cut, when it holds them all), so
    Chinese shows on machines without CJK fonts."""

    cells = "\n".join(
        f'<figure><img src="{html.escape(f.image)}" alt="{html.escape(f.shot_id)}" loading="lazy">'
        f'<figcaption><span class="id">{html.escape(f.shot_id)}</span> {_tc(f.start_s)} '
        f"({f.duration_s:.1f}s)<br>{html.escape(f.caption)}</figcaption></figure>"
        for f in board.frames
    )
    title = title or f"{board.series_title} · {board.episode}"
    heading = html.escape(title)
    used = title + note + "".join(f.shot_id + f.caption for f in board.frames)  # as shown
    note_html = f'<p class="note">{html.escape(note)}</p>' if note else ""
    face = font_face_css(used, source=font)
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{heading}</title>'
        f"<style>{face}\n{_CSS}</style></head><body><h1>{heading}</h1>{note_html}"
        f'<div class="grid">\n{cells}\n</div></body></html>\n'
    )


def contact_sheet_pdf(board: Storyboard, folder: str | Path, title: str = "",
                      note: str = "", images: Sequence[Image] | None = None) -> bytes:
    """A landscape A4 PDF, six frames across and two rows down per page.

    ``images`` are the frames already in memory (thumbnails do: a cell is ~120 pt wide);
    without them the frames are read from ``folder``. Streams are deflated but not
    ASCII85-encoded: ReportLab's ASCII85 is pure Python (once 40% of a run's time)."""
    try:
        from reportlab import rl_config
        from reportlab.pdfgen import canvas
    except ImportError:
        raise MissingExtra("the PDF contact sheet", "pdf", "reportlab") from None
    buf = io.BytesIO()
    a85, rl_config.useA85 = rl_config.useA85, 0  # binary streams (valid PDF, 8-bit clean)
    try:
        # invariant: no time stamp or random document id, so the same board gives the same bytes
        c = canvas.Canvas(buf, pagesize=_PAGE, pageCompression=1, invariant=1)
        c.setTitle(title or f"{board.series_title} {board.episode}")
        _pages(c, board, Path(folder), title, images, note)
        c.save()
    finally:
        rl_config.useA85 = a85
    return buf.getvalue()


_PAGE = (841.8897637795277, 595.2755905511812)  # landscape A4 in points
_COLS, _ROWS, _MARGIN, _GAP = 6, 2, 28.0, 10.0


def _pages(c, board: Storyboard, folder: Path, title: str, images, note: str = "") -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    font = _pdf_font()
    page_w, page_h = _PAGE
    cell_w = (page_w - 2 * _MARGIN - (_COLS - 1) * _GAP) / _COLS
    img_h = cell_w * 16 / 9
    cell_h = img_h + 46
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    per_page = _COLS * _ROWS
    for start in range(0, len(board.frames), per_page):
        c.setFont(font, 13)
        c.drawString(_MARGIN, page_h - _MARGIN, title or f"{board.series_title} · {board.episode}")
        if note:
            c.setFont(font, 8)
            c.drawString(_MARGIN + 260, page_h - _MARGIN, note)
        for k, f in enumerate(board.frames[start : start + per_page]):
            col, row = k % _COLS, k // _COLS
            x = _MARGIN + col * (cell_w + _GAP)
            y = page_h - _MARGIN - 14 - (row + 1) * cell_h
            image = images[start + k] if images is not None else str(folder / f.image)
            c.drawImage(ImageReader(image), x, y + 46, cell_w, img_h)
            c.setFont(font, 7.5)
            c.drawString(x, y + 36, f"{f.shot_id}  {_tc(f.start_s)}  {f.duration_s:.1f}s")
            size, lines = caption_lines(f.caption, cell_w, measure)
            c.setFont(font, size)
            for i, text in enumerate(lines):
                c.drawString(x, y + 26 - i * (size + 1.5), text)
        c.showPage()


def caption_lines(caption: str, cell_w: float, measure=None) -> tuple[float, list[str]]:
    """A frame's caption for a PDF cell ``cell_w`` points wide: at most three lines at 6.5 pt,
    shrunk down to 5 pt to fit, and ended with "…" when it still must be cut (never cut
    silently). Returns (font size in points, lines)."""
    from PIL import Image, ImageDraw

    from aiscript.storyboard.sketch import fit_lines

    measure = measure or ImageDraw.Draw(Image.new("L", (1, 1)))
    # measured at twice the point size, so the wrap width is twice the cell's
    font, lines, _ = fit_lines(caption, measure, cell_w * 2, 3, 13, 10)
    return font.size / 2, lines


def _pdf_font() -> str:
    """The CJK TrueType font, registered with ReportLab once."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = "AiscriptCJK"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(cjk_font_path()), subfontIndex=0))
    return font
