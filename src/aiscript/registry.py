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
    "writer": {"template": "aiscript.writing.template:TemplateWriter",
               "llm": "aiscript.writing.llm:LLMWriter",
               "openai": "aiscript.backends.openai_compat:OpenAIWriter",
               "llamacpp": "aiscript.backends.llamacpp:LlamaCppWriter"},
    "renderer": {"sketch": "aiscript.storyboard.sketch:SketchRenderer",
                 "diffusers": "aiscript.storyboard.diffusion:DiffusersRenderer"},
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


def create(kind: Kind, name: str, **options: Any) -> Any:
    """Build a backend by name. Classes with ``from_options`` take the user's options (model,
    device, batch size ...); others are built without arguments."""
    try:
        cls = load(kind, name)
    except ImportError as exc:
        from aiscript.errors import MissingExtra

        extra = {"llm": "llm", "diffusers": "diffusion", "llamacpp": "llamacpp"}.get(name, name)
        raise MissingExtra(f"the {name} {kind}", extra, exc.name or "a dependency") from None
    factory = getattr(cls, "from_options", None)
    return factory(**options) if factory else cls()


def parse_options(options_type: Any, options: dict[str, Any], what: str) -> Any:
    """``options`` validated as ``options_type`` (a pydantic model that forbids extras): an
    option the backend does not take is an error naming it and the ones it does, never
    silently dropped."""
    from pydantic import ValidationError

    try:
        return options_type.model_validate(options)
    except ValidationError as exc:
        err = exc.errors()[0]
        usable = [name for name, f in options_type.model_fields.items()  # not the unset-only
                  if f.annotation not in (type(None), Literal[False])]
        raise AiscriptError(f"{what} option {'.'.join(map(str, err['loc']))}: {err['msg']}",
                            f"use only: {', '.join(usable)}") from None
