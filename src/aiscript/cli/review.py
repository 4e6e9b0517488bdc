"""``aiscript review``: pages to read a season in a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiscript.cli.console import out, safe


def review(
    folder: Annotated[Path, typer.Argument(help="An aiscript run, write or storyboard output folder.")],
) -> None:
    """An output folder -> review/index.html and a page per episode: each episode's script beside
    its frames under its beat curve, the season's verdicts, paywall, reveals and cast. Static
    pages: open them from disk, no server.

    \b
    Writes FOLDER/review/: index.html, ep001.html (or NAME.html) per episode,
    analysis.json (the analyser's reports, reused when unchanged), assets/
    (review.css, review.js, font.css); files of the same name are replaced.
    """
    from aiscript.export.review import write_review

    index = write_review(folder)
    out.print(f"review pages -> {safe(index)}", highlight=False, soft_wrap=True)
