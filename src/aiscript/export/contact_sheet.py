"""Contact sheets: every frame of an episode on a page, with shot id, timecode and caption.

HTML (relative image links, opens from the storyboard folder) and PDF (reportlab, with a CJK
TrueType font embedded, so Chinese captions show on any reader).
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from aiscript.errors import MissingExtra
from aiscript.fonts import cjk_font_path
from aiscript.schema import Storyboard, _tc

_CSS = """
body{font-family:"AiscriptCJK","WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC",sans-serif;margin:24px;background:#111;color:#eee}
h1{font-size:20px} .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:14px}
figure{margin:0;background:#1d1d22;padding:8px;border-radius:6px} img{width:100%;aspect-ratio:9/16;object-fit:cover}
figcaption{font-size:12px;line-height:1.4} .id{color:#f5c542;font-weight:bold}
.note{color:#f08080;margin:-6px 0 14px}
"""


def contact_sheet_html(board: Storyboard, title: str = "", note: str = "") -> str:
    """The sheet as one HTML file beside the frames. The CJK font rides along, cut down to the
    characters the page uses, so Chinese shows on machines without CJK fonts."""
    from aiscript.fonts import font_face_css

    cells = "\n".join(
        f'<figure><img src="{html.escape(f.image)}" alt="{html.escape(f.shot_id)}" loading="lazy">'
        f'<figcaption><span class="id">{html.escape(f.shot_id)}</span> {_tc(f.start_s)} '
        f"({f.duration_s:.1f}s)<br>{html.escape(f.caption)}</figcaption></figure>"
        for f in board.frames
    )
    heading = html.escape(title or f"{board.series_title} · {board.episode}")
    used = heading + note + "".join(f.shot_id + f.caption for f in board.frames)
    note_html = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{heading}</title>'
        f"<style>{font_face_css(used)}\n{_CSS}</style></head><body><h1>{heading}</h1>{note_html}"
        f'<div class="grid">\n{cells}\n</div></body></html>\n'
    )


def contact_sheet_pdf(board: Storyboard, folder: str | Path, title: str = "",
                      note: str = "") -> bytes:
    """A landscape A4 PDF, six frames across and two rows down per page."""
    try:
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas
    except ImportError:
        raise MissingExtra("the PDF contact sheet", "pdf", "reportlab") from None
    from PIL import Image, ImageDraw

    from aiscript.fonts import pil_font
    from aiscript.storyboard.sketch import wrap

    font = "AiscriptCJK"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(cjk_font_path()), subfontIndex=0))
    folder = Path(folder)
    page_w, page_h = landscape(A4)
    cols, rows, margin, gap = 6, 2, 28.0, 10.0
    cell_w = (page_w - 2 * margin - (cols - 1) * gap) / cols
    img_h = cell_w * 16 / 9
    cell_h = img_h + 46
    buf = io.BytesIO()
    # invariant: no time stamp or random document id, so the same board gives the same bytes
    c = canvas.Canvas(buf, pagesize=(page_w, page_h), pageCompression=1, invariant=1)
    c.setTitle(title or f"{board.series_title} {board.episode}")
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    per_page = cols * rows
    for start in range(0, len(board.frames), per_page):
        c.setFont(font, 13)
        c.drawString(margin, page_h - margin, title or f"{board.series_title} · {board.episode}")
        if note:
            c.setFont(font, 8)
            c.drawString(margin + 260, page_h - margin, note)
        for k, f in enumerate(board.frames[start : start + per_page]):
            col, row = k % cols, k // cols
            x = margin + col * (cell_w + gap)
            y = page_h - margin - 14 - (row + 1) * cell_h
            c.drawImage(ImageReader(str(folder / f.image)), x, y + 46, cell_w, img_h)
            c.setFont(font, 7.5)
            c.drawString(x, y + 36, f"{f.shot_id}  {_tc(f.start_s)}  {f.duration_s:.1f}s")
            c.setFont(font, 6.5)
            for i, text in enumerate(wrap(f.caption, pil_font(13), cell_w * 2, measure)[:3]):
                c.drawString(x, y + 26 - i * 8, text)
        c.showPage()
    c.save()
    return buf.getvalue()
