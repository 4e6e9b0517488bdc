"""Episode -> Final Draft XML (``.fdx``): Scene Heading, Action, Character, Parenthetical,
Dialogue and Transition paragraphs, UTF-8 (Chinese stays as it is). ``aiscript.script.fdx``
reads it back to the same lines.

>>> from aiscript.schema import Episode
>>> from aiscript.script.fdx import read_fdx
>>> [draft] = read_fdx(to_fdx(Episode.example()))
>>> [(e.line.speaker, e.line.text) for e in draft.scenes[0].elements if e.line]
[('林晚', '这份工作，我不干了。')]
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from aiscript.schema import Episode, Scene

_ZH_SETTING = {"INT": "内", "EXT": "外", "INT/EXT": "内/外"}
_ZH_TIME = {"DAY": "日", "NIGHT": "夜", "DAWN": "晨", "DUSK": "昏"}
TRANSITION = re.compile(r"^(?:[A-Z][A-Z .'’]*(?:TO:|OUT\.?)|FADE IN:?|转场[:：].*|切至[:：]?.*)$")


def scene_heading(scene: Scene, lang: str) -> str:
    """``INT. PLACE - DAY``, or ``内 地点 - 日`` in Chinese."""
    h = scene.heading
    if lang == "zh":
        return f"{_ZH_SETTING[h.setting]} {h.place} - {_ZH_TIME[h.time]}"
    return f"{h.setting}. {h.place} - {h.time}"


def _paragraph(parent: ET.Element, kind: str, text: str) -> None:
    p = ET.SubElement(parent, "Paragraph", Type=kind)
    ET.SubElement(p, "Text").text = text


def to_fdx(episode: Episode) -> str:
    """The episode as an FDX document (a string; write it as UTF-8)."""
    root = ET.Element("FinalDraft", DocumentType="Script", Template="No", Version="5")
    content = ET.SubElement(root, "Content")
    for scene in episode.scenes:
        _paragraph(content, "Scene Heading", scene_heading(scene, episode.language))
        for shot in scene.shots:
            if shot.action:
                kind = "Transition" if TRANSITION.match(shot.action.strip()) else "Action"
                _paragraph(content, kind, shot.action)
            for line in shot.lines:
                _paragraph(content, "Character", line.speaker)
                if line.parenthetical:
                    _paragraph(content, "Parenthetical", f"({line.parenthetical})")
                _paragraph(content, "Dialogue", line.text)
    title = ET.SubElement(ET.SubElement(root, "TitlePage"), "Content")
    for text in (episode.series_title, f"{episode.number}. {episode.title}"):
        p = ET.SubElement(title, "Paragraph", Alignment="Center", Type="General")
        ET.SubElement(p, "Text").text = text
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n{body}\n'
