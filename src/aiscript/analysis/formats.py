"""The analyser's view of a script: the readers' ``EpisodeDraft``s (``aiscript.script``, the
one place scripts are parsed) flattened into one list of ``Element``s (heading, action,
dialogue) and placed on a timeline.

``script_of`` is the one function that turns drafts into elements; ``timeline`` times them.

>>> s = read_text("1-1 日 内 总裁办公室\\n人物：林晚、顾言\\n△林晚推门而入。\\n林晚：我不干了。", "ep.txt")
>>> s.format, [e.kind for e in s.elements]
('zh_layout', ['heading', 'action', 'dialogue'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from aiscript.errors import AiscriptError
from aiscript.schema import Episode, EpisodeDraft, Language
from aiscript.timing import TimingModel


@dataclass
class Element:
    kind: Literal["heading", "action", "dialogue"]
    text: str
    speaker: str = ""
    parenthetical: str = ""
    new_shot: bool = True  # a cut before this element (for pacing)
    voice_over: bool = False  # narration or a voice heard over the picture, not said in the scene


@dataclass
class Script:
    source: str
    format: str
    language: Language
    elements: list[Element] = field(default_factory=list)
    episode: int | None = None
    cast: list[str] = field(default_factory=list)  # the people the scenes list


@dataclass
class Beat:
    """One element on the timeline, with its emotion once scored."""

    el: Element
    start: float
    end: float
    valence: float = 0.0
    arousal: float = 0.0


_VOICE_OVER = re.compile(r"\bV\.?\s?O\b|画外音|旁白|内心独白|心声|inner monologue|narrat", re.I)
_CARD = re.compile(r"^\s*【([^】]+)】\s*$")
_TAG = re.compile(r"^\s*\[\s*([^\]]{1,12})\s*\]\s*(.*)$")
_CUTS = ("切至", "切到", "转场", "闪回结束", "回忆结束")
_TRANSITION = re.compile(r"^\s*(?:CUT|SMASH CUT|MATCH CUT|DISSOLVE|FADE)(?: TO)?\s*:?\s*(?:BLACK\.?)?$", re.I)
_DIALECT = re.compile(r"^[^\S\n]*#{1,4}\s*EP\s*\d+\s*[-_·.]?\s*SC\s*\d+", re.M | re.I)


# --------------------------------------------------------------------------- entry points


def read_path(path: str | Path) -> Script:
    """Read one script file (the readers' size, binary and UTF-8 checks), errors naming it."""
    from aiscript.script import load_text

    return read_text(load_text(path), str(path))


def read_text(text: str, source: str = "<text>") -> Script:
    """Any script text through the readers: Fountain, both 短剧 layouts, Final Draft, Episode
    JSON, and prose as the last resort. Front matter is set aside by the readers; a play
    pasted from a web page as one paragraph is broken into its elements first."""
    from aiscript.script import normalise, script_format
    from aiscript.script import read_text as read_drafts
    from aiscript.script.front_matter import split_run_ons

    if not text.strip():
        raise AiscriptError(f"{source}: empty script", "give a file with a script in it")
    text = normalise(text)
    kind = script_format(text, source)
    if kind not in ("json", "fdx"):
        text = split_run_ons(text)
    try:
        drafts = read_drafts(text, source, prose=True)
    except AiscriptError as exc:
        if kind not in ("duanju", "fountain") or "no scenes, action" not in exc.problem:
            raise
        # a play run into its title or cast line: read it whole as prose, never drop it
        from aiscript.script.prose import read_prose

        drafts, kind = read_prose(text, source), ""
    fmt = {"json": "episode_json", "fdx": "fdx", "fountain": "fountain", "transcript": "transcript",
           "duanju": "zh_dialect" if _DIALECT.search(text) else "zh_layout"}.get(kind, "prose")
    return script_of(drafts, source, fmt)


def from_episode(ep: Episode | EpisodeDraft, source: str = "<episode>") -> Script:
    """An ``Episode`` (or draft) made in memory, on the same path as a file."""
    from aiscript.script.episode_json import to_draft

    return script_of([ep if isinstance(ep, EpisodeDraft) else to_draft(ep)], source, "episode_json")


def script_of(drafts: list[EpisodeDraft], source: str, fmt: str) -> Script:
    """The one place drafts become the analyser's elements: a heading per scene, an action per
    action, a dialogue element per line (a new shot when the speaker changes, voice-over from
    its parenthetical); 短剧 cards and tags read as what they show (``【字幕：…】`` a caption,
    ``【切至…】`` a cut timed like a scene change, ``[SFX]`` a sound). Several episodes in one
    file are read as one script."""
    elements: list[Element] = []
    cast: list[str] = []
    for draft in drafts:
        for scene in draft.scenes:
            h = scene.heading
            if h.place != "(no heading)":  # the reader's name for a file with no headings
                elements.append(Element("heading", f"{h.setting}. {h.place} - {h.time}",
                                        new_shot=False))
            cast += [c for c in scene.characters if c not in cast and c != "?"]
            speaker = None
            for el in scene.elements:
                if el.action.strip():
                    _action(elements, el.action.strip())
                    speaker = None
                if el.line is not None:
                    paren = el.line.parenthetical or ""
                    who = el.line.speaker
                    elements.append(Element("dialogue", el.line.text, who, paren,
                                            new_shot=who != speaker,
                                            voice_over=bool(_VOICE_OVER.search(paren))))
                    speaker = who
    if not any(e.kind != "heading" for e in elements):
        raise AiscriptError(f"{source}: no scenes, action or dialogue found", "check the layout")
    first = drafts[0]
    return Script(source, fmt, first.language, elements, first.number, cast)


def _action(elements: list[Element], text: str) -> None:
    if m := _CARD.match(text):
        card = m.group(1).strip()
        elements.append(Element("heading", card, new_shot=False) if card.startswith(_CUTS)
                        else Element("action", card))
    elif (m := _TAG.match(text)) and m.group(2).strip():
        tag, body = m.group(1).strip(), m.group(2).strip()
        if tag.upper() == "SFX" or tag in ("音效", "声音"):
            elements.append(Element("action", f"音效：{body}"))
        elif tag in ("画面文字", "字幕", "屏幕文字", "文字"):
            elements.append(Element("action", f"字幕：{body}"))
        else:  # [画面], [动作], [连续性] and the like: what is seen
            elements.append(Element("action", body))
    elif _TRANSITION.match(text):
        elements.append(Element("heading", text, new_shot=False))
    else:
        elements.append(Element("action", text))


# --------------------------------------------------------------------------- the timeline


def timeline(script: Script, timing: TimingModel | None = None) -> list[Beat]:
    """Each element with its start and end: action by beats, dialogue by speech rate, a scene
    change by the timing model's cut."""
    timing = timing or TimingModel()
    out, t = [], 0.0
    for el in script.elements:
        if el.kind == "heading":
            dur = timing.scene_change_s if out else 0.0
        elif el.kind == "action":
            dur = timing.action_seconds(el.text)
        else:
            dur = timing.line_seconds(el.text)
        out.append(Beat(el, round(t, 2), round(t + dur, 2)))
        t += dur
    return out
