"""Fountain -> ``EpisodeDraft``s, through screenplain's parser.

screenplain classifies the paragraphs (title page, forced elements, dual dialogue,
parentheticals, transitions, centered text, sections, synopses; notes and boneyard removed);
this module maps them onto scenes of beats and finds each one's line in the source. Sections
named like an episode (``# Episode 2``, ``# 第2集``, ``# EP002``) start a new episode.

>>> [ep] = read_fountain("INT. KITCHEN - NIGHT\\n\\nAva drops the ring.\\n\\nAVA\\n(quietly)\\nIt's over.\\n")
>>> el = ep.scenes[0].elements[1]
>>> el.line.speaker, el.line.parenthetical, el.line.text, el.source_line
('AVA', 'quietly', "It's over.", 5)
"""

from __future__ import annotations

import io
import re

from aiscript.errors import AiscriptError
from aiscript.script.builder import DraftBuilder, parse_heading, split_cue

EPISODE_MARK = re.compile(
    r"^\s*(?:episode|ep\.?)\s*0*(\d{1,3})\b[\s:：.\-–—]*(.*)$|^\s*第\s*(\d{1,3})\s*集\s*(.*)$", re.I)


def episode_mark(text: str) -> tuple[int, str] | None:
    """``(number, title)`` when ``text`` marks an episode (``Episode 2: Title``, ``第2集``).

    >>> episode_mark("EP002 The Lie"), episode_mark("第12集 真相"), episode_mark("Ep. 3")
    ((2, 'The Lie'), (12, '真相'), (3, ''))
    """
    m = EPISODE_MARK.match(text)
    if not m:
        return None
    number = m.group(1) or m.group(3)
    return int(number), (m.group(2) or m.group(4) or "").strip()


class _LineFinder:
    """Finds each parsed paragraph's 1-based line in the source, moving forward only."""

    def __init__(self, text: str) -> None:
        self.lines = [_plain(ln) for ln in text.splitlines()]
        self.cursor = 0

    def find(self, text: str) -> int:
        key = _plain(text.splitlines()[0] if text.strip() else text)
        for i in range(self.cursor, len(self.lines)):
            if key and key in self.lines[i]:
                self.cursor = i + 1
                return i + 1
        return self.cursor or 1  # not found (never expected): the last known place


_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_CUE = re.compile(r"^[\u3400-\u9fff·]{1,8}(?:\s*[（(][^）)]{1,12}[）)])?\s*\^?$")


def normalise_cjk(text: str) -> str:
    """Chinese Fountain as people type it, made readable to any Fountain parser, line for
    line: full-width ``Title：`` keys and ``INT。`` headings, cues without upper case (a short
    name alone on a line after a blank one, speech under it) get ``@``, ``（…）`` under a cue
    becomes ``(…)``.

    >>> print(normalise_cjk("INT。 医院-天\\n\\n约翰\\n（丢失）\\n这是什么地方？"))
    INT. 医院-天
    <BLANKLINE>
    @约翰
    (丢失)
    这是什么地方？
    """
    if not _CJK.search(text):
        return text
    lines = text.splitlines()
    in_speech = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        before = lines[i - 1].strip() if i else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not stripped:
            in_speech = False
        elif i < 12 and re.match(r"^[A-Za-z][A-Za-z ]{0,20}：", line) and not in_speech:
            lines[i] = line.replace("：", ": ", 1)
        elif re.match(r"^\s*(?:INT|EXT|EST|I/E)\s*。", line, re.I):
            lines[i] = re.sub(r"。\s*", ". ", line, count=1)
        elif not before and after and _CJK_CUE.match(stripped) and not stripped.startswith("@"):
            lines[i] = "@" + stripped
            in_speech = True
        elif in_speech and re.match(r"^（[^）]*）$", stripped):
            lines[i] = "(" + stripped[1:-1] + ")"
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


_LONG_SPACE = re.compile(r"[^\S\n]{32,}")


def defuse(text: str) -> str:
    r"""What screenplain's regexes take quadratic time on, removed in linear time: notes
    ``[[...]]`` and boneyard ``/*...*/`` (unclosed openers dropped; the line breaks inside
    kept, so source lines stay right), and long runs of spaces (cut to 31; Fountain's
    indentation needs at most 3).

    >>> defuse("A [[note]] b /* gone\n */ c [[ open")
    'A  b \n c  open'
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
            parts.append("\n" * text.count("\n", j, k))
            i = k + 2
        parts.append(text[i:])
        text = "".join(parts)
    return _LONG_SPACE.sub(" " * 31, text)


def _plain(text: str) -> str:
    return re.sub(r"[*_\\]", "", text).strip().lstrip("!@.>~=#").rstrip("<^ ").strip()


def end_title_page(text: str) -> str:
    """A title page (``Title:`` keys) ends at its first blank line, also when that line holds
    spaces (the parser would read the page on into the first scene).

    >>> end_title_page("Title: Torn\\nAuthor: P. J.\\n    \\nFADE IN:").splitlines()
    ['Title: Torn', 'Author: P. J.', '', 'FADE IN:']
    """
    lines = text.split("\n")
    if not lines or not re.match(r"^[A-Za-z][A-Za-z ]{0,20}:", lines[0]):
        return text
    for i, line in enumerate(lines):
        if not line.strip():
            if line:
                lines[i] = ""
                return "\n".join(lines)
            return text
    return text


def read_fountain(text: str, source: str = "<fountain>") -> list:
    """Episodes from Fountain text; see the module doc."""
    from screenplain.parsers import fountain
    from screenplain.richstring import parse_emphasis

    from aiscript.script.front_matter import set_aside

    text = end_title_page(text)
    fm = set_aside(text, fountain=True)  # a title page without keys, synopsis, notes
    text = defuse(normalise_cjk(fm.text))
    try:
        screenplay = fountain.parse(io.StringIO(text))
    except Exception as exc:  # screenplain raises plain exceptions on malformed input
        raise AiscriptError(f"{source}: not readable as Fountain ({exc})",
                            "check the markup") from None
    page = screenplay.title_page or {}
    title = " ".join(str(parse_emphasis(v)).strip() for v in page.get("Title", [])).strip() \
        or fm.title
    builder = DraftBuilder(source, title=title)
    if page.get("Episode") and str(page["Episode"][0]).strip().isdigit():
        builder.episode(int(page["Episode"][0]), " ".join(page.get("Draft", [])))
    finder = _LineFinder(text)
    for p in screenplay.paragraphs:
        _paragraph(builder, finder, p)
    return builder.build()


def _paragraph(builder: DraftBuilder, finder: _LineFinder, p) -> None:
    kind = type(p).__name__
    if kind == "Section":
        if mark := episode_mark(str(p.text)):
            finder.find(str(p.text))
            builder.episode(*mark)
    elif kind == "Slug":
        raw = str(p.line)
        builder.scene(parse_heading(raw, builder.last_heading), finder.find(raw), raw)
    elif kind == "Action":
        body = "\n".join(str(line) for line in p.lines).strip()
        if mark := episode_mark(body) if "\n" not in body else None:
            finder.find(body)
            builder.episode(*mark)
        elif body:
            builder.action(body, finder.find(body))
    elif kind == "Transition":
        builder.action(str(p.line), finder.find(str(p.line)))
    elif kind == "Dialog":
        _dialog(builder, finder, p)
    elif kind == "DualDialog":
        _dialog(builder, finder, p.left)
        _dialog(builder, finder, p.right)
    # PageBreak: layout only


def _dialog(builder: DraftBuilder, finder: _LineFinder, dialog) -> None:
    """One cue's speech: consecutive lines join into one ``Line``; a parenthetical starts the
    next. A cue extension (V.O., O.S.) leads the parenthetical; CONT'D is layout and dropped."""
    cue_line = finder.find(str(dialog.character))
    cue, extensions = split_cue(str(dialog.character))
    paren, said, first = None, [], cue_line  # the first speech starts at the cue

    def flush() -> None:
        nonlocal paren, said, first
        parts = [*extensions, paren] if paren else list(extensions)
        builder.line(cue, "\n".join(said), "; ".join(p for p in parts if p) or None, first)
        paren, said, first = None, [], None

    for is_paren, block in dialog.blocks:
        text = str(block).strip()
        if is_paren and (said or paren):
            flush()
        line_no = finder.find(text)
        first = first or line_no
        if is_paren:
            paren = text.strip("() ")
        elif text:  # a blank line held inside the speech
            said.append(text)
    if said or paren:
        flush()
