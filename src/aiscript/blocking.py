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
from functools import cache

from aiscript.schema import Blocking, Contact, Language, Placement, Prop, Scene, Shot, ShotSize

# --------------------------------------------------------------------------- cue patterns

POSES: list[tuple[str, str, str]] = [  # (pose, zh pattern, en pattern); later ones win a tie
    ("standing", r"站起|起身|站了起来|爬起|站直|站在", r"\b(?:stands?|standing|gets? up|rises|stood)\b"),
    ("sitting", r"坐|轮椅|坐起", r"\b(?:sits?|sitting|seated|sat|wheelchair|sits up)\b"),
    ("lying", r"躺|昏迷|病床上|卧床|不省人事|睡着|植物人",
     r"\b(?:lies|lying|lay|unconscious|coma|comatose|asleep|bedridden|in (?:the|a|his|her) bed)\b"),
    ("kneeling", r"跪", r"\b(?:kneels?|kneeling|knelt|on (?:his|her|their) knees)\b"),
    ("fallen", r"倒在地|摔倒|跌倒|摔在地|瘫倒|倒地|瘫坐在地|跌坐|摔了|昏倒|晕倒",
     r"\b(?:collapses?|falls? to the|fell|sprawl\w*|knocked down|crumples?|faints?)\b"),
    ("held", r"被按|被抓住|被架住|被押|被绑|被拖|被制住|被掐",
     r"\b(?:restrained|pinned|held down|held back|dragged|tied up|forced to)\b"),
]
CONTACTS: list[tuple[str, str, str]] = [
    ("knife_at_throat",
     r"(?:刀|匕首|剪刀|碎玻璃|刀片|刀刃).{0,10}(?:架|抵|横|贴|顶)(?:在|住|着|上).{0,8}(?:脖|喉|颈)|刀架",
     r"\b(?:knife|blade|dagger|razor|shard)\b.{0,40}\b(?:throat|neck)\b"),
    ("gun_at", r"枪.{0,6}(?:对准|指着|抵住|顶住)|(?:拿|举)枪指", r"\b(?:gun|pistol|revolver)\b.{0,30}\b(?:at|to)\b"),
    ("slap", r"扇|耳光|掌掴|一巴掌", r"\bslap\w*"),
    ("embrace", r"抱住|拥抱|搂住|抱紧|相拥|扑进.{0,4}怀|抱在|拥入怀",
     r"\b(?:embrac\w*|hugs?|hugging|holds? \w+ in (?:his|her) arms|pulls? \w+ into (?:a|his|her) (?:hug|arms))\b"),
    ("kiss", r"吻|亲了", r"\bkiss\w*"),
    ("grab", r"抓住|揪住|拽住|拉住|掐住|攥住|扣住|一把拉|按住|扯住|捏住|握住|牵住|牵起",
     r"(?<![-\w])(?:grab\w*|seiz\w*|grips?|yanks?|clutch\w* \w+'s|pins?|chok\w*|catches \w+ by|"
     r"(?:takes?|holds?|squeezes?) [\w ]{1,24}?'s hand)\b"),
    ("push", r"推开|推倒|推了|一推|推搡", r"\b(?:push\w*|shov\w*)\b"),
]
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
    ("glass", r"酒杯|红酒|香槟|杯子|茶杯|杯", r"\b(?:glass|wine|champagne|cup|mug|drink)\b"),
    ("cash", r"支票|银行卡|黑卡|现金|钞票|一沓钱", r"\b(?:cheque|check|cash|money|bills|credit card)\b"),
    ("photo", r"照片|相片|合影", r"\b(?:photo\w*|picture|snapshot)\b"),
    ("bag", r"行李箱|手提包|包包|背包|箱子", r"\b(?:suitcase|handbag|purse|briefcase|bag|luggage)\b"),
    ("jewel", r"玉镯|手镯|项链|玉佩|耳环|吊坠", r"\b(?:necklace|bracelet|pendant|earrings?|locket)\b"),
    ("key", r"钥匙|房卡", r"\b(?:keys?|keycard)\b"),
    ("object", r"U盘|优盘|硬盘|礼盒|锦盒|盒子", r"\b(?:usb stick|flash drive|hard drive|box)\b"),
]
PLACES: list[tuple[str, str]] = [  # (set type, pattern over the heading's place, zh and en)
    ("car", r"车内|车里|车上|出租车|轿车|\bcar\b|taxi|limo|\bvan\b|backseat"),
    ("ward", r"病房|医院|手术|诊室|急诊|ICU|ward|hospital|clinic|\bicu\b|infirmary|surgery"),
    ("banquet", r"宴会|酒会|婚礼|礼堂|会场|晚宴|寿宴|订婚|ballroom|banquet|wedding|gala|party|"
                r"reception|hall\b|正厅|宫殿|殿"),
    ("office", r"办公室|公司|会议室|总裁|集团|写字楼|工位|office|boardroom|conference|lobby|大堂|"
               r"大厅|前台|study|书房"),
    ("street", r"街|路|巷|门口|门外|广场|桥|天台|露台|停车场|院|street|road|alley|sidewalk|"
               r"outside|park|bridge|rooftop|parking|courtyard|terrace|square"),
]
_HELD_VERBS = (r"拿|握|攥|举|递|甩|拍|晃|捏|掏出|抽出|抓着|捧|扔|摔|撕|亮出|揣|按|泼|夺|放进|塞|交给|拎|端",
               r"\b(?:holds?|holding|grips?|waves?|hands?|clutch\w*|rais\w*|slams?|toss\w*|"
               r"throws?|pulls? out|draws?|shows?|produces?|tears?|pockets?|takes?|picks? up)\b")
_CLAUSE = re.compile(r"[。！？；，!?;\n]|(?<!Mr)(?<!Mrs)(?<!Ms)(?<!Dr)(?<!St)(?<!Jr)\.(?=\s|$)")


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


def _mentions(text: str, names: list[str], lang: Language) -> list[tuple[int, str]]:
    """(position, name) of each character named in ``text``, in order."""
    found = []
    for n in names:
        m = _name_rx(n, lang).search(text)
        if m:
            found.append((m.start(), n))
    return sorted(found)


def clauses(text: str, names: list[str], lang: Language) -> list[tuple[str, list[str]]]:
    """The action cut into clauses, each with the characters it names (in order); a clause
    naming no one belongs to the last one named (``他转身`` after ``陆远进门``)."""
    out, last = [], []
    for part in _CLAUSE.split(text):
        part = part.strip()
        if not part:
            continue
        found = _mentions(part, names, lang)
        named = [n for _, n in found]
        # a clause that does not open on a name (把报告甩在唐糖脸上, "then slaps him") keeps
        # the last subject, and whoever it names is the object
        opens = bool(found) and found[0][0] <= (2 if lang == "zh" else 12)
        if last and not opens:
            named = [last[0], *(n for n in named if n != last[0])]
        last = named[:1] or last
        out.append((part, named))
    return out


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
    k = 1 if lang == "zh" else 2
    poses: dict[str, str] = {}
    contacts: list[Contact] = []
    props: list[Prop] = []
    seen_kinds: set[str] = set()
    for text, named in clauses(action, names, lang):
        if not named:
            subject = None
        else:
            subject = named[0]
        # a passive (被) or an object-first clause poses whoever is named last
        passive = lang == "zh" and "被" in text
        for pose, zh, en in POSES:
            if _rx(zh if k == 1 else en, lang).search(text):
                who = named[-1] if passive and named else subject
                if who:
                    poses[who] = pose
        for kind, zh, en in CONTACTS:
            if any(c.kind == kind for c in contacts):
                continue
            if _rx(zh if k == 1 else en, lang).search(text):
                if kind == "push" and poses.get(subject or "") == "held":
                    continue
                by = named[-1] if passive and len(named) > 1 else subject
                to = next((n for n in named if n != by), None)
                if by and to:
                    contacts.append(Contact(kind=kind, by=by, to=to))
                    if kind in ("knife_at_throat", "gun_at"):
                        poses[to] = "held"
                elif by:  # "他一把抓住她": the other one is whoever else is in the shot
                    contacts.append(Contact(kind=kind, by=by, to=""))
        for kind, zh, en in PROPS:
            m = _rx(zh if k == 1 else en, lang).search(text)
            if m and kind not in seen_kinds:
                seen_kinds.add(kind)
                label = _prop_label(text, m, lang)
                holder = subject if subject and _rx(_HELD_VERBS[0 if k == 1 else 1], lang).search(
                    text) else None
                if kind in ("knife", "gun") and any(c.kind in ("knife_at_throat", "gun_at")
                                                    for c in contacts):
                    holder = next(c.by for c in contacts if c.kind in ("knife_at_throat", "gun_at"))
                props.append(Prop(kind=kind, label=label, held_by=holder))
    return poses, contacts, props


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


def block_scene(scene: Scene, lang: Language | None = None) -> list[Blocking]:
    """Blocking for every shot of ``scene`` (also set on each shot), keeping one line of action.

    The principals are the first two characters the scene names; the first holds screen left
    in every shot, the second screen right."""
    order = list(dict.fromkeys([*scene.characters,
                                *(c for sh in scene.shots for c in sh.characters),
                                *(ln.speaker for sh in scene.shots for ln in sh.lines)]))
    principals = order[:2]
    master = _master_positions(order)
    place = place_type(scene.heading.place, scene.heading.setting)
    state: dict[str, str] = {}  # poses carried through the scene
    out = []
    for shot in scene.shots:
        text = shot.action
        lg = lang or _lang_of(text + "".join(ln.text for ln in shot.lines))
        poses, contacts, props = read_action(text, order, lg) if text and not shot.card else ({}, [], [])
        for c in contacts:
            if not c.to:  # the one touched is the other person framed
                c.to = next((n for n in shot.characters if n != c.by), "")
        contacts = [c for c in contacts if c.to]
        armed = {(c.by, c.to) for c in contacts if c.kind in ("knife_at_throat", "gun_at")}
        contacts = [c for c in contacts if c.kind in ("knife_at_throat", "gun_at")
                    or (c.by, c.to) not in armed]  # the blade says more than the grab
        for c in contacts:
            if c.kind in ("knife_at_throat", "gun_at"):
                poses[c.to] = "held"
        for name, pose in poses.items():
            if pose != "held":  # held lasts the shot; the other poses last until changed
                state[name] = pose
        now = state | {n: p for n, p in poses.items() if p == "held"}
        blocking = stage_shot(shot, master, principals, now, contacts, props, place)
        shot.blocking = blocking
        out.append(blocking)
    return out


def _master_positions(order: list[str]) -> dict[str, float]:
    """Where each character stands in the scene's master shot, across the set (0..1)."""
    slots = [0.3, 0.7, 0.5, 0.12, 0.88, 0.4, 0.6, 0.2, 0.8]
    return {n: slots[i] if i < len(slots) else 0.5 for i, n in enumerate(order)}


def stage_shot(shot: Shot, master: dict[str, float], principals: list[str],
               state: dict[str, str], contacts: list[Contact], props: list[Prop],
               place: str) -> Blocking:
    """One shot's blocking from the scene's master positions, poses so far and this shot's
    contacts and props."""
    people = list(shot.characters)
    speaker = shot.lines[0].speaker if shot.lines else None
    size = shot.size
    placements: list[Placement] = []
    if size is ShotSize.over_the_shoulder and len(people) >= 2:
        listener = next((c for c in people if c != speaker), people[1])
        front = speaker if speaker in people else next(c for c in people if c != listener)
        people = [listener, front]
    ordered = sorted(people, key=lambda n: master.get(n, 0.5))
    n = len(ordered)
    for name in ordered:
        placements.append(Placement(name=name, x=0.5, pose=state.get(name, "standing")))  # type: ignore[arg-type]
    by_name = {p.name: p for p in placements}
    if size is ShotSize.over_the_shoulder and len(people) >= 2:
        listener, front = people[0], people[1]
        left = master.get(listener, 0.5) <= master.get(front, 0.5)
        by_name[listener].x, by_name[front].x = (0.1, 0.62) if left else (0.9, 0.38)
        by_name[listener].foreground = True
        by_name[listener].facing = "away"
        by_name[listener].looks_at = front
        by_name[front].looks_at = listener
        by_name[front].facing = "left" if left else "right"
    else:
        if n == 1:
            by_name[ordered[0]].x = 0.5
        else:
            span = (0.3, 0.7) if n == 2 else (0.15, 0.85)
            for i, name in enumerate(ordered):
                by_name[name].x = round(span[0] + (span[1] - span[0]) * i / (n - 1), 3)
        for c in contacts:  # who touches whom stands next to them, on their own side
            if c.by in by_name and c.to in by_name:
                a, b = by_name[c.by], by_name[c.to]
                gap = {"knife_at_throat": 0.16, "embrace": 0.12, "kiss": 0.12,
                       "grab": 0.14}.get(c.kind, 0.2)
                mid = (a.x + b.x) / 2
                side = -1 if master.get(c.by, 0.5) <= master.get(c.to, 0.5) else 1
                a.x, b.x = round(mid + side * gap / 2, 3), round(mid - side * gap / 2, 3)
        for p in placements:
            target = _looks_at(p.name, speaker, people, principals, contacts)
            p.looks_at = target
            if target is None:
                p.facing = "camera"
                continue
            tx = by_name[target].x if target in by_name else master.get(target, 0.5)
            ox = p.x if target in by_name else master.get(p.name, 0.5)
            p.facing = "right" if tx > ox else "left" if tx < ox else "camera"
            if any(c.to == p.name and c.kind in ("knife_at_throat", "gun_at") for c in contacts):
                p.facing = "camera"  # a hostage faces the threat's way out: toward us
        if n == 1 and placements[0].facing in ("left", "right"):
            # looking room: a single sits off centre, away from where they look
            placements[0].x = 0.42 if placements[0].facing == "right" else 0.58
    framed = set(people)
    props = [p if p.held_by in framed else p.model_copy(update={"held_by": None}) for p in props]
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
                 "gun_at": "points a gun at"}
