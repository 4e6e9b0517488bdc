"""``aiscript run`` and ``aiscript write``: a premise to a season."""

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
    EpisodeBatch,
    Episodes,
    Fast,
    FastOrPreset,
    FrameBatch,
    Genre,
    Guidance,
    ImageModel,
    IpAdapter,
    Lang,
    MaxNewTokens,
    ModelOpt,
    Mp4,
    NCtx,
    OutDir,
    Parallel,
    Premise,
    Preset,
    Reader,
    Reference,
    Resume,
    Review,
    Seed,
    Size,
    Steps,
    Subtitles,
    Threads,
)


def run(
    premise: Premise, episodes: Episodes = 3, lang: Lang = "auto", out_dir: OutDir = Path("out"),
    seed: Seed = 0, genre: Genre = "auto", resume: Resume = False, preset: Preset = None,
    writer: Annotated[str | None, typer.Option(help="template (offline default), llm, or llamacpp (a GGUF in process).")] = None,
    model: ModelOpt = None, batch_size: EpisodeBatch = None, frame_batch: FrameBatch = None,
    device: Device = None,
    renderer: Annotated[str | None, typer.Option(help="sketch (offline default) or diffusers.")] = None,
    image_model: ImageModel = None, steps: Steps = None, guidance: Guidance = None,
    size: Size = None, clip: Clip = None, ip_adapter: IpAdapter = None, reference: Reference = None,
    mp4: Mp4 = False, fast: FastOrPreset = None, subtitles: Subtitles = False,
    threads: Threads = None, max_new_tokens: MaxNewTokens = None, review: Review = True,
    n_ctx: NCtx = None, parallel: Parallel = None, reader: Reader = None,
    brief: Annotated[Path | None, typer.Option(help="The premise's reading (.json/.yaml, as in series.json 'brief'): lead, job, device, roles, places; corrects what the writer read.")] = None,
) -> None:
    """Premise -> series bible, episode scripts, storyboards, contact sheets and a shot list.

    \b
    Writes into --out (a new or empty folder):
      series.json        bible (cast, places, genre) and season plan
      episodes/          ep001.json (the Episode), ep001.fountain, ep001.fdx;
                         ep001.txt (the 短剧 layout) for Chinese seasons
      storyboards/ep001/ 1-1-1.png (a 9:16 frame per shot: scene-shot-part),
                         contact_sheet.html, contact_sheet.pdf (pdf extra),
                         storyboard.json, animatic.gif, animatic.mp4 (--mp4)
      storyboards/characters/hero.png   a reference sheet per cast role
      shotlist.csv       every shot of the season
      edit/              ep001.otio, ep001.srt, ep001.vtt (edit extra)
      writing.json       --writer llm: where each episode's text came from
      review/            index.html, ep001.html, analysis.json, assets/ (review.css,
                         review.js, font.css): pages to read the season (--no-review)
      .aiscript.json     marks the folder as aiscript's (for --resume)
    """
    from aiscript import api
    from aiscript.story.brief import load_brief, summary

    given = load_brief(brief) if brief is not None else None
    cfg = config(preset, writer=writer, model=model, renderer=renderer, image_model=image_model,
                 device=device, episode_batch=batch_size, frame_batch=frame_batch, fast=fast,
                 steps=steps, guidance=guidance, size=size, ip_adapter=ip_adapter,
                 references=reference, clip_model=clip, mp4=mp4, subtitles=subtitles,
                 threads=threads, max_new_tokens=max_new_tokens, review=review, n_ctx=n_ctx,
                 parallel=parallel, reader=reader)
    check_options(out=out_dir, device=cfg.device, size=size, clip=clip, ip_adapter=ip_adapter,
                  model=cfg.model if cfg.writer == "llm" else None,
                  image_model=cfg.image_model if cfg.renderer == "diffusers" else None)

    with progress() as bars:
        prod = api.run(premise, cfg, episodes=episodes, lang=lang, out=out_dir, seed=seed,
                       genre=genre, resume=resume, progress=bars, brief=given)

    b = prod.series.bible
    if prod.series.brief is not None:
        names = {c.id: c.name for c in b.characters}
        out.print(f"brief ({prod.series.brief.source}): "
                  f"{safe(summary(prod.series.brief, b.language, names))}",
                  highlight=False, soft_wrap=True)
    frames = sum(len(s.frames) for s in prod.storyboards)
    out.print(f"[bold]{safe(b.title)}[/] ({b.genre}, {b.language}): {len(prod.episodes)} "
              f"episodes, {frames} frames -> {safe(prod.out)}")
    _print_writing(prod.writing)
    if prod.review:
        out.print(f"review pages -> {safe(prod.review)}", highlight=False, soft_wrap=True)


def write(
    premise: Premise,
    model: Annotated[str, typer.Option(help="Causal LM: local folder or cached hub id; with --writer openai, the served model's name.")],
    episodes: Episodes = 3, lang: Lang = "auto", out_dir: OutDir = Path("out"), seed: Seed = 0,
    genre: Genre = "auto", resume: Resume = False, batch_size: BatchSize = 8, device: Device = None,
    fast: Fast = False, threads: Threads = None, max_new_tokens: MaxNewTokens = None,
    writer: Annotated[str, typer.Option(help="llm (local transformers), llamacpp (a GGUF in process) or openai (a server).")] = "llm",
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1.")] = None,
    n_ctx: NCtx = None, parallel: Parallel = None, reader: Reader = None,
) -> None:
    """Premise -> bible, season plan and episode scripts with a language model (no storyboards).

    \b
    Writes into --out (a new or empty folder):
      series.json        bible and season plan
      episodes/          ep001.json, ep001.fountain, ep001.fdx;
                         ep001.txt (the 短剧 layout) for Chinese seasons
      shotlist.csv       every shot of the season (no frames)
      edit/              ep001.otio, ep001.srt, ep001.vtt (edit extra)
      writing.json       per episode: model, rewrite, graft or fallback
      .aiscript.json     marks the folder as aiscript's (for --resume)
    """
    from aiscript import api

    cfg = config(None, writer=writer, model=model, renderer="none", episode_batch=batch_size,
                 device=device, fast=fast, threads=threads, max_new_tokens=max_new_tokens,
                 base_url=base_url, n_ctx=n_ctx, parallel=parallel, reader=reader)
    # with --writer openai, --model names the served model, not a local one
    check_options(out=out_dir, batch_size=batch_size, device=device,
                  model=model if writer == "llm" else None)

    with progress() as bars:
        prod = api.run(premise, cfg, episodes=episodes, lang=lang, out=out_dir, seed=seed,
                       genre=genre, resume=resume, progress=bars)

    w = prod.writing
    tokens = (f" ({w.new_tokens} tokens at {w.tokens_per_s:.1f} tok/s)"
              if w is not None and w.new_tokens is not None else "")
    out.print(f"[bold]{safe(prod.series.bible.title)}[/]: {len(prod.episodes)} episodes -> "
              f"{safe(prod.out)}{tokens}", highlight=False, soft_wrap=True)
    _print_writing(w)


def _print_writing(w) -> None:
    """Where the season draft and the episodes came from (writers that keep records)."""
    if w is None:
        return
    c = w.counts
    out.print(f"season draft: {w.plan}; episodes: {c['model']} drafted by the model, "
              f"{c['rewrite']} with a rewritten opening or ending, {c['graft']} grafted "
              f"from the planner, {c['fallback']} written by the planner (fallback)"
              + (f", {w.kept} kept from the earlier run" if w.kept else "")
              + "; details in writing.json", highlight=False, soft_wrap=True)
