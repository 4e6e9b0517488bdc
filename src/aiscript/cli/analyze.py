"""``aiscript analyze``: the beat structure of scripts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from aiscript.cli.config import config
from aiscript.cli.console import AsJson, err, out, safe, strength, table
from aiscript.errors import AiscriptError


def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Scripts (.fountain, .txt, .json) or folders.")],
    as_json: AsJson = False,
    plot: Annotated[Path | None, typer.Option(help="Draw the emotion curve to this PNG; for several scripts one PNG each, numbered in the order read: --plot c.png writes c_001.png, c_002.png, ...")] = None,
    paywall: Annotated[int | None, typer.Option(help="Paywall episode, for the series check (default: the folder's series.json).")] = None,
    scorer: Annotated[Path | None, typer.Option(help="Local sentiment classifier for valence (default: lexicon).")] = None,
    judge: Annotated[Path | None, typer.Option(help="Local instruct model (a .gguf through llama.cpp, or a folder): an LLM judge adds its hook and cliffhanger verdicts.")] = None,
) -> None:
    """Beat structure of scripts: hook, pivots, twists, cliffhanger, pacing, warnings.

    For several episodes (or a series folder, each episode read once) the series report too.

    \b
    Prints a table (tab-separated lines off a terminal) or --json. Writes files
    only with --plot: --plot c.png writes c.png for one script, and c_001.png,
    c_002.png, ... (in the order read) for several."""
    from aiscript import api
    from aiscript.backends import modelcheck
    from aiscript.cli import options

    options.at_least("--paywall", paywall)
    options.not_a_folder("--plot", plot)
    options.out_path(plot, "--plot")
    modelcheck.classifier("--scorer", scorer)
    options.empty_folders(paths)
    if judge is not None and not (judge.is_dir() or (judge.suffix.lower() == ".gguf"
                                                     and judge.is_file())):
        raise AiscriptError(f"judge model {judge}: not a .gguf file or a model folder",
                            "pass a GGUF (aiscript models qwen2.5-coder-1.5b DIR) or a local "
                            "instruct model folder (safetensors)")
    cfg = config(None, judge="llm" if judge else None, judge_model=str(judge) if judge else None)

    result = api.analyze(paths, cfg, scorer=scorer, paywall=paywall, plot=plot)

    reports, errors, series = result.reports, result.errors, result.series
    for e in errors:
        err.print(f"[red]error:[/] {safe(e)}", highlight=False, soft_wrap=True)
    if as_json:
        items = [json.loads(r.model_dump_json()) for r in reports]
        if series is not None:
            body = {"episodes": items, "series": json.loads(series.model_dump_json())}
        else:
            body = items[0] if len(items) == 1 and not errors else items
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    elif reports:
        _print_reports(reports, series)
    if errors:
        raise SystemExit(2)


def _print_reports(reports, series) -> None:
    from aiscript.schema import _tc

    judged = any(r.judge for r in reports)
    columns = ["script", "lang", "length", "hook", "pivots", "twists", "cliffhanger", "warn"]
    columns += ["judge hook", "judge cliff"] if judged else []
    rows = []
    for r in reports:
        row = [
            safe(Path(r.source).name), r.language, _tc(r.duration_s),
            strength(r.hook.present, r.hook.kind, r.hook.score, r.hook.verdict),
            str(len(r.pivots)),
            str(len(r.twists)),
            strength(r.cliffhanger.present, r.cliffhanger.kind, r.cliffhanger.score,
                     r.cliffhanger.verdict),
            str(len(r.warnings)),
        ]
        if judged:
            row += [strength(v.present, v.kind, v.confidence) if (v := r.judge.get(q)) else "-"
                    for q in ("hook", "cliffhanger")]
        rows.append(row)
    table(columns, rows)
    for r in reports:
        for w in r.warnings:
            out.print(f"[yellow]{safe(Path(r.source).name)}:[/] {safe(w)}", highlight=False,
                      soft_wrap=True)
    if series:
        arc = " ".join(f"{h:.2f}/{c:.2f}" for h, c in zip(series.hook_arc, series.cliffhanger_arc,
                                                          strict=True))
        out.print(f"series: {len(series.episodes)} episodes; hook/cliffhanger arc: {arc}",
                  highlight=False, soft_wrap=True)
        if series.paywall_episode:
            verdict = "among the strongest" if series.paywall_strong else "not among the strongest"
            out.print(f"series: paywall episode {series.paywall_episode} and the next: {verdict}",
                      highlight=False, soft_wrap=True)
        for w in series.warnings:
            out.print(f"[yellow]series:[/] {safe(w)}", highlight=False, soft_wrap=True)
