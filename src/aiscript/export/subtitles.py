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
