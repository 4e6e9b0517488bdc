"""``aiscript export``: storyboards to the edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiscript.cli.console import out, safe


def export(
    folder: Annotated[Path, typer.Argument(help="An aiscript run (or storyboard) output folder.")],
    to: Annotated[list[str], typer.Option("--to", help="otio, fcp7, fcpx, edl, srt (+vtt), jianying or all; repeat or comma-separate.")] = ["all"],  # noqa: B006
    fps: Annotated[int, typer.Option(help="Timeline frame rate.")] = 30,
    episode: Annotated[list[Path] | None, typer.Option("--episode", help="Episode JSON (when the folder holds only storyboards); repeat.")] = None,
) -> None:
    """Storyboards -> the edit: OTIO, FCP7 XML (Premiere, Resolve), FCPXML, EDL, SRT/VTT, 剪映 drafts.

    \b
    Writes into FOLDER/edit/, per episode (ep001 or the script's NAME):
      ep001.otio (otio), ep001.xml (fcp7), ep001.fcpxml (fcpx), ep001.edl (edl),
      ep001.srt and ep001.vtt (srt), jianying/ep001/ draft_content.json and
      draft_meta_info.json (jianying); files of the same name are replaced.
    """
    from aiscript import api

    written = api.export(folder, to, fps=fps, episodes=episode or ())
    out.print(f"{len(written)} files -> {safe(folder / 'edit')}", highlight=False)
