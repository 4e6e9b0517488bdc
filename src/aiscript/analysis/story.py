"""Story-state evidence at the opening and the ending of a script, and the small learned model
that weighs it into the hook and cliffhanger verdicts.

The evidence is interpretable: which story states show in the first beat (danger, conflict,
humiliation, threat, a reveal, distress, or calm) and in the last beats (a threat, an arrival, a
reveal, an interrupted action, danger, a held freeze, a vow of what is to come, or closure:
warmth, a farewell), the transitions (TO BE CONTINUED, FADE OUT, 黑屏: evidence, not verdicts), the last line's shape
(a question, a line cut short) and the emotion: arousal counts only with its valence
(``neg_arousal`` = arousal x negative valence). The cue phrases per state and language are in
``story_cues.json``; the weights are fitted by ``python -m aiscript.analysis.crossval --write``
on every labelled set the project may read and shipped in ``craft_model.json``.

>>> from aiscript.analysis.formats import read_text
>>> s = read_text("INT. ROOF - NIGHT\\n\\nA girl stands on the edge of the roof, sobbing.\\n\\n"
...               "MOM\\nCome back here. Please.\\n\\nShe smiles and steps down into her arms.", "x.fountain")
>>> ev = opening_evidence(s)
>>> ev.features["danger"] > 0, ev.kind
(True, 'danger')
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from aiscript.analysis.emotion import LexiconScorer
from aiscript.analysis.formats import Beat, Element, Script, timeline
from aiscript.schema import Language

HERE = Path(__file__).resolve().parent
OPENING_STATES = ("danger", "conflict", "humiliation", "threat", "reveal", "distress", "calm")
ENDING_STATES = ("threat", "power_shift", "arrival", "reveal", "interrupt", "danger", "freeze",
                 "closure", "farewell", "vow")
OPEN_ENDINGS = ("threat", "power_shift", "arrival", "reveal", "interrupt", "danger", "freeze",
                "vow")
RECENCY = (1.0, 0.6, 0.4)
OPENING_READ = 4  # the judge reads this many hook windows of the opening (its first beats)
# the aggregate features the model weighs and the states each stands for
GROUPS = {"stakes": tuple(s for s in OPENING_STATES if s != "calm"), "open_state": OPEN_ENDINGS,
          "closed_state": ("closure", "farewell")}
_ADDRESSED = re.compile(r"\byou|\byour|你|您", re.I)  # the last beat, the one before, the one before that


@cache
def cues(lang: Language) -> dict:
    """Cue phrases per story state for one language."""
    return json.loads((HERE / "story_cues.json").read_text(encoding="utf-8"))[lang]


# English cue phrases written as stems, to find every form (collaps: collapse, collapsed,
# collapsing); every other English cue is a word with its inflections only
STEMS = frozenset(("pursu", "collaps", "explod", "diagnos", "struggl", "humiliat", "trembl",
                   "panick", "terrif", "realiz", "realis", "recogni", "relie", "determin"))
_INFLECTION = r"(?:s|es|ed|d|ing|er|ers|est|ly|y|ies|ied|en|n|'s|’s)?(?![a-z])"


def _en_phrase(p: str) -> str:
    """An English cue with its inflections: "hug" finds hugs and hugged, never "huge"; "steel"
    never "Steelshanks".

    >>> [bool(re.match(_en_phrase(p), w, re.I)) for p, w in (("hug", "hugged"), ("hug", "huge"),
    ...     ("scream", "screams"), ("run", "running"), ("collaps", "collapsing"))]
    [True, False, True, True, True]
    """
    if p.lower() in STEMS or not p[-1:].isalpha():
        return re.escape(p)
    return re.escape(p) + f"{re.escape(p[-1])}?" + _INFLECTION


@cache
def _pattern(lang: Language, phrases: tuple[str, ...]) -> re.Pattern:
    ordered = sorted(phrases, key=len, reverse=True)
    if lang == "en":  # English cues are words (with their inflections) or stems, at word starts
        return re.compile("(?<![a-z])(?:" + "|".join(_en_phrase(p) for p in ordered) + ")", re.I)
    return re.compile("(?:" + "|".join(re.escape(p) for p in ordered) + ")", re.I)


def find_cue(text: str, phrases: list[str], lang: Language) -> str | None:
    """The first cue phrase in the text, or None. Chinese cues match whole words only: the
    cue must start and end on a word edge of the text's segmentation (jieba in search mode,
    knowing the cue phrases, so the parts of a compound count: 鉴定 in 亲子鉴定), so 战 does not
    fire inside 挑战书 nor 快 inside 快递.

    >>> find_cue("Headlights bear down on him.", ["headlights", "run"], "en")
    'Headlights'
    >>> find_cue("He is running.", ["run"], "en"), find_cue("A brunch.", ["run"], "en")
    ('running', None)
    >>> find_cue("他收到一封挑战书。", ["战"], "zh"), find_cue("她攥着亲子鉴定。", ["鉴定"], "zh")
    (None, '鉴定')
    >>> find_cue("快递到了。", ["快"], "zh"), find_cue("快跑！", ["快"], "zh")
    (None, '快')
    """
    if not phrases:
        return None
    pattern = _pattern(lang, tuple(phrases))
    if lang != "zh" or not WORD_BOUNDARIES:
        m = pattern.search(text)
        return m.group(0) if m else None
    if not pattern.search(text):
        return None
    edges, best = _edges(text), None  # the earliest cue on word edges (the longest there)
    for p in phrases:
        i = text.find(p)
        while i >= 0 and (best is None or i <= best[0]):
            if (i in edges[0] and i + len(p) in edges[0]) or (i, i + len(p)) in edges[1]:
                best = min(best or (i, -len(p), p), (i, -len(p), p))
                break
            i = text.find(p, i + 1)
    return best[2] if best else None


WORD_BOUNDARIES = True  # Chinese cues on word boundaries (False: substrings, as before)


@cache
def _segmenter():
    """A jieba tokenizer of our own that knows every Chinese cue phrase (the global jieba
    dictionary is left as it is)."""
    from aiscript.segment import jieba_tokenizer

    tokenizer = jieba_tokenizer()
    words: set[str] = set()

    def collect(node) -> None:
        if isinstance(node, dict):
            for v in node.values():
                collect(v)
        elif isinstance(node, list):
            words.update(w for w in node if isinstance(w, str) and len(w) > 1)

    collect(cues("zh"))
    for w in sorted(words):
        tokenizer.add_word(w, freq=1000)
    return tokenizer


@lru_cache(maxsize=8192)
def _edges(text: str) -> tuple[frozenset[int], frozenset[tuple[int, int]]]:
    """Where words start or end in ``text`` (jieba's accurate mode), and the spans of every
    word search mode finds (the parts of a compound: 亲子 and 鉴定 in 亲子鉴定)."""
    seg = _segmenter()
    edges = {0, len(text)}
    for _w, a, b in seg.tokenize(text):
        edges.update((a, b))
    spans = frozenset((a, b) for _w, a, b in seg.tokenize(text, mode="search"))
    return frozenset(edges), spans


@dataclass
class Evidence:
    """Features of one end of a script and where each state was seen (the beat and the cue)."""

    features: dict[str, float]
    seen: dict[str, tuple[Beat, str]] = field(default_factory=dict)
    window: list[Beat] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        """The state seen nearest the edge (the first for an opening, the last for an ending)."""
        return next(iter(self.seen), None)


def is_meta(el: Element, lang: Language) -> bool:
    """A caption, title card, sound or music note rather than a story beat."""
    if el.kind != "action":
        return False
    text = el.text.strip().lower()
    return bool(find_cue(text[:16], cues(lang)["meta"], lang)) or _transition(text, lang) is not None


def _transition(text: str, lang: Language) -> str | None:
    for kind, phrases in cues(lang)["transition"].items():
        if find_cue(text, phrases, lang):
            return kind
    return None


def beats_of(script: Script, timing=None, scorer=None) -> list[Beat]:
    """The script's non-heading elements on the timeline, scored for valence and arousal."""
    events = [e for e in timeline(script, timing) if e.el.kind != "heading"]
    scores = (scorer or LexiconScorer()).score([e.el.text for e in events], script.language)
    return [Beat(e.el, e.start, e.end, v, a) for e, (v, a) in zip(events, scores, strict=True)]


# --------------------------------------------------------------------------- opening


def opening_window(beats: list[Beat], lang: Language, hook_window_s: float = 3.0) -> list[Beat]:
    """The first story beat whole, and every beat that starts within the hook window of it
    (title cards, captions and music notes before it do not count)."""
    story = [b for b in beats if not is_meta(b.el, lang)] or beats
    if not story:
        return []
    t0 = story[0].start
    window = [b for b in story if b.start < t0 + hook_window_s] or story[:1]
    # a line said over the opening image belongs to it
    if len(window) == 1 and len(story) > 1 and story[0].el.kind == "action" \
            and story[1].el.kind == "dialogue":
        window.append(story[1])
    return window


_SENTENCE = re.compile(r"(?<=[。！？!?…；;])|(?<=[.!?])(?=\s)")
CLIP = 2  # sentences of a last beat that count at the end


def clip(text: str, end: bool, n: int = CLIP) -> str:
    """The first (``end=False``) or last ``n`` sentences of a beat: what plays at the edge of a
    long paragraph (a stage play run into one line) is its first or last sentences, not all.
    The ending reads its last beats so (the opening reads its first beat whole: clipping it
    gained nothing with each source held out).

    >>> clip("他走进门。她抬起头。两人都笑了。", end=True, n=1)
    '两人都笑了。'
    """
    if n <= 0:
        return text
    parts = [p for p in _SENTENCE.split(text) if p and p.strip()]
    return "".join(parts[-n:] if end else parts[:n]).strip() if len(parts) > n else text


# a hand on a thing is no fight: these cues of touch count only with a person as their object
# (推着自行车 pushes a bicycle; 一把推开她 pushes her; 把外卖箱绑上电动车 ties a box on, 把她绑在椅子上
# ties her up)
_CONTACT = {"推", "拖", "拽", "揪", "绑", "shove", "drag"}
_CLAUSE_END = re.compile(r"[，。！？；,.!?;…]")


def _on_someone(text: str, hit: str, names: list[str], lang: Language) -> bool:
    """Whether the clause after the cue ``hit`` in ``text`` names or points to a person.

    >>> _on_someone("老汉推着自行车进了院子。", "推", [], "zh")
    False
    >>> _on_someone("林晚狠狠推了她一把。", "推", [], "zh")
    True
    >>> _on_someone("林晚把外卖箱绑上电动车，哼着歌。", "绑", ["林晚"], "zh")
    False
    >>> _on_someone("刀疤脸把她推倒在地。", "推", [], "zh")
    True
    """
    i = text.lower().find(hit.lower())
    if i < 0:
        return mentions_person(text, names, lang)
    before = _CLAUSE_END.split(text[:i])[-1]
    if lang == "zh" and "把" in before:  # 把 puts the object before the verb: 把她推倒
        return mentions_person(before[before.rindex("把") + 1:], names, lang)
    rest = _CLAUSE_END.split(text[i + len(hit):], maxsplit=1)[0]
    return mentions_person(rest, names, lang)


def _state_cues(beats: list[Beat], states, table: dict, lang: Language,
                weight: Callable[[int], float], end: bool = False,
                names: list[str] | None = None,
                ) -> tuple[dict[str, float], dict[str, tuple[Beat, str]]]:
    """Per story state, the weighted count of ``beats`` whose text holds one of its cues
    (``weight(i)`` for the i-th beat, capped at 1.5), and the first beat and cue found.
    With ``names``, a cue of touch (``_CONTACT``) needs a person as its object."""
    f: dict[str, float] = {}
    seen: dict[str, tuple[Beat, str]] = {}
    for state in states:
        total = 0.0
        for i, b in enumerate(beats):
            hit = find_cue(clip(b.el.text, end) if end else b.el.text, table[state], lang)
            if hit and names is not None and hit.lower() in _CONTACT \
                    and not _on_someone(b.el.text, hit, names, lang):
                hit = None
            if hit:
                total += weight(i)
                seen.setdefault(state, (b, hit))
        f[state] = min(total, 1.5)
    return f, seen


def opening_evidence(script: Script, beats: list[Beat] | None = None,
                     hook_window_s: float = 3.0) -> Evidence:
    """Story states in the first seconds (see ``OPENING_STATES``) and the emotion there."""
    lang = script.language
    beats = beats if beats is not None else beats_of(script)
    # the judge reads the first beats of the opening scene, not one stopwatch window: a page's
    # timing is an estimate, and a hook played over two or three quick beats is still the hook
    # (the states seen there are evidence; the hook is named and timed only inside the hook
    # window, see ``Evidence.window``)
    window = opening_window(beats, lang, hook_window_s)
    read = opening_window(beats, lang, hook_window_s * OPENING_READ)
    # the first beat counts fully, the ones after it less
    names = people(beats) + list(script.cast)
    f, seen = _state_cues(read, OPENING_STATES, cues(lang)["opening"], lang,
                          lambda i: 1.0 if i == 0 else 0.6, names=names)
    said = [b for b in read if b.el.kind == "dialogue"]
    f["neg_arousal"] = max((b.arousal * max(0.0, -b.valence) for b in read), default=0.0)
    f["positive"] = max((max(0.0, b.valence) for b in read), default=0.0)
    f["exclaim"] = float(any(b.el.text.rstrip().endswith(("!", "！")) for b in said))
    # a question put to someone ("you", 你): small talk asks about the weather
    f["question"] = float(any(b.el.text.rstrip().rstrip("”\"").endswith(("?", "？"))
                              and _ADDRESSED.search(b.el.text) for b in said))
    f["cold_open"] = float(bool(window) and window[0].el.kind == "dialogue"
                           and not window[0].el.voice_over)
    # story state, not words: a first image with nobody in it establishes; two people
    # exchanging charged lines at once is a confrontation under way
    f["no_person"] = float(bool(window) and window[0].el.kind == "action"
                           and not mentions_person(window[0].el.text, names, lang))
    f["confrontation"] = float(confrontation(beats, lang))
    # any state with stakes, whichever it is: a rare state (humiliation) counts like a common one
    f["stakes"] = max(f[s] for s in OPENING_STATES if s != "calm")
    # states in the order they play: the first one seen names the hook
    seen = dict(sorted((kv for kv in seen.items() if kv[0] != "calm"),
                       key=lambda kv: kv[1][0].start))
    return Evidence(f, seen, window)


# --------------------------------------------------------------------------- ending


def ending_window(beats: list[Beat], lang: Language, cliffhanger_window_s: float = 10.0,
                  last: int = 3) -> list[Beat]:
    """The last story beats (at most ``last``) that end within the cliffhanger window of the
    last one; transitions and captions after them are read separately."""
    story = [b for b in beats if not is_meta(b.el, lang)] or beats
    if not story:
        return []
    end = story[-1].end
    return ([b for b in story if b.end > end - cliffhanger_window_s] or story[-1:])[-last:]


def ending_evidence(script: Script, beats: list[Beat] | None = None,
                    cliffhanger_window_s: float = 10.0) -> Evidence:
    """Story states in the last beats (see ``ENDING_STATES``), the transitions after them, the
    shape of the last line and the emotion of the last beat."""
    lang = script.language
    beats = beats if beats is not None else beats_of(script)
    window = ending_window(beats, lang, cliffhanger_window_s)
    # the last beat counts fully, the ones before it less (``RECENCY``)
    f, seen = _state_cues(window[::-1], ENDING_STATES, cues(lang)["ending"], lang,
                          lambda rank: RECENCY[min(rank, len(RECENCY) - 1)], end=True)
    tail = beats[beats.index(window[-1]) + 1:] if window else []
    for kind in ("to_be_continued", "fade", "black"):
        f[kind] = 0.0
    for b in tail[-4:]:
        kind = _transition(b.el.text.lower(), lang)
        if kind:
            f[kind] = 1.0
            seen.setdefault(kind, (b, b.el.text.strip()))
    said = [b for b in window if b.el.kind == "dialogue"]
    last = window[-1] if window else None
    f["question"] = float(bool(said) and said[-1].el.text.rstrip().rstrip("”\"").endswith(("?", "？")))
    f["cut_short"] = float(any(b.el.text.rstrip().endswith(("—", "--")) for b in said))
    f["trailing"] = float(any(b.el.text.rstrip().endswith(("…", "...")) for b in said))
    f["exclaim"] = float(bool(said) and said[-1].el.text.rstrip().endswith(("!", "！")))
    f["neg_arousal"] = last.arousal * max(0.0, -last.valence) if last else 0.0
    f["positive"] = max(0.0, last.valence) if last else 0.0
    f["last_is_dialogue"] = float(bool(last) and last.el.kind == "dialogue")
    # story state: someone left before the last beat (and nothing arrived or threatened after:
    # the scene's conflict is over), the last image rests after it, a person first seen or
    # heard in the last beats (a new person whose meeting has not played)
    story = [b for b in beats if not is_meta(b.el, lang)] or beats
    f["exit_before_last"] = float(exit_before_last(story, lang))
    f["aftermath"] = float(bool(f["exit_before_last"]) and bool(last) and last.el.kind == "action"
                           and (not CALM_AFTERMATH or last.arousal * max(0.0, -last.valence) < CALM_AFTERMATH))
    f["new_person"] = float(new_person(story))
    # the shape of the cut, not its words: a short reaction shot after a line (齐王色变。 "She
    # freezes.") leaves the line unanswered; the work's own end mark (剧终, THE END) closes it
    f["reaction_last"] = float(reaction_last(window, lang))
    f["the_end"] = float(the_end(beats, lang))
    f["said_question"] = float(any(_asks(b.el.text) for b in window[-2:]
                                   if b.el.kind == "dialogue"))
    f["long_form"] = min(2.0, math.log10(max(1, len(story))) - 1.0)
    # the shape of the last beat: a line spoken after an action (the answer to what was just
    # done or seen, left without a reply) rather than an image the scene settles on
    f["line_after_action"] = float(len(window) >= 2 and window[-1].el.kind == "dialogue"
                                   and window[-2].el.kind == "action")
    # any open state and any closed one, whichever it is (a rare open state counts like a
    # common one)
    f["open_state"] = max(f[s] for s in OPEN_ENDINGS)
    # after an exit with nothing reopened (``aftermath``) the confrontation is over: a wound or
    # a weapon in the resting image is what it left, not a new danger
    if f["aftermath"]:
        f["open_state"] = 0.0
    f["closed_state"] = max(f["closure"], f["farewell"])
    # an ending with no open state and no open line shape rests, whatever its transition; after
    # an aftermath the open cues of the resting image count for nothing here too (as above)
    f["nothing_open"] = float((f["aftermath"] or not any(f[s] for s in OPEN_ENDINGS))
                              and not f["question"] and not f["cut_short"])
    # the nearest the end names the ending
    seen = dict(sorted(seen.items(), key=lambda kv: -kv[1][0].start))
    return Evidence(f, seen, window)


# --------------------------------------------------------------------------- story state

_CAPS_NAME = re.compile(r"\b[A-Z][A-Z'\-]{1,}(?:\s[A-Z][A-Z'\-]{1,})?\b")
_NOT_NAMES = {"INT", "EXT", "DAY", "NIGHT", "CUT", "FADE", "TO", "OUT", "IN", "BLACK", "THE",
              "END", "CONTINUED", "POV", "SFX", "VO", "OS", "CU", "ECU", "TV", "OK", "LATER",
              "MOMENTS", "SMASH", "BE", "CONTINUOUS", "FLASHBACK", "SUPER", "TITLE", "I", "A"}
_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|his|we|i|you|man|woman|boy|girl|men|women|"
                      r"someone|people|crowd|figure|child|mother|father)\b|[他她们]|男人|女人|"
                      r"男子|女子|孩子|众人|人群|身影|母亲|父亲|[男女老少]+[人孩子生]|"
                      r"[医护保士兵警官客员工者手匠夫妇姐妹兄弟爷奶娘妈爸]", re.I)


def people(beats: list[Beat]) -> list[str]:
    """The script's speakers (the names a reader can know without a cast list)."""
    return list(dict.fromkeys(b.el.speaker for b in beats if b.el.kind == "dialogue"
                              and b.el.speaker and b.el.speaker != "?"))


def _caps_names(text: str) -> set[str]:
    return {m for m in _CAPS_NAME.findall(text) if m.split()[0] not in _NOT_NAMES}


def mentions_person(text: str, names: list[str], lang: Language) -> bool:
    """Whether an action line has a person in it: a speaker's name, a character introduced in
    capitals (Fountain), or a pronoun or noun for a person."""
    low = text.lower()
    if any(n and (n.lower() in low or n.split()[0].lower() in low) for n in names):
        return True
    return bool(_caps_names(text)) or bool(_PRONOUN.search(text))


def confrontation(beats: list[Beat], lang: Language, first: int = 4) -> bool:
    """Two people trade charged lines in the first beats: an exclamation or a question put to
    the other, from both sides."""
    story = [b for b in beats if not is_meta(b.el, lang)][:first]
    said = [b for b in story if b.el.kind == "dialogue" and not b.el.voice_over]
    charged = {b.el.speaker for b in said
               if b.el.text.rstrip("”\"' ").endswith(("!", "！", "?", "？", "—", "--"))}
    return len({b.el.speaker for b in said}) >= 2 and len(charged) >= 2


CALM_AFTERMATH = 0.5  # an aftermath rests: the last image is not one of strong negative arousal
EXIT_IN_ACTION = True  # exits are acted ("He is gone." said over a body is a death)


def exit_before_last(story: list[Beat], lang: Language, last: int = 4) -> bool:
    """Someone leaves in the last beats, before the last one, and no arrival, threat or
    interruption comes after the exit."""
    tail = story[-last:]
    table = cues(lang)
    for i, b in enumerate(tail[:-1]):
        if EXIT_IN_ACTION and b.el.kind != "action":
            continue
        if find_cue(b.el.text, table["exit"], lang):
            after = tail[i + 1:]
            reopened = any(find_cue(a.el.text, table["ending"][s], lang)
                           for a in after for s in ("arrival", "threat", "interrupt"))
            return not reopened
    return False


_END_MARK = re.compile(r"(?:剧终|全剧终|全剧完|全文完|落幕|幕落|[（(【\[]\s*完\s*[）)】\]]|^\s*完\s*$|"
                       r"\bthe end\b|^\s*fin\.?\s*$|\bend of (?:film|play|story)\b)", re.I)


def the_end(beats: list[Beat], lang: Language, last: int = 3) -> bool:
    """The script marks the end of the whole work (剧终, 全剧终, （完）, 落幕, THE END) in its
    last elements: a story told to its end, not an episode cut on an open question."""
    del lang
    return any(_END_MARK.search(b.el.text[-24:]) for b in beats[-last:])


def _asks(text: str) -> bool:
    return bool(re.search(r"[?？]", text))


def reaction_last(window: list[Beat], lang: Language) -> bool:
    """The last beat is a short action after a spoken line: a reaction shot that cuts before
    anyone answers."""
    if len(window) < 2 or window[-1].el.kind != "action":
        return False
    text = window[-1].el.text.strip()
    short = len(text) <= 16 if lang == "zh" else len(text.split()) <= 10
    return short and any(b.el.kind == "dialogue" for b in window[:-1])


def new_person(story: list[Beat], last: int = 3) -> bool:
    """A person first seen or heard in the last beats: a speaker whose first line is there, or
    a name in capitals (a Fountain character introduction) never seen before."""
    if len(story) <= last + 2:
        return False
    before, tail = story[:-last], story[-last:]
    spoke = {b.el.speaker for b in before if b.el.kind == "dialogue"}
    earlier = " ".join(b.el.text for b in before).lower()
    if any(b.el.kind == "dialogue" and b.el.speaker and b.el.speaker != "?"
           and b.el.speaker not in spoke and b.el.speaker.lower() not in earlier
           and not b.el.voice_over for b in tail):
        return True
    seen = set().union(*(_caps_names(b.el.text) for b in before)) | {s.upper() for s in spoke}
    return any(n not in seen and n.split()[0] not in seen
               for b in tail if b.el.kind == "action" for n in _caps_names(b.el.text))


# --------------------------------------------------------------------------- the model


@dataclass
class Logistic:
    """A logistic regression over named features, standardised with the training means and
    scales (plain Python at inference)."""

    weights: dict[str, float]
    bias: float
    mean: dict[str, float]
    scale: dict[str, float]

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        return {k: w * (features.get(k, 0.0) - self.mean[k]) / self.scale[k]
                for k, w in self.weights.items()}

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.contributions(features).values())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def craft_model(path: str | None = None) -> dict:
    """The shipped weights: ``{"hook": Logistic, "cliffhanger": Logistic, "meta": {...}}``."""
    raw = json.loads(Path(path or HERE / "craft_model.json").read_text(encoding="utf-8"))
    return {**{k: Logistic(**raw[k]) for k in ("hook", "cliffhanger")}, "meta": raw.get("meta", {})}


def reasons(model: Logistic, features: dict[str, float], ev: Evidence, top: int = 3) -> list[str]:
    """The features that moved the verdict most, each with its cue and line."""
    contrib = model.contributions(features)
    seen = [kv for kv in contrib.items() if features.get(kv[0], 0.0)]
    # what was seen first; what was missing only when nothing was seen
    parts = sorted(seen or contrib.items(), key=lambda kv: -abs(kv[1]))
    out = []
    for name, c in parts[:top]:
        if abs(c) < 0.05:
            break
        # an aggregate names the state it stands for: stakes:conflict
        state = next((s for s in ev.seen if s in GROUPS.get(name, ())), None)
        where = ev.seen.get(state or name)
        label = f"{name}:{state}" if state else name
        cue = f" '{where[1]}' in \"{_short(where[0].el.text)}\"" if where else ""
        out.append(f"{label}={features.get(name, 0.0):.2f}{cue} ({c:+.2f})")
    return out


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
