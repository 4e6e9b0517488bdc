"""Hand-off to the edit: every episode of a run as timelines, subtitles and 剪映 drafts.

``export_edit`` reads an ``aiscript run`` (or ``aiscript storyboard``) output folder and writes
``edit/epNNN.otio``, ``.xml`` (FCP7: Premiere, Resolve), ``.fcpxml``, ``.edl``, ``.srt``, ``.vtt``
and ``edit/jianying/epNNN/`` under it, all laid out from one edit plan per episode.
``aiscript run`` and ``aiscript storyboard`` call ``write_default_edit`` to leave the ``.otio``
and ``.srt`` beside their other files whenever the ``edit`` extra is installed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError

from aiscript.errors import AiscriptError, MissingExtra
from aiscript.export.edit_plan import EditPlan, check_fps, edit_plan
from aiscript.schema import BeatReport, Episode, Storyboard

EDIT_FORMATS = ("otio", "fcp7", "fcpx", "edl", "srt", "jianying")
DEFAULT_FORMATS = ("otio", "srt")
_NEEDS = {  # format: (import name, PyPI name) of what writes it
    "otio": [("opentimelineio", "opentimelineio")],
    "fcp7": [("opentimelineio", "opentimelineio"), ("otio_fcp_adapter", "otio-fcp-adapter")],
    "fcpx": [("opentimelineio", "opentimelineio"),
             ("otio_fcpx_xml_adapter", "otio-fcpx-xml-adapter")],
    "edl": [("opentimelineio", "opentimelineio"), ("otio_cmx3600_adapter", "otio-cmx3600-adapter")],
    "srt": [("srt", "srt"), ("webvtt", "webvtt-py")],
    "jianying": [("pyJianYingDraft", "pyJianYingDraft")],
}


def parse_formats(names: Iterable[str]) -> list[str]:
    """``--to`` values (repeated or comma-separated, ``all`` for every one) in a fixed order.

    >>> parse_formats(["srt,otio"]), len(parse_formats(["all"]))
    (['otio', 'srt'], 6)
    """
    asked = {n.strip().lower() for name in names for n in name.split(",") if n.strip()}
    if "all" in asked:
        return list(EDIT_FORMATS)
    unknown = sorted(asked - set(EDIT_FORMATS))
    if unknown or not asked:
        raise AiscriptError(f"unknown edit format {', '.join(unknown) or '(none)'}",
                            f"use --to with one of: {', '.join(EDIT_FORMATS)}, all")
    return [f for f in EDIT_FORMATS if f in asked]


def missing_packages(formats: Iterable[str]) -> list[str]:
    """The PyPI packages the formats need that are not installed."""
    return list(dict.fromkeys(pkg for f in formats for mod, pkg in _NEEDS[f]
                              if importlib.util.find_spec(mod) is None))


def write_edit(
    plan: EditPlan, edit_dir: str | Path, formats: Sequence[str] = DEFAULT_FORMATS,
) -> list[Path]:
    """Write one episode's plan in ``formats`` under ``edit_dir``; returns the paths written."""
    from aiscript.export.timeline import FORMATS, write_timeline

    edit_dir = Path(edit_dir)
    written = []
    for fmt in formats:
        if fmt in FORMATS:
            written.append(write_timeline(plan, edit_dir / f"{plan.name}{FORMATS[fmt][1]}", fmt))
        elif fmt == "srt":
            from aiscript.export.subtitles import write_srt, write_vtt

            written.append(write_srt(plan, edit_dir / f"{plan.name}.srt"))
            written.append(write_vtt(plan, edit_dir / f"{plan.name}.vtt"))
        elif fmt == "jianying":
            from aiscript.export.jianying import write_jianying_draft

            written.append(write_jianying_draft(plan, edit_dir / "jianying"))
    return written


def plan_episode_edit(episode: Episode, board: Storyboard | None, folder: Path | None,
                      fps: int = 30, report: BeatReport | None = None) -> EditPlan:
    """The edit plan with the analyser's beats (``report``, or ``aiscript.analyze``'s) as
    markers."""
    from aiscript.analysis import analyze

    return edit_plan(episode, board, folder, report=report or analyze(episode), fps=fps)


def export_edit(
    root: str | Path, formats: Iterable[str] = ("all",), fps: int = 30,
    episodes: Sequence[str | Path] = (),
) -> list[Path]:
    """Write the edit hand-off for every episode in the output folder ``root`` under
    ``root/edit/``. ``episodes`` (Episode JSON files) stand in for ``root/episodes/`` when the
    folder holds only storyboards (``aiscript storyboard`` output)."""
    root = Path(root)
    wanted = parse_formats(formats)
    check_fps(fps)
    missing = missing_packages(wanted)
    if missing:  # before anything is written
        raise MissingExtra(f"the {', '.join(wanted)} export", "edit", ", ".join(missing))
    if not root.is_dir():
        raise AiscriptError(f"{root} is not a folder", "pass the --out folder of aiscript run")
    found = [(name, ep, *_storyboard(root, name)) for name, ep in _episodes(root, episodes)]
    unrendered = [name for name, _, board, _ in found if board is None]
    if "jianying" in wanted and unrendered:  # before anything is written
        raise AiscriptError(f"no storyboard for {', '.join(unrendered)}: a 剪映 draft needs the "
                            "frames", "render them with aiscript storyboard, or leave out jianying")
    written: list[Path] = []
    for name, ep, board, folder in found:
        plan = plan_episode_edit(ep, board, folder, fps)
        plan.stem = name
        written += write_edit(plan, root / "edit", wanted)
    return written


def write_default_edit(
    out_dir: Path, episodes: Sequence[Episode], boards: Sequence[Storyboard], board_root: Path,
    names: Sequence[str] | None = None, reports: Sequence[BeatReport] | None = None,
) -> list[Path]:
    """The ``.otio`` and ``.srt`` (+ ``.vtt``) that runs leave in ``out_dir/edit/`` when the
    edit extra is installed; nothing (and no error) without it. ``boards`` pair with
    ``episodes`` in order; ``names`` (imported scripts) name the files and frame folders."""
    if missing_packages(DEFAULT_FORMATS):
        return []
    names = list(names or [f"ep{ep.number:03d}" for ep in episodes])
    written: list[Path] = []
    for i, ep in enumerate(episodes):
        board = boards[i] if i < len(boards) else None
        folder = board_root / names[i] if board else None
        plan = plan_episode_edit(ep, board, folder, report=reports[i] if reports else None)
        plan.stem = names[i]
        written += write_edit(plan, out_dir / "edit")
    return written


def _episodes(root: Path, given: Sequence[str | Path]) -> list[tuple[str, Episode]]:
    """(name, episode) per episode JSON: ``epNNN`` from runs, the script's name from imports."""
    paths = [Path(p) for p in given] or sorted(
        p for p in (root / "episodes").glob("*.json") if not p.name.endswith(".report.json"))
    if not paths:
        raise AiscriptError(f"no episodes in {root / 'episodes'}",
                            "pass an aiscript run folder, or the episode JSON with --episode")
    episodes = []
    for p in paths:
        try:
            episodes.append((p.stem, Episode.model_validate_json(p.read_bytes())))
        except OSError as exc:
            raise AiscriptError(f"{p}: cannot read ({exc.strerror})", "check the path") from None
        except ValidationError as exc:
            raise AiscriptError(f"{p}: not an Episode ({exc.errors()[0]['msg']})",
                                "see `aiscript schema Episode`") from None
    return episodes


def _storyboard(root: Path, name: str) -> tuple[Storyboard | None, Path | None]:
    """The episode's storyboard (``storyboards/NAME``, or ``NAME`` in a folder of boards);
    None when it was not rendered."""
    for folder in (root / "storyboards" / name, root / name):
        path = folder / "storyboard.json"
        if path.is_file():
            try:
                return Storyboard.model_validate_json(path.read_bytes()), folder
            except ValidationError as exc:
                raise AiscriptError(f"{path}: not a Storyboard ({exc.errors()[0]['msg']})",
                                    "re-render it with aiscript storyboard") from None
    return None, None
