"""The season planner: story state for a whole season, before a word of dialogue.

From the bible (cast, places, genre secret) it plans who wants what, the secrets (who hides
each, who knows it, the one episode it comes out: the big one just after the paywall), and one
event per episode along the arc: setup, escalation, the paywall turn, the reveal, the
counter-attack, the climax and the resolution. No event happens twice; the inciting event is
episode 1's alone; later episodes call back to earlier ones; each episode's ending sets up the
next one's event. Both writers work from this plan (``SeasonPlan.events``, ``.secrets``,
``.goals``).

>>> from aiscript.drafting.template import TemplateWriter
>>> from aiscript.schema import Premise
>>> plan = TemplateWriter().plan(Premise(text="林晚被未婚夫抛弃后闪婚了顾言。", language="zh",
...                                      episodes=12)).plan
>>> [e.stage for e in plan.events][:3], plan.events[-1].kind
(['setup', 'paywall', 'reveal'], 'finale')
>>> big = next(s for s in plan.secrets if s.big)
>>> big.reveal_episode == plan.paywall_episode + 1
True
"""

from __future__ import annotations

import json
import math
import random
import re
from functools import cache
from typing import Any

from aiscript.craft import data_dir, invalid_seed, seed_json
from aiscript.errors import AiscriptError
from aiscript.schema import (
    Beat,
    Block,
    Brief,
    EpisodeOutline,
    EpisodeState,
    Goal,
    Language,
    Secret,
    SeriesBible,
    StoryEvent,
    Thread,
)
from aiscript.story.bible import premise_bank, said_places
from aiscript.story.brief import lives_in_family_house
from aiscript.story.custody import advance
from aiscript.story.gender import mirror
from aiscript.story.props import fits

# kind -> (stage, instigator, target, witness, who turns the scene)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "inciting": ("setup", "villain", "hero", "love"),
    "first_clash": ("setup", "villain", "hero", "ally"),
    "elder_scorn": ("setup", "elder", "hero", "villain"),
    "frame_up": ("escalation", "villain", "hero", "elder"),
    "rumour": ("escalation", "villain", "hero", "ally"),
    "stolen_credit": ("escalation", "villain", "hero", "elder"),
    "sabotage": ("escalation", "villain", "hero", "ally"),
    "eviction": ("escalation", "elder", "hero", "villain"),
    "threat_ally": ("escalation", "villain", "ally", "hero"),
    "misunderstanding": ("escalation", "villain", "love", "hero"),
    "public_stand": ("paywall", "villain", "hero", "ally"),
    "big_reveal": ("reveal", "villain", "hero", "elder"),
    "evidence": ("counter", "hero", "villain", "ally"),
    "expose": ("counter", "hero", "villain", "elder"),
    "turn_tables": ("counter", "hero", "villain", "love"),
    "win_witness": ("counter", "hero", "elder", "ally"),
    "last_gambit": ("climax", "villain", "hero", "ally"),
    "showdown": ("climax", "hero", "villain", "elder"),
    "finale": ("resolution", "hero", "villain", "love"),
    # the lead's job in the story: the villain turns it against her, or it hands her an edge
    "work_trouble": ("escalation", "villain", "hero", "ally"),
    "work_lead": ("counter", "hero", "villain", "ally"),
    # the villain once she is suspected or exposed: she cannot scheme in public any more
    "sympathy_ploy": ("escalation", "villain", "elder", "hero"),
    "destroy_evidence": ("escalation", "villain", "hero", "ally"),
    "hired_attack": ("escalation", "villain", "ally", "hero"),
    "flight": ("escalation", "villain", "hero", "love"),
    "frame_back": ("escalation", "villain", "hero", "love"),
    "lure": ("escalation", "villain", "love", "hero"),
    "accomplice_turns": ("counter", "hero", "villain", "ally"),
    "family_council": ("counter", "elder", "villain", "hero"),
    "private_talk": ("counter", "hero", "villain", "ally"),
    "ally_doubt": ("escalation", "ally", "hero", "love"),
    "trap_set": ("counter", "hero", "villain", "love"),
    "witness_gone": ("escalation", "villain", "hero", "ally"),
    # the lead and the love interest, a step closer
    "closer": ("counter", "love", "hero", "ally"),
}
# Kinds that can play in a home: the rest need a public place (a crowd, a stage, a screen).
PRIVATE_OK = {"eviction", "threat_ally", "misunderstanding", "evidence", "win_witness",
              "last_gambit", "finale", "work_trouble", "work_lead", "sympathy_ploy",
              "destroy_evidence", "hired_attack", "flight", "closer", "frame_back", "lure",
              "accomplice_turns", "family_council", "private_talk", "ally_doubt", "trap_set",
              "witness_gone"}
_PRIVATE = ("出租屋", "公寓", "宿舍", "家", "卧室", "房间", "flat", "apartment", "home", "bedroom",
            "dorm", "room")
# places open to the sky: a banquet, a hearing or a family council does not play under an
# overpass (kinds whose ``where`` is ``indoors`` get the season's other places)
OUTDOOR = ("街", "门口", "门外", "楼下", "墓园", "天台", "花园", "操场", "路", "桥", "后门", "后巷",
           "车道", "停车场", "落客区", "摊位", "卸货区", "工地", "street", "steps", "rooftop",
           "garden", "bleachers", "courtyard", "overpass", "alley", "car park", "driveway",
           "gate", "corner", "stall", "petrol station", "loading bay", "building site",
           "drop-off", "cemetery", "outside", "烧毁", "burnt-out")  # a burnt shell is open


def outdoors(place: str) -> bool:
    """Whether a place is open to the sky.

    >>> outdoors("高架桥下"), outdoors("the hospital rooftop"), outdoors("老宅客厅")
    (True, True, False)
    """
    return any(k in place for k in OUTDOOR)


SETUP = ("first_clash", "elder_scorn")
ESCALATION = ("frame_up", "rumour", "stolen_credit", "sabotage", "eviction", "threat_ally",
              "misunderstanding", "work_trouble", "sympathy_ploy", "destroy_evidence",
              "hired_attack", "flight", "frame_back", "lure", "ally_doubt", "witness_gone")
COUNTER = ("evidence", "expose", "turn_tables", "win_witness", "work_lead", "closer",
           "accomplice_turns", "family_council", "private_talk", "trap_set")
# kinds only a villain still in the family's good graces can play (a public scheme, a frame)
_UNEXPOSED = {"first_clash", "frame_up", "rumour", "stolen_credit", "sabotage",
              "misunderstanding", "work_trouble", "public_stand", "eviction", "elder_scorn"}
# kinds that need the villain trusted in the family's house and at the love interest's side
# (a credit taken or a frame-up played before the elder, a word in his ear): not once the
# elder has barred her at the big reveal
_IN_THE_HOUSE = {"frame_up", "stolen_credit", "misunderstanding"}
# kinds of a cornered villain: only once her crime is out
_CORNERED = {"destroy_evidence", "hired_attack", "flight", "lure",
             "accomplice_turns", "family_council", "private_talk", "ally_doubt", "trap_set",
             "witness_gone"}
# kinds of a villain suspected but not proven: once the police hold proof of her crime they
# no longer take her word, so she cannot have the lead arrested
_SUSPECTED_ONLY = {"frame_back"}
_NOT_BEFORE = {"lure": 0.6, "frame_back": 0.65, "private_talk": 0.7,
               "ally_doubt": 0.7, "witness_gone": 0.75, "trap_set": 0.8}
# kinds the love interest must be up and about for
_NEEDS_LOVE = {"misunderstanding", "closer", "lure", "frame_back"}
# an attack leaves a mark: the next episode deals with who was hurt
ATTACKS = {"hired_attack": "ally", "last_gambit": "hero"}
# how often a kind may play in a season: a villain runs once, she is not caught burning
# papers every week
MAX_TIMES = {"flight": 1, "expose": 1, "sympathy_ploy": 2, "hired_attack": 1,
             "destroy_evidence": 2, "misunderstanding": 2, "work_trouble": 2, "closer": 2,
             "work_lead": 2, "frame_back": 1, "lure": 1, "accomplice_turns": 1,
             "family_council": 1, "private_talk": 2, "threat_ally": 4, "evidence": 5,
             "turn_tables": 5, "ally_doubt": 1, "trap_set": 1, "witness_gone": 1}
CLIMAX = ("last_gambit", "showdown")


@cache
def story_bank() -> dict[str, Any]:
    """The story banks (``seeds/story.json``): events, line parts, props, per language."""
    bank = seed_json("story.json")
    try:
        for lang in ("zh", "en"):
            missing = {"props", "goals", "secrets", "inciting", "kinds", "lines",
                       "cliff_actions", "establish", "reveal"} - set(bank[lang])
            if missing or set(KINDS) - set(bank[lang]["kinds"]):
                raise ValueError(f"{lang}: missing {sorted(missing or set(KINDS))}")
    except (ValueError, KeyError) as exc:
        raise invalid_seed("story.json", exc) from None
    return bank


class Slots(dict):
    """Text slots: the cast by role id, and whatever the moment adds (place, prop, ...)."""

    def fill(self, text: str, lang: Language, male_lead: bool) -> str:
        if male_lead:
            text = mirror(text, lang)
        if "{at_place" in text or "{place_said" in text or "{venue}" in text:  # said aloud
            text = said_places(text, self, lang)
        for key, value in self.items():
            value = str(value)
            if lang == "en" and key.startswith("place"):  # "a bridal boutique" once known
                value = re.sub(r"^(?:[Aa]n?) ", "the " if key == "place" else "The ", value)
            text = text.replace("{" + key + "}", value)
        return articles(text) if lang == "en" else text


# "a" before a vowel sound once a slot is filled ("a {prop}" with "old photograph"); words whose
# vowel is said as "you" or "wun" keep "a" (a one-way ticket, a USB stick, a university)
_A_BEFORE_VOWEL = re.compile(r"\b([Aa]) (?=[aeiouAEIOU])(?!(?:one|once|uni|use|usu|usb|USB|eu|Eu|ur)\w*)")


def articles(text: str) -> str:
    """``a`` made ``an`` before a vowel sound.

    >>> articles("You think a old photograph and a original contract scare me? A USB stick.")
    'You think an old photograph and an original contract scare me? A USB stick.'
    """
    return _A_BEFORE_VOWEL.sub(lambda m: m.group(1) + "n ", text)


def cast_slots(bible: SeriesBible) -> Slots:
    return Slots({c.id: c.name for c in bible.characters})


def male_lead(bible: SeriesBible) -> bool:
    return bible.characters[0].gender == "male"


def stage_kinds(n: int, total: int, paywall: int, reveal: int) -> str:
    """The arc stage of episode ``n``."""
    if n == 1:
        return "setup"
    if n == total and total >= 3:
        return "resolution"
    if n == paywall:
        return "paywall"
    if n == reveal:
        return "reveal"
    if n < paywall:
        return "setup" if n <= max(2, paywall // 3) else "escalation"
    if total >= 6 and n >= total - 2:  # the villain's last gambit, then the showdown
        return "climax"
    return "counter" if (n - reveal) % 2 == 0 else "escalation"


def plan_story(bible: SeriesBible, total: int, paywall: int, reveal_after: int,
               rng: random.Random, *, exposes: set[int] | frozenset[int] = frozenset(),
               bedbound_until: int = 0, job: bool = True,
               states: list[EpisodeState] | None = None,
               where: dict[str, list[str]] | None = None, brief: Brief | None = None,
               ) -> tuple[list[Goal], list[Secret], list[StoryEvent], list[EpisodeOutline]]:
    """Goals, secrets, one event per episode, and the outlines that carry them. ``exposes``:
    episodes where a thread's reveal makes the villain's crime public; ``bedbound_until``: the
    last episode the love interest keeps to his bed; ``states`` (filled when given): where
    the story stands as each episode opens; ``where``: the places of a kind of scene (the
    lead's ``work``, the ``family`` house) for kinds that name one."""
    lang = bible.language
    slots, male = cast_slots(bible), male_lead(bible)
    # the bank as this premise may use it: lines gated by its situation, its relations bible
    bank = premise_bank(lang, brief, dict(slots), genre=bible.genre, text=bible.premise.text)
    # a prop tied to a world (a prenup, a design portfolio) only where the genre is that world
    props = [p for p in bank["props"] if bible.genre in p.get("genres", [bible.genre])]
    rng.shuffle(props)
    reveal = min(total, paywall + max(1, reveal_after))
    goals = [Goal(character=c.id, goal=slots.fill(bank["goals"][c.id], lang, male),
                  relations={k: slots.fill(v, lang, male)
                             for k, v in bank["relations"].get(c.id, {}).items()})
             for c in bible.characters]
    secrets = _secrets(bible, bank, total, paywall, reveal, props, rng)

    stages = [stage_kinds(n, total, paywall, reveal) for n in range(1, total + 1)]
    events: list[StoryEvent] = []
    decks: dict[str, list[str]] = {}
    seen: set[tuple[str, str, str]] = set()
    state = StoryState(total, exposes, bedbound_until, job,
                       evicted=brief is not None and "evicted" in brief.backstory,
                       names_villain=any(s.big and s.owner == "villain" for s in secrets),
                       at_home=lives_in_family_house(brief))
    hurt = ""
    for n, stage in enumerate(stages, start=1):
        if states is not None:
            states.append(EpisodeState(episode=n, villain=state.villain,
                                       elder="with_lead" if state.elder_won else "against",
                                       hurt=hurt, custody=state.custody))
        state.hurt = hurt
        kind = _kind_for(n, stage, total, decks, rng, state)
        state.happen(kind, n)
        hurt = ATTACKS.get(kind, "")
        _, instigator, target, _ = KINDS[kind]
        spec = bank["kinds"][kind]
        places = [p for p in (where or {}).get(spec.get("where", ""), []) if p in bible.places]
        places = places or bible.places
        work = [p for p in (where or {}).get("work", []) if p in bible.places]
        if state.barred and kind != "big_reveal" and n <= bedbound_until and work and \
                "villain" in KINDS[kind][1:3]:
            # barred from his bedside (he lies at the lead's ward): her scenes play elsewhere
            places = [p for p in places if p != work[0]] or places
        try:
            place, prop, variant = _staging(spec, kind, places, _finale_props(kind, events, props),
                                            seen, n)
        except AiscriptError:  # no telling of the verdict fits that object: another one
            place, prop, variant = _staging(spec, kind, places, props, seen, n)
        if "script" in bank["kinds"][kind]:  # a written scene: each telling before any again
            variant = (state.times.get(kind, 1) - 1) % len(bank["kinds"][kind]["hook"])
        secret = next((s.id for s in secrets if s.reveal_episode == n), None)
        ev_slots = Slots(slots, place=place, prop=prop,
                         secret=next((s.text for s in secrets if s.id == secret), ""))
        summary = ev_slots.fill(bank["kinds"][kind]["summary"], lang, male)
        if kind == "inciting":
            summary = bible.premise.text.strip()
        events.append(StoryEvent(
            id=f"e{n:03d}-{kind}", episode=n, stage=stage,
            kind=kind, summary=summary, instigator=instigator, target=target, place=place,
            prop=prop, secret=secret, variant=variant))
    titles: set[str] = set()
    refs: dict[int, int] = {}
    outlines = [_outline(bible, bank, ev, events, paywall, titles, refs,
                         love_away=ev.episode <= bedbound_until) for ev in events]
    return goals, secrets, events, outlines


def _secrets(bible, bank, total, paywall, reveal, props, rng) -> list[Secret]:
    lang = bible.language
    slots, male = cast_slots(bible), male_lead(bible)
    out: list[Secret] = []
    if total >= 2:
        big_text = bible.tropes[-1] if bible.tropes else ""
        # the villain hides a secret about the villain (a device's twist); else the love does
        owner = "villain" if slots.get("villain", "\0") in big_text else "love"
        out.append(Secret(id="s1", text=big_text, owner=owner, known_by=[owner, "elder"],
                          reveal_episode=reveal, big=True))
    # the others come out on counter-attack episodes spread over the back of the season
    counters = [n for n in range(reveal + 1, total)
                if stage_kinds(n, total, paywall, reveal) == "counter"]
    pool = list(bank["secrets"])
    rng.shuffle(pool)
    wanted = [round(len(counters) * f) for f in (0.3, 0.65, 0.95)] if len(counters) >= 3 else []
    for i, k in enumerate(sorted(set(wanted))):
        if i >= len(pool) or k >= len(counters):
            break
        spec = pool[i]
        text = Slots(slots, prop=props[-1 - i]["name"]).fill(spec["text"], lang, male)
        out.append(Secret(id=f"s{len(out) + 1}", text=text, owner=spec["owner"],
                          known_by=[spec["owner"]], reveal_episode=counters[k]))
    return out


class StoryState:
    """What has happened so far, and so what may happen next.

    The villain is hidden, then suspected once the big secret is out, then exposed once her
    crime is public (a thread's reveal that names her, or the expose): an exposed villain is
    not exposed again as news, schemes no more in public and has lost the elder's ear; she
    plays a cornered villain's moves (destroys evidence, sends someone, runs) until the
    showdown arrests her. An elder who has come round (won over, or the villain exposed) does
    not scorn, summon or evict the lead again. The love interest in a coma plays no scene that
    needs him up.

    >>> st = StoryState(total=60)
    >>> st.allows("hired_attack", 20), st.allows("frame_up", 20)
    (False, True)
    >>> st.happen("expose", 30)
    >>> st.villain, st.elder_won, st.allows("hired_attack", 31), st.allows("frame_up", 31)
    ('exposed', True, True, False)
    >>> st.allows("expose", 40), st.allows("eviction", 40)
    (False, False)

    The big secret told with its proof before the family, when it is the villain's doing,
    turns the elder there and then: she bars the villain, who no longer schemes in the house,
    and does not scorn the lead afterwards.

    >>> st = StoryState(total=60, names_villain=True)
    >>> st.happen("big_reveal", 10)
    >>> st.villain, st.elder_won, st.allows("elder_scorn", 11), st.allows("stolen_credit", 11)
    ('suspected', True, False, False)
    """

    def __init__(self, total: int = 0, exposes: set[int] | frozenset[int] = frozenset(),
                 bedbound_until: int = 0, job: bool = True, evicted: bool = False,
                 names_villain: bool = False, at_home: bool = True) -> None:
        self.total = total
        self.evicted = evicted  # the premise threw the lead out before the story starts
        # the lead lives in the family house (story.brief.lives_in_family_house): only then
        # can she be thrown out of it
        self.at_home = at_home and not evicted
        # the big secret is the villain's doing: told before the family at the big reveal,
        # with the proof, it turns the elder (she bars the villain there and then)
        self.names_villain = names_villain
        self.barred = False       # the elder has shut the villain out (the big reveal)
        self.exposes = set(exposes)     # episodes where a thread's reveal names the villain
        self.bedbound_until = bedbound_until
        self.job = job
        self.villain = "hidden"
        self.elder_won = False    # the elder has apologised / sided with the lead
        self.done: set[str] = set()
        self.times: dict[str, int] = {}
        self.hurt = ""
        self.custody = "free"     # the villain and the police (aiscript.story.custody)

    @property
    def exposed(self) -> bool:
        return self.villain in ("exposed", "arrested")

    def allows(self, kind: str, n: int = 0) -> bool:
        long = self.total >= 20
        if self.hurt and self.hurt in KINDS.get(kind, ())[1:]:
            return False  # who was hurt last episode is in hospital, not in the next fight
        if long and self.times.get(kind, 0) >= MAX_TIMES.get(kind, 99):
            return False
        if kind == "expose" and (self.exposed or long and n < self.total * 0.4):
            return False  # exposed once, at the midpoint of a long season
        if kind in ("eviction", "elder_scorn", "win_witness") and self.elder_won:
            return False
        if kind == "eviction" and (self.evicted or not self.at_home):
            return False  # thrown out before the story starts, or never lived there
        if kind in _UNEXPOSED and self.exposed:
            return False
        if kind in _IN_THE_HOUSE and self.barred:
            return False  # shut out of the house: she schemes from outside it
        if kind in _CORNERED and (not self.exposed or not long):
            return False
        if kind in _SUSPECTED_ONLY and (self.villain != "suspected" or not long):
            return False
        if kind == "flight" and n < self.total * 0.9:
            return False  # she runs only in the dark stretch before the end
        if n < self.total * _NOT_BEFORE.get(kind, 0):
            return False  # the cornered villain's moves spread over the stretch
        if kind == "family_council" and not self.elder_won:
            return False
        if kind == "flight" and n != self.total - 3:
            return False  # she runs the night before her last gambit, and is caught
        if kind == "sympathy_ploy" and (self.villain == "hidden" or not long):
            return False
        if kind in _NEEDS_LOVE and n <= self.bedbound_until:
            return False
        if kind in ("work_trouble", "work_lead", "closer") and not long:
            return False  # a short season keeps to its spine
        if kind in ("work_trouble", "work_lead") and not self.job:
            return False
        return True

    def happen(self, kind: str, n: int = 0) -> None:
        self.done.add(kind)
        self.times[kind] = self.times.get(kind, 0) + 1
        was = self.exposed
        if kind == "big_reveal" and self.villain == "hidden":
            self.villain = "suspected"
        if kind == "big_reveal" and self.names_villain:
            self.barred = True
        self.custody = advance(self.custody, kind, not was and (kind == "expose" or n in
                                                                 self.exposes),
                               self.total >= 20)
        if kind in ("expose", "showdown") or n in self.exposes:
            self.villain = "exposed" if self.villain != "arrested" else "arrested"
        if kind == "showdown":
            self.villain = "arrested"
        if kind in ("win_witness", "sympathy_ploy") or self.exposed or \
                kind == "big_reveal" and self.names_villain:
            self.elder_won = True  # won over, or the villain's act seen through


def _kind_for(n: int, stage: str, total: int, decks: dict[str, list[str]],
              rng: random.Random, state: StoryState | None = None) -> str:
    fixed = {"resolution": "finale", "paywall": "public_stand", "reveal": "big_reveal"}
    if n == 1:
        return "inciting"
    if stage in fixed:
        return fixed[stage]
    pool = {"setup": SETUP, "escalation": ESCALATION, "counter": COUNTER, "climax": CLIMAX}[stage]
    if state is not None and state.exposed and stage in ("escalation", "counter"):
        stage, pool = "endgame", ESCALATION + COUNTER  # her moves and the lead's, one deck
        if state.allows("flight", n):
            return "flight"
        if n >= total * 0.55 and state.allows("hired_attack", n) and \
                not state.times.get("hired_attack"):
            return "hired_attack"  # the ally pays for standing with her, once a season
    if stage == "climax":
        return "last_gambit" if n == total - 2 else "showdown"
    deck = decks.setdefault(stage, [])
    for _ in range(3):
        if not deck:  # walk a fresh shuffle of the stage's kinds: every kind before any repeats
            deck.extend(rng.sample(pool, len(pool)))
        for k in range(len(deck) - 1, -1, -1):
            if state is None or state.allows(deck[k], n):
                return deck.pop(k)
        deck.clear()
    if stage == "counter":
        return ("evidence", "turn_tables")[n % 2]
    if state is not None and state.exposed:  # the written moves are spent: the least played
        return min(("threat_ally", "evidence", "turn_tables"),
                   key=lambda k: (state.times.get(k, 0), k))
    return "rumour"


def _finale_props(kind: str, events: list[StoryEvent], props: list[dict]) -> list[dict]:
    """The props an event may turn on. The verdict turns on the evidence that won the showdown
    (planted before it, seen there), not on an object the season never showed."""
    if kind != "finale":
        return props
    won = next((e.prop for e in reversed(events) if e.kind == "showdown" and e.prop), None)
    return [p for p in props if p["name"] == won] or props


def _staging(spec: dict, kind: str, places: list[str], props: list[dict],
             seen: set[tuple[str, str, str]], n: int) -> tuple[str, str, int]:
    """Place, prop and telling for an event: a combination this kind has not played, with a
    prop its telling can handle (only papers tear, only a recorder plays back, only a bank
    statement's payments are read out). Episode 1
    happens where the premise does."""
    hooks, turns = spec["hook"], spec.get("turn") or [{}]
    fallback = None
    # walk the props with a stride that visits them all (7 over 21 props would cycle three)
    step = next(s for s in (7, 5, 11, 13, 1) if math.gcd(s, len(props)) == 1)
    for k in range(len(places) * len(props) * len(hooks)):
        variant = (n + k // (len(places) * len(props))) % len(hooks)
        place = places[0] if n == 1 else places[(n + k) % len(places)]
        prop = props[(n * step + k) % len(props)]
        if not all(fits(t, prop["kind"], prop.get("sort", ""))
                   for t in (hooks[variant], turns[variant % len(turns)])):
            continue
        if kind not in PRIVATE_OK and n > 1 and any(w in place for w in _PRIVATE):
            continue
        if (kind, place, prop["name"]) not in seen:
            seen.add((kind, place, prop["name"]))
            return place, prop["name"], variant
        fallback = fallback or (place, prop["name"], variant)
    if fallback:  # every combination played: one again, rather than no season
        return fallback
    raise AiscriptError("the season is too long for the story banks", "ask for fewer episodes")


@cache
def _more_titles() -> dict[str, dict[str, list[str]]]:
    """Titles by what happens (``seeds/titles.json``); none when the file is absent."""
    path = data_dir("seeds") / "titles.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _by_event_first(titles: list[str]) -> list[str]:
    """Titles that name what happens before those that name the object it turns on
    (找到了 before 药瓶风波)."""
    return [t for t in titles if "{prop" not in t] + [t for t in titles if "{prop" in t]


_HIM = re.compile(r"^他|^\{love\}|\bHe\b|\bHis\b")


def _title(bank, kind: str, s: Slots, lang: Language, male: bool, n: int, used: set[str],
           love_away: bool = False) -> str:
    """The first of the kind's titles that names what happens, then more of those, then the
    generic ones, that no episode has yet; a title naming the event's object comes last. While
    the love interest keeps to his bed, no title has him doing it ("He Took Her Side")."""
    own = bank["kinds"][kind]["title"]
    if love_away:
        own = [t for t in own if not _HIM.search(t)] or own
    more = _more_titles().get(lang, {}).get(kind, [])
    order = [t for t in own if "{prop" not in t] + more + \
        [t for t in own if "{prop" in t] + _by_event_first(bank["titles_fallback"])
    for t in order:
        title = s.fill(t, lang, male)
        title = _title_case(title) if lang == "en" else title
        if title not in used and "{" not in title:
            used.add(title)
            return title
    title = s.fill(bank["titles_fallback"][0], lang, male) + f" ({n})"
    used.add(title)
    return title


def _outline(bible, bank, ev: StoryEvent, events, paywall, titles: set[str],
             refs: dict[int, int], love_away: bool = False) -> EpisodeOutline:
    lang = bible.language
    slots, male = cast_slots(bible), male_lead(bible)
    kind = bank["kinds"][ev.kind]
    s = Slots(slots, place=ev.place, prop=ev.prop, prop_t=_title_case(ev.prop),
              place_t=_title_case(ev.place))
    change = s.fill(kind["change"], lang, male)
    n = ev.episode
    callback = _callback(n, events, refs)
    beats = [Beat(kind="hook", t=0.0, note=s.fill(kind["hook"][ev.variant]["action"], lang, male))]
    beats.append(Beat(kind="pivot", t=12.0, note=ev.summary))
    turns = kind.get("turn") or kind["hook"]
    beats.append(Beat(kind="twist", t=30.0,
                      note=s.fill(turns[ev.variant % len(turns)]["action"], lang, male)))
    beats.append(Beat(kind="push", t=60.0, note=change))
    nxt = events[n] if n < len(events) else None
    beats.append(Beat(kind="cliffhanger", t=85.0,
                      note=nxt.summary if nxt else s.fill(bank["finale_action"], lang, male)))
    # no two beats of an episode share a note (a writer given the same note twice repeats it):
    # a repeated one takes the kind's other tellings, else its memory, else who witnesses it
    spares = [s.fill(x["action"], lang, male) for x in [*turns, *kind["hook"]]]
    spares += [s.fill(kind["memory"], lang, male)] if kind.get("memory") else []
    witness = slots.get(KINDS[ev.kind][3], "")
    spares.append(f"{witness}把这一切都看在眼里。" if lang == "zh" else
                  f"{witness} sees all of it happen.")
    used: set[str] = set()
    for b in beats:
        if b.note in used:
            b.note = next((x for x in spares if x not in used and x.strip()),
                          f"{b.note} ({b.kind})")
        used.add(b.note)
    return EpisodeOutline(
        number=n, title=_title(bank, ev.kind, s, lang, male, n, titles, love_away),
        summary=ev.summary, arc_stage=ev.stage, beats=beats,
        is_paywall=n == paywall, events=[ev.id], change=change, callback=callback)


def _callback(n: int, events: list[StoryEvent], refs: dict[int, int]) -> int | None:
    """An earlier episode this one recalls, from episode 3 on (never the one just before,
    which the audience has just seen): alternately the one before that, and the earliest of
    those recalled least, so old wounds come back too."""
    if n < 3:
        return None
    candidates = [e.episode for e in events[: n - 2] if e.kind != "finale"]
    if n % 2:
        pick = candidates[-1]
    else:
        pick = min(candidates, key=lambda k: (refs.get(k, 0), k))
    refs[pick] = refs.get(pick, 0) + 1
    return pick


def _title_case(text: str) -> str:
    small = {"a", "an", "the", "of", "at", "in", "on", "and"}
    words = text.split()
    return " ".join(w.lower() if i and w.lower() in small else
                    w if not w[:1].isalpha() else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def schedule_device(total: int, paywall: int, reveal: int) -> dict[int, str]:
    """Episode -> device beat: the setup in episode 1, clues and near-exposures before the
    device's public reveal (past the big secret, about three quarters into the season: the
    premise's secret holds through most of it), its payoff at the showdown, and echoes in
    between so the device stays in view (a third of the episodes)."""
    if total < 2:
        return {1: "setup"}
    beats: dict[int, str] = {1: "setup"}
    pub = min(total, max(reveal + 2, round(total * 0.75)))
    if total <= 4:
        pub = total
    payoff = total - 1 if total >= 6 and total - 1 > pub else None
    beats[pub] = "reveal"
    if payoff:
        beats[payoff] = "payoff"
    order = ["clue1", "clue2", "near1", "clue3", "near2"]
    free = [n for n in range(2, pub) if n not in beats]
    if len(free) < len(order):
        order = [b for b in order if b not in ("clue3", "near1")][: len(free)] if len(free) < 4 \
            else [b for b in order if b != "clue3"]
    for i, b in enumerate(order):
        at = free[round(i * (len(free) - 1) / max(1, len(order) - 1))] if len(order) > 1 else \
            free[0]
        while at in beats and at < pub - 1:
            at += 1
        if at not in beats:
            beats[at] = b
    want = -(-total // 3) + 1
    rest = [n for n in range(2, total + 1) if n not in beats]
    need = min(len(rest), max(0, want - len(beats)))
    for i in range(need):  # spread evenly over the episodes without a beat
        beats[rest[round(i * (len(rest) - 1) / max(1, need - 1))]] = "echo"
    return dict(sorted(beats.items()))


def threads_of(plan_events: list[StoryEvent], secrets: list[Secret],
               device_beats: dict[int, str]) -> list[Thread]:
    """Set-up -> payoff pairs: each cliffhanger and the opening that answers it, each device
    beat and the reveal or payoff it leads to, each secret from the start to where it comes out."""
    out = [Thread(kind="cliffhanger", setup_episode=e.episode, payoff_episode=e.episode + 1,
                  what=nxt.summary)
           for e, nxt in zip(plan_events, plan_events[1:], strict=False)]
    reveal = next((n for n, b in device_beats.items() if b == "reveal"), None)
    payoff = next((n for n, b in device_beats.items() if b == "payoff"), None)
    for n, b in device_beats.items():
        if b.startswith(("clue", "near")) and reveal:
            out.append(Thread(kind="device", setup_episode=n, payoff_episode=reveal, what=b))
        if b == "setup" and (payoff or reveal):
            out.append(Thread(kind="device", setup_episode=n, payoff_episode=payoff or reveal,
                              what="setup"))
    out += [Thread(kind="secret", setup_episode=1, payoff_episode=s.reveal_episode, what=s.text)
            for s in secrets]
    out += [Thread(kind="consequence", setup_episode=e.episode, payoff_episode=e.episode + 1,
                   what=f"{e.kind}: {ATTACKS[e.kind]} hurt")
            for e in plan_events if e.kind in ATTACKS and e.episode < len(plan_events)]
    return out


# each further thread's span over the season: (first beat, its reveal, its payoff), as
# fractions; the payoffs land in the finale block, where every thread is settled
_SUBPLOT_SPANS = ((0.08, 0.45, 0.92), (0.2, 0.78, 0.96))


def schedule_subplots(total: int, taken: dict[int, str], count: int) -> list[dict[int, str]]:
    """Episode -> beat for each of the premise's further devices: set up early, clues and a
    near-exposure, its reveal (the first at the midpoint, the second late), its payoff; never
    on an episode where the main device plays a beat of its own, nor where another thread
    does. A short season gives a thread only its setup and reveal."""
    if total < 4:
        return []
    busy = {n for n, b in taken.items() if b != "echo"}
    out: list[dict[int, str]] = []
    for k in range(min(count, len(_SUBPLOT_SPANS))):
        start, reveal, payoff = _SUBPLOT_SPANS[k]
        if total >= 30:
            order = ["setup", "clue1", "clue2", "near1", "clue3", "reveal", "payoff"]
        elif total >= 10:
            order = ["setup", "clue1", "reveal"]
        else:
            order = ["setup", "reveal"]
        first, rev = max(2, round(total * start)), max(3, round(total * reveal))
        pay = round(total * payoff)
        pre = [b for b in order if b not in ("reveal", "payoff")]
        want = {b: first + round(i * (rev - 1 - first) / max(1, len(pre) - 1))
                for i, b in enumerate(pre)}
        want["reveal"] = rev
        if "payoff" in order:
            want["payoff"] = pay
        beats: dict[int, str] = {}
        for b in order:
            at = want[b]
            while (at in busy or at in beats) and at < total - 1:
                at += 1
            if at in busy or at in beats or at >= total:
                continue
            beats[at] = b
        busy |= set(beats)
        out.append(dict(sorted(beats.items())))
    return out


_MOVEMENTS = {
    "zh": {"setup": "开局：钩子与设定", "paywall": "付费转折", "escalation": "升级",
           "midpoint": "中点反转", "dark": "至暗时刻", "finale": "终局"},
    "en": {"setup": "setup: the hook and the world", "paywall": "the paywall turn",
           "escalation": "escalation", "midpoint": "midpoint reversal",
           "dark": "the dark moment", "finale": "finale"},
}
_BEAT_WORDS = {
    "zh": {"setup": "埋下", "clue": "线索", "near": "险些败露", "reveal": "揭开", "payoff": "收束"},
    "en": {"setup": "set up", "clue": "a clue", "near": "nearly exposed", "reveal": "revealed",
           "payoff": "paid off"},
}


def season_blocks(total: int, paywall: int, threads: list[tuple[str, str, dict[int, str]]],
                  lang: Language) -> list[Block]:
    """The season outline in blocks of about ten episodes: what each block does (setup, the
    paywall turn, escalation, the midpoint reversal, the dark moment, the finale), the steps its
    threads take, and the lead's question in it (the want of the thread it moves most).
    ``threads``: (device name, the lead's want in it, episode -> beat)."""
    size = 10 if total >= 20 else max(3, -(-total // 3))
    count = max(1, round(total / size))
    bounds = [round(i * total / count) for i in range(count + 1)]
    words, beatw = _MOVEMENTS[lang], _BEAT_WORDS[lang]
    out: list[Block] = []
    for i in range(count):
        first, last = bounds[i] + 1, bounds[i + 1]
        if i == count - 1:
            move = "finale"
        elif first <= paywall <= last and i == 0:
            move = "setup" if count > 2 and paywall > last - 2 else "paywall"
        elif first <= paywall <= last:
            move = "paywall"
        elif count >= 4 and i == count - 2:
            move = "dark"
        elif first <= total // 2 <= last:
            move = "midpoint"
        else:
            move = "escalation"
        steps, most = [], (0, "")
        for name, want, beats in threads:
            mine = [b.rstrip("123") for n, b in sorted(beats.items())
                    if first <= n <= last and b != "echo"]
            if mine:
                sep = "、" if lang == "zh" else ", "
                steps.append(f"{name}: " + sep.join(beatw[b] for b in dict.fromkeys(mine)))
                if len(mine) > most[0]:
                    most = (len(mine), want)
        movement = words[move]
        if move == "setup" and first <= paywall <= last:
            movement += " / " + words["paywall"]
        out.append(Block(first=first, last=last, movement=movement,
                         device_step="; ".join(steps), question=most[1]))
    return out
