"""Backends by name: a small built-in table plus the ``aiscript.backends`` entry-point group.

Four kinds: ``writer``, ``renderer``, ``shot_planner`` and ``judge``. Plugins register
``KIND.NAME`` entry points (``writer.shouting = "mypkg:ShoutingWriter"``) pointing at a class or
a factory. Nothing is imported until a backend is asked for, so ``import aiscript`` never pulls
in torch. ``RunConfig`` builds every backend of a run through ``create``.

>>> sorted(available("shot_planner")), sorted(available("judge"))
(['llm'], ['llm'])
"""

from __future__ import annotations

import functools
import importlib
from importlib.metadata import entry_points
from typing import Any, Literal, Protocol, runtime_checkable

from aiscript.errors import AiscriptError

Kind = Literal["writer", "renderer", "shot_planner", "judge"]

BUILTIN: dict[Kind, dict[str, str]] = {
    "writer": {"template": "aiscript.drafting.template:TemplateWriter",
               "llm": "aiscript.drafting.llm:LLMWriter",
               "openai": "aiscript.drafting.engines:OpenAIWriter",
               "llamacpp": "aiscript.drafting.engines:LlamaCppWriter"},
    "renderer": {"sketch": "aiscript.storyboard.sketch:SketchRenderer",
                 "diffusers": "aiscript.storyboard.diffusion:DiffusersRenderer"},
    # the rules shot planner is the default of ``importing`` (``shot_planner="rules"``)
    "shot_planner": {"llm": "aiscript.shots.llm:LLMShotPlanner"},
    "judge": {"llm": "aiscript.analysis.judge:LLMJudge.from_pretrained"},
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
    """The backend class (or factory) registered under ``name``; ``attr`` may be dotted
    (``module:Class.from_pretrained``), as entry points allow."""
    table = available(kind)
    if name not in table:
        raise AiscriptError(f"unknown {kind.replace('_', ' ')} {name!r}",
                            f"choose one of: {', '.join(table)}")
    module, _, attr = table[name].partition(":")
    return functools.reduce(getattr, attr.split("."), importlib.import_module(module))


def create(kind: Kind, name: str, **options: Any) -> Any:
    """Build a backend by name. Classes with ``from_options`` take the user's options (model,
    device, batch size ...); other classes are built without arguments; a factory (any other
    callable) is called with the options."""
    try:
        cls = load(kind, name)
    except ImportError as exc:
        from aiscript.errors import MissingExtra

        extra = {"llm": "llm", "diffusers": "diffusion", "llamacpp": "llamacpp"}.get(name, name)
        raise MissingExtra(f"the {name} {kind}", extra, exc.name or "a dependency") from None
    if not isinstance(cls, type):
        return cls(**options)
    return cls.from_options(**options) if isinstance(cls, Configurable) else cls()


@runtime_checkable
class Configurable(Protocol):
    """A backend class built from the user's options (model, device, batch size ...); a class
    without ``from_options`` (the template writer, the sketch renderer) takes none."""

    @classmethod
    def from_options(cls, **options: Any) -> Any: ...


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
