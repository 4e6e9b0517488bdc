"""One typed configuration for a run: which backends, on what device, in what batches, with
named presets (gpt-fast's shape: a small config looked up by name). The config builds every
backend of the run (writer, renderer, shot planner, judge) through ``aiscript.registry``, so a
backend registered by a plugin reaches every command.

>>> RunConfig.preset("offline").writer, RunConfig.preset("offline").renderer
('template', 'sketch')
>>> cfg = RunConfig.preset("gpu-fast", model="models/qwen", image_model="models/sd-turbo")
>>> cfg.episode_batch, cfg.frame_batch, cfg.fast
(64, 8, True)
>>> cfg.renderer_options()["batch_size"]
8
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from aiscript.errors import AiscriptError


class RunConfig(BaseModel):
    """Backends by name and their settings. Episodes (text generation) and frames (image
    generation) batch separately: a GPU holds 64 episodes' KV caches long before it holds 64
    images' activations."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # backends, by registry name
    writer: str = "template"  # template (offline), llm, openai, or a plugin's
    renderer: str = "sketch"  # sketch (offline), diffusers, a plugin's, or none (scripts only)
    shot_planner: str = "rules"  # rules (offline) or llm: how imported scripts become shots
    judge: str | None = None  # llm: a model's hook and cliffhanger verdicts (None: none)
    # their models and where they run
    model: str | None = None  # the llm writer's causal LM (openai: the served model's name)
    base_url: str | None = None  # the openai writer's server, e.g. http://127.0.0.1:8000/v1
    image_model: str | None = None  # the diffusers renderer's pipeline
    shot_model: str | None = None  # the llm shot planner's instruct model
    judge_model: str | None = None  # the llm judge's instruct model folder
    device: str | None = None  # cpu, cuda, cuda:1 ... (None: cuda when present)
    threads: int | None = Field(None, ge=1)  # torch's CPU threads, for the call only
    n_ctx: int | None = Field(None, ge=512)  # llamacpp: context tokens per slot (None: the model's)
    parallel: int | None = Field(None, ge=1)  # llamacpp: slots decoding at once
    reader: Literal["rules", "model"] | None = None  # llamacpp: who reads the premise
    # batches and fast paths
    episode_batch: int = Field(8, ge=1)  # episodes per batched generation
    frame_batch: int = Field(8, ge=1)  # frames per diffusion batch
    fast: bool = False  # static KV cache + compiled decode; channels_last, fused QKV, compile
    max_new_tokens: int | None = Field(None, ge=16)  # per episode (None: from its beats)
    # frames
    steps: int | None = Field(None, ge=1)  # diffusion steps (None: the family's default)
    guidance: float | None = Field(None, ge=0)  # classifier-free guidance (None: default)
    size: tuple[int, int] | None = None  # generation size (None: the family's vertical size)
    ip_adapter: str | None = None  # IP-Adapter folder or .safetensors (with image_encoder/)
    references: dict[str, str] | None = None  # character name -> reference image
    # what else a storyboard writes
    clip_model: str | None = None  # local CLIP model: character consistency scores
    mp4: bool = False  # animatic.mp4 as well as the GIF (the video extra)
    subtitles: bool = False  # the dialogue burnt into animatic.mp4 (implies mp4)
    review: bool = False  # review/: pages to read the season in a browser

    @classmethod
    def preset(cls, name: str, **changes: Any) -> RunConfig:
        """A named preset, with ``changes`` on top (the user's explicit options win)."""
        if name not in PRESETS:
            raise AiscriptError(f"unknown preset {name!r}", f"choose one of: {', '.join(PRESETS)}")
        return cls.model_validate({**PRESETS[name], **changes})

    def writer_options(self) -> dict[str, Any]:
        """What the writer backend takes (``registry.create("writer", ...)``); a server and a
        token budget only when set, so writers that take neither are built as well."""
        return dict(model=self.model, device=self.device, batch_size=self.episode_batch,
                    fast=self.fast, **_given(base_url=self.base_url,
                                             max_new_tokens=self.max_new_tokens,
                                             n_ctx=self.n_ctx, parallel=self.parallel,
                                             reader=self.reader),
                    # llama.cpp's own threads; torch's are set around the call (cpu_threads)
                    **_given(threads=self.threads if self.writer == "llamacpp" else None))

    def renderer_options(self) -> dict[str, Any]:
        """What the renderer backend takes (``registry.create("renderer", ...)``)."""
        return dict(image_model=self.image_model, device=self.device,
                    batch_size=self.frame_batch, steps=self.steps, guidance=self.guidance,
                    size=self.size, fast=self.fast,
                    **_given(ip_adapter=self.ip_adapter, references=self.references))

    def build_writer(self, on_tokens: Callable[[int], None] | None = None) -> Any:
        """The writer, by name through the registry; ``on_tokens`` hears of every token a
        model writer generates (a progress bar)."""
        from aiscript import registry

        return registry.create("writer", self.writer, **self.writer_options(),
                               **_given(on_tokens=on_tokens))

    def build_renderer(self) -> Any:
        """The frame renderer, by name through the registry; None for ``renderer="none"``."""
        from aiscript import registry

        if self.renderer == "none":
            return None
        return registry.create("renderer", self.renderer, **self.renderer_options())

    def build_shot_planner(self) -> Any:
        """The shot planner for imported scripts; None for the rules planner (the default of
        ``aiscript.importing``), else by name through the registry."""
        from aiscript import registry

        if self.shot_planner == "rules":
            return None
        if not self.shot_model:
            raise AiscriptError(f"the {self.shot_planner} shot planner needs a model",
                                "pass --planner MODEL_FOLDER")
        return registry.create("shot_planner", self.shot_planner, model=self.shot_model,
                               device=self.device)

    def build_judge(self) -> Any:
        """The LLM judge the analyser asks for verdicts, or None."""
        from aiscript import registry

        if self.judge is None:
            return None
        if not self.judge_model:
            raise AiscriptError(f"the {self.judge} judge needs a model",
                                "pass --judge MODEL_FOLDER")
        return registry.create("judge", self.judge, path=self.judge_model)

    @contextlib.contextmanager
    def cpu_threads(self) -> Iterator[None]:
        """torch's CPU threads set to ``threads`` while inside, then put back: a library call
        leaves the process as it found it. Without ``threads`` nothing changes (and torch is
        not imported)."""
        if self.threads is None:
            yield
            return
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    def updated(self, **changes: Any) -> RunConfig:
        """A copy with ``changes``, validated like the original."""
        return type(self).model_validate({**self.model_dump(), **changes})


def _given(**options: Any) -> dict[str, Any]:
    """The options that are set (not None)."""
    return {k: v for k, v in options.items() if v is not None}


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
