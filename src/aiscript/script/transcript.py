"""Transcripts of produced episodes -> one ``EpisodeDraft``: one element a line, no blank lines
between them, speech as ``Name: line``, scenes as ``[Scene: Central Perk, …]``,
``INT. KING'S LANDING`` or ``EXT: The North``, stage directions as plain sentences or in
brackets or parentheses. Before the first scene or line, a title (a short line without a full
stop, often given twice) and "Written by" / "Transcribed by" lines are not beats; neither are
credits (``Opening Credits``, ``Commercial Break``) and the transcript's ``End`` / ``END
EPISODE`` anywhere (the episode's end, not the story's).

>>> [ep] = read_transcript("The One With the Fantasy\\nWritten by: A. Writer\\n"
...     "[Scene: Central Perk, the gang enters]\\nJoey: She winked at me.\\n"
...     "Phoebe: (singing) Hold me close.\\n(Monica enters)")
>>> sc = ep.scenes[0]
>>> sc.heading.place, [(e.line.speaker, e.line.parenthetical) if e.line else e.action
...                    for e in sc.elements]
('Central Perk', [('Joey', None), ('Phoebe', 'singing'), 'Monica enters'])
>>> is_transcript("TYRION: Pod.\\nPODRICK bursts in.\\nTYRION: Pod! Find Bronn.\\n"
...               "PODRICK: Yes, my lord.\\nPYCELLE: The pain?\\nTYRION: Where am I?")
True
"""

from __future__ import annotations

import re

from aiscript.schema import SceneHeading
from aiscript.script.builder import DraftBuilder

# a cue: a name of one to four words (GUARD #1, Mrs. Geller, LADY CRANE), an optional
# parenthetical, a colon and the line
CUE = re.compile(r"^[^\S\n]*([A-Z][A-Za-z'’.\-]*(?:[^\S\n][A-Za-z'’.\-#0-9]+){0,3})[^\S\n]*"
                 r"(?:\(([^)\n]{0,40})\)[^\S\n]*)?:[^\S\n]*(\S[^\n]*)$", re.M)
# what a transcript labels that is not a speaker
_NOT_A_CUE = re.compile(r"^(?:INT|EXT|EST|I/E|SCENE|SETTING|NOTE|TITLE|WRITTEN BY|TRANSCRIBED BY|"
                        r"TELEPLAY BY|STORY BY|DIRECTED BY|TEXT|CUT TO|FADE (?:IN|OUT|TO)|"
                        r"ADDITIONAL TRANSCRIBING BY|AIRED|SEASON|EPISODE)\b", re.I)
SCENE = re.compile(r"^[\[(] ?scene\b ?[:.]? ?(.+?)[\])]?$", re.I)  # on a line with its spaces squeezed
HEADING = re.compile(r"^\s*(INT|EXT|EST)\s*[.:]\s*(\S.*)$", re.I)
CREDITS = re.compile(r"^\s*[\[(]?\s*(?:opening credits|closing credits|end credits|credits|"
                     r"commercial break|opening titles?|title sequence|theme song|"
                     # the transcript's own end: the episode's, not the story's
                     r"(?:the\s+)?end(?:\s+(?:of\s+)?(?:episode|credits|of\s+show))?|"
                     r"end\s+of\s+(?:the\s+)?(?:episode|show))\s*[\])]?[.!]?\s*$", re.I)
_BY = re.compile(r"\b(?:written|transcribed|teleplay|story|directed|adjustments|produced)\s+by\b",
                 re.I)
# the transcript's own head: credits of the writers and transcribers, notes in braces
_PREAMBLE = re.compile(r"^\s*(?:\{.*\}?\s*$|(?:episodes?\s+)?(?:originally\s+|orginally\s+)?"
                       r"(?:written|transcribed|teleplay|story|directed|adjustments|produced|"
                       r"with help|dedicated|additional)\b)", re.I)
_TIMES = {"night": "NIGHT", "day": "DAY", "morning": "DAY", "dawn": "DAWN", "dusk": "DUSK",
          "evening": "DUSK", "afternoon": "DAY"}


def squeeze(line: str) -> str:
    """The line with each run of spaces one space (the patterns then never meet two runs of
    spaces in a row: linear time)."""
    return " ".join(line.split())


def is_cue(line: str) -> bool:
    line = squeeze(line)
    m = CUE.match(line)
    return bool(m) and not _NOT_A_CUE.match(m.group(1)) and not _BY.search(m.group(1))


def is_transcript(text: str) -> bool:
    """English text whose lines are mostly ``Name: line`` with no blank line between them (a
    Fountain script puts a cue on a line of its own, after a blank line)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 5:
        return False
    cues = sum(1 for ln in lines if is_cue(ln))  # is_cue squeezes the spaces
    blanks = len(text.splitlines()) - len(lines)
    return cues >= 5 and cues >= 0.2 * len(lines) and blanks < 0.5 * len(lines)


def read_transcript(text: str, source: str = "<transcript>") -> list:
    """Episodes (one) from a transcript; see the module doc."""
    builder = DraftBuilder(source)
    started = False  # a scene or a line seen: no more title lines
    for number, raw in enumerate(text.splitlines(), start=1):
        line = squeeze(raw.lstrip("\ufeff"))
        if not line or CREDITS.match(line) or re.fullmatch(r"\{[^{}]*\}", line):
            continue  # credits, a transcriber's note
        if m := SCENE.match(line):
            builder.scene(_heading("INT", m.group(1)), number, line)
            started = True
        elif (m := HEADING.match(line)) and len(line) < 80:
            builder.scene(_heading(m.group(1).upper(), m.group(2)), number, line)
            started = True
        elif not started and (_PREAMBLE.match(line) or _title_like(line)):
            continue
        elif is_cue(line):
            m = CUE.match(line)
            speaker, paren, said = m.group(1), m.group(2), m.group(3)
            if not paren and (lead := re.match(r"^\(([^)]{1,40})\)\s*(\S.*)$", said)):
                paren, said = lead.groups()
            tail = re.search(r"\s*\(([^()]{3,})\)\s*$", said)  # a direction after the line
            if tail and tail.start() > 0:
                said = said[: tail.start()]
            builder.line(speaker, said, paren, number)
            if tail and tail.start() > 0:
                builder.action(tail.group(1), number)
            started = True
        else:
            builder.action(line.strip("[]() "), number)
            started = True
    return builder.build()


def _title_like(line: str) -> bool:
    return len(line.split()) <= 12 and not re.search(r"[.!?…]\s*$", line)


def _heading(setting: str, text: str) -> SceneHeading:
    parts = [p.strip(" .") for p in re.split(r"[,;]|\s+-\s+", text) if p.strip(" .")]
    time = next((_TIMES[p.lower()] for p in parts if p.lower() in _TIMES), "DAY")
    place = next((p for p in parts if p.lower() not in _TIMES), "") or "(no heading)"
    return SceneHeading(setting="EXT" if setting == "EXT" else "INT", place=place[:60], time=time)


__all__ = ["is_transcript", "read_transcript"]
