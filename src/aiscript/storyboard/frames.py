"""From an episode to frame specs, and from a renderer's images to a ``Storyboard``."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from aiscript.files import safe_name, write_atomic
from aiscript.schema import Character, Episode, Frame, Scene, SeriesBible, Shot, Storyboard
from aiscript.storyboard.prompts import prompt_parts

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


@runtime_checkable
class FrameRenderer(Protocol):
    """Turns frame specs into images of ``width`` x ``height`` (9:16)."""

    name: str
    width: int
    height: int

    def render(self, specs: Sequence[FrameSpec]) -> list[Image]: ...


def frame_seed(shot: Shot, cast: Sequence[Character]) -> int:
    """The lead character's seed, so a character is drawn from the same noise in every frame;
    a stable hash of the shot id for shots without characters."""
    if cast:
        return cast[0].seed
    return zlib.crc32(shot.id.encode()) & 0x7FFFFFFF


def frame_specs(bible: SeriesBible, episode: Episode) -> list[FrameSpec]:
    by_name = {c.name: c for c in bible.characters}
    specs, t = [], 0.0
    for scene, shot in episode.shots():
        cast = tuple(by_name[n] for n in shot.characters if n in by_name)
        caption = " / ".join(
            f"{ln.speaker}{'：' if episode.language == 'zh' else ': '}{ln.text}" for ln in shot.lines
        )
        parts = tuple(prompt_parts(bible, scene, shot, cast))
        specs.append(
            FrameSpec(
                scene=scene, shot=shot, cast=cast, prompt=", ".join(t for _, t in parts),
                parts=parts, seed=frame_seed(shot, cast), start_s=round(t, 2), caption=caption,
            )
        )
        t += shot.duration_s
    return specs


def image_names(shot_ids: Sequence[str]) -> list[str]:
    """One PNG name per shot, safe on any file system and distinct within the episode.

    >>> image_names(["1-1-1", "../../x", "1-1-1", "a/b", "..", "s" * 300])[:5]
    ['1-1-1.png', 'x.png', '1-1-1_2.png', 'a_b.png', 'shot.png']
    """
    names: list[str] = []
    taken: set[str] = set()
    for sid in shot_ids:
        stem = safe_name(sid, max_len=100, default="shot")
        name, k = f"{stem}.png", 1
        while name.lower() in taken:
            k += 1
            name = f"{stem}_{k}.png"
        taken.add(name.lower())
        names.append(name)
    return names


def render_storyboard(
    bible: SeriesBible,
    episode: Episode,
    renderer: FrameRenderer,
    folder: str | Path,
    batch_size: int = 8,
    on_frame: Callable[[int], None] | None = None,
    resume: bool = False,
) -> Storyboard:
    """Render every shot of ``episode`` into ``folder`` as PNGs; return the storyboard.

    With ``resume``, frames already on disk are kept and not rendered again.
    """
    return render_storyboards(bible, [episode], renderer, [folder], batch_size, on_frame,
                              resume)[0]


def render_storyboards(
    bible: SeriesBible,
    episodes: Sequence[Episode],
    renderer: FrameRenderer,
    folders: Sequence[str | Path],
    batch_size: int = 8,
    on_frame: Callable[[int], None] | None = None,
    resume: bool = False,
) -> list[Storyboard]:
    """Several episodes at once: their frames fill batches across episode boundaries, so the
    last frames of one episode share a batch with the first of the next."""
    jobs = []  # (spec, path) for every frame of every episode
    boards = []
    fit = getattr(renderer, "fit", None)  # renderers with a text encoder report what they cut
    for episode, folder in zip(episodes, map(Path, folders), strict=True):
        specs = frame_specs(bible, episode)
        frames = []
        names = image_names([s.shot.id for s in specs])
        for s, name in zip(specs, names, strict=True):
            prompt, cut = fit(s) if fit else (s.prompt, [])
            frames.append(Frame(
                shot_id=s.shot.id, prompt=prompt, seed=s.seed, image=name,
                width=renderer.width, height=renderer.height, start_s=s.start_s,
                duration_s=s.shot.duration_s, caption=s.caption, cut=cut,
            ))
            jobs.append((s, folder / name))
        boards.append(Storyboard(
            series_title=episode.series_title, episode=episode.number, renderer=renderer.name,
            width=renderer.width, height=renderer.height, frames=frames, folder=str(folder),
        ))
    todo = [j for j in jobs if not (resume and j[1].is_file())]
    if on_frame and len(todo) < len(jobs):
        on_frame(len(jobs) - len(todo))
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        for (_, path), image in zip(batch, renderer.render([s for s, _ in batch]), strict=True):
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=False)
            write_atomic(path, buf.getvalue())
        if on_frame:
            on_frame(len(batch))
    return boards
