"""``aiscript storyboard``: finished scripts to frames, sheets and the edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiscript.cli.config import check_options, config
from aiscript.cli.console import out, progress, safe
from aiscript.cli.params import (
    BatchSize,
    Clip,
    Device,
    Fast,
    Guidance,
    IpAdapter,
    Mp4,
    OutDir,
    Reference,
    Resume,
    Review,
    Size,
    Steps,
    Subtitles,
)
from aiscript.errors import AiscriptError


def storyboard(
    scripts: Annotated[list[Path], typer.Argument(help="Scripts: .fountain, .txt/.md (短剧 layouts), .fdx or Episode .json.")],
    out_dir: OutDir = Path("boards"),
    cast: Annotated[Path | None, typer.Option(help="Cast file (.json/.yaml): names, looks, reference images, seeds.")] = None,
    renderer: Annotated[str, typer.Option(help="sketch (offline default) or diffusers.")] = "sketch",
    model: Annotated[str | None, typer.Option(help="diffusers pipeline (folder or hub id) for --renderer diffusers.")] = None,
    planner: Annotated[str, typer.Option(help="Shot planner: rules (offline default), or an instruct model whose choices the rules check: a local folder or cached hub id, or a .gguf file (llama.cpp on the CPU).")] = "rules",
    batch_size: BatchSize = 4, device: Device = None, steps: Steps = None, guidance: Guidance = None,
    size: Size = None, resume: Resume = False, ip_adapter: IpAdapter = None,
    reference: Reference = None, clip: Clip = None, mp4: Mp4 = False, fast: Fast = False, subtitles: Subtitles = False,
    series: Annotated[Path | None, typer.Option(help="series.json for Episode JSON (default: found beside them).")] = None,
    review: Review = True,
) -> None:
    """Finished scripts -> episodes, vertical frames, contact sheets, animatic and shot list.

    \b
    Writes into --out (a new or empty folder), NAME from each script's file name
    (a file of several episodes gives NAME_ep001, NAME_ep002, ...):
      episodes/          NAME.json, NAME.fountain, NAME.fdx, NAME.report.json
      cast.json          the cast used (edit it, pass it back with --cast)
      storyboards/NAME/  1-1-1.png frames, contact_sheet.html,
                         contact_sheet.pdf (pdf extra), storyboard.json,
                         animatic.gif, animatic.mp4 (--mp4)
      storyboards/characters/hero.png   a reference sheet per cast role
      shotlist.csv       every shot
      edit/              NAME.otio, NAME.srt, NAME.vtt (edit extra)
      review/            index.html, NAME.html, analysis.json, assets/ (review.css,
                         review.js, font.css): pages to read them (--no-review)
      .aiscript.json     marks the folder as aiscript's (for --resume)
    """
    from aiscript import api
    from aiscript.cli import options

    options.existing_file("--series", series)
    image_model = model if model and model != "sketch" else None
    check_options(out=out_dir, batch_size=batch_size, device=device, steps=steps,
                  guidance=guidance, size=size, clip=clip, ip_adapter=ip_adapter,
                  image_model=image_model)
    if image_model and renderer == "sketch":
        renderer = "diffusers"  # a model names the diffusers renderer
    if renderer == "diffusers" and not image_model:
        raise AiscriptError("--renderer diffusers needs --model",
                            "pass --renderer sketch, or --renderer diffusers --model FOLDER")
    cfg = config(None, renderer=renderer, image_model=image_model, frame_batch=batch_size,
                 device=device, steps=steps, guidance=guidance, size=size,
                 ip_adapter=ip_adapter, references=reference, clip_model=clip, mp4=mp4,
                 fast=fast, subtitles=subtitles, review=review,
                 shot_planner="rules" if planner == "rules" else "llm",
                 shot_model=None if planner == "rules" else planner)

    with progress() as bars:
        result = api.storyboard(scripts, cfg, out=out_dir, cast=cast, series=series,
                                resume=resume, progress=bars)

    frames = sum(len(b.frames) for b in result.storyboards)
    lines = sum(len(ep.lines()) for ep in result.episodes)
    out.print(f"{len(result.episodes)} episodes, {lines} lines, {frames} frames -> {safe(result.out)}")
    if result.model_shots is not None:
        out.print(f"shot planner {planner}: {result.model_shots} shots chosen by the model, "
                  f"{result.rules_scenes} scenes kept the rules")
    if result.review:
        out.print(f"review pages -> {safe(result.review)}", highlight=False, soft_wrap=True)
