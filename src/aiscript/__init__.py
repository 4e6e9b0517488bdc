"""aiscript: AI-assisted micro-drama writing and storyboarding.

>>> import aiscript
>>> prod = aiscript.run("Ava Lin marries a stranger, Ethan Gu.", episodes=1, storyboards=False)
>>> prod.episodes[0].scenes[0].shots[0].beat
'hook'

The top level is lazy: importing it loads no model library (no torch).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "run": "aiscript.pipeline",
    "analyze": "aiscript.analysis",
    "make_premise": "aiscript.pipeline",
    "Production": "aiscript.pipeline",
    "TimingModel": "aiscript.timing",
    "TemplateWriter": "aiscript.writing.template",
    "SketchRenderer": "aiscript.storyboard.sketch",
    "render_storyboard": "aiscript.storyboard",
    "to_fountain": "aiscript.export",
    "AiscriptError": "aiscript.errors",
    "schema": "aiscript.schema",
}

if TYPE_CHECKING:
    from aiscript import schema
    from aiscript.analysis import analyze
    from aiscript.errors import AiscriptError
    from aiscript.export import to_fountain
    from aiscript.pipeline import Production, make_premise, run
    from aiscript.storyboard import render_storyboard
    from aiscript.storyboard.sketch import SketchRenderer
    from aiscript.timing import TimingModel
    from aiscript.writing.template import TemplateWriter

__all__ = [
    "AiscriptError", "Production", "analyze", "SketchRenderer", "TemplateWriter", "TimingModel",
    "make_premise", "render_storyboard", "run", "schema", "to_fountain",
]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'aiscript' has no attribute {name!r}")
    module = import_module(_EXPORTS[name])
    value = module if name == "schema" else getattr(module, name)
    globals()[name] = value
    return value
