"""Storyboard frames from a diffusers text-to-image pipeline (SD 1.5, SD 2.x, SDXL, Turbo/LCM).

Every frame keeps its own seeded generator, so a frame is the same whether rendered alone or
in a batch; text embeddings are computed once per unique prompt; frames render in batches, and
on CUDA out-of-memory the batch is halved and the work goes on.

    renderer = DiffusersRenderer.from_pretrained("stabilityai/sd-turbo", steps=1, guidance=0)
    board = render_storyboard(bible, episode, renderer, "boards/ep001")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
from pydantic import BaseModel, ConfigDict, Field

from aiscript.backends.modelhub import local_only, missing_path
from aiscript.errors import AiscriptError, first_line
from aiscript.storyboard.frames import render_in_batches
from aiscript.storyboard.prompts import fit_prompt
from aiscript.storyboard.renderer import FrameRenderer, FrameSpec, PreparedFrame

NEGATIVE = "text, watermark, subtitles, logo, deformed face, extra fingers, blurry"
# Generation sizes per family (multiples of 64, close to 9:16); frames are then centre-cropped
# to exactly 9:16.
FAMILY_SIZE = {"sd15": (512, 896), "sd2": (576, 1024), "sd2-512": (512, 896), "sdxl": (768, 1344)}
FAMILY_STEPS = {"sd15": (30, 7.0), "sd2": (30, 7.0), "sd2-512": (30, 7.0), "sdxl": (30, 6.0)}
FEW_STEP = (1, 0.0)


def family_of(pipe) -> str:
    """The architecture: sd15, sd2 (768), sd2-512 or sdxl, from the pipeline's own config."""
    if "XL" in type(pipe).__name__:
        return "sdxl"
    if pipe.unet.config.cross_attention_dim == 1024:
        return "sd2" if pipe.unet.config.sample_size >= 96 else "sd2-512"
    return "sd15"


def is_few_step(pipe) -> bool:
    """Turbo and LCM checkpoints want one to four steps and no guidance."""
    path = str(getattr(pipe, "name_or_path", "") or getattr(pipe.config, "_name_or_path", ""))
    return any(k in path.lower() for k in ("turbo", "lcm", "lightning"))


def _default_size(pipe, family: str) -> tuple[int, int]:
    """The family's vertical size; 72x128 for tiny test models (native size under 512)."""
    base = pipe.unet.config.sample_size * getattr(pipe, "vae_scale_factor", 8)
    return FAMILY_SIZE[family] if base >= 512 else (72, 128)


def nine_by_sixteen(size: tuple[int, int]) -> tuple[int, int]:
    """The largest exact 9:16 frame inside a generated ``(width, height)``."""
    w, h = size
    return (min(w, h * 9 // 16), min(h, w * 16 // 9))


class DiffusersRenderer(FrameRenderer):
    """``FrameRenderer`` over a diffusers pipeline the caller built or that we load."""

    name = "diffusers"

    def __init__(
        self,
        pipe,
        gen_size: tuple[int, int] | None = None,
        steps: int | None = None,
        guidance: float | None = None,
        negative_prompt: str = NEGATIVE,
        batch_size: int = 4,
        on_batch: Callable[[int], None] | None = None,
        channels_last: bool = False,
        fuse_qkv: bool = False,
        compile: bool = False,
        ip_adapter: str | Path | None = None,
        references: dict[str, str | Path] | None = None,
        ip_scale: float = 0.6,
    ) -> None:
        """Fast paths, off by default and each checked against the plain pipeline in the tests:
        ``channels_last`` memory format for the UNet and VAE, fused QKV projections, and
        ``torch.compile`` of the UNet and the VAE decoder. Dtype and device are the caller's."""
        self.pipe = pipe
        if channels_last:
            pipe.unet.to(memory_format=torch.channels_last)
            pipe.vae.to(memory_format=torch.channels_last)
        if fuse_qkv:
            pipe.fuse_qkv_projections()
        if compile:
            mode = "max-autotune-no-cudagraphs" if pipe.device.type == "cuda" else None
            pipe.unet = torch.compile(pipe.unet, mode=mode, fullgraph=True)
            pipe.vae.decode = torch.compile(pipe.vae.decode, mode=mode)
        self.family = family_of(pipe)
        self.gen_w, self.gen_h = gen_size or _default_size(pipe, self.family)
        if self.gen_w % 8 or self.gen_h % 8:
            raise AiscriptError(f"generation size {self.gen_w}x{self.gen_h} is not a multiple of 8",
                                "pick sizes like 512x896")
        self.width, self.height = nine_by_sixteen((self.gen_w, self.gen_h))
        d_steps, d_guidance = FEW_STEP if is_few_step(pipe) else FAMILY_STEPS[self.family]
        self.steps = steps or d_steps
        self.guidance = d_guidance if guidance is None else guidance
        self.negative_prompt = negative_prompt
        self.batch_size = batch_size
        self.on_batch = on_batch
        self._embeds: dict[Any, Any] = {}  # (prompt, prompt_2) -> positive embeddings
        self._negatives: dict[int, Any] = {}  # embedding length -> the negative's embeddings
        self.pad_batches = compile  # compiled graphs: pad short batches to the compiled size
        self.batches = self  # grouped batches: prepare, render_batch, free_memory
        self._token_counts: dict[str, int] = {}
        self.ip_scale = ip_scale
        if references and not ip_adapter:
            raise AiscriptError("reference images need an IP-Adapter",
                                "pass --ip-adapter PATH (a folder with the weights and image_encoder/)")
        self.references = _load_references(references or {})
        self._ip_embeds: dict[str, Any] = {}
        if ip_adapter:
            _load_ip_adapter(pipe, Path(ip_adapter))
        self._ip_adapter = getattr(pipe.unet, "encoder_hid_proj", None) is not None

    @classmethod
    def from_pretrained(
        cls, path_or_id: str | Path, device: str | None = None, dtype: str | torch.dtype | None = None,
        scheduler: str | None = None, **kw,
    ) -> DiffusersRenderer:
        """Load a local pipeline folder or cached hub id: safetensors only, no network when local
        or HF_HUB_OFFLINE=1; fp16 on CUDA, fp32 on CPU."""
        try:
            from diffusers import AutoPipelineForText2Image
        except ImportError:
            from aiscript.errors import MissingExtra

            raise MissingExtra("the diffusion storyboard", "diffusion", "diffusers") from None
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        if dtype is None:
            dtype = torch.float16 if str(device).startswith("cuda") else torch.float32
        elif isinstance(dtype, str):
            dtype = getattr(torch, dtype)
        local = Path(path_or_id).expanduser()
        if missing_path(path_or_id):
            raise AiscriptError(f"image model path {path_or_id} does not exist",
                                "pass a diffusers pipeline folder (model_index.json) or a hub id")
        offline = local_only(local)
        if local.exists() and not (local / "model_index.json").is_file():
            raise AiscriptError(f"{path_or_id} is not a diffusers pipeline (no model_index.json)",
                                "pass the folder that holds model_index.json")
        try:
            pipe = AutoPipelineForText2Image.from_pretrained(
                str(local) if local.exists() else str(path_or_id), dtype=dtype,
                use_safetensors=True, local_files_only=offline,
            )
        except Exception as exc:  # missing files, pickle-only weights, unknown pipelines
            raise AiscriptError(f"cannot load image model {path_or_id}: {first_line(exc)}",
                                "pass a text-to-image diffusers pipeline with safetensors weights"
                                ) from None
        if scheduler:
            import diffusers

            cls_ = getattr(diffusers, scheduler, None)
            if cls_ is None:
                raise AiscriptError(f"unknown scheduler {scheduler!r}",
                                    "use a diffusers class name, e.g. EulerDiscreteScheduler")
            pipe.scheduler = cls_.from_config(pipe.scheduler.config)
        pipe.set_progress_bar_config(disable=True)
        return cls(pipe.to(device), **kw)

    class Options(BaseModel):
        """What ``--renderer diffusers`` takes; anything else is an error, not dropped."""

        model_config = ConfigDict(extra="forbid")

        image_model: str | None = None
        device: str | None = None
        batch_size: int = Field(4, ge=1)
        steps: int | None = Field(None, ge=1)
        guidance: float | None = Field(None, ge=0)
        size: tuple[int, int] | None = None
        ip_adapter: str | None = None
        references: dict[str, str] | None = None
        fast: bool = False  # channels_last, fused QKV, compiled UNet and VAE decoder

    @classmethod
    def from_options(cls, **options: Any) -> DiffusersRenderer:
        """Built by name (``--renderer diffusers --image-model ...``) from ``Options``."""
        from aiscript.registry import parse_options

        o = parse_options(cls.Options, options, "diffusers renderer")
        if not o.image_model:
            raise AiscriptError("the diffusers renderer needs a model",
                                "pass --image-model PATH_OR_ID")
        return cls.from_pretrained(o.image_model, device=o.device, steps=o.steps,
                                   guidance=o.guidance, batch_size=o.batch_size,
                                   gen_size=o.size, ip_adapter=o.ip_adapter,
                                   references=o.references, channels_last=o.fast,
                                   fuse_qkv=o.fast, compile=o.fast)

    # -- prompts ---------------------------------------------------------------------------

    def _count(self, text: str) -> int:
        """Tokens of ``text`` for the first encoder; cached, since prompt fitting asks about
        the same pieces for every frame."""
        if text not in self._token_counts:
            self._token_counts[text] = len(
                self.pipe.tokenizer(text, add_special_tokens=False).input_ids)
        return self._token_counts[text]

    def fit(self, spec: FrameSpec) -> tuple[str, list[str]]:
        """The prompt that fits CLIP's 75 usable tokens, and what was cut to fit it. The
        characters' looks are never cut: when they alone overflow, SD 1.x/2.x encode them in
        chunks; SDXL moves what its first encoder cannot hold to its second (``prompt_2``)."""
        limit = self.pipe.tokenizer.model_max_length - 2
        if self.family != "sdxl":
            return fit_prompt(list(spec.parts), self._count, limit)
        first, second = self._split_sdxl(spec)
        cut = [name for name, _ in spec.parts if name not in first and name not in second]
        return self._join(first), cut + (["characters beyond both encoders"]
                                         if self._overflow(first, second) else [])

    def _split_sdxl(self, spec: FrameSpec) -> tuple[dict[str, str], dict[str, str]]:
        """Parts for SDXL's two encoders, in priority order: fill the first, then the second;
        a characters part too long for one encoder is split between people."""
        limit = self.pipe.tokenizer.model_max_length - 2
        parts = list(spec.parts)
        at = next((i for i, (n, _) in enumerate(parts) if n == "characters"), 0)
        name, text = parts[at] if parts else ("", "")
        if name == "characters" and self._count(text) > limit and "; " in text:
            people = text.split("; ")
            half = max(1, len(people) // 2)
            parts[at:at + 1] = [("characters", "; ".join(people[:half])),
                                ("characters (cont.)", "; ".join(people[half:]))]
        first: dict[str, str] = {}
        second: dict[str, str] = {}
        # the looks are placed first (never lost), then the rest by priority; each encoder's
        # prompt keeps the parts' own order, so the frame's staging still leads
        order = {name: i for i, (name, _) in enumerate(parts)}
        looks_first = sorted(parts, key=lambda p: (not p[0].startswith("characters"),
                                                   order[p[0]]))
        for name, text in looks_first:
            for box in (first, second):
                trial = dict(sorted({**box, name: text}.items(), key=lambda kv: order[kv[0]]))
                if not box or self._count(self._join(trial)) <= limit:
                    box.clear()
                    box.update(trial)
                    break
        return first, second

    def _overflow(self, first: dict[str, str], second: dict[str, str]) -> bool:
        limit = self.pipe.tokenizer.model_max_length - 2
        return self._count(self._join(first)) > limit or self._count(self._join(second)) > limit

    @staticmethod
    def _join(parts: dict[str, str]) -> str:
        return ", ".join(parts.values())

    def _embed(self, prompt: str, prompt_2: str | None = None) -> tuple[torch.Tensor, ...]:
        """Positive embeddings of one prompt (``prompt_embeds`` and, for SDXL, the pooled
        ones), computed once and cached."""
        self._encode([(prompt, prompt_2)])
        return self._embeds[(prompt, prompt_2)]

    def _encode(self, keys: Sequence[tuple[str, str | None]]) -> None:
        """Encode the prompts not cached yet: the short ones in one text-encoder call; those
        whose characters alone overflow CLIP (SD 1.x/2.x) in 75-token chunks, losing nothing."""
        limit = self.pipe.tokenizer.model_max_length - 2
        short = []
        for key in dict.fromkeys(k for k in keys if k not in self._embeds):
            if self.family != "sdxl" and self._count(key[0]) > limit:
                self._embeds[key] = (self._chunked(key[0]),)
            else:
                short.append(key)
        if not short:
            return
        extra = {"prompt_2": [k[1] or k[0] for k in short]} if self.family == "sdxl" else {}
        out = self.pipe.encode_prompt(prompt=[k[0] for k in short], device=self.pipe.device,
                                      num_images_per_prompt=1, do_classifier_free_guidance=False,
                                      **extra)
        for i, key in enumerate(short):
            self._embeds[key] = tuple(out[j][i : i + 1] for j in ((0, 2) if len(out) == 4 else (0,)))

    def _negative(self, length: int) -> tuple[torch.Tensor, ...]:
        """The negative prompt's embeddings for prompts ``length`` tokens long: encoded once
        (and in chunks beside chunk-encoded prompts, empty chunks filling out the length)."""
        if length not in self._negatives:
            n = self.pipe.tokenizer.model_max_length
            if length > n:
                parts = self._chunks(self.negative_prompt)[: length // n]
                self._negatives[length] = (self._encode_chunks(
                    parts + [[]] * (length // n - len(parts))),)
            else:
                out = self.pipe.encode_prompt(prompt=self.negative_prompt, device=self.pipe.device,
                                              num_images_per_prompt=1,
                                              do_classifier_free_guidance=False)
                self._negatives[length] = (out[0], out[2]) if len(out) == 4 else (out[0],)
        return self._negatives[length]

    def forget(self) -> None:
        """Drop the cached text embeddings (they are kept for the renderer's lifetime)."""
        self._embeds.clear()
        self._negatives.clear()

    def _prompts(self, spec: FrameSpec) -> tuple[str, str | None]:
        """(prompt, prompt_2): the second only for SDXL, holding what the first cannot."""
        if self.family != "sdxl":
            return self.fit(spec)[0], None
        first, second = self._split_sdxl(spec)
        return self._join(first), (self._join(second) or None)

    def _ip_batch(self, specs: Sequence[FrameSpec]) -> torch.Tensor:
        """Per-frame IP-Adapter embeddings in the pipeline's layout ([negatives; positives] with
        guidance), at the scale this group needs."""
        refs = [self._reference(s) for s in specs]
        self.pipe.set_ip_adapter_scale(self.ip_scale if refs[0] is not None else 0.0)
        blank = next(iter(self.references.values()), None)
        if blank is None:
            from PIL import Image

            blank = Image.new("RGB", (224, 224), (127, 127, 127))
        embeds = [self._ip_embed(s.cast[0].name if r is not None else "", r or blank)
                  for s, r in zip(specs, refs, strict=True)]
        if self.guidance > 1.0:
            return torch.cat([e[:1] for e in embeds] + [e[1:] for e in embeds])
        return torch.cat(embeds)

    def _chunks(self, text: str) -> list[list[int]]:
        tok = self.pipe.tokenizer
        n = tok.model_max_length - 2
        ids = tok(text, add_special_tokens=False).input_ids
        return [ids[i : i + n] for i in range(0, len(ids), n)] or [[]]

    @torch.no_grad()
    def _encode_chunks(self, parts: list[list[int]]) -> torch.Tensor:
        """75-token chunks, each framed by BOS/EOS and encoded on its own, concatenated along
        the sequence (the UNet's cross-attention takes any length)."""
        tok, enc = self.pipe.tokenizer, self.pipe.text_encoder
        n = tok.model_max_length - 2
        rows = [[tok.bos_token_id, *p, tok.eos_token_id] for p in parts]
        rows = [r + [tok.pad_token_id] * (n + 2 - len(r)) for r in rows]
        hidden = enc(torch.tensor(rows, device=self.pipe.device))[0].to(self.pipe.unet.dtype)
        return hidden.reshape(1, -1, hidden.shape[-1])

    def _chunked(self, prompt: str) -> torch.Tensor:
        return self._encode_chunks(self._chunks(prompt))

    # -- rendering ---------------------------------------------------------------------------

    def prepare(self, specs: Sequence[FrameSpec]) -> list[PreparedFrame]:
        """Prompts fitted and grouped: frames with the same ``key`` (embedding length, and
        whether an IP-Adapter reference steers them) can share one pipeline call."""
        out = []
        for spec in specs:
            prompt, prompt_2 = self._prompts(spec)
            length = self.pipe.tokenizer.model_max_length
            if self.family != "sdxl":
                length *= max(1, -(-self._count(prompt) // (length - 2)))  # chunks of 75
            ip = self._ip_adapter and self._reference(spec) is not None
            out.append(PreparedFrame(spec, prompt, prompt_2, (length, ip)))
        return out

    def identity(self, spec: FrameSpec) -> tuple:
        """Frames with equal identities draw the same picture: the same prompts, seed and
        reference image (size, steps and guidance are the renderer's own)."""
        ref = self._ip_adapter and self._reference(spec) is not None
        return (*self._prompts(spec), spec.seed, spec.cast[0].name if ref else None)

    def render(self, specs: Sequence[FrameSpec]) -> list:
        """Frames in the order given (batched, grouped and retried as ``render_storyboards``
        does)."""
        images: list = [None] * len(specs)
        for idx, batch in render_in_batches(self, specs, self.batch_size):
            for i, im in zip(idx, batch, strict=True):
                images[i] = im
            if self.on_batch:
                self.on_batch(len(idx))
        return images

    def render_batch(self, frames: Sequence[PreparedFrame]) -> list:
        """One pipeline call for frames of one group: embeddings batched, the negative's
        reused, each frame with its own seeded generator."""
        self._encode([(f.prompt, f.prompt_2) for f in frames])
        pos = [self._embeds[(f.prompt, f.prompt_2)] for f in frames]
        kw: dict[str, Any] = dict(
            height=self.gen_h, width=self.gen_w, num_inference_steps=self.steps,
            guidance_scale=self.guidance, output_type="pil",
            generator=[torch.Generator(device="cpu").manual_seed(f.spec.seed) for f in frames],
            prompt_embeds=torch.cat([p[0] for p in pos]),
        )
        if len(pos[0]) == 2:
            kw["pooled_prompt_embeds"] = torch.cat([p[1] for p in pos])
        if self.guidance > 1.0:
            neg = self._negative(frames[0].key[0])
            kw["negative_prompt_embeds"] = neg[0].repeat(len(frames), 1, 1)
            if len(neg) == 2:
                kw["negative_pooled_prompt_embeds"] = neg[1].repeat(len(frames), 1)
        if self._ip_adapter:
            kw["ip_adapter_image_embeds"] = [self._ip_batch([f.spec for f in frames])]
        images = self.pipe(**kw).images
        return [_crop(im, self.width, self.height) for im in images]

    def free_memory(self) -> None:
        """After an out-of-memory error: hand cached blocks back before a smaller batch."""
        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    def _reference(self, spec: FrameSpec):
        """The lead character's reference image, by name or id, when one was given."""
        if not spec.cast:
            return None
        lead = spec.cast[0]
        return self.references.get(lead.name) or self.references.get(lead.id)

    def _ip_embed(self, name: str, image) -> torch.Tensor:
        """IP-Adapter image embedding of one reference, computed once."""
        if name not in self._ip_embeds:
            self._ip_embeds[name] = self.pipe.prepare_ip_adapter_image_embeds(
                [image], None, self.pipe.device, 1, self.guidance > 1.0)[0]
        return self._ip_embeds[name]


def _load_references(refs: dict[str, str | Path]) -> dict[str, Any]:
    from PIL import Image

    images = {}
    for name, path in refs.items():
        try:
            with Image.open(path) as im:
                images[name] = im.convert("RGB")
        except OSError as exc:
            raise AiscriptError(f"reference image for {name}: cannot open {path} ({exc})",
                                "pass a PNG or JPEG file") from None
    return images


def _load_ip_adapter(pipe, path: Path) -> None:
    """An IP-Adapter from a .safetensors file or a folder holding one, with ``image_encoder/``
    beside it (diffusers' layout)."""
    folder, weight = (path.parent, path.name) if path.is_file() else (path, None)
    if weight is None:
        found = sorted(folder.glob("*.safetensors")) if folder.is_dir() else []
        if not found:
            raise AiscriptError(f"no IP-Adapter weights (*.safetensors) in {path}",
                                "pass the folder or file of an IP-Adapter checkpoint")
        weight = found[0].name
    try:
        pipe.load_ip_adapter(str(folder), subfolder="", weight_name=weight, local_files_only=True)
    except Exception as exc:  # wrong family, missing image encoder, bad keys
        raise AiscriptError(f"cannot load IP-Adapter {path}: {first_line(exc)}",
                            "use an IP-Adapter made for this model family, with image_encoder/"
                            ) from None


def _crop(image, width: int, height: int):
    """Centre-crop to exactly ``width`` x ``height``."""
    w, h = image.size
    left, top = (w - width) // 2, (h - height) // 2
    return image.crop((left, top, left + width, top + height))
