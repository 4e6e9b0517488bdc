"""Subtitles: one cue per line of dialogue, SRT (the ``srt`` library) and WebVTT (``webvtt-py``).

Cue times come from the edit plan, so they fall on the same frames as the timeline's dialogue
markers and inside their shots. SRT carries the line; VTT adds the speaker as a voice span
(``<v 林晚>``), which players show or hide.

>>> from aiscript.export.edit_plan import edit_plan
>>> from aiscript.schema import Episode
>>> print(to_srt(edit_plan(Episode.example())))
1
00:00:00,800 --> 00:00:03,000
这份工作，我不干了。
<BLANKLINE>
<BLANKLINE>
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aiscript.errors import MissingExtra
from aiscript.export.edit_plan import EditPlan
from aiscript.files import write_atomic


def _time(plan: EditPlan, frame: int) -> timedelta:
    return timedelta(milliseconds=round(frame * 1000 / plan.fps))  # as the VTT stamps round


def to_srt(plan: EditPlan) -> str:
    """The episode's dialogue as SRT text."""
    try:
        import srt
    except ImportError:
        raise MissingExtra("SRT subtitles", "edit", "srt") from None
    subs = [srt.Subtitle(index=i, start=_time(plan, q.start), end=_time(plan, q.end),
                         content=q.text)
            for i, q in enumerate(plan.cues, start=1)]
    return srt.compose(subs, reindex=False)


def to_vtt(plan: EditPlan) -> str:
    """The episode's dialogue as WebVTT text, with the speaker as a voice span."""
    try:
        import webvtt
    except ImportError:
        raise MissingExtra("WebVTT subtitles", "edit", "webvtt-py") from None
    vtt = webvtt.WebVTT(captions=[
        webvtt.Caption(start=_stamp(plan, q.start), end=_stamp(plan, q.end),
                       text=f"<v {q.speaker}>{q.text}", identifier=str(i))
        for i, q in enumerate(plan.cues, start=1)])
    return vtt.content


def _stamp(plan: EditPlan, frame: int) -> str:
    ms = round(frame * 1000 / plan.fps)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_srt(plan: EditPlan, path: str | Path) -> Path:
    return write_atomic(path, to_srt(plan))


def write_vtt(plan: EditPlan, path: str | Path) -> Path:
    return write_atomic(path, to_vtt(plan))


def caption_times(plan: EditPlan) -> list[tuple[float, float, str]]:
    """(start s, end s, text) per cue: what an animatic burns in."""
    return [(plan.seconds(q.start), plan.seconds(q.end), q.text) for q in plan.cues]


def burn_caption(image, text: str):
    """The frame with ``text`` drawn near its bottom edge, where players put subtitles:
    white, outlined in black, centred, wrapped to three lines at most."""
    from PIL import ImageDraw

    from aiscript.fonts import pil_font
    from aiscript.storyboard.sketch import wrap

    im = image.copy()
    draw = ImageDraw.Draw(im)
    size = max(14, im.width // 18)
    font = pil_font(size)
    lines = wrap(text, font, im.width * 0.86, draw)[:3]
    y = im.height * 0.95 - len(lines) * size * 1.25  # the last line ends near the bottom
    for line in lines:
        x = (im.width - draw.textlength(line, font=font)) / 2
        draw.text((x, y), line, font=font, fill="white", stroke_width=max(2, size // 10),
                  stroke_fill="black")
        y += size * 1.25
    return im
