"""What a renderer is: the ``FrameRenderer`` protocol with its declared capabilities, and the
``FrameSpec`` it draws from (the shot, its cast, prompt, seed and caption)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from aiscript.schema import Character, Scene, Shot

if TYPE_CHECKING:
    from PIL.Image import Image


@dataclass(frozen=True)
class FrameSpec:
    """Everything a renderer needs for one shot."""

    scene: Scene
    shot: Shot
    cast: tuple[Character, ...]  # the bible's characters in this shot, in shot order
    prompt: str
    parts: tuple[tuple[str, str], ...]  # the prompt in named pieces, most important first
    seed: int
    start_s: float
    caption: str


@dataclass(frozen=True)
class PreparedFrame:
    """A frame ready for a renderer's batch: its spec, fitted prompts and group key (frames
    with equal keys can share one batch)."""

    spec: FrameSpec
    prompt: str
    prompt_2: str | None
    key: tuple


@runtime_checkable
class Batching(Protocol):
    """Grouped batches (a diffusion pipeline): ``prepare`` fits prompts and gives each frame a
    group key, ``render_batch`` draws frames sharing a key, ``free_memory`` lets go of caches
    after an out-of-memory; with ``pad_batches`` a short batch is padded to the batch size
    (compiled graphs keep one shape)."""

    pad_batches: bool

    def prepare(self, specs: Sequence[FrameSpec]) -> list[PreparedFrame]: ...

    def render_batch(self, frames: Sequence[PreparedFrame]) -> list[Image]: ...

    def free_memory(self) -> None: ...


@runtime_checkable
class FrameRenderer(Protocol):
    """Turns frame specs into images of ``width`` x ``height`` (9:16).

    What a renderer can do beyond ``render`` is declared, not probed: each capability is a
    typed attribute, ``None``/``False`` when the renderer lacks it. Subclass this protocol to
    inherit those defaults.

    - ``identity(spec)``: frames with equal identities draw the same picture, so
      :func:`render_storyboards` draws each once;
    - ``fit(spec)``: the prompt as the renderer's text encoder keeps it, and what was cut;
    - ``batches``: grouped batches (:class:`Batching`, see :func:`render_in_batches`);
    - ``draws_cards``: the renderer draws card frames (TO BE CONTINUED) itself; for the others
      a card is drawn as words on black, never sent to a model."""

    name: str
    width: int
    height: int
    identity: Callable[[FrameSpec], Hashable] | None = None
    fit: Callable[[FrameSpec], tuple[str, list[str]]] | None = None
    batches: Batching | None = None
    draws_cards: bool = False

    def render(self, specs: Sequence[FrameSpec]) -> list[Image]: ...

