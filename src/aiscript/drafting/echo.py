"""Echoes: two lines that share a long stretch once the cast's names are masked (at least 10
hanzi, or 24 latin characters), the same line dressed differently. The writer refuses them
season-wide; the checks measure them.

>>> idx = EchoIndex("en", ["Ava Lin", "Ethan Gu"])
>>> idx.add("Ava Lin, you will never set foot in this house again.")
True
>>> idx.add("Ethan Gu, you will never set foot in this house again!")
False
>>> idx.add("Get out.")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from aiscript.schema import Language

SPAN = {"zh": 10, "en": 24}
_HAN = re.compile(r"[^\u4e00-\u9fff@]")
_LATIN = re.compile(r"[^a-z@ ]+")


def _masker(names: Iterable[str]):
    names = sorted({n for n in names if n}, key=len, reverse=True)
    parts = []
    for n in names:
        parts.append(re.escape(n))
        for w in n.split():  # "Ava" alone is still Ava
            if len(w) >= 3:
                parts.append(re.escape(w))
    pat = re.compile("|".join(parts)) if parts else None
    return (lambda t: pat.sub("@", t)) if pat else (lambda t: t)


def normal(text: str, lang: Language, mask) -> str:
    t = mask(text)
    if lang == "zh":
        return _HAN.sub("", t)
    return re.sub(r" +", " ", _LATIN.sub(" ", t.lower())).strip()


def windows(norm: str, lang: Language) -> set[str]:
    k = SPAN[lang]
    return {norm[i:i + k] for i in range(len(norm) - k + 1)}


class EchoIndex:
    """What a season has said, as masked windows: ``add`` refuses a text that shares one."""

    def __init__(self, lang: Language, names: Iterable[str]) -> None:
        self.lang = lang
        self.mask = _masker(names)
        self.seen: set[str] = set()
        self.said: set[str] = set()

    def echoes(self, text: str) -> bool:
        norm = normal(text, self.lang, self.mask)
        return norm in self.said or not self.seen.isdisjoint(windows(norm, self.lang))

    def add(self, text: str, force: bool = False) -> bool:
        norm = normal(text, self.lang, self.mask)
        w = windows(norm, self.lang)
        if not force and (norm in self.said or not self.seen.isdisjoint(w)):
            return False
        self.seen |= w
        self.said.add(norm)
        return True


def echo_share(texts: Sequence[str], lang: Language, names: Iterable[str]) -> float:
    """The share of ``texts`` that share a long stretch (names masked) with another of them."""
    mask = _masker(names)
    wins = [windows(normal(t, lang, mask), lang) for t in texts]
    owners: dict[str, set[int]] = {}
    for i, w in enumerate(wins):
        for x in w:
            owners.setdefault(x, set()).add(i)
    hit = {i for ids in owners.values() if len(ids) > 1 for i in ids}
    return len(hit) / len(texts) if texts else 0.0
