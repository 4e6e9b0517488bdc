"""Final Draft (``.fdx``) -> ``EpisodeDraft``s.

FDX is XML: ``<FinalDraft><Content>`` holds ``<Paragraph Type="...">`` elements (Scene
Heading, Action, Character, Parenthetical, Dialogue, Transition, General, Shot), each with
``<Text>`` runs; ``<DualDialogue>`` wraps two speeches. The XML is parsed with defusedxml:
no DTDs' entities are expanded and nothing external is fetched. The title page is skipped.

>>> xml = ('<FinalDraft DocumentType="Script"><Content>'
...        '<Paragraph Type="Scene Heading"><Text>INT. KITCHEN - NIGHT</Text></Paragraph>'
...        '<Paragraph Type="Character"><Text>AVA (V.O.)</Text></Paragraph>'
...        '<Paragraph Type="Dialogue"><Text>It is over.</Text></Paragraph>'
...        '</Content></FinalDraft>')
>>> [ep] = read_fdx(xml)
>>> ln = ep.scenes[0].elements[0].line
>>> ln.speaker, ln.parenthetical, ln.text
('AVA', 'V.O.', 'It is over.')
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from aiscript.errors import AiscriptError
from aiscript.script.builder import DraftBuilder, parse_heading, split_cue
from aiscript.script.fountain import episode_mark

ACTION_TYPES = {"Action", "General", "Shot", "Transition", "Cast List"}


class _LineNumbers(ET.TreeBuilder):
    """A tree builder that notes the line each ``Paragraph`` starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser = None
        self.lines: dict[int, int] = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        if tag == "Paragraph" and self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse_fdx(text: str, source: str = "<fdx>") -> tuple[ET.Element, dict[int, int]]:
    """The document root and each paragraph's line, or ``AiscriptError`` for bad XML."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    target = _LineNumbers()
    parser = DefusedXMLParser(target=target)
    target.parser = parser
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException as exc:
        raise AiscriptError(f"{source}: unsafe XML refused ({type(exc).__name__})",
                            "export the script from Final Draft again") from None
    except ET.ParseError as exc:
        raise AiscriptError(f"{source}: not well-formed XML ({exc})",
                            "export the script from Final Draft again") from None
    if root.tag != "FinalDraft" or root.find("Content") is None:
        raise AiscriptError(f"{source}: XML but not a Final Draft script (no <FinalDraft><Content>)",
                            "give an .fdx file saved by Final Draft or a compatible writer")
    return root, target.lines


def paragraph_text(p: ET.Element) -> str:
    """A paragraph's text: its ``Text`` runs joined (runs carry their own line breaks)."""
    return "".join(t.text or "" for t in p.findall("Text")).strip()


def _title(root: ET.Element, index: int = 0) -> str:
    """The title page's first (or ``index``-th) line of text: the title."""
    page = root.find("TitlePage/Content")
    texts = [paragraph_text(p) for p in page.iter("Paragraph")] if page is not None else []
    texts = [t for t in texts if t]
    return texts[index] if index < len(texts) else ""


def read_fdx(text: str, source: str = "<fdx>") -> list:
    """Episodes from FDX text; see the module doc."""
    root, lines = parse_fdx(text, source)
    builder = DraftBuilder(source, title=_title(root))
    if m := re.match(r"^(\d{1,3})\.\s+(\S.*)$", _title(root, 1)):
        builder.episode(int(m.group(1)), m.group(2))
    speech: dict = {}
    for p in root.find("Content").iter("Paragraph"):
        kind = p.get("Type")
        if kind is None:  # the wrapper around a DualDialogue
            continue
        body, line = paragraph_text(p), lines.get(id(p), 1)
        if kind in ("Character", "Parenthetical", "Dialogue"):
            _speech(builder, speech, kind, body, line)
            continue
        _flush(builder, speech)
        if kind == "Scene Heading":
            builder.scene(parse_heading(body, builder.last_heading), line, body)
        elif (mark := episode_mark(body)) and kind in ("New Act", "General", "Action") \
                and "\n" not in body:
            builder.episode(*mark)
        elif kind in ACTION_TYPES and body:
            builder.action(body, line)
    _flush(builder, speech)
    return builder.build()


def _speech(builder: DraftBuilder, speech: dict, kind: str, body: str, line: int) -> None:
    """Gather a cue's paragraphs: consecutive Dialogue paragraphs are one line; a
    Parenthetical starts the next line."""
    if kind == "Character":
        _flush(builder, speech)
        name, ext = split_cue(body)
        speech.update(cue=name, ext=ext, paren=None, said=[], line=line)
    elif not speech:  # dialogue without a cue: keep it as action
        builder.action(body, line)
    elif kind == "Parenthetical":
        if speech["said"] or speech["paren"]:
            _flush(builder, speech, keep_cue=True)
            speech["line"] = line
        speech["paren"] = body.strip("() ")
    elif body:
        speech["said"].append(body)


def _flush(builder: DraftBuilder, speech: dict, keep_cue: bool = False) -> None:
    if not speech or not (speech["said"] or speech["paren"]):
        if not keep_cue:
            speech.clear()
        return
    parts = [*speech["ext"], speech["paren"]] if speech["paren"] else list(speech["ext"])
    builder.line(speech["cue"], "\n".join(speech["said"]),
                 "; ".join(x for x in parts if x) or None, speech["line"])
    if keep_cue:
        speech.update(paren=None, said=[])
    else:
        speech.clear()
