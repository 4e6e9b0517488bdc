"""The ``aiscript`` command: a thin layer over the library, one screenful per command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from aiscript.errors import AiscriptError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="AI-assisted micro-drama writing and storyboarding.",
)
err = Console(stderr=True)
out = Console()


def _progress():
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=False,
    )


@app.command()
def run(
    premise: Annotated[str, typer.Argument(help="Premise text, or a path to a text file.")],
    episodes: Annotated[int, typer.Option("--episodes", "-n", help="How many episodes.")] = 3,
    lang: Annotated[str, typer.Option(help="zh, en or auto.")] = "auto",
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder (new or empty).")] = Path("out"),
    seed: Annotated[int, typer.Option(help="Same seed, same season.")] = 0,
    genre: Annotated[str, typer.Option(help="A genre id from `aiscript genres`, or auto.")] = "auto",
    resume: Annotated[bool, typer.Option(help="Finish an interrupted run in --out.")] = False,
) -> None:
    """Premise -> series bible, episode scripts, storyboards, contact sheets and a shot list."""
    from aiscript.pipeline import run as run_pipeline

    with _progress() as progress:
        prod = run_pipeline(
            premise, episodes=episodes, lang=lang, out=out_dir, seed=seed, genre=genre,
            resume=resume, progress=progress,
        )
    b = prod.series.bible
    frames = sum(len(s.frames) for s in prod.storyboards)
    out.print(f"[bold]{b.title}[/] ({b.genre}, {b.language}): {len(prod.episodes)} episodes, "
              f"{frames} frames -> {prod.out}")


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="A model name, e.g. Episode; 'list' for all.")],
) -> None:
    """Print a model's JSON Schema."""
    from aiscript.schema import MODELS

    if name == "list":
        out.print("\n".join(MODELS))
        return
    if name not in MODELS:
        raise AiscriptError(f"unknown model {name!r}", f"choose one of: {', '.join(MODELS)}")
    sys.stdout.write(json.dumps(MODELS[name].model_json_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def genres() -> None:
    """List the genre catalogue."""
    from rich.table import Table

    from aiscript.craft import load_genres

    table = Table("id", "中文", "English", "tropes")
    for g in load_genres().values():
        table.add_row(g.id, g.name.zh, g.name.en, "; ".join(g.tropes.en[:2]))
    out.print(table)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line and exit status 2, never a traceback."""
    try:
        app(args=argv, standalone_mode=False)
    except AiscriptError as exc:
        err.print(f"[red]error:[/] {exc.problem}", highlight=False)
        if exc.fix:
            err.print(f"  fix: {exc.fix}", highlight=False)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted; rerun with --resume to finish")
        raise SystemExit(130) from None
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        if isinstance(exc, click.exceptions.Abort):
            raise SystemExit(1) from None
        raise
