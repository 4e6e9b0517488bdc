"""Who and where: names and places taken from the premise, the rest filled from the cast pools.

>>> names_in_premise("Rookie lawyer Chloe Hart takes the case; opposing counsel is her ex, Ryan Lu.", "en")
['Chloe Hart', 'Ryan Lu']
"""

from __future__ import annotations

import random
import re
from functools import cache

from aiscript.craft import Genre, Role, load_cast_pools
from aiscript.schema import Brief, Character, Language
from aiscript.story.gender import GENDER_WORDS, given_name_gender, lead_is_male

ROLES: tuple[Role, ...] = ("protagonist", "love_interest", "antagonist", "ally", "elder")
SLOT_OF_ROLE: dict[str, str] = {
    "protagonist": "hero", "love_interest": "love", "antagonist": "villain",
    "ally": "ally", "elder": "elder",
}
_GENDER_OF_ROLE = {
    "protagonist": "female", "love_interest": "male", "antagonist": "female",
    "ally": "female", "elder": "elder",
}
# Common single-character surnames: a name the segmenter proposes must start with one.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤温萧厉傅"
)
_EN_NOT_NAMES = {
    "The", "A", "An", "After", "Before", "When", "Stood", "Married", "Thrown", "Betrayed",
    "Murdered", "New", "Intern", "Master", "Rookie", "CEO", "I", "He", "She", "They", "His", "Her",
    "On", "In", "At", "Once", "One", "Two", "Three", "Years", "Every", "This", "That", "Then",
    "Meet", "Imagine",  # 'Meet Nadia, tattoo artist': an aside to the reader, not her name
}
_EN_NAME = re.compile(r"\b([A-Z][a-z]+(?:[- ][A-Z][a-z]+)*)")
_EN_PLACE = re.compile(
    r"\b(?:at|in|to|from|into) (?:the |a |an |her |his |their )?((?:[a-z]+ ){0,2}"
    r"(?:town|office|hotel|hospital|school|palace|courthouse|workshop|river|company|village|"
    r"manor|studio|restaurant|bar|station|airport|mansion|university|library|court))\b"
)
_ZH_PLACE = re.compile(
    r"([\u4e00-\u9fff]{1,4}?(?:门口|公司|集团|医院|学校|酒店|古镇|王府|侯府|绣坊|办公室|发布会|"
    r"律所|法院|宴会厅|别墅|老宅|餐厅|机场|车站|大学|片场))"
)


@cache
def _jieba():
    """A part-of-speech segmenter of our own that knows the cast pools' names as person names
    (``nr``); the global ``jieba`` dictionary is left as it is."""
    import jieba.posseg

    from aiscript.segment import jieba_tokenizer

    tokenizer = jieba_tokenizer()
    for names in load_cast_pools().names["zh"].values():
        for name in names:
            tokenizer.add_word(name, tag="nr")
    # the word tags jieba.posseg read on import (0.8 s of CPU), copied rather than read again
    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer, tagger.word_tag_tab = tokenizer, dict(jieba.posseg.dt.word_tag_tab)
    return tagger


_KIN = set(GENDER_WORDS["zh"]["male"]) | set(GENDER_WORDS["zh"]["female"]) | {
    "小少爷", "孙子", "孙女", "少爷", "千金", "小姐", "老板", "老总", "总裁"}
# a three-character "name" whose last two characters are a common word is a surname-shaped
# noun (白月光 is 白 + 月光, a trope, not a person); given names are rare words
_COMMON = 500


def names_in_premise(text: str, lang: Language) -> list[str]:
    """Person names in order of first mention.

    >>> names_in_premise("霸总的白月光回国了，而我只是他的挂名妻子。", "zh")
    []
    >>> names_in_premise("She scrubs floors at the Sterling estate for Ivy Chen.", "en")
    ['Ivy Chen']
    """
    found: list[str] = []
    if lang == "zh":
        known = {n for names in load_cast_pools().names["zh"].values() for n in names}
        freq = _jieba().tokenizer.FREQ
        for word, flag in _jieba().cut(text):
            if flag.startswith("nr") and 2 <= len(word) <= 4 and word[0] in _SURNAMES and (
                    word in known or len(word) < 3 or freq.get(word[1:], 0) < _COMMON) \
                    and word not in _KIN:  # 孙子 is a grandson, 小少爷 a title
                found.append(word)
    else:
        for m in _EN_NAME.finditer(text):
            if re.search(r"\b(?:the|a|an)\s+(?:[a-z-]+\s+)?$", text[: m.start()], re.I):
                continue  # the Sterling estate, a small European kingdom: no person
            if re.search(r"\b(?:in|at|near|across|outside|inside|to)\s+$", text[: m.start()]) \
                    and " " not in m.group(1):
                continue  # the richest man in Texas: a place
            words = m.group(1).split()
            at_start = m.start() == 0 or text[: m.start()].rstrip().endswith((".", "!", "?"))
            words = [w for w in words if w not in _EN_NOT_NAMES]
            given = words and given_name_gender(words[0]) is not None
            if words and (given or not (at_start and len(words) == 1
                                        and m.group(1).split()[0] == words[0])):
                found.append(" ".join(words))
    return list(dict.fromkeys(found))


def places_in_premise(text: str, lang: Language) -> list[str]:
    pattern = _ZH_PLACE if lang == "zh" else _EN_PLACE
    found = [m.group(1).strip().lstrip("在到从于回去") for m in pattern.finditer(text)]
    if lang == "en":
        found = [f"the {p}" for p in found]
    return list(dict.fromkeys(p for p in found if len(p) >= 2))


# English for the place words a Chinese premise ends its places with, for image prompts.
_ZH_PLACE_EN = {
    "门口": "building entrance", "公司": "company office", "集团": "corporate headquarters",
    "医院": "hospital", "学校": "school", "酒店": "hotel", "古镇": "old canal town",
    "王府": "prince's mansion", "侯府": "noble manor", "绣坊": "embroidery workshop",
    "办公室": "office", "发布会": "press launch stage", "律所": "law firm", "法院": "courthouse",
    "宴会厅": "banquet hall", "别墅": "villa", "老宅": "old family house", "餐厅": "restaurant",
    "机场": "airport", "车站": "station", "大学": "university", "片场": "film set",
}


def place_prompts(places: list[str], genre: Genre, lang: Language) -> dict[str, str]:
    """English for each place: the genre pool's own translation, or the place word's."""
    if lang == "en":
        return {p: p for p in places}
    pool = dict(zip(genre.places.zh, genre.places.en, strict=False))
    out = {}
    for p in places:
        english = pool.get(p) or next(
            (en for zh, en in _ZH_PLACE_EN.items() if p.endswith(zh)), None)
        if english:
            out[p] = english
    return out


def build_cast(text: str, lang: Language, genre: Genre, rng: random.Random,
               brief: Brief | None = None) -> list[Character]:
    """Five characters, one per role; premise names take the roles in order of mention (the
    brief's names and genders first, when given). The craft's default is a heroine; a premise
    led by a man mirrors every role's gender. An elder's gender follows the title."""
    pools = load_cast_pools()
    mentioned = names_in_premise(text, lang)
    given = {r.slot: r for r in (brief.roles if brief else [])}
    if brief is not None:
        given["hero"] = brief.lead
        mentioned = [given[SLOT_OF_ROLE[r]].name if SLOT_OF_ROLE[r] in given else None
                     for r in ROLES]
    else:
        mentioned = list(mentioned) + [None] * len(ROLES)
    used = {n for n in mentioned if n}
    costume = pools.costume_override.get(genre.id)
    colors = rng.sample(pools.colors, len(ROLES))
    names = pools.names[lang]
    if brief is not None:
        male_lead = brief.lead.gender == "male"
    else:
        male_lead = lead_is_male(text, lang, mentioned[0], set(names["male"]),
                                 set(names["female"]))
    cast = []
    for i, role in enumerate(ROLES):
        gender = _GENDER_OF_ROLE[role]
        if male_lead and gender != "elder":
            gender = "male" if gender == "female" else "female"
        said = given.get(SLOT_OF_ROLE[role])
        if said is not None and said.gender != "unknown" and role != "protagonist":
            gender = said.gender if gender != "elder" else gender
        name = mentioned[i]
        if name is None:
            pool = names[gender]
            if gender == "elder" and said is not None and said.gender != "unknown":
                pool = [n for n in pool if elder_gender(n) == said.gender] or pool
            name = rng.choice([n for n in pool if n not in used])
        used.add(name)
        own = pools.looks_en.get(role) if lang == "en" and not costume else None
        if gender == "elder":  # the title decides: 老夫人 and Grandma are women
            titled = elder_gender(name) or (said.gender if said is not None else "unknown")
            fitting = [lk for lk in pools.looks[role] if _gender_of_look(lk.en) == titled]
            looks = rng.choice(fitting or pools.looks[role])
        else:
            own = [lk for lk in own or [] if _gender_of_look(lk.en) == gender]
            looks = rng.choice(own or _looks(pools, role, gender))
        look, look_en = looks(lang), looks.en
        if costume:
            look = f"{look}，{costume(lang)}" if lang == "zh" else f"{look}, {costume(lang)}"
            look_en = f"{look_en}, {costume.en}"
        cast.append(
            Character(
                id=SLOT_OF_ROLE[role], name=name, role=role, visual=look, visual_prompt=look_en,
                voice=_voice(role, lang), color=colors[i], seed=rng.randrange(2**31),
                gender=gender if gender != "elder" else (
                    elder_gender(name) or _gender_of_look(looks.en)),
            )
        )
    return cast


_ELDER_F = ("老夫人", "夫人", "奶奶", "外婆", "姥姥", "嬷嬷", "妈", "母", "太太", "婆", "Grandma",
            "Grandmother", "Aunt", "Mrs", "Madam", "Lady", "Granny", "Mother")
_ELDER_M = ("老爷", "爷爷", "外公", "父", "董事长", "叔", "伯", "先生", "Grandpa", "Grandfather",
            "Mr", "Chairman", "Uncle", "Sir", "Lord", "Father")


def elder_gender(name: str) -> str | None:
    """The gender a title gives (顾老夫人, Grandma Gu: female; 林父, Mr. Lin: male), or None."""
    for words, gender in ((_ELDER_F, "female"), (_ELDER_M, "male")):
        if any(w in name for w in words):
            return gender
    return None


def _gender_of_look(look_en: str) -> str:
    first = look_en.split()[0].lower() if look_en else ""
    by_word = {"woman": "female", "man": "male"}.get(first)
    if by_word:
        return by_word
    if re.search(r"\bher\b", look_en):
        return "female"
    return "male" if re.search(r"\bhis\b", look_en) else "unknown"


def _looks(pools, role: str, gender: str) -> list:
    """The role's looks of the wanted gender; the mirrored role's when the role has none."""
    if gender == "elder":
        return pools.looks[role]
    mirror_role = {"protagonist": "love_interest", "love_interest": "protagonist"}.get(role, role)
    for r in (role, mirror_role):
        fitting = [lk for lk in pools.looks[r] if _gender_of_look(lk.en) == gender]
        if fitting:
            return fitting
    return pools.looks[role]


def _voice(role: str, lang: Language) -> str:
    zh = {
        "protagonist": "克制，关键时刻一字一顿", "love_interest": "低沉，话少",
        "antagonist": "甜中带刺", "ally": "语速快，爱吐槽", "elder": "威严，慢条斯理",
    }
    en = {
        "protagonist": "restrained, words spaced out when it counts",
        "love_interest": "low, economical", "antagonist": "sweet with a sting",
        "ally": "fast, wry", "elder": "measured, commanding",
    }
    return (zh if lang == "zh" else en)[role]


def dress_character(
    id: str, name: str, role: str, gender: str, lang: Language, rng: random.Random, color: str,
    avoid: frozenset[str] = frozenset(),
) -> Character:
    """One character with a fixed look drawn from the role's pool as ``build_cast`` draws them
    (for casts that come from elsewhere: an imported script's cues). ``gender`` may be
    ``unknown``: any of the role's looks then fits, and the look decides. Looks in ``avoid``
    (English, ``visual_prompt``) are taken by others: another role's look of the same gender is
    used before one is repeated.

    >>> c = dress_character("hero", "Ava", "protagonist", "female", "en", random.Random(1), "#e4572e")
    >>> c.visual_prompt.split()[0], c.gender
    ('woman', 'female')
    """
    pools = load_cast_pools()
    own = _looks(pools, {"rival": "antagonist"}.get(role, role), gender)
    others = [lk for r in pools.looks for lk in pools.looks[r]
              if gender not in ("female", "male") or _gender_of_look(lk.en) == gender]
    free = [lk for lk in own if lk.en not in avoid] or [lk for lk in others if lk.en not in avoid]
    looks = rng.choice(free or own)
    return Character(
        id=id, name=name, role=role, visual=looks(lang), visual_prompt=looks.en,
        voice=_voice(role if role in _GENDER_OF_ROLE else "ally", lang), color=color,
        seed=rng.randrange(2**31),
        gender=gender if gender in ("female", "male") else _gender_of_look(looks.en),
    )
