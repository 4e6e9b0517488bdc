"""aiscript: AI-assisted micro-drama writing and storyboarding.

>>> import aiscript
>>> prod = aiscript.run("Ava Lin marries a stranger, Ethan Gu.", episodes=1, storyboards=False)
>>> prod.episodes[0].scenes[0].shots[0].beat
'hook'

The library API is what the CLI calls, one function per command (``aiscript.api``):
``run(premise, config=RunConfig(...))``, ``storyboard(paths, config=...)``,
``analyze(paths_or_episodes)``, ``export(folder, to)`` and ``read_script(path)``.
The top level is lazy: importing it loads no model library (no torch).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "run": "aiscript.api",
    "storyboard": "aiscript.storyboard",  # the package, callable: aiscript.storyboard(paths)
    "analyze": "aiscript.api",
    "export": "aiscript.export",  # the package, callable: aiscript.export(folder, to)
    "read_script": "aiscript.api",
    "RunConfig": "aiscript.config",
    "make_premise": "aiscript.pipeline",
    "Production": "aiscript.pipeline",
    "TimingModel": "aiscript.timing",
    "TemplateWriter": "aiscript.drafting.template",
    "SketchRenderer": "aiscript.storyboard.sketch",
    "render_storyboard": "aiscript.storyboard",
    "to_fountain": "aiscript.export",
    "AiscriptError": "aiscript.errors",
    "schema": "aiscript.schema",
}

if TYPE_CHECKING:
    from aiscript import export, schema, storyboard
    from aiscript.api import analyze, read_script, run
    from aiscript.config import RunConfig
    from aiscript.drafting.template import TemplateWriter
    from aiscript.errors import AiscriptError
    from aiscript.export import to_fountain
    from aiscript.pipeline import Production, make_premise
    from aiscript.storyboard import render_storyboard
    from aiscript.storyboard.sketch import SketchRenderer
    from aiscript.timing import TimingModel

__all__ = [
    "AiscriptError", "Production", "RunConfig", "SketchRenderer", "TemplateWriter",
    "TimingModel", "analyze", "export", "make_premise", "read_script", "render_storyboard", "run",
    "schema", "storyboard", "to_fountain",
]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'aiscript' has no attribute {name!r}")
    module = import_module(_EXPORTS[name])
    value = module if name in ("schema", "export", "storyboard") else getattr(module, name)
    globals()[name] = value
    return value
