"""What every script reader shares: scene headings read into ``SceneHeading``, and a builder
that collects episodes, scenes, actions and lines (each with its source line) into
``EpisodeDraft``s.

>>> b = DraftBuilder("ep.txt", title="示例")
>>> b.scene(parse_heading("1-1 日 内 总裁办公室"), 1)
>>> b.action("林晚推门而入。", 2)
>>> b.line("林晚", "我不干了。", "冷笑", 3)
>>> [d] = b.build()
>>> d.scenes[0].heading.place, d.scenes[0].elements[1].line.parenthetical
('总裁办公室', '冷笑')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiscript.errors import AiscriptError
from aiscript.schema import EpisodeDraft, Line, SceneDraft, SceneHeading, ScriptElement
from aiscript.timing import detect_language

# --------------------------------------------------------------------------- scene headings

_EN_SETTING = re.compile(r"^(INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\.?/E|INT|EXT|EST)\b\.?\s*", re.I)
_EN_TIME = {
    "DAY": "DAY", "MORNING": "DAY", "AFTERNOON": "DAY", "NOON": "DAY", "NIGHT": "NIGHT",
    "EVENING": "DUSK", "DUSK": "DUSK", "SUNSET": "DUSK", "DAWN": "DAWN", "SUNRISE": "DAWN",
    "MIDNIGHT": "NIGHT", "LATE NIGHT": "NIGHT",
}
# Words that keep the previous scene's time of day.
_EN_SAME_TIME = {"CONTINUOUS", "LATER", "MOMENTS LATER", "SAME", "SAME TIME", "CONT'D"}
_ZH_SETTING = {"内": "INT", "内景": "INT", "外": "EXT", "外景": "EXT", "内外": "INT/EXT",
               "内/外": "INT/EXT", "外/内": "INT/EXT", "内外景": "INT/EXT"}
_ZH_TIME = {"日": "DAY", "天": "DAY", "白天": "DAY", "早": "DAY", "早上": "DAY", "上午": "DAY", "中午": "DAY",
            "午": "DAY", "下午": "DAY", "夜": "NIGHT", "晚": "NIGHT", "晚上": "NIGHT", "深夜": "NIGHT",
            "夜晚": "NIGHT", "凌晨": "DAWN", "晨": "DAWN", "清晨": "DAWN", "黎明": "DAWN",
            "昏": "DUSK", "黄昏": "DUSK", "傍晚": "DUSK"}
_ZH_NUMBER = re.compile(r"^\s*(?:第?\s*\d+\s*[-－—–.]\s*\d+\s*场?|第\s*\d+\s*场|"
                        r"#*\s*EP\s*\d+\s*[-_]\s*SC\s*\d+)\s*", re.I)


def parse_heading(text: str, previous: SceneHeading | None = None) -> SceneHeading | None:
    """A scene heading in English (``INT. KITCHEN - NIGHT``) or Chinese (``1-1 日 内 办公室``,
    ``内 · 咖啡馆 · 夜``); None when ``text`` has no place. An unknown time of day keeps the
    previous scene's (``CONTINUOUS``), else day.

    >>> parse_heading("INT. BRICK'S GARAGE - NIGHT").model_dump()
    {'setting': 'INT', 'place': "BRICK'S GARAGE", 'time': 'NIGHT'}
    >>> parse_heading("EP001-SC002 外 · 医院门口 · 黄昏").model_dump()
    {'setting': 'EXT', 'place': '医院门口', 'time': 'DUSK'}
    """
    text = text.strip().lstrip(".").strip()
    text = re.sub(r"\s*#[\w.-]+#\s*$", "", text)  # Fountain scene numbers
    same = previous.time if previous else "DAY"
    if m := _EN_SETTING.match(text):
        word = m.group(1).upper().replace(" ", "")
        setting = "EXT" if word in ("EXT", "EST") else "INT" if word == "INT" else "INT/EXT"
        rest = text[m.end():]
        if re.search(r"[\u4e00-\u9fff]", rest):  # INT. 医院-天: the place and time in Chinese
            zh = parse_heading(rest, previous)
            return zh.model_copy(update={"setting": setting}) if zh else None
        parts = [p.strip() for p in re.split(r"\s+[-–—]+\s+|\s*--\s*", rest) if p.strip()]
        time, place = same, []
        for p in parts:
            key = p.upper().strip(" .")
            if key in _EN_TIME:
                time = _EN_TIME[key]
            elif key not in _EN_SAME_TIME:
                place.append(p)
        place_text = " - ".join(place)
        return SceneHeading(setting=setting, place=place_text, time=time) if place_text else None
    rest = _ZH_NUMBER.sub("", text)
    setting, time, place = "INT", same, []
    for tok in re.split(r"[\s·•・，,、/｜|]+|-(?=[日夜天晨昏早晚黄傍清凌深内外白])", rest):
        tok = tok.strip(" .-－—")
        if not tok:
            continue
        if tok in _ZH_SETTING:
            setting = _ZH_SETTING[tok]
        elif tok in _ZH_TIME:
            time = _ZH_TIME[tok]
        else:
            place.append(tok)
    place_text = " ".join(place)
    return SceneHeading(setting=setting, place=place_text, time=time) if place_text else None


_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def zh_number(text: str) -> int:
    """``12`` or ``十二`` as an int.

    >>> zh_number("二十三"), zh_number("十"), zh_number("7")
    (23, 10, 7)
    """
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        elif ch == "百":
            total += (digit or 1) * 100
            digit = 0
    return total + digit


# --------------------------------------------------------------------------- the builder

_EP_NUMBER = re.compile(r"(?:ep|episode|第)\s*0*(\d{1,3})", re.I)


def episode_in_name(source: str) -> int | None:
    """The episode number a file name carries (``ep03.txt``, ``第3集.txt``), if any."""
    m = _EP_NUMBER.search(Path(source).stem)
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def display_width(line: str) -> int:
    """Columns a line takes in a fixed-width editor (a Chinese character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line.rstrip())


def unwrap(text: str, starts_element: Callable[[str], bool]) -> str:
    """A script hard-wrapped at a fixed column (paragraphs of lines broken near one width, a
    blank line between paragraphs) with each broken paragraph joined onto its first line: a
    speech or a direction that runs over two lines is one element. A line that
    ``starts_element`` (a cue, a heading, a bracket) is never joined. The joined lines are left
    blank, so line numbers hold. Text not wrapped that way is returned as it is.

    >>> out = unwrap("Aang: I'm sorry, but Katara and Sokka aren't coming to the Fire\\n"
    ...              "Nation with us.\\n\\n" * 12, lambda ln: ":" in ln)
    >>> out.splitlines()[:3]
    ["Aang: I'm sorry, but Katara and Sokka aren't coming to the Fire Nation with us.", '', '']
    """
    lines = text.splitlines()
    widths = sorted(display_width(ln) for ln in lines if ln.strip())
    blanks = len(lines) - len(widths)
    if len(widths) < 20 or blanks < 0.15 * len(lines):
        return text
    width = widths[int(0.95 * (len(widths) - 1))]
    near = sum(1 for w in widths if w >= width - 12)
    if not 50 <= width <= 100 or near < 0.25 * len(widths) or widths[-1] > width + 20:
        return text
    out = list(lines)
    head = None  # the line a paragraph is being joined onto
    for i, ln in enumerate(lines):
        line = ln.strip()
        if not line:
            head = None
            continue
        wrapped = i > 0 and display_width(lines[i - 1]) >= width - 15
        if head is not None and wrapped and not starts_element(line):
            glue = "" if re.search(r"[\u3000-\u9fff\uff00-\uffef]$", out[head]) else " "
            out[head] = out[head].rstrip() + glue + line
            out[i] = ""
        else:
            head = i
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


@dataclass
class _Scene:
    heading: SceneHeading
    line: int
    raw: str
    cast: list[str] = field(default_factory=list)
    elements: list[dict] = field(default_factory=list)


@dataclass
class _Episode:
    number: int | None
    title: str
    scenes: list[_Scene] = field(default_factory=list)


class DraftBuilder:
    """Collects what a reader finds, in order, and builds ``EpisodeDraft``s from it."""

    def __init__(self, source: str, title: str = "") -> None:
        self.source = source
        self.title = title or Path(source).stem
        self.episodes: list[_Episode] = []
        self.speakers: list[str] = []

    # -- what readers call ----------------------------------------------------------------

    def episode(self, number: int | None, title: str = "") -> None:
        """A new episode starts (a ``第2集`` / ``EP002`` / ``Episode 2`` marker)."""
        if self.episodes and not self.episodes[-1].scenes:
            self.episodes.pop()  # a marker with nothing under it yet: the new one replaces it
        self.episodes.append(_Episode(number, title.strip()))

    def scene(self, heading: SceneHeading | None, line: int, raw: str = "",
              cast: list[str] | None = None) -> None:
        if heading is None:
            heading = self._unnamed_heading()
        if not self.episodes:
            self.episodes.append(_Episode(None, ""))
        self.episodes[-1].scenes.append(_Scene(heading, line, raw, list(cast or [])))

    def place(self, name: str) -> None:
        """The place of the current scene, named after its heading (``第20幕`` then ``（景仁宫）``)."""
        scene = self._current()
        scene.heading = scene.heading.model_copy(update={"place": name})

    def cast(self, names: list[str]) -> None:
        """The scene's cast list (``人物：林晚、顾言``)."""
        self._current().cast += [n for n in names if n not in self._current().cast]

    def action(self, text: str, line: int) -> None:
        if text.strip():
            self._current().elements.append({"action": text.strip(), "source_line": line})

    def line(self, speaker: str, text: str, parenthetical: str | None, line: int) -> None:
        speaker, text = speaker.strip(), text.strip()
        if not text:  # a cue with only a parenthetical: keep it as the speaker's action
            self._current().elements.append({"action": f"({parenthetical})" if parenthetical
                                             else speaker, "source_line": line,
                                             "characters": [speaker]})
            return
        if speaker not in self.speakers:
            self.speakers.append(speaker)
        self._current().elements.append({
            "line": Line(speaker=speaker, text=text, parenthetical=(parenthetical or "").strip()
                         or None), "source_line": line})

    @property
    def last_heading(self) -> SceneHeading | None:
        for ep in reversed(self.episodes):
            if ep.scenes:
                return ep.scenes[-1].heading
        return None

    # -- building ---------------------------------------------------------------------------

    def build(self) -> list[EpisodeDraft]:
        """The episodes that hold anything, numbered from their markers, the file name, or
        their order. Raises ``AiscriptError`` when nothing was found."""
        episodes = [ep for ep in self.episodes if any(sc.elements or sc.raw for sc in ep.scenes)]
        if not episodes:
            raise AiscriptError(f"{self.source}: no scenes, action or dialogue found",
                                "check that the file is a script (Fountain, 短剧 layout, FDX)")
        text = " ".join(str(el.get("action") or el["line"].text) for ep in episodes
                        for sc in ep.scenes for el in sc.elements)
        lang = detect_language(text or self.title)
        named = episode_in_name(self.source) if len(episodes) == 1 else None
        names = self._all_names()
        drafts, used = [], set()
        for k, ep in enumerate(episodes, start=1):
            number = ep.number or named or k
            while number in used:
                number += 1
            used.add(number)
            scenes = [self._scene_draft(i, sc, names, lang)
                      for i, sc in enumerate(ep.scenes, start=1)]
            drafts.append(EpisodeDraft(series_title=self.title, number=number,
                                       title=ep.title or self.title, language=lang, scenes=scenes))
        return drafts

    def _scene_draft(self, number: int, sc: _Scene, names: list[str], lang: str) -> SceneDraft:
        elements, previous_speaker = [], None
        for el in sc.elements:
            if "line" in el:
                speaker = el["line"].speaker
                listener = previous_speaker if previous_speaker not in (None, speaker) else None
                who = [speaker] + ([listener] if listener else [])
                previous_speaker = speaker
            else:
                who = el.get("characters") or mentioned(el["action"], names, lang)
            elements.append(ScriptElement(characters=who, **{k: v for k, v in el.items()
                                                            if k != "characters"}))
        if not elements:  # a heading alone: an establishing shot of the place
            elements = [ScriptElement(action=sc.raw or sc.heading.place, source_line=sc.line)]
        cast = list(dict.fromkeys(sc.cast + [c for e in elements for c in e.characters]))
        return SceneDraft(number=number, heading=sc.heading, characters=cast, elements=elements)

    def _all_names(self) -> list[str]:
        listed = [n for ep in self.episodes for sc in ep.scenes for n in sc.cast]
        return list(dict.fromkeys(self.speakers + listed))

    def _current(self) -> _Scene:
        if not self.episodes or not self.episodes[-1].scenes:
            self.scene(None, 1)
        return self.episodes[-1].scenes[-1]

    def _unnamed_heading(self) -> SceneHeading:
        return SceneHeading(setting="INT", place="(no heading)", time="DAY")


_EXTENSION = re.compile(r"\s*[（(]([^）)]*)[）)]\s*$")
_CONTINUED = re.compile(r"^CONT['’]?D\.?$|^CONTINUED$|^续$", re.I)


def split_cue(cue: str) -> tuple[str, list[str]]:
    """A character cue's name and its extensions; CONT'D is layout and dropped.

    >>> split_cue("JOHN (V.O.) (CONT'D)")
    ('JOHN', ['V.O.'])
    """
    cue, extensions = cue.strip(), []
    while m := _EXTENSION.search(cue):
        if not _CONTINUED.match(m.group(1).strip()):
            extensions.insert(0, m.group(1).strip())
        cue = cue[: m.start()].strip()
    return cue, extensions


def mentioned(text: str, names: list[str], lang: str) -> list[str]:
    """The names ``text`` mentions, in order of first mention (whole words in English, any
    case: cues are capitalised, action is not).

    >>> mentioned("Steel sits. Brick laughs.", ["BRICK", "STEEL", "KYLE"], "en")
    ['STEEL', 'BRICK']
    """
    found = []
    for name in names:
        if lang == "zh" or re.search(r"[\u4e00-\u9fff]", name):
            pos = text.find(name)
        else:
            m = re.search(rf"\b{re.escape(name)}\b", text, re.I)
            pos = m.start() if m else -1
        if pos >= 0:
            found.append((pos, name))
    return [n for _, n in sorted(found)]
