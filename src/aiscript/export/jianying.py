"""剪映 (JianYing) drafts with pyJianYingDraft: the storyboard frames as timed clips on the main
video track and each line of dialogue as a text segment on a subtitle track.

The draft folder (``draft_content.json`` + ``draft_meta_info.json``) is the plain-JSON format
pyJianYingDraft writes, which 剪映专业版 5.9 and later open (the library tests its drafts on 5.9
and 10.8); copy the folder into 剪映's drafts folder (全局设置 → 草稿位置) to open it. Media are
referenced by absolute path, so re-export after moving the output folder. Times are 剪映's
microseconds, taken from the edit plan's frames, so they agree with the other formats.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from aiscript.errors import AiscriptError, MissingExtra
from aiscript.export.edit_plan import EditPlan

VIDEO_TRACK, TEXT_TRACK = "storyboard", "dialogue"


def _jy():
    try:
        import pyJianYingDraft as jy
    except ImportError:
        raise MissingExtra("the 剪映 draft export", "edit", "pyJianYingDraft") from None
    return jy


def _us(plan: EditPlan, frame: int) -> int:
    """Frames to 剪映's microseconds; cuts land on the same rounded instants as every format."""
    return round(frame * 1_000_000 / plan.fps)


def build_draft(plan: EditPlan, drafts_folder: str | Path):
    """Create the draft ``plan.name`` in ``drafts_folder`` and return its ``ScriptFile``."""
    jy = _jy()
    missing = [c.shot.id for c in plan.shots if not c.image or not Path(c.image).is_file()]
    if missing:
        raise AiscriptError(f"{plan.name}: no storyboard frame for shot(s) {', '.join(missing[:5])}",
                            "render the storyboard first (aiscript run or aiscript storyboard)")
    script = jy.DraftFolder(str(drafts_folder)).create_draft(
        plan.name, plan.width, plan.height, fps=plan.fps)
    video = script.append_track(jy.TrackSpec(jy.TrackType.video, VIDEO_TRACK))
    text = script.append_track(jy.TrackSpec(jy.TrackType.text, TEXT_TRACK))
    for cut in plan.shots:
        start = _us(plan, cut.start)
        span = jy.Timerange(start, _us(plan, cut.end) - start)
        script.add_segment(jy.VideoSegment(jy.VideoMaterial(cut.image, cut.shot.id), span), video)
    # the library's own subtitle look (its SRT import): centred, wrapped, near the bottom
    style = jy.TextStyle(size=5, align=1, auto_wrapping=True)
    place = jy.ClipSettings(transform_y=-0.8)
    for cue in plan.cues:
        start = _us(plan, cue.start)
        span = jy.Timerange(start, _us(plan, cue.end) - start)
        script.add_segment(jy.TextSegment(cue.text, span, style=style, clip_settings=place), text)
    return script


def write_jianying_draft(plan: EditPlan, drafts_folder: str | Path) -> Path:
    """Write ``drafts_folder/epNNN/`` as a whole: built beside it, then moved into place, so a
    reader never sees half a draft and an earlier draft of ours is replaced only when done."""
    root = Path(drafts_folder)
    root.mkdir(parents=True, exist_ok=True)
    target = root / plan.name
    work = Path(tempfile.mkdtemp(dir=root, prefix=f".{plan.name}.", suffix=".tmp"))
    try:
        build_draft(plan, work).save()
        if target.exists():  # our earlier draft: set aside, removed with the work folder
            os.replace(target, work / ".previous")
        os.replace(work / plan.name, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def load_draft(drafts_folder: str | Path, name: str):
    """Open a written draft again through pyJianYingDraft's template mode."""
    return _jy().DraftFolder(str(drafts_folder)).load_template(name)
