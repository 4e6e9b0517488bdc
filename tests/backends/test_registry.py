from __future__ import annotations

import pytest

from aiscript import registry
from aiscript.drafting.template import TemplateWriter
from aiscript.errors import AiscriptError
from aiscript.schema import Episode, Premise, Series


class ShoutingWriter:
    """A plugin writer: the template writer's season, every line in capitals."""

    name = "shouting"

    def __init__(self) -> None:
        self.inner = TemplateWriter()

    def plan(self, premise: Premise) -> Series:
        return self.inner.plan(premise)

    def write_episodes(self, series: Series, numbers=None, on_episode=None) -> list[Episode]:
        eps = self.inner.write_episodes(series, numbers)
        for ep in eps:
            for _, shot in ep.shots():
                for line in shot.lines:
                    line.text = line.text.upper()
            if on_episode:
                on_episode(ep)
        return eps


def test_backends_are_found_by_name_and_plugins_can_register():
    assert {"template", "llm"} <= set(registry.available("writer"))
    assert {"sketch", "diffusers"} <= set(registry.available("renderer"))
    registry.register("writer", "shouting", f"{__name__}:ShoutingWriter")
    try:
        writer = registry.create("writer", "shouting")
        from aiscript.pipeline import run

        prod = run("Ava Lin marries a stranger, Ethan Gu.", episodes=1, writer=writer,
                   storyboards=False)
        lines = prod.episodes[0].lines()
        assert lines and all(ln.text == ln.text.upper() for ln in lines)
    finally:
        registry.BUILTIN["writer"].pop("shouting")


def test_unknown_backends_and_missing_models_are_clear_errors():
    with pytest.raises(AiscriptError, match="unknown renderer 'oil-paint'"):
        registry.create("renderer", "oil-paint")
    with pytest.raises(AiscriptError, match="needs a model"):
        registry.create("writer", "llm")
