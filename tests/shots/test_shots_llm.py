"""The LLM shot planner: schema-constrained camera choices over the rules' layout, the rules
as fallback. A tiny random model stands in for a real one: it knows nothing about framing, so
these tests pin the mechanics (valid answers applied, framing rules kept, bad answers fall
back), not taste."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")
pytest.importorskip("xgrammar")

from aiscript.backends.chat import LocalChat  # noqa: E402
from aiscript.schema import Line  # noqa: E402
from aiscript.script import read_script  # noqa: E402
from aiscript.shots.llm import (  # noqa: E402
    LENSES,
    LLMShotPlanner,
    ScenePlan,
    ShotChoice,
    apply_choices,
    parse_scene,
)
from aiscript.shots.planner import plan_episode  # noqa: E402

from ..conftest import STANDARD  # noqa: E402


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory):
    import torch

    from aiscript.backends.tiny import build_tiny_llm

    torch.set_num_threads(1)
    return build_tiny_llm(tmp_path_factory.mktemp("tiny") / "qwen2")


@pytest.fixture(scope="module")
def gen(tiny_path):
    from aiscript.backends.hf_text import TransformersGenerator

    return TransformersGenerator.from_pretrained(tiny_path, device="cpu")


def test_cli_storyboard_takes_a_model_as_shot_planner(tiny_path, tmp_path, capsys):
    from aiscript.cli import main
    from aiscript.schema import Episode

    main(["storyboard", str(STANDARD), "--planner", str(tiny_path), "--device", "cpu",
          "--out", str(tmp_path / "o")])
    said = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    assert "shots chosen by the model" in said and "0 scenes kept the rules" in said
    ep = Episode.model_validate_json(
        (tmp_path / "o/episodes/shanhun-standard_ep001.json").read_bytes())
    assert [ln.text for ln in ep.lines()] == [ln.text for ln in plan_episode(
        read_script(STANDARD)[0]).lines()]


def test_a_constrained_model_answers_every_scene_and_the_shots_keep_lines_and_sources(gen):
    draft = read_script(STANDARD)[0]
    rules = plan_episode(draft)
    planner = LLMShotPlanner(LocalChat(gen, constrained=True))
    ep = planner.plan_episode(draft)
    assert planner.fallbacks == [] and planner.taken > 0
    assert [sh.id for _, sh in ep.shots()] == [sh.id for _, sh in rules.shots()]
    for (_, a), (_, b) in zip(ep.shots(), rules.shots(), strict=True):
        assert (a.lines, a.action, a.source_lines, a.duration_s) == \
            (b.lines, b.action, b.source_lines, b.duration_s)
        assert a.lens_mm in LENSES or a.lens_mm == b.lens_mm
    for scene, _ in ep.shots():
        for _, shot in [(scene, s) for s in scene.shots]:
            assert set(shot.characters) <= set(scene.characters)
            if shot.size.value in ("over_the_shoulder", "two_shot"):
                assert len(shot.characters) >= 2
    # the random model's choices differ from the rules somewhere: they were applied
    assert any((a.size, a.angle, a.movement) != (b.size, b.angle, b.movement)
               for (_, a), (_, b) in zip(ep.shots(), rules.shots(), strict=True))


def test_unconstrained_garbage_falls_back_to_the_rules(gen):
    draft = read_script(STANDARD)[0]
    planner = LLMShotPlanner(LocalChat(gen, constrained=False), constrained=False,
                             max_new_tokens=24)
    ep = planner.plan_episode(draft)
    assert len(planner.fallbacks) == len(ep.scenes) and planner.taken == 0
    assert ep == plan_episode(draft)


def test_choices_that_break_framing_rules_or_counts_are_refused():
    ep = plan_episode(read_script(STANDARD)[0])
    scene = ep.scenes[0]
    with pytest.raises(ValueError, match="shots for"):
        parse_scene('{"shots": []}', scene)
    lone = ShotChoice(size="two_shot", angle="low", movement="static", lens_mm=35,
                      characters=[])
    before = [s.model_copy() for s in scene.shots]
    # the first shot is 林晚's action alone: a two-shot of one person is refused
    assert apply_choices(scene, ScenePlan(shots=[lone] * len(scene.shots))) < len(scene.shots)
    assert scene.shots[0] == before[0]
    speaking = next(s for s in scene.shots if s.lines)
    assert isinstance(speaking.lines[0], Line) and speaking.lines[0].speaker in speaking.characters
