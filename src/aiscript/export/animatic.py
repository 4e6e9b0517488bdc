"""Animatic: the storyboard's frames held for their shots' durations (the timing model's)."""

from __future__ import annotations

import io
from collections.abc import Sequence
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
                 max_width: int = 540, captions: Sequence[tuple[float, float, str]] = ()) -> Path:
    """An MP4 (H.264 through imageio-ffmpeg, the ``video`` extra) at ``fps``; ``captions``
    ((start s, end s, text), e.g. ``subtitles.caption_times``) are burnt into the frames."""
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
        for (im, _), (start, count) in zip(_frames(board, Path(folder), max_width), cuts,
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
