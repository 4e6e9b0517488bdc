"""Who leads: the craft texts are written for a heroine and a male love interest; when a premise
puts a man in the lead, every gendered word of the season is mirrored so the texts still agree
with the cast (the antagonist and ally mirror with them).

>>> mirror("{villain} grits her teeth; he smiles at her.", "en")
'{villain} grits his teeth; she smiles at him.'
>>> mirror("她是我老婆，轮不到你碰。", "zh")
'他是我老公，轮不到你碰。'
"""

from __future__ import annotations

import re

from aiscript.schema import Language

# Whole-word swaps; "her" is decided by what follows it (possessive "his" or object "him").
_EN = {
    "she": "he", "he": "she", "him": "her", "his": "her", "hers": "his", "herself": "himself",
    "himself": "herself", "husband": "wife", "wife": "husband", "heiress": "heir",
    "heir": "heiress", "bride": "groom", "groom": "bride", "girl": "boy", "boy": "girl",
    "daughter": "son", "son": "daughter", "woman": "man", "man": "woman", "madam": "sir",
    "sir": "madam", "princess": "prince", "prince": "princess", "mother": "father",
    "father": "mother", "sister": "brother", "brother": "sister", "fiance": "fiancée",
    "fiancée": "fiance", "chairwoman": "chairman", "chairman": "chairwoman",
    "dress": "shirt", "skirt": "trousers", "blouse": "shirt",  # one way: from the heroine's texts
}
_EN_WORD = re.compile(r"\b(" + "|".join(sorted([*_EN, "her"], key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)
# after "her": words that make it an object ("pushes her off"), not a possessive ("her face")
_OBJECT_NEXT = re.compile(
    r"^(?:[\s]*[.,;:!?—…)\"'”]|\s+(?:and|or|off|out|in|into|to|from|with|at|on|for|by|down|up|"
    r"away|back|again|because|as|that|who|while|when|a|an|the|this|like|so|before|after|"
    # a bare verb after "her" makes it an object: let her go, I saw her do it
    r"go|do|be|know|come|leave|stay|get|take|make|walk|talk|look|think|sign|win|lose|speak|"
    r"finish|try|fall|say|see|tell|hear|feel|cry|die|live|wait|explain|answer|apologise|"
    r"apologize|pay|run|marry|near|alone|everything|anything|nothing|something|one|two|"
    r"three|again|yet|now|here|there|too|tonight|today|tomorrow|first|enough|any|some|"
    r"no|never|either|only|just|if|than|then|what|how|why|where|"
    # and an auxiliary or a verb of the clause that follows: "anyone who comes for her answers
    # to me", "whoever hurts her has to..."
    r"answers|has|is|was|does|did|can|could|should|must|would)\b|\s*$)",
    re.IGNORECASE)
_ZH = {"她": "他", "他": "她", "老婆": "老公", "老公": "老婆", "妻子": "丈夫", "丈夫": "妻子",
       "白裙": "白衬衫", "嫁衣": "喜服", "董事长": "董事长",
       "千金": "少爷", "少爷": "千金", "王妃": "王爷", "王爷": "王妃", "女孩": "男孩", "男孩": "女孩",
       "小姐": "先生", "夫人": "先生"}
_ZH_WORD = re.compile("|".join(sorted(_ZH, key=len, reverse=True)))


def mirror(text: str, lang: Language) -> str:
    """Swap the gendered words of ``text``."""
    if lang == "zh":
        return _ZH_WORD.sub(lambda m: _ZH[m.group(0)], text)

    def swap(m: re.Match) -> str:
        word = m.group(0)
        low = word.lower()
        if low == "her":
            out = "him" if _OBJECT_NEXT.match(text[m.end():]) else "his"
        else:
            out = _EN[low]
        return out.capitalize() if word[0].isupper() else out

    return _EN_WORD.sub(swap, text)


def lead_is_male(text: str, lang: Language, first_name: str | None,
                 male: set[str], female: set[str]) -> bool:
    """Whether the premise's lead is a man: the first name's pool, else the premise's pronouns."""
    if first_name in male:
        return True
    if first_name in female:
        return False
    if lang == "zh":
        return text.count("他") > text.count("她")
    low = text.lower()
    he = len(re.findall(r"\b(he|him|his|himself)\b", low))
    she = len(re.findall(r"\b(she|her|hers|herself)\b", low))
    return he > she


_PRONOUNS_EN = {"female": {"he": "she", "him": "her", "his": "her", "himself": "herself",
                           "hers": "hers"},
                "male": {"she": "he", "hers": "his", "herself": "himself"}}
_EN_PRON = re.compile(r"\b(she|he|her|him|his|hers|herself|himself)\b", re.IGNORECASE)
_ZH_PRON = re.compile(r"(?<!其)[他她](?!们)")


_AT_SOMEONE = re.compile(r"\b(?:at|to|towards?|with|past|for)\s+$", re.IGNORECASE)


def agree_to(text: str, gender: str, lang: Language) -> str:
    """Every third-person pronoun of ``text`` in ``gender`` (for a parenthetical or a clause
    about one person), but the one looked at or spoken to.

    >>> agree_to("through her teeth", "male", "en"), agree_to("looking at her", "male", "en")
    ('through his teeth', 'looking at her')
    >>> agree_to("看着她", "male", "zh"), agree_to("她咬着牙", "male", "zh")
    ('看着她', '他咬着牙')
    """
    if gender not in ("female", "male") or not text:
        return text
    if lang == "zh":  # the one looked at is someone else: 看着她 stays
        return re.sub(r"(?<!看着|盯着|望着|对着|瞪着|看向|转向)" + _ZH_PRON.pattern,
                      "她" if gender == "female" else "他", text)

    def swap(m: re.Match) -> str:
        word = m.group(0)
        low = word.lower()
        if low in ("him", "her") and _AT_SOMEONE.search(text[:m.start()]) and \
                _OBJECT_NEXT.match(text[m.end():]):
            return word  # 'looking at her': the one looked at, not the speaker
        if gender == "female":
            out = _PRONOUNS_EN["female"].get(low, low)
        elif low == "her":
            out = "him" if _OBJECT_NEXT.match(text[m.end():]) else "his"
        else:
            out = _PRONOUNS_EN["male"].get(low, low)
        return out.capitalize() if word[0].isupper() else out

    return _EN_PRON.sub(swap, text)


_SENTENCE = re.compile(r"[^.!?;。！？；]+[.!?;。！？；]*")


def agree(text: str, genders: dict[str, str], lang: Language) -> str:
    """Pronouns agree with the one person a sentence names: in "Liam grits her teeth." the
    sentence names Liam alone, so it is "his"; a sentence naming two people is left as written.

    >>> agree("Liam grits her teeth. Ava smiles at him.", {"Liam": "male", "Ava": "female"}, "en")
    'Liam grits his teeth. Ava smiles at him.'
    """
    if not text:
        return text
    out = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        named = [n for n in genders if n in sentence]
        if len(named) == 1:
            sentence = _agree_own(sentence, genders[named[0]], lang)
        out.append(sentence)
    rebuilt = "".join(out)
    return rebuilt if len(rebuilt) == len(text.rstrip()) or rebuilt.strip() else text


def _own_pronouns(sentence: str):
    """The pronouns of a sentence that point back at its subject: he/she, possessive his/her,
    himself/herself (an object him/her is someone else: "Ava smiles at him")."""
    for m in _EN_PRON.finditer(sentence):
        low = m.group(0).lower()
        if low == "him" or low == "her" and _OBJECT_NEXT.match(sentence[m.end():]):
            continue
        yield m


def _agree_own(sentence: str, gender: str, lang: Language) -> str:
    if gender not in ("female", "male"):
        return sentence
    if lang == "zh":
        return _ZH_PRON.sub("她" if gender == "female" else "他", sentence)
    table = {"female": {"he": "she", "his": "her", "himself": "herself"},
             "male": {"she": "he", "her": "his", "herself": "himself"}}[gender]
    out, last = [], 0
    for m in _own_pronouns(sentence):
        word = m.group(0)
        rep = table.get(word.lower())
        if rep is None:
            continue
        out.append(sentence[last:m.start()])
        out.append(rep.capitalize() if word[0].isupper() else rep)
        last = m.end()
    out.append(sentence[last:])
    return "".join(out)


_BARE_VERB_AFTER_HIS = re.compile(
    r"\bhis\s+(?:go|do|be|know|come|leave|stay|get|take|make|walk|talk|say|see|tell|explain|"
    r"answer|apologise|apologize|pay|run|marry|alone|again|now|here|there)\b", re.IGNORECASE)


def pronoun_problems(episode, genders: dict[str, str]) -> list[str]:
    """English pronoun and parenthetical disagreements in an episode: a parenthetical whose
    pronoun is not the speaker's, "his" used as an object ("let his go"), and a sentence that
    names one person and calls them by the other gender's pronoun."""
    out = []
    for _, shot in episode.shots():
        for ln in shot.lines:
            g = genders.get(ln.speaker)
            p = (ln.parenthetical or "").lower()
            if g == "male" and re.search(r"\b(her|she|herself)\b", p) or \
                    g == "female" and re.search(r"\b(his|he|him|himself)\b", p):
                out.append(f"({ln.parenthetical}) on {ln.speaker}")
            if _BARE_VERB_AFTER_HIS.search(ln.text):
                out.append(ln.text)
        if _BARE_VERB_AFTER_HIS.search(shot.action):
            out.append(shot.action)
        for m in _SENTENCE.finditer(shot.action):
            sentence = m.group(0)
            named = [n for n in genders if n in sentence]
            if len(named) != 1 or genders[named[0]] not in ("female", "male"):
                continue
            wrong = {"she", "her", "herself"} if genders[named[0]] == "male" else \
                {"he", "his", "himself"}
            if any(m.group(0).lower() in wrong for m in _own_pronouns(sentence)):
                out.append(sentence.strip())
    return out


def first_person(text: str, gender: str, lang: Language) -> str:
    """A phrase about the lead put in the lead's mouth: her/his -> my, her/him -> me,
    herself -> myself, 她/他 -> 我.

    >>> first_person("make the ones who betrayed her pay for her pain", "female", "en")
    'make the ones who betrayed me pay for my pain'
    """
    if lang == "zh":
        return text.replace("她" if gender == "female" else "他", "我")
    own = ("her", "herself", "she") if gender == "female" else ("his", "him", "himself", "he")

    def swap(m: re.Match) -> str:
        low = m.group(0).lower()
        if low not in own:
            return m.group(0)
        if low in ("she", "he"):
            return "I"
        if low in ("herself", "himself"):
            return "myself"
        if low == "him" or low == "her" and _OBJECT_NEXT.match(text[m.end():]):
            return "me"
        return "my"

    return _EN_PRON.sub(swap, text)
# Words that say a person's gender when a script describes them ("VICTOR, Julian's nephew",
# "林老夫人：七十岁"): casting an imported script reads them (``aiscript.shots.casting``).
GENDER_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "male": ("man", "men", "boy", "guy", "gentleman", "he", "him", "his", "himself", "mr",
                 "sir", "father", "dad", "son", "brother", "uncle", "nephew", "husband",
                 "groom", "fiance", "boyfriend", "king", "prince", "emperor", "duke", "lord",
                 "grandfather", "grandpa", "grandson", "chairman", "businessman", "waiter",
                 "actor", "monk", "priest", "stepfather", "stepson", "widower", "heir",
                 "monsieur"),
        "female": ("woman", "women", "girl", "lady", "she", "her", "hers", "herself", "mrs",
                   "ms", "miss", "madam", "mother", "mom", "mum", "daughter", "sister", "aunt",
                   "niece", "wife", "bride", "fiancée", "girlfriend", "queen", "princess",
                   "empress", "duchess", "grandmother", "grandma", "granddaughter",
                   "chairwoman", "businesswoman", "waitress", "actress", "nun", "stepmother",
                   "stepdaughter", "widow", "heiress", "matriarch", "consort", "concubine"),
    },
    "zh": {
        "male": ("男", "先生", "少爷", "公子", "父亲", "爸", "爹", "儿子", "哥", "弟", "叔", "伯",
                 "舅", "侄子", "外甥", "孙子", "丈夫", "老公", "新郎", "男友", "未婚夫", "王爷",
                 "皇帝", "太子", "皇子", "爷爷", "外公", "姥爷", "老爷", "男人", "男子", "小伙",
                 "他"),
        "female": ("女", "小姐", "千金", "夫人", "太太", "母亲", "妈", "娘", "女儿", "姐", "妹",
                   "姑", "姨", "婶", "侄女", "外甥女", "孙女", "妻子", "老婆", "新娘", "女友",
                   "未婚妻", "王妃", "皇后", "公主", "奶奶", "外婆", "姥姥", "老夫人", "老太太",
                   "女人", "女子", "姑娘", "丫鬟", "她", "嫂", "婆"),
    },
}
# Common English given names, for a cue that names no one else's gender (JULIAN, NORA).
GIVEN_NAMES: dict[str, frozenset[str]] = {
    "male": frozenset(
        "aaron adam adrian alex alexander andrew anthony ben benjamin bill blake bob brandon "
        "brian dan danny dick don ed jim jimmy joey ken larry mike ray rick roy ted walter "
        "brick caleb carl charles chris christopher cole daniel david dean derek dominic "
        "dylan edward eli elijah eric ethan evan finn frank gabriel george grant greg harry "
        "henry hunter ian isaac jack jackson jacob jake james jason jeff jeremy jesse joe "
        "john jonathan jordan joseph josh joshua julian justin kevin kyle leo liam logan "
        "lucas luke marcus mark matt matthew max michael miles nate nathan nick noah oliver "
        "oscar owen patrick paul peter philip richard robert ryan sam samuel scott sean "
        "sebastian simon steve steven theo thomas tim tom tony tyler victor vincent will "
        "william xavier zach".split()),
    "female": frozenset(
        "abby abigail alice amanda amber amelia amy anna ava bella beth brooke camila "
        "caroline charlotte chloe claire clara daisy diana elena eleanor eliza ella ellie "
        "emily emma eva evelyn faith fiona grace hailey hannah harper hazel isabel isabella "
        "ivy jade jane jasmine jenna jennifer jessica jill julia julie kate katherine kayla "
        "laura lauren layla leah lily lina lucy luna madison maggie maria maya megan mia "
        "mila molly natalie nina nora olivia paige penelope rachel rebecca rose ruby sadie "
        "sara sarah scarlett sophia sophie stella summer tessa vanessa victoria violet "
        "willow zoe zoey".split()),
}


def given_name_gender(name: str) -> str | None:
    """The gender of a common English given name (``JULIAN VANCE`` -> male), if it is one."""
    first = name.split()[0].lower() if name.split() else ""
    for gender in ("male", "female"):
        if first in GIVEN_NAMES[gender]:
            return gender
    return None


# words in a name that say its gender ("HANDSOME MAN", "MRS. HALE"): the gender words less
# the pronouns, so "HE" in a name says nothing
_PRONOUN_WORDS = {"he", "him", "his", "himself", "she", "her", "hers", "herself"}
_MALE_WORDS = set(GENDER_WORDS["en"]["male"]) - _PRONOUN_WORDS
_FEMALE_WORDS = set(GENDER_WORDS["en"]["female"]) - _PRONOUN_WORDS
_ZH_MALE_GIVEN = set("豪刚强伟杰军斌勇龙宇浩峰磊鹏辉健毅鑫涛言霆琛彦枭铭川")
_ZH_FEMALE_GIVEN = set("柔婉娟婷娜丽芳燕莉雪梅兰晚歌桃萱瑶琳薇蓉霜月玥悦岚妍桐")


def guess_gender(name: str, text: str, lang: Language) -> str | None:
    """From the cast pools' names, words in the name (``MAN``, ``小姐``), else the pronouns
    that open clauses in the sentences that name the character; None when nothing tells.

    >>> guess_gender("BRICK", "Brick sits. He drinks his beer.", "en")
    'male'
    """
    from aiscript.craft import load_cast_pools

    pool = load_cast_pools().names.get(lang, {})
    if name in pool.get("male", []):
        return "male"
    if name in pool.get("female", []):
        return "female"
    words = set(re.findall(r"[a-z]+", name.lower()))
    if words & _MALE_WORDS or re.search(r"[先哥爷叔伯父兄弟]生?$|^老?[爸爹]|老爷", name):
        return "male"
    if words & _FEMALE_WORDS or re.search(r"[姐妹妈娘婶姑嫂奶婆]$|小姐$|太太$|夫人$|丫鬟", name):
        return "female"
    if lang == "zh" and len(name) in (2, 3):  # characters common in given names of each
        if name[-1] in _ZH_MALE_GIVEN:
            return "male"
        if name[-1] in _ZH_FEMALE_GIVEN:
            return "female"
    sentences = re.split(r"(?<=[。！？.!?])\s*", text)
    near = []
    for i, s in enumerate(sentences):
        if (name in s) if lang == "zh" else re.search(rf"\b{re.escape(name)}\b", s, re.I):
            near.append(s + " " + (sentences[i + 1] if i + 1 < len(sentences) else ""))
    blob = " ".join(near).lower()
    if lang == "zh":  # a pronoun that opens a clause is its subject: 她转身。/ not 打量她
        he = len(re.findall(r"(?:^|[，。！？；\s])他", blob))
        she = len(re.findall(r"(?:^|[，。！？；\s])她", blob))
    else:
        he = len(re.findall(r"\b(?:he|him|his|himself)\b", blob))
        she = len(re.findall(r"\b(?:she|her|hers|herself)\b", blob))
    if he > she:
        return "male"
    if she > he:
        return "female"
    return None


def second_mentions(text: str, genders: dict[str, str], lang: Language) -> str:
    """A person an action names twice is named once, then a pronoun in the person's gender:
    "Noah takes Chloe's hand and draws Chloe back up" reads "...draws her back up".

    >>> second_mentions("Noah crosses to Chloe and takes Chloe's hand.", {"Chloe": "female"}, "en")
    'Noah crosses to Chloe and takes her hand.'
    >>> second_mentions("苏念把叶青的手机摔回叶青脚边。", {"叶青": "female"}, "zh")
    '苏念把叶青的手机摔回她脚边。'
    >>> second_mentions("Nora's lawyer reads the will; Nora listens.", {"Nora": "female"}, "en")
    "Nora's lawyer reads the will; she listens."
    >>> second_mentions("Ed holds Noah's hand; Chloe sees that Noah's eyes are wet.",
    ...                 {"Noah": "male", "Chloe": "female", "Ed": "male"}, "en")
    "Ed holds Noah's hand; Chloe sees that Noah's eyes are wet."
    """
    for name, gender in genders.items():
        if not name or text.count(name) < 2 or gender not in ("male", "female"):
            continue
        first = text.index(name) + len(name)
        second = text.index(name, first)
        if lang == "en" and any(other and other != name and other in text[first:second]
                                for other in genders):
            continue  # someone else named in between: 'his' would be read as theirs
        head, tail = text[:first], text[first:]
        if lang == "zh":
            tail = tail.replace(name, "他" if gender == "male" else "她")
        else:
            own, obj = ("his", "him") if gender == "male" else ("her", "her")
            subj = "he" if gender == "male" else "she"
            tail = re.sub(re.escape(name) + r"'s\b", own, tail)
            # at the head of a clause the name is its subject: '; she listens', 'and he goes'
            tail = re.sub(r"((?:[;:]|,? and|,? while|,? when|,? as|,? then)\s+)" + re.escape(name)
                          + r"\b", lambda m, subj=subj: m.group(1) + subj, tail)
            tail = tail.replace(name, obj)
        text = head + tail
    return text
