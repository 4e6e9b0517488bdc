"""The options several commands share, each with its help text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
NCtx = Annotated[int | None, typer.Option("--n-ctx", help="--writer llamacpp: context tokens per slot (default: the model's, at most 8192).")]
Parallel = Annotated[int | None, typer.Option("--parallel", help="--writer llamacpp: episodes decoding at once in llama.cpp's slots (default 2).")]
Reader = Annotated[str | None, typer.Option("--reader", help="--writer llamacpp: who reads the premise into its brief: rules (default) or model (the model's reading, checked; the rules' where it is refused).")]
MaxNewTokens = Annotated[int | None, typer.Option(help="Token budget per generated episode (default: sized from the beat plan).")]
Preset = Annotated[str | None, typer.Option(help="Named settings: offline (default: template writer, sketch frames), gpu, or gpu-fast (llm writer and diffusers on CUDA; gpu-fast adds static cache + compile). Options given as well win.")]
EpisodeBatch = Annotated[int | None, typer.Option("--batch-size", help="Episodes per batched generation (default 8; gpu 16, gpu-fast 64).")]
FrameBatch = Annotated[int | None, typer.Option(help="Frames per diffusion batch (default 8).")]
Review = Annotated[bool, typer.Option("--review/--no-review", help="Write review/: pages to read the season in a browser (scripts, beats and frames side by side).")]
FastOrPreset = Annotated[bool | None, typer.Option("--fast/--no-fast", help="GPU fast paths: static KV cache + compile; channels_last, fused QKV, compiled UNet/VAE (default: the preset's).")]

Install = Annotated[bool, typer.Option("--install", help="pip-install the model's package if missing.")]
