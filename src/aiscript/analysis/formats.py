"""Script readers: Episode JSON, Fountain, the Chinese 短剧 layout and plain prose, all read into
one flat list of ``Element``s (heading, action, dialogue) that the analyser times and scores.

>>> s = read_text("1-1 日 内 总裁办公室\\n人物：林晚、顾言\\n△林晚推门而入。\\n林晚：我不干了。", "ep.txt")
>>> s.format, [e.kind for e in s.elements]
('zh_layout', ['heading', 'action', 'dialogue'])
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from aiscript.errors import AiscriptError
from aiscript.schema import Episode, Language
from aiscript.script.front_matter import set_aside
from aiscript.timing import detect_language

MAX_BYTES = 2_000_000
SUFFIXES = (".json", ".fountain", ".spmd", ".txt", ".md")


@dataclass
class Element:
    kind: Literal["heading", "action", "dialogue"]
    text: str
    speaker: str = ""
    parenthetical: str = ""
    new_shot: bool = True  # a cut before this element (for pacing)
    voice_over: bool = False  # narration or a voice heard over the picture, not said in the scene


_VOICE_OVER = re.compile(r"\bV\.?\s?O\b|画外音|旁白|内心独白|心声|inner monologue|narrat", re.I)


@dataclass
class Script:
    source: str
    format: str
    language: Language
    elements: list[Element] = field(default_factory=list)
    episode: int | None = None
    cast: list[str] = field(default_factory=list)  # names a cast line lists (人物：…)


# --------------------------------------------------------------------------- entry points


def read_path(path: str | Path) -> Script:
    """Read one script file, with errors that name the file and the problem."""
    from aiscript.files import read_text_limited

    path = Path(path)
    return read_text(read_text_limited(path, MAX_BYTES, "script"), str(path))


def read_text(text: str, source: str = "<text>") -> Script:
    """Detect the format from the name and the content, then read. Front matter (title pages,
    剧名/简介/人物小传 blocks, episode headers, notes) is set aside first
    (``aiscript.script.front_matter``): the first element is the first thing on screen."""
    if not text.strip():
        raise AiscriptError(f"{source}: empty script", "give a file with a script in it")
    suffix = Path(source).suffix.lower()
    if suffix == ".json" or (suffix not in (".fountain", ".spmd") and text.lstrip()[:1] == "{"):
        return read_episode_json(text, source)
    script, episode = _read_body(text, source, suffix)
    if script.episode is None:
        script.episode = episode
    return script


def _read_body(text: str, source: str, suffix: str) -> tuple[Script, int | None]:
    """The script read from ``text`` with its front matter set aside, and the number of the
    first episode header the front matter held."""
    fm = set_aside(text, episode_headers=True, split_runons=True)
    if not fm.text.strip():
        raise AiscriptError(f"{source}: only a title, synopsis or notes, no scenes",
                            "give the script itself (scenes, action, dialogue)")
    body = fm.text
    if suffix in (".fountain", ".spmd") or not (
            _ZH_DIALECT_HEADING.search(body) or _ZH_HEADING.search(body)
            or _ZH_ACTION.search(body) or _zh_dialogue_share(body) > 0.3) and (
            _FOUNTAIN_HEADING.search(body) or re.search(r"^[^\S\n]*@\S", body, re.M)):
        # again as Fountain: its title page and # sections are the parser's to read
        body = set_aside(text, fountain=True, episode_headers=True).text
        return read_fountain(body, source), fm.episode
    if _ZH_DIALECT_HEADING.search(body):
        return read_zh_layout(body, source, "zh_dialect"), fm.episode
    if _ZH_HEADING.search(body) or _ZH_ACTION.search(body) or _zh_dialogue_share(body) > 0.3:
        return read_zh_layout(body, source), fm.episode
    return read_prose(body, source), fm.episode


def _episode_number(source: str) -> int | None:
    m = re.search(r"(?:ep|episode|第)\s*0*(\d{1,3})", Path(source).stem, re.I)
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------- Episode JSON


def read_episode_json(text: str, source: str) -> Script:
    from aiscript.files import load_json

    data = load_json(text, source, "fix the JSON, or export the episode again")
    try:
        ep = Episode.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AiscriptError(
            f"{source}: not an Episode ({where}: {first['msg']})",
            "see `aiscript schema Episode` for the expected shape",
        ) from None
    return from_episode(ep, source)


def from_episode(ep: Episode, source: str = "<episode>") -> Script:
    elements: list[Element] = []
    for scene in ep.scenes:
        h = scene.heading
        elements.append(Element("heading", f"{h.setting}. {h.place} - {h.time}", new_shot=False))
        for shot in scene.shots:
            first = True
            if shot.action:
                elements.append(Element("action", shot.action))
                first = False
            for line in shot.lines:
                paren = line.parenthetical or ""
                elements.append(Element("dialogue", line.text, line.speaker, paren,
                                        new_shot=first, voice_over=bool(_VOICE_OVER.search(paren))))
                first = False
    return Script(source, "episode_json", ep.language, elements, ep.number)


# --------------------------------------------------------------------------- Fountain


_FOUNTAIN_HEADING = re.compile(r"^[^\S\n]*(?:INT|EXT|EST|INT\./EXT|I/E)[ .]", re.M)


def read_fountain(text: str, source: str) -> Script:
    from screenplain.parsers import fountain

    try:
        screenplay = fountain.parse(io.StringIO(_defuse(text)))
    except Exception as exc:  # screenplain raises plain exceptions on malformed input
        raise AiscriptError(f"{source}: not readable as Fountain ({exc})", "check the markup") from None
    elements: list[Element] = []
    for p in screenplay.paragraphs:
        name = type(p).__name__
        if name in ("Slug", "Transition"):  # a transition is a cut, timed like a scene change
            elements.append(Element("heading", str(p.line), new_shot=False))
        elif name == "Action":
            body = " ".join(str(line) for line in p.lines).strip()
            if body:
                elements.append(Element("action", body))
        elif name in ("Dialog", "DualDialog"):
            for d in (p.left, p.right) if name == "DualDialog" else (p,):
                _dialog(elements, str(d.character), d.blocks)
    if not elements:
        raise AiscriptError(f"{source}: no scenes, action or dialogue found", "check the markup")
    lang = detect_language(" ".join(e.text for e in elements))
    return Script(source, "fountain", lang, elements, _episode_number(source))


_LONG_SPACE = re.compile(r"[^\S\n]{32,}")


def _defuse(text: str) -> str:
    """What screenplain's regexes take quadratic time on, removed in linear time: notes
    ``[[...]]`` and boneyard ``/*...*/`` (unclosed openers dropped), and long runs of spaces
    (cut to 31; Fountain's indentation needs at most 3).

    >>> _defuse("A [[note]] b /* gone */ c [[ open")
    'A  b  c  open'
    """
    for opener, closer in (("/*", "*/"), ("[[", "]]")):
        if opener not in text:
            continue
        parts, i = [], 0
        while (j := text.find(opener, i)) >= 0:
            k = text.find(closer, j + 2)
            parts.append(text[i:j])
            if k < 0:  # no closer anywhere after: the rest is text, without openers
                parts.append(text[j:].replace(opener, ""))
                i = len(text)
                break
            i = k + 2
        parts.append(text[i:])
        text = "".join(parts)
    return _LONG_SPACE.sub(" " * 31, text)


def _dialog(elements: list[Element], cue: str, blocks) -> None:
    voice = bool(_VOICE_OVER.search(cue))
    speaker = re.sub(r"\s*\((?:V\.?O\.?|O\.?S\.?|CONT'D|cont'd)\)\s*$", "", cue).strip()
    paren, first = "", True
    for is_paren, text in blocks:
        if is_paren:
            paren = str(text).strip("() ")
            continue
        elements.append(Element("dialogue", str(text), speaker, paren, new_shot=first,
                                voice_over=voice or bool(_VOICE_OVER.search(paren))))
        paren, first = "", False


# --------------------------------------------------------------------------- Chinese layout


_ZH_HEADING = re.compile(
    r"^[^\S\n]*(?:第?[^\S\n]*\d+[^\S\n]*[-－—.][^\S\n]*\d+[^\S\n]*场?|第[^\S\n]*\d+[^\S\n]*场)"
    r"[^\S\n]*(.*)$", re.M
)
_ZH_ACTION = re.compile(r"^[^\S\n]*[△▲]", re.M)
_ZH_CAST = re.compile(r"^\s*(?:人物|出场人物|角色)\s*[:：]")
_ZH_CAST_ANYWHERE = re.compile(r"(?:出场人物|人物|角色)\s*[:：]\s*(.*)$")
_ZH_LINE = re.compile(r"^\s*([^\s：:（(△▲]{1,12})\s*(?:[（(]([^）)]{0,12})[）)]\s*)?[:：]\s*(.+)$")


def _zh_dialogue_share(text: str) -> float:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return sum(bool(_ZH_LINE.match(ln)) for ln in lines) / max(1, len(lines)) if re.search(
        r"[\u4e00-\u9fff]", text) else 0.0


_ZH_DIALECT_HEADING = re.compile(r"^[^\S\n]*#{1,4}\s*EP\s*(\d+)\s*[-_·.]?\s*SC\s*\d+\b\s*(.*)$", re.M | re.I)
_ZH_EPISODE = re.compile(r"^\s*第\s*(\d+)\s*集(?:[\s：:].*)?$")  # may carry the title
_ZH_TITLE = re.compile(r"^\s*(?:#(?!#)\s*.*|《[^》]+》\s*)$")
_ZH_OMITTED = re.compile(r"^\s*[（(【\[]\s*(?:中略|略|此处省略|省略)[^）)】\]]*[）)】\]]\s*$")
_ZH_CARD = re.compile(r"^\s*【([^】]+)】\s*$")
_ZH_TAG = re.compile(r"^\s*\[([^\]]{1,8})\]\s*(.*)$")
_ZH_CUTS = ("切至", "切到", "转场", "闪回结束", "回忆结束")
_ZH_VOICE = ("VO", "V.O.", "OS", "O.S.", "画外音", "旁白", "内心独白", "OS画外音")


def read_zh_layout(text: str, source: str, fmt: str = "zh_layout") -> Script:
    """Both 短剧 layouts.

    The standard one: ``1-1 日 内 地点`` headings, ``人物：`` cast lines, ``△`` action,
    ``名字（冷笑）：台词``. The ``## EP001-SC001 内 · 地点 · 时间`` dialect: plain action lines,
    ``[画面文字]`` captions, ``[SFX]`` sounds, ``[VO] 名字：台词`` voice-over, ``【字幕：…】``
    and ``【黑屏】`` cards. Titles (``# 剧名``, ``《剧名》``), ``第1集`` and an omission mark
    (``（中略）``) are not beats; a card that cuts (``【切至】``) is timed like a scene change.

    >>> s = read_text("## EP002-SC001 内 · 办公室 · 日\\n[SFX] 雷声\\n[VO] 林晚：我回来了。\\n【字幕：未完待续】")
    >>> s.format, s.episode, [(e.kind, e.text) for e in s.elements][1:]
    ('zh_dialect', 2, [('action', '音效：雷声'), ('dialogue', '我回来了。'), ('action', '字幕：未完待续')])
    """
    elements: list[Element] = []
    episode = None
    cast: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if m := _ZH_CAST_ANYWHERE.search(line):
            cast += [n for n in re.split(r"[、，,/／\s]+", m.group(1)) if n and n not in cast]
        if not line or _ZH_CAST.match(line) or _ZH_OMITTED.match(line):
            continue
        if m := _ZH_DIALECT_HEADING.match(line):
            episode = episode or int(m.group(1))
            elements.append(Element("heading", m.group(2).strip() or line, new_shot=False))
        elif m := _ZH_EPISODE.match(line):
            episode = episode or int(m.group(1))
        elif _ZH_TITLE.match(line):
            continue
        elif _ZH_HEADING.match(line):
            elements.append(Element("heading", line, new_shot=False))
        elif m := _ZH_CARD.match(line):
            card = m.group(1).strip()
            if card.startswith(_ZH_CUTS):
                elements.append(Element("heading", card, new_shot=False))
            else:
                elements.append(Element("action", card))
        elif (m := _ZH_TAG.match(line)) and m.group(2):
            _zh_tagged(elements, m.group(1).strip(), m.group(2).strip())
        elif _ZH_ACTION.match(line):
            elements.append(Element("action", line.lstrip("△▲ ")))
        elif (m := _ZH_LINE.match(line)) and _zh_speaker(m.group(1)):
            _zh_said(elements, *m.groups())
        else:
            elements.append(Element("action", line))
    if not elements:
        raise AiscriptError(f"{source}: no scenes, action or dialogue found", "check the layout")
    lang = detect_language(" ".join(e.text for e in elements))
    return Script(source, fmt, lang, elements, episode or _episode_number(source), cast)


def _zh_speaker(name: str) -> bool:
    """A character cue, not the start of an action sentence with a colon ("他看了一眼：…")."""
    return not any(c in name for c in "了着过把被")


def _zh_said(elements: list[Element], speaker: str, paren: str | None, said: str) -> None:
    first = not (elements and elements[-1].kind == "dialogue" and elements[-1].speaker == speaker)
    elements.append(Element("dialogue", said.strip(), speaker, paren or "", new_shot=first,
                            voice_over=bool(_VOICE_OVER.search(paren or ""))))


def _zh_tagged(elements: list[Element], tag: str, body: str) -> None:
    """``[VO] 名字：台词``, ``[SFX] 雷声``, ``[画面文字] 三年前``, ``[画面] 动作``."""
    if tag.upper() in _ZH_VOICE or tag in _ZH_VOICE:
        if m := _ZH_LINE.match(body):
            speaker, paren, said = m.groups()
            _zh_said(elements, speaker, paren or "画外音", said)
            elements[-1].voice_over = True
        else:
            elements.append(Element("dialogue", body, "旁白", "画外音", voice_over=True))
    elif tag.upper() == "SFX" or tag in ("音效", "声音"):
        elements.append(Element("action", f"音效：{body}"))
    elif tag in ("画面文字", "字幕", "屏幕文字", "文字"):
        elements.append(Element("action", f"字幕：{body}"))
    else:  # [画面], [动作] and the like: what is seen
        elements.append(Element("action", body))


# --------------------------------------------------------------------------- prose


_QUOTE = re.compile(r"[“\"「]([^“”\"「」]+)[”\"」]")  # no opener inside: linear
_SENTENCES = re.compile(r"[^。！？!?.\n]+[。！？!?.…—]*[”\"」]?")


def read_prose(text: str, source: str) -> Script:
    """Last resort: quoted speech becomes dialogue, every other sentence action."""
    elements: list[Element] = []
    for para in text.split("\n"):  # blank lines hold no sentences
        pos = 0
        for m in _QUOTE.finditer(para):
            _prose_action(elements, para[pos : m.start()])
            elements.append(Element("dialogue", m.group(1).strip(), "?"))
            pos = m.end()
        _prose_action(elements, para[pos:])
    if not elements:
        raise AiscriptError(f"{source}: no sentences found", "give a script or prose text")
    lang = detect_language(text)
    return Script(source, "prose", lang, elements, _episode_number(source))


def _prose_action(elements: list[Element], chunk: str) -> None:
    for s in _SENTENCES.findall(chunk):
        s = s.strip(" ，,:：")
        if len(s) > 1:
            elements.append(Element("action", s))
