"""Animatic: the storyboard's frames held for their shots' durations (the timing model's)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aiscript.errors import MissingExtra
from aiscript.files import write_atomic
from aiscript.schema import Storyboard

if TYPE_CHECKING:
    from PIL.Image import Image


def thumbnail(image: Image, max_width: int) -> Image:
    """``image`` at most ``max_width`` wide: a box reduction when the factor is whole (exact and
    fast), else a resize."""
    if image.width <= max_width:
        return image
    if image.width % max_width == 0:
        return image.reduce(image.width // max_width)
    return image.resize((max_width, round(image.height * max_width / image.width)),
                        reducing_gap=2.0)


def _frames(board: Storyboard, folder: Path, max_width: int,
            images: Sequence[Image] | None = None) -> Iterator[tuple[Image, float]]:
    """Each frame (from ``images`` when given, else read from ``folder``) and its seconds."""
    from PIL import Image

    for k, f in enumerate(board.frames):
        if images is not None:
            im = images[k] if images[k].mode == "RGB" else images[k].convert("RGB")
        else:
            with Image.open(folder / f.image) as src:
                im = src.convert("RGB")
        yield thumbnail(im, max_width), f.duration_s


def animatic_gif(board: Storyboard, folder: str | Path, path: str | Path,
                 max_width: int = 270, images: Sequence[Image] | None = None) -> Path:
    """A GIF with each frame held for its shot's duration, all frames on one palette.

    ``images`` are the frames in memory (no decoding of the PNGs again)."""
    from PIL import Image

    frames = list(_frames(board, Path(folder), max_width, images))
    if not frames:
        raise ValueError("the storyboard has no frames")
    palette = shared_palette([im for im, _ in frames])
    indexed = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im, _ in frames]
    durations = [max(20, round(d * 1000)) for _, d in frames]
    buf = io.BytesIO()
    indexed[0].save(buf, format="GIF", save_all=True, append_images=indexed[1:],
                    duration=durations, loop=0, optimize=False,
                    palette=bytes(palette.getpalette()))  # global table only: none per frame
    return write_atomic(path, buf.getvalue())


def shared_palette(images: Sequence[Image], colors: int = 255) -> Image:
    """One palette for every frame, from a strip of eighth-size copies: quantizing each frame
    on its own costs a median cut per frame and makes colours flicker between shots."""
    from PIL import Image

    small = [im.reduce(8) if min(im.size) >= 128 else im for im in images]
    strip = Image.new("RGB", (sum(s.width for s in small), max(s.height for s in small)))
    x = 0
    for s in small:
        strip.paste(s, (x, 0))
        x += s.width
    return strip.quantize(colors, method=Image.Quantize.MEDIANCUT)


def animatic_mp4(board: Storyboard, folder: str | Path, path: str | Path, fps: int = 12,
                 max_width: int = 540, captions: Sequence[tuple[float, float, str]] = (),
                 images: Sequence[Image] | None = None) -> Path:
    """An MP4 (H.264 through imageio-ffmpeg, the ``video`` extra) at ``fps``; ``captions``
    ((start s, end s, text), e.g. ``subtitles.caption_times``) are burnt into the frames;
    ``images`` are the frames already in memory (else read from ``folder``)."""
    try:
        import imageio.v2 as imageio
        import numpy as np
    except ImportError:
        raise MissingExtra("the MP4 animatic", "video", "imageio") from None
    from aiscript.export.edit_plan import frame_cuts
    from aiscript.export.subtitles import burn_caption

    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp.mp4")
    # cuts on the running total, so burnt-in captions stay on their shots
    cuts = frame_cuts([f.duration_s for f in board.frames], fps)
    with imageio.get_writer(tmp, fps=fps, codec="libx264", macro_block_size=1) as writer:
        for (im, _), (start, count) in zip(_frames(board, Path(folder), max_width, images), cuts,
                                           strict=True):
            im = im.resize((im.width // 2 * 2, im.height // 2 * 2))
            shown: dict[str, np.ndarray] = {}
            for k in range(start, start + count):
                text = next((c for a, b, c in captions if a <= k / fps < b), "")
                if text not in shown:
                    shown[text] = np.asarray(burn_caption(im, text) if text else im)
                writer.append_data(shown[text])
    tmp.replace(path)
    return path
