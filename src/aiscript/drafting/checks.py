"""Degenerate-draft checks: what a schema cannot see.

A schema-constrained model always writes valid JSON, but a small model fills it with junk that
validates: key names as values ("looks"), text copied from the prompt ("in cast order"),
timestamps or beat kinds as lines ("10.0s", "hook"), the series title as every character's
look, one line said five times, text cut off by a length cap. Each check returns the problems it
found as short phrases; an empty list means the text is fit to use.

>>> texts_problems(["10.0s", "hook", "你到底是谁？"], Context(language="zh", cap=40))
['a timestamp as text: "10.0s"', 'a beat kind as text: "hook"']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

KEY_NAMES = {"title", "logline", "looks", "look", "summaries", "summary", "beats", "beat",
             "action", "lines", "line", "speaker", "text", "name", "role", "voice", "cast",
             "episode", "scene", "json", "string", "标题", "动作", "台词", "说话人"}
BEAT_KINDS = {"hook", "pivot", "twist", "push", "payoff", "cliffhanger", "beat", "reaction",
              "钩子", "反转", "转折", "推进", "爽点", "悬念", "节拍"}
_PLACEHOLDER = re.compile(
    r"^(\.{2,}|…+|-+|_+|\?+|x{3,}|n/?a|none|null|todo|tbd|placeholder|lorem ipsum.*|example|"
    r"sample|your text.*|\w+ here|text here|无|空|略|待定|示例|占位.*)$", re.I)
_BRACKETED = re.compile(r"[<\[{]\s*[\w ]+\s*[>\]}]")  # <name>, [action], {line}
_TIMESTAMP = re.compile(r"^(@\s*)?\d+(\.\d+)?\s*(s|sec|secs|seconds|秒)?$|^\d+:\d{2}(\.\d+)?$|"
                        r"@\s*\d+(\.\d+)?\s*s\b", re.I)
# the beat plan's own labels copied in front of a text: "第12秒：", "hook，", "at 30 s:", "2. "
_PLAN_LABEL = re.compile(r"^\s*(第\s*\d+\s*(秒|集|个?节拍)|(beat|ep(isode)?)\s*\d+\s*[:：.]|"
                         r"at\s+\d+\s*s\b|\d+\s*[.、]\s|(hook|pivot|twist|push|payoff|"
                         r"cliffhanger|钩子|反转|转折|推进|爽点|悬念)\s*[:：,，])", re.I)
# a line that stops mid-sentence: on a comma, or (English) on a word no sentence ends with
_CUT_EN = re.compile(r"(,|\b(i|a|an|the|to|and|but|or|of|my|your|was|were|is|are|we|you|he|"
                     r"she|they|it's|i'm|that|with|for|in|on|at|so))\s*$", re.I)
_CUT_ZH = re.compile(r"[，、,]\s*$")
_REPEAT_RUN = re.compile(r"(.{2,}?)\1{3,}")  # the same piece four times in a row
_CLAUSE = re.compile(r"[，,。.！!？?；;…、—]+")
_WORD = re.compile(r"[A-Za-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")  # 'elevator' (DNA, U盘 pass)
# speech quoted inside an action: "他笑着说：'…'", "she says, \"…\"", "林晚：“…”"
_SPEECH = re.compile(r"([说道问喊叫骂笑吼]\s*[:：，,]?\s*|[:：]\s*)['\"‘“「]|"
                     r"\b(says?|said|asks?|asked|shouts?|shouted|whispers?|whispered|"
                     r"yells?|yelled)\b,?\s*[\"“]", re.I)
_LATIN = re.compile(r"[A-Za-z]")


@dataclass
class Context:
    """What a draft is checked against: its language, the prompt it answered, the cast, the
    series title and the length cap of its strings."""

    language: str
    cap: int = 10_000
    prompt: str = ""
    cast: Sequence[str] = ()
    title: str = ""
    ignore: set[str] = field(default_factory=set)  # texts the writer itself put in (names)


def _norm(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’「」.,，。!！?？:：;；、…—-]+", "", text).lower()


def instructions_only(prompt: str, contents: Sequence[str]) -> str:
    """``prompt`` with the story's own content cut out (names, places, the plan's events, beat
    notes, looks ...): what is left is the instructions and the examples, the only prompt text a
    draft must not copy. The plan's phrases are the writer's to use.

    >>> instructions_only("Write: Ava returns. Never copy this.", ["Ava returns."])
    'Write: \\n Never copy this.'
    """
    for text in sorted({c for c in contents if len(_norm(c)) >= 2}, key=len, reverse=True):
        prompt = prompt.replace(text, "\n")
    return prompt


def story_strings(*models) -> list[str]:
    """Every string inside pydantic models (or dicts and lists of them): the story's content."""
    out: list[str] = []

    def walk(x) -> None:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple, set)):
            for v in x:
                walk(v)
        elif hasattr(x, "model_dump"):
            walk(x.model_dump())

    for m in models:
        walk(m)
    return out


def text_problems(text: str, ctx: Context, speaker: str | None = None,
                  cap: int | None = None) -> list[str]:
    """Problems of one string: empty, placeholder, key name, timestamp, beat kind, a cast
    name alone (or the speaker's own name as their line), copied from the prompt, cut by the
    length cap, a run of one piece repeated, the wrong language."""
    t = text.strip()
    n = _norm(t)
    quoted = t if len(t) <= 40 else t[:37] + "..."
    if _PLACEHOLDER.match(t) or _BRACKETED.search(t):
        return [f'a placeholder: "{quoted}"']
    if not n:
        return [f'an empty text: "{quoted}"']
    if n in KEY_NAMES:
        return [f'a JSON key name as text: "{quoted}"']
    if _TIMESTAMP.search(t):
        return [f'a timestamp as text: "{quoted}"']
    if _PLAN_LABEL.match(t):
        return [f'a label from the beat plan: "{quoted}"']
    if n in BEAT_KINDS:
        return [f'a beat kind as text: "{quoted}"']
    names = {_norm(c) for c in ctx.cast}
    if n in names:
        who = "the speaker's own name" if speaker and n == _norm(speaker) else "a name"
        return [f'{who} as text: "{quoted}"']
    out = []
    if len(n) >= 6 and n not in ctx.ignore and n in _norm(ctx.prompt):
        out.append(f'text copied from the prompt: "{quoted}"')
    limit = cap or ctx.cap
    if len(t) >= limit:
        out.append(f'text cut by the {limit}-character cap: "{quoted}"')
    if _REPEAT_RUN.search(t):
        out.append(f'a piece repeated over and over: "{quoted}"')
    elif twice := said_twice(t, ctx.language):
        out.append(f'a phrase said twice: "{twice}"')
    if ctx.language == "en" and (glued := glued_words(t, ctx.cast)):
        out.append(f'words glued together: "{glued[0]}"')
    if ctx.language == "zh" and not _CJK.search(t):
        out.append(f'not Chinese: "{quoted}"')
    elif ctx.language == "zh" and (word := _LOWER_WORD.search(t)):
        out.append(f'an English word in Chinese text: "{word.group(0)}"')
    if ctx.language == "en" and (_CJK.search(t) or not _LATIN.search(t)):
        out.append(f'not English: "{quoted}"')
    return out


def speech_in_action(action: str) -> str | None:
    """Dialogue quoted inside an action ("顾言笑嘻嘻地说：'我就是你的未婚夫！'"): a line the
    script cannot give to anyone, so the action is not an action."""
    m = _SPEECH.search(action)
    return action[max(0, m.start() - 12):m.end() + 16] if m else None


def said_twice(text: str, language: str) -> str | None:
    """A clause said twice within one text ("你这个蠢货，你这个蠢货！", "I'm sorry. I'm
    sorry."): the loop a small model falls into. Short cries ("放开我！放开我！", "No, no!")
    are speech, not a loop, so a clause must be long enough to count."""
    least = 4 if language == "zh" else 8
    seen: set[str] = set()
    for clause in _CLAUSE.split(text):
        n = _norm(clause)
        if len(n) < least:
            continue
        if n in seen:
            return clause.strip()
        seen.add(n)
    return None


@cache
def _lexicon():
    """English word frequencies (pyspellchecker's dictionary); None where it is not
    installed, and then the glued-word check is skipped."""
    try:
        from spellchecker import SpellChecker
    except ImportError:
        return None
    return SpellChecker().word_frequency


_COMMON = 20_000  # both halves of a glued word must be common words (red 209k, wine 66k)


def glued_words(text: str, cast: Sequence[str] = ()) -> list[str]:
    """English words glued together ("redwine", "inpublic", "AvaLin"): a word the dictionary
    does not know that splits into two common words it does. A sampler that taxes repeats
    makes a small model drop the space between words it has used before. Cast names (and
    their parts) are the story's own words and never count."""
    lex = _lexicon()
    if lex is None:
        return []
    own = {w.lower() for name in cast for w in _WORD.findall(name)}
    out = []
    for word in _WORD.findall(text):
        w = word.lower()
        if len(w) < 5 or w in own or lex[w] > 0:
            continue
        for i in range(2, len(w) - 1):
            head, tail = w[:i], w[i:]
            if (lex[head] >= _COMMON or head in own) and (lex[tail] >= _COMMON or tail in own):
                out.append(word)
                break
    return out


_INTRO = re.compile(r"(i'?m|i am|my name is|call me|我是|我叫|我就是)\s*$", re.I)
_NARRATED = re.compile(r"^\s*(he|she|they)?\s*(is|was|are|were|stands?|looks?|seems?|has|had|"
                       r"gets?|feels?)\b", re.I)


def line_voice_problems(speaker: str, text: str, cast: Sequence[str]) -> list[str]:
    """A line no one would say: the speaker naming themself ("Ethan Gu: You never told anyone
    about Ethan."; an introduction, "I'm Ethan", is speech), or narration put in a mouth
    ("Chloe Hart: Ava Lin is shocked and embarrassed.")."""
    out = []
    first = speaker.split()[0] if " " in speaker else speaker
    word = rf"\b{re.escape(first)}\b" if first.isascii() else re.escape(first)
    for m in re.finditer(word, text):
        before = text[:m.start()]
        if not _INTRO.search(before):
            out.append(f'{speaker} speaks of themself by name: "{text[:40]}"')
            break
    for name in cast:  # "林晚：你怎么这么丢人？" as 沈宴's line: a script's label kept in it
        if re.search(rf"(^|[\s。！？.!?])(?:{re.escape(name)})\s*[:：]", text):
            out.append(f'a speaker label inside a line: "{text[:40]}"')
            break
    for name in cast:
        if text.strip().startswith(name) and _NARRATED.match(text.strip()[len(name):]):
            out.append(f'narration as a line: "{text[:40]}"')
            break
    else:
        if (len(text.split()) >= 7 and not _FIRST_SECOND.search(text)
                and (_THIRD_PERSON.search(text)
                     or len(_HE_SHE.findall(re.sub(r"[^.!?]*\?", "", text))) >= 2)):
            out.append(f'narration as a line: "{text[:40]}"')
    return out


# two third persons acting in one line with no I, me or you ("He's trying to help her, but she
# doesn't believe him."): the scene described, not spoken in it
_HE_SHE = re.compile(r"(?i)\b(he|she|they)(?:'s|'re|'ll|'d)?\s+(?!and\b|or\b)[a-z']+")


# English narration in a mouth: a third person doing something, no I, me or you anywhere
# ("She grabs Ava's hand and leads her in", "Everyone looks at Ava in shock")
_THIRD_PERSON = re.compile(r"\b(he|she|they|everyone|everybody)\s+(?!is\b|was\b|has\b)[a-z]+s\b",
                           re.I)
_FIRST_SECOND = re.compile(r"\b(i|i'm|i've|i'll|i'd|me|my|mine|you|you're|your|yours|we|"
                           r"us|our|let's)\b", re.I)


def texts_problems(texts: Sequence[str], ctx: Context) -> list[str]:
    """Problems of each string, in order."""
    return [p for t in texts for p in text_problems(t, ctx)]


def repetition_problems(texts: Sequence[str], what: str, most: float = 0.34) -> list[str]:
    """Heavy repetition across strings: one text making up more than ``most`` of them (at
    least two copies), or every one the same."""
    norm = [_norm(t) for t in texts if _norm(t)]
    if len(norm) < 2:
        return []
    text, count = Counter(norm).most_common(1)[0]
    if count >= 2 and (count == len(norm) or count / len(norm) > most):
        sample = next(t for t in texts if _norm(t) == text)
        return [f'the same {what} {count} times out of {len(norm)}: "{sample[:40]}"']
    return []


def look_problems(looks: Sequence[str], ctx: Context) -> list[str]:
    """Character looks: each a real description, none the series title, no two alike."""
    out = texts_problems(looks, ctx)
    title = _norm(ctx.title)
    for look in looks:
        if title and (_norm(look) == title or (len(title) >= 4 and title in _norm(look))):
            out.append(f'a look that is the title: "{look[:40]}"')
    seen: dict[str, str] = {}
    for name, look in zip(ctx.cast, looks, strict=False):
        key = _norm(look)
        if key in seen:
            out.append(f"the same look for {seen[key]} and {name}")
        seen.setdefault(key, name)
    return out


# "I" as the one who acts: English I (with its contractions), Chinese 我 not as an object
# (把我/被我/给我 …) and not 我们
_I_DO = re.compile(r"(?i)\bi(?:'m|'ve|'ll|'d)?\b|(?<![把被给让对跟和向叫在找帮])我(?!们)")


def _clauses(events: Sequence[str], cast: Sequence[str]) -> list[str]:
    """Each event cut at its clauses ("Chloe Hart is taken away; Ava Lin gets back everything
    ...", "沈宴被带走，林晚拿回一切"), each led by its subject: a clause that does not open on a
    name ("一气之下拉了个陌生男人顾言领证", "和顾言并肩") keeps the last subject."""
    names = "|".join(re.escape(c) for c in sorted(cast, key=len, reverse=True) if c)
    # a clause ends at a sentence mark, or where a name opens a new one: "，林晚…", ", and Ethan…"
    cut = re.compile(r"[;；。.!！?？]\s*" + (rf"|，\s*(?={names})|,\s*(?:and|but|while|as|then)\s+"
                                             rf"(?={names})" if names else ""))
    out = []
    for event in events:
        who = ""
        for clause in cut.split(event):
            if not clause.strip():
                continue
            found, _ = _subjects(clause, cast)
            head = clause[:clause.find(found[0])] if found else ""
            lead = 1 if re.search(r"[,，]\s*$", head) else 0  # "In front of everyone, Chloe…"
            if found and len(_WORD.findall(head)) <= 3 + 2 * lead and len(
                    _CJK.findall(head)) <= 4 + 4 * lead:
                who = found[0]
                out.append(clause)
            elif who:
                out.append(f"{who} {clause}")
    return out


def _subjects(event: str, cast: Sequence[str]) -> tuple[list[str], str]:
    """Who does what in an event ("Chloe Hart throws the DNA report in Ava Lin's face" ->
    (["Chloe Hart"], "throws the DNA report in Ava Lin's face")): the first cast name it
    mentions (with a second one joined to it by and/和/与), and what follows."""
    hits = sorted((m.start(), m.end(), name) for name in cast if name
                  for m in [re.search(re.escape(name), event)] if m)
    if not hits:
        return [], ""
    start, end, name = hits[0]
    who = [name]
    for s, e, other in hits[1:]:
        if re.fullmatch(r"\s*(and|&|和|与|跟)\s*", event[end:s]):
            who.append(other)
            end = e
        break
    return who, event[end:]


def wrong_speaker(speaker: str, text: str, events: Sequence[str],
                  cast: Sequence[str]) -> str | None:
    """A line given to the wrong character: it tells, in the first person, what an event of
    the story has someone else do ("我赢回了一切，也找到了真心" said by the villain, when the
    plan has 林晚 win everything back; "I threw the DNA report in Ava's face" said by anyone
    but the one who threw it). Returns who the line belongs to, or None."""
    said = [_norm(text[m.end():]) for m in _I_DO.finditer(text)]
    zh = bool(_CJK.search(text))
    least, lead = (6, 4) if zh else (14, 8)
    for event in _clauses(events, cast):
        who, rest = _subjects(event, cast)
        if not who or speaker in who:
            continue
        done = _norm(rest)
        for tail in said:
            start, run = _common_run(tail, done)
            if run >= least and start <= lead and run >= 0.5 * min(len(tail), len(done)):
                return who[0]
        if not zh:  # word order moves in English ("gets back everything" / "got everything
            deed = _stems(rest, cast)  # back"): the deed's words, the first one its verb
            for m in _I_DO.finditer(text):
                if re.match(r"(?i)(\W+\w+){0,2}?\W+(you|your)\b", text[m.end():]):
                    continue  # "I will get you everything back": done for someone
                said_words = _stems(text[m.end():], cast)[:8]
                if said_words and said_words[0] in deed and len(set(said_words) & set(deed)) >= 3:
                    return who[0]
    return None


_STOP = set("""a an the and or but so to of in on at by for with from into onto out up down
over as that this these those it its is am are was were be been being have has had do does
did will would can could shall should may might must not no just really finally already
never also still even only so very too all there here then now when where what who whom
which how why because if than me my mine you your yours he him his she her hers they them
their we us our i i'm i've i'll i'd im""".split())
_IRREGULAR = {"got": "get", "won": "win", "took": "take", "threw": "throw", "thrown": "throw",
              "gave": "give", "stood": "stand", "found": "find", "left": "leave", "saw": "see",
              "came": "come", "went": "go", "told": "tell", "made": "make", "said": "say",
              "held": "hold", "broke": "break", "sent": "send", "lost": "lose", "paid": "pay",
              "bought": "buy", "brought": "bring", "caught": "catch", "fell": "fall",
              "kept": "keep", "tore": "tear", "torn": "tear", "wore": "wear", "knew": "know"}


def _stems(text: str, cast: Sequence[str]) -> list[str]:
    """The content words of an English text, in order, crudely stemmed (throws, threw ->
    thro), without stop words or the cast's names."""
    names = {w.lower() for c in cast for w in _WORD.findall(c)}
    out = []
    for w in re.findall(r"[a-z']+", text.lower()):
        w = w.strip("'")
        if w.endswith("'s"):
            w = w[:-2]
        if w in _STOP or w in names or len(w) < 3:
            continue
        w = _IRREGULAR.get(w, w)
        w = re.sub(r"(ing|ed|es)$", "", w) if len(w) > 4 else w
        w = w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        out.append(w[:4])
    return out


def _common_run(a: str, b: str) -> tuple[int, int]:
    """Where in ``a`` the longest run shared with ``b`` starts, and its length."""
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.a, m.size


def phrase_twice(text: str, skip: Sequence[str] = ()) -> str | None:
    """The same phrase twice inside one action ("stands in front of everyone and hands her
    the will in front of everyone"): a small model saying one thing twice in a sentence. A
    phrase is four words (English) or five characters (Chinese); names and places (``skip``)
    are the story's own and may come back."""
    for name in sorted(skip, key=len, reverse=True):
        if name:
            text = text.replace(name, "|")
    if _CJK.search(text):
        first: dict[str, int] = {}
        for m in re.finditer(r"[\u4e00-\u9fff]+", text):
            for j in range(m.start(), m.end() - 4):
                piece = text[j:j + 5]
                if piece in first and j - first[piece] >= 5:
                    return piece
                first.setdefault(piece, j)
        return None
    words = [w.lower() for w in re.findall(r"[A-Za-z']+|\|", text)]
    grams: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - 3):
        gram = tuple(words[i:i + 4])
        if "|" in gram:
            continue
        if gram in grams and i - grams[gram] >= 4:
            return " ".join(gram)
        grams.setdefault(gram, i)
    return None


_YOU = re.compile(r"(?i)\b(you|your|yours|you're|you've|you'll)\b|你|您")
_ME = re.compile(r"(?i)\b(i|me|i'm)\b|我(?!们)")


def tells_the_action(text: str, action: str, cast: Sequence[str] = ()) -> bool:
    """A line in which the speaker narrates their own beat's action in the first person
    ("沈宴拿出一张转账记录，放在我的脸上，我感到震惊和感动。" under the action "沈宴拿出一张转账记录，
    放在林晚脸上，林晚感到震惊和感动"; "The police handcuff me and take me to the Gu Group tower."
    under "Chloe Hart is taken away at the Gu Group tower by police."): I or me, no you, and the
    action's words. A line spoken to someone ("You threw wine on me!", "Take my hand") is
    speech."""
    if _YOU.search(text) or not _ME.search(text):
        return False
    if _CJK.search(text):
        return _common_run(_norm(text), _norm(action))[1] >= 8
    said, done = _stems(text, cast), set(_stems(action, cast))
    return len(said) >= 3 and len(set(said) & done) >= max(3, 0.6 * len(set(said)))


# What a face or a body shows, written where a line belongs ("Ava Lin: Shocked.", 「林晚：震惊」):
# a stage direction, not words anyone says.
_EMOTION_WORDS = set("""shock shocked stunned surprise surprised astonished astonishment amazed
amazement disbelief anger angry rage enraged furious fury fear afraid scared terror terrified
confusion confused puzzled bewildered amusement amused relief relieved sadness sad grief joy
joyful happiness delight delighted disgust disgusted contempt horror horrified panic panicked
nervous anxious anxiety worried tears crying sobbing sobs smile smiles smiling smirk smirks
smirking grin grins grinning frown frowns frowning glare glares glaring sigh sighs sighing gasp
gasps gasping nod nods nodding blush blushes blushing determination determined embarrassed
embarrassment guilt guilty jealousy jealous hurt heartbroken tension tense awkward speechless
stares staring glances glancing looks gazes silently coldly angrily sadly""".split())
_EMOTION_ZH = set("""震惊 惊讶 吃惊 惊愕 愤怒 生气 恼怒 恐惧 害怕 惊恐 困惑 疑惑 迷茫 无奈 冷笑 苦笑 微笑
哭泣 沉默 叹气 叹息 点头 摇头 脸红 心疼 感动 尴尬 紧张 不安 失望 绝望 得意 冷漠 愧疚 嫉妒 惊喜 欣慰
释然 委屈 不屑 愣住 一愣 错愕 呆住 哽咽 咬牙 皱眉 瞪眼 凝视 注视 沉思""".split())
_DIRECTION = re.compile(r"^\s*(\(.*\)|（.*）|\[.*\]|【.*】|\*.*\*)\s*$")


def label_line(text: str, looks: Sequence[str] = ()) -> str | None:
    """What is wrong with a line that is a stage direction or a label, not speech: a direction in
    brackets ("(sighs)", 「（冷笑）」), an emotion or a look alone ("Shocked.", "amusement",
    「震惊」, 「冷笑。」), one lowercase word ("shock"), a word of a character's look alone
    ("scar"). A one-word line a person says ("No!", "Ethan?", "Sorry.", 「滚！」) passes.

    >>> [label_line(t) for t in ["Shocked.", "(sighs)", "Silence!", "No!", "震惊！", "滚！"]]
    ['an emotion as a line: "Shocked."', 'a direction as a line: "(sighs)"', None, None, \
'an emotion as a line: "震惊！"', None]
    """
    if _DIRECTION.match(text):
        return f'a direction as a line: "{text.strip()[:40]}"'
    bare = re.sub(r"[\s.,!?…。，！？、~～]+", "", text)
    if not bare:
        return None
    low = bare.lower()
    if low in _EMOTION_ZH or (low in _EMOTION_WORDS and not re.search(r"[!！?？]", text)) or (
            low in {"shock", "shocked", "stunned", "surprised", "amusement", "disbelief", "confusion",
                    "speechless"}):
        return f'an emotion as a line: "{text.strip()[:40]}"'
    if re.fullmatch(r"\s*[a-z]+\s*", text):  # "Ava Lin: shock": a label
        return f'a label as a line: "{text.strip()}"'
    if low.isalpha() and low in {w.lower() for w in looks}:
        return f'a look as a line: "{text.strip()[:40]}"'
    return None


def action_clauses(action: str, skip: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(normalised, as written) for each clause of an action long enough to count as told
    once (six Chinese characters or sixteen letters once names and places, the story's own,
    are taken out): "顾言当众握住林晚的手，全场的人站了起来" -> the second clause."""
    out = []
    for clause in _CLAUSE.split(action):
        bare = clause
        for name in sorted(skip, key=len, reverse=True):
            if name:
                bare = bare.replace(name, "")
        bare = re.sub(r"(?i)^\s*(and|but|then|as|while|so|于是|然后|而|又|却|就|也|便)\s*", "", bare)
        key = _norm(bare)
        if len(key) >= (6 if _CJK.search(key) else 16):
            out.append((key, clause.strip()))
    return out


def clause_told_before(key: str, earlier: Sequence[str]) -> str | None:
    """The earlier clause this normalised clause tells again (the same words, one or two
    changed: 「全场的人都站了起来」 after 「全场的人站了起来」)."""
    import difflib

    for other in earlier:
        if other == key or difflib.SequenceMatcher(None, key, other).ratio() >= 0.85:
            return other
    return None
