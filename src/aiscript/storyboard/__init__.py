"""Storyboards: one vertical frame per shot, from a ``FrameRenderer``.

``render_storyboard`` is the stage function: it builds each frame's prompt and seed, asks the
renderer for images in batches, writes them atomically and returns the ``Storyboard`` model.
"""

from aiscript.storyboard.frames import frame_specs, render_storyboard, render_storyboards
from aiscript.storyboard.renderer import FrameRenderer, FrameSpec

__all__ = ["FrameRenderer", "FrameSpec", "frame_specs", "render_storyboard", "render_storyboards"]

from aiscript.callable_package import answer_calls  # noqa: E402

answer_calls(__name__, "aiscript.api:storyboard")  # aiscript.storyboard(paths): the library call
