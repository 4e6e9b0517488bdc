"""The shot list CSV a production office works from: one row per shot, across episodes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from aiscript.files import write_atomic
from aiscript.schema import Episode, Storyboard

SHOTLIST_COLUMNS = (
    "episode", "scene", "shot", "size", "angle", "move", "duration", "characters", "dialogue",
    "image",
)


def shotlist_rows(episode: Episode, storyboard: Storyboard | None = None, image_root: str = ""):
    """One row per shot; a card (TO BE CONTINUED, CUT TO:) is listed as a card, with the
    seconds it holds on the storyboard and the animatic (a transition half a second, a title or
    end card its reading time)."""
    images = {f.shot_id: f.image for f in storyboard.frames} if storyboard else {}
    for scene, shot in episode.shots():
        image = images.get(shot.id, "")
        yield {
            "episode": episode.number,
            "scene": scene.number,
            "shot": shot.id,
            "size": "card" if shot.card else shot.size.value,
            "angle": shot.angle.value,
            "move": shot.movement.value,
            "duration": f"{shot.duration_s:.2f}",
            "characters": "; ".join(shot.characters),
            "dialogue": shot.card or " / ".join(f"{ln.speaker}: {ln.text}" for ln in shot.lines),
            "image": f"{image_root}{image}" if image else "",
        }


def write_shotlist(path: str | Path, rows: Iterable[dict]) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SHOTLIST_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    # utf-8-sig so spreadsheet apps open the Chinese correctly
    return write_atomic(path, buf.getvalue().encode("utf-8-sig"))
