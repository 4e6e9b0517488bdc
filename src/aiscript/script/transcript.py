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
from aiscript.script.builder import DraftBuilder, unwrap

# a cue: a name of one to four words (GUARD #1, Mrs. Geller, LADY CRANE), an optional
# parenthetical, a colon and the line
CUE = re.compile(r"^[^\S\n]*([A-Z][A-Za-z'’.\-]*(?:[^\S\n][A-Za-z'’.\-#0-9]+){0,3})[^\S\n]*"
                 r"(?:\(([^)\n]{0,40})\)[^\S\n]*)?:[^\S\n]*(\S[^\n]*)$", re.M)
# what a transcript labels that is not a speaker
_NOT_A_CUE = re.compile(r"^(?:INT|EXT|EST|I/E|SCENE|SETTING|NOTE|TITLE|WRITTEN BY|TRANSCRIBED BY|"
                        r"TELEPLAY BY|STORY BY|DIRECTED BY|TEXT|CUT TO|FADE (?:IN|OUT|TO)|"
                        r"ADDITIONAL TRANSCRIBING BY|AIRED|SEASON|EPISODE)\b", re.I)
SCENE = re.compile(r"^(?:\[ ?(?:scene|setting|location)\b ?[:.]?|\( ?(?:scene|setting|location) ?[:.])"
                   r" ?(.+?)[\])]?$", re.I)  # "(Scene opens with …)" is a direction  # spaces squeezed
# a bracketed place standing for a scene heading: [Jerry's Apartment], [At the comedy club],
# [Monk's Restaurant - Jerry, George, Elaine]; not a direction ([Kramer enters], [Jon walks.])
_PLACE = re.compile(r"^\[(?:(?:back\s+)?(?:at|in|inside|outside)\s+)?((?:the\s+)?[A-Z][\w'’.]*"
                    r"(?:\s+[\w'’.]+){0,4})(?:\s*(?:,|\s-)\s*[^\]]{0,60})?\]$", re.I)
_VERB = re.compile(r"(?<!['’])\b[a-z]+(?:s|ing|ed)\b(?<!'s)")
_PLACE_NOUN = re.compile(r"['’]s\b|\b(?:apartment|office|club|restaurant|shop|store|street|"
                         r"room|house|home|car|bus|hall|lobby|kitchen|bar|diner|park|hospital|"
                         r"building|party|coffee|cafe|café|hotel|station|airport|hallway)\b", re.I)
# what a transcript opens with before the story: act cards, recaps, a comedian's monologue
_ACT = re.compile(r"^[\[(]?\s*(?:act\s+(?:[ivx]+|one|two|three|four|five|\d+)|teaser|prologue|"
                  r"previously\s+on\b.*|last\s+time\s+on\b.*)\s*[\])]?[.:]?\s*$", re.I)
_MONOLOGUE = re.compile(r"^[\[(]?\s*(?:opening|closing)\s+monolog(?:ue)?\s*[\])]?\s*[:.]?\s*",
                        re.I)
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
                       r"with help|dedicated|additional|transcriber|animator|animation|"
                       r"storyboard|music|edited|created|developed)\b)", re.I)
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
    unwrapped = unwrap(text, _starts_element)
    if unwrapped != text:  # a paragraph layout: the blank lines between paragraphs are no sign
        text = "\n".join(ln for ln in unwrapped.splitlines() if ln.strip())
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
    skipping = False  # inside a recap or a comedian's monologue: not the story, up to a scene
    lines = unwrap(text, _starts_element).splitlines()
    aside = _opening_monologue([squeeze(ln.lstrip("\ufeff")) for ln in lines])
    for number, raw in enumerate(lines, start=1):
        line = squeeze(raw.lstrip("\ufeff"))
        if not line or number - 1 in aside or CREDITS.match(line) or _ACT.match(line) \
                or re.fullmatch(r"\{[^{}]*\}", line):
            skipping = skipping or bool(re.match(r"^\W*(?:previously|last time) on\b", line, re.I))
            continue  # credits, act cards, a transcriber's note
        if _MONOLOGUE.match(line):
            skipping = True
            continue
        skipping = skipping and not line.startswith("[")  # a bracket opens what plays next
        if place := (m.group(1) if (m := SCENE.match(line)) else is_place(line)):
            builder.scene(_heading("INT", place), number, line)
            started, skipping = True, False
        elif (m := HEADING.match(line)) and len(line) < 80:
            builder.scene(_heading(m.group(1).upper(), m.group(2)), number, line)
            started, skipping = True, False
        elif skipping or (not started and (_PREAMBLE.match(line) or _title_like(line))):
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


def is_place(line: str) -> str:
    """The place of a bracketed line that stands for a scene heading (``[Jerry's Apartment]``,
    ``[At the comedy club]``), or "" for a bracketed direction (``[Kramer enters]``).

    >>> is_place("[Jerry's Apartment]"), is_place("[At a party]"), is_place("[Kramer enters]")
    ("Jerry's Apartment", 'a party', '')
    """
    m = _PLACE.match(line)
    if not m or _MONOLOGUE.match(line) or _ACT.match(line) or CREDITS.match(line):
        return ""
    place = m.group(1)
    words = re.sub(r"[^\w\s'’]", " ", place).split()
    if _VERB.search(place.replace("’s", "").replace("'s", "")) \
            and not _PLACE_NOUN.search(place):
        return ""
    prefixed = re.match(r"^\[(?:back\s+)?(?:at|in|inside|outside)\s", line, re.I)
    if not (prefixed or _PLACE_NOUN.search(place) or all(w[:1].isupper() for w in words)):
        return ""
    return re.sub(r"^the\s+", "", place, flags=re.I) if prefixed else place


def _opening_monologue(lines: list[str]) -> set[int]:
    """The lines of a comedian's monologue that opens a sitcom transcript before its first
    scene: one speaker (or no cue at all) for a few long lines, then a scene heading."""
    body = [i for i, ln in enumerate(lines) if ln]
    heads = [i for i in body if SCENE.match(lines[i]) or is_place(lines[i])
             or HEADING.match(lines[i])]
    if not heads:
        return set()
    first = heads[0] if heads[0] != body[0] else (heads[1] if len(heads) > 1 else None)
    if first is None:
        return set()
    span = [i for i in body if i < first and not (SCENE.match(lines[i]) or is_place(lines[i]))]
    speakers = {CUE.match(lines[i]).group(1).upper() for i in span if is_cue(lines[i])}
    words = sum(len(lines[i].split()) for i in span)
    if span and len(span) <= 3 and len(speakers) <= 1 and words >= 60:
        return set(range(body[0], first))
    return set()


def _starts_element(line: str) -> bool:
    """A line that starts an element even right under a full line: a cue, a bracket, a
    heading."""
    return is_cue(line) or line.startswith(("(", "[")) or bool(HEADING.match(line))


def _title_like(line: str) -> bool:
    return len(line.split()) <= 12 and not re.search(r"[.!?…]\s*$", line) \
        and not line.startswith(("(", "["))  # a direction in brackets plays


def _heading(setting: str, text: str) -> SceneHeading:
    parts = [p.strip(" .") for p in re.split(r"[,;]|\s+-\s+", text) if p.strip(" .")]
    time = next((_TIMES[p.lower()] for p in parts if p.lower() in _TIMES), "DAY")
    place = next((p for p in parts if p.lower() not in _TIMES), "") or "(no heading)"
    return SceneHeading(setting="EXT" if setting == "EXT" else "INT", place=place[:60], time=time)


__all__ = ["is_place", "is_transcript", "read_transcript"]
