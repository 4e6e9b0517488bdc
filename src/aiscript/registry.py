"""Backends by name: a small built-in table plus the ``aiscript.backends`` entry-point group.

Plugins register ``writer.NAME`` or ``renderer.NAME`` entry points pointing at a class. Nothing
is imported until a backend is asked for, so ``import aiscript`` never pulls in torch.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any, Literal

from aiscript.errors import AiscriptError

Kind = Literal["writer", "renderer"]

BUILTIN: dict[Kind, dict[str, str]] = {
    "writer": {"template": "aiscript.writing.template:TemplateWriter"},
    "renderer": {"sketch": "aiscript.storyboard.sketch:SketchRenderer"},
}


def available(kind: Kind) -> dict[str, str]:
    """Name -> 'module:attr' for every backend of a kind, built-ins first."""
    found = dict(BUILTIN[kind])
    for ep in entry_points(group="aiscript.backends"):
        prefix, _, name = ep.name.partition(".")
        if prefix == kind and name:
            found.setdefault(name, ep.value)
    return found


def register(kind: Kind, name: str, target: str) -> None:
    """Add a backend at run time (tests and notebooks): ``target`` is 'module:attr'."""
    BUILTIN[kind][name] = target


def load(kind: Kind, name: str) -> Any:
    """The backend class (or factory) registered under ``name``."""
    table = available(kind)
    if name not in table:
        raise AiscriptError(f"unknown {kind} {name!r}", f"choose one of: {', '.join(table)}")
    module, _, attr = table[name].partition(":")
    return getattr(importlib.import_module(module), attr)
