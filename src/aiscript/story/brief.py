"""Reading a premise into a ``Brief`` before a word is written: the lead (name, gender, job,
situation), the other roles the premise names or implies, the setting and its places, the device
(``seeds/devices.json``) and who carries it, and the lead's want. Rule-based and deterministic;
a model writer may fill the same schema (``read_premise`` is the one place to swap in).

No fragment of the premise becomes a place or a name unless it is one: places come from the
lead's job and from place words of the lexicon (``seeds/brief.json``), never from whatever
text happens to sit before a place suffix.

>>> b = read_premise("A night-shift nurse discovers the billionaire patient she's been caring "
...                  "for faked his coma to catch the relative trying to kill him", "en")
>>> b.lead.gender, b.job, b.device, b.device_holder
('female', 'night-shift nurse', 'faked_coma', 'love')
>>> b = read_premise("父亲去世后，被赶出豪门的真千金在外卖站打工，意外救下失忆的集团继承人", "zh")
>>> b.lead.gender, b.job, b.device, b.places[0]
('female', '外卖员', 'amnesia', '外卖站')
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aiscript.craft import data_dir, invalid_seed, load_cast_pools, seed_json
from aiscript.errors import AiscriptError, invalid_where
from aiscript.schema import Brief, BriefRole, Language, Subplot


def lexicon() -> dict[str, Any]:
    """Jobs, role words, lead words and place words (``seeds/brief.json``)."""
    return seed_json("brief.json")


@cache
def _device_seed() -> dict[str, Any]:
    """``seeds/devices.json``, read once: the catalogue and its mentions, taunts, reactions."""
    path = data_dir("seeds") / "devices.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for d in raw["devices"]:
            for part in ("setup", "reveal", "payoff"):
                if len(d[part]) != 5:
                    raise ValueError(f"{d['id']}.{part} needs speaker, zh action, zh line, "
                                     "en action, en line")
            if len(d["clues"]) < 3 or len(d["near"]) < 2:
                raise ValueError(f"{d['id']} needs three clues and two near-exposures")
        return raw
    except (OSError, ValueError, KeyError) as exc:
        raise AiscriptError(f"seed file {path} is invalid: {exc}",
                            "restore it from the repository") from None


@cache
def devices() -> dict[str, dict[str, Any]]:
    """The device catalogue (``seeds/devices.json``), by id, in order of precedence."""
    return {d["id"]: d for d in _device_seed()["devices"]}


def mentions(after_reveal: bool = False) -> dict[str, list[list[str]]]:
    """Lines that keep the device in view: while its secret holds, or once it is out (a line
    about keeping the secret is retired when the secret is out)."""
    return _device_seed()["mentions_after" if after_reveal else "mentions"]


def pressure(device: str | None, holder: str, lang: Language,
             after_reveal: bool = False) -> list[list[list]]:
    """Scenes that put the device's carrier on screen with the lead, the secret under strain:
    the device's own where someone other than the lead carries it (a patient whispering
    behind the curtain, his nights with her as partners; an amnesiac half-remembering), then the season's second lead pressing
    the lead on what she hides. Each script's first step names its set (``@partner``: the
    carrier's bed, ``@home``, ``@work``). After the device's reveal its own scenes are spent
    (a man who has his memory back half-remembers nothing; a patient who sat up in front of
    everyone lies still behind no curtain): only the second lead's remain."""
    dev = devices().get(device, {}) if holder != "hero" and not after_reveal else {}
    own = [*dev.get("partner", {}).get(lang, []), *dev.get("pressure", {}).get(lang, [])]
    return [*own, *_device_seed().get("pressure", {}).get(lang, [])]


def taunts() -> dict[str, list[str]]:
    """What the lead's detractors say of her job in episode 1 ({job})."""
    return _device_seed()["taunts"]


def reactions() -> dict[str, dict[str, list[str]]]:
    """What someone says when a device beat lands: a clue, a near-exposure, the reveal, the
    payoff."""
    return _device_seed()["reactions"]


def job(job_id: str | None) -> dict[str, Any] | None:
    return next((j for j in lexicon()["jobs"] if j["id"] == job_id), None)


# ----------------------------------------------------------------------------- finding things


@cache
def _rx(pattern: str, flags: int = 0) -> re.Pattern:
    """A compiled pattern, kept: the lexicon's words and patterns are a few thousand, more than
    the ``re`` module's own cache holds."""
    return re.compile(pattern, flags)


def _find(text: str, word: str, lang: Language) -> int:
    """Where ``word`` first occurs (whole words in English), or -1."""
    if lang == "zh":
        return text.find(word)
    m = _rx(r"(?<![A-Za-z])" + re.escape(word.lower()) + r"(?![A-Za-z])").search(text.lower())
    return m.start() if m else -1


def _first(text: str, words: list[str], lang: Language) -> tuple[int, str]:
    """The earliest of ``words`` in the text, the longest at a tie: (position, word)."""
    best = (-1, "")
    for w in words:
        i = _find(text, w, lang)
        if i >= 0 and (best[0] < 0 or i < best[0] or (i == best[0] and len(w) > len(best[1]))):
            best = (i, w)
    return best


# her brother, her little brother: someone's kin, not the lead
_POSSESSIVE_BEFORE = re.compile(r"(?:her|his|my|their|your|its|the patient's)\s+(?:(?:little|"
                                r"big|older|elder|younger|baby|kid|twin|late|only)\s+)?$", re.I)
# a title that is the lead's job when the premise gives no other (霸总傅沉, CEO Damian Cross)
_TITLE_JOBS = {"霸总", "总裁", "董事长", "ceo", "chairman", "tycoon"}
_ZH_NOT_LEAD_AFTER = ("去世", "死", "病", "的", "说", "要", "逼")


def _lead_gender(text: str, lang: Language, anchor: int) -> str | None:
    """Gender from a lead word before or at the lead's job (真千金在外卖站, a deaf waitress), or
    near the start when the premise names no job; a role word past the job is someone else's
    ('a bodyguard hired to protect an heiress')."""
    words = lexicon()["lead_words"][lang]
    partners = {w for ws in lexicon()["partner_words"][lang].values() for w in ws}
    if anchor >= 0:
        reach = anchor + (6 if lang == "zh" else 12)
    else:
        reach = 16 if lang == "zh" else 40
    found: list[tuple[int, str]] = []
    for gender, ws in words.items():
        for w in ws:
            i = _find(text, w, lang)
            while i >= 0 and i <= reach:
                before, after = text[:i], text[i + len(w):]
                # 她的女儿 is someone else's; 乡下长大的少女 is the lead, described
                # 被丈夫和小三联手害死: the agent of a passive is someone else
                ok = not ((_POSSESSIVE_BEFORE.search(before) or _EN_OTHERS_JOB.search(
                    before[-40:])) if lang == "en" else
                          re.search(r"[她他你我](?:的|家)?$|被[\u4e00-\u9fff]{0,5}$", before) or
                          after.startswith(_ZH_NOT_LEAD_AFTER))
                if w in partners and (_named_before(text[:i], lang) or lang == "zh" and
                                      re.search(r"[她他][^，。；！？,.;!?的是]{0,4}$", before)):
                    ok = False  # 许静发现丈夫…, 她替丈夫还债: her husband, once she is named
                if lang == "zh" and w in ("女", "男") and \
                        not after.startswith(("孩", "人", "子", "生", "主")):
                    ok = False  # 渣男, 女配 and 妻女 say nothing of the lead
                if ok:
                    found.append((i, gender))
                    break
                nxt = _find(text[i + 1:], w, lang)
                i = i + 1 + nxt if nxt >= 0 else -1
    return min(found)[1] if found else None


def telling(text: str, lang: Language) -> str:
    """Who the premise is told as: 'first' (我叫顾盼; I was ...), 'second' (You are the night
    janitor ...) or 'third'. Told in the first or second person, he and she are others."""
    if lang == "zh":
        i = text.find("我")
        j = min((k for k in (text.find("她"), text.find("他"), text.find("你")) if k >= 0),
                default=len(text))
        if 0 <= i < j and not text[max(0, i - 1):i + 2].startswith(("自我", "我们")):
            return "first"
        return "second" if 0 <= text.find("你") < min(j, i if i >= 0 else len(text)) and \
            text.find("你") == j else "third"
    m = re.match(r"\s*(?:[^.!?]*?,\s*)?(i|i'm|i've|you|you're|you've)\b", text, re.I)
    if m:
        return "first" if m.group(1).lower().startswith("i") else "second"
    return "third"


def _clause_gender(text: str, lang: Language, at: int) -> str | None:
    """The gender of the pronoun that opens the clause holding the lead's job (他是京圈太子爷，
    她是他家新来的保姆: the nanny is 她)."""
    if at < 0:
        return None
    stops = "，,；;。.!?！？" if lang == "zh" else ",;.!?"
    start = max(text.rfind(c, 0, at) for c in stops) + 1
    clause = text[start:at].lstrip()
    if lang == "zh":
        m = re.match(r"(?:[\u4e00-\u9fff]{0,4}?[，]?)?([她他])(?:是|就是|在|当|做|成了|只是)", clause)
    else:
        m = re.match(r"(?:\w+\s+){0,2}?(she|he)\b", clause, re.I)
    if not m:
        return None
    return "female" if m.group(1).lower() in ("她", "she") else "male"


def _works_gender(text: str, lang: Language) -> str | None:
    """The gender of the one who works somewhere: the lead holds the job ('he buys the hospital
    she works at': she)."""
    if lang != "en":
        return None
    m = re.search(r"\b(she|he) (?:works|worked|is working|still works)\b", text, re.I)
    return None if not m else "female" if m.group(1).lower() == "she" else "male"


_ZH_SEX_MARK = {"女": "female", "男": "male"}
_EN_SEX_MARK = re.compile(r"\b(female|woman|lady|male)\s+$", re.I)


def _sex_marked(text: str, lang: Language, at: int) -> str | None:
    """The gender a word at ``at`` is marked with (女律师, 女总裁, a female surgeon), or None."""
    if at <= 0:
        return None
    if lang == "zh":
        return _ZH_SEX_MARK.get(text[at - 1])
    m = _EN_SEX_MARK.search(text[max(0, at - 8):at])
    return None if not m else "male" if m.group(1).lower() == "male" else "female"


def _lead_is_said(text: str, lang: Language, job_at: int, name: str | None) -> str | None:
    """The gender of a lead word the premise says the lead is (the new intern is the editor's
    daughter)."""
    found = []
    for gender, words in lexicon()["lead_words"][lang].items():
        for w in words:
            if len(w) < 2:
                continue
            i = _find(text, w, lang)
            if i > 0 and _is_the_lead(text, lang, i, job_at, name):
                found.append((i, gender))
    return min(found)[1] if found else None


def _marries_as(text: str, lang: Language, job_at: int, name: str | None) -> str | None:
    """In Chinese the verb of marrying says who is the bride: the lead 嫁给 someone is a woman,
    the lead 娶了 someone a man (温言转身嫁给了他的死对头)."""
    if lang != "zh":
        return None
    at = text.find(name) if name else job_at
    if at < 0:
        return None
    stops = "，,；;。.!?！？"
    end = min([k for k in (text.find(c, at) for c in stops) if k >= 0] or [len(text)])
    clause = text[at:end]
    if re.search(r"(?<!被)(?:嫁给|嫁进|嫁入|嫁到|出嫁)", clause):
        return "female"
    if re.search(r"(?<!被)(?:娶了|娶回|迎娶|入赘)", clause):
        return "male"
    return None


_EN_CAST_AS = re.compile(r"\b(?:poses?|posing|posed|plays?|playing|played|pretends? to be|"
                         r"pretending to be|disguised as|passes? as|passing as)\s+(?:as\s+)?"
                         r"(?:the|a|an|his|her)\s+(?:[\w-]+\s+)?$", re.I)
_ZH_CAST_AS = re.compile(r"(?:假扮|扮成|冒充|装成|当)(?:[\u4e00-\u9fff]{0,6}的)?[\u4e00-\u9fff]{0,3}$")


def _cast_as(text: str, lang: Language) -> str | None:
    """The gender of the part the lead agrees to play (pose as the wife of the patient; 当一年的
    假女友): she plays a wife, so she is a woman."""
    pat = _ZH_CAST_AS if lang == "zh" else _EN_CAST_AS
    found = []
    for gender, words in lexicon()["partner_words"][lang].items():
        for w in words:
            i = _find(text, w, lang)
            if i > 0 and pat.search(text[max(0, i - 30):i]):
                found.append((i, gender))
    return min(found)[1] if found else None


def _partner_gender(text: str, lang: Language) -> str | None:
    """The lead's own partner, said with no one else's pronoun before it (葬身火海的未婚妻: the
    lead is her fiancé): the lead is the other gender."""
    found = []
    for gender, words in lexicon()["partner_words"][lang].items():
        for w in words:
            i = _find(text, w, lang)
            if i < 0:
                continue
            before = text[max(0, i - 3):i] if lang == "zh" else text[max(0, i - 12):i].lower()
            if lang == "zh" and re.search(r"[她他你]的?$", before):
                continue
            if lang == "en" and not re.search(r"\b(?:his|her)\s+(?:late\s+|dead\s+)?$", before):
                continue
            found.append((i, "male" if gender == "female" else "female"))
    if lang == "en":  # his wife / her husband: the pronoun already says; only a lone one counts
        return None
    return min(found)[1] if found else None


def _pronoun_gender(text: str, lang: Language, others: dict[int, str] | None = None,
                    lead_at: int = -1, people: dict[int, str] | None = None) -> str | None:
    """The gender of the premise's first pronoun (the lead is usually the one it speaks of
    first), read by its antecedent, the nearest person mentioned before it: the lead's own
    job or name (the CEO's chauffeur overhears his boss: his), or another role. A love
    interest of that gender just before it owns it, and the lead is the other ('a bodyguard
    hired to protect an heiress discovers she ...'); a role of no known gender just before it
    may own it, and then it says nothing (a nurse ... the patient in bed twelve ... his
    family)."""
    if lang == "zh":
        i, j = text.find("她"), text.find("他")
        if i < 0 and j < 0:
            return None
        at, g = (i, "female") if j < 0 or 0 <= i < j else (j, "male")
    else:
        m = re.search(r"\b(she|he|her|his|him|hers|herself|himself)\b", text, re.I)
        if not m:
            return None
        at = m.start()
        g = "female" if m.group(1).lower() in ("she", "her", "hers", "herself") else "male"
    before = {pos: gender for pos, gender in (people or {}).items() if pos < at}
    if 0 <= lead_at < at:
        before[lead_at] = "lead"
    if before:
        nearest = max(before)
        if before[nearest] == "lead":
            return g
        if before[nearest] == "unknown":
            return None
    if others and any(pos < at and gender == g for pos, gender in others.items()):
        return "male" if g == "female" else "female"
    return g


_ZH_NOT_NAMES = {"王爷", "王妃", "高三", "高二", "高一", "初三", "苏绣", "黄金", "金牌", "高中",
                 "江湖", "林间", "程序", "石头", "叶子", "何时", "任何", "于是", "高管", "马甲"}


_ZH_AFTER_NAME = set("出被在的发是和与把一为决重带竟要从却已终意答开回来去进说看有拿得成嫁穿偷救收接遇撞"
                     "捡了也都就才又将曾正刚谁他她你我不没很还便再并")


def _titled_names(text: str) -> list[str]:
    """A name right after a job or role word (厨师陆远出狱, 收银员许诺重生), which the
    segmenter may not tag as one: a surname and one or two characters."""
    from aiscript.story.cast import _SURNAMES, _jieba

    lex = lexicon()
    words = [w for j in lex["jobs"] for w in j["keywords"]["zh"]]
    words += [r[0] for r in lex["roles"]["zh"]]
    words += [w for ws in [*lex["lead_words"]["zh"].values(), *lex["partner_words"]["zh"].values()]
              for w in ws if len(w) >= 2]
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        for m in re.finditer(re.escape(w), text):
            rest = text[m.end(): m.end() + 3]
            if len(rest) >= 2 and rest[0] in _SURNAMES and "\u4e00" <= rest[1] <= "\u9fff" \
                    and rest[1] not in _ZH_AFTER_NAME:
                # 温言转身: 转身 is a word, so the name is 温言
                after2 = text[m.end() + 2: m.end() + 4]
                common = _jieba().tokenizer.FREQ.get(after2, 0) >= 300
                name = rest[:3] if len(rest) == 3 and "\u4e00" <= rest[2] <= "\u9fff" and \
                    rest[2] not in _ZH_AFTER_NAME and not common else rest[:2]
                out.append(name)
    return out


_EN_IS_THE = re.compile(r"\b(?:is|was)\s+(?:actually\s+|secretly\s+|really\s+|in fact\s+|"
                        r"none other than\s+)?(?:the|a|an)\s+(?:[\w'-]+\s+){0,2}$", re.I)
_ZH_IS_THE = re.compile(r"(?:就是|竟是|竟然是|其实是|原来是|正是|是)[\u4e00-\u9fff]{0,10}$")


def _is_the_lead(text: str, lang: Language, at: int, job_at: int, name: str | None) -> bool:
    """Whether the role word at ``at`` says who the lead is: the complement of 'is' whose
    subject is the lead's job or name (the new janitor is the heiress; 保姆林晚竟是顾家的真千金)."""
    before = text[max(0, at - 40):at]
    m = (_ZH_IS_THE if lang == "zh" else _EN_IS_THE).search(before)
    if not m:
        return False
    cop = at - len(before) + m.start()
    stops = "，,；;。.!?！？：" if lang == "zh" else ",;:.!?"
    start = max(text.rfind(c, 0, cop) for c in stops) + 1
    if lang == "zh" and not text[start:cop].strip():  # ……外卖小哥，竟是……继承人: the clause
        start = max(text.rfind(c, 0, start - 1) for c in stops) + 1  # before is the subject
    subject = text[start:cop]
    if lang == "zh" and re.search(r"[一两几][个位名]", subject):
        return False  # 捡回一个浑身是伤的女人: the 是 describes someone the lead meets
    knowing = r"\b(?:realis|realiz|learn|discover|find|found|know|believ|think|thought|that)\w*\b" \
        if lang == "en" else r"发现|得知|才知道|知道|认出|以为|听说"
    if 0 <= job_at and start <= job_at < cop:
        # the bouncer realizes the girl he saved is the heiress: the girl is, not the bouncer
        return not re.search(knowing, text[job_at:cop], re.I)
    return bool(name) and name in subject


_EN_LEADING = re.compile(r"^\s*(?:(?:when|after|before|since|as|once|although|though|while|if|"
                         r"because|until|despite|with|on|in|at|for|to|by)\b|[A-Za-z]+(?:ed|ing)\b)"
                         r"[^,]*,\s*", re.I)
_EN_SUBJECT = re.compile(r"(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?([\w-]+)\s+(?=(?:[a-z]+s|is|was|has|"
                         r"had|must|will|can|pretends|falls)\b)", re.I)


def main_subject(text: str, lang: Language) -> tuple[int, str]:
    """The head of the main clause's subject in English, past a leading clause ('When the heir
    loses his memory, the hotel cleaner who finds him ...' -> cleaner): (position, word), or
    (-1, "")."""
    if lang != "en":
        return -1, ""
    lead_in = _EN_LEADING.match(text)
    start = lead_in.end() if lead_in else 0
    m = _EN_SUBJECT.match(text, start)
    if not m or "'" in m.group(0)[:-len(m.group(1)) - 1]:  # the CEO's bride: whose, not who
        return -1, ""
    return m.start(1), m.group(1)


def _possessor(text: str, at: int, name: str, lang: Language) -> bool:
    """Whether the premise names this person only as the owner of someone else (顾言的前妻,
    Ethan's ex-wife): followed by a possessive and a person word."""
    rest = text[at + len(name):]
    lex = lexicon()
    people = [r[0] for r in lex["roles"][lang]] + [w for ws in lex["lead_words"][lang].values()
                                                  for w in ws] + \
        [w for ws in lex["partner_words"][lang].values() for w in ws]
    if lang == "zh":  # 顾言的前妻, 顾沉舟的契约妻子: a person word a few characters on
        head = re.match(r"的([\u4e00-\u9fff]{1,6})", rest)
        return bool(head) and any(w in head.group(1) for w in people if len(w) >= 2)
    m = re.match(r"'s?\s+(?:[\w-]+\s+)?([\w-]+)", rest)
    return bool(m) and m.group(1).lower() in {w.lower() for w in people}


def _names(text: str, lang: Language) -> list[tuple[int, str]]:
    from aiscript.story.cast import names_in_premise

    out = []
    found = names_in_premise(text, lang)
    if lang == "zh":
        found = list(dict.fromkeys([*found, *(n for n in _titled_names(text)
                                              if not any(n in f or f in n for f in found))]))
        found.sort(key=text.find)
    for n in found:
        if lang == "zh" and (n.endswith(("府", "宅", "院", "楼", "馆", "店", "站", "园", "宫"))
                             or n in _ZH_NOT_NAMES):
            continue  # 侯府 is a house, 王爷 a title, 高三 a school year: not a person
        i = text.find(n)
        out.append((i, n))
    return out


_HOSTILE_BEFORE = {
    "zh": re.compile(r"(?:渣|恶毒的|狠心的|出轨的|无情的|贪婪的|家暴的|想害死她的|想害死他的)$"),
    "en": re.compile(r"\b(?:abusive|cheating|cruel|scheming|evil|greedy|jealous|ruthless|"
                     r"violent|treacherous|murderous|two-timing)\s+$", re.I),
}


def _role_label(text: str, lang: Language, word: str, at: int) -> str:
    """How the premise calls a role: 'the relative trying to kill him', '继承人'."""
    if lang == "zh":
        return word
    rest = text[at + len(word):]
    m = re.match(r"\s+((?:who|trying|that|out|plotting|scheming)\b[^,.;:!?]{0,40})", rest)
    label = word if word[:1].isupper() and word.isupper() else word.lower()
    phrase = f"the {label}"
    if m:
        words = m.group(1).split()[:6]
        phrase += " " + " ".join(words)
    return phrase


def _unsaid(text: str, d: dict[str, Any], lang: Language) -> str:
    """The premise with the spans that look like the device but are not it blanked out, same
    length (离婚协议 is no marriage contract)."""
    for pat in d.get("not", {}).get(lang, []):
        text = _rx(pat, re.I).sub(lambda m: " " * len(m.group(0)), text)
    return text


def device_hit(text: str, d: dict[str, Any], lang: Language) -> tuple[int, str]:
    """Where the premise names the device: one of its words, or one of its patterns (what the
    device is, said in other words: 'a car crash wipes his memory', '竟是三年前死在火场里的妻子',
    'paid to marry'), the earliest: (position, the words), or (-1, "")."""
    text = _unsaid(text, d, lang)
    i, w = _first(text, d["keywords"][lang], lang)
    for pat in d.get("patterns", {}).get(lang, []):
        m = _rx(pat, re.I).search(text)
        if m and (i < 0 or m.start() < i):
            i, w = m.start(), m.group(0)
    return i, w


_SENTENCES = re.compile(r"[^.!?;。！？；]+")


def device_cue(text: str, d: dict[str, Any], lang: Language) -> tuple[int, str]:
    """Where the premise implies the device by weak cues that meet in one sentence: each of the
    device's ``cues`` is a few fields of words (a paralysis word and a walking word; a death
    word and a likeness word; a secret-knowledge word and a rank word), and a sentence holding
    one word of every field of one cue implies the device (the paralysed tycoon's nurse
    catches him walking; 没人知道，她就是医院背后的董事长): (position, the first field's
    word), or (-1, "")."""
    text = _unsaid(text, d, lang)
    best = (-1, "")
    sentences = list(_SENTENCES.finditer(text))
    for k, m in enumerate(sentences):
        sentence = m.group(0)
        for fields in d.get("cues", {}).get(lang, []):
            found = [_rx(f, re.I).search(sentence) for f in fields]
            if all(found):
                at = m.start() + found[0].start()
                if best[0] < 0 or at < best[0]:
                    best = (at, found[0].group(0))
        # a few cues may meet across a sentence and the next, when the second is specific
        # enough (marries a paralysed man. ... she catches him walking)
        nxt = sentences[k + 1].group(0) if k + 1 < len(sentences) else ""
        for first, *rest in d.get("cues_next", {}).get(lang, []) if nxt else []:
            f0 = _rx(first, re.I).search(sentence)
            if f0 and all(_rx(f, re.I).search(nxt) for f in rest):
                at = m.start() + f0.start()
                if best[0] < 0 or at < best[0]:
                    best = (at, f0.group(0))
    return best


def read_device(text: str, lang: Language) -> tuple[str | None, int, str, bool]:
    """The premise's device: the first of the catalogue (in precedence) it names in words or
    patterns; failing that, the first its weak cues imply. (id, position, words, implied)."""
    order = list(devices().values())
    for d in order:
        i, w = device_hit(text, d, lang)
        if i >= 0:
            if lang == "en" and not re.search(r"[\s-]", w.strip()):
                # one bare word ('her twin drowned', 'the missing princess') gives way to a
                # device whose cues meet in a sentence (a death word and a call in her voice;
                # nobody knows ... princess)
                for e in order:
                    if e is d:
                        continue
                    ci, cw = device_cue(text, e, lang)
                    if ci >= 0:
                        return e["id"], ci, cw, True
            if d["id"] == "arson":  # framed for a hit-and-run, 被诬陷…查清车祸: the frame-up leads
                fi, fw = device_hit(text, devices()["framed"], lang)
                if 0 <= fi < i:
                    return "framed", fi, fw, False
            return d["id"], i, w, False
    for d in devices().values():
        i, w = device_cue(text, d, lang)
        if i >= 0:
            return d["id"], i, w, True
    return None, -1, "", False


# the lead's given name when the pools do not have it: the character a given name ends on (zh),
# a common first name (en); a weak sign, asked only when no role word or pronoun says
_ZH_MALE_END = set("远强伟刚军磊峰涛杰浩宇轩辰默野川承洲言屿朗晨昊鹏斌龙飞超亮东海波勇毅凯霖铭哲睿"
                   "彬博骁钧山泽衡锋尧舟恒岩枫")
_ZH_FEMALE_END = set("娜婷雪丽芳月晴念诺秋薇琳瑶欣怡萱颖妍菲倩静玲霞燕蓉柔兰梅莲鸢禾夏语意糖晚青悦"
                     "宁瑾珊婉媛姝茜蕾芸莹")
_EN_MALE = {"james", "john", "robert", "michael", "david", "daniel", "matthew", "ryan", "jack",
            "luke", "ben", "sam", "tom", "mark", "paul", "peter", "henry", "leo", "max", "eli",
            "nathan", "lucas", "mason", "logan", "cole", "finn", "owen", "liam", "noah", "ethan",
            "caleb", "adrian", "jake", "marcus", "victor", "hugo", "oscar", "felix", "theo",
            "gabriel", "isaac", "dylan", "tyler", "carter", "hunter", "wyatt", "miles", "grant"}
_EN_FEMALE = {"emma", "olivia", "ava", "sophia", "mia", "isabella", "amelia", "harper", "ella",
              "grace", "chloe", "lily", "zoe", "nora", "ivy", "hannah", "sarah", "anna", "emily",
              "claire", "julia", "rose", "ruby", "alice", "maya", "leah", "eva", "stella", "hazel",
              "violet", "aurora", "lucy", "iris", "jade", "naomi", "quinn", "sienna", "tessa",
              "mara", "elena", "laura", "kate", "megan", "rachel", "amy", "beth", "june", "lena"}
# a job's lean in this genre's casting, the last resort before a heroine
_JOB_LEANS = {"construction_worker": "male", "security_guard": "male", "driver": "male",
              "bodyguard": "male"}


@cache
def _lean_sets():
    """The given-name leans, with the casting's own (``story/gender.py``)."""
    from aiscript.story.gender import _ZH_FEMALE_GIVEN, _ZH_MALE_GIVEN, GIVEN_NAMES

    return (_ZH_MALE_END | _ZH_MALE_GIVEN, _ZH_FEMALE_END | _ZH_FEMALE_GIVEN,
            _EN_MALE | GIVEN_NAMES["male"], _EN_FEMALE | GIVEN_NAMES["female"])


def _name_gender(name: str | None, lang: Language) -> str | None:
    """A given name's likely gender, or None.

    >>> _name_gender("陆远", "zh"), _name_gender("Maya Cole", "en"), _name_gender("老陈", "zh")
    ('male', 'female', None)
    """
    if not name:
        return None
    zh_m, zh_f, en_m, en_f = _lean_sets()
    if lang == "zh":
        if len(name) < 2 or name[0] in "老小阿":
            return None
        return "male" if name[-1] in zh_m and name[-1] not in zh_f else \
            "female" if name[-1] in zh_f and name[-1] not in zh_m else None
    first = name.split()[0].lower()
    return "male" if first in en_m else "female" if first in en_f else None


def read_premise(text: str, lang: Language) -> Brief:
    """The brief of a premise, by rules (see the module docstring)."""
    lex = lexicon()
    # the lead's job: the one the premise gives the lead (在律所当了三年助理, is a cashier),
    # else the first it mentions; a job outside the catalogue is kept by its own words
    j_at, jb, j_word, job_phrase = read_job(text, lang)
    names = _names(text, lang)
    # roles the premise names or implies (not the lead)
    roles: dict[str, BriefRole] = {}
    role_at: dict[str, int] = {}
    hits = []
    for word, slot, gender, label in lex["roles"][lang]:
        i = _find(text, word, lang)
        if i >= 0:
            hits.append((i, -len(word), word, slot, gender, label))
    taken: list[tuple[int, int]] = []
    said_of_lead: str | None = None
    titled: tuple[str, str] | None = None  # a title the lead's name follows (霸总傅沉)
    subject_at, _ = main_subject(text, lang)
    # the lead is the first person the premise names ("Murdered by her stepsister, Ivy Chen
    # wakes up reborn": Ivy Chen leads, whatever role words come before her), unless that one
    # is named only as someone's own (顾言的前妻林晚, Ethan Hale's ex-wife Nora)
    leading = [n for i, n in names if not _possessor(text, i, n, lang)]
    first_name = leading[0] if leading else names[0][1] if names else None
    for i, _, word, slot, gender, label in sorted(hits):
        if any(a <= i < b for a, b in taken):  # 集团继承人 holds 继承人
            continue
        if first_name and text[i + len(word):].lstrip(" ,，").startswith(first_name):
            # 养女林晚, 霸总傅沉, Billionaire CEO Damian Cross: the lead's own description, and
            # its gender the lead's unless a female word marks it (女总裁)
            if titled is None and text[i + len(word):].lstrip(" ").startswith(first_name):
                female = re.search(r"女$" if lang == "zh" else r"\b(?:female|woman|lady)\s+$",
                                   text[max(0, i - 8):i], re.I)
                titled = (word, "female" if female else gender)
            continue
        if _is_the_lead(text, lang, i, j_at, first_name) or (
                i == subject_at and not first_name and slot == "love") or (
                lang == "zh" and slot == "love" and not first_name and i <= 6
                and re.fullmatch(r"[\u4e00-\u9fff]{0,4}", text[:i])
                and not text[i + len(word):].startswith(("的", "和", "与", "跟"))):
            said_of_lead = said_of_lead or (gender if gender != "unknown" else None)
            continue  # the new janitor is the heiress; a CEO pretends to be an intern: the lead
        taken.append((i, i + len(word)))
        hostile = _HOSTILE_BEFORE[lang].search(text[max(0, i - 16):i])
        if hostile:
            slot = "villain"  # an abusive husband, 渣男未婚夫: the premise's villain
        if slot in roles:
            continue
        label = label if lang == "zh" else _role_label(text, lang, word, i)
        if hostile:
            adj = hostile.group(0).strip()
            label = adj + label if lang == "zh" else label.replace("the ", f"the {adj} ", 1)
        gender = _sex_marked(text, lang, i) or gender  # 女总裁: the partner is a woman
        roles[slot] = BriefRole(slot=slot, gender=gender, label=label)
        role_at[slot] = i
    # the lead: the first name before any other role's word, its gender from the name's pool,
    # a lead word (真千金, waitress), or the premise's first pronoun
    pools = load_cast_pools().names[lang]
    lead_name = first_name
    gender = ("male" if lead_name in pools["male"] else "female" if lead_name in pools["female"]
              else None)
    loves = {role_at[s]: roles[s].gender for s in roles if s == "love"
             and roles[s].gender != "unknown"}
    introduced = None
    if lead_name and j_at >= 0 and lang == "zh" and \
            0 <= text.find(lead_name) - j_at <= 8:  # 护工温晴: the name the job introduces
        introduced = _name_gender(lead_name, lang)
    told = telling(text, lang)
    # an English given name says more than the first pronoun, which may be anyone's (Maya
    # Reyes ... a rich heir crashes his car); a Chinese name's last character says less
    if titled and titled[1] != "unknown":
        gender = gender or titled[1]
    if j_at < 0 and titled and titled[0].lower() in _TITLE_JOBS:
        job_phrase = titled[0]  # 霸总傅沉, CEO Damian Cross: the title is the lead's job
    # 女律师温言, 乡村小学女老师: the job word marked with the lead's sex
    gender = gender or _sex_marked(text, lang, j_at) or \
        _lead_gender(text, lang, j_at) or said_of_lead or \
        _lead_is_said(text, lang, j_at, lead_name) or \
        _marries_as(text, lang, j_at, lead_name) or introduced or (
        _name_gender(lead_name, lang) if lang == "en" else None) or (
        _clause_gender(text, lang, j_at) or _works_gender(text, lang) or _pronoun_gender(
            text, lang, loves, j_at if j_at >= 0 else text.find(lead_name) if lead_name else -1,
            {**{h[0]: "unknown" for h in _job_hits(text, lang) if h[1] != "verb"
                and not j_at <= h[0] < j_at + len(j_word) + 1 and h[0] + len(h[3]) != j_at + len(j_word)},
             **{role_at[s]: roles[s].gender for s in roles}})
        if told == "third" else None) or _cast_as(text, lang) or \
        _partner_gender(text, lang) or _name_gender(lead_name, lang)
    guessed = []
    if gender is None:  # nothing in the premise says: the genre's heroine, or the job's lean
        gender = _JOB_LEANS.get(jb["id"] if jb else "", "female")
        guessed.append("gender")
    job_name = jb["name"][lang] if jb else job_phrase
    lead = BriefRole(slot="hero", name=lead_name, gender=gender, label=job_name)
    # names of the others: next to their role word, else in order of mention to the love
    # interest first
    others = [(i, n) for i, n in names if n != lead_name]
    for i, n in others:
        near = [s for s, at in role_at.items() if abs(at - i) <= (8 if lang == "zh" else 30)
                and roles[s].name is None]
        slot = min(near, key=lambda s: abs(role_at[s] - i)) if near else next(
            (s for s in ("love", "villain", "ally") if s not in roles or roles[s].name is None),
            None)
        if slot is None:
            continue
        r = roles.get(slot) or BriefRole(slot=slot)
        roles[slot] = r.model_copy(update={"name": n})
    other_gender = "male" if gender == "female" else "female"
    if "love" in roles and roles["love"].gender == "unknown":
        roles["love"] = roles["love"].model_copy(update={"gender": other_gender})
    # the device: the first of the catalogue (in precedence) the premise names, else implies
    dev_id, dev_at, dev_word, implied = read_device(text, lang)
    holder = devices()[dev_id]["holder"] if dev_id else "hero"
    if dev_id and not implied:  # an implied device's cue words say nothing of who carries it
        holder = _holder(text, lang, dev_at, dev_word, gender, roles, role_at, holder,
                         j_at if j_at >= 0 else text.find(lead_name) if lead_name else -1)
    if holder != "hero" and holder not in roles:
        roles[holder] = BriefRole(slot=holder, gender=other_gender if holder == "love"
                                  else "unknown")
    subplots = _subplots(text, lang, dev_id, dev_at, dev_word, gender, roles, role_at)
    # places: the job's, then place words the premise itself names
    places = list(jb["places"][lang]) if jb else []
    for p in premise_places(text, lang):
        if p not in places and not any(p in q or q in p for q in places):
            places.append(p)
    if implied:
        guessed.append("device")
    if job_phrase:
        guessed.append("job")
    want = premise_want(text, lang)
    if dev_id and not want:
        want = devices()[dev_id]["want"][lang]
        want = want.replace("{holder}", roles[holder].name or roles[holder].label
                            if holder in roles and holder != "hero" else
                            ("他" if lang == "zh" else "him"))
    return Brief(
        lead=lead, job=job_name, job_id=jb["id"] if jb else None,
        situation=jb["situation"][lang] if jb else
        lex["generic_situation"][lang].replace("{job}", job_phrase) if job_phrase else "",
        roles=[roles[s] for s in ("love", "villain", "ally", "elder") if s in roles],
        setting=places[0] if places else "", places=places, device=dev_id,
        device_holder=holder, subplots=subplots, want=want, guessed=guessed,
        backstory=read_backstory(text, lang))


# devices that put the lead in the family's house: a daughter taken back (or swapped in), a
# bride, a wife by contract, a daughter living her life again; a job that lives in (a nanny)
_IN_THE_FAMILY = {"switched_at_birth", "substitute_bride", "contract_marriage", "twins_swap",
                  "rebirth"}
_LIVE_IN_JOBS = {"nanny"}


def lives_in_family_house(brief: Brief | None) -> bool:
    """Whether the lead lives in the family's house as the story starts, so that she can be
    thrown out of it: not once the premise has thrown her out; yes where she is of the family
    (one of its devices) or lives in for her job, or where the premise gives her no job away
    from it; a nurse, a rider or a waitress who only meets the family has her own home.

    >>> lives_in_family_house(None)
    True
    """
    if brief is None:
        return True
    if "evicted" in brief.backstory:
        return False
    devs = {brief.device, *(sp.device for sp in brief.subplots)}
    return bool(devs & _IN_THE_FAMILY) or brief.job_id in _LIVE_IN_JOBS or not brief.job


# ----------------------------------------------------------------------------- the backstory


@cache
def losses() -> dict[str, dict[str, Any]]:
    """The backstory catalogue (``seeds/backstory.json``), by id: the losses a premise may
    name before its story starts, each with its patterns, its flashback and its recalls."""
    try:
        out = {d["id"]: d for d in backstory_seed()["losses"]}
        for d in out.values():
            for part in ("patterns", "place", "scene", "recall", "name"):
                if not all(d[part][lang] for lang in ("zh", "en")):
                    raise ValueError(f"{d['id']}.{part} needs zh and en")
        return out
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid_seed("backstory.json", exc) from None


def backstory_seed() -> dict[str, Any]:
    return seed_json("backstory.json")


def read_backstory(text: str, lang: Language) -> list[str]:
    """The losses the premise names (父亲去世后，被赶出豪门: parent_death, evicted), in the
    order it names them."""
    found = []
    for d in losses().values():
        m = _rx(d["patterns"][lang], re.I).search(text)
        if m:
            found.append((m.start(), d["id"]))
    return [i for _, i in sorted(found)]


def lost_kin(text: str, lang: Language) -> str:
    """Whom the premise's death took from the lead (父亲, mother), as the flashback names it."""
    d = losses()["parent_death"]
    m = _rx(d["patterns"][lang], re.I).search(text)
    kin = d["kin"]
    if not m:
        return kin["default"][lang]
    word = next((g for g in m.groups() if g), "").lower()  # the kin word comes first
    return kin[lang].get(word, word) or kin["default"][lang]


# ----------------------------------------------------------------------------- the lead's job

# words that give the lead a job: 当了三年助理, 是他家新来的保姆; is a cashier, works as a,
# now a school bus driver, applies to be a nanny
_ZH_GIVES_JOB = re.compile(r"(?:当|做|干|成为|成了|是|作为|身为|一名|一个|名)了?"
                           r"[一二三四五六七八九十几两\d]*(?:年|个月|天)?(?:的)?"
                           r"(?:一名|一个|个|名)?[\u4e00-\u9fff]{0,4}$")
_EN_GIVES_JOB = re.compile(r"(?:\b(?:is|was|as|becomes?|became|now|to be|job as|works? as|"
                           r"working as)|,)\s+(?:just\s+|only\s+|still\s+)?(?:a|an|the)?\s*"
                           r"(?:[\w'-]+\s+){0,3}$", re.I)
# a job word that only qualifies the noun after it: a stand-in bride, a nurse's uniform
_EN_QUALIFIES = re.compile(r"^(?:'s\b|-|\s+(?:bride|groom|wife|husband|mother|father|daughter|son|"
                           r"sister|brother|girlfriend|boyfriend|uniform|outfit|costume|shark)\b)",
                           re.I)
# the job of the one the lead falls for, marries, meets or hires is theirs, not the lead's
_EN_OTHERS_JOB = re.compile(r"\b(?:falls?|fell|falling) for\s+(?:the|a|an|her|his)\s+(?:[\w-]+\s+)?$|"
                            r"\b(?:marr(?:y|ies|ied)|meets?|met|hires?|hired|dates?|loves?|"
                            r"rescues?|saves?|kidnaps?|blackmails?|seduces?|by)\s+(?:the|a|an|her|his)"
                            r"\s+(?:[\w-]+\s+)?$", re.I)
_EN_POSSESSED = re.compile(r"\b(?:his|her|their|my|your|its|\w+'s)\s+(?:[\w-]+\s+){0,1}$", re.I)
_ZH_PLACE_JOB = re.compile(r"(?:站|所|店|馆|厅|市|地|厨|场|房|院)$")
_EN_PLACE_JOB = re.compile(r"\b(?:stall|food truck|shop|site)$", re.I)


_ZH_FORMER = re.compile(r"(?:曾是|曾经是|曾经的|以前是|当年是|前任|退役|原本是|本是)[\u4e00-\u9fff]{0,4}$")
_EN_FORMER = re.compile(r"\b(?:former|ex-|retired|once an?|was an?|used to be an?|onetime)"
                        r"\s*(?:[\w-]+\s+){0,2}$", re.I)
_ZH_NOW = re.compile(r"(?:如今|现在|眼下|而今|只能|沦为|只好)[\u4e00-\u9fff]{0,8}$")
_EN_NOW = re.compile(r"\b(?:now|these days|today|nowadays)\b[^.;]{0,20}$", re.I)


def _zh_edges(text: str) -> set[int]:
    """Where the segmenter cuts the text (word starts and ends)."""
    from aiscript.story.cast import _jieba

    edges, pos = {0}, 0
    for w, _flag in _jieba().cut(text):
        pos += len(w)
        edges.add(pos)
    return edges


def _job_hits(text: str, lang: Language) -> list[tuple[int, str, dict | None, str]]:
    """Every job the premise mentions (``_job_hits_of``, kept for the premise being read)."""
    return list(_job_hits_of(text, lang))


@lru_cache(maxsize=64)
def _job_hits_of(text: str, lang: Language) -> tuple[tuple[int, str, dict | None, str], ...]:
    """Every job the premise mentions: (position, kind, catalogue job or None, words). Kinds:
    'person' (护工, a cashier), 'place' (律所, 夜市: where the job is done), 'verb' (delivers
    pizzas, scrubs floors), 'other' (a job the catalogue lacks: 消防员, a florist)."""
    lex = lexicon()
    hits: list[tuple[int, str, dict | None, str]] = []
    low = text.lower()
    edges = _zh_edges(text) if lang == "zh" else set()
    kin = tuple(lex["kin_words"]["zh"] + [w for ws in lex["partner_words"]["zh"].values()
                                          for w in ws])
    for j in lex["jobs"]:
        for w in j["keywords"][lang]:
            pat = re.escape(w) if lang == "zh" else \
                r"(?<![A-Za-z])" + re.escape(w.lower()) + r"(?![A-Za-z])"
            for m in _rx(pat).finditer(text if lang == "zh" else low):
                if lang == "en" and (_EN_QUALIFIES.match(text[m.end():]) or
                                     _EN_OTHERS_JOB.search(text[max(0, m.start() - 30):m.start()])):
                    continue
                # 公司机密 holds no 司机: a word starts or ends where the segmenter cuts;
                # 护工妻子 is the wife's job
                if lang == "zh" and (m.start() not in edges and m.end() not in edges
                                     or text[m.end():].startswith(kin)):
                    continue
                # 酒店前台 is a hotel's desk, not an office's: a job the catalogue lacks, kept
                # as said
                elsewhere = next((p for p in j.get("elsewhere", {}).get(lang, [])
                                  if text[:m.start()].lower().endswith(p)), None)
                if elsewhere:
                    hits.append((m.start() - len(elsewhere), "other", None,
                                 text[m.start() - len(elsewhere):m.end()]))
                    continue
                place = _ZH_PLACE_JOB.search(w) if lang == "zh" else _EN_PLACE_JOB.search(w)
                hits.append((m.start(), "place" if place else "person", j, w))
        for pat in j.get("verbs", {}).get(lang, []):
            for m in _rx(pat, re.I).finditer(text):
                hits.append((m.start(), "verb", j, m.group(0)))
    hits = [h for h in hits if not _someone_elses_clause(text, lang, h[0])]
    taken = [(i, i + len(w)) for i, _, _, w in hits]
    for i, w in _other_jobs(text, lang):
        if not any(a <= i < b or i <= a < i + len(w) for a, b in taken):
            hits.append((i, "other", None, w))
    hits = sorted(hits, key=lambda h: (h[0], -len(h[3])))
    # an unlisted job word right before another job word only qualifies it (a diner cook)
    return tuple(h for h in hits if not (h[1] == "other" and any(
        0 <= g[0] - (h[0] + len(h[3])) <= 1 for g in hits if g is not h)))


def _someone_elses_clause(text: str, lang: Language, at: int) -> bool:
    """Whether the clause holding ``at`` is about a relative of the lead (女儿在外卖站吃剩饭;
    her son works as a waiter): its job is theirs."""
    stops = "，,；;。.!?！？" if lang == "zh" else ",;.!?"
    start = max(text.rfind(c, 0, at) for c in stops) + 1
    clause = text[start:at].strip()
    kin = lexicon()["kin_words"][lang]
    # only once the lead has come on (a name, a pronoun): 女儿被拐后，母亲在火车站做保洁 -
    # the mother is the lead
    if not _lead_before(text[:start], lang):
        return False
    if lang == "zh":
        m = next((m for w in kin if (m := re.match(r"(?:[她他我你]的)?" + re.escape(w), clause))),
                 None)
        # 前夫一家笑她只配在医院当护工: the job is hers, the one the clause speaks of
        return bool(m) and not re.search(r"[她他我你]", clause[m.end():])
    m = next((m for w in kin if (m := re.match(r"(?:and\s+|but\s+|while\s+)?(?:his|her|their|my|"
                                                r"your)\s+" + re.escape(w) + r"\b", clause, re.I))),
             None)
    return bool(m) and not re.search(r"\b(?:she|he|her|him|i|me|you)\b", clause[m.end():], re.I)


def _named_before(text: str, lang: Language) -> bool:
    """Whether a person is named in ``text``."""
    from aiscript.story.cast import names_in_premise

    return bool(text) and bool(names_in_premise(text, lang))


def _lead_before(text: str, lang: Language) -> bool:
    """Whether someone who may lead is named or spoken of in ``text``: a name or a pronoun."""
    if lang == "zh":
        from aiscript.story.cast import names_in_premise

        return bool(re.search(r"[她他我]", text)) or bool(names_in_premise(text, lang)) if text \
            else False
    return bool(re.search(r"\b(?:she|he|i)\b", text, re.I)) or \
        bool(re.search(r"(?<!^)\b[A-Z][a-z]+\b", text))


# a job said as where and what: 在婚介所当红娘, works as a ranch hand
_ZH_AT_AS = re.compile(r"在[\u4e00-\u9fffA-Za-z]{1,8}?(?:当(?![众场面时年初天晚即着真成作])|做(?![了]?[一个]?决定))了?(?:[一二三四五六七八九十几两]+年)?的?"
                       r"([\u4e00-\u9fff]{2,4}?)(?=[，。；、,.]|的|$)")
_EN_AT_AS = re.compile(r"\b(?:works?|working|worked|job|hired|employed|starts?|started|"
                       r"takes? a job) as (?:a|an) ((?:[a-z-]+ ){0,2}?[a-z-]+)"
                       r"(?=\s+(?:in|at|for|to|and|who|with|on|by|from)\b|[,.;]|$)", re.I)


_ZH_OWNER = re.compile(r"(?<![的了在])[\u4e00-\u9fff]{1,3}?(?:店|馆|铺|摊|坊|吧|厂)(?:的)?(?:老板娘|老板|店主|摊主|掌柜)")
_EN_OWNER = re.compile(r"\b(?:(?:[a-z-]+\s+){0,2}[a-z-]*(?:shop|store|bakery|salon|cafe|café|diner|bar|"
                       r"stall|truck|boutique|restaurant|parlor|parlour)\s+owner|owner of (?:a|an|the) "
                       r"(?:[a-z-]+\s+){0,2}(?:shop|store|bakery|salon|cafe|café|diner|bar|stall|"
                       r"truck|boutique|restaurant|parlor|parlour))\b", re.I)


def _other_jobs(text: str, lang: Language) -> list[tuple[int, str]]:
    """Jobs the catalogue lacks: a word of the occupations list anywhere the lead may hold it,
    or a word shaped like a job (消防员, -ist, -er) where the lead stands: at a clause's
    start, before the lead's name, after words that give a job, or as the subject of a verb
    ('a firefighter starts')."""
    lex = lexicon()
    known = lex["occupations"][lang]
    suffixes = tuple(lex["job_suffixes"][lang])
    not_jobs = set(lex["not_jobs"][lang])
    out: list[tuple[int, str]] = []
    at_as = (_ZH_AT_AS if lang == "zh" else _EN_AT_AS)
    for m in at_as.finditer(text):
        words = m.group(1)
        if words.lower() not in not_jobs:
            out.append((m.start(1), words))
    # a job said only by what the lead does (fixing cars: a mechanic; 修车: 修车工)
    for pat, phrase in lex.get("job_acts", {}).get(lang, []):
        for m in _rx(pat, re.I).finditer(text):
            out.append((m.start(), phrase))
    if lang == "zh":
        from aiscript.story.cast import _jieba

        pos = 0
        tokens: list[tuple[int, str, str]] = []
        for w, flag in _jieba().cut(text):
            # a job's suffix the segmenter cut off joins the word before it (美甲/师 -> 美甲师)
            if len(w) == 1 and w in suffixes and tokens and 1 <= len(tokens[-1][1]) <= 3 and \
                    re.fullmatch(r"[\u4e00-\u9fff]+", tokens[-1][1]):
                tokens[-1] = (tokens[-1][0], tokens[-1][1] + w, "n")
            else:
                tokens.append((pos, w, flag))
            pos += len(w)
        edges = {t[0] for t in tokens} | {pos}
        # a known occupation the segmenter split (花/店老板) still counts where it starts on a cut
        for w in known:
            i = text.find(w)
            if i >= 0 and i in edges and not any(t[0] == i and t[1] == w for t in tokens):
                out.append((i, w))
        # the owner of a shop is a job, kept as said: 花店老板, 面馆店主, 水果摊摊主
        for m in _ZH_OWNER.finditer(text):
            before = text[:m.start()]
            if not before.strip() or before.endswith(("，", "。", "；", "、")) or \
                    _ZH_GIVES_JOB.search(before) or \
                    any(t[0] == m.end() and t[2].startswith("nr") for t in tokens):
                out.append((m.start(), m.group(0)))
        for k, (i, w, _flag) in enumerate(tokens):
            if w in known:
                out.append((i, w))
                continue
            if not (2 <= len(w) <= 4 and w.endswith(suffixes)) or w in not_jobs or \
                    any(w.endswith(n) for n in not_jobs if len(n) >= 2):
                continue
            before = text[:i]
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            if not before.strip() or before.endswith(("，", "。", "；", "、")) or \
                    _ZH_GIVES_JOB.search(before) or (nxt and nxt[2].startswith("nr")):
                out.append((i, w))
        return out
    low = text.lower()
    for w in known:
        for m in re.finditer(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", low):
            if not _EN_POSSESSED.search(text[:m.start()]):
                out.append((m.start(), w))
    for m in re.finditer(r"\b(?:a|an|the)\s+((?:[a-z-]+\s+){0,3}?)([a-z]+)\b", text):
        head = m.group(2)
        if head in not_jobs or head in known or not head.endswith(suffixes) or len(head) < 5 \
                or text[m.end():].startswith("'"):  # a senator's son: whose, not who
            continue
        at = m.start(2)
        rest = text[m.end():]
        subject = re.match(r"\s+(?!(?:his|hers|its|this|thus|plus|us)\b)(?:[a-z]+(?:s|ed)|is|was|"
                           r"has|had|must|can|will)\b", rest) and \
            not re.match(r"\s+(?:is|was)\s+(?:\w+\s+)?(?:by|of)\b", rest)
        if subject or _EN_GIVES_JOB.search(text[:m.start()]):
            out.append((at, head))
    # the owner of a shop or a truck, kept as said (a flower shop owner)
    for m in _EN_OWNER.finditer(text):
        if not _EN_POSSESSED.search(text[:m.start()]):
            out.append((m.start(), m.group(0)))
    # a job set after a name: 'Meet Nadia, tattoo artist.'
    for m in re.finditer(r"\b[A-Z][a-z]+,\s+((?:[a-z-]+\s+)?([a-z]+))(?=\s*[.;!?]|$)", text):
        head = m.group(2)
        if head.endswith(suffixes) and head not in not_jobs and len(head) >= 5:
            out.append((m.start(1), m.group(1)))
    return out


def read_job(text: str, lang: Language) -> tuple[int, dict | None, str, str]:
    """The lead's job: (position, catalogue job or None, the words, the job's own phrase when
    the catalogue lacks it). A job the premise gives the lead by a word that gives one (当了三年
    助理, 'is a night-shift cashier', 'now a school bus driver') comes first; else the first
    job it mentions, a person's job word before a job's place (奶茶店的店员 stays at the
    tea shop only when nothing else says)."""
    hits = _job_hits(text, lang)
    if not hits:
        return -1, None, "", ""
    # the job the lead had gives way to the one she has (a retired enforcer, now a driver;
    # 退役军人如今送外卖)
    former = _ZH_FORMER if lang == "zh" else _EN_FORMER
    now = _ZH_NOW if lang == "zh" else _EN_NOW
    hits = [h for h in hits if not former.search(text[max(0, h[0] - 16):h[0]])] or hits
    current = [h for h in hits if now.search(text[max(0, h[0] - 20):h[0]])]
    if current and current[0][0] > hits[0][0]:
        hits = current + [h for h in hits if h not in current]
    gives = _ZH_GIVES_JOB if lang == "zh" else _EN_GIVES_JOB
    given = [h for h in hits if h[1] in ("person", "other") and h[0] > 0
             and gives.search(text[:h[0]])]
    # a catalogue job word said of a person stands; a place, a verb or an unlisted job gives
    # way to the job the premise gives the lead
    at, kind, j, w = given[0] if given and hits[0][1] != "person" else hits[0]
    if kind == "verb":  # 照顾瘫痪少爷的护工: the noun names the job, the verb only an act
        stops = "，,；;。.!?！？"
        end = min([k for k in (text.find(c, at) for c in stops) if k >= 0] or [len(text)])
        noun = [h for h in hits if h[1] == "person" and at < h[0] < end]
        if noun:
            at, kind, j, w = noun[0]
    # the place right before the job word says which job (奶茶店的店员, a food truck cook)
    before = [h for h in hits if h[1] == "place" and h[2] is not None
              and 0 <= at - (h[0] + len(h[3])) <= (1 if lang == "zh" else 1)
              and (lang == "en" or text[h[0] + len(h[3]):at] in ("", "的"))]
    if before and kind in ("person", "other"):
        at, kind, j, w = before[-1]
    phrase = "" if j is not None else w
    return at, j, w, phrase


_ZH_WANT = re.compile(r"(?:发誓要|发誓|决定要|决定|誓要|一心要|一心想|只想|要|想)"
                      r"([^，。；！？,.;!?]{4,18})(?=[，。；！？,.;!?]|$)")
_EN_WANT = re.compile(r"\b(?:vows?|vowed|swears?|swore|sets? out|determined|decides?|decided|"
                      r"plans?|planning|wants?|wanted|fights?|is out|needs?) to ([^,.;:!?]{6,70})",
                      re.I)
_ZH_NOT_WANT = re.compile(r"[她他你]|^(?:的|了|是|在|不|说|求|嫁给)")
_EN_KIN_OWN = re.compile(r"\b(?:her|his)\s+(?:own\b|(?:late\s+)?(?:father|mother|sister|brother|"
                         r"daughter|son|family|husband|wife|child|children|name|company|life)\b)",
                         re.I)


def premise_want(text: str, lang: Language) -> str:
    """The lead's want in the premise's own words, when it says one (要找出当年真正的凶手; vows
    to stop his father's company from collapsing), as a bare verb phrase; "" when it says none
    or when the phrase speaks of someone else by a pronoun (只为等她回来)."""
    m = (_ZH_WANT if lang == "zh" else _EN_WANT).search(text)
    if not m:
        return ""
    want = m.group(1).strip()
    if lang == "zh":
        return "" if _ZH_NOT_WANT.search(want) else want
    # her/his only before her own kin or life ('stop his father's company'); any other pronoun
    # may be anyone's
    rest = _EN_KIN_OWN.sub("", want)
    return "" if re.search(r"\b(?:she|he|her|him|his|they|them)\b", rest, re.I) else want


# a betrayal is the genre's ground, not a thread of its own
_NOT_SUBPLOT = {"revenge_betrayal"}


def _subplots(text, lang, dev_id, dev_at, dev_word, gender, roles, role_at) -> list[Subplot]:
    """The premise's other devices, in the order it names them (two at most): 真千金 and the
    father's death beside 失忆. A keyword inside the main device's words is not another one."""
    if not dev_id:
        return []
    found: list[tuple[int, str, str]] = []
    for d in devices().values():
        if d["id"] in _NOT_SUBPLOT or d["id"] == dev_id:
            continue
        i, w = device_hit(text, d, lang)
        if i < 0 or (dev_at <= i < dev_at + len(dev_word)) or (i <= dev_at < i + len(w)):
            continue
        found.append((i, d["id"], w))
    out = []
    for i, did, w in sorted(found)[:2]:
        holder = _holder(text, lang, i, w, gender, roles, role_at, devices()[did]["holder"])
        if holder != "hero" and holder not in roles:
            holder = "hero"
        out.append(Subplot(device=did, holder=holder))
    return out


def _holder(text, lang, at, word, lead_gender, roles, role_at, default, lead_at=-1) -> str:
    """Who carries the device: the role word right after it (失忆的集团继承人), the owner
    of the pronoun in it (faked *his* coma), or the lead when the lead is the last person the
    sentence spoke of (外卖员小周被撞，醒来后连自己叫什么都想不起来; an amnesiac woman)."""
    if lang == "zh":  # 失忆的集团继承人: the device describes the role word after 的
        after = text[at + len(word): at + len(word) + 8]
        if after.startswith("的"):
            for s, i in role_at.items():
                if at < i <= at + len(word) + 8 and s != "hero":
                    return s
            lex = lexicon()
            people = [w for ws in [*lex["lead_words"]["zh"].values(),
                                   *lex["partner_words"]["zh"].values()] for w in ws] + \
                lex["kin_words"]["zh"] + ["人"]
            if any(w in after[1:7] for w in people):  # 记忆全无的男人: someone else's
                return default
        if 0 <= lead_at < at and not re.search(r"[。！？；]", text[lead_at:at]):
            between = text[lead_at:at]
            own = "她" if lead_gender == "female" else "他"
            if not any(lead_at < i < at for i in role_at.values()) and \
                    not re.search(r"[她他]", between.replace(own, "")):
                return "hero"
        return default
    if re.match(r"\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,2}$", text[:at], re.I) and \
            not re.match(r"[\w-]*(?:\s+[\w-]+){0,2}'s\b", text[at:at + len(word) + 30]):
        return "hero"  # an amnesiac woman: the device is said of the lead's own noun
    window = text[max(0, at - 12): at + len(word) + 4].lower()
    m = re.search(r"\b(his|her|he|she|him)\b", window)
    if m:
        g = "female" if m.group(1) in ("her", "she") else "male"
        if g == lead_gender:
            return "hero"
        return "love" if default == "hero" else default
    return default


_ZH_NOT_PLACE_BEFORE = re.compile(r"[的了下着过被把在到从于向]$")
_ZH_PLACE_SUFFIX = ("站", "医院", "病房", "酒店", "餐厅", "公司", "集团", "学校", "律所", "法院",
                    "夜市", "便利店", "别墅", "老宅", "绣坊", "宿舍", "图书馆", "工地", "酒吧",
                    "片场", "民政局", "宴会厅", "会所", "墓园", "孤儿院", "直播间", "出租屋",
                    "古镇", "王府", "侯府", "办公室", "发布会", "机场", "车站", "大学", "门口")
_ZH_PERSON_AFTER = ("继承人", "总裁", "老板", "千金", "少爷", "董事长", "高管", "员工", "的人",
                    "大小姐", "太子爷", "掌门")
_EN_PLACE_WORDS = ("town", "office", "hotel", "hospital", "ward", "school", "palace", "courthouse",
                   "workshop", "company", "village", "manor", "studio", "restaurant", "bar",
                   "station", "airport", "mansion", "university", "library", "court", "depot",
                   "kitchen", "garage", "store", "shop", "market", "farm", "penthouse", "villa",
                   "estate", "orphanage", "cemetery", "ballroom", "set", "gym", "clinic")


def premise_places(text: str, lang: Language) -> list[str]:
    """Places the premise names: a place word, with the name or noun right before it (顾氏集团,
    the county hospital), never a verb or a device's word (下失忆的集团 is no place)."""
    dev_words = {w for d in devices().values() for w in d["terms"][lang] + d["keywords"][lang]}
    found: list[str] = []
    if lang == "zh":
        from aiscript.story.cast import _jieba

        tokens = list(_jieba().cut(text))
        pos = 0
        spans = []
        for w, flag in tokens:
            spans.append((pos, w, flag))
            pos += len(w)
        for k, (i, w, _flag) in enumerate(spans):
            suffix = next((s for s in _ZH_PLACE_SUFFIX if w.endswith(s)), None)
            if suffix is None:
                continue
            after = text[i + len(w):]
            if after.startswith(_ZH_PERSON_AFTER):
                continue
            place = w
            if suffix != "门口" and after.startswith("门口"):
                place += "门口"
            if len(w) == len(suffix) and k > 0:  # a bare 集团: take the name before it (顾氏)
                prev = spans[k - 1]
                if prev[2] in ("ns", "nt", "nz", "nr") and 2 <= len(prev[1]) <= 3 \
                        and not _ZH_NOT_PLACE_BEFORE.search(prev[1]):
                    place = prev[1] + w
                else:
                    continue  # a bare suffix with nothing naming it is no place of its own
            if any(d in place for d in dev_words) or len(place) < 2:
                continue
            found.append(place)
    else:
        pat = re.compile(r"\b(?:at|in|to|from|into|inside|outside) (?:the |a |an |her |his |their )?"
                         r"((?:[a-z'-]+ ){0,2}(?:" + "|".join(_EN_PLACE_WORDS) + r"))\b")
        for m in pat.finditer(text):
            words = [w for w in m.group(1).split()
                     if not w.endswith(("ing", "ed")) and w not in dev_words]
            if words:
                found.append("the " + " ".join(words))
    return list(dict.fromkeys(found))


def load_brief(path: Path) -> Brief:
    """A brief from a JSON or YAML file (``--brief``), with one clear line on a bad one."""
    from aiscript.files import load_json_or_yaml, read_text_limited

    if not path.is_file():
        raise AiscriptError(f"brief file {path} not found", "give the path to a .json or .yaml file")
    text = read_text_limited(path, 200_000, "brief file")
    raw = load_json_or_yaml(text, path, "brief file")
    try:
        brief = Brief.model_validate(raw)
    except ValidationError as exc:
        raise AiscriptError(f"brief file {path}: {invalid_where(exc)}",
                            "start from the 'brief' of a series.json this version wrote") from None
    if brief.device is not None and brief.device not in devices():
        raise AiscriptError(f"brief file {path}: unknown device {brief.device!r}",
                            f"choose one of: {', '.join(devices())}")
    unknown = [i for i in brief.backstory if i not in losses()]
    if unknown:
        raise AiscriptError(f"brief file {path}: unknown backstory {unknown[0]!r}",
                            f"choose from: {', '.join(losses())}")
    if brief.job_id is not None and job(brief.job_id) is None:
        raise AiscriptError(f"brief file {path}: unknown job_id {brief.job_id!r}",
                            "use one from seeds/brief.json, or leave it out")
    return brief.model_copy(update={"source": "user"})


def summary(brief: Brief, lang: Language, cast: dict[str, str] | None = None) -> str:
    """One line for the user: who leads, doing what, the device, where (``cast``: the names
    the season gave each slot, for the ones the premise left unnamed)."""
    lead = brief.lead
    cast = cast or {}
    who = lead.name or cast.get("hero") or ("主角" if lang == "zh" else "the lead")
    dev = devices()[brief.device]["name"][lang] if brief.device else "-"
    holder = brief.device_holder
    others = ", ".join(f"{r.slot}={r.name or cast.get(r.slot) or r.label}"
                       + (f" ({r.label})" if r.label and not r.name and cast.get(r.slot) else "")
                       for r in brief.roles) or "-"
    more = ", ".join(devices()[sp.device]["name"][lang] for sp in brief.subplots
                     if sp.device in devices())
    guess = {"gender": "?" if "gender" in brief.guessed else "",
             "job": " (not in the catalogue)" if "job" in brief.guessed else "",
             "device": "implied, " if "device" in brief.guessed else ""}
    past = ", ".join(losses()[i]["name"][lang] for i in brief.backstory if i in losses())
    return (f"lead: {who} ({lead.gender}{guess['gender']}, {brief.job or '-'}{guess['job']}); "
            f"device: {dev} ({guess['device']}carried by "
            f"{holder}){'; threads: ' + more if more else ''}; roles: {others}; "
            + (f"backstory: {past}; " if past else "") +
            f"places: {', '.join(brief.places) or '-'}"
            + ("; guessed where the premise does not say (correct with --brief)"
               if brief.guessed else ""))
