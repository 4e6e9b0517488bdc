"""Throughput of the generation core: the plain library call a user would write, side by side
with aiscript's path on the same work, in one run.

    python benchmarks/run.py --quick          # CPU, scaled-down configs, about a minute
    python benchmarks/run.py --full           # CUDA: real architecture configs, random weights

Work is fixed so it does not depend on the weights: greedy decoding with EOS ignored and a
fixed number of new tokens; a fixed number of diffusion steps. Before timing, each fast arm is
checked to compute the same thing (greedy tokens equal in fp32; images within a tolerance).
Results: ``benchmarks/results/{quick,full}.json`` (a list ``comparisons`` of
``{name, baseline, aiscript, unit, speedup}``) and a markdown table on stdout.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from dataclasses import dataclass, replace
from pathlib import Path

import torch

RESULTS = Path(__file__).parent / "results"


# --------------------------------------------------------------------------- timing


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, device: torch.device, repeats: int, warmup: int = 1) -> tuple[float, object]:
    """Median wall time of ``fn`` over ``repeats`` runs after ``warmup`` runs (synchronised)."""
    out = None
    for _ in range(warmup):
        out = fn()
    sync(device)
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        sync(device)
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), out


def peak_memory_gb(device: torch.device) -> float | None:
    return torch.cuda.max_memory_allocated() / 1e9 if device.type == "cuda" else None


def machine_ceilings(device: torch.device) -> dict:
    """Measured copy bandwidth (GB/s) and bf16 matmul throughput (TFLOP/s) of this device."""
    if device.type != "cuda":
        return {}
    x = torch.empty(512 * 2**20, dtype=torch.uint8, device=device)
    y = torch.empty_like(x)
    copy_s, _ = timed(lambda: y.copy_(x), device, repeats=10)
    a = torch.randn(8192, 8192, dtype=torch.bfloat16, device=device)
    mm_s, _ = timed(lambda: a @ a, device, repeats=10)
    return {"copy_gb_s": round(2 * x.numel() / copy_s / 1e9, 1),
            "bf16_tflops": round(2 * 8192**3 / mm_s / 1e12, 1)}


# --------------------------------------------------------------------------- writer


@dataclass
class WriterWork:
    episodes: int
    prefix_tokens: int
    suffix_tokens: int
    new_tokens: int


def build_llm(config: dict, device: torch.device, dtype: torch.dtype):
    from transformers import AutoConfig, AutoModelForCausalLM

    cfg = AutoConfig.for_model(**config)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(cfg, dtype=dtype).to(device).eval()
    model.generation_config.pad_token_id = 0
    return model


def writer_prompts(work: WriterWork, vocab: int) -> list[list[int]]:
    """A shared prefix (instructions, bible, plan) and a distinct suffix per episode."""
    g = torch.Generator().manual_seed(0)
    prefix = torch.randint(10, vocab, (work.prefix_tokens,), generator=g).tolist()
    return [prefix + torch.randint(10, vocab, (work.suffix_tokens,), generator=g).tolist()
            for _ in range(work.episodes)]


def plain_generate_loop(model, prompts: list[list[int]], new_tokens: int) -> list[list[int]]:
    """What a user would write: one ``generate`` per episode, greedy, EOS ignored."""
    out = []
    for p in prompts:
        ids = torch.tensor([p], device=model.device)
        gen = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens,
                             min_new_tokens=new_tokens, do_sample=False)
        out.append(gen[0, len(p):].tolist())
    return out


class _NoTokenizer:
    """The generator only needs a pad id here: prompts are token ids already."""

    pad_token_id = 0
    eos_token_id = 1

    def decode(self, ids, skip_special_tokens=True):
        return ""


def aiscript_generate(model, prompts, new_tokens, batch, static_cache=False, compile=False,
                      generator=None):
    from aiscript.backends.hf_text import TransformersGenerator

    gen = generator or TransformersGenerator(model, _NoTokenizer(), static_cache=static_cache,
                                             compile=compile)
    out = []
    for i in range(0, len(prompts), batch):
        res = gen.generate_ids(prompts[i : i + batch], max_new_tokens=new_tokens,
                               ignore_eos=True, share_prefix=True)
        out += [r.tokens for r in res]
    return out, gen


def bench_writer(name: str, config: dict, work: WriterWork, device, dtype, repeats: int,
                 batches: list[int], static_cache: bool = False,
                 compile: bool = False) -> list[dict]:
    model = build_llm(config, device, dtype)
    prompts = writer_prompts(work, config["vocab_size"])
    # 1. check: aiscript's tokens equal the plain loop's (fp32 greedy), before any timing
    if dtype == torch.float32:
        check = prompts[: min(4, len(prompts))]
        ref = plain_generate_loop(model, check, min(work.new_tokens, 16))
        got, _ = aiscript_generate(model, check, min(work.new_tokens, 16), batch=len(check),
                                   static_cache=static_cache)
        assert ref == got, f"{name}: aiscript's greedy tokens differ from generate()"
    total = work.episodes * work.new_tokens
    base_s, _ = timed(lambda: plain_generate_loop(model, prompts, work.new_tokens), device,
                      repeats, warmup=1)
    rows = []
    for b in batches:
        _, gen = aiscript_generate(model, prompts[:b], 2, b, static_cache=static_cache,
                                   compile=compile)
        t0 = time.perf_counter()
        aiscript_generate(model, prompts[:b], work.new_tokens, b, generator=gen)  # warm-up/compile
        warm_s = time.perf_counter() - t0
        s, _ = timed(lambda gen=gen, b=b: aiscript_generate(model, prompts, work.new_tokens, b,
                                                            generator=gen), device, repeats, 0)
        ttft, _ = timed(lambda gen=gen, b=b: aiscript_generate(model, prompts[:b], 1, b,
                                                               generator=gen), device, repeats, 0)
        rows.append({
            "name": f"{name} writer, batch {b}"
                    + (" + static cache" if static_cache else "") + (" + compile" if compile else ""),
            "baseline": round(total / base_s, 1), "aiscript": round(total / s, 1),
            "unit": "tok/s", "speedup": round(base_s / s, 2),
            "time_to_first_token_s": round(ttft, 4), "warmup_s": round(warm_s, 2),
            "peak_memory_gb": peak_memory_gb(device),
            "weight_gb": round(sum(p.numel() * p.element_size() for p in model.parameters()) / 1e9, 3),
        })
    return rows


# --------------------------------------------------------------------------- storyboard


def build_pipe(kind: str, device, dtype):
    """A text-to-image pipeline with random weights: the tiny test family, or real SD configs."""
    import tempfile

    from diffusers import StableDiffusionPipeline

    from aiscript.tiny import build_tiny_sd

    if kind == "tiny":
        path = build_tiny_sd(Path(tempfile.mkdtemp()) / "sd")
        pipe = StableDiffusionPipeline.from_pretrained(path, dtype=dtype)
    else:
        pipe = _pipe_from_configs(kind, dtype)
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(device)


def _pipe_from_configs(kind: str, dtype):

    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        StableDiffusionXLPipeline,
        UNet2DConditionModel,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTextModelWithProjection,
    )

    from aiscript.tiny import architecture_config, clip_tokenizer

    cfg = architecture_config(kind)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**cfg["unet"])
    vae = AutoencoderKL(**cfg["vae"])
    tok = clip_tokenizer()
    text_cfg = {**cfg["text_encoder"], "vocab_size": max(len(tok), 49408)}
    sched = EulerDiscreteScheduler(**cfg.get("scheduler", {}))
    if "text_encoder_2" in cfg:
        te = CLIPTextModel(CLIPTextConfig(**text_cfg))
        te2 = CLIPTextModelWithProjection(CLIPTextConfig(**{**cfg["text_encoder_2"],
                                                            "vocab_size": text_cfg["vocab_size"]}))
        pipe = StableDiffusionXLPipeline(vae=vae, text_encoder=te, text_encoder_2=te2, tokenizer=tok,
                                         tokenizer_2=tok, unet=unet, scheduler=sched)
    else:
        pipe = StableDiffusionPipeline(vae=vae, text_encoder=CLIPTextModel(CLIPTextConfig(**text_cfg)),
                                       tokenizer=tok, unet=unet, scheduler=sched,
                                       safety_checker=None, feature_extractor=None,
                                       requires_safety_checker=False)
    return pipe.to(dtype)


def bench_storyboard(name: str, kind: str, frames: int, steps: int, guidance: float, size,
                     device, dtype, repeats: int, batch: int, fast: bool) -> list[dict]:
    import numpy as np

    from aiscript.schema import Premise
    from aiscript.storyboard import frame_specs
    from aiscript.storyboard.diffusion import DiffusersRenderer
    from aiscript.writing.template import TemplateWriter

    series, eps = TemplateWriter().write(Premise(text="Ava Lin marries a stranger, Ethan Gu.",
                                                 language="en", episodes=1))
    # prompts short enough for the plain call's 77-token truncation, so both arms do the same
    # work (the character-level test tokenizer makes the full prompts overflow)
    specs = [replace(s, parts=(("characters", f"person {i % 5}"), ("camera", s.shot.size.value)))
             for i, s in enumerate(frame_specs(series.bible, eps[0])[:frames])]
    pipe = build_pipe(kind, device, dtype)
    plain_r = DiffusersRenderer(pipe, gen_size=size, steps=steps, guidance=guidance, batch_size=1)
    prompts = [plain_r.fit(s)[0] for s in specs]

    def plain():
        # what a user would write: one pipe(prompt) per frame, its own seeded generator
        return [pipe(p, height=size[1], width=size[0], num_inference_steps=steps,
                     guidance_scale=guidance, negative_prompt=plain_r.negative_prompt if guidance > 1 else None,
                     generator=torch.Generator().manual_seed(s.seed)).images[0]
                for p, s in zip(prompts, specs, strict=True)]

    ours = DiffusersRenderer(pipe, gen_size=size, steps=steps, guidance=guidance, batch_size=batch)
    # 1. check the batched path against the plain call (same seeds) before timing
    a = plain()[:2]
    b = ours.render(specs[:2])
    for x, y in zip(a, b, strict=True):
        x = x.crop(((x.width - y.width) // 2, (x.height - y.height) // 2,
                    (x.width - y.width) // 2 + y.width, (x.height - y.height) // 2 + y.height))
        diff = np.abs(np.asarray(x, dtype=np.int16) - np.asarray(y, dtype=np.int16))
        assert diff.mean() < (1.0 if dtype == torch.float32 else 4.0), f"{name}: images differ"
    base_s, _ = timed(plain, device, repeats, warmup=1)
    rows = []
    arms = [("batched", {})]
    if fast:
        arms.append(("batched + channels_last + fused QKV + compile",
                     {"channels_last": True, "fuse_qkv": True, "compile": device.type == "cuda"}))
    for label, opts in arms:
        r = DiffusersRenderer(build_pipe(kind, device, dtype) if opts else pipe, gen_size=size,
                              steps=steps, guidance=guidance, batch_size=batch, **opts)
        t0 = time.perf_counter()
        r.render(specs[:batch])  # warm-up (and compile)
        warm = time.perf_counter() - t0
        r._embeds.clear()  # time the embeddings too: computed once per unique prompt per run
        s, _ = timed(lambda r=r: (r._embeds.clear(), r.render(specs)), device, repeats, 0)
        unet_its = frames * steps * (2 if guidance > 1 else 1) / s
        rows.append({
            "name": f"{name} storyboard, {label}, batch {batch}",
            "baseline": round(frames / base_s, 3), "aiscript": round(frames / s, 3),
            "unit": "images/s", "speedup": round(base_s / s, 2),
            "unet_it_s": round(unet_its, 1), "warmup_s": round(warm, 2),
            "peak_memory_gb": peak_memory_gb(device),
        })
    return rows


# --------------------------------------------------------------------------- main


def quick(device) -> list[dict]:
    """Scaled-down configs on CPU: the same code paths as the full run, in about a minute."""
    small = {"model_type": "qwen2", "hidden_size": 256, "intermediate_size": 704,
             "num_hidden_layers": 4, "num_attention_heads": 4, "num_key_value_heads": 2,
             "vocab_size": 4096, "tie_word_embeddings": True, "max_position_embeddings": 4096}
    work = WriterWork(episodes=8, prefix_tokens=384, suffix_tokens=32, new_tokens=32)
    rows = bench_writer("Qwen2-style (scaled down)", small, work, device, torch.float32,
                        repeats=3, batches=[8])
    rows += bench_writer("Qwen2-style (scaled down)", small, work, device, torch.float32,
                         repeats=3, batches=[8], static_cache=True)
    rows += bench_storyboard("tiny SD", "tiny", frames=8, steps=2, guidance=5.0, size=(72, 128),
                             device=device, dtype=torch.float32, repeats=3, batch=8, fast=False)
    return rows


def full(device) -> list[dict]:
    from aiscript.tiny import architecture_config

    rows = []
    work = WriterWork(episodes=64, prefix_tokens=512, suffix_tokens=64, new_tokens=128)
    for name in ("qwen2.5-0.5b", "qwen2.5-1.5b", "llama-3.2-1b"):
        cfg = architecture_config(name)
        rows += bench_writer(name, cfg, work, device, torch.bfloat16, repeats=5,
                             batches=[1, 64], static_cache=True, compile=True)
    for name, kind, steps, guidance, size in (
        ("SD 1.5", "sd15", 30, 7.0, (512, 896)),
        ("SD-Turbo class (SD 2.1 UNet)", "sd21", 1, 0.0, (512, 896)),
        ("SDXL", "sdxl", 30, 6.0, (768, 1344)),
    ):
        for batch in (1, 8):
            rows += bench_storyboard(name, kind, frames=16, steps=steps, guidance=guidance,
                                     size=size, device=device, dtype=torch.float16, repeats=5,
                                     batch=batch, fast=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--quick", action="store_true", help="CPU, scaled-down configs")
    mode.add_argument("--full", action="store_true", help="CUDA, real architecture configs")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    device = torch.device("cuda" if args.full else "cpu")
    if args.full and not torch.cuda.is_available():
        raise SystemExit("--full needs a CUDA GPU; run --quick on a CPU")
    torch.set_grad_enabled(False)
    t0 = time.perf_counter()
    rows = quick(device) if args.quick else full(device)
    import diffusers
    import transformers

    import aiscript

    result = {
        "mode": "quick" if args.quick else "full",
        "hardware": {"device": torch.cuda.get_device_name() if device.type == "cuda"
                     else platform.processor() or platform.machine(),
                     "cpu_threads": torch.get_num_threads(), **machine_ceilings(device)},
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "diffusers": diffusers.__version__, "aiscript": aiscript.__version__,
                     "python": platform.python_version()},
        "seconds": round(time.perf_counter() - t0, 1),
        "comparisons": rows,
    }
    out = args.out or RESULTS / f"{result['mode']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("| comparison | plain call | aiscript | unit | speedup |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['name']} | {r['baseline']} | {r['aiscript']} | {r['unit']} | {r['speedup']}x |")
    print(f"\n{result['hardware']} · {result['seconds']} s · written to {out}")


if __name__ == "__main__":
    main()
