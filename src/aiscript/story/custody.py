"""Where the villain stands with the law, episode by episode: part of the season's story state.

Once her crime is public she is arrested (held), out on bail the next episode (bailed), on the
run from the night she breaks it (wanted), caught when her last ambush fails, charged at the
hearing and sentenced in the finale::

    free -> held -> bailed -> wanted -> caught -> charged -> sentenced

What that lets her do on screen is written by :mod:`aiscript.drafting.custody`.

>>> track(["inciting", "expose", "evidence", "flight", "last_gambit", "showdown", "finale"],
...       exposed={2}, long=True)
['free', 'free', 'held', 'bailed', 'wanted', 'caught', 'charged', 'sentenced']
"""

from __future__ import annotations

CUSTODY = ("free", "held", "bailed", "wanted", "caught", "charged", "sentenced")


def advance(custody: str, kind: str, exposed_now: bool, long: bool) -> str:
    """Where she stands once an episode of event ``kind`` has played: arrested the episode
    her crime comes out (in a long season), bailed the next, wanted once she runs, caught when
    her last gambit fails, charged at the showdown, sentenced in the finale.

    >>> advance("free", "expose", True, True), advance("held", "evidence", True, True)
    ('held', 'bailed')
    >>> advance("free", "expose", True, False), advance("bailed", "flight", True, True)
    ('free', 'wanted')
    """
    if custody == "held":
        custody = "bailed"
    if custody == "free" and exposed_now and long:
        return "held"
    if kind == "flight" and custody == "bailed":
        return "wanted"
    if kind == "last_gambit" and custody in ("free", "bailed", "wanted"):
        return "caught"
    if kind == "showdown" and custody != "sentenced":
        return "charged"
    if kind == "finale":
        return "sentenced"
    return custody


def track(kinds: list[str], exposed: set[int], long: bool) -> list[str]:
    """Custody as each episode opens, and after the last one (``len(kinds) + 1`` states);
    ``exposed``: episodes (1-based) at whose end her crime is public."""
    out = ["free"]
    for n, kind in enumerate(kinds, start=1):
        out.append(advance(out[-1], kind, n in exposed, long))
    return out


def off_stage(custody: str) -> bool:
    """Held in a cell or on the run: she plays no scene in person.

    >>> [c for c in CUSTODY if off_stage(c)]
    ['held', 'wanted']
    """
    return custody in ("held", "wanted")
