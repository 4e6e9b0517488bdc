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
    """A segmenter of our own (``jieba.Tokenizer``) that knows the lexicon's words; the global
    ``jieba`` dictionary is left as it is."""
    from aiscript.segment import jieba_tokenizer

    tokenizer = jieba_tokenizer()
    lex = lexicon("zh")
    for word in sorted(lex["positive"] | lex["negative"] | lex["arousal"]):
        if len(word) > 1:
            tokenizer.add_word(word)
    return tokenizer


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


class ClassifierScorer:
    """Valence from a local sentiment classifier (any ``AutoModelForSequenceClassification``
    checkpoint: safetensors, local files only); arousal still from the lexicon.

    Valence is P(positive) - P(negative), with the labels read from the model's ``id2label``
    (names containing "pos"/"neg"), or the first and last label of a 2- or 3-way classifier.

    >>> report = analyze("ep01.fountain", scorer=ClassifierScorer("models/sentiment-zh"))  # doctest: +SKIP
    """

    def __init__(self, path: str, device: str = "cpu", batch_size: int = 32) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        from aiscript.backends.modelcheck import classifier
        from aiscript.errors import AiscriptError, first_line

        classifier("scorer", path)  # exists, and is a classifier rather than a causal LM
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(
                path, local_files_only=True, use_safetensors=True).to(device).eval()
        except Exception as exc:  # missing folder, not a classifier, pickle-only weights
            raise AiscriptError(f"cannot load the scorer model {path}: {first_line(exc)}",
                                "pass a local text-classification model folder (safetensors)"
                                ) from None
        labels = {i: str(name).lower() for i, name in self.model.config.id2label.items()}
        self.pos = next((i for i, n in labels.items() if "pos" in n), max(labels))
        self.neg = next((i for i, n in labels.items() if "neg" in n), min(labels))
        self.device, self.batch_size = device, batch_size
        self._lexicon = LexiconScorer()

    def score(self, texts: Sequence[str], lang: Language) -> list[tuple[float, float]]:
        import torch

        valence: list[float] = []
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i : i + self.batch_size])
            enc = self.tokenizer(batch, padding=True, truncation=True, max_length=128,
                                 return_tensors="pt").to(self.device)
            with torch.no_grad():
                probs = self.model(**enc).logits.float().softmax(dim=-1)
            valence += (probs[:, self.pos] - probs[:, self.neg]).tolist()
        arousal = [a for _, a in self._lexicon.score(texts, lang)]
        return [(round(v, 3), a) for v, a in zip(valence, arousal, strict=True)]
