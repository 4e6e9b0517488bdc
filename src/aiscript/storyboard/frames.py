"""From an episode to frame specs, and from a renderer's images to a ``Storyboard``."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiscript.files import safe_name, write_atomic
from aiscript.schema import Character, Episode, Frame, SeriesBible, Shot, Storyboard
from aiscript.storyboard.prompts import prompt_parts
from aiscript.storyboard.renderer import FrameRenderer, FrameSpec, PreparedFrame

if TYPE_CHECKING:
    from PIL.Image import Image

PNG_LEVEL = 3  # zlib level of frame PNGs: 6 (Pillow's default) costs 40% more for 17% smaller


def frame_seed(shot: Shot, cast: Sequence[Character]) -> int:
    """The lead character's seed, so a character is drawn from the same noise in every frame;
    a stable hash of the shot id for shots without characters."""
    if cast:
        return cast[0].seed
    return zlib.crc32(shot.id.encode()) & 0x7FFFFFFF


def frame_specs(bible: SeriesBible, episode: Episode) -> list[FrameSpec]:
    """One spec per shot. Shots planned before blocking existed (an older episode JSON) get
    their scene's blocking here, so every renderer draws and prompts the staging."""
    from aiscript.schema import ScriptElement
    from aiscript.shots.blocking import block_scene
    from aiscript.shots.planner import card_text

    for scene in episode.scenes:
        if any(sh.blocking is None for sh in scene.shots):
            for sh in scene.shots:  # a transition planned as a shot is a card
                if not sh.card and not sh.lines and sh.action.strip():
                    sh.card = card_text(ScriptElement(action=sh.action))
                    if sh.card:
                        sh.characters, sh.beat = [], None
            block_scene(scene, episode.language)
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
    return render_storyboards(bible, [episode], renderer, [folder], batch_size=batch_size,
                              on_frame=on_frame, resume=resume)[0]


def render_storyboards(
    bible: SeriesBible,
    episodes: Sequence[Episode],
    renderer: FrameRenderer,
    folders: Sequence[str | Path],
    *,
    on_board: Callable[[int, Storyboard, list[Image]], None] | None = None,
    **options: Any,
) -> list[Storyboard]:
    """Several episodes at once (``iter_storyboards``, which takes the same ``options``:
    ``batch_size``, ``on_frame``, ``resume``, ``specs``), all their storyboards returned in
    order; ``on_board(index, board, images)`` hears of each as soon as its frames are on disk."""
    boards: list[Storyboard | None] = [None] * len(episodes)
    for e, board, images in iter_storyboards(bible, episodes, renderer, folders,
                                             images=on_board is not None, **options):
        boards[e] = board
        if on_board:
            on_board(e, board, images)
    return boards  # type: ignore[return-value]


def iter_storyboards(
    bible: SeriesBible,
    episodes: Sequence[Episode],
    renderer: FrameRenderer,
    folders: Sequence[str | Path],
    batch_size: int = 8,
    on_frame: Callable[[int], None] | None = None,
    resume: bool = False,
    specs: Sequence[Sequence[FrameSpec]] | None = None,
    images: bool = True,
) -> Iterator[tuple[int, Storyboard, list[Image]]]:
    """Several episodes at once: their frames fill batches across episode boundaries, so the
    last frames of one episode share a batch with the first of the next.

    PNGs are encoded and written on a worker thread while the next batch renders. As soon
    as an episode's frames are all on disk, its index, storyboard and (with ``images``) its
    images in memory are yielded, so exports need not decode the PNGs again; the caller
    exports while the next episodes render. ``specs`` replaces each episode's frame specs
    (hand-edited prompts)."""
    if not isinstance(renderer, FrameRenderer):  # the protocol's members, declared or inherited
        from aiscript.errors import AiscriptError

        raise AiscriptError(f"renderer {type(renderer).__name__} does not declare the FrameRenderer "
                            "members (name, width, height, identity, fit, batches, draws_cards, render)",
                            "subclass aiscript.storyboard.FrameRenderer to inherit the defaults")
    specs = specs or [frame_specs(bible, ep) for ep in episodes]
    boards = [_board(ep, s, renderer, Path(f))
              for ep, s, f in zip(episodes, specs, folders, strict=True)]
    jobs = [(e, k, spec, Path(folders[e]) / boards[e].frames[k].image)
            for e, episode_specs in enumerate(specs) for k, spec in enumerate(episode_specs)]
    todo = [j for j in jobs if not (resume and j[3].is_file())]
    if on_frame and len(todo) < len(jobs):
        on_frame(len(jobs) - len(todo))
    drawn, repeats = _distinct(todo, renderer.identity)
    held: list[list] = [[None] * len(s) for s in specs]
    left = [sum(1 for j in todo if j[0] == e) for e in range(len(boards))]
    writes: list[list[Future]] = [[] for _ in boards]
    # cards (TO BE CONTINUED, 【黑屏】) are words on black for every renderer: no model call
    cards = [] if renderer.draws_cards else [n for n, i in enumerate(drawn) if todo[i][2].shot.card]
    shots = [n for n in range(len(drawn)) if n not in set(cards)]

    def done(e: int) -> tuple[int, Storyboard, list]:
        return e, boards[e], _finish(e, boards, held, writes, folders, images)

    with ThreadPoolExecutor(max_workers=1) as writer:  # PNG encoding overlaps the next batch
        for e in (e for e, n in enumerate(left) if n == 0):  # resumed in full
            yield done(e)

        def place(n: int, image) -> tuple[int, list[int]]:
            """The image on its way to disk; how many frames it filled, and the episodes it
            finished."""
            same = [todo[i] for i in (drawn[n], *repeats.get(drawn[n], ()))]
            e, k = same[0][:2]
            held[e][k] = image  # a repeat is read back from disk when its episode ends
            future = writer.submit(_write_png, [j[3] for j in same], image)
            for j in same:
                writes[j[0]].append(future)
                left[j[0]] -= 1
            return len(same), [e for e in sorted({j[0] for j in same}) if left[e] == 0]

        if cards:
            from aiscript.storyboard.sketch import SketchRenderer

            card = SketchRenderer.card_for(renderer.width, renderer.height)
            for n in cards:
                filled, finished = place(n, card(todo[drawn[n]][2]))
                if on_frame:
                    on_frame(filled)
                for e in finished:
                    yield done(e)
        for idx, batch in render_in_batches(renderer, [todo[drawn[n]][2] for n in shots],
                                            batch_size):
            finished: list[int] = []
            filled = 0
            for m, image in zip(idx, batch, strict=True):
                f, fin = place(shots[m], image)
                filled += f
                finished += fin
            if on_frame:
                on_frame(filled)
            for e in finished:
                yield done(e)


def _distinct(todo: Sequence[tuple], identity: Callable[[FrameSpec], Hashable] | None,
              ) -> tuple[list[int], dict[int, list[int]]]:
    """The frames to draw (indices into ``todo``) and, for each, the later frames that repeat
    it: frames with equal ``identity`` (prompt, seed, reference) draw the same picture, so a
    season's many repeats (a lead's close-up in one location) are drawn once. Renderers
    without ``identity`` draw every frame."""
    if identity is None:
        return list(range(len(todo))), {}
    first: dict[Hashable, int] = {}
    drawn, repeats = [], {}
    for i, job in enumerate(todo):
        key = identity(job[2])
        if key in first:
            repeats.setdefault(first[key], []).append(i)
        else:
            first[key] = i
            drawn.append(i)
    return drawn, repeats


def render_in_batches(renderer: FrameRenderer, specs: Sequence[FrameSpec], batch_size: int,
                      window: int = 8) -> Iterator[tuple[list[int], list[Image]]]:
    """The one batching place; yields (indices into ``specs``, their images).

    Renderers with ``batches`` (diffusion) get batches of frames sharing a group key, drawn from a window of ``window`` batches (so episodes still finish in order
    and memory stays bounded), padded to the batch size when they run compiled graphs
    (``pad_batches``: no recompiling for a short last batch); on out-of-memory the batch size
    halves and the work goes on. Other renderers get plain slices."""
    batches = renderer.batches
    if batches is None:
        for start in range(0, len(specs), batch_size):
            idx = list(range(start, min(start + batch_size, len(specs))))
            yield idx, renderer.render([specs[i] for i in idx])
        return
    size = batch_size
    for first in range(0, len(specs), batch_size * window):
        chunk = range(first, min(first + batch_size * window, len(specs)))
        groups: dict[tuple, list[tuple[int, PreparedFrame]]] = {}
        for i, frame in zip(chunk, batches.prepare([specs[i] for i in chunk]), strict=True):
            groups.setdefault(frame.key, []).append((i, frame))
        for members in groups.values():
            start = 0
            while start < len(members):
                part = members[start : start + size]
                frames = [f for _, f in part]
                if batches.pad_batches:
                    frames += [frames[-1]] * (size - len(frames))  # the compiled batch shape
                try:
                    images = batches.render_batch(frames)[: len(part)]
                except Exception as exc:  # torch.OutOfMemoryError, without importing torch
                    if type(exc).__name__ != "OutOfMemoryError" or size == 1:
                        raise
                    batches.free_memory()
                    size = max(1, size // 2)  # halve the batch and go on
                    continue
                yield [i for i, _ in part], images
                start += len(part)


def _board(episode: Episode, specs: Sequence[FrameSpec], renderer: FrameRenderer,
           folder: Path) -> Storyboard:
    """The storyboard record of an episode: one frame per spec, with the prompt as fitted."""
    fit = renderer.fit  # renderers with a text encoder report what they cut
    frames = []
    names = image_names([s.shot.id for s in specs])  # shot ids may not be file names
    for s, name in zip(specs, names, strict=True):
        prompt, cut = fit(s) if fit else (s.prompt, [])
        frames.append(Frame(
            shot_id=s.shot.id, prompt=prompt, seed=s.seed, image=name,
            width=renderer.width, height=renderer.height, start_s=s.start_s,
            duration_s=s.shot.duration_s, caption=s.caption, cut=cut,
            blocking=s.shot.blocking, card=s.shot.card,
        ))
    return Storyboard(
        series_title=episode.series_title, episode=episode.number, renderer=renderer.name,
        width=renderer.width, height=renderer.height, frames=frames, folder=str(folder),
    )


def _write_png(paths: Sequence[Path], image: Image) -> None:
    """One encoding, written to every frame that shows this picture."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=PNG_LEVEL)
    for path in paths:
        write_atomic(path, buf.getvalue())


def _finish(e: int, boards, held, writes, folders, images: bool) -> list:
    """An episode is rendered: wait for its PNGs, and (with ``images``) give its images, those
    of resumed frames read from disk; the episode's images then leave memory here."""
    for w in writes[e]:
        w.result()  # re-raises a failed write here
    out = held[e]
    if images:
        from PIL import Image as PILImage

        for k, f in enumerate(boards[e].frames):  # resumed frames come from disk
            if out[k] is None:
                with PILImage.open(Path(folders[e]) / f.image) as im:
                    out[k] = im.convert("RGB")
    held[e], writes[e] = [], []
    return out if images else []
