"""What the model writes, and how it is checked: the JSON shapes of an episode (a title and
scenes of beats: an action and one or more lines per beat) and of a season draft (title,
logline, looks, summaries), their JSON Schemas with length caps, parsing, the degenerate-text
checks over them, and the compact examples the prompts show.

>>> schema = json.loads(episode_schema(2, ["林晚", "顾言"], "zh"))
>>> schema["properties"]["beats"]["minItems"], schema["required"]
(2, ['title', 'beats'])
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pydantic import Field

from aiscript.drafting import checks
from aiscript.schema import Model, SeriesBible

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Length caps per field and language, sized so real text fits: a line a speaker says in one
# breath, an action a sentence or two. A string at its cap was cut and is refused.
CAPS: dict[str, dict[str, int]] = {
    "zh": {"title": 24, "logline": 120, "look": 80, "summary": 100, "action": 70, "line": 50},
    "en": {"title": 60, "logline": 280, "look": 220, "summary": 260, "action": 180, "line": 140},
}
CHARS_PER_TOKEN = {"zh": 0.9, "en": 3.5}  # for token budgets: small tokenizers split Chinese
MAX_LINES = 3  # lines per beat
INTENSITY = {"hook": 0.8, "pivot": 0.6, "twist": 0.7, "push": 0.4, "payoff": 0.8,
             "cliffhanger": 0.9, "beat": 0.3}


# --------------------------------------------------------------------------- what the model writes


class ModelLine(Model):
    speaker: str = Field(min_length=1)
    text: str = Field(min_length=1)


class ModelBeat(Model):
    action: str = Field(min_length=1)
    lines: list[ModelLine] = Field(min_length=1)


class ModelEpisode(Model):
    """One episode as the model writes it: a title and one beat per planned beat."""

    title: str = Field(min_length=1)
    beats: list[ModelBeat]


class PlanDraft(Model):
    """The model's words over the planner's season: title, logline, looks, summaries."""

    title: str = Field(min_length=1)
    logline: str = Field(min_length=1)
    looks: list[str]
    summaries: list[str]


# The least a real text of each field holds: an action is a sentence, not a name.
MINS: dict[str, dict[str, int]] = {
    "zh": {"title": 2, "logline": 8, "look": 6, "summary": 6, "action": 8, "line": 2},
    "en": {"title": 3, "logline": 20, "look": 15, "summary": 15, "action": 20, "line": 2},
}


def _text(cap: int, least: int = 1) -> dict:
    """A string of ``least`` to ``cap`` characters."""
    return {"type": "string", "minLength": least, "maxLength": cap}


def _field(lang: str, name: str) -> dict:
    return _text(CAPS[lang][name], MINS[lang][name])


def _array(items: dict, least: int, most: int) -> dict:
    return {"type": "array", "items": items, "minItems": least, "maxItems": most}


def _object(**props: dict) -> dict:
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


def beat_schema(cast: Sequence[str], lang: str) -> dict:
    line = _object(speaker={"enum": list(cast)}, text=_field(lang, "line"))
    return _object(action=_field(lang, "action"), lines=_array(line, 1, MAX_LINES))


def episode_schema(beats: int, cast: Sequence[str], lang: str) -> str:
    """JSON Schema of one episode: exactly ``beats`` beats, speakers from the cast."""
    return json.dumps(_object(title=_field(lang, "title"),
                              beats=_array(beat_schema(cast, lang), beats, beats)),
                      ensure_ascii=False)


def plan_schema(characters: int, episodes: int, lang: str) -> str:
    """JSON Schema of a season draft: one look per character, one summary per episode."""
    return json.dumps(_object(title=_field(lang, "title"), logline=_field(lang, "logline"),
                              looks=_array(_field(lang, "look"), characters, characters),
                              summaries=_array(_field(lang, "summary"), episodes, episodes)),
                      ensure_ascii=False)


def parse_episode(text: str, beats: int, cast: Sequence[str]) -> ModelEpisode:
    """Validate a model's episode; raise ValueError naming what is wrong."""
    draft = ModelEpisode.model_validate_json(repair_json(text))
    if len(draft.beats) != beats:
        raise ValueError(f"{len(draft.beats)} beats, expected {beats}")
    draft.title = _clean(draft.title)
    for b in draft.beats:
        _clean_beat(b, cast)
    return draft


def parse_beat(text: str, cast: Sequence[str]) -> ModelBeat:
    return _clean_beat(ModelBeat.model_validate_json(repair_json(text)), cast)


def _clean_beat(b: ModelBeat, cast: Sequence[str]) -> ModelBeat:
    b.action = _clean(b.action)
    for ln in b.lines:
        if ln.speaker not in cast:
            raise ValueError(f"unknown speaker {ln.speaker!r}")
        ln.text = _clean(ln.text)
    return b


def parse_plan(text: str, characters: int, episodes: int) -> PlanDraft:
    """Validate a season draft; raise ValueError naming what is wrong."""
    draft = PlanDraft.model_validate_json(repair_json(text))
    if len(draft.looks) != characters or len(draft.summaries) != episodes:
        raise ValueError(f"{len(draft.looks)} looks and {len(draft.summaries)} summaries, "
                         f"expected {characters} and {episodes}")
    draft.title, draft.logline = _clean(draft.title), _clean(draft.logline)
    draft.looks = [_clean(x) for x in draft.looks]
    draft.summaries = [_clean(x) for x in draft.summaries]
    return draft


def repair_json(text: str) -> str:
    """Best-effort repair of unconstrained output: the outermost object, no trailing commas,
    unclosed brackets closed."""
    text = _CONTROL.sub(" ", text)  # raw control characters are not JSON; JSON's own spacing
    start = text.find("{")            # survives as spaces
    if start < 0:
        return text
    body = re.sub(r",\s*([}\]])", r"\1", text[start:])
    end = body.rfind("}")
    candidate = body[: end + 1] if end >= 0 else body
    try:
        json.loads(candidate)
        return candidate
    except json.JSONDecodeError:
        pass
    stack = []
    in_str = esc = False
    for ch in body:
        if in_str:
            esc, in_str = (not esc and ch == "\\"), (in_str and not (ch == '"' and not esc))
            continue
        if ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
    return body + ('"' if in_str else "") + "".join(reversed(stack))


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


# --------------------------------------------------------------------------- degenerate drafts


def beat_problems(beats: Sequence[ModelBeat], ctx: checks.Context) -> list[str]:
    """Degenerate text in beats: each action and line, and repetition across them."""
    caps = CAPS[ctx.language]
    out = []
    for b in beats:
        out += checks.text_problems(b.action, ctx, cap=caps["action"])
        for ln in b.lines:
            out += checks.text_problems(ln.text, ctx, speaker=ln.speaker, cap=caps["line"])
            if (checks._CUT_ZH if ctx.language == "zh" else checks._CUT_EN).search(ln.text):
                out.append(f'a line cut mid-sentence: "{ln.text[-40:]}"')
    out += checks.repetition_problems([ln.text for b in beats for ln in b.lines], "line")
    out += checks.repetition_problems([b.action for b in beats], "action")
    return out


def episode_problems(draft: ModelEpisode, ctx: checks.Context) -> list[str]:
    return (checks.text_problems(draft.title, ctx, cap=CAPS[ctx.language]["title"])
            + beat_problems(draft.beats, ctx))


def plan_problems(draft: PlanDraft, ctx: checks.Context) -> list[str]:
    caps = CAPS[ctx.language]
    out = checks.text_problems(draft.title, ctx, cap=caps["title"])
    out += checks.text_problems(draft.logline, ctx, cap=caps["logline"])
    looks_ctx = checks.Context(**{**ctx.__dict__, "title": draft.title, "cap": caps["look"]})
    out += checks.look_problems(draft.looks, looks_ctx)
    out += checks.texts_problems(draft.summaries, checks.Context(
        **{**ctx.__dict__, "cap": caps["summary"]}))
    out += checks.repetition_problems(draft.summaries, "summary", most=0.5)
    return out



# The prompts show the answer's shape with slots, never sample content: a small model copies an
# example's words into its own story (a sample look became every character's look). A slot
# copied as it is, "<...>", is refused as a placeholder by the checks.
_SLOTS = {
    "zh": {"title": "本集标题", "action": "这一拍镜头里的画面", "speaker": "人物表里的名字",
           "text": "这句台词", "series": "剧名", "logline": "一句话卖点",
           "look": "这个人物的外形", "summary": "这一集发生的事"},
    "en": {"title": "episode title", "action": "what the camera sees in this beat",
           "speaker": "a name from the cast", "text": "the spoken words", "series": "series title",
           "logline": "one sentence pitch", "look": "this character s look",
           "summary": "what happens in this episode"},
}


def _slot(lang: str, key: str, n: int | None = None) -> str:
    word = _SLOTS.get(lang, _SLOTS["en"])[key]
    return f"<{word} {n}>" if n else f"<{word}>"


def episode_example(bible: SeriesBible) -> str:
    """The answer's shape with slots in the series' language (no sample story to copy)."""
    lang = bible.language
    beat = {"action": _slot(lang, "action"),
            "lines": [{"speaker": _slot(lang, "speaker"), "text": _slot(lang, "text")}]}
    return json.dumps({"title": _slot(lang, "title"), "beats": [beat, "..."]},
                      ensure_ascii=False)


def plan_example(bible: SeriesBible) -> str:
    """The season draft's shape with slots: one look per character, one summary per episode."""
    lang = bible.language
    shape = {"title": _slot(lang, "series"), "logline": _slot(lang, "logline"),
             "looks": [_slot(lang, "look", 1), _slot(lang, "look", 2), "..."],
             "summaries": [_slot(lang, "summary", 1), "..."]}
    return json.dumps(shape, ensure_ascii=False)
