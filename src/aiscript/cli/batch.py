"""``aiscript batch``: many premises, resumable and sharded."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from aiscript.cli.config import check_options, config
from aiscript.cli.console import AsJson, err, progress, safe, table
from aiscript.cli.params import (
    Device,
    EpisodeBatch,
    FastOrPreset,
    FrameBatch,
    ImageModel,
    ModelOpt,
    Preset,
)
from aiscript.errors import AiscriptError


def batch(
    premises: Annotated[Path, typer.Argument(help="JSONL: one {id, premise, episodes, lang, genre, seed} per line.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the series folders and the manifest.")] = Path("batch"),
    shard: Annotated[str | None, typer.Option(help="Run part I of N of the file, e.g. 2/4.")] = None,
    engine: Annotated[str, typer.Option(help="local, or ray (one worker per GPU).")] = "local",
    preset: Preset = None,
    writer: Annotated[str | None, typer.Option(help="template (offline default) or llm.")] = None,
    model: ModelOpt = None,
    renderer: Annotated[str | None, typer.Option(help="sketch (offline default), diffusers or none.")] = None,
    image_model: ImageModel = None, batch_size: EpisodeBatch = None,
    frame_batch: FrameBatch = None, device: Device = None,
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster address (default: local).")] = None,
    workers: Annotated[int | None, typer.Option(help="Ray workers (default: one per GPU, else per CPU).")] = None,
    fast: FastOrPreset = None, as_json: AsJson = False,
) -> None:
    """Many premises -> one series folder each, a manifest, resumable and sharded.

    \b
    A JSONL line: {"id": "s1", "premise": "...", "episodes": 3, "lang": "zh",
    "genre": "flash_marriage", "seed": 0}; only id and premise are required.
    \b
    Writes into --out:
      ID/                a run folder per line (as `aiscript run` writes it;
                         ID made safe as a folder name)
      manifest.json      each line's status, error, counts and seconds
                         (manifest.2of4.json with --shard 2/4)
      .aiscript.json     marks the folder as aiscript's (batch always resumes)
    """
    from aiscript.batch import BackendSpec, run_batch, summary_rows
    from aiscript.cli import options

    spec = config(preset, BackendSpec, writer=writer, model=model, renderer=renderer,
                  image_model=image_model, device=device, episode_batch=batch_size,
                  frame_batch=frame_batch, fast=fast)
    check_options(out=out_dir, device=spec.device,
                  model=spec.model if spec.writer == "llm" else None,
                  image_model=spec.image_model if spec.renderer == "diffusers" else None)
    options.at_least("--workers", workers)
    if engine not in ("local", "ray"):
        raise AiscriptError(f"unknown engine {engine!r}", "use --engine local or --engine ray")

    with progress() as bars:
        result = run_batch(premises, out_dir, shard=shard, engine=engine, spec=spec,
                           progress=bars, ray_address=ray_address, workers=workers)

    rows = summary_rows(result)
    if as_json:
        sys.stdout.write(json.dumps({"shard": result.manifest.shard, "out": str(out_dir),
                                     **{k: v for k, v in rows}, "errors": result.errors},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        table(["result", "value"], [list(r) for r in rows],
              title=f"batch {result.manifest.shard} -> {safe(out_dir)}")
    for e in result.errors:
        err.print(f"[yellow]{safe(e)}[/]", highlight=False, soft_wrap=True)
    if result.invalid or result.failed:  # the summary is printed; the status says it failed
        err.print(f"[red]error:[/] {result.invalid} invalid line(s), {result.failed} failed "
                  "series (listed above)", highlight=False)
        err.print("  fix: correct them and run the same command again: finished series are "
                  "kept", highlight=False)
        raise SystemExit(2 if result.invalid else 1)
