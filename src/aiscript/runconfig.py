"""One typed configuration for a run: which backends, on what device, in what batches, with
named presets (gpt-fast's shape: a small config looked up by name).

>>> RunConfig.preset("offline").writer, RunConfig.preset("offline").renderer
('template', 'sketch')
>>> cfg = RunConfig.preset("gpu-fast", model="models/qwen", image_model="models/sd-turbo")
>>> cfg.episode_batch, cfg.frame_batch, cfg.fast
(64, 8, True)
>>> cfg.renderer_options()["batch_size"]
8
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from aiscript.errors import AiscriptError


class RunConfig(BaseModel):
    """Backends by name and their settings. Episodes (text generation) and frames (image
    generation) batch separately: a GPU holds 64 episodes' KV caches long before it holds 64
    images' activations."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    writer: str = "template"  # template (offline) or llm
    model: str | None = None  # the llm writer's causal LM: local folder or cached hub id
    renderer: str = "sketch"  # sketch (offline), diffusers, or none (scripts only)
    image_model: str | None = None  # the diffusers renderer's pipeline
    device: str | None = None  # cpu, cuda, cuda:1 ... (None: cuda when present)
    episode_batch: int = Field(8, ge=1)  # episodes per batched generation
    frame_batch: int = Field(8, ge=1)  # frames per diffusion batch
    fast: bool = False  # static KV cache + compiled decode; channels_last, fused QKV, compile
    steps: int | None = Field(None, ge=1)  # diffusion steps (None: the family's default)
    guidance: float | None = Field(None, ge=0)  # classifier-free guidance (None: default)
    size: tuple[int, int] | None = None  # generation size (None: the family's vertical size)

    @classmethod
    def preset(cls, name: str, **changes: Any) -> RunConfig:
        """A named preset, with ``changes`` on top (the user's explicit options win)."""
        if name not in PRESETS:
            raise AiscriptError(f"unknown preset {name!r}", f"choose one of: {', '.join(PRESETS)}")
        return cls.model_validate({**PRESETS[name], **changes})

    def writer_options(self) -> dict[str, Any]:
        """What the writer backend takes (``registry.create("writer", ...)``)."""
        return dict(model=self.model, device=self.device, batch_size=self.episode_batch,
                    fast=self.fast)

    def renderer_options(self) -> dict[str, Any]:
        """What the renderer backend takes (``registry.create("renderer", ...)``)."""
        return dict(image_model=self.image_model, device=self.device,
                    batch_size=self.frame_batch, steps=self.steps, guidance=self.guidance,
                    size=self.size, fast=self.fast)


PRESETS: dict[str, dict[str, Any]] = {
    # the template writer and sketch renderer: no model, any machine
    "offline": {},
    # models on a GPU, plain eager paths (every fast path is off)
    "gpu": {"writer": "llm", "renderer": "diffusers", "device": "cuda", "episode_batch": 16,
            "frame_batch": 8},
    # the fast paths: static KV cache + CUDA graphs for decoding, compiled UNet/VAE; big
    # episode batches so decoding is no longer bound by one sequence's weight reads
    "gpu-fast": {"writer": "llm", "renderer": "diffusers", "device": "cuda",
                 "episode_batch": 64, "frame_batch": 8, "fast": True},
}
