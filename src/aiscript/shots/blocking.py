"""Blocking: where each character stands in a shot, which way they face, their pose, who
touches whom and the props in play, read from the shot's action and lines with Chinese and
English cue patterns.

A scene keeps one line of action: its two principals hold screen left and screen right in
every shot (the 180-degree rule), a single looks toward where the other one stands, and an
over-the-shoulder puts the listener's shoulder on the listener's own side. A pose persists
through the scene until the action changes it (a comatose patient stays in bed).

>>> from aiscript.schema import Scene, SceneHeading, Shot, ShotSize
>>> sc = Scene(number=1, heading=SceneHeading(setting="INT", place="病房", time="NIGHT"),
...            characters=["陆远", "林晚"], shots=[Shot(id="1-1-1", size=ShotSize.two_shot,
...            duration_s=2, characters=["陆远", "林晚"], action="陆远把刀架在林晚脖子上。")])
>>> b = block_scene(sc, "zh")[0]
>>> [(p.name, p.pose) for p in b.people], [c.kind for c in b.contacts], b.place
([('陆远', 'standing'), ('林晚', 'held')], ['knife_at_throat'], 'ward')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from aiscript.schema import (
    Blocking,
    Contact,
    Language,
    Line,
    Placement,
    Prop,
    Scene,
    Shot,
    ShotSize,
)

# --------------------------------------------------------------------------- cue patterns

POSES: list[tuple[str, str, str]] = [  # (pose, zh pattern, en pattern); later ones win a tie
    ("standing", r"站起|起身|站了起来|爬起|站直|站在", r"\b(?:stands?|standing|gets? up|rises|stood)\b"),
    ("sitting", r"坐|轮椅|坐起", r"\b(?:sits?|sitting|seated|sat|wheelchair|sits up)\b"),
    ("lying", r"躺|昏迷|病床上|卧床|不省人事|睡着|植物人",
     r"\b(?:lies|lying|lay|unconscious|coma|comatose|asleep|bedridden|bedbound|in (?:the|a|his|her) (?:hospital )?bed)\b"),
    ("kneeling", r"跪", r"\b(?:kneels?|kneeling|knelt|on (?:his|her|their) knees)\b"),
    ("fallen", r"倒在地|摔倒|跌倒|摔在地|瘫倒|倒地|瘫坐在地|跌坐|摔了|昏倒|晕倒",
     r"\b(?:collapses?|falls? to the|fell|sprawl\w*|knocked down|crumples?|faints?)\b"),
    ("held", r"被按|被抓住|被架住|被押|被绑|被拖|被制住|被掐",
     r"\b(?:restrained|pinned|held down|held back|dragged|tied up|forced to)\b"),
]
CONTACTS: list[tuple[str, str, str]] = [  # (kind, zh, en): the verb's subject does it to its object
    ("knife_at_throat",
     r"(?:刀|匕首|剪刀|碎玻璃|刀片|刀刃).{0,10}(?:架|抵|横|贴|顶)(?:在|住|着|上).{0,8}(?:脖|喉|颈)|刀架",
     r"\b(?:knife|blade|dagger|razor|shard)\b.{0,40}\b(?:throat|neck)\b"),
    ("gun_at", r"枪.{0,6}(?:对准|指着|抵住|顶住)|(?:拿|举)枪指", r"\b(?:gun|pistol|revolver)\b.{0,30}\b(?:at|to)\b"),
    ("choke", r"掐住|掐着|勒住|卡住.{0,3}脖|扼住", r"\b(?:chok\w*|throttl\w*|strangl\w*|by the throat)\b"),
    ("throw_at", r"(?:甩|扔|砸|摔|泼|丢)(?:在|向|到).{0,8}(?:脸|身|头)上?",
     r"\b(?:throws?|threw|tosses|hurls?|flings?|splash\w*)\b.{0,40}\b(?:(?:in|at|into)\s+(?:(?:\w+\s){0,2}"
     r"\w+'s|his|her|their)\s+face\b|(?:over|on|at)\s+(?:him|her|them|(?-i:[A-Z])\w*))"),
    ("slap", r"扇|耳光|掌掴|一巴掌|一拳|揍|踹|踢了|打了.{0,2}[他她]",
     r"\b(?:slap\w*|smack\w*|punch\w*|backhand\w*|whack\w*|kick(?:s|ed)?|slugs?|headbutt\w*|"
     r"hits? (?:him|her|them))\b"),
    ("embrace", r"抱住|拥抱|搂住|抱紧|相拥|扑进.{0,4}怀|抱在|拥入怀|紧紧抱|搂进",
     r"\b(?:embrac\w*|hugs?|hugging|holds? \w+ in (?:his|her) arms|pulls? \w+ into (?:a|his|her) (?:hug|arms)|"
     r"throws? (?:his|her) arms around|clings? to)\b"),
    ("support", r"扶起|扶住|搀扶|扶着|搀起|背起|抱起|扶[他她]",
     r"\b(?:helps? \w+ (?:up|to (?:his|her|their) feet)|props? \w+ up|supports? \w+|steadies \w+|"
     r"carries \w+|pulls? \w+ to (?:his|her|their) feet|lifts? \w+ up)\b"),
    ("kiss", r"吻|亲了", r"\bkiss\w*"),
    ("push", r"推开|推倒|推了|一推|推搡|撞在墙上|按在墙上|抵在墙上|撞到墙上|摔在地上|甩开|撞开|撞倒",
     r"\b(?:push\w*|shov\w*|slam\w*|tackl\w*|knocks? \w+ down|knocked down|throws? \w+ (?:against|into|to the)|"
     r"pins? \w+ against|rams? \w+)\b"),
    ("grab", r"抓住|揪住|拽住|拉住|攥住|扣住|一把拉|按住|扯住|捏住|握住|牵住|牵起|拦住|拖住|钳住|抓着",
     r"(?<![-\w])(?:grab\w*|seiz\w*|grips?|gripping|yanks?|clutch\w* \w+'s|pins?|drags?|collars?|"
     r"restrains?|catches \w+ by|(?:takes?|holds?|squeezes?) [\w ]{1,24}?'s hand|"
     r"(?:takes?|holds?|squeezes?) (?:his|her|their) hand)\b"),
    ("behind", r"(?:站|出现|躲|藏)?在.{0,6}身后|从背后|从身后",
     r"\b(?:is|stands?|standing|appears?|looms?|waits?|creeps? up)\s+(?:right |just |directly |silently )?"
     r"behind\b|\bright behind\b"),
]
# a blow or grab the object suffers: their pose for this shot only
_SUFFERS = {"support": "fallen", "choke": "held", "push": "held"}
_DOES = {"support": "kneeling"}  # and the pose of whoever does it
PROPS: list[tuple[str, str, str]] = [  # (icon kind, zh pattern, en pattern)
    ("knife", r"匕首|水果刀|刀子|刀|剪刀|碎玻璃", r"\b(?:knife|blade|dagger|razor|scissors)\b"),
    ("gun", r"手枪|枪", r"\b(?:gun|pistol|revolver|rifle)\b"),
    ("document", r"亲子鉴定|鉴定报告|鉴定书|体检报告|化验单|报告|合同|协议|文件|病历|遗嘱|诊断书|"
                 r"证据|辞职信|信封|信|户口本|结婚证|离婚证|账本|转账记录|简历|股权书|机票|车票|护照|请柬|纸条|流水|账单",
     r"\b(?:dna (?:test|results?|report)|report|contract|document|file|folder|papers|will|"
     r"letter|envelope|evidence|results|agreement|deed|certificate|license|ledger|statement|"
     r"ticket|passport|invitation|note|receipt|invoice|prescription)\b"),
    ("phone", r"手机|电话|录音笔|录音", r"\b(?:phone|cellphone|smartphone|recorder|recording)\b"),
    ("ring", r"钻戒|戒指|婚戒", r"\b(?:ring|wedding band)\b"),
    ("glass", r"酒杯|红酒|香槟|杯子|茶杯|杯|啤酒|酒瓶", r"\b(?:glass|wine|champagne|cup|mug|drinks?|beers?|bottle)\b"),
    ("cash", r"支票|银行卡|黑卡|现金|钞票|一沓钱", r"\b(?:cheque|check|cash|money|bills|credit card)\b"),
    ("photo", r"照片|相片|合影", r"\b(?:photo\w*|picture|snapshot)\b"),
    ("bag", r"行李箱|手提包|包包|背包|箱子", r"\b(?:suitcase|handbag|purse|briefcase|bag|luggage)\b"),
    ("jewel", r"玉镯|手镯|项链|玉佩|耳环|吊坠", r"\b(?:necklace|bracelet|pendant|earrings?|locket)\b"),
    ("key", r"钥匙|房卡", r"\b(?:keys?|keycard)\b"),
    ("object", r"U盘|优盘|硬盘|礼盒|锦盒|盒子", r"\b(?:usb stick|flash drive|hard drive|box)\b"),
]
PLACES: list[tuple[str, str]] = [  # (set type, pattern over the heading's place, zh and en)
    ("car", r"车内|车里|车上|出租车|轿车|跑车|\bcar\b|taxi|limo|\bvan\b|backseat|porsche|sedan|\btruck\b"),
    ("ward", r"病房|医院|手术|诊室|急诊|ICU|ward|hospital|clinic|\bicu\b|infirmary|surgery"),
    ("auction", r"拍卖|auction"),
    ("shop", r"外卖|站点|便利店|商店|超市|店|餐厅|饭店|咖啡|奶茶|食堂|\bshop\b|store|diner|cafe|café|"
             r"restaurant|\bbar\b|\bpub\b|market|bakery|kitchen|厨房"),
    ("pool", r"泳池|游泳|\bpool\b"),
    ("banquet", r"宴会|酒会|婚礼|礼堂|会场|晚宴|寿宴|订婚|ballroom|banquet|wedding|gala|party|"
                r"reception|hall\b|正厅|宫殿|殿|祠堂"),
    ("office", r"办公室|公司|会议室|总裁|集团|写字楼|工位|office|boardroom|conference|lobby|大堂|"
               r"大厅|前台|study|书房|民政局"),
    ("mansion", r"别墅|豪宅|大宅|府邸|庄园|mansion|villa|estate|palace|manor"),
    ("shack", r"木屋|破屋|棚|仓库|地下室|出租屋|废弃|工地|shack|cabin|\bhut\b|barn|trailer|warehouse|"
              r"basement|cellar|garage|shed"),
    ("patio", r"露台|阳台|花园|后院|天台|patio|deck|porch|terrace|balcony|garden|backyard|rooftop"),
    ("street", r"街|路|巷|门口|门外|广场|桥|停车场|院|street|road|alley|sidewalk|"
               r"outside|park|bridge|parking|courtyard|square"),
]
# a shot's action that puts the people in a car from here on ("Steel at the wheel", 上车)
_IN_CAR = (r"上车|坐进.{0,6}车|开车|驾驶座|副驾|方向盘|车里|车内|发动.{0,2}车",
           r"\b(?:at|behind|takes) the wheel\b|\bget(?:s)? into\b[^.]{0,30}\b(?:car|porsche|taxi|van|"
           r"truck|limo|sedan)\b|\bdrives?\b|\bdriving\b|\bpassenger seat\b|\bstarting the engine\b")
_AT_WHEEL = (r"开车|驾驶|方向盘|发动", r"\b(?:at|behind|takes) the wheel\b|\bdrives?\b|\bdriving\b|"
             r"\bstarting the engine\b")
# someone coming into the scene ("Nora walks in", "Suddenly Nora is right behind her", 推门进来,
# 突然出现) or kept out of the frame ("approaches offscreen", 画外)
_ENTERS = (r"出现|现身|走进|进来|进门|推门|闯进|闯入|冲进|赶来|赶到|走来|走过来|到场|突然|忽然|不知何时",
           r"\b(?:enter(?:s|ing)?|(?:comes?|walks?|steps?|bursts?|barges?|strides?|storms?|sweeps?|"
           r"rush(?:es)?|runs?|hurries|slips?|marches|stumbles?|wanders?)\s+(?:in|into|through|up|over)|"
           r"arriv(?:es?|ing)|appears?|appearing|emerges?|approach(?:es)?|shows? up|turns? up|"
           r"suddenly|out of nowhere)\b")
_AWAY = (r"画外|画面外|镜头外|门外传来|看不见", r"\boff[- ]?screen\b|\bO\.S\.|\bunseen\b|"
         r"\bout of (?:frame|shot|view|sight)\b|\boff[- ]camera\b")
# a point of view: a rifle scope (reticle) or someone's eyes
_SCOPE = re.compile(r"scope|cross-?hairs|reticle|瞄准镜|狙击镜|准星|望远镜|binocular", re.I)
_POV = re.compile(r"\bPOV\b|视角|主观镜头", re.I)
_HELD_VERBS = (r"拿|握|攥|举|递|甩|拍|晃|捏|掏出|抽出|抓着|捧|扔|摔|撕|亮出|揣|按|泼|夺|放进|塞|交给|拎|端",
               r"\b(?:holds?|holding|grips?|waves?|hands?|clutch\w*|rais\w*|slams?|toss\w*|"
               r"throws?|pulls? out|draws?|shows?|produces?|tears?|pockets?|takes?|picks? up)\b")
# role nouns that can stand as a clause's subject in place of a name ("the patient ... grips")
_EN_ROLES = (r"(?:the|a|an|that|this)\s+(?:[\w-]+\s+)?(?:patient|man|woman|girl|boy|stranger|"
             r"figure|victim|heir|nurse|doctor|old man|old woman|elder|intruder|attacker)\b")
_CLAUSE = re.compile(r"[。！？；，!?;\n]|(?<!Mr)(?<!Mrs)(?<!Ms)(?<!Dr)(?<!St)(?<!Jr)\.(?=\s|$)"
                     rf"|,\s+(?={_EN_ROLES})")


_OFFSCREEN = re.compile(r"^\W*(?:O\.?S\.?|V\.?O\.?|O\.?C\.?|off(?:screen)?|voice ?over|"
                        r"画外音|画外|旁白|电话|电话里|电话那头|内心|心声|独白|OS|VO)\W*$", re.I)


def offscreen(line: Line) -> bool:
    """Whether a line is heard from off screen: ``(OS)``, ``(V.O.)``, ``（画外音）``."""
    return bool(line.parenthetical and _OFFSCREEN.match(line.parenthetical))


@cache
def _rx(pattern: str, lang: str) -> re.Pattern:
    return re.compile(pattern, re.I if lang == "en" else 0)


def place_type(place: str, setting: str = "INT") -> str:
    """The set drawn behind a scene: ward, office, street, banquet, car, or a plain room.

    >>> place_type("医院病房"), place_type("GRAND BALLROOM"), place_type("小巷", "EXT")
    ('ward', 'banquet', 'street')
    """
    for kind, pattern in PLACES:
        if re.search(pattern, place, re.I):
            if setting == "EXT" and kind in ("office", "room"):
                break  # outside an office block is a street
            return kind
    return "street" if setting == "EXT" else "room"


# --------------------------------------------------------------------------- who does what


def _name_rx(name: str, lang: Language) -> re.Pattern:
    if re.search(r"[\u4e00-\u9fff]", name):
        return _rx(re.escape(name), "zh")
    words = name.split() or [name]
    # "Ivy Chen" is found as "Ivy"; "Mrs. Hale" only whole (an honorific names no one)
    first = name if len(words) > 1 and (words[0].endswith(".") or words[0].lower() in
                                        _HONORIFICS) else words[0]
    return _rx(rf"(?<![\w]){re.escape(first)}(?![\w])", "en")


_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "madam", "lady", "lord", "old", "young",
               "little", "big", "aunt", "uncle", "grandma", "grandpa", "officer", "detective"}


def _mentions(text: str, names: list[str], lang: Language) -> list[tuple[int, int, str]]:
    """(start, end, name) of each character named in ``text``, in order."""
    found = []
    for n in names:
        m = _name_rx(n, lang).search(text)
        if m:
            found.append((m.start(), m.end(), n))
    return sorted(found)


_EN_LEAD_IN = re.compile(r"(?:[^,;]{0,50},\s*|(?:at|in|on|by|after|before|during|with|from|"
                        r"across|inside|outside|behind|beside)\b[^,;]{0,40}?\s|(?:suddenly|then|"
                        r"now|meanwhile|finally|slowly|quietly|still|just|and|but)\s+)", re.I)
_ZH_LEAD_IN = re.compile(r"(?:突然|忽然|这时|此时|随即|然后|接着|就在这时|下一秒|猛地)")
# a time or place before the name opens nothing: 深夜的外卖站里叶青把…, 凌晨三点叶青…, 在门口叶青…
_ZH_SETTING = re.compile(r"(?:(?:在|当|于|就在)?[^，。！？、把被将给对向看说拿递抓推的]{0,10}"
                         r"(?:[^，。！？的]的[^，。！？、把被将给对向看说拿递抓推的]{1,6})?"
                         r"(?:里|中|上|内|外|前|后|边|旁|门口|时|时候|晚上|深夜|凌晨|清晨|夜里|一早|点)|"
                         r"深夜|凌晨|清晨|傍晚|午夜|夜里|第二天|次日|当晚|此刻|雨夜)"
                         r"(?:突然|忽然|这时|此时|随即|猛地)?")


def _opens(prefix: str, lang: Language) -> bool:
    """Whether a clause opens on the name after ``prefix``: it is short, only a lead-in ("At
    three in the morning", "In front of everyone,", 突然, 深夜的外卖站里), or a new clause joined by "and"
    ("The door slides open and DICK STEEL emerges")."""
    if len(prefix) <= (2 if lang == "zh" else 12):
        return True
    if lang == "en" and _EN_JOINED.search(prefix):
        return True
    if lang == "zh":
        return bool(_ZH_LEAD_IN.fullmatch(prefix) or _ZH_SETTING.fullmatch(prefix))
    return bool(_EN_LEAD_IN.fullmatch(prefix))


# "... and [DICK] " before a name: the name opens a joined clause (first names skipped)
_EN_JOINED = re.compile(r"\b(?:and|then|when|as|while|where|until)\s+(?:[A-Z][\w.'-]*\s+){0,2}$")


# pronouns and plural subjects, resolved against the people the scene has named so far
_EN_PRON_SUBJ = re.compile(r"^(?:and |but |then |as |while |when |so |now )?(he|she)\b", re.I)
_ZH_PRON_SUBJ = re.compile(r"^(?:然后|接着|随即|于是|这时|此时|却)?([他她])(?!们)")
_PLURAL_SUBJ = {
    "en": re.compile(r"^(?:and |but |then |as |while |when |so )?(?:they|the (?:two|men|women|pair|"
                     r"couple|three|boys|girls)|both|everyone|all of them)\b", re.I),
    "zh": re.compile(r"^(?:然后|接着|随即)?(?:两人|二人|他们|她们|众人|大家|俩人|三人)"),
}
_PRON_OBJ = {"en": re.compile(r"\b(him|her|them)\b", re.I), "zh": re.compile(r"(?<!其)([他她])(?!们)")}
_EN_PASSIVE = re.compile(r"\b(?:is|was|gets|got|being|are)\s+(?:\w+ly\s+)?(?:slammed|pinned|grabbed|"
                         r"slapped|smacked|pushed|shoved|dragged|choked|punched|kicked|thrown|"
                         r"knocked|seized|restrained|held)\b", re.I)
_AND = {"en": re.compile(r"^\s*(?:,|and|&|,\s*and)\s*$", re.I), "zh": re.compile(r"^[和与跟、同]$")}
_PRONOUN_GENDER = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female",
                   "他": "male", "她": "female"}
_ON_SURFACE = (r"桌上|地上|床头|柜上|台上|放在|掉在|落在|散落", r"\b(?:on|about|across|over) (?:the|a) (?:table|floor|desk|"
               r"bed|ground|counter)\b|\b(?:lies|lying|sits) on\b|\bdrops?\b|\bfalls?\b|strewn|scattered|"
               r"\bhits the (?:floor|ground)\b")


@cache
def _guessed_gender(name: str, lang: str) -> str:
    from aiscript.story.gender import given_name_gender, guess_gender

    return given_name_gender(name) or guess_gender(name, "", lang) or "unknown"  # type: ignore[arg-type]


class _Scene:
    """What the action has said so far in one scene: who was named most recently, the last
    subject, and each person's gender, so a pronoun ("grips her wrist", 扶起他) finds its person."""

    def __init__(self, order: list[str], lang: Language, genders: dict[str, str] | None) -> None:
        self.order, self.lang, self.genders = order, lang, genders or {}
        self.recent: list[str] = []
        self.last: str | None = None

    def seen(self, names) -> None:
        for n in reversed(list(names)):
            if n in self.recent:
                self.recent.remove(n)
            self.recent.insert(0, n)

    def gender(self, name: str) -> str:
        return self.genders.get(name) or _guessed_gender(name, self.lang)

    def resolve(self, word: str | None, exclude) -> str | None:
        """The person a pronoun (or, with ``word`` None, "the other one") stands for: the most
        recently named person of its gender, else of unknown gender, not in ``exclude``."""
        want = _PRONOUN_GENDER.get((word or "").lower())  # a known other gender is never it
        pool = [n for n in dict.fromkeys([*self.recent, *self.order]) if n not in exclude]
        return next((n for n in pool if not want or self.gender(n) in (want, "unknown")), None)


@dataclass
class Reading:
    """What one shot's action says: poses (``poses`` last the scene, ``moment`` only the
    shot), contacts, props, everyone it names or points at, and whether it puts the people
    in a car (and who drives)."""

    poses: dict[str, str] = field(default_factory=dict)
    moment: dict[str, str] = field(default_factory=dict)
    contacts: list[Contact] = field(default_factory=list)
    props: list[Prop] = field(default_factory=list)
    named: list[str] = field(default_factory=list)
    car: bool = False
    driver: str | None = None
    enters: list[str] = field(default_factory=list)  # who comes in or appears in this shot
    away: list[str] = field(default_factory=list)  # who the action keeps off screen


def clauses(text: str, names: list[str], lang: Language) -> list[tuple[str, list[str]]]:
    """The action cut into clauses, each with the characters it names (in order, its subject
    first); a clause naming no one belongs to the last one named (``他转身`` after ``陆远进门``)."""
    return [(part, [*subjects, *(n for n in named if n not in subjects)])
            for part, subjects, named in _clauses(text, names, lang, _Scene(names, lang, None))]


def _clauses(text: str, names: list[str], lang: Language, ctx: _Scene):
    """(clause, subjects, names in it) for each clause; the subject is the name it opens on
    ("Brick and Steel" are both), else a pronoun's person (She, 他), else a role noun's ("the
    patient ... grips her wrist" is about the other person just named), else the last subject."""
    before: list[str] = []
    for part in _CLAUSE.split(text):
        part = part.strip()
        if not part:
            continue
        found = _mentions(part, names, lang)
        named = [n for _, _, n in found]
        subjects: list[str] = []
        if found and _opens(part[: found[0][0]], lang):
            subjects = [found[0][2]]
            for (_, end, _), (start, _, n) in zip(found, found[1:], strict=False):
                if not _AND[lang].match(part[end:start]):
                    break
                subjects.append(n)
        elif _PLURAL_SUBJ[lang].match(part):
            subjects = list(dict.fromkeys([*ctx.recent, *ctx.order]))[:2]
        elif m := (_ZH_PRON_SUBJ if lang == "zh" else _EN_PRON_SUBJ).match(part):
            who = ctx.resolve(m.group(1), ())
            subjects = [who] if who else []
        elif _ROLE_SUBJECT[lang].match(part) and (
                other := next((n for n in before if n != ctx.last), None)):
            subjects = [other]
        elif ctx.last:
            subjects = [ctx.last]
        yield part, subjects, named
        if subjects:
            ctx.last = subjects[0]
        before = [*subjects, *named] or before
        ctx.seen([*subjects, *named])


# a clause whose subject is a role noun, not a name or a pronoun
_ROLE_SUBJECT = {
    "en": re.compile(rf"^(?:and |but |then |as |while |when )?{_EN_ROLES}", re.I),
    "zh": re.compile(r"^(?:那个|这个|那名|这名)?(?:病人|患者|病床上的人|男人|女人|老人|陌生人|伤者|那人)"),
}


def _lang_of(text: str) -> Language:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def read_action(action: str, names: list[str], lang: Language | None = None,
                ) -> tuple[dict[str, str], list[Contact], list[Prop]]:
    """Poses, contacts and props named in one action.

    >>> poses, contacts, props = read_action("NORA grabs JULIAN's wrist. JULIAN lies still.",
    ...                                      ["NORA", "JULIAN"])
    >>> poses, [(c.kind, c.by, c.to) for c in contacts]
    ({'JULIAN': 'lying'}, [('grab', 'NORA', 'JULIAN')])
    """
    lang = lang or _lang_of(action)
    r = read_shot(action, names, lang, _Scene(names, lang, None))
    return r.poses | r.moment, r.contacts, r.props


def read_shot(action: str, names: list[str], lang: Language, ctx: _Scene) -> Reading:
    """One shot's action read in its scene: pronouns ("Steel SMACKS him", 扶起她) and passives
    ("COGNITO is SLAMMED against the wall", 被推倒) find their people."""
    k = 0 if lang == "zh" else 1
    out = Reading()
    for text, subjects, named in _clauses(action, names, lang, ctx):
        subject = subjects[0] if subjects else None
        passive_zh = lang == "zh" and "被" in text
        passive_en = lang == "en" and _EN_PASSIVE.search(text) is not None
        for pose, zh, en in POSES:
            if _rx((zh, en)[k], lang).search(text):
                who = named[-1] if passive_zh and named else subject
                if who:
                    (out.moment if pose == "held" else out.poses)[who] = pose
        objects = [n for n in named if n not in subjects]
        pronoun = _PRON_OBJ[lang].search(text)
        for kind, zh, en in CONTACTS:
            if any(c.kind == kind for c in out.contacts) or not _rx((zh, en)[k], lang).search(text):
                continue
            if passive_zh:  # 林晚被陆远推倒: the one after 被 does it
                cut = text.index("被")
                doers = [n for s0, _, n in _mentions(text, names, lang) if s0 > cut]
                to = next((n for n in named if n not in doers), subject)
                by = doers[0] if doers else None
            elif passive_en:
                to, by = subject, next((n for n in objects if n != subject), None)
            else:
                by, to = subject, objects[0] if objects else None
                if to is None and pronoun and by:
                    to = ctx.resolve(pronoun.group(1), {by, *subjects})
            if kind == "push" and (out.moment.get(subject or "") == "held" and not passive_en):
                continue
            if not (by or to):
                continue
            out.contacts.append(Contact(kind=kind, by=by or "", to=to or ""))
            if to and kind in ("knife_at_throat", "gun_at"):
                out.moment[to] = "held"
            elif to and kind in _SUFFERS and (kind != "push" or passive_en or passive_zh
                                              or re.search(r"wall|墙", text)):
                out.moment[to] = _SUFFERS[kind]
                if by and kind in _DOES:
                    out.moment[by] = _DOES[kind]
        for kind, zh, en in PROPS:
            m = _rx((zh, en)[k], lang).search(text)
            if m and all(p.kind != kind for p in out.props):
                label = _prop_label(text, m, lang)
                lying = _rx(_ON_SURFACE[k], lang).search(text)
                holder = subject if subject and (_rx(_HELD_VERBS[k], lang).search(text)
                                                 or not lying) else None
                if kind in ("knife", "gun") and any(c.kind in ("knife_at_throat", "gun_at")
                                                    for c in out.contacts):
                    holder = next(c.by for c in out.contacts if c.kind in ("knife_at_throat", "gun_at"))
                out.props.append(Prop(kind=kind, label=label, held_by=holder))
        if _rx(_IN_CAR[k], lang).search(text):
            out.car = True
            if wheel := _rx(_AT_WHEEL[k], lang).search(text):  # the name just before it drives
                before = [n for s0, _, n in _mentions(text, names, lang) if s0 < wheel.start()]
                out.driver = before[-1] if before else subject
        if who := [n for n in subjects if n in named]:
            if _rx(_ENTERS[k], lang).search(text):
                out.enters += [n for n in who if n not in out.enters]
            if _rx(_AWAY[k], lang).search(text):
                out.away += [n for n in who if n not in out.away]
        kept = subjects == [ctx.last] and not named and not _PLURAL_SUBJ[lang].match(text) \
            and not (_ZH_PRON_SUBJ if lang == "zh" else _EN_PRON_SUBJ).match(text)
        out.named += [n for n in ([] if kept else subjects) + named if n not in out.named]
    for c in out.contacts:  # whoever a contact reaches is in the moment too
        out.named += [n for n in (c.by, c.to) if n and n not in out.named]
    return out


def _prop_label(text: str, m: re.Match, lang: Language) -> str:
    """The prop as the script names it: ``体检报告``, ``DNA report`` (in English a word that
    names the kind of thing, "DNA", "divorce", "bank", is kept before the noun)."""
    word = m.group(0)
    if lang == "en":
        before = re.findall(r"([A-Za-z]+)\s+$", text[: m.start()])
        if before and before[0].lower() in _EN_KINDS:
            word = f"{before[0]} {word}"
    return word[:18]


_EN_KINDS = {"dna", "divorce", "termination", "bank", "medical", "marriage", "test", "birth",
             "hospital", "police", "wedding", "engagement", "paternity", "wine", "champagne",
             "family", "cell", "lab", "court", "adoption", "insurance", "transfer", "resignation",
             "pregnancy", "autopsy", "property", "land", "diamond", "plane", "train"}


# --------------------------------------------------------------------------- staging a scene


Reframe = Callable[[Shot, list[str], list[str]], None]


def block_scene(scene: Scene, lang: Language | None = None, genders: dict[str, str] | None = None,
                reframe: Reframe | None = None, names: Sequence[str] = (),
                lying: Sequence[str] = ()) -> list[Blocking]:
    """Blocking for every shot of ``scene`` (also set on each shot), keeping one line of action.

    Each character holds one screen side for the whole scene: the first two characters the
    scene names are its principals (screen left, screen right), and anyone else takes the
    side opposite whoever they clash or talk with first. ``reframe(shot, named, cast)`` may
    add to a shot the people its action names (and widen it) before it is staged; ``names``
    (the whole cast) finds people the scene does not list; ``lying`` (who keeps to a bed in the
    story, a patient in a coma) lie from the scene's start unless its action has them get up."""
    order = list(dict.fromkeys([*scene.characters,
                                *(c for sh in scene.shots for c in sh.characters),
                                *(ln.speaker for sh in scene.shots for ln in sh.lines)]))
    principals = order[:2]
    listed = len(order)
    order += [n for n in names if n not in order]
    place = place_type(scene.heading.place, scene.heading.setting)
    heading_view = _view(scene.heading.place)
    lg = lang or _lang_of(scene.heading.place + "".join(
        sh.action + "".join(ln.text for ln in sh.lines) for sh in scene.shots[:4]))
    ctx = _Scene(order, lg, genders)
    readings = []
    for shot in scene.shots:
        r = read_shot(shot.action, order, lg, ctx) if shot.action and not shot.card else Reading()
        for c in r.contacts:  # "他一把抓住她" with no one named: the other one in the moment
            if not c.to:
                c.to = next((n for n in [*shot.characters, *r.named] if n != c.by), "") or \
                    (ctx.resolve(None, {c.by}) or "")
            if not c.by:
                c.by = next((n for n in [*r.named, *shot.characters] if n != c.to), "") or \
                    (ctx.resolve(None, {c.to}) or "")
            r.named += [n for n in (c.by, c.to) if n and n not in r.named]
        r.contacts = [c for c in r.contacts if c.by and c.to and c.by != c.to]
        armed = {(c.by, c.to) for c in r.contacts if c.kind in ("knife_at_throat", "gun_at")}
        r.contacts = [c for c in r.contacts if c.kind in ("knife_at_throat", "gun_at")
                      or (c.by, c.to) not in armed]  # the blade says more than the grab
        ctx.seen(ln.speaker for ln in reversed(shot.lines))
        if shot.lines:  # "Beer flies." after a line: the one who spoke last
            ctx.last = shot.lines[-1].speaker
        readings.append(r)
    absent = _absent(scene.shots, readings)
    sides = _sides(order, scene.shots, readings)
    master = _master_positions(order, sides)
    state: dict[str, str] = {}  # poses carried through the scene
    seen = {*order[:listed], *(n for r in readings for n in r.named)}
    # the story keeps them in bed: lying from the start until the action gets them up
    state |= {name: "lying" for name in lying if name in seen}
    for r in readings:  # someone first seen lying in bed was so from the scene's start
        for name, pose in r.poses.items():
            if name not in state:
                state[name] = "lying" if pose == "lying" else "standing"
    driver: str | None = None
    out = []
    previous: list[str] = []
    for shot, r, gone in zip(scene.shots, readings, absent, strict=True):
        if gone and not shot.card:
            _leave_out(shot, gone, previous or [n for n in order[:listed] if n not in gone][:1])
        if reframe and not shot.card:
            reframe(shot, [n for n in r.named if n not in gone],
                    [n for n in order[:listed] if n not in gone])
        previous = [n for n in shot.characters if n not in gone] or previous
        for name, pose in r.poses.items():
            state[name] = pose
        if r.car and place != "car":
            place = "car"
        if place == "car":
            for name in shot.characters:  # in a car everyone sits
                if state.get(name, "standing") == "standing":
                    state[name] = "sitting"
        driver = r.driver or driver
        props = list(r.props)
        if place == "car" and driver in shot.characters and all(p.kind != "wheel" for p in props):
            props.append(Prop(kind="wheel", label="wheel" if lg == "en" else "方向盘", held_by=driver))
        now = state | r.moment
        view = _view(shot.action) if _POV.search(shot.action or "") else heading_view
        blocking = stage_shot(shot, master, principals, now, r.contacts, props, place, sides)
        blocking.view = view
        shot.blocking = blocking
        out.append(blocking)
    return out


def _absent(shots: list[Shot], readings: list[Reading]) -> list[set[str]]:
    """Who is not in the scene (yet) at each shot. Someone whose first appearance is in an
    action ("In front of everyone, Nora throws...", 叶青扶起浑身是伤的沈宴), not a line of their own,
    is not there before it, so the opening master shows only who is present; someone who
    comes in ("Suddenly Nora is right behind her", 苏念突然出现) is not there in the shots before
    that do not name them; someone the action keeps off screen ("His minion approaches
    offscreen", 画外) is not drawn, nor are their lines, until a later action names them.
    Those the moment after a scene's opening master names are there in the master, unless
    that moment brings them in."""

    first: dict[str, int] = {}
    late: set[str] = set()
    out_now: set[str] = set()
    seen: list[set[str]] = []
    absent: list[set[str]] = []
    for i, (sh, r) in enumerate(zip(shots, readings, strict=True)):
        gone = set(r.away)
        speaks = {ln.speaker for ln in sh.lines if not offscreen(ln)} - gone
        for p in [*r.named, *sorted(speaks), *r.away]:
            if p not in first:
                first[p] = i
                if p in r.named or p in gone:  # arrives by an action, not a line of their own
                    late.add(p)
        on = (set(r.named) | speaks) - gone
        out_now = (out_now - (set(r.named) - gone)) | gone  # their lines play over the others
        absent.append(set(out_now))
        seen.append(on)
        for p in r.enters:
            for j in range(i):
                if p not in seen[j]:
                    absent[j].add(p)
    # the scene's opening master and the moment right after it: who that moment names is in
    # the set already (unless it brings them in), so the master is not of an empty room
    master = len(shots) > 1 and not shots[0].lines and not readings[0].named and \
        shots[0].size in (ShotSize.wide, ShotSize.extreme_wide)
    for p in late:
        if master and first[p] == 1 and p not in readings[1].enters:
            continue
        for j in range(first[p]):
            absent[j].add(p)
    return absent


def _leave_out(shot: Shot, gone: set[str], listeners: list[str]) -> None:
    """``shot`` without the people not there: a two-shot or over-the-shoulder left with one
    person becomes a single; a shot left with no one (the speaker is off screen) frames who
    hears it."""
    kept = [n for n in shot.characters if n not in gone]
    if kept == shot.characters:
        return
    wide = shot.size in (ShotSize.wide, ShotSize.extreme_wide, ShotSize.medium_wide)
    if not kept and not wide and shot.size is not ShotSize.insert:
        kept = [n for n in listeners if n not in gone][:1]
    shot.characters = kept
    if len(kept) < 2 and shot.size in (ShotSize.two_shot, ShotSize.over_the_shoulder):
        shot.size = ShotSize.medium_close_up if shot.lines else ShotSize.medium
        shot.lens_mm = 50


def _view(text: str) -> str:
    """'scope' for a rifle scope's point of view, 'pov' for anyone else's, else ''."""
    if _SCOPE.search(text) and (_POV.search(text) or "scope" in text.lower()):
        return "scope"
    return "pov" if _POV.search(text) else ""


def _sides(order: list[str], shots: list[Shot], readings: list[Reading]) -> dict[str, int]:
    """Each character's screen side for the scene (-1 left, 1 right): the principals first and
    second; anyone else opposite whoever they touch, then talk with, then share a frame with."""
    side: dict[str, int] = {}
    for n, s in zip(order, (-1, 1), strict=False):
        side[n] = s
    partners: dict[str, list[str]] = {n: [] for n in order}

    def pair(a: str, b: str) -> None:
        if a in partners and b in partners and a != b:
            partners[a].append(b)
            partners[b].append(a)

    for r in readings:
        for c in r.contacts:
            pair(c.by, c.to)
    speakers = [ln.speaker for sh in shots for ln in sh.lines]
    for a, b in zip(speakers, speakers[1:], strict=False):
        pair(a, b)
    for sh in shots:
        for a in sh.characters:
            for b in sh.characters:
                pair(a, b)
    for n in order[2:]:
        known = next((p for p in partners[n] if p in side), None)
        if known is not None:
            side[n] = -side[known]
        else:
            side[n] = -1 if sum(side.values()) >= 0 else 1
    return side


def _master_positions(order: list[str], sides: dict[str, int] | None = None) -> dict[str, float]:
    """Where each character stands in the scene's master shot, across the set (0..1): the
    principals at a third from each edge, others further out on their own side."""
    if sides is None:
        slots = [0.3, 0.7, 0.5, 0.12, 0.88, 0.4, 0.6, 0.2, 0.8]
        return {n: slots[i] if i < len(slots) else 0.5 for i, n in enumerate(order)}
    out, count = {}, {-1: 0, 1: 0}
    for n in order:
        s = sides.get(n, -1)
        k = count[s]
        count[s] += 1
        out[n] = 0.5 + s * min(0.46, 0.2 + 0.12 * k)
    return out


def _spread(n: int, lo: float, hi: float) -> list[float]:
    return [round((lo + hi) / 2, 3)] if n == 1 else \
        [round(lo + (hi - lo) * i / (n - 1), 3) for i in range(n)]


def stage_shot(shot: Shot, master: dict[str, float], principals: list[str],
               state: dict[str, str], contacts: list[Contact], props: list[Prop],
               place: str, sides: dict[str, int] | None = None) -> Blocking:
    """One shot's blocking from the scene's sides and master positions, poses so far and this
    shot's contacts and props. Everyone stays on their own side of the frame's centre."""
    sides = sides or {n: (-1 if x <= 0.5 else 1) for n, x in master.items()}
    people = list(dict.fromkeys(shot.characters))  # one placement each
    speaker = shot.lines[0].speaker if shot.lines else None
    size = shot.size
    side = lambda n: sides.get(n, -1 if master.get(n, 0.5) <= 0.5 else 1)  # noqa: E731
    placements: list[Placement] = []
    ots = size is ShotSize.over_the_shoulder and len(people) >= 2
    if ots:
        listener = next((c for c in people if c != speaker), people[1])
        front = speaker if speaker in people else next(c for c in people if c != listener)
        if side(listener) == side(front) or any(c.kind in ("knife_at_throat", "embrace")
                                                for c in contacts):
            ots = False  # no shoulder to look over without crossing the line: side by side
        else:
            people = [listener, front]
    ordered = sorted(people, key=lambda n: master.get(n, 0.5))
    for name in ordered:
        placements.append(Placement(name=name, x=0.5, pose=state.get(name, "standing")))  # type: ignore[arg-type]
    by_name = {p.name: p for p in placements}
    if ots:
        listener, front = people[0], people[1]
        left = side(listener) < 0
        by_name[listener].x, by_name[front].x = (0.1, 0.62) if left else (0.9, 0.38)
        by_name[listener].foreground = True
        by_name[listener].facing = "away"
        by_name[listener].looks_at = front
        by_name[front].looks_at = listener
        by_name[front].facing = "left" if left else "right"
    else:
        lefts = [n for n in ordered if side(n) < 0]
        rights = [n for n in ordered if side(n) > 0]
        wide = size in (ShotSize.wide, ShotSize.extreme_wide, ShotSize.medium_wide)
        both = bool(lefts and rights)
        for group, s in ((lefts, -1), (rights, 1)):
            if not group:
                continue
            if both or wide:
                lo, hi = (0.3, 0.3) if len(group) == 1 else (0.12, 0.42)
            else:
                lo, hi = (0.42, 0.42) if len(group) == 1 else (0.16, 0.44)
            xs = _spread(len(group), lo, hi)
            if s > 0:
                xs = [round(1 - x, 3) for x in reversed(xs)]
            for name, x in zip(group, xs, strict=True):
                by_name[name].x = x
        for c in contacts:  # who touches whom stands next to them, each on their own side
            if c.by in by_name and c.to in by_name:
                a, b = by_name[c.by], by_name[c.to]
                gap = {"knife_at_throat": 0.16, "embrace": 0.12, "kiss": 0.12, "behind": 0.12,
                       "grab": 0.22, "choke": 0.2, "support": 0.24}.get(c.kind, 0.28)
                sa, sb = side(c.by), side(c.to)
                if sa != sb:
                    a.x, b.x = round(0.5 + sa * gap / 2, 3), round(0.5 + sb * gap / 2, 3)
                else:
                    mid = min(max((a.x + b.x) / 2, 0.1 + gap / 2), 0.9 - gap / 2)
                    if sa < 0:
                        mid = min(mid, 0.48 - gap / 2)
                    else:
                        mid = max(mid, 0.52 + gap / 2)
                    o = -1 if master.get(c.by, 0.5) <= master.get(c.to, 0.5) else 1
                    a.x, b.x = round(mid + o * gap / 2, 3), round(mid - o * gap / 2, 3)
        touching = {n for c in contacts for n in (c.by, c.to) if c.by in by_name and c.to in by_name}
        for p in sorted(placements, key=lambda p: p.name in touching, reverse=True):
            if p.name in touching:
                continue  # the ones in contact stay together; anyone else stands clear of them
            s = side(p.name)
            while any(abs(p.x - o.x) < 0.13 for o in placements if o is not p) and \
                    0.06 < p.x + s * 0.13 < 0.94:
                p.x = round(p.x + s * 0.13, 3)
        for p in placements:
            target = _looks_at(p.name, speaker, people, principals, contacts)
            p.looks_at = target
            if target is None:
                p.facing = "camera"
                continue
            tx = by_name[target].x if target in by_name else master.get(target, 0.5)
            ox = p.x if target in by_name else master.get(p.name, 0.5)
            p.facing = "right" if tx > ox else "left" if tx < ox else \
                ("right" if side(p.name) < 0 else "left")
            if any(c.to == p.name and c.kind in ("knife_at_throat", "gun_at", "behind")
                   for c in contacts):
                p.facing = "camera"  # a hostage faces the threat's way out: toward us
            if place == "car" and not contacts and not shot.lines:
                p.facing = "camera"  # in a car, silent, everyone looks out through the windscreen
    framed = set(people)
    if size is not ShotSize.insert:  # an insert shows the hand that holds it, not the person
        props = [p if p.held_by in framed else p.model_copy(update={"held_by": None}) for p in props]
    if props and people and not any(p.held_by for p in props) and len(people) == 1:
        props = [p.model_copy(update={"held_by": people[0]}) for p in props]  # in the hand we see
    return Blocking(people=placements, contacts=[c for c in contacts if c.by in framed or c.to in framed],
                    props=props, line_of_action=principals[:2], place=place)


def _looks_at(name: str, speaker: str | None, people: list[str], principals: list[str],
              contacts: list[Contact]) -> str | None:
    """Whom a character looks at: the one they touch or are touched by, else the speaker
    (or, for the speaker, the listener); alone in frame, the other principal off screen."""
    for c in contacts:
        if c.by == name and c.to:
            return c.to
        if c.to == name:
            return c.by
    if speaker and speaker != name and speaker in people:
        return speaker
    others = [p for p in people if p != name]
    if others:
        return others[0]
    off = [p for p in principals if p != name]
    return off[0] if off else None


def describe(blocking: Blocking) -> str:
    """The blocking in a short English line, for the LLM shot planner and image prompts.

    >>> from aiscript.schema import Blocking, Placement
    >>> describe(Blocking(people=[Placement(name="A", x=0.3, facing="right", pose="sitting")]))
    'A sitting screen left facing right'
    """
    bits = []
    for p in blocking.people:
        where = "foreground, back to camera" if p.foreground else \
            "screen left" if p.x < 0.45 else "screen right" if p.x > 0.55 else "centre"
        face = "" if p.foreground or p.facing == "camera" else f" facing {p.facing}"
        bits.append(f"{p.name} {p.pose} {where}{face}")
    for c in blocking.contacts:
        bits.append(f"{c.by} {CONTACT_WORDS[c.kind]} {c.to}")
    for pr in blocking.props:
        bits.append(f"{pr.kind} in {pr.held_by}'s hand" if pr.held_by else f"{pr.kind} in frame")
    return "; ".join(bits)


CONTACT_WORDS = {"slap": "slaps", "grab": "grabs", "knife_at_throat": "holds a knife to the throat of",
                 "embrace": "embraces", "push": "pushes", "kiss": "kisses",
                 "gun_at": "points a gun at", "choke": "chokes", "support": "helps up",
                 "throw_at": "throws something in the face of", "behind": "stands right behind"}
