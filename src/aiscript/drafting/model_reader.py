"""The premise read by a model into the rules reader's ``Brief`` (the same schema, under a JSON
Schema grammar), checked against the premise, with the rules' reading as the fallback.

The rules reader (``story.brief.read_premise``, behind ``story.season.read_brief``) finds names, roles,
places and a device by word lists; a model reads what the lists miss ("never guessing he owns
the city" is a hidden identity). A model also invents: so a name must be in the premise, a
device must be one of the catalogue's ids, every text must pass the degenerate-text checks,
and where the model's reading fails, the rules' reading stands, with the reasons kept in
``refusals``.

    reader = ModelReader(LlamaCppChat.open("q.gguf", threads=1))
    brief = reader.read(premise)          # Brief(source="model") or the rules' Brief
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from aiscript.drafting import checks
from aiscript.schema import Brief, Premise
from aiscript.story import brief as briefs

SLOTS = ["hero", "love", "villain", "ally", "elder"]
GENDERS = ["female", "male", "unknown"]
_CAP = {"name": 24, "label": 24, "text": 60}

_SYSTEM = {
    "zh": ("你是短剧策划。读下面的故事梗概，只填 JSON：主角(lead)和其他人物(roles)的名字（梗概里"
           "没有名字就填 null）、性别、梗概怎么称呼他们；主角的职业(job)、处境(situation)、"
           "场景(setting)和地点(places)；故事装置(device)，只能从这些里选一个或 null：{devices}；"
           "主角想要什么(want)；故事开始前主角失去了什么(backstory)，只能从这些里选：{losses}。"
           "只写梗概里有的，不要编。"),
    "en": ("You are a micro-drama story editor. Read the premise and fill in the JSON only: the "
           "lead and the other roles (their names as the premise gives them, or null), gender, "
           "how the premise calls them; the lead's job, situation, the setting and places; the "
           "story device, one of these or null: {devices}; what the lead wants; what the lead "
           "lost before the story starts (backstory), from these: {losses}. Only what the "
           "premise says: invent nothing."),
}


def _text(cap: int) -> dict:
    return {"type": "string", "maxLength": cap}


def _role(slots: list[str]) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": ["slot", "name", "gender", "label"],
            "properties": {"slot": {"enum": slots},
                           "name": {"anyOf": [_text(_CAP["name"]), {"type": "null"}]},
                           "gender": {"enum": GENDERS}, "label": _text(_CAP["label"])}}


def brief_schema() -> dict:
    """The ``Brief`` a model fills: closed sets for slots, genders and the device."""
    return {"type": "object", "additionalProperties": False,
            "required": ["lead", "job", "situation", "roles", "setting", "places", "device",
                         "device_holder", "want", "backstory"],
            "properties": {
                "lead": _role(["hero"]), "job": _text(_CAP["label"]),
                "situation": _text(_CAP["text"]),
                "roles": {"type": "array", "items": _role(SLOTS[1:]), "maxItems": 4},
                "setting": _text(_CAP["label"]),
                "places": {"type": "array", "items": _text(_CAP["label"]), "maxItems": 4},
                "device": {"anyOf": [{"enum": sorted(briefs.devices())}, {"type": "null"}]},
                "device_holder": {"enum": SLOTS}, "want": _text(_CAP["text"]),
                "backstory": {"type": "array", "items": {"enum": list(briefs.losses())},
                              "maxItems": 3}}}


class ModelReader:
    """``read(premise) -> Brief`` by a ``ChatGenerator`` (``aiscript.backends.chat``), falling
    back to ``fallback`` (the rules reader) where the model's reading does not hold."""

    def __init__(self, chat, fallback: Callable[[Premise], Brief] | None = None,
                 max_new_tokens: int = 400) -> None:
        self.chat = chat
        self.fallback = fallback or (lambda p: briefs.read_premise(p.text, p.language))
        self.max_new_tokens = max_new_tokens
        self.refusals: list[str] = []  # why the model's reading was not taken, if it was not

    def __call__(self, premise: Premise) -> Brief:
        return self.read(premise)

    def read(self, premise: Premise) -> Brief:
        lang = premise.language
        system = _SYSTEM[lang].format(devices=", ".join(sorted(briefs.devices())),
                                      losses=", ".join(briefs.losses()))
        res = self.chat.chat([(system, premise.text)], self.max_new_tokens,
                             [json.dumps(brief_schema(), ensure_ascii=False)], 0.0, [0])[0]
        rules = self.fallback(premise)
        try:
            raw = json.loads(res.text)
            # a reading without the backstory (an older grammar) keeps the rules' one
            raw = {"backstory": rules.backstory, **raw} if isinstance(raw, dict) else raw
            brief = Brief.model_validate({**raw, "source": "model"})
        except (ValidationError, ValueError) as exc:
            self.refusals = [f"invalid: {str(exc).splitlines()[0][:120]}"]
            return rules
        self.refusals = reading_problems(brief, premise)
        return rules if self.refusals else brief


def reading_problems(brief: Brief, premise: Premise) -> list[str]:
    """Why a model's reading cannot stand: a name the premise does not hold (invented), two
    people with one name, degenerate text (placeholders, key names, copied instructions)."""
    ctx = checks.Context(language=premise.language, prompt=_SYSTEM[premise.language])
    norm_premise = checks._norm(premise.text)
    out: list[str] = []
    people = [brief.lead, *brief.roles]
    names = [p.name for p in people if p.name]
    for name in names:
        if checks._norm(name) not in norm_premise:
            out.append(f'a name the premise does not give: "{name}"')
    if len(set(names)) < len(names):
        out.append("two people with one name")
    out += [f"a loss outside the catalogue: {i!r}" for i in brief.backstory
            if i not in briefs.losses()]
    texts: list[Any] = [brief.job, brief.situation, brief.setting, brief.want, *brief.places,
                        *(p.label for p in people)]
    for t in (t for t in texts if t and t.strip()):
        out += [p for p in checks.text_problems(t, ctx) if "copied from the prompt" in p
                or "placeholder" in p or "key name" in p or "repeated" in p]
    return out
