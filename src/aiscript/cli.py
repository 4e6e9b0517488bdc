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
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Scripts (.fountain, .txt, .json) or folders.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Draw the emotion curve to this PNG.")] = None,
    paywall: Annotated[int | None, typer.Option(help="Paywall episode, for the series check.")] = None,
) -> None:
    """Beat structure of scripts: hook, pivots, twists, cliffhanger, pacing, warnings."""
    from aiscript.analysis import analyze_many, series_report

    reports, errors = analyze_many(paths)
    for e in errors:
        err.print(f"[red]error:[/] {e}", highlight=False, soft_wrap=True)
    if as_json:
        items = [json.loads(r.model_dump_json()) for r in reports]
        body = items[0] if len(items) == 1 and not errors else items
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_reports(reports, series_report(reports, paywall) if len(reports) > 1 else None)
    if plot and reports:
        from aiscript.analysis.plot import plot_report

        for i, r in enumerate(reports):
            target = plot if len(reports) == 1 else plot.with_name(f"{plot.stem}_{i + 1:03d}{plot.suffix}")
            plot_report(r, target)
    if errors:
        raise SystemExit(2)


def _print_reports(reports, series) -> None:
    from rich.table import Table

    from aiscript.schema import _tc

    table = Table("script", "lang", "length", "hook", "pivots", "twists", "cliffhanger", "warn")
    for r in reports:
        table.add_row(
            Path(r.source).name, r.language, _tc(r.duration_s),
            _strength(r.hook.present, r.hook.kind, r.hook.score), str(len(r.pivots)),
            str(len(r.twists)),
            _strength(r.cliffhanger.present, r.cliffhanger.kind, r.cliffhanger.score),
            str(len(r.warnings)),
        )
    out.print(table)
    for r in reports:
        for w in r.warnings:
            out.print(f"[yellow]{Path(r.source).name}:[/] {w}", highlight=False, soft_wrap=True)
    if series:
        for w in series.warnings:
            out.print(f"[yellow]series:[/] {w}", highlight=False, soft_wrap=True)


def _strength(present: bool, kind: str | None, score: float) -> str:
    return f"{kind} {score:.2f}" if present else f"[red]none[/] {score:.2f}"


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
        err.print(f"[red]error:[/] {exc.problem}", highlight=False, soft_wrap=True)
        if exc.fix:
            err.print(f"  fix: {exc.fix}", highlight=False, soft_wrap=True)
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
