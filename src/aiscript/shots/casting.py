"""Casting an imported script: its characters from the cues, each with a fixed look drawn as
the writers draw them, or from a cast file the user gives (names, looks, reference images,
seeds), so every frame keeps their faces and costumes.

A cast file is JSON or YAML: a list of entries, or ``{"characters": [...]}``. Each entry needs
a ``name``; ``look`` (the look in the script's language), ``look_en`` (for image models),
``reference`` (an image, relative to the cast file), ``seed``, ``role``, ``gender``, ``color``
and ``voice`` are optional. ``aiscript storyboard`` writes the cast it used as ``cast.json``
in that shape, ready to edit and pass back with ``--cast``.

>>> from aiscript.script import read_text
>>> drafts = read_text("1-1 日 内 办公室\\n林晚：我不干了。\\n顾言：她说什么？\\n林晚：再见。", "ep.txt")
>>> [(c.name, c.role) for c in cast_from_drafts(drafts).characters]
[('林晚', 'protagonist'), ('顾言', 'love_interest')]
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from aiscript.errors import AiscriptError, invalid_where
from aiscript.files import load_json_or_yaml
from aiscript.schema import Character, EpisodeDraft, Language, Model
from aiscript.script.front_matter import CAST_HEADER
from aiscript.story.gender import given_name_gender, guess_gender

ROLES_BY_RANK = ("protagonist", "love_interest", "antagonist")  # then everyone is an ally
_DEFAULT_GENDER = {"protagonist": "female", "love_interest": "male", "antagonist": "female"}


class CastEntry(Model):
    """One character in a cast file."""

    name: str = Field(min_length=1)
    look: str = ""
    look_en: str = ""
    reference: str | None = None
    seed: int | None = Field(default=None, ge=0)
    role: Literal["protagonist", "love_interest", "antagonist", "ally", "rival", "elder"] | None = None
    gender: Literal["female", "male", "unknown"] | None = None
    color: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    voice: str = ""
    source: str = Field(default="", description="The script text the look was taken from.")


class Cast(Model):
    """The characters of a storyboard, and the reference image each one has (name -> path)."""

    characters: list[Character]
    references: dict[str, str] = {}
    sources: dict[str, str] = Field(
        default={}, description="Name -> the script text its look came from ('' if generated).")
    assumed: list[str] = Field(
        default=[], description="Names whose gender nothing in the script says (a role's default).")

    def entries(self) -> list[dict]:
        """The cast as cast-file entries (what ``--cast`` reads back), each with the script
        text its look was taken from (``source``; empty when the look was generated)."""
        return [{"name": c.name, "role": c.role, "gender": c.gender, "look": c.visual,
                 "look_en": c.visual_prompt, "seed": c.seed, "color": c.color, "voice": c.voice,
                 "source": self.sources.get(c.name, ""),
                 **({"reference": self.references[c.name]} if c.name in self.references else {})}
                for c in self.characters]


def read_cast_file(path: str | Path) -> list[CastEntry]:
    """Entries of a JSON or YAML cast file; reference paths made absolute and checked."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AiscriptError(f"cast file {path}: cannot read ({exc.strerror})",
                            "check the --cast path") from None
    except UnicodeDecodeError:
        raise AiscriptError(f"cast file {path}: not UTF-8 text", "save it as UTF-8") from None
    data = load_json_or_yaml(text, path, "cast file")
    items = data.get("characters") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise AiscriptError(f"cast file {path}: no characters listed",
                            'give a list of {"name": ..., "look": ...} entries')
    entries = []
    for i, item in enumerate(items):
        try:
            entry = CastEntry.model_validate(item)
        except ValidationError as exc:
            raise AiscriptError(f"cast file {path}: entry {i + 1} ({invalid_where(exc)})",
                                "each entry needs a name; see `aiscript storyboard --help`") from None
        if entry.reference:
            ref = (path.parent / entry.reference).resolve()
            if not ref.is_file():
                raise AiscriptError(f"cast file {path}: reference image {entry.reference} of "
                                    f"{entry.name} not found", "fix the path (relative to the cast file)")
            entry.reference = str(ref)
        entries.append(entry)
    return entries


def cast_from_drafts(drafts: list[EpisodeDraft], entries: list[CastEntry] | None = None,
                     bios: dict[str, str] | None = None) -> Cast:
    """Everyone who speaks or is listed in a scene's cast, ranked by how many lines they have;
    a cast-file entry fixes what it gives, then what the script says of them (``bios``: a
    人物小传 or cast list, name -> text; else their first description in the action; role
    words in the name), generated looks fill the rest."""
    # each character in the language of the script they first appear in, and ranked by lines
    # within that script (two scripts storyboarded together each keep their leads)
    home: dict[str, tuple[str, Language]] = {}
    for d in drafts:
        for sc in d.scenes:
            for n in [*(el.line.speaker for el in sc.elements if el.line), *sc.characters]:
                home.setdefault(n, (d.series_title, d.language))
    given = {e.name: e for e in entries or []}
    counts = Counter(el.line.speaker for d in drafts for sc in d.scenes for el in sc.elements
                     if el.line)
    listed = [n for d in drafts for sc in d.scenes for n in sc.characters]
    names = sorted(dict.fromkeys([*counts, *listed]), key=lambda n: -counts[n])
    names += [n for n in given if n not in names]
    if not names:
        raise AiscriptError(f"{drafts[0].series_title}: no characters found (no cues, no cast lists)",
                            "give a --cast file naming the characters")
    text = "\n".join(el.action for d in drafts for sc in d.scenes for el in sc.elements)
    looks = script_looks(drafts, names, bios)
    characters, used_ids, sources, assumed = [], set(), {}, []
    for rank, name in enumerate(names):
        entry = given.get(name) or CastEntry(name=name)
        script, lang = home.get(name, (drafts[0].series_title, drafts[0].language))
        place = [n for n in names if home.get(n, (script,))[0] == script].index(name)
        look = looks.get(name)
        elder = ELDER.search(name) or (look is not None and look.age == "elderly")
        role = entry.role or ("elder" if elder else
                              ROLES_BY_RANK[place] if place < len(ROLES_BY_RANK) else "ally")
        gender = (entry.gender or (look.gender if look else None) or given_name_gender(name)
                  or guess_gender(name, text, lang))
        if gender is None:
            assumed.append(name)
            gender = _DEFAULT_GENDER.get(role, "unknown")
        taken = frozenset(c.visual_prompt for c in characters)
        c = _character(entry, _id(name, rank, used_ids), role, gender, lang, rank, taken)
        if look is not None and not entry.look:
            visual, english = look_from_script(look, name, c.gender, lang, c)
            c = c.model_copy(update={"visual": visual, "visual_prompt": entry.look_en or english})
            sources[name] = look.source
        elif entry.look or entry.source:
            sources[name] = entry.source or "cast file"
        characters.append(c)
    refs = {e.name: e.reference for e in given.values() if e.reference}
    return Cast(characters=characters, references=refs, sources=sources, assumed=assumed)



def _character(entry: CastEntry, cid: str, role: str, gender: str, lang: Language,
               rank: int, taken: frozenset[str]) -> Character:
    from aiscript.craft import load_cast_pools
    from aiscript.story.cast import dress_character

    # the same name gets the same look in every run and every file
    rng = random.Random(zlib.crc32(entry.name.encode()))
    colors = load_cast_pools().colors
    color = (entry.color or (colors[rank] if rank < len(colors) else
                             "#%06x" % (zlib.crc32(entry.name.encode()) & 0xFFFFFF))).lower()
    c = dress_character(cid, entry.name, role, gender, lang, rng, color, taken)
    update: dict = {}
    if entry.look:
        update |= {"visual": entry.look, "visual_prompt": entry.look_en or
                   (entry.look if lang == "en" else "")}
    elif entry.look_en:
        update["visual_prompt"] = entry.look_en
    if entry.seed is not None:
        update["seed"] = entry.seed
    if entry.voice:
        update["voice"] = entry.voice
    return c.model_copy(update=update)


def _id(name: str, rank: int, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or f"c{rank + 1:02d}"
    cid, k = base, 2
    while cid in used:
        cid, k = f"{base}_{k}", k + 1
    used.add(cid)
    return cid


ELDER = re.compile(r"老夫人|老太太|老爷|奶奶|爷爷|祖母|祖父|外婆|外公|姥姥|姥爷|太后|"
                   r"\b(?:GRANDMA|GRANDPA|GRANDMOTHER|GRANDFATHER|OLD)\b", re.I)


# --------------------------------------------------------------------------- looks from the script

BIO_HEADER = CAST_HEADER  # a list of characters' header: the readers set it aside as front matter
# English words that open an appositive describing someone ("JULIAN, 40s, a billionaire")
_EN_APPOSITIVE = re.compile(
    r"^(?:\d|a |an |the |in |wearing|dressed|his |her |their |late |early |mid|young|old|"
    r"elderly|aged|about|around|[A-Z][\w-]*'s\b|[a-z]+-year-old|former|retired|handsome|"
    r"beautiful|pretty|tall|short|thin|stocky|sharp|silver|grey|gray|blond|bald)", re.I)
_ZH_APPOSITIVE = re.compile(
    r"岁|男|女|穿|戴|身着|一身|发|侄|甥|孙|儿|妻|夫|老|总裁|董事|医生|护士|秘书|保镖|管家|助理|律师|"
    r"少爷|小姐|千金|夫人|太太|父|母|哥|姐|弟|妹|叔|姨|衣|裙|装|袍|褂|服|眼镜|胡|中年|青年|少年|"
    r"[一二三四五六七八九十几]+多?岁|\d+岁")
_ZH_VERBISH = re.compile(r"[了着过]|走|站|坐|躺|看|说|推|拿|跑|进|出|抬|转|笑|哭")
_ROLE_LOOKS_EN = {  # role words -> what they show, for the image prompt
    "billionaire": "expensive tailored clothes", "ceo": "sharp business suit",
    "nurse": "nurse scrubs", "doctor": "white doctor's coat",
    "grandmother": "elderly, grey hair", "grandfather": "elderly, grey hair",
    "butler": "black butler's uniform", "bodyguard": "black suit, earpiece",
    "secretary": "office blouse", "lawyer": "dark suit", "emperor": "imperial robes",
    "empress": "imperial robes, phoenix crown", "maid": "maid's dress",
}
_ZH_WORDS_EN = {  # Chinese description words -> English, for image models' text encoders
    "总裁": "CEO in a sharp business suit", "董事长": "chairman in a dark suit",
    "护士": "nurse", "医生": "doctor", "白大褂": "white lab coat", "西装": "suit",
    "灰色": "grey", "黑色": "black", "白色": "white", "红色": "red", "蓝色": "blue",
    "连衣裙": "dress", "白裙": "white dress", "红裙": "red dress", "旗袍": "qipao",
    "风衣": "trench coat", "衬衫": "shirt", "校服": "school uniform", "连体服": "jumpsuit",
    "银发": "silver hair", "白发": "white hair", "满头银发": "silver hair", "短发": "short hair",
    "长发": "long hair", "眼镜": "glasses", "胡子": "beard", "侄子": "nephew", "侄女": "niece",
    "老夫人": "elderly matriarch", "奶奶": "grandmother", "爷爷": "grandfather",
    "秘书": "secretary", "保镖": "bodyguard", "管家": "butler", "律师": "lawyer",
    "千金": "heiress", "少爷": "young master", "掌权人": "family head", "病号服": "hospital gown",
    "西服": "suit", "睡衣": "pajamas", "工装": "work clothes", "外卖服": "delivery uniform",
    "保安服": "security uniform", "警服": "police uniform", "婚纱": "wedding dress",
    "龙袍": "imperial dragon robe", "凤冠": "phoenix crown", "玉镯": "jade bracelet",
    "中年": "middle-aged", "青年": "young", "少年": "teenage", "温和": "gentle-looking",
    "丫鬟": "young maid in a plain servant's dress", "嫡女": "noble young lady in silk hanfu",
    "王爷": "prince in embroidered robes", "皇帝": "emperor in dragon robes",
}
_ZH_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10}


class ScriptLook(Model):
    """What a script says a character looks like: the text, where it was found, and the
    gender and age it gives (as written)."""

    text: str
    source: str
    gender: Literal["female", "male"] | None = None
    age: str = ""


def script_looks(drafts: list[EpisodeDraft], names: list[str],
                 bios: dict[str, str] | None = None) -> dict[str, ScriptLook]:
    """Each character's look as the script gives it: a 人物小传 / cast list entry first, else
    the first description in the action (a parenthetical after the name, ``NORA (26,
    scrubs)``, or an appositive, ``VICTOR, Julian's nephew, 30s, in a black suit,``), else
    the role words their name carries (``林老夫人``).

    >>> from aiscript.script import read_text
    >>> d = read_text("INT. WARD - NIGHT\\n\\nNORA (26, scrubs) checks the drip.\\n\\nNORA\\nWake up.",
    ...               "x.fountain")
    >>> script_looks(d, ["NORA"])["NORA"].text
    '26, scrubs'
    """
    out: dict[str, ScriptLook] = {}
    for name, text in (bios or {}).items():
        if name in names and text.strip():
            out[name] = _look(text.strip(), f"人物小传: {name}：{text.strip()}"
                              if _zh(text) else f"cast list: {name}: {text.strip()}")
    actions = [el.action for d in drafts for sc in d.scenes for el in sc.elements if el.action]
    for name in names:
        if name in out:
            continue
        for action in actions:
            found = _described(name, action)
            if found:
                out[name] = _look(found, action.strip()[:200])
                break
        else:
            words = _gender_words(name)
            if words[0] or words[1] or _ROLE_IN_NAME.search(name):
                out[name] = _look("", f"name: {name}", name)
    return out


_ROLE_IN_NAME = re.compile(r"老夫人|老太太|奶奶|爷爷|总裁|董事长|护士|医生|管家|保镖|秘书|律师|丫鬟|"
                           r"\b(?:CEO|NURSE|DOCTOR|DR|BUTLER|GRANDMA|GRANDPA|BOSS|OFFICER)\b", re.I)


def _zh(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def _described(name: str, action: str) -> str:
    """The description right after the first mention of ``name`` in one action, or ""."""
    if _zh(name):
        i = action.find(name)
        if i < 0:
            return ""
        rest = re.sub(r"^·[\u4e00-\u9fff]{1,4}", "", action[i + len(name):])  # 杰克·马伦
        m = re.match(r"\s*[（(]([^）)]{1,60})[）)]", rest)
        if m:
            return m.group(1).strip()
        if not rest.startswith("，"):
            return ""
        parts = []
        for seg in re.split(r"[，,]", rest[1:]):
            seg = seg.strip("。！ ")
            if not seg or len(seg) > 16 or not _ZH_APPOSITIVE.search(seg) or (
                    _ZH_VERBISH.search(seg) and not re.search(r"穿|戴|岁", seg)):
                break
            parts.append(seg)
        return "，".join(parts)
    words = name.split() or [name]
    first = re.escape(name if words[0].endswith(".") else words[0])  # "Mrs. Hale" whole
    m = re.search(rf"(?<!\w){first}(?!\w)((?:\s+[A-Z][A-Za-z'’-]+)*)", action)
    if not m:
        return ""
    rest = action[m.end():]
    p = re.match(r"\s*\(([^)]{1,80})\)", rest)
    if p and not re.fullmatch(r"(?:V\.?O\.?|O\.?S\.?|CONT'?D|O\.?C\.?)", p.group(1).strip(), re.I):
        return p.group(1).strip()
    if not rest.startswith(","):
        return ""
    parts = []
    for seg in rest[1:].split(","):
        seg = seg.strip().rstrip(".")
        if not seg or not _EN_APPOSITIVE.match(seg):
            break
        parts.append(seg)
    return ", ".join(parts)


def _gender_words(text: str) -> tuple[int, int]:
    """(male, female) gender words in ``text``, longest words first (外甥女 is a niece)."""
    from aiscript.story.gender import GENDER_WORDS

    counts = []
    for lang in ("zh", "en"):
        words = GENDER_WORDS[lang]
        both = sorted([*words["male"], *words["female"]], key=len, reverse=True)
        rx = _gender_rx(lang, tuple(both))
        hits = rx.findall(text.lower() if lang == "en" else text)
        counts.append((sum(h in words["male"] for h in hits),
                       sum(h in words["female"] for h in hits)))
    return counts[0][0] + counts[1][0], counts[0][1] + counts[1][1]


_GENDER_RX: dict = {}


def _gender_rx(lang: str, words: tuple[str, ...]) -> re.Pattern:
    key = (lang, words)
    if key not in _GENDER_RX:
        body = "|".join(re.escape(w) for w in words)
        _GENDER_RX[key] = re.compile(rf"\b(?:{body})\b" if lang == "en" else f"(?:{body})")
    return _GENDER_RX[key]


def _look(text: str, source: str, name: str = "") -> ScriptLook:
    evidence = f"{name} {text}"
    male, female = _gender_words(evidence)
    gender = "male" if male > female else "female" if female > male else None
    age = ""
    m = re.search(r"(?<!\d)(\d{1,2})(?:s\b|岁|\b)|\b(?:late|early|mid)[- ]\w+|"
                  r"[一二两三四五六七八九十]+多?岁|中年|青年|少年|老年|elderly|teen\w*", text)
    if m:
        age = m.group(0)
    if not age and re.search(r"老夫人|老太太|奶奶|爷爷|grandm|grandf|grandpa|grandma", evidence, re.I):
        age = "elderly"
    return ScriptLook(text=text, source=source, gender=gender, age=age)


_ZH_RX: list = []


def _zh_words_rx() -> re.Pattern:
    if not _ZH_RX:
        _ZH_RX.append(re.compile("|".join(sorted(map(re.escape, _ZH_WORDS_EN), key=len,
                                                 reverse=True))))
    return _ZH_RX[0]


def _age_en(age: str) -> str:
    """``26`` -> "26 years old", ``40s`` -> "in their 40s", ``二十八岁`` -> "28 years old"."""
    if not age:
        return ""
    if re.fullmatch(r"\d{1,2}", age):
        return f"{age} years old"
    if re.fullmatch(r"\d0s", age):
        return f"in their {age}"
    m = re.fullmatch(r"([一二两三四五六七八九十]+)(多)?岁", age)
    if m:
        digits = m.group(1)
        n = 0
        if "十" in digits:
            tens, _, ones = digits.partition("十")
            n = _ZH_NUM.get(tens, 1) * 10 + _ZH_NUM.get(ones, 0)
        else:
            n = _ZH_NUM.get(digits, 0)
        return f"in their {n // 10 * 10}s" if m.group(2) else f"{n} years old"
    if re.fullmatch(r"\d{1,2}岁", age):
        return f"{age[:-1]} years old"
    return {"中年": "middle-aged", "青年": "young", "少年": "teenage", "老年": "elderly"}.get(age, age)


def look_from_script(look: ScriptLook, name: str, gender: str, lang: Language,
                     fallback: Character) -> tuple[str, str]:
    """(look in the script's language, look in English) from what the script says; what it
    does not say (hair, a costume) is kept from ``fallback``'s generated look only when the
    script gives no costume of its own."""
    noun = {"female": "woman", "male": "man"}.get(gender, "person")
    age = _age_en(look.age)
    years = re.match(r"(\d+) years old|in their (\d+)0s", age)
    if years and int(years.group(1) or int(years.group(2)) * 10) >= 60:
        noun = {"female": "elderly woman", "male": "elderly man"}.get(gender, "elderly person")
    if look.age == "elderly":
        noun = {"female": "elderly woman", "male": "elderly man"}.get(gender, "elderly person")
        age = ""
    words = []
    if lang == "zh" or _zh(look.text):
        prev_end, colour = -1, ""
        for m in _zh_words_rx().finditer(look.text):  # in the script's order; 灰色西装 -> grey suit
            en = _ZH_WORDS_EN[m.group(0)]
            if colour and m.start() in (prev_end, prev_end + 1):
                words[-1] = f"{colour} {en}"
                colour = ""
            else:
                words.append(en)
                colour = en if m.group(0).endswith("色") else ""
            prev_end = m.end()
        role = [en for zh, en in _ZH_WORDS_EN.items() if zh in name]
        words = list(dict.fromkeys(role + words))
        visual = look.text.rstrip("。.") or fallback.visual
    else:
        desc = re.sub(r"\b\d{1,2}s?\b,?\s*", "", look.text).strip(" ,") if look.age else look.text
        extra = [v for k, v in _ROLE_LOOKS_EN.items()
                 if re.search(rf"\b{k}\b", f"{look.text} {name}", re.I) and v not in desc]
        words = [w for w in (desc, *extra) if w]
        visual = ""
    clothes = re.search(r"suit|coat|dress|shirt|scrubs|robe|uniform|gown|jacket|blouse|"
                        r"jumpsuit|pajama|qipao|clothes|sweater|hoodie|jeans", " ".join(words), re.I)
    if not clothes:  # the script names no costume: the generated one, minus its age and sex
        parts = [p.strip() for p in fallback.visual_prompt.split(",")[1:] if p.strip()]
        words += parts[:2]
    english = ", ".join(dict.fromkeys(w for w in (noun, age, *words) if w))
    return (english if lang == "en" and not _zh(look.text) else visual), english
