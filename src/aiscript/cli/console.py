"""How the command prints: tables that stay whole in a pipe, progress bars on a terminal and
plain lines off one, text made safe for a terminal, verdicts in a word."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

# soft_wrap: a line is never broken to the width, so a path in a log or a pipe stays whole
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def table(columns: list[str], rows: list[list[str]], title: str | None = None,
          as_json: bool = False) -> None:
    """Rows under their column names: a rich table on a terminal (long cells fold, none is
    cut); off a terminal (a file, a pipe) tab-separated lines with every cell whole, the title
    as a ``#`` line above; with ``--json``, a JSON list of objects keyed by column."""
    from rich.table import Table
    from rich.text import Text

    def plain(cell: str) -> str:  # markup off, and no tab or newline to break a row
        return Text.from_markup(cell).plain.replace("\t", " ").replace("\n", " ")

    if as_json:
        body = [dict(zip(columns, map(plain, row), strict=True)) for row in rows]
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    elif out.is_terminal:
        table = Table(title=title)
        for c in columns:
            table.add_column(c, overflow="fold")
        for row in rows:
            table.add_row(*row)
        out.print(table)
    else:
        head = [f"# {plain(title)}"] if title else []
        lines = head + ["\t".join(columns)] + ["\t".join(map(plain, row)) for row in rows]
        sys.stdout.write("\n".join(lines) + "\n")



def progress():
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    if not err.is_terminal:  # a log file or a pipe: plain lines, not live bars
        from aiscript.cli.progress import PlainProgress

        return PlainProgress(sys.stderr)

    class Rate(ProgressColumn):
        """Items per second: episodes/s, frames/s, tokens/s."""

        def render(self, task) -> Text:
            return Text(f"{task.speed:,.1f}/s" if task.speed else "", style="cyan")

    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=False,
    )




def safe(text: object) -> str:
    """``text`` with terminal control characters made visible."""
    from aiscript.cli.options import terminal_safe

    return terminal_safe(text)


def strength(present: bool, kind: str | None, score: float, verdict: str | None = None) -> str:
    if verdict == "unsure":  # within the unsure band of the threshold
        return f"[yellow]unsure[/] {kind or ''} {score:.2f}".replace("  ", " ")
    return f"{kind} {score:.2f}" if present else f"[red]none[/] {score:.2f}"
