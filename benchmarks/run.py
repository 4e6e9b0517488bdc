"""Throughput of the generation core against the strongest plain recipe, arms interleaved.

    python benchmarks/run.py --quick                   # CPU, one thread, scaled-down configs
    python benchmarks/run.py --quick --rounds 9 --out benchmarks/results/quick.json
    python benchmarks/run.py --full --out full.json    # CUDA: real architecture configs

Method (PERF.md): work fixed so it does not depend on the weights (greedy; rows end where
their grammar ends, the same in every arm; a fixed number of diffusion steps); every arm
checked to compute the same thing before timing (greedy tokens equal in fp32, within a
tolerance in bf16; images within a tolerance); one warm-up run each, then rounds in which
every arm runs once, the order rotating; min / median / max per arm and, per round, the
ratio of the strongest plain arm (lowest minimum) to aiscript. Results go to ``--out``
(default: the ignored ``benchmarks/results/local/``) and a markdown table on stdout.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import torch

LOCAL = Path(__file__).parent / "results" / "local"


# --------------------------------------------------------------------------- timing


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def interleaved(arms: dict[str, Callable[[], object]], device: torch.device,
                rounds: int) -> dict[str, list[float]]:
    """Seconds per arm per round: every arm once a round, the order rotating each round so
    no arm always follows the same neighbour on a shared machine."""
    names = list(arms)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            sync(device)
            t = time.perf_counter()
            arms[name]()
            sync(device)
            times[name].append(time.perf_counter() - t)
    return times


def summary(times: dict[str, list[float]], ours: str, unit_work: float, unit: str) -> dict:
    """Per-arm min/median/max (and every round's seconds) and the ratio of the strongest
    plain arm to ours, computed round by round (so one noisy round moves one ratio, not all).
    The strongest arm is the one with the lowest minimum: on a shared machine the minimum is
    the least disturbed figure."""
    arms = {n: {"min_s": round(min(t), 4), "median_s": round(statistics.median(t), 4),
                "max_s": round(max(t), 4), "rounds_s": [round(x, 4) for x in t],
                f"median_{unit}": round(unit_work / statistics.median(t), 2)}
            for n, t in times.items()}
    plain = [n for n in times if not n.startswith(ours)]
    strongest = min(plain, key=lambda n: min(times[n]))
    per_round = [b / a for a, b in zip(times[ours], times[strongest], strict=True)]
    return {"arms": arms, "strongest_plain": strongest,
            "speedup_vs_strongest": {"min": round(min(per_round), 2),
                                     "median": round(statistics.median(per_round), 2),
                                     "max": round(max(per_round), 2)},
            "speedup_vs_each": {n: round(statistics.median(times[n]) / statistics.median(
                times[ours]), 2) for n in times if n != ours}}


def peak_memory_gb(device: torch.device) -> float | None:
    return round(torch.cuda.max_memory_allocated() / 1e9, 2) if device.type == "cuda" else None


def machine_ceilings(device: torch.device) -> dict:
    """Measured copy bandwidth (GB/s) and bf16 matmul throughput (TFLOP/s) of this device."""
    if device.type != "cuda":
        return {}
    x = torch.empty(512 * 2**20, dtype=torch.uint8, device=device)
    y = torch.empty_like(x)
    a = torch.randn(8192, 8192, dtype=torch.bfloat16, device=device)
    t = interleaved({"copy": lambda: y.copy_(x), "mm": lambda: a @ a}, device, 10)
    return {"copy_gb_s": round(2 * x.numel() / min(t["copy"]) / 1e9, 1),
            "bf16_tflops": round(2 * 8192**3 / min(t["mm"]) / 1e12, 1)}


# --------------------------------------------------------------------------- writer


@dataclass
class WriterWork:
    episodes: int
    prefix_tokens: int  # instructions + bible + plan, shared by every episode's prompt
    suffix_tokens: int  # the episode's own part of the prompt
    min_chars: int  # each episode's text is a JSON string of an exact length between these:
    max_chars: int  # the grammar ends rows at different steps (ragged budgets)


def build_llm(config: dict, device, dtype, vocab: int):
    from transformers import AutoConfig, AutoModelForCausalLM

    cfg = AutoConfig.for_model(**{**config, "vocab_size": max(vocab, config.get("vocab_size", 0))},
                               initializer_range=0.4)  # wide enough that greedy text varies
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(cfg, dtype=dtype).to(device).eval()
    return model


def writer_setup(config: dict, work: WriterWork, device, dtype):
    """Model, tokenizer, prompts and one compiled grammar per episode (a JSON object whose
    ``scene`` string has that episode's exact length)."""
    import xgrammar as xgr

    from aiscript.backends.tiny import build_tokenizer

    tok = build_tokenizer()
    model = build_llm(config, device, dtype, len(tok))
    vocab = model.config.vocab_size
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.pad_token_id = tok.pad_token_id
    g = torch.Generator().manual_seed(0)
    words = list(range(10, len(tok)))
    pick = lambda n: [words[i] for i in torch.randint(len(words), (n,), generator=g)]  # noqa: E731
    prefix = pick(work.prefix_tokens)
    prompts = [prefix + pick(work.suffix_tokens) for _ in range(work.episodes)]
    step = (work.max_chars - work.min_chars) / max(1, work.episodes - 1)
    lengths = [round(work.min_chars + step * i) for i in range(work.episodes)]
    lengths = lengths[::2] + lengths[1::2]  # long and short episodes mixed in the batch
    schemas = [json.dumps({"type": "object", "properties": {"scene": {
        "type": "string", "minLength": n, "maxLength": n}}, "required": ["scene"],
        "additionalProperties": False}) for n in lengths]
    info = xgr.TokenizerInfo.from_huggingface(tok, vocab_size=vocab,
                                              stop_token_ids=[tok.eos_token_id])
    compiler = xgr.GrammarCompiler(info)
    grammars = [compiler.compile_json_schema(s, any_whitespace=False, strict_mode=True)
                for s in schemas]
    return model, tok, prompts, schemas, grammars


def _until_eos(row: list[int], eos: int) -> list[int]:
    return row[: row.index(eos) + 1] if eos in row else row


def hf_loop(model, prompts, grammars, budget):
    """One ``generate`` per episode, with xgrammar's HF logits processor."""
    from xgrammar.contrib.hf import LogitsProcessor

    out = []
    for p, g in zip(prompts, grammars, strict=True):
        ids = torch.tensor([p], device=model.device)
        gen = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=budget,
                             do_sample=False, logits_processor=[LogitsProcessor(g)])
        out.append(gen[0, len(p):].tolist())
    return out


def hf_batched(model, prompts, grammars, budget, cache_implementation=None):
    """One batched ``generate`` with left padding (and optionally a static, compiled cache)."""
    from xgrammar.contrib.hf import LogitsProcessor

    width = max(len(p) for p in prompts)
    pad = model.generation_config.pad_token_id
    ids = torch.tensor([[pad] * (width - len(p)) + p for p in prompts], device=model.device)
    mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts],
                        device=model.device)
    kw = {"cache_implementation": cache_implementation} if cache_implementation else {}
    gen = model.generate(ids, attention_mask=mask, max_new_tokens=budget, do_sample=False,
                         logits_processor=[LogitsProcessor(list(grammars))], **kw)
    return gen[:, width:].tolist()


def hf_prefix_reuse(model, prompts, grammars, budget, shared: int):
    """HF's prefix-reuse recipe: prefill the shared prefix once, repeat its cache for the
    batch (``batch_repeat_interleave``), one batched ``generate`` over the full prompts."""
    from transformers import DynamicCache
    from xgrammar.contrib.hf import LogitsProcessor

    prefix = torch.tensor([prompts[0][:shared]], device=model.device)
    cache = model(prefix, past_key_values=DynamicCache(config=model.config)).past_key_values
    cache = copy.deepcopy(cache)
    cache.batch_repeat_interleave(len(prompts))
    ids = torch.tensor(prompts, device=model.device)  # equal lengths: no padding needed
    gen = model.generate(ids, attention_mask=torch.ones_like(ids), past_key_values=cache,
                         max_new_tokens=budget, do_sample=False,
                         logits_processor=[LogitsProcessor(list(grammars))])
    return gen[:, ids.shape[1]:].tolist()


class ContinuousBatching:
    """transformers' own continuous batching (``ContinuousBatchingManager``), kept running so
    its one-time warm-up is not timed. It takes no user logits processor, so it runs the same
    per-episode budgets without the grammar (a lower bound on its time with one)."""

    def __init__(self, model, budget: int) -> None:
        from transformers import GenerationConfig

        cfg = GenerationConfig(max_new_tokens=budget, do_sample=False, eos_token_id=None,
                               pad_token_id=model.generation_config.pad_token_id)
        self.manager = model.init_continuous_batching(generation_config=cfg)
        self.manager.start()

    def __call__(self, prompts, budgets):
        ids = [self.manager.add_request(p, max_new_tokens=n)
               for p, n in zip(prompts, budgets, strict=True)]
        done = {}
        while len(done) < len(ids):
            r = self.manager.get_result(timeout=0.005)
            if r is not None and r.is_finished():
                done[r.request_id] = r.generated_tokens
        return [list(done[i]) for i in ids]

    def stop(self) -> None:
        self.manager.stop(block=True)


def bench_writer(name: str, config: dict, work: WriterWork, device, dtype, rounds: int,
                 compile_static: bool = False) -> dict:
    from aiscript.backends.hf_text import TransformersGenerator, _common_prefix

    model, tok, prompts, schemas, grammars = writer_setup(config, work, device, dtype)
    gen = TransformersGenerator(model, tok)
    budget = work.max_chars + 16  # enough for any row: its grammar ends it first
    eos = tok.eos_token_id
    shared = _common_prefix(prompts)

    def ours():
        res = gen.generate_ids(prompts, max_new_tokens=budget, schema=schemas)
        return [r.tokens for r in res]

    arms = {
        "generate loop": lambda: hf_loop(model, prompts, grammars, budget),
        "batched generate": lambda: hf_batched(model, prompts, grammars, budget),
        "HF prefix reuse": lambda: hf_prefix_reuse(model, prompts, grammars, budget, shared),
    }
    if work.episodes > 8:  # one sequence at a time is hopeless there, and takes the whole budget
        del arms["generate loop"]
    if compile_static:  # transformers compiles the decode step itself with a static cache
        arms["batched generate + static cache + compile"] = lambda: hf_batched(
            model, prompts, grammars, budget, cache_implementation="static")
        fast = TransformersGenerator(model, tok, TransformersGenerator.Options(
            static_cache=True, compile=True))
        arms["aiscript (static cache + compile)"] = lambda: [r.tokens for r in fast.generate_ids(
            prompts, max_new_tokens=budget, schema=schemas)]
    # 1. check every arm against ours before timing (greedy: tokens equal in fp32; in bf16
    # batched kernels may flip near-ties, so a share of equal rows is reported instead)
    t0 = time.perf_counter()
    want = ours()
    warmup_s = {"aiscript": round(time.perf_counter() - t0, 2)}
    assert all(r[-1] == eos for r in want), f"{name}: a row did not reach its grammar's end"
    lengths = [len(r) for r in want]
    checks = {}
    for arm, fn in arms.items():
        t0 = time.perf_counter()
        got = [_until_eos(r, eos) for r in fn()]
        warmup_s[arm] = round(time.perf_counter() - t0, 2)
        checks[arm] = _agree(name, arm, got, want, dtype)
    # 2. transformers' continuous batching: same budgets, no grammar; checked against ours
    # on the same grammar-free work
    cb = None
    if hasattr(model, "init_continuous_batching"):
        cb = ContinuousBatching(model, budget)
        free = [r.tokens for r in gen.generate_ids(prompts, max_new_tokens=lengths,
                                                   ignore_eos=True)]
        t0 = time.perf_counter()
        got = cb(prompts, lengths)
        warmup_s["transformers continuous batching (no grammar)"] = round(
            time.perf_counter() - t0, 2)
        checks["transformers continuous batching (no grammar)"] = _agree(
            name, "continuous batching", got, free, dtype)
        arms["transformers continuous batching (no grammar)"] = lambda: cb(prompts, lengths)
    arms["aiscript"] = ours
    # 3. time, interleaved
    times = interleaved(arms, device, rounds)
    if cb:
        cb.stop()
    result = summary(times, "aiscript", sum(lengths), "tok_s")
    result.update(name=f"{name} writer", unit="new tokens/s", new_tokens=sum(lengths),
                  budgets=f"{min(lengths)}-{max(lengths)} tokens per episode (grammar-ended)",
                  prompt_tokens=f"{work.prefix_tokens} shared + {work.suffix_tokens} own",
                  episodes=work.episodes, rounds=rounds, equal=checks, warmup_s=warmup_s,
                  peak_memory_gb=peak_memory_gb(device))
    return result


def _agree(name: str, arm: str, got: list[list[int]], want: list[list[int]], dtype) -> str:
    equal = sum(g == w for g, w in zip(got, want, strict=True))
    if dtype == torch.float32:
        assert equal == len(want), f"{name}: {arm} gives other greedy tokens than aiscript"
        return "tokens equal (fp32 greedy)"
    first = [next((i for i, (a, b) in enumerate(zip(g, w, strict=False)) if a != b), min(len(g), len(w)))
             for g, w in zip(got, want, strict=True)]
    return f"{equal}/{len(want)} rows equal; first difference at token {min(first)} (bf16)"


# --------------------------------------------------------------------------- storyboard


def build_pipe(kind: str, device, dtype):
    """A text-to-image pipeline with random weights: the tiny test family, or real SD configs."""
    from diffusers import StableDiffusionPipeline

    from aiscript.backends.tiny import build_tiny_sd

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
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel

    from aiscript.backends.tiny import architecture_config, clip_tokenizer

    cfg = architecture_config(kind)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**cfg["unet"])
    vae = AutoencoderKL(**cfg["vae"])
    tok = clip_tokenizer()
    text_cfg = {**cfg["text_encoder"], "vocab_size": max(len(tok), 49408)}
    sched = EulerDiscreteScheduler(**cfg.get("scheduler", {}))
    pipe = StableDiffusionPipeline(vae=vae, text_encoder=CLIPTextModel(CLIPTextConfig(**text_cfg)),
                                   tokenizer=tok, unet=unet, scheduler=sched, safety_checker=None,
                                   feature_extractor=None, requires_safety_checker=False)
    return pipe.to(dtype)


def bench_storyboard(name: str, kind: str, frames: int, steps: int, guidance: float, size,
                     device, dtype, rounds: int, batch: int, fast: bool = False,
                     season: int = 0) -> dict:
    """Frames through a plain per-frame loop, plain batched ``pipe()`` calls and aiscript.

    ``season=0``: ``frames`` distinct frames (equal work in every arm: the generation core).
    ``season=N``: every frame of an N-episode season, with the repeats a real season has (a
    lead's close-up in one location recurs: the same prompt and seed), which aiscript draws
    once; the per-frame loop is left out."""
    import numpy as np

    from aiscript.drafting.template import TemplateWriter
    from aiscript.schema import Premise
    from aiscript.storyboard import frame_specs
    from aiscript.storyboard.diffusion import DiffusersRenderer
    from aiscript.storyboard.frames import render_storyboards

    series, eps = TemplateWriter().write(Premise(text="Ava Lin marries a stranger, Ethan Gu.",
                                                 language="en", episodes=max(1, season)))
    # prompts short enough for the plain call's 77-token truncation, so every arm does the
    # same work (the character-level test tokenizer makes the full prompts overflow)
    if season:  # the real frames' repeats: one short prompt per distinct full prompt and seed
        eps = eps[:season]
        looks: dict[tuple[str, int], int] = {}  # (full prompt, seed) -> short prompt's number

        def short(s):
            look = looks.setdefault((s.prompt, s.seed), len(looks))
            return replace(s, parts=(("characters", f"person {look}"),
                                     ("camera", s.shot.size.value)))

        specs = [[short(s) for s in frame_specs(series.bible, ep)] for ep in eps]
    else:
        eps = eps[:1]
        specs = [[replace(s, parts=(("characters", f"person {i}"),
                                    ("camera", s.shot.size.value)))
                  for i, s in enumerate(frame_specs(series.bible, eps[0])[:frames])]]
    flat = [s for episode in specs for s in episode]
    frames = len(flat)
    pipe = build_pipe(kind, device, dtype)
    ours_r = DiffusersRenderer(pipe, gen_size=size, steps=steps, guidance=guidance,
                               batch_size=batch, channels_last=fast, fuse_qkv=fast,
                               compile=fast and device.type == "cuda")
    prompts = [ours_r.fit(s)[0] for s in flat]
    distinct = len({ours_r.identity(s) for s in flat})
    if not season:
        assert distinct == frames, "the core comparison needs distinct frames"
    negative = ours_r.negative_prompt if guidance > 1 else None
    out = Path(tempfile.mkdtemp())
    common = dict(height=size[1], width=size[0], num_inference_steps=steps, guidance_scale=guidance)
    names = [f"{i:04d}.png" for i in range(frames)]

    def save(images, folder):  # what a user's script does with the images: PNG files
        folder.mkdir(exist_ok=True)
        for name, im in zip(names, images, strict=True):
            im.save(folder / name)
        return images

    def loop():
        return save([pipe(p, negative_prompt=negative, generator=torch.Generator().manual_seed(
            s.seed), **common).images[0] for p, s in zip(prompts, flat, strict=True)],
            out / "loop")

    def batched():
        images = []
        for i in range(0, frames, batch):
            part = flat[i : i + batch]
            images += pipe(prompts[i : i + batch], negative_prompt=[negative] * len(part)
                           if negative else None,
                           generator=[torch.Generator().manual_seed(s.seed) for s in part],
                           **common).images
        return save(images, out / "batched")

    folders = [out / "ours" / f"ep{e.number:03d}" for e in eps]

    def ours():
        ours_r.forget()  # embeddings count: each run encodes its prompts again
        return render_storyboards(series.bible, eps, ours_r, folders, batch_size=batch,
                                  specs=specs)

    # 1. check: the same seeds give the same pictures (centre-crop of the plain images)
    boards = ours()
    mine = [_png(folder / f.image) for folder, b in zip(folders, boards, strict=True)
            for f in b.frames]
    plain = {"batched": batched} if season else {"loop": loop, "batched": batched}
    for arm, fn in plain.items():
        for x, y in zip(fn(), mine, strict=True):
            x = np.asarray(x.crop(((x.width - y.shape[1]) // 2, (x.height - y.shape[0]) // 2,
                                   (x.width + y.shape[1]) // 2, (x.height + y.shape[0]) // 2)),
                           dtype=np.int16)
            diff = float(np.abs(x - y).mean())
            assert diff < (1.0 if dtype == torch.float32 else 4.0), f"{name}: {arm} differs"
    arms = {"batched pipe()": batched, "aiscript": ours}
    if not season:
        arms = {"per-frame pipe() loop": loop, **arms}
    times = interleaved(arms, device, rounds)
    result = summary(times, "aiscript", frames, "images_s")
    what = f"a {season}-episode season's frames" if season else "distinct frames"
    result.update(name=f"{name} storyboard, {what}, batch {batch}"
                  + (" (fast paths)" if fast else ""),
                  unit="images/s", frames=frames, distinct_frames=distinct, steps=steps,
                  size=f"{size[0]}x{size[1]}", rounds=rounds,
                  equal="pixels within 1/255 mean (fp32)", peak_memory_gb=peak_memory_gb(device))
    return result


def _png(path: Path):
    import numpy as np
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"), dtype=np.int16)


# --------------------------------------------------------------------------- main

SMALL_QWEN = {"model_type": "qwen2", "hidden_size": 384, "intermediate_size": 1024,
              "num_hidden_layers": 4, "num_attention_heads": 6, "num_key_value_heads": 2,
              "tie_word_embeddings": True, "max_position_embeddings": 4096}


def quick(device, rounds: int, only: str | None = None) -> list[dict]:
    """Scaled-down configs on CPU, decode-dominated: 8 episodes sharing a 512-token prefix,
    each decoding a grammar-bound JSON string whose length differs per episode."""
    work = WriterWork(episodes=8, prefix_tokens=512, suffix_tokens=32, min_chars=48,
                      max_chars=560)
    rows = []
    if only in (None, "writer"):
        rows.append(bench_writer("Qwen2-style (scaled down)", SMALL_QWEN, work, device,
                                 torch.float32, rounds))
    if only in (None, "storyboard"):
        for season in (0, 12):  # the core at equal work; a season with its repeats
            rows.append(bench_storyboard("tiny SD", "tiny", frames=16, steps=2, guidance=5.0,
                                         size=(72, 128), device=device, dtype=torch.float32,
                                         rounds=rounds, batch=8, season=season))
    return rows


def full(device, rounds: int, only: str | None = None,
         models: tuple[str, ...] = ("qwen2.5-0.5b", "qwen2.5-1.5b", "sd15", "sd21")) -> list[dict]:
    """Real architecture configs on CUDA in bf16 / fp16 (tokens compared within a tolerance).
    ``models`` picks a part (one call per model fits a 10-minute slot)."""
    from aiscript.backends.tiny import architecture_config

    rows = []
    llms = [m for m in ("qwen2.5-0.5b", "qwen2.5-1.5b") if m in models]
    for name in llms if only in (None, "writer") else ():
        for episodes in (1, 64):
            work = WriterWork(episodes=episodes, prefix_tokens=1536, suffix_tokens=64,
                              min_chars=600, max_chars=1800)
            rows.append(bench_writer(f"{name}, {episodes} episodes", architecture_config(name),
                                     work, device, torch.bfloat16, rounds, compile_static=True))
    boards = [b for b in (("SD 1.5", "sd15", 30, 7.0), ("SD-Turbo class (SD 2.1 UNet)", "sd21",
                                                         1, 0.0)) if b[1] in models]
    for name, kind, steps, guidance in boards if only in (None, "storyboard") else ():
        rows.append(bench_storyboard(name, kind, frames=32, steps=steps, guidance=guidance,
                                     size=(512, 896), device=device, dtype=torch.float16,
                                     rounds=rounds, batch=8, fast=True))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--quick", action="store_true", help="CPU, scaled-down configs")
    mode.add_argument("--full", action="store_true", help="CUDA, real architecture configs")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (at least 5)")
    ap.add_argument("--threads", type=int, default=None,
                    help="CPU threads for torch (default 1: a shared machine makes more spin)")
    ap.add_argument("--only", choices=["writer", "storyboard"], default=None)
    ap.add_argument("--models", default="qwen2.5-0.5b,qwen2.5-1.5b,sd15,sd21",
                    help="--full: which configs (comma-separated)")
    ap.add_argument("--out", type=Path, default=None,
                    help="results JSON (default: benchmarks/results/local/MODE.json)")
    args = ap.parse_args()
    if args.rounds < 5:
        ap.error("--rounds must be at least 5: fewer rounds cannot show the noise")
    device = torch.device("cuda" if args.full else "cpu")
    if args.full and not torch.cuda.is_available():
        raise SystemExit("--full needs a CUDA GPU; run --quick on a CPU")
    torch.set_num_threads(args.threads or (1 if device.type == "cpu" else torch.get_num_threads()))
    torch.set_grad_enabled(False)
    t0 = time.perf_counter()
    rows = (quick(device, args.rounds, args.only) if args.quick
            else full(device, args.rounds, args.only, tuple(args.models.split(","))))
    import diffusers
    import transformers

    import aiscript

    result = {
        "mode": "quick" if args.quick else "full",
        "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
        "hardware": {"device": torch.cuda.get_device_name() if device.type == "cuda"
                     else platform.processor() or platform.machine(),
                     "torch_threads": torch.get_num_threads(), **machine_ceilings(device)},
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "diffusers": diffusers.__version__, "aiscript": aiscript.__version__,
                     "python": platform.python_version()},
        "seconds": round(time.perf_counter() - t0, 1),
        "comparisons": rows,
    }
    out = args.out or LOCAL / f"{result['mode']}{'-' + args.only if args.only else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(table(rows))
    print(f"\n{result['hardware']} · {result['seconds']} s · written to {out}")


def table(rows: list[dict]) -> str:
    lines = ["| comparison | strongest plain arm | aiscript vs it: min / median / max | "
             "vs every other arm (median) |", "|---|---|---|---|"]
    for r in rows:
        s = r["speedup_vs_strongest"]
        each = ", ".join(f"{k} {v}x" for k, v in r["speedup_vs_each"].items())
        lines.append(f"| {r['name']} | {r['strongest_plain']} | {s['min']}x / {s['median']}x / "
                     f"{s['max']}x | {each} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
