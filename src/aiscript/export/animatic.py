"""Animatic: the storyboard's frames held for their shots' durations (the timing model's)."""

from __future__ import annotations

import io
from pathlib import Path

from aiscript.errors import MissingExtra
from aiscript.files import write_atomic
from aiscript.schema import Storyboard


def _frames(board: Storyboard, folder: Path, max_width: int):
    from PIL import Image

    for f in board.frames:
        with Image.open(folder / f.image) as im:
            im = im.convert("RGB")
            if im.width > max_width:
                im = im.resize((max_width, round(im.height * max_width / im.width)))
            yield im.copy(), f.duration_s


def animatic_gif(board: Storyboard, folder: str | Path, path: str | Path,
                 max_width: int = 270) -> Path:
    """A GIF with each frame held for its shot's duration."""
    frames = list(_frames(board, Path(folder), max_width))
    if not frames:
        raise ValueError("the storyboard has no frames")
    images = [im for im, _ in frames]
    durations = [max(20, round(d * 1000)) for _, d in frames]
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:],
                   duration=durations, loop=0, optimize=False)
    return write_atomic(path, buf.getvalue())


def animatic_mp4(board: Storyboard, folder: str | Path, path: str | Path, fps: int = 12,
                 max_width: int = 540) -> Path:
    """An MP4 (H.264 through imageio-ffmpeg, the ``video`` extra) at ``fps``."""
    try:
        import imageio.v2 as imageio
        import numpy as np
    except ImportError:
        raise MissingExtra("the MP4 animatic", "video", "imageio") from None
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp.mp4")
    with imageio.get_writer(tmp, fps=fps, codec="libx264", macro_block_size=1) as writer:
        for im, seconds in _frames(board, Path(folder), max_width):
            arr = np.asarray(im.resize((im.width // 2 * 2, im.height // 2 * 2)))
            for _ in range(max(1, round(seconds * fps))):
                writer.append_data(arr)
    tmp.replace(path)
    return path
