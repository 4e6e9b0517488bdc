"""An LLM shot planner: a local instruct model picks each beat's size, angle, move, lens and
who is in frame, answering in JSON constrained to a schema; the rules planner
(``aiscript.shots.planner``) lays out the shots, times them and stays the fallback.

The rules plan comes first (ids, timing, source lines, one shot per beat); the model then
answers one JSON object per scene with exactly one entry per shot, every field from a closed
set (the camera words of ``schema``, the scene's own cast). A scene whose answer does not
validate keeps the rules' shots; so does a shot whose answer breaks a framing rule (an
over-the-shoulder or two-shot of fewer than two people). All scenes of an episode go through
the generation core in one batch, sharing the instruction prefix.

>>> from aiscript.backends.tiny import build_tiny_llm                           # doctest: +SKIP
>>> planner = LLMShotPlanner.from_options(str(build_tiny_llm("/tmp/m")))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import ValidationError

from aiscript.schema import Angle, Episode, EpisodeDraft, Model, Movement, Scene, ShotSize
from aiscript.shots.blocking import describe, offscreen
from aiscript.shots.planner import needs_two, plan_episode, stage
from aiscript.timing import TimingModel

LENSES = (18, 24, 28, 35, 50, 85, 100, 135)
SYSTEM = (
    "You are the storyboard artist of a vertical (9:16) micro-drama. For each numbered beat "
    "of the scene choose the shot: size, angle, camera movement, lens in mm and who is in "
    "frame. Hooks, reveals and confrontations go tight; establishing beats go wide; "
    "over_the_shoulder and two_shot need two people. Answer with JSON only."
)


class ShotChoice(Model):
    size: ShotSize
    angle: Angle
    movement: Movement
    lens_mm: int
    characters: list[str]


class ScenePlan(Model):
    shots: list[ShotChoice]


def scene_schema(shots: int, cast: Sequence[str]) -> str:
    """JSON Schema for one scene's answer: exactly ``shots`` choices from closed sets."""
    who = {"type": "array", "items": {"enum": list(cast)}, "maxItems": max(1, len(cast))} \
        if cast else {"type": "array", "items": {"type": "string"}, "maxItems": 0}
    choice = {
        "type": "object",
        "properties": {
            "size": {"enum": [s.value for s in ShotSize]},
            "angle": {"enum": [a.value for a in Angle]},
            "movement": {"enum": [m.value for m in Movement]},
            "lens_mm": {"enum": list(LENSES)},
            "characters": who,
        },
        "required": ["size", "angle", "movement", "lens_mm", "characters"],
        "additionalProperties": False,
    }
    return json.dumps({
        "type": "object",
        "properties": {"shots": {"type": "array", "items": choice, "minItems": shots,
                                 "maxItems": shots}},
        "required": ["shots"], "additionalProperties": False,
    }, ensure_ascii=False)


def scene_prompt(scene: Scene) -> str:
    """The scene's beats, numbered, as the model reads them."""
    h = scene.heading
    rows = [f"Scene: {h.setting} {h.place} ({h.time}). Cast: {', '.join(scene.characters)}"]
    for k, shot in enumerate(scene.shots, start=1):
        said = " ".join(f"{ln.speaker}{f' ({ln.parenthetical})' if ln.parenthetical else ''}: "
                        f"{ln.text}" for ln in shot.lines)
        beat = f" [{shot.beat}]" if shot.beat else ""
        staging = f" (staging: {describe(shot.blocking)})" if shot.blocking and \
            shot.blocking.people else ""
        rows.append(f"{k}.{beat} {shot.action} {said}{staging}".strip())
    return "\n".join(rows)


def parse_scene(text: str, scene: Scene) -> ScenePlan:
    """Validate one scene's answer; raise ValueError naming what is wrong."""
    try:
        plan = ScenePlan.model_validate_json(text)
    except ValidationError as exc:
        raise ValueError(f"not a scene plan: {exc.errors()[0]['msg']}") from None
    if len(plan.shots) != len(scene.shots):
        raise ValueError(f"{len(plan.shots)} shots for {len(scene.shots)} beats")
    return plan


def apply_choices(scene: Scene, plan: ScenePlan) -> int:
    """The model's choices on the rules' shots, where they keep the framing rules; returns
    how many shots took them."""
    taken = 0
    for shot, choice in zip(scene.shots, plan.shots, strict=True):
        if shot.card:  # a card stays a card
            continue
        people = list(dict.fromkeys(choice.characters))
        for ln in shot.lines:  # whoever speaks stays in frame, unless heard from off screen
            if ln.speaker not in people and ln.speaker in scene.characters and not offscreen(ln):
                people.insert(0, ln.speaker)
        if needs_two(choice.size, len(people)):  # the rules planner's framing rule
            continue
        if choice.lens_mm not in LENSES:
            continue
        shot.size, shot.angle, shot.movement = choice.size, choice.angle, choice.movement
        shot.lens_mm, shot.characters = choice.lens_mm, people
        taken += 1
    stage(scene)  # the staging follows who is now in frame
    return taken


class LLMShotPlanner:
    """``plan_episode(draft)`` with a model's camera choices over the rules' layout.

    The model is any ``ChatGenerator`` (``aiscript.backends.chat``): a local transformers model
    (``LocalChat``) or a GGUF in llama.cpp (``LlamaCppChat``). ``fallbacks`` lists the
    (episode, scene) pairs whose answers did not validate."""

    def __init__(self, chat, timing: TimingModel | None = None, max_new_tokens: int = 4096,
                 constrained: bool = True) -> None:
        self.chat, self.timing = chat, timing
        self.max_new_tokens, self.constrained = max_new_tokens, constrained
        self.fallbacks: list[tuple[int, int]] = []
        self.taken = 0

    @classmethod
    def from_options(cls, model: str, device: str | None = None,
                     threads: int | None = None, **kw) -> LLMShotPlanner:
        """A ``.gguf`` file runs in llama.cpp in this process (CPU); anything else loads as a
        local causal LM (folder or cached hub id, safetensors only)."""
        if str(model).lower().endswith(".gguf"):
            from aiscript.backends.llamacpp import LlamaCppChat

            return cls(LlamaCppChat.open(model, threads=threads, parallel=2), **kw)
        from aiscript.backends.chat import LocalChat
        from aiscript.backends.hf_text import TransformersGenerator

        gen = TransformersGenerator.from_pretrained(model, device=device)
        return cls(LocalChat(gen, threads=threads, constrained=True), **kw)

    def plan_episode(self, draft: EpisodeDraft, timing: TimingModel | None = None) -> Episode:
        episode = plan_episode(draft, timing or self.timing)
        prompts = [(SYSTEM, scene_prompt(sc)) for sc in episode.scenes]
        schemas = [scene_schema(len(sc.shots), sc.characters) for sc in episode.scenes]
        # about 70 tokens of JSON per shot, room for long cast lists; the longest scene sets it
        budget = min(self.max_new_tokens, max(128 * len(sc.shots) + 32 for sc in episode.scenes))
        answers = self.chat.chat(prompts, budget, schemas if self.constrained else None, 0.0,
                                 [episode.number * 1000 + sc.number for sc in episode.scenes])
        for scene, answer in zip(episode.scenes, answers, strict=True):
            try:
                self.taken += apply_choices(scene, parse_scene(answer.text, scene))
            except ValueError:
                self.fallbacks.append((episode.number, scene.number))
        return episode
