"""Reading the state endings (``seeds/endings.json``) back out of written episodes, for the
files that check an ending is answered in the next episode's opening."""

from __future__ import annotations

import re

from aiscript.drafting.custody import custody_endings
from aiscript.story.turns import state_endings


def pattern(text: str) -> re.Pattern:
    """A bank line with its ``{slots}`` as wildcards, matched whole."""
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+?", re.escape(text)) + "$")


def answered_next(ending, nxt_ep, lang) -> bool:
    """The ending is one of the state bank's, and one of its answer's lines is said in the
    next episode's first scene."""
    opening = [ln.text for sh in nxt_ep.scenes[0].shots for ln in sh.lines]
    return bool(ending.lines) and any(
        pattern(e["end"][2]).match(ending.lines[0].text)
        and any(pattern(a[2]).match(t) for a in e["answer"] if a[2] for t in opening)
        for e in [*state_endings(lang), *custody_endings(lang)])
