"""Valence and arousal of a line, from lexicons shipped in ``seeds/lexicon.json``.

The ``EmotionScorer`` protocol lets a model-based scorer (a local sentiment classifier or
sentence-embedding model) replace the lexicon: anything with ``score(texts, lang)`` returning
``(valence, arousal)`` pairs in [-1, 1] x [0, 1].

>>> LexiconScorer().score(["你给我滚！"], "zh")[0][0] < 0
True
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import cache
from typing import Protocol

from aiscript.craft import data_dir
from aiscript.schema import Language


class EmotionScorer(Protocol):
    def score(self, texts: Sequence[str], lang: Language) -> list[tuple[float, float]]: ...


@cache
def lexicon(lang: Language) -> dict:
    raw = json.loads((data_dir("seeds") / "lexicon.json").read_text(encoding="utf-8"))[lang]
    raw["positive"], raw["negative"] = set(raw["positive"]), set(raw["negative"])
    raw["arousal"], raw["negators"] = set(raw["arousal"]), set(raw["negators"])
    return raw


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    lex = lexicon("zh")
    for word in lex["positive"] | lex["negative"] | lex["arousal"]:
        if len(word) > 1:
            jieba.add_word(word)
    return jieba


_EN_TOKEN = re.compile(r"[a-z]+(?:['’-][a-z]+)?|[!?]")


def tokens(text: str, lang: Language) -> list[str]:
    if lang == "zh":
        return [t for t in _jieba().lcut(text) if t.strip()]
    return _EN_TOKEN.findall(text.lower())


class LexiconScorer:
    """Counts positive and negative words (a negator just before flips one), squashes with tanh."""

    def score(self, texts: Sequence[str], lang: Language) -> list[tuple[float, float]]:
        lex = lexicon(lang)
        out = []
        for text in texts:
            toks = tokens(text, lang)
            val, aro = 0.0, 0.0
            for i, tok in enumerate(toks):
                sign = -1.0 if i and toks[i - 1] in lex["negators"] else 1.0
                if _hit(tok, lex["positive"], lang):
                    val += sign
                elif _hit(tok, lex["negative"], lang):
                    val -= sign
                if _hit(tok, lex["arousal"], lang):
                    aro += 1.0
            aro += 0.6 * (text.count("！") + text.count("!")) + 0.3 * (text.count("？") + text.count("?"))
            aro += 0.5 * abs(val) ** 0.5
            out.append((round(math.tanh(val / 1.5), 3), round(math.tanh(aro / 2.0), 3)))
        return out


def _hit(tok: str, words: set[str], lang: Language) -> bool:
    """A lexicon word is the token, or (Chinese) sits inside a short compound the segmenter
    kept whole: 泼下 holds 泼, 冷笑着 holds 冷笑. Single characters only count inside words of
    two characters, so 打印机 does not hold 打."""
    if tok in words:
        return True
    if lang != "zh" or len(tok) < 2:
        return False
    if len(tok) == 2 and (tok[0] in words or tok[1] in words):
        return True
    return any(tok[i:j] in words for i in range(len(tok)) for j in range(i + 2, len(tok) + 1)
               if j - i < len(tok))
