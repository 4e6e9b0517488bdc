"""The embedded default writer: deterministic, offline, driven by the story banks in ``seeds/``.

``plan()`` builds the bible and the season plan with its story state (``aiscript.story.planner``);
``write_episodes()`` turns each planned event into scenes of beats (``EpisodeDraft``: actions,
lines, who is in the moment, props, intensity), and the shot planner (``aiscript.shots.planner``) lays
them out as shots. Every line is composed from the story state and natively written parts, and
a season-wide record of what has been said keeps any line from coming back.

>>> w = TemplateWriter()
>>> series = w.plan(Premise(text="林晚被未婚夫抛弃后闪婚了顾言。", language="zh", episodes=3))
>>> ep = w.write_episodes(series, [1])[0]
>>> 60 <= ep.duration_s <= 180 and ep.scenes[0].shots[0].beat == "hook"
True
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from aiscript.analysis.emotion import LexiconScorer
from aiscript.craft import (
    BeatTemplate,
    Device,
    SeasonArc,
    load_beat_template,
    load_season_arc,
)
from aiscript.drafting import backstory
from aiscript.drafting.custody import settle
from aiscript.drafting.echo import EchoIndex
from aiscript.schema import (
    Episode,
    EpisodeDraft,
    Language,
    Line,
    Premise,
    SceneDraft,
    SceneHeading,
    ScriptElement,
    SeasonPlan,
    Series,
    SeriesBible,
    StoryEvent,
)
from aiscript.shots.planner import plan_episode
from aiscript.story import brief as briefs
from aiscript.story import props
from aiscript.story.bible import fits, frame, premise_bank
from aiscript.story.cast import SLOT_OF_ROLE
from aiscript.story.gender import agree, agree_to, first_person, mirror, second_mentions
from aiscript.story.planner import (
    ATTACKS,
    CLIMAX,
    KINDS,
    MAX_TIMES,
    Slots,
    cast_slots,
    male_lead,
    outdoors,
    story_bank,
)
from aiscript.story.planner import OUTDOOR as _OUTDOOR
from aiscript.story.season import device_slots, plan_season
from aiscript.story.turns import APOLOGY as _APOLOGY
from aiscript.story.turns import (
    cliff_line,
    exchanges,
    fits_custody,
    night_talks,
    state_endings,
)
from aiscript.timing import TimingModel

# what only happens indoors: no door flies open or lift arrives under an overpass
_INDOORS_ONLY = re.compile(r"门被推开|推门|推开门|撞开门|电梯|窗帘|枕头|柜子|门铃|屋里|屋内|灯突然熄灭|"
                           r"站在门口|\bdoors?\b|\blift\b|curtain|pillow|cabinet|doorbell|the room|"
                           r"lights? (?:go|goes) out")
# words that put a moment out of doors, whatever room the scene's heading names
_OUTDOORS_ONLY = re.compile(r"马路对面|街对面|路灯下|across the road|across the street|"
                            r"under the streetlight", re.I)
_HOME = ("出租屋", "客厅", "卧室", "宿舍", "保姆房", "家", "flat", "house", "home", "bedroom",
         "dorm", "quarters", "living room")


class TemplateWriter:
    """Premise -> series bible + season plan -> episodes, with no model at all."""

    name = "template"

    def __init__(
        self,
        timing: TimingModel | None = None,
        beats: BeatTemplate | None = None,
        arc: SeasonArc | None = None,
    ) -> None:
        self.timing = timing or TimingModel()
        self.beats = beats or load_beat_template()
        self.arc = arc or load_season_arc()
        self._seasons: dict[str, _Season] = {}

    # ------------------------------------------------------------------ season

    def plan(self, premise: Premise) -> Series:
        """The brief, the bible and the season plan, with its story state, for a premise
        (``aiscript.story.season.plan_season``, the one planner, with its rules reader)."""
        return plan_season(premise, arc=self.arc, beats=self.beats)

    # ------------------------------------------------------------------ episodes

    def write_episodes(self, series: Series, numbers: Sequence[int] | None = None,
                       on_episode: Callable[[Episode], None] | None = None) -> list[Episode]:
        """Episodes of the season (all by default), each passed to ``on_episode`` when done."""
        numbers = list(numbers) if numbers is not None else \
            list(range(1, len(series.plan.episodes) + 1))
        out = []
        for n in numbers:
            ep = self.write_episode(series, n)
            if on_episode:
                on_episode(ep)
            out.append(ep)
        return out

    def draft_episode(self, series: Series, number: int) -> EpisodeDraft:
        """Episode ``number`` as scenes of beats. The same draft whatever order episodes are
        asked in: the season's earlier episodes are drafted first (what they said is not said
        again)."""
        season = self._season(series)
        while len(season.drafts) < number:
            season.drafts.append(_EpisodeWriter(series, len(season.drafts) + 1, season).draft())
        return season.drafts[number - 1]

    def write_episode(self, series: Series, number: int,
                      devices: dict[int, Device] | None = None) -> Episode:
        """One episode as shots, 60 to 180 s by the timing model.

        ``devices`` (outline beat index -> written beat) is the LLM writer's way in: its beats
        are laid out as they are, in one scene, by the same shot planner.
        """
        draft = _from_devices(series, number, devices) if devices else \
            self.draft_episode(series, number)
        return self._fit(plan_episode(draft, self.timing))

    def _season(self, series: Series) -> _Season:
        # the threads drafting records (aiscript.drafting.custody) are not a new season
        key = series.key + "|" + str(hash(series.plan.model_dump_json(exclude={"threads"})))
        if key not in self._seasons:
            self._seasons[key] = _Season(timing=self.timing, min_s=self.beats.min_duration_s)
        return self._seasons[key]

    def _fit(self, ep: Episode) -> Episode:
        """Stretch an episode that runs short of the minimum; trim silent reaction moments from
        one that runs past the maximum."""
        b = self.beats
        if ep.duration_s < b.min_duration_s:
            scale = b.min_duration_s / ep.duration_s * 1.02
            for _, shot in ep.shots():
                shot.duration_s = round(shot.duration_s * scale, 2)
        while ep.duration_s > b.max_duration_s:
            quiet = [(sc, sh) for sc, sh in ep.shots() if sh.beat is None and len(sc.shots) > 2]
            if not quiet:
                break
            sc, sh = quiet[-1]
            sc.shots.remove(sh)
        for scene in ep.scenes:
            for k, shot in enumerate(scene.shots, start=1):
                shot.id = f"{ep.number}-{scene.number}-{k}"
        return ep

    def write(self, premise: Premise) -> tuple[Series, list[Episode]]:
        """The whole season in one call."""
        series = self.plan(premise)
        return series, self.write_episodes(series)


# --------------------------------------------------------------------------- composing lines


# the shapes of the night's talk before the ending, in turn (aftermath_scene)
_TALKS = ("talk", "friend", "cut", "talk", "alone")  # cut: no friend's word before the end
# an elder's apology or coming round ('是我错怪你了', 'I was wrong about you')


@dataclass
class _Season:
    """What a season has said so far: no line is said twice or echoed (a long stretch shared
    once names are masked), and core lines rotate."""

    drafts: list[EpisodeDraft] = field(default_factory=list)
    said: set[str] = field(default_factory=set)
    cores: dict[str, int] = field(default_factory=dict)
    echo: EchoIndex | None = None
    endings: EchoIndex | None = None
    timing: TimingModel | None = None  # to tell a short episode (None: never asked)
    min_s: float = 60.0
    moods: dict[str, int] = field(default_factory=dict)  # parentheticals used so far
    mood_cap: int = 15  # how often one parenthetical may come in a season
    # endings that turn on the story's state: which were told, of what kind, and what each
    # episode's ending leaves for the next one to answer (episode -> (entry, heading))
    turns_told: set[int] = field(default_factory=set)
    elder_sorry: bool = False  # the elder has said sorry: she comes round once a season
    turn_kinds: list[str] = field(default_factory=list)
    answers: dict[int, tuple[dict, SceneHeading]] = field(default_factory=dict)
    # an ending of the stock (a message, a figure in the dark) and its pick-up: the next
    # episode's first moment takes it up (episode -> (pick-up step, ending, the ending's slots))
    pickups: dict[int, tuple[list, ScriptElement, dict]] = field(default_factory=dict)
    visits: dict[str, set[str]] = field(default_factory=dict)  # who has been where
    job_last: int = 1  # the last episode with the lead at her job (episode 1 sets it up)
    # what each episode's event scene put on screen (its actions and lines): a later recap
    # names only an object the audience saw there
    shown: dict[int, str] = field(default_factory=dict)


# how often one written line (its slots filled differently) may come back in a season
MAX_USES = 2


class _Voice:
    """Lines from the banks: a core line of the function and role, filled from the story
    state, as written (no dressing); never one the season has said or echoed."""

    def __init__(self, lang: Language, male: bool, season: _Season, rng: random.Random,
                 bank: dict | None = None) -> None:
        self.lang, self.male, self.season, self.rng = lang, male, season, rng
        self.bank = bank or story_bank()[lang]
        self.parts = self.bank["lines"]

    def can(self, function: str, role: str) -> bool:
        return role in self.parts.get(function, {})

    def emotion(self, function: str, role: str) -> str | None:
        """A parenthetical of the function, the one the season has used least; none once each
        is used up (a line plays plain rather than 冷笑 for the eightieth time)."""
        options = self.parts.get(function, {}).get(role, {}).get("emotion") or []
        options = [o for o in options if o not in _MUTE] or options
        if not options:
            return None
        pick = min(options, key=lambda o: (self.season.moods.get(o, 0), self.rng.random()))
        return pick

    def mood(self, emotion: str | None) -> str | None:
        """The parenthetical as used: counted, and dropped past the season's cap."""
        if not emotion or emotion in _MUTE:
            return None
        if self.season.moods.get(emotion, 0) >= self.season.mood_cap:
            return None
        self.season.moods[emotion] = self.season.moods.get(emotion, 0) + 1
        return emotion

    def line(self, function: str, role: str, slots: Slots, to: str | None = None) -> str | None:
        """A line of the function; when the season has used them all, one of a kindred
        function's (a threat runs out into pressing, a find into shock)."""
        sorry = role == "elder" and self.season.elder_sorry
        for f in (function, *_KINDRED.get(function, ())):
            if role in self.parts.get(f, {}):
                cores = self.parts[f][role]["text"]
                if sorry:  # she has said sorry once: from then on she helps, not apologises
                    cores = [c for c in cores if not _APOLOGY.search(c)]
                text = self.compose(cores, slots, to)
                if text is not None:
                    if role == "elder" and _APOLOGY.search(text):
                        self.season.elder_sorry = True
                    return text
        return None

    def compose(self, cores: list[str], slots: Slots, to: str | None = None) -> str | None:
        """The least-used core that neither repeats nor echoes the season; None when every
        core would (the moment then plays without a line)."""
        order = sorted(cores, key=lambda c: (self.season.cores.get(c, 0), self.rng.random()))
        s = Slots(slots, to=to or "")
        for core in order:
            if self.season.cores.get(core, 0) >= MAX_USES:
                continue  # a written line, however its slots are filled, twice a season at most
            text = s.fill(core, self.lang, self.male)
            text = text[:1].upper() + text[1:] if self.lang == "en" else text
            if "{" in text or text in self.season.said:
                continue
            if self.season.echo is not None and not self.season.echo.add(text):
                continue
            self.season.said.add(text)
            self.season.cores[core] = self.season.cores.get(core, 0) + 1
            return text
        return None

    def least(self, cores: list[str], slots: Slots) -> str | None:
        """A hook or an ending must speak: when every line of its kind is used, the least
        used that is not said word for word again (an echo, counted by the checks); one out
        twice already only when nothing else can be said."""
        order = sorted(cores, key=lambda c: (self.season.cores.get(c, 0), self.rng.random()))
        for core in order:  # sorted: a line out twice already only when nothing else can
            text = slots.fill(core, self.lang, self.male)
            text = text[:1].upper() + text[1:] if self.lang == "en" else text
            if "{" not in text and text not in self.season.said:
                self.season.cores[core] = self.season.cores.get(core, 0) + 1
                return self.keep(text)
        return None

    def keep(self, text: str) -> str:
        """A line written for this moment alone (a device beat): recorded, always said."""
        self.season.said.add(text)
        if self.season.echo is not None:
            self.season.echo.add(text, force=True)
        return text


# --------------------------------------------------------------------------- one episode


class _EpisodeWriter:
    """Scenes of beats for one planned event: the event's scene, the device's beat when the plan
    gives the episode one, word reaching the family head, and an aftermath scene whose ending
    sets up the next episode's event. What has happened gates what may: an exposed villain no
    longer works on the elder; an elder who came round no longer summons or evicts."""

    def __init__(self, series: Series, n: int, season: _Season) -> None:
        self.series, self.n = series, n
        self.opened: SceneDraft | None = None  # episode 1's secret, played before the crowd
        self.bible: SeriesBible = series.bible
        self.lang = self.bible.language
        self.male = male_lead(self.bible)
        self.rng = random.Random(f"{self.bible.premise.seed}|{n}|{self.bible.title}")
        self.names = cast_slots(self.bible)
        plan = series.plan
        self.brief = series.brief or briefs.read_premise(self.bible.premise.text, self.lang)
        # the bank as this premise may use it (story.bible): gated by its situation, and by
        # the device's limits until its reveal
        reveal = next((m for m, b in plan.device_beats.items() if b == "reveal"), 0)
        self.bank = premise_bank(self.lang, self.brief, dict(self.names), genre=self.bible.genre,
                                 after_reveal=bool(reveal) and n > reveal,
                                 text=self.bible.premise.text)
        self.voice = _Voice(self.lang, self.male, season, self.rng, self.bank)
        if any(ev.kind == "win_witness" and ev.episode <= n for ev in plan.events):
            season.elder_sorry = True  # the scene that wins her over carries her apology
        self.frame = frame(self.brief, self.lang, genre=self.bible.genre,
                           after_reveal=bool(reveal) and n > reveal, text=self.bible.premise.text)
        if season.echo is None:
            season.echo = EchoIndex(self.lang, self.names.values())
            season.endings = EchoIndex(self.lang, self.names.values())
        self.season = season
        plan = series.plan
        season.mood_cap = max(6, round(len(plan.episodes) * 0.1))

        self.event = _event(plan, n)
        self.next = _event(plan, n + 1) if n < len(plan.episodes) else None
        self.outline = plan.episodes[n - 1]
        self.secrets = {s.id: s for s in plan.secrets}
        self.brief = series.brief or briefs.read_premise(self.bible.premise.text, self.lang)
        self.dev = briefs.devices().get(plan.device) if plan.device else None
        self.dbeat = plan.device_beats.get(n) if self.dev else None
        self.holder = self.brief.device_holder
        # the premise's further thread with a beat in this episode (真千金 beside 失忆)
        self.sub = next(((briefs.devices()[sp.device], sp.holder, sp.beats[n])
                         for sp in plan.subplots if n in sp.beats
                         and sp.device in briefs.devices()), None)
        so_far = [e.kind for e in plan.events[:n]]
        self.established: set[str] = set()  # the scenes' first images this episode
        self.whole: set[int] = set()  # the night's talk written whole: its lines (ids)
        self.pivots: set[int] = set()  # a written scene's pivot (ids): where it turns
        self.exposed = any(k in ("expose", "showdown") for k in so_far)
        self.elder_won = "win_witness" in so_far
        self.cornered = any(k in ("last_gambit", "showdown", "finale") for k in so_far)
        # where the story stands as the episode opens (``plan.states``), and once its event
        # has happened: what came out, who came round, who was hurt last time
        states = plan.states
        self.state = states[n - 1] if len(states) >= n else None
        self.after = states[n] if len(states) > n else self.state
        if self.after is not None:
            self.exposed = self.exposed or self.after.villain in ("exposed", "arrested")
            self.elder_won = self.elder_won or self.after.elder == "with_lead"
        self.elder_came_round = self.state is not None and self.state.elder == "with_lead"
        # thrown out of the family: she lives elsewhere and is summoned to the family house
        self.evicted = self.state is not None and self.state.evicted
        reveal = next((m for m, b in plan.device_beats.items() if b == "reveal"), 0)
        # a love interest who lies in a coma until the reveal keeps to his bed
        self.bedbound = bool(self.dev) and plan.device == "faked_coma" and \
            self.brief.device_holder == "love" and n < reveal
        self.genders = {c.name: c.gender for c in self.bible.characters}
        # an object turns the scene only where it was planted on screen earlier (or where the
        # kind cannot play without it); elsewhere nobody names it: the scene turns on people
        self.plant = next((t for t in plan.threads if t.kind == "prop" and t.setup_episode == n),
                          None)
        self.shows_object = self.on_screen(self.event)
        seen = {"prop": self.event.prop} if self.shows_object else {}
        self.slots = device_slots(
            Slots(self.names, place=self.event.place, **seen,
                  place_c=_cap(self.event.place), place_t=self.event.place,
                  change=self.outline.change, change_c=_cap(self.outline.change)),
            self.brief, self.lang)
        said = (briefs.devices().get(self.brief.device) or {}).get("said", {}).get(self.lang)
        if said:  # the people in on it say 'the coma act', not the bible's 'the fake coma'
            self.slots["dev"] = said.replace("{holder}", str(self.slots.get("holder", "")))

    # -- helpers

    def name(self, role: str) -> str:
        return self.names[role]

    def on_screen(self, ev: StoryEvent | None) -> bool:
        """Whether an event's object is shown: it was planted (a ``prop`` thread pays off in
        its episode), or its kind has no telling without it."""
        if ev is None or not ev.prop:
            return False
        plan = self.series.plan
        if any(t.kind == "prop" and t.payoff_episode == ev.episode for t in plan.threads):
            return True
        told = sum(e.kind == ev.kind and e.prop and e.episode <= ev.episode for e in plan.events)
        return told > props.free_tellings(ev.kind, self.lang, self.bank["kinds"])

    def object_slot(self, ev: StoryEvent) -> dict[str, str]:
        """``{"prop": ...}`` for an event whose object is on screen, else nothing (a line that
        names it is then passed over). A past event's object only where its scene showed it,
        else the slot stays open, so that a recap never names what the audience did not see
        there (nor this episode's object in its place)."""
        if ev.episode < self.n:
            shown = self.season.shown.get(ev.episode, "")
            return {"prop": ev.prop if ev.prop and ev.prop in shown else "{prop}"}
        return {"prop": ev.prop} if self.on_screen(ev) else {}

    def turn_emotion(self, role: str) -> str | None:
        """The parenthetical of the line that turns a scene: said out loud to the room, not
        whispered aside."""
        return _aloud(self.voice.emotion("aside", _asider(role)), self.lang)

    def villain_state(self) -> str:
        return self.state.villain if self.state is not None else "hidden"

    def choose(self, options: list[dict], start: int, villain: str | None = None) -> dict:
        """The telling this episode's event plays (:func:`aiscript.story.props.choose`): one its
        object can play, on the object only where it was planted, each once a season."""
        prop = self.event.prop
        return props.choose(options, planted=self.shows_object,
                            prop_kind=_kind_of_prop(self.bank, prop),
                            prop_sort=_kind_of_prop(self.bank, prop, "sort"), start=start,
                            used=self.season.cores, villain=villain)

    def tellings(self, part: str) -> list[dict]:
        """The event kind's hooks or turns: the story bank's and ``seeds/scenes.json``'s."""
        kind = self.event.kind
        return [*self.bank["kinds"][kind].get(part, []), *props.tellings(self.lang, kind, part)]

    def paren(self, emotion: str | None, speaker: str) -> str | None:
        """A parenthetical in the speaker's own gender ('through his teeth' on a man), counted
        against the season's cap."""
        emotion = self.voice.mood(emotion)
        if not emotion:
            return None
        return agree_to(emotion, self.genders.get(speaker, "unknown"), self.lang)

    def say(self, function: str, role: str, to: str | None = None, *, beat=None,
            intensity: float = 0.5, action: str = "", present: list[str] | None = None,
            props: list[str] | None = None, slots: Slots | None = None) -> ScriptElement | None:
        if role == "elder" and self.elder_came_round and function in _ELDER_AGAINST:
            function = "elder_side"  # she came round: no more scorn, summons or threats
        if role == "villain" and function == "reel" and self.exposed:
            function = "reel_exposed"  # only a villain whose crime is out asks for a lawyer
        text = self.voice.line(function, role, slots or self.slots,
                               self.name(to) if to else None)
        speaker = self.name(role)
        chars = list(dict.fromkeys([speaker, *(present or [])]))
        if text is None:
            return ScriptElement(action=action, beat=beat, characters=chars, props=props or [],
                                 intensity=intensity) if action else None
        return ScriptElement(
            action=action, beat=beat, characters=chars, props=props or [], intensity=intensity,
            line=Line(speaker=speaker, text=self.first_names(text),
                      parenthetical=self.paren(self.voice.emotion(function, role), speaker)))

    def parts_of(self, function: str, role: str) -> list[str]:
        """The role's lines of the function and its kindred, then any of the role's lines."""
        first = (function, *_KINDRED.get(function, ()))
        rest = [f for f in self.voice.parts if f not in first]
        return [c for f in (*first, *rest)
                for c in self.voice.parts.get(f, {}).get(role, {}).get("text", [])]

    def spoken(self, speaker: str, text: str | None, emotion: str | None) -> Line | None:
        if not text:
            return None
        return Line(speaker=speaker, text=self.first_names(text),
                    parenthetical=self.paren(_fitting(emotion, text, self.lang), speaker))

    def first_names(self, text: str) -> str:
        """In English dialogue people say 'Chloe', not 'Chloe Hart' (a title and surname,
        'Chairman Whitmore', stays as it is)."""
        if self.lang != "en" or any(x.text and x.text in text for x in self.secrets.values()):
            return text  # a secret is said as the plan words it
        for full in self.names.values():
            first, _, rest = full.partition(" ")
            if rest and first not in _TITLES and full in text:
                text = text.replace(full + "'s", first + "'s").replace(full, first)
        return text

    def fill(self, text: str, slots: Slots | None = None) -> str:
        return (slots or self.slots).fill(text, self.lang, self.male)

    def heading(self, place: str, els: list | None = None) -> SceneHeading:
        """The scene's heading; the time of day the action names (深夜, at night) wins."""
        time = self.rng.choice(["DAY", "DAY", "NIGHT", "DUSK"])
        said = " ".join(e.action for e in els or [] if e is not None and e.action).lower()
        if _NIGHT.search(said):
            time = "NIGHT"
        return SceneHeading(setting="EXT" if any(k in place for k in _OUTDOOR) else "INT",
                            place=place, time=time)

    def scene(self, number: int, heading: SceneHeading, els: list) -> SceneDraft | None:
        els = _merged([e for e in els if e is not None])
        for e in els:
            e.action = agree(e.action, self.genders, self.lang)
            if self.lang == "en":  # an action that opens on a slot ("{place} is full; ...")
                e.action = _cap(e.action)
        if not els:
            return None
        cast = _cast_of(els)
        visits = self.season.visits
        for e in els:  # nobody comes somewhere "for the first time" twice
            if _FIRST_TIME.search(e.action) and any(
                    heading.place in visits.get(n, ()) for n in self.names.values()
                    if n in e.action and n != self.name("hero")):
                e.action = _FIRST_TIME.sub(lambda m: _AGAIN[m.group(0)], e.action)
        for n in cast:
            visits.setdefault(n, set()).add(heading.place)
        return SceneDraft(number=number, heading=heading, characters=cast, elements=els)

    def indoors(self, scene: SceneDraft) -> None:
        """An outdoor scene whose action has people in bed, on a sofa or at a desk plays
        indoors: at the lead's home, or at an indoor place of her work, opened anew."""
        h = scene.heading
        if h.setting != "EXT" or not any(_INDOOR_NOUNS[self.lang].search(e.action)
                                         for e in scene.elements):
            return
        inside = [p for p in self.bible.places if not any(k in p for k in _OUTDOOR)]
        work = [p for p in self.brief.places if p in inside]
        place = (work or [self._mini_place("@home")])[self.n % max(1, len(work))] \
            if any(w in " ".join(e.action for e in scene.elements).lower() for w in
                   ("病房", "ward", "办公桌", "desk")) else self._mini_place("@home")
        if self.name("elder") in scene.characters and self._family_house():
            place = self._family_house()  # the family head holds court in her own house
        self.moved_to(scene, h.model_copy(update={"setting": "INT", "place": place}))

    def outside(self, scene: SceneDraft) -> None:
        """A scene indoors whose first moment plays outside its place ('Off shift, she sits on
        the steps outside the hospital', '外卖站门口', 'across the road') plays out of doors,
        outside the building: the heading and the words of the action name the same place."""
        h = scene.heading
        first = next((e for e in scene.elements if e.action and e.intensity > 0.1), None)
        if h.setting != "INT" or first is None:
            return
        place, out = h.place, _outside_of(h.place, self.lang)
        if self.lang == "zh":
            said = re.search(re.escape(place) + r"(门口|门外|楼下)", first.action)
        else:
            said = re.search(r"\boutside " + re.escape(place), first.action, re.I)
        if not said and not _OUTDOORS_ONLY.search(first.action):
            return
        for e in scene.elements:  # 'outside the hospital corridor' -> 'outside the hospital'
            if self.lang == "zh":
                e.action = re.sub(re.escape(place) + r"(门口|门外)", out, e.action)
            else:
                e.action = re.sub(r"\boutside " + re.escape(place), out, e.action)
        self.moved_to(scene, h.model_copy(update={"setting": "EXT", "place": out}))

    def keep_hour(self, scene: SceneDraft) -> None:
        """The heading takes the hour the scene's action names (``_time_named``); an opening
        image of another hour gives way to one of the scene's own."""
        hour = _time_named(scene)
        if hour and hour != scene.heading.time:
            scene.heading = scene.heading.model_copy(update={"time": hour})
        first = scene.elements[0]
        if first.line is None and not first.beat and _hour_of(first.action) not in (
                None, scene.heading.time):
            first.action = self.establish(scene.heading, self.slots) or first.action

    def cast_on_screen(self, scene: SceneDraft) -> None:
        """The scene's characters are the people on screen in it: who speaks, and whom an
        action names; not who was only meant to stand by a line ('present') and never does
        or says anything there."""
        said = " ".join(e.action for e in scene.elements)
        on = {e.line.speaker for e in scene.elements if e.line is not None}
        for full in self.names.values():
            first, _, rest = full.partition(" ")
            if full in said or self.lang == "en" and rest and first not in _TITLES and \
                    re.search(r"\b" + re.escape(first) + r"\b", said):
                on.add(full)
        for e in scene.elements:
            e.characters = [c for c in e.characters if c in on or c not in
                            self.names.values()] or e.characters
        scene.characters = [c for c in _cast_of(scene.elements) if c in on or c not in
                            self.names.values()] or scene.characters

    def lives_out(self, scene: SceneDraft) -> None:
        """A lead thrown out of the family is in the family house only where someone who lives
        there (the elder, the villain) summons or faces her; her own scenes play at her home."""
        home = self._family_house()
        if not self.evicted or scene.heading.place != home or \
                {self.name("elder"), self.name("villain")} & set(scene.characters):
            return
        place = self._mini_place("@home")
        if place == home:
            return
        self.moved_to(scene, scene.heading.model_copy(update={"setting": "INT", "place": place}))

    def moved_to(self, scene: SceneDraft, heading: SceneHeading) -> None:
        """The scene set somewhere else: its opening image is the new place's (or none, where
        the season has spent the place's images)."""
        scene.heading = heading
        first = scene.elements[0]
        if first.line is None and not first.beat and first.intensity <= 0.1:
            image = self.establish(scene.heading, self.slots)
            if image:
                first.action = image
            elif len(scene.elements) > 1:
                scene.elements.pop(0)

    # -- the device

    def device_entry(self, beat: str) -> tuple[str, str, str] | None:
        """(role, action, line) of a device beat, filled."""
        d = self.dev
        if beat == "echo":
            return None
        k = {"clue1": ("clues", 0), "clue2": ("clues", 1), "clue3": ("clues", 2),
             "near1": ("near", 0), "near2": ("near", 1)}.get(beat)
        entry = d[k[0]][k[1]] if k else d[beat]
        known = self.known_twist()  # the twist is out: a beat that would tell it again
        entry = (known.get(k[0], {}).get(str(k[1])) if k else known.get(beat)) or entry
        barred = d.get("barred", {}) if self.villain_barred() else {}
        entry = (barred.get(k[0], {}).get(str(k[1])) if k else barred.get(beat)) or entry
        role = self.holder if entry[0] == "holder" else entry[0]
        action, line = (entry[1], entry[2]) if self.lang == "zh" else (entry[3], entry[4])
        return role, self.fill(action), self.fill(line)

    def _at_work(self, beat: str) -> bool:
        """Whether a device beat plays where the lead works: the device keeps to the lead's
        work, or its text is set there."""
        d = self.dev
        k = {"clue1": ("clues", 0), "clue2": ("clues", 1), "clue3": ("clues", 2),
             "near1": ("near", 0), "near2": ("near", 1)}.get(beat)
        entry = d[k[0]][k[1]] if k else d.get(beat)
        text = " ".join(entry[1:]) if entry else ""
        return bool(d.get("at_work")) or any(w in text for w in ("{work}", "{tool}", "{job}"))

    def device_element(self, beat: str, kind=None, intensity: float = 0.85) -> ScriptElement:
        role, action, line = self.device_entry(beat)
        speaker = self.name(role)
        in_frame = [n for n in self.names.values() if n in action]
        emotion = {"setup": "震惊" if self.lang == "zh" else "stunned",
                   "reveal": "一字一顿" if self.lang == "zh" else "every word clear",
                   "payoff": "平静" if self.lang == "zh" else "evenly"}.get(
            beat, "压低声音" if self.lang == "zh" else "low")
        if beat == "setup" and (self.dev or {}).get("carrier", {}).get("stated_known"):
            emotion = "坚定" if self.lang == "zh" else "firmly"  # she has known all along
        return ScriptElement(
            action=action, beat=kind, intensity=intensity,
            characters=list(dict.fromkeys([speaker, *in_frame])),
            line=self.spoken(speaker, self.voice.keep(line), emotion))

    def mention(self) -> ScriptElement | None:
        """An echo beat: someone present keeps the device in view, in words of its own."""
        beats = self.series.plan.device_beats
        out = next((m for m, b in beats.items() if b == "reveal"), 0)
        pool = [m for m in briefs.mentions(after_reveal=bool(out) and self.n > out)[self.lang]
                if fits(m[1], self.frame, self.lang)]  # amnesia is no secret to keep
        k = sum(1 for m, b in beats.items() if b == "echo" and m < self.n)
        for i in range(len(pool)):
            role, text = pool[(k + i) % len(pool)]
            if role not in ("hero", "love", "ally") or "{holder}" in text and \
                    self.brief.device_holder in ("hero", role):
                continue
            if role == self.brief.device_holder:  # who carries it does not talk of it as
                role = "ally" if role != "ally" else "hero"  # someone else's: a friend does
            if "{dev}" in text and self.season.cores.get("mention:dev", 0) >= 6:
                continue  # the device's name is not a catchphrase: six times a season
            line = self.fill(text, Slots(self.slots))
            if self.season.echo.echoes(line):
                continue
            speaker = self.name(role)
            if "{dev}" in text:
                self.season.cores["mention:dev"] = self.season.cores.get("mention:dev", 0) + 1
            return ScriptElement(characters=[speaker, self.name("hero")], intensity=0.5,
                                 line=self.spoken(speaker, self.voice.keep(line),
                                                  "低声" if self.lang == "zh" else "quietly"))
        return None

    # -- the episode

    def subplot_scene(self) -> SceneDraft | None:
        """The beat of the premise's further thread in this episode, played as the device's
        own are, in place of word reaching the family head."""
        if self.sub is None:
            return None
        d, holder, beat = self.sub
        saved = self.dev, self.dbeat, self.holder, self.slots
        self.dev, self.dbeat, self.holder = d, beat, holder
        self.slots = Slots(self.slots, holder=self.name(holder),
                           dev=(d.get("said", {}).get(self.lang) or d["noun"][self.lang]).replace(
                               "{holder}", self.name(holder)))
        try:
            return self.device_scene(opening=beat == "setup" and self.n > 1)
        finally:
            self.dev, self.dbeat, self.holder, self.slots = saved

    def draft(self) -> EpisodeDraft:
        answer = self.answer_scene()
        device = self.reveal_played(self.device_scene())
        ripple = self.subplot_scene()
        if ripple is None and answer is None and (device is None or self.n % 3 == 0):
            ripple = self.ripple_scene()  # shapes vary: a device episode may skip it
        hurt = self.hurt_scene()
        # while the device's carrier lies still, his nights with her come every fourth
        # episode: the partnership is the premise, not a thin episode's stand-in
        work = self.work_scene() if self.n > 1 and self.bedbound and self.n % 4 == 2 else None
        event = self.stood_in(self.event_scene)
        # who was hurt in the last fight wakes before the hearing
        first = [answer, hurt, event] if self.event.kind == "showdown" else [answer, event, hurt]
        if self.opened is not None:  # episode 1: the secret's own moment, then the crowd's
            first = [self.opened, *first]
        scenes = [*first, device, work, ripple, self.aftermath_scene()]
        self.plant_object(scenes)
        scenes = [s for s in scenes if s is not None]
        self.in_custody(scenes, event)
        settle(self, scenes, event)  # custody on screen; nothing contradicts; threads kept
        if answer is None and (not scenes or scenes[0] is not hurt):
            self.pick_up(scenes)  # not at a bedside: who was hurt wakes first
        self.open_scenes(scenes)
        backstory.told(self, scenes)  # what the lead lost before the story starts
        # the lead at her job at least every sixth episode, to the season's end
        step = self.job_step_scene() if work is None else None
        if step is not None:  # before the night's end, which stays last
            scenes.insert(len(scenes) - 1, step)
            work = step
        if self.n > 1 and work is None and (len(scenes) < 3 or self.short(scenes)):
            # a thin episode: the lead at her job, the couple's next step or the case
            work = (self.job_scene() if self.job_spare() else None) or self.mini_scene()
            if work is None and ripple is None and len(scenes) < 3:
                work = ripple = self.ripple_scene(force=True)
            if work is not None:
                scenes.insert(len(scenes) - 1, work)
        if self.short(scenes):
            # short lines make a short episode: word reaches the family head too, rather than
            # every shot held longer to reach the minimum
            more = self.ripple_scene() if ripple is None or self.sub else None
            if more is not None:
                scenes.insert(len(scenes) - 1, more)
            last = scenes[-1]
            hero = self.name("hero")
            friend = next((c for c in last.characters if c != hero and c in
                           (self.name("love"), self.name("ally"))), None)
            for function, role in (("support", "friend"), ("aftermath", "hero"),
                                   ("plan", "friend"), ("push", "hero")):
                if friend is None or not self.short(scenes) or self.event.kind == "finale" \
                        or self.whole:  # no stock line after a written talk's last word
                    break
                who = next(r for r, nm in self.names.items() if nm == friend) \
                    if role == "friend" else "hero"
                el = self.say(function, who, "hero" if who != "hero" else None,
                              intensity=0.4, present=[hero, friend])
                if el is not None:  # before the ending, which stays last
                    el.action = agree(el.action, self.genders, self.lang)
                    last.elements.insert(len(last.elements) - 1, el)
        barred = self.barred_scene()  # on top of the episode's scenes, not in place of one
        if barred is not None:
            scenes.insert(scenes.index(event) + 1 if event in scenes else 1, barred)
        carrier = self.carrier_scene(scenes)
        if carrier is not None:
            scenes.insert(len(scenes) - 1, carrier)
        self.trim(scenes)
        for s in scenes:
            self.indoors(s)
            self.outside(s)
            self.lives_out(s)
        for i, s in enumerate(scenes, start=1):
            s.number = i
            self.keep_hour(s)
            settle_parentheticals(s.elements)
            backstory.kin_said(self, s)
            self.cast_on_screen(s)
        self.season.shown[self.n] = " ".join(
            f"{e.action} {e.line.text if e.line else ''}"
            for e in (event.elements if event is not None and event in scenes else []))
        return EpisodeDraft(series_title=self.bible.title, number=self.n,
                            title=self.outline.title, language=self.lang, scenes=scenes)

    def pick_up(self, scenes: list[SceneDraft]) -> None:
        """Last episode's ending taken up in this one's first moment: the message, the figure
        in the dark or the word she was left with, where the opening scene does not already
        turn on the person or the object the ending showed. The lead takes it up, so only in
        a scene she is in."""
        told = self.season.pickups.get(self.n - 1)
        if told is None or not scenes:
            return
        step, end, filled = told
        first, hero = scenes[0], self.name("hero")
        if hero not in first.characters:
            return
        opening = " ".join(e.action + (e.line.text if e.line else "") for e in first.elements[:2])
        if any(p in opening for p in end.props):
            return  # the opening already picks it up: the same object
        # the same person is not enough: the villain opens most episodes, and a corner she
        # backed the lead into last night is not answered by a new scheme of hers this morning
        saved, self.slots = self.slots, Slots(self.slots, **filled)
        try:
            el = self.step(*step, beat="hook", intensity=0.9)
        finally:
            self.slots = saved
        if el is None or el.line is None:
            return  # its line was said already this season: not told twice
        el.action = agree(el.action, self.genders, self.lang)
        for e in first.elements:
            if e.beat == "hook":
                e.beat = None  # the event's own opening follows the pick-up
        lead = first.elements[0]
        if lead.line is None and not lead.beat and lead.intensity <= 0.1 and \
                len(first.elements) > 1:
            first.elements.pop(0)  # the pick-up opens the episode, not the place's image
        first.elements.insert(0, el)
        first.characters = _cast_of(first.elements)

    def open_scenes(self, scenes: list[SceneDraft]) -> None:
        """The episode opens on its hook, straight into the moment (the answer to last
        episode's ending, or who was hurt waking); every later scene opens on its place."""
        for i, sc in enumerate(scenes):
            first = sc.elements[0]
            placed = first.line is None and not first.beat and first.intensity <= 0.1
            if i == 0:
                if placed and len(sc.elements) > 1:
                    sc.elements.pop(0)
                els = sc.elements
                if els[0].line is None and len(els) > 1 and els[1].line is not None:
                    # the opening image and its first line are one moment
                    a, b = els[0], els.pop(1)
                    a.action = (a.action + ("" if self.lang == "zh" else " ") + b.action
                                if b.action else a.action)
                    a.line = b.line
                    a.characters = list(dict.fromkeys([*a.characters, *b.characters]))
                    a.props = list(dict.fromkeys([*a.props, *b.props]))
                if sc.elements[0].beat != "hook":
                    sc.elements[0].beat = "hook"
                    sc.elements[0].intensity = max(sc.elements[0].intensity, 0.9)
            elif not placed:
                image = self.establish(sc.heading, self.slots)
                if image:
                    sc.elements.insert(0, ScriptElement(action=image, intensity=0.1))

    def in_custody(self, scenes: list[SceneDraft], event: SceneDraft | None) -> None:
        """Once the villain is taken away (the knife ends in handcuffs), she speaks only where
        the police bring her (the hearing, the verdict) and in the season's last call."""
        taken = (self.state is not None and self.state.villain == "arrested") or \
            self.event.kind in ("showdown", "finale")
        if not taken:
            return
        villain = self.name("villain")
        for sc in scenes:
            if sc is event:
                continue
            keep = []
            for e in sc.elements:
                if e.line is not None and e.line.speaker == villain and e.beat != "cliffhanger":
                    if not e.action:
                        continue
                    e.line = None
                keep.append(e)
            if keep:
                sc.elements = keep
                sc.characters = _cast_of(keep)

    def trim(self, scenes: list[SceneDraft]) -> None:
        """A full episode keeps to its shots: the recap of an old wound in the confrontation
        goes first, then the night's small talk beyond its first exchange, while the episode
        keeps its three scenes and its share of dialogue."""
        if self.season.timing is None or self.n == len(self.series.plan.episodes):
            return
        least = 120 if self.lang == "zh" else 65
        cuts = []
        first = scenes[0]
        recap = next((i for i, e in enumerate(first.elements) if e.beat == "pivot" and e.line
                      and id(e) not in self.pivots), None)  # a written scene's crack stays
        if recap is not None:  # the recap, and the villain's retort to it (never a turn)
            pair = first.elements[recap:recap + 2]
            cuts.append((first, [e for e in pair if e is pair[0] or not e.beat]))
        terms = [t for d in (self.dev, *(briefs.devices().get(sp.device) for sp in
                                          self.series.plan.subplots)) if d
                 for t in d.get("terms", {}).get(self.lang, [])]
        last = scenes[-1]
        talk = [e for e in last.elements[1:-1] if e.line and not e.beat
                and not any(t in e.line.text for t in terms)  # the device stays in view
                and id(e) not in self.whole]  # a written talk is not cut mid-exchange
        cuts += [(last, [e]) for e in reversed(talk[2:])]  # one exchange stays
        for scene, els in cuts:
            if self.shots(scenes) <= _SHOT_BUDGET:
                return
            left = self.talk(scenes) - sum(self.talk_of(e) for e in els)
            if left < least:
                return
            for e in els:
                scene.elements.remove(e)

    def talk_of(self, el: ScriptElement) -> int:
        if not el.line:
            return 0
        return len(el.line.text) if self.lang == "zh" else len(el.line.text.split())

    def talk(self, scenes: list[SceneDraft]) -> int:
        return sum(self.talk_of(e) for s in scenes for e in s.elements)

    def shots(self, scenes: list[SceneDraft]) -> int:
        draft = EpisodeDraft(series_title=self.bible.title, number=self.n, title="x",
                             language=self.lang, scenes=[s.model_copy(deep=True) for s in scenes])
        return sum(len(s.shots) for s in plan_episode(draft, self.season.timing).scenes)

    def short(self, scenes: list[SceneDraft]) -> bool:
        """Whether the episode, its shots timed as read, runs under the minimum."""
        if self.season.timing is None:
            return False
        draft = EpisodeDraft(series_title=self.bible.title, number=self.n, title="x",
                             language=self.lang, scenes=[s.model_copy(deep=True) for s in scenes])
        return plan_episode(draft, self.season.timing).duration_s < self.season.min_s

    def stood_in(self, scene):
        """A scene written with the ally in the love interest's part while he keeps to his
        bed (a faked coma before its reveal): he is not at the party, his friend is."""
        if not self.bedbound:
            return scene()
        names, slots = self.names, self.slots
        self.names = Slots(names, love=names["ally"])
        self.slots = Slots(slots, love=names["ally"])
        try:
            out = scene()
        finally:
            self.names, self.slots = names, slots
        ally = names["ally"]
        gender = self.genders.get(ally, "unknown")
        if out is not None and gender != self.genders.get(names["love"], "unknown"):
            others = [n for n in names.values() if n != ally]
            love_gender = self.genders.get(names["love"], "unknown")
            for e in out.elements:  # his beats, her pronouns: "Mia puts her jacket round..."
                # with nobody else of his gender named, every "his" was his, now hers
                alone = not any(n in e.action and self.genders.get(n) == love_gender
                                for n in others)
                e.action = regender_after(e.action, ally, gender,
                                          [] if alone else others, self.lang)
        return out

    def event_scene(self) -> SceneDraft:
        ev, kind = self.event, self.bank["kinds"][self.event.kind]
        if "script" in kind:
            return self.scripted_scene()
        written = self.written_event() if self.n > 1 else None
        if written is not None:
            return written
        instigator, target, witness = KINDS[ev.kind][1], KINDS[ev.kind][2], KINDS[ev.kind][3]
        pair = [self.name(instigator), self.name(target)]
        els: list[ScriptElement | None] = []
        # a hook its object can play: a ring or a key card is shown, not opened
        hook = self.choose(self.tellings("hook"), ev.variant)
        hook_action = self.fill(hook["action"])
        if self.n == 1 and self.dev:  # the premise's device opens the season, at the lead's work
            return self.device_opening(pair, hook_action, hook["line"])
        hooker = hook.get("speaker", instigator)
        in_hook = [n for n in self.names.values() if n in hook_action] or pair
        els.append(ScriptElement(
            action=hook_action, beat="hook", characters=list(dict.fromkeys(
                [self.name(hooker), *in_hook])), props=[ev.prop] if ev.prop in hook_action else [],
            intensity=0.9,
            line=self.spoken(self.name(hooker), self.voice.compose([hook["line"]], self.slots)
                             or self.voice.line("press", _presser(hooker), self.slots)
                             or self.voice.least(self.parts_of("press", _presser(hooker)),
                                                 self.slots)
                             or self.voice.least([hook["line"]], self.slots),
                             self.voice.emotion("press", _presser(hooker)))))
        if ev.kind == "inciting":
            return self.inciting_scene(els, pair)
        if ev.kind == "finale":
            return self.finale_scene(els, pair)
        els.append(self.say("retort", _retorter(target), instigator, intensity=0.6,
                            present=pair))
        if self.n % 2 or ev.kind in ("public_stand", "big_reveal", "showdown"):
            els.append(self.say("press", _presser(instigator), target, intensity=0.7,
                                present=pair))
        if self.voice.can("aside", witness) and self.n % 3 != 1 and not (
                witness == "elder" and self.elder_came_round):  # no soup in a showdown
            els.append(self.say("aside", witness, None, intensity=0.4,
                                present=[self.name(witness)]))
        if self.outline.callback:
            past = _event(self.series.plan, self.outline.callback)
            memory = self.bank["kinds"][past.kind]["memory"]
            speaker = target if self.voice.can("callback", target) else "hero"
            s = Slots(self.slots, place=past.place, **self.object_slot(past))
            s["memory"] = self.fill(memory, s)
            els.append(self.say("callback", speaker, instigator, beat="pivot", intensity=0.6,
                                present=pair, slots=s))
            if "villain" in (instigator, target) and speaker != "villain":
                els.append(self.say("retort", "villain", speaker, intensity=0.65, present=pair))
        turned = self.turn(instigator, pair)
        where = _place_named(hook_action, self.lang) or ev.place  # the courtroom, the grave
        if ev.kind == "big_reveal" and turned:
            # the last episode was cut off on the edge of this secret: it is answered in the
            # opening, by the one who was cut off, right after the hook; what follows answers
            # the truth told (her denial, the proof, the room turning, her loss), not the
            # quarrel that was going on before it
            return self.scene(1, self.heading(where), els[:1] + turned + self.aftermath())
        els += turned
        return self.scene(1, self.heading(where), els)

    def aftermath(self) -> list[ScriptElement | None]:
        """What a secret told before the room leaves (``aftermath`` of the event's kind in the
        story bank): the proof laid down, the elder's verdict that bars the villain, her loss;
        the story state takes it from here (the villain is suspected and barred)."""
        steps = self.bank["kinds"][self.event.kind].get("aftermath", [])
        # the one she is barred from is the love interest himself, even where his friend
        # stands in for him at the scene while he keeps to his bed
        names = Slots(self.names, love=cast_slots(self.bible)["love"])
        return [self.step(role, action, line, emotion, intensity=0.8, names=names)
                for role, action, line, emotion in steps]

    def written_event(self) -> SceneDraft | None:
        """The event as a written whole scene (``seeds/event_scenes.json``): the hook, moves
        that answer each other, the turn they lead to and what it leaves, the first from the
        event's variant that fits the story's state and the season has not played. None when
        none is left: the event is then told from its hooks and turns."""
        ev = self.event
        pool = props.whole_scenes(self.lang, ev.kind)
        state = dict(planted=self.shows_object, prop_kind=_kind_of_prop(self.bank, ev.prop),
                     prop_sort=_kind_of_prop(self.bank, ev.prop, "sort"),
                     villain=self.villain_state(),
                     elder=self.state.elder if self.state is not None else "against")
        fit = [sc for sc in pool if props.scene_fits(sc, **state)
            and not self.season.cores.get("whole:" + sc["hook"][1] + sc["hook"][2])]
        if self.bedbound:  # he keeps to his bed: his friend stands in, but not for his turn
            fit = [sc for sc in fit if sc["turn"][0] != "love"]
        if not fit:
            return None
        sc = fit[ev.variant % len(fit)]
        self.season.cores["whole:" + sc["hook"][1] + sc["hook"][2]] = 1
        role, action, line, emotion = sc["hook"]
        els = [self.step(role, action, line, emotion, beat="hook", intensity=0.9,
                         props=[ev.prop])]
        moves = [self.step(*st, intensity=0.7, props=[ev.prop]) for st in sc["moves"]]
        els += moves
        self.mark_pivot(els[:1], moves)  # the crack in the moves the turn then answers
        role, action, line, emotion = sc["turn"]
        emotion = _aloud(emotion, self.lang)  # the turn is said out loud to the room
        els.append(self.step(role, action, line, emotion,
                             beat="payoff" if self.outline.is_paywall else "twist",
                             intensity=0.85, props=[ev.prop]))
        if ev.secret:  # the secret planned to come out here comes out, after the turn
            instigator = KINDS[ev.kind][1]
            els += self.turn(instigator, [self.name(instigator),
                                          self.name(KINDS[ev.kind][2])])
        els += [self.step(*st, intensity=0.6, props=[ev.prop]) for st in sc["after"]]
        return self.scene(1, self.heading(ev.place, els), els)

    def scripted_scene(self) -> SceneDraft | None:
        """An event written as a whole scene (``script`` in the kind's bank): the hook, the
        moves that lead to the turn, the turn, and what it leaves. A cornered villain's move,
        the lead's job, the couple's step closer: each its own scene, not a prop and a retort."""
        ev, kind = self.event, self.bank["kinds"][self.event.kind]
        v = ev.variant % len(kind["hook"])
        hook = self.choose(kind["hook"], v)
        hooker = hook.get("speaker", KINDS[ev.kind][1])
        els = [self.step(hooker, hook["action"], hook["line"],
                         self.voice.emotion("press", _presser(hooker)), beat="hook",
                         intensity=0.9, props=[ev.prop])]
        # the moves, the turn and what it leaves are the hook's own (the k-th of each is
        # written to follow the k-th hook: a flame is not put out that was never lit)
        v = next((k for k, h in enumerate(kind["hook"]) if h is hook), v)
        used, tag = self.season.cores, "script:" + ev.kind  # each telling once a season
        script = kind["script"][props.once(kind["script"], v, used, tag + ":moves", key=repr)]
        els += [self.step(*st, intensity=0.7) for st in script]
        t = kind["turn"][props.once(kind["turn"], v, used, tag + ":turn", key=repr)]
        els.append(self.step(t["speaker"], t["action"], t["line"],
                             self.turn_emotion(t["speaker"]),
                             beat="payoff" if self.outline.is_paywall else "twist",
                             intensity=0.85, props=[ev.prop]))
        if ev.secret:  # the secret planned to come out here comes out, after the turn
            els += self.turn(KINDS[ev.kind][1], [self.name(KINDS[ev.kind][1]),
                                                 self.name(KINDS[ev.kind][2])])
        after = kind.get("after") or [[]]
        els += [self.step(*st, intensity=0.6) for st in after[
            props.once(after, v, used, tag + ":after", key=repr)]]
        return self.scene(1, self.heading(ev.place, els), els)

    def step(self, role: str | None, action: str, line: str | None, emotion: str | None,
             beat=None, intensity: float = 0.6, props: list[str] | None = None,
             names: dict[str, str] | None = None) -> ScriptElement | None:
        """One written moment: who speaks, what happens; a line the season has said already is
        dropped (the action stays)."""
        names = names or self.names
        slots = Slots(self.slots, **{k: v for k, v in names.items() if k in self.names})
        action = self.fill(action, slots) if action else ""
        text = self.fill(line, slots) if line else None
        if "{" in action:  # it names what is not on screen (an object never planted)
            action = ""
        action = second_mentions(action, self.genders, self.lang)
        if text is not None and "{" in text:
            text = None
        if text is not None:
            text = text[:1].upper() + text[1:] if self.lang == "en" else text
            if text in self.voice.season.said:
                text = None
            else:
                text = self.voice.keep(text)
        if not action and not text:
            return None
        speaker = names.get(role, "") if role else ""
        in_frame = [nm for nm in names.values() if nm and nm in action]
        chars = list(dict.fromkeys([*([speaker] if speaker else []), *in_frame])) or \
            [self.name("hero")]
        return ScriptElement(
            action=action, beat=beat, intensity=intensity, characters=chars,
            props=[p for p in (props or []) if p and p in action],
            line=self.spoken(speaker, text, emotion) if text and speaker
            else None)

    def hurt_scene(self) -> SceneDraft | None:
        """The last episode's attack leaves its mark: who was hurt is in hospital, the police
        take a statement."""
        who = self.state.hurt if self.state is not None else ""
        pool = self.bank.get("hurt", {}).get(who) if who else None
        if not pool or self.event.kind == "finale":
            return None
        k = sum(1 for st in self.series.plan.states[: self.n - 1] if st.hurt == who)
        attack = self.series.plan.events[self.n - 2]
        if ATTACKS.get(attack.kind) == who:  # the aftermath of the attack that was shown
            k = attack.variant
        names = Slots(self.names)
        if self.bedbound:
            names["love"] = self.names["elder"]
        els = _exchange([self.step(*st, names=names, intensity=0.5 if i else 0.3)
                         for i, st in enumerate(pool[k % len(pool)])])
        heading = SceneHeading(setting="INT", place=self.bank.get("hurt_place", "hospital"),
                               time="NIGHT" if k % 2 == 0 else "DAY")
        opening = self.opening(heading, self.slots)
        return self.scene(2, heading, [opening, *els])

    def plant_object(self, scenes: list[SceneDraft | None]) -> None:
        """An object a later scene turns on, seen first: whoever has it puts it away, hides it
        or finds it, a few episodes before it turns that scene (a ``prop`` thread). Played in
        the night's last scene when its holder is there, else in a short scene of its own."""
        if self.plant is None or not scenes or scenes[-1] is None:
            return
        ev = _event(self.series.plan, self.plant.payoff_episode)
        role = props.holder(ev.kind, ev.instigator)
        if role == "love" and self.bedbound or role not in self.names:
            role = "ally" if role == "love" else "hero"
        if role == "villain" and self.state is not None and self.state.villain == "arrested":
            return
        beat = props.planting(self.lang, role, _kind_of_prop(self.bank, ev.prop),
                              self.season.cores, start=self.n)
        if beat is None:
            return
        slots = Slots(self.slots, who=self.name(role), prop=ev.prop)
        action, line = (self.fill(x, slots) if x else None for x in beat)
        who = self.name(role)
        el = ScriptElement(action=agree(_cap(action), self.genders, self.lang),
                           characters=[who], props=[ev.prop], intensity=0.5,
                           line=self.spoken(who, self.voice.keep(line) if line and line not in
                                            self.season.said else None, None))
        last = scenes[-1]
        if who in last.characters and role not in ("villain", "elder") and \
                self.event.kind != "finale":
            last.elements.insert(1, el)  # after its establishing image
            return
        if role in ("villain", "elder"):  # her own rooms, away from the lead
            place = self._family_house() if not self.exposed else ""
            place = place or next((p for p in self.bible.places if p != self.event.place and
                                   not any(w in p.lower() for w in _HOME) and
                                   not any(k in p for k in _OUTDOOR)), self._mini_place("@home"))
        else:
            place = self._mini_place("@home")
        heading = self.heading(place)
        opening = self.opening(heading, self.slots)
        scenes.insert(len(scenes) - 1, self.scene(2, heading, [opening, el]))

    def work_scene(self) -> SceneDraft | None:
        """The lead at her job: a scene of its own, each telling once a season."""
        pool = self.bank.get("work") or []
        if not self.brief.job or not pool or self.event.kind == "finale":
            return None
        love = self.name("love")
        for i in sorted(range(len(pool)), key=lambda i: (i + self.n) % len(pool)):
            key = f"work:{i}"
            if self.season.cores.get(key):
                continue
            script = pool[i]
            if script[0][3] == "@partner":  # the device's silent partner: only while he lies
                if not self.bedbound:       # still (story.bible: the carrier's own scenes)
                    continue
            elif self.bedbound and any(st[0] == "love" or love in (st[1] or "")
                                       for st in script):
                continue
            self.season.cores[key] = 1
            self.season.job_last = self.n
            work = [p for p in self.brief.places if p in self.bible.places] or \
                [self.slots.get("work", self.event.place)]
            place = work[0] if script[0][3] == "@partner" else work[self.n % len(work)]
            slots = self.slots
            self.slots = Slots(slots, work=place)
            try:
                els = [self.step(*st, intensity=0.4) for st in script]
            finally:
                self.slots = slots
            heading = self.heading(place, els)
            opening = self.opening(heading, self.slots)
            return self.scene(2, heading, [opening, *els])
        return None

    def carrier_scene(self, scenes: list[SceneDraft]) -> SceneDraft | None:
        """The device's carrier (or, where the lead carries it, the second lead) on screen in
        an episode that gave him no line: a scene of the secret under strain
        (``briefs.pressure``), each telling once a season. While he lies still, only his
        nights behind the curtain."""
        slot = self.brief.device_holder if self.brief.device_holder != "hero" else "love"
        who = self.name(slot)
        pool = self.bank.get("pressure") or []
        if not pool or not who or self.event.kind == "finale" or any(
                e.line is not None and e.line.speaker == who for sc in scenes for e in sc.elements):
            return None
        free = all(st is None or st.custody in ("free", "bailed") for st in (self.state, self.after))
        homes = [p for p in self.bible.places if p not in self.brief.places] or [self.event.place]
        work = [p for p in self.brief.places if p in self.bible.places] or homes
        # barred from his bed (the big reveal named her): a scene that has her at it is told
        # with her kept out (``barred.pressure`` of seeds/devices.json)
        barred = ((self.dev or {}).get("barred", {}).get("pressure", {}).get(self.lang, {})
                  if self.villain_barred() else {})
        for i in sorted(range(len(pool)), key=lambda i: (i + self.n) % len(pool)):
            script = pool[i]  # told once: known by its opening (the pool shifts at the reveal)
            key = f"pressure:{script[0][1]}"
            if script[0][1] in barred:
                script = [[slot if st[0] == "holder" else st[0], *st[1:]]
                          for st in barred[script[0][1]]]
            bed = script[0][3] == "@partner"
            if self.season.cores.get(key) or bed != bool(self.bedbound) or not free and any(
                    st[0] == "villain" or "{villain}" in (st[1] or "") for st in script):
                continue  # in custody, she visits no bedside
            self.season.cores[key] = 1
            return self.written_scene(script, homes[0] if script[0][3] == "@home" else work[0],
                                      intensity=0.6)
        return None

    def reveal_played(self, scene: SceneDraft | None) -> SceneDraft | None:
        """The main device's reveal played out on screen, not said in two lines: the proof
        and who it hits (``reveal_scene`` of seeds/devices.json: the scan read, the elder's
        word, the villain's denial answered)."""
        main = briefs.devices().get(self.series.plan.device or "")
        script = (main or {}).get("reveal_scene", {}).get(self.lang)
        if scene is None or self.dbeat != "reveal" or self.dev is not main or not script:
            return scene
        told = self.known_twist().get("reveal_scene", {}).get(self.lang, {})
        script = [told.get(str(i), st) for i, st in enumerate(script)]  # said as known
        holder = self.brief.device_holder
        els = [self.step(holder if st[0] == "holder" else st[0], *st[1:], intensity=0.8)
               for st in script]
        return self.scene(scene.number, scene.heading, [*scene.elements, *els]) or scene

    def villain_barred(self) -> bool:
        """Whether the villain has been named before the family: the season's big secret,
        her doing, came out in public at or before this episode, and the elder barred her
        from the one it was done to. She does not walk up to his bed as family after that;
        a device beat that has her at his side plays its ``barred`` telling
        (seeds/devices.json): stopped at the door, or working through someone else."""
        villain = self.name("villain")
        return any(x.big and x.reveal_episode <= self.n and villain and villain in x.text
                   for x in self.series.plan.secrets) and self.villain_state() != "arrested"

    def barred_scene(self) -> SceneDraft | None:
        """The episode after the big reveal barred the villain: the bar on screen where the
        lead works (``next`` of the device's ``barred`` in seeds/devices.json: the ward's
        no-visitors list; else the big reveal's ``next`` in the story bank: the family shuts
        its door), and the lead reading what the villain will try instead."""
        big = next((x for x in self.series.plan.secrets if x.big), None)
        if big is None or self.n != big.reveal_episode + 1 or not self.villain_barred():
            return None
        script = (self.dev or {}).get("barred", {}).get("next", {}).get(self.lang) or \
            self.bank["kinds"]["big_reveal"].get("next")
        work = [p for p in self.brief.places if p in self.bible.places] or self.bible.places
        if not script or not work:
            return None
        return self.written_scene(script, work[0], intensity=0.6)

    def known_twist(self) -> dict:
        """The device's tellings once its twist is out (``known`` in seeds/devices.json): the
        season's big secret came out at its own reveal, so the device's reveal and payoff
        refer to it as known rather than announce it again as news. Empty while it holds, and
        for a further thread's device (its twist is not the season's secret)."""
        d = self.dev or {}
        twist = self.fill(d["twist"][self.lang]) if d.get("twist") else ""
        told = any(x.big and x.text == twist and x.reveal_episode < self.n
                   for x in self.series.plan.secrets)
        return d.get("known", {}) if twist and told else {}

    def job_step_scene(self) -> SceneDraft | None:
        """The lead's job whenever five episodes have passed without it, so that it stays in
        view to the season's end, not only while the device is new."""
        if self.n - self.season.job_last < _JOB_GAP or self.event.kind == "finale":
            return None
        return self.job_scene()

    def job_scene(self) -> SceneDraft | None:
        """The lead at her job: its next step (seeds/brief.json steps, in order, each set at
        the job's place its action names), then, once they are spent, a shift from the
        bank."""
        if not self.brief.job or self.event.kind == "finale":
            return None
        steps = self.bank.get("steps") or []
        k = next((i for i, sc in enumerate(steps)
                  if not self.season.cores.get(f"step:{sc[0][1]}")), len(steps))
        work = [p for p in self.brief.places if p in self.bible.places]
        if k >= len(steps) or not work or self.bedbound and any(
                st[0] == "love" for st in steps[k]):
            return self.work_scene()
        self.season.cores[f"step:{steps[k][0][1]}"] = 1
        self.season.job_last = self.n
        at = steps[k][0][3][1:]
        return self.written_scene(steps[k], at if at in work else work[self.n % len(work)])

    def job_spare(self) -> bool:
        """Whether a thin episode may take a shift from the bank: only while more of the job's
        scenes are left than the rest of the season needs to keep the job in view."""
        steps = self.bank.get("steps") or []
        left = sum(not self.season.cores.get(f"step:{sc[0][1]}") for sc in steps) + sum(
            not self.season.cores.get(f"work:{i}") and sc[0][3] != "@partner"
            for i, sc in enumerate(self.bank.get("work") or []))
        return left > -(-(len(self.series.plan.episodes) - self.n) // _JOB_GAP)

    def written_scene(self, script: list, place: str, intensity: float = 0.4) -> SceneDraft | None:
        """A written scene of the bank (steps of speaker, action, line, parenthetical) at
        ``place``, which ``{work}`` names, opening on the place."""
        saved, self.slots = self.slots, Slots(self.slots, work=place)
        try:
            els = [self.step(*st, intensity=intensity) for st in script]
        finally:
            self.slots = saved
        heading = self.heading(place, els)
        opening = self.opening(heading, self.slots)
        return self.scene(2, heading, [opening, *els])

    def mini_scene(self) -> SceneDraft | None:
        """A short written scene for a thin episode: the couple's next step (in order, once the
        love interest is up and the paywall is past) or the case against an exposed villain
        (the lawyer, the police, the trial date); each once a season.

        The eve of the end is the last stretch's, never the last episode's: the verdict is
        read there, and its eve was the episode before (whose ending is the night before it);
        a moment that names the eve itself ('决战前夜') waits for the episode before the
        showdown or the verdict."""
        pools = []
        if not self.bedbound and self.n > self.series.plan.paywall_episode:
            pools.append("couple")
        if self.exposed:
            pools.append("case")
        pools.sort(key=lambda p: (self.n + len(p)) % 2)
        finale = self.event.kind == "finale"
        if self.exposed and self.n >= len(self.series.plan.episodes) * 0.8 and not finale:
            pools.insert(0, "eve")  # the last stretch: the eve of the end
        eve_now = self.next is not None and self.next.kind in ("showdown", "finale")
        for name in pools:
            pool = self.bank.get(name) or []
            last = self.season.cores.get(f"{name}:last", -99)
            if self.n - last < _SPACING.get(name, 1):
                continue  # the couple's steps come a few episodes apart, not in a row
            love = self.name("love")
            # in order, each once a season (told by its first moment: the pool as this
            # episode may use it is gated, so its indices shift after the reveal); a scene
            # he speaks in waits while he keeps to his bed
            i = next((k for k, sc in enumerate(pool)
                      if not self.season.cores.get(f"{name}:{sc[0]!r}") and not (
                          self.bedbound and any(st[0] == "love" or love in (st[1] or "")
                                                for st in sc))
                      and (eve_now or not _EVE.search(sc[0][1] or ""))), None)
            if i is None:
                continue
            self.season.cores[f"{name}:{pool[i][0]!r}"] = 1
            self.season.cores[f"{name}:last"] = self.n
            script = [list(st) for st in pool[i]]
            place = self._mini_place(script[0][3] or "")
            script[0][3] = None
            els = [self.step(*st, intensity=0.4) for st in script]
            heading = self.heading(place, els)
            opening = self.opening(heading, self.slots)
            return self.scene(2, heading, [opening, *els])
        return None

    def device_opening(self, pair: list[str], entrance: str, jibe: str) -> SceneDraft:
        """Episode 1 with a device: the lead at work as the device is set up (the hook), the
        villain walks in on it (the twist), the lead answers, and the villain's aside."""
        el = self.device_element("setup", kind="hook", intensity=0.9)
        sep = "" if self.lang == "zh" else " "
        if self.brief.situation and self._at_work("setup"):
            el.action = self.fill(self.brief.situation) + sep + el.action
        elif self.brief.situation:  # the setup happens elsewhere: then back to work
            later = "当晚，" if self.lang == "zh" else "Later that night. "
            entrance = later + self.fill(self.brief.situation) + sep + entrance
        el.characters = list(dict.fromkeys(
            [*el.characters, *(n for n in self.names.values() if n in el.action)]))
        els: list = [el]
        if self.brief.situation and self._at_work("setup") and _CROWD.search(entrance):
            # the secret found at her work, then the villain's scene in front of everyone: not
            # in one breath (the crowd would have heard it), but the same place hours later
            self.opened = self.scene(1, self.heading(self.event.place), els)
            els = []
        taunt = self.voice.compose(briefs.taunts()[self.lang], self.slots) if self.brief.job \
            else None
        villain = self.name("villain")
        els.append(ScriptElement(
            action=entrance, beat="twist", intensity=0.85,
            characters=list(dict.fromkeys([villain, *(n for n in self.names.values()
                                                      if n in entrance)])),
            props=[self.event.prop] if self.event.prop in entrance else [],
            line=self.spoken(villain, taunt or self.voice.compose([jibe], self.slots),
                             self.voice.emotion("press", "villain"))))
        written = self.opening_exchange()
        if written:
            return self.scene(1, self.day_heading(), els + written)
        els.append(self.say("retort", "hero", "villain", intensity=0.6, present=pair))
        els.append(self.say("press", "villain", "hero", intensity=0.7, present=pair))
        if self.voice.can("aside", "ally"):
            els.append(self.say("aside", "ally", None, intensity=0.4,
                                present=[self.name("ally"), self.name("hero")]))
        els.append(self.say("aside", "villain", None, intensity=0.7, present=pair))
        return self.scene(1, self.day_heading(), els)

    def day_heading(self) -> SceneHeading:
        """Episode 1's humiliation: in the working day, where a crowd can see it, once the
        secret's own moment played apart (``opened``)."""
        heading = self.heading(self.event.place)
        return heading.model_copy(update={"time": "DAY"}) if self.opened is not None else heading

    def opening_exchange(self) -> list[ScriptElement]:
        """Episode 1's answer to the humiliation, written whole (``seeds/openings.json``): the
        lead, the villain and her friend, each line answering the last; one per season."""
        pool = props.openings(self.lang)
        if not pool:
            return []
        steps = pool[self.rng.randrange(len(pool))]
        return [e for e in (self.step(*st, intensity=0.6) for st in steps) if e is not None]

    def inciting_scene(self, els: list, pair: list[str]) -> SceneDraft:
        """Episode 1: the humiliation, the answer, then the premise's device is set up (or, with
        none, the premise's rash decision)."""
        g = self.bible.genre
        if self.brief.job:
            taunts = briefs.taunts()[self.lang]
            text = self.voice.compose(taunts, self.slots)
            els.append(ScriptElement(characters=pair, intensity=0.7, line=self.spoken(
                self.name("villain"), text, self.voice.emotion("press", "villain"))))
        written = self.opening_exchange()
        els += written
        if not written:
            els.append(self.say("retort", "hero", "villain", intensity=0.6, present=pair))
            if not self.brief.job:
                els.append(self.say("press", "villain", "hero", intensity=0.7, present=pair))
            if self.voice.can("aside", "ally"):
                els.append(self.say("aside", "ally", None, intensity=0.4,
                                    present=[self.name("ally"), self.name("hero")]))
        if self.dev:
            el = self.device_element("setup", kind="twist", intensity=0.9)
            els.append(el)
            holder = self.brief.device_holder
            other = holder if el.line and el.line.speaker != self.name(holder) else "hero"
            if other != "hero" and not self.voice.can("reel", other):
                other = "hero"
            els.append(self.say("reel", other, None, intensity=0.7,
                                present=[self.name(other), self.name("hero")]))
            els.append(self.say("aside", "villain", None, intensity=0.7, present=pair))
            return self.scene(1, self.heading(self.event.place), els)
        inc = self.bank["inciting"].get(g) or self.bank["inciting"]["flash_marriage"]
        decision = self.fill(inc["action"])
        els.append(ScriptElement(
            action=decision, beat="twist", intensity=0.9,
            characters=[n for n in self.names.values() if n in decision] or [self.name("hero")],
            line=self.spoken(self.name("hero"), self.voice.compose([inc["line"]], self.slots),
                             self.voice.emotion("push", "hero"))))
        reply = inc.get("reply")
        if reply:
            who = self.name(reply["speaker"])
            els.append(ScriptElement(
                characters=[who, self.name("hero")], intensity=0.6,
                line=self.spoken(who, self.voice.compose([reply["line"]], self.slots),
                                 reply["emotion"])))
        els.append(self.say("aside", "villain", None, intensity=0.7, present=pair))
        return self.scene(1, self.heading(self.event.place), els)

    def finale_scene(self, els: list, pair: list[str]) -> SceneDraft:
        """The last episode: the villain is taken away; the hero has the last word."""
        past = _event(self.series.plan, self.outline.callback or 1)
        s = Slots(self.slots, place=past.place, **self.object_slot(past))
        memory = self.fill(self.bank["kinds"][past.kind]["memory"] or "{place}", s)
        s["memory"] = memory if "{" not in memory else self.fill("{place}", s)
        els.append(self.say("callback", "hero", "villain", beat="pivot", intensity=0.6,
                            present=pair, slots=s))
        els += self.turn("hero", pair)
        where = _place_named(els[0].action, self.lang) if els and els[0] else ""
        return self.scene(1, self.heading(where or self.event.place), els)

    def turn(self, instigator: str, pair: list[str]) -> list:
        """The scene turns: a secret comes out, or the event's own reversal."""
        ev, kind = self.event, self.bank["kinds"][self.event.kind]
        if ev.secret:
            secret = self.secrets[ev.secret]
            who = "elder" if secret.big else "hero"
            if who == "hero" and self.name("hero") in secret.text:
                who = "ally"  # a secret about her is told by her friend, not in her own name
            s = Slots(self.slots, who=self.name(who), secret=secret.text)
            reveal = self.bank["reveal"]
            told = [a for a in (self.fill(x, s) for x in [*reveal["action"],
                                                           *props.reveals(self.lang)])
                    if "{" not in a]  # each way of telling once a season
            action = told[props.once(told, self.n, self.season.cores, "reveal",
                                     key=lambda a: a.replace(self.name(who), ""))]
            text = self.voice.compose(reveal["line"], s)
            if text is None:  # the secret must be said: plainly, once
                text = self.voice.keep(self.fill(reveal["line"][0], s))
            return [ScriptElement(
                action=action, beat="twist", props=[ev.prop], intensity=0.95,
                characters=list(dict.fromkeys([self.name(who), *pair])),
                line=self.spoken(self.name(who), text, _aloud(self.voice.emotion("reel", "elder"),
                                                              self.lang))),
                self.say("reel", _reeler(instigator, ev), None, intensity=0.8, present=pair)]
        turns = self.tellings("turn")
        if not turns:
            return []
        # a telling its object can play, on the object only where it was planted, each once
        # a season before any again
        if self.bedbound:  # he lies in his bed: a turn someone else can make, or her own
            turns = [x for x in turns if x.get("speaker") != "love" and
                     not self.season.cores.get("tell:" + x["action"])] or \
                props.alone(self.lang, ev.kind) or turns
        t = self.choose(turns, ev.variant, villain=self.villain_state())
        if self.bedbound and t.get("speaker") == "love":
            # he lies in his bed: his friend does not take his moment; she stands up herself
            t = kind.get("turn_alone") or self.bank.get("turn_alone") or t
            if "{prop}" in str(t) and not self.shows_object:  # no object she was never seen with
                t = props.alone(self.lang, ev.kind)[0]
        action = self.fill(t["action"])
        speaker = self.name(t["speaker"])
        beat = "payoff" if self.outline.is_paywall else "twist"
        out = [ScriptElement(
            action=action, beat=beat, props=[ev.prop] if ev.prop in action else [],
            intensity=0.85, characters=list(dict.fromkeys(
                [n for n in self.names.values() if n in action] or [speaker])),
            line=self.spoken(speaker, self.voice.compose(
                [t["line"]], self.slots, self.name(instigator)),
                self.turn_emotion(t["speaker"])))]
        if ev.kind != "finale":
            reeler = _reeler(instigator, ev)
            out.append(self.say("reel", reeler, t["speaker"], intensity=0.7, present=pair))
            witness = KINDS[ev.kind][3]
            if witness not in (reeler, t["speaker"]) and self.voice.can("reel", witness) \
                    and self.n % 2 == 0:
                out.append(self.say("reel", witness, None, intensity=0.6,
                                    present=[self.name(witness)]))
        return out

    def device_scene(self, opening: bool = False) -> SceneDraft | None:
        """The device's beat of this episode (a clue, a near-exposure, the reveal, the payoff),
        where the lead's work or the event puts it, and who it hits."""
        if not self.dbeat or (self.n == 1 and not opening) or self.dbeat == "echo":
            return None
        beat = self.dbeat
        work = [p for p in self.brief.places if p in self.bible.places]
        others = [p for p in self.bible.places if p != self.event.place]
        if self.sub is not None and self.dev is self.sub[0] and not self._at_work(beat):
            others = [p for p in others if p not in work] or others  # not at the lead's work
        if work and self._at_work(beat):
            place = work[self.n % len(work)]
        else:
            place = others[self.n % len(others)] if others else self.event.place
        if place == self.event.place and others and not self.dev.get("at_work"):
            place = others[(self.n + 1) % len(others)]
        if beat in ("reveal", "payoff") and outdoors(place):  # a truth out before people
            place = next((p for p in others if not outdoors(p)), place)
        if self.bedbound and (self.sub is None or self.dev is not self.sub[0]) and work:
            place = work[0]  # he keeps to his bed: the device plays at his bedside
        kind = {"reveal": "twist", "payoff": "payoff"}.get(beat, "pivot")
        el = self.device_element(beat, kind=kind,
                                 intensity=0.9 if beat in ("reveal", "payoff") else 0.75)
        named = _place_named(el.action, self.lang)
        villain, hero = self.name("villain"), self.name("hero")
        if named:  # the action says where it happens (at the grave, outside the mansion)
            place = named
        elif (_PUBLIC.search(el.action) or beat in ("reveal", "payoff") and
              any(w in place.lower() for w in _HOME)) and self._family_house() and \
                not self._at_work(beat):
            place = self._family_house()  # a truth out before the family, not in her flat
        elif villain in el.characters and hero not in el.characters and (
                any(w in place.lower() for w in _HOME) or self.exposed):
            # her secret act: not in the lead's home; in the family house only while she
            # still belongs there
            away = [p for p in self.bible.places if p != self.event.place
                    and not any(w in p.lower() for w in _HOME)]
            place = self._family_house() if not self.exposed and self._family_house() else \
                away[self.n % len(away)] if away else place
        speaker_role = next((r for r, nm in self.names.items() if el.line and
                             nm == el.line.speaker), "hero")
        if beat in ("reveal", "payoff"):
            reactor = "villain" if speaker_role != "villain" else "hero"
        elif beat.startswith("near"):
            reactor = "hero" if speaker_role != "hero" else self.holder
        else:
            reactor = "ally" if speaker_role == "hero" else "hero"
        if reactor == speaker_role or not self.voice.can("reel", reactor):
            reactor = "love" if speaker_role != "love" else "ally"
        present = list(dict.fromkeys([*el.characters, self.name(reactor)]))
        kind_of = beat.rstrip("123")
        if reactor == "hero" and speaker_role == "villain" and hero not in el.characters:
            # the lead answers what she was not there to see: she saw it from hiding
            seen = ("{hero}躲在暗处，把这一幕看得清清楚楚。" if self.lang == "zh" else
                    "Out of sight, {hero} sees every second of it.")
            sep = "" if self.lang == "zh" else " "
            el.action = el.action + sep + self.fill(seen)
            el.characters = list(dict.fromkeys([*el.characters, hero]))
        text = self.voice.compose(briefs.reactions()[kind_of][self.lang], self.slots)
        reply = ScriptElement(characters=present, intensity=0.7, line=self.spoken(
            self.name(reactor), text, self.voice.emotion("reel", reactor))) if text else \
            self.say("reel", reactor, speaker_role, intensity=0.7, present=present)
        els = [el, reply]
        if beat in ("reveal", "payoff") and self.voice.can("aside", "ally") and self.n % 2:
            els.append(self.say("aside", "ally", None, intensity=0.4,
                                present=[self.name("ally")]))
        return self.scene(2, self.heading(place, els), els)

    def _mini_place(self, where: str) -> str:
        """A written scene's place: the lead's home, a roof, or the place it names."""
        places = self.bible.places
        if where == "@home":
            home = {"zh": "出租屋", "en": "a rented flat"}[self.lang]
            homes = [p for p in places if p == home] or \
                [p for p in places if any(w in p.lower() for w in _HOME)]
            return homes[0] if homes else self.event.place
        if where == "@family":
            return (self._family_house() if not self.evicted else "") or \
                self._mini_place("@home")
        if where == "@out":
            outs = [p for p in places if any(k in p for k in _OUTDOOR)]
            return outs[0] if outs else self.event.place
        if where == "@roof":
            roofs = [p for p in places if any(w in p for w in ("天台", "rooftop", "roof"))]
            return roofs[0] if roofs else {"zh": "天台", "en": "the roof"}[self.lang]
        return where or self.event.place

    def _family_house(self) -> str:
        home = {"zh": "老宅客厅", "en": "the family house"}[self.lang]
        return home if home in self.bible.places else ""

    def ripple_scene(self, force: bool = False) -> SceneDraft | None:
        """Word of the event reaches the family head: the villain works on the elder (until the
        villain is exposed or cornered), or the love interest stands up for the hero."""
        if self.event.kind in ("finale", "win_witness"):
            return None
        used = {self.event.place, self._aftermath_place()}
        # word reaches the family head in her own house (later, where the event played there
        # too), never in the lead's flat nor under a flyover
        places = [p for p in self.bible.places if p not in used and not outdoors(p)
                  and not any(w in p.lower() for w in _HOME)] or \
            [p for p in self.bible.places if p not in used] or self.bible.places
        house = self._family_house()
        place = house if house and house != self._aftermath_place() else \
            places[self.n % len(places)]
        heading = self.heading(place)
        elder = self.name("elder")
        if self.elder_won and self.n % 2 and not force:
            return None  # she has come round: she is seen every other episode, not nagging
        if self.elder_won:  # she has come round: she stands with the lead now
            hero = self.name("hero")
            late = "_after" if self.exposed else ""  # what she does about a villain cast out
            written = self.exchange("with_lead" + late, [elder, hero])
            if written:  # at her house, where the soup and the scarf are
                heading = self.heading(self._family_house() or place)
                return self.scene(2, heading, [self.opening(heading, self.slots), *written])
            if self.evicted:  # she comes round to the lead's room, not the other way
                heading = self.heading(self._mini_place("@home"))
            els = [self.opening(heading, self.slots),
                   self.say("elder_side" + late, "elder", "hero", intensity=0.4,
                            present=[elder, hero]),
                   self.say("to_elder" + late, "hero", "elder", intensity=0.4,
                            present=[elder, hero])]
            if self.n % 2:
                els.append(self.say("elder_side", "elder", "hero", intensity=0.4,
                                    present=[elder, hero]))
            if len([e for e in els if e is not None and e.line]) < 2:
                return None
            return self.scene(2, heading, els)
        side = "villain" if self.n % 2 == 0 and not (self.exposed or self.cornered) else "love"
        reveal = next((m for m, b in self.series.plan.device_beats.items() if b == "reveal"), 0)
        if side == "love" and self.brief.device_holder == "love" and self.n < reveal and \
                self.series.plan.device in _UNKNOWN_TO_FAMILY:
            if self.exposed or self.cornered:  # who he is stays unknown to the family head
                return None                    # until the reveal: he does not plead with her
            side = "villain"
        if side == "love" and self.bedbound:
            if self.exposed or self.cornered:
                return None
            side = "villain"
        other = self.name(side)
        # a written exchange first, each line answering the last; he is not named while he lies
        # in his faked coma or while the family does not know him
        unnamed = self.bedbound or (self.brief.device_holder == "love" and self.n < reveal
                                    and self.series.plan.device in _UNKNOWN_TO_FAMILY)
        written = self.exchange(f"{side}_elder", [elder, other],
                                allow=lambda pool: not (unnamed and any("{love}" in t
                                                                        for t in pool)))
        if written:
            return self.scene(2, heading, [self.opening(heading, self.slots), *written])
        if not force:
            return None  # no stock three lines: the family head is not seen this episode
        els = [self.opening(heading, self.slots)]
        els.append(self.say("news", "elder", None, intensity=0.4, present=[elder, other]))
        els.append(self.say("scheme" if side == "villain" else "defend", side, "elder",
                            intensity=0.5, present=[elder, other]))
        if self.n % 4 != 1:
            els.append(self.say("weigh", "elder", side, intensity=0.4, present=[elder, other]))
        if len([e for e in els if e is not None and e.line]) == 0:
            return None
        return self.scene(2, heading, els)

    def exchange(self, key: str, pair: list[str],
                 allow: Callable[[list[str]], bool] | None = None) -> list[ScriptElement]:
        """A written exchange, each reply answering the line before it, told once a season
        (none left: an empty list); ``allow`` passes on the unfilled lines."""
        pool = exchanges(self.lang, key)
        for k in range(len(pool)):
            i = (self.n + k) % len(pool)
            tag = f"exchange:{key}:{i}"
            if allow is not None and not allow(pool[i]):
                continue
            texts = [self.fill(t) for t in pool[i]]
            if self.season.cores.get(tag) or any(t in self.season.said for t in texts) or \
                    not all(fits(t, self.frame, self.lang) for t in texts):  # the premise's own
                continue
            if self.season.elder_sorry and any(
                    pair[j % 2] == self.name("elder") and _APOLOGY.search(t)
                    for j, t in enumerate(texts)):
                continue  # she has said sorry once; she does not come round again
            self.season.cores[tag] = 1
            self.season.elder_sorry |= any(pair[j % 2] == self.name("elder")
                                           and _APOLOGY.search(t) for j, t in enumerate(texts))
            return [ScriptElement(characters=list(pair), intensity=0.4,
                                  line=self.spoken(pair[j % 2], self.voice.keep(t), None))
                    for j, t in enumerate(texts)]
        return []

    def establish(self, heading: SceneHeading, slots: Slots) -> str:
        """The scene's first image: one of the place's own (``establish_at``: the depot's
        chargers, the ward's monitor) or of a home, an inside or an outside, the telling the
        season has used least, each at most twice a season and never twice an episode. None
        left: the place named plainly (``establish_bare``), a wide shot with no image to
        come back."""
        place = heading.place
        kinds = self.bank["establish"]
        kind = "EXT" if heading.setting == "EXT" else \
            "HOME" if "HOME" in kinds and any(w in place.lower() for w in _HOME) else "INT"
        own = [t for row in self.bank.get("establish_at") or story_bank()[self.lang].get(
            "establish_at", []) if any(k in place for k in row["at"]) for t in row["lines"]]
        pool = [t for t in [*own, *kinds[kind]] if _fits_time(t, heading.time)
                and t not in self.established
                and self.season.cores.get("establish:" + t, 0) < MAX_USES]
        if not pool:
            bare = [t for t in self.bank.get("establish_bare") or story_bank()[self.lang].get(
                "establish_bare", []) if t not in self.established]
            if not bare:
                return ""
            pool, own = bare[:1], []
        rank = {t: (self.season.cores.get("establish:" + t, 0), t not in own, self.rng.random())
                for t in pool}
        pick = min(pool, key=rank.__getitem__)
        self.established.add(pick)
        self.season.cores["establish:" + pick] = self.season.cores.get("establish:" + pick, 0) + 1
        return self.fill(pick, Slots(slots, place=place, place_c=_cap(place)))

    def opening(self, heading: SceneHeading, slots: Slots) -> ScriptElement | None:
        """The scene's establishing image as its first moment; None once the season has spent
        the place's images."""
        image = self.establish(heading, slots)
        return ScriptElement(action=image, intensity=0.1) if image else None

    def thread_moved(self) -> ScriptElement | None:
        """The lead's word on a thread revealed or settled this episode (the main device's or a
        further one's), said once in the aftermath: the reveal sticks."""
        for d, beat in ((self.dev, self.dbeat), *([(self.sub[0], self.sub[2])] if self.sub
                                                  else [])):
            if d is None or beat not in ("reveal", "payoff"):
                continue
            # what she has known all along is acknowledged, not answered as a question
            known = beat == "reveal" and d.get("carrier", {}).get("stated_known")
            pool = _MOVED[self.lang]["acknowledged" if known else beat]
            k = sum(1 for m, b in self.series.plan.device_beats.items() if b == beat
                    and m < self.n) + sum(1 for sp in self.series.plan.subplots
                                          for m, b in sp.beats.items() if b == beat and m < self.n)
            text = self.fill(pool[k % len(pool)], Slots(  # said as the people in on it say it
                self.slots, dev=(d.get("said", {}).get(self.lang) or d["noun"][self.lang]).replace(
                    "{holder}", str(self.slots.get("holder", "")))))
            hero = self.name("hero")
            return ScriptElement(beat="pivot", intensity=0.5, characters=[hero],
                                 line=self.spoken(hero, self.voice.keep(text),
                                                  "低声" if self.lang == "zh" else "quietly"))
        return None

    def _aftermath_place(self) -> str:
        # the lead's night: not in the family house she was thrown out of, nor in one she
        # never lived in (a nurse's nights are not spent at her patient's family's)
        away = self.evicted or not briefs.lives_in_family_house(self.brief)
        places = [p for p in self.bible.places if p != self.event.place and not (
            away and p == self._family_house())] or self.bible.places
        return places[(self.n + 1) % len(places)]

    def aftermath_scene(self) -> SceneDraft:
        confidant = "love" if self.n % 2 and not self.bedbound else "ally"
        if ATTACKS.get(self.event.kind) == "ally" and not self.bedbound:
            confidant = "love"  # she was hurt tonight: she is not bouncing back in a scene
        talk = self.night_talk(confidant)
        place = self._aftermath_place()
        heading = self.heading(place)
        if talk and heading.setting == "EXT":  # a written night's kettle and table are indoors
            home = self._mini_place("@home")
            if home != place:
                heading = self.heading(home)
        hero, friend = self.name("hero"), self.name(confidant)
        s = Slots(self.slots, place=self.event.place, place_c=_cap(self.event.place))
        els: list = [self.opening(heading, s)]
        if self.event.kind == "finale":
            return self.finale_ending(heading, els)
        # the night's talk takes one of several shapes, so that the last scenes of a season
        # do not all run mood, comfort, plan, offer: the whole talk, the friend speaking
        # first, the lead alone with her plan, or the lead's mood and plan cut short by the
        # ending
        shape = "talk" if self.n == 1 else _TALKS[self.n % len(_TALKS)]
        moved = self.thread_moved()
        if moved is not None:  # what came out this episode changes what she says tonight
            els.append(moved)
        if talk:  # a written talk, each line answering the last, in place of the stock lines
            els += talk
        elif moved is None and shape in ("talk", "cut"):
            els.append(self.say("aftermath", "hero", None, beat="pivot", intensity=0.4,
                                present=[hero, friend], slots=s))
        if shape in ("talk", "friend") and not talk:
            els.append(self.say("support", confidant, "hero", intensity=0.3,
                                present=[hero, friend], slots=s))
        if self.dbeat == "echo":
            els.append(self.mention())
        # foreshadowing: the three episodes before a secret comes out point at who hides it
        upcoming = [x for x in self.series.plan.secrets if 1 <= x.reveal_episode - self.n <= 3
                    and not x.big and x.owner in self.names]
        if upcoming:
            hint = Slots(s, owner=self.name(upcoming[0].owner))
            speaker = confidant if self.voice.can("hint", confidant) else "hero"
            els.append(self.say("hint", speaker, None, intensity=0.5, present=[hero, friend],
                                slots=hint))
        if self.n == 1 and self.brief.want:  # the lead says what she wants, once
            want = first_person(self.fill(self.brief.want),
                                self.genders.get(hero, "female"), self.lang)
            said = ("我现在只想" + want + "。") if self.lang == "zh" else \
                ("All I want now is to " + want + ".")
            vow = (briefs.devices().get(self.brief.device) or {}).get("vow", {}).get(self.lang)
            if vow:  # the want in her own words, not the brief's
                said = self.fill(vow, Slots(self.slots, holder=self.name(
                    self.brief.device_holder or "love")))
            els.append(ScriptElement(characters=[hero, friend], intensity=0.5,
                                     line=self.spoken(hero, self.voice.keep(said),
                                                      "坚定" if self.lang == "zh" else "firmly")))
        nxt = self._ahead()
        push = Slots(s, place=nxt.place, **self.object_slot(nxt))
        if not talk:
            els.append(self.say("push", "hero", confidant, beat="push", intensity=0.6,
                                present=[hero, friend], slots=push))
        if shape == "talk" and self.n % 3 != 2 and not talk:
            els.append(self.say("plan", confidant, "hero", intensity=0.5,
                                present=[hero, friend], slots=push))
        self.turn_told = None
        self.outdoors = heading.setting == "EXT"
        els.append(self.cliffhanger(hero, friend))
        if self.turn_told is not None:
            self.season.answers[self.n] = (self.turn_told, heading)
        return self.scene(2, heading, els)

    def night_talk(self, confidant: str) -> list[ScriptElement]:
        """The night's talk written whole (``seeds/nights.json``) for what the event left the
        lead with: the first from the episode's turn in the pool that the villain's state
        allows and the season has not played; nothing when none is left. The lead's last line
        carries the episode's push toward what comes next."""
        if self.event.kind in ("showdown", "finale"):
            return []
        villain = self.villain_state()
        pool = [t for t in night_talks(self.lang, self.event.kind)
                if villain in t.get("villain", [villain])
                and not self.season.cores.get("night:" + t["steps"][0][2])]
        if self.event.kind in ("closer", "private_talk") and confidant != "love":
            pool = []  # the couple's night is theirs
        if not pool:
            return []
        talk = pool[self.n % len(pool)]
        self.season.cores["night:" + talk["steps"][0][2]] = 1
        friend = self.name(confidant)
        out = [self.step(role if role == "hero" else confidant,
                         action.replace("{friend}", friend), line.replace("{friend}", friend),
                         emotion, intensity=0.4)
               for role, action, line, emotion in talk["steps"]]
        out = [e for e in out if e is not None]
        self.whole = {id(e) for e in out}
        if out and out[-1].line is not None:
            out[-1].beat, out[-1].intensity = "push", 0.6
        self.mark_pivot([], out[:-1], out[-1:])  # where the night's talk turns her round
        return out

    def mark_pivot(self, before: list, targets: list, after: Sequence = ()) -> None:
        """Mark the beat where a written scene's emotional direction reverses as its pivot:
        the first of ``targets`` whose line (and how it is said) swings to the other side of
        the last charged line before it; a swing that lands on ``after`` (the push that ends
        the talk) is turned by the target just before it. Where the words show no swing, the
        last target (the move the turn answers) is the crack."""
        els = [e for e in (*before, *targets, *after) if e is not None and e.line is not None]
        vals = LexiconScorer().score([f"{e.line.parenthetical or ''} {e.line.text}" for e in els],
                                     self.lang)
        last, at = None, None
        for k, (e, (v, _)) in enumerate(zip(els, vals, strict=True)):
            if abs(v) < 0.2:
                continue
            if last is not None and (v > 0) != (last > 0) and (
                    any(e is t for t in targets) or any(e is a for a in after)):
                at = e if any(e is t for t in targets) else els[k - 1]
                break
            last = v
        free = [t for t in targets if t is not None and not t.beat]
        if at is None or not any(at is t for t in free):
            at = free[-1] if free else None
        if at is not None:
            at.beat, at.intensity = "pivot", max(at.intensity, 0.6)
            self.pivots.add(id(at))

    def _ahead(self) -> StoryEvent:
        """The next episode's event; past the last one of a season too short to resolve, the
        villain's next move, left open."""
        return self.next or self.event.model_copy(update={"kind": "open",
                                                          "instigator": "villain"})

    def state_ending(self, hero: str, friend: str) -> ScriptElement | None:
        """An ending that turns on where the story stands (a question, a threat, a choice, a
        discovery, an arrival, a betrayal, someone hurt), each told once a season, of a kind
        other than the last one's; the next episode opens on its answer. The ending before a
        reveal, an attack or the showdown leads into it instead, and one episode in five ends
        on the next event's object."""
        nxt, total = self.next, len(self.series.plan.episodes)
        if nxt is None or nxt.kind in ("big_reveal", "last_gambit", "showdown", "finale") \
                or self.n + 1 >= total:
            return None
        villain = self.after.villain if self.after is not None else "hidden"
        if self.n % 5 == 0 and villain != "arrested":
            return None
        elder = self.after.elder if self.after is not None else "against"
        up = not self.bedbound and not self._bedbound_at(self.n + 1)
        pool = state_endings(self.lang)
        fits = [i for i, e in enumerate(pool) if i not in self.season.turns_told
                and villain in e.get("villain", [villain]) and elder in e.get("elder", [elder])
                and fits_custody(e, self.after.custody if self.after is not None else "free")
                and (up or not e.get("love"))
                # who ends it on screen is in the scene; who it happens to far off is not
                and (e["end"][0] not in ("love", "ally") or self.name(e["end"][0]) == friend)
                and all(self.name(r) != friend for r in e.get("away", []))
                and not (getattr(self, "outdoors", False) and _INDOORS_ONLY.search(e["end"][1]))
                and not self._spent(e.get("as")) and not self._unrevealed(e.get("secret"))]
        if not fits:
            return None
        # spread over what is left of the stretch: no more of them used up early than late
        ahead = [m for m in range(self.n, total - 1) if m % 5]
        rate = min(1.0, len(fits) / max(1, len(ahead)))
        if int(self.n * rate) == int((self.n - 1) * rate):
            return None
        last = self.season.turn_kinds[-2:]
        # a kind other than the last two; an ending that fits this state only before one
        # that fits any (kept for the stretches that have few of their own)
        i = min(fits, key=lambda i: (pool[i]["kind"] in last,
                                     len(pool[i].get("villain", _VILLAIN_STATES)),
                                     self.season.turn_kinds.count(pool[i]["kind"]),
                                     (i * 7 + self.n) % len(pool)))
        entry = pool[i]
        el = self.step(*entry["end"], beat="cliffhanger", intensity=0.95)
        if el is None or miscast(el.action, self.name(entry["end"][0]), [hero, friend],
                                 self.names.values()):
            return None
        self.season.turns_told.add(i)
        self.season.turn_kinds.append(entry["kind"])
        self.season.endings.add(el.action, force=True)
        self.turn_told = entry
        return el

    def _unrevealed(self, owner: str | None) -> bool:
        """Whether a secret of ``owner``'s (the elder who covered for the villain) is still to
        come out at its planned reveal: an ending that asks about it would tell it first, and
        the reveal would then announce it again as news."""
        return owner is not None and any(x.owner == owner and x.reveal_episode > self.n
                                         for x in self.series.plan.secrets)

    def _spent(self, kind: str | None) -> bool:
        """An ending that plays an event of ``kind`` (the ally's brakes cut is an attack, the
        assistant at the door a defection) counts with the season's events of that kind:
        none once the plan has as many as a season allows."""
        if kind is None:
            return False
        planned = sum(ev.kind == kind for ev in self.series.plan.events)
        told = sum(e.get("as") == kind for e in (state_endings(self.lang)[i]
                                                  for i in self.season.turns_told))
        return planned + told >= MAX_TIMES.get(kind, 99)

    def _bedbound_at(self, n: int) -> bool:
        reveal = next((m for m, b in self.series.plan.device_beats.items() if b == "reveal"), 0)
        return bool(self.dev) and self.series.plan.device == "faked_coma" and \
            self.brief.device_holder == "love" and n < reveal

    def answer_scene(self) -> SceneDraft | None:
        """The last episode's ending, answered where it was left: the first scene."""
        told = self.season.answers.get(self.n - 1)
        if told is None:
            return None
        entry, heading = told
        if entry.get("at"):  # the answer plays where the ending sent her (a car, A&E)
            setting, place, time = entry["at"]
            heading = SceneHeading(setting=setting, place=self.fill(place),
                                   time=time or heading.time)
        els = [self.step(*st, beat="hook" if k == 0 else None,
                         intensity=0.9 if k == 0 else 0.5)
               for k, st in enumerate(entry["answer"])]
        return self.scene(1, heading.model_copy(), _exchange(els))

    def cliffhanger(self, hero: str, friend: str) -> ScriptElement:
        """The ending sets up the next episode's event: its instigator arrives with its prop,
        the hero finds it, an elder summons her, a reveal is cut short, or danger strikes. An
        ending like one the season has had is passed over for another telling."""
        eve = self.bank.get("finale_eve")
        if eve and self.next is not None and self.next.kind == "finale":
            # the night before the verdict: no new mystery the last episode would leave open;
            # the object the verdict turns on, in her hands
            shown = self.object_slot(self.next)
            action = self.fill(eve["action_prop"], Slots(self.slots, **shown)) if shown else \
                self.fill(eve["action"])
            return ScriptElement(
                action=action, beat="cliffhanger", intensity=0.9, characters=[hero],
                props=list(shown.values()),
                line=self.spoken(hero, self.voice.keep(self.fill(eve["line"])), eve["emotion"]))
        turned = self.state_ending(hero, friend)
        if turned is not None:
            return turned
        nxt = self._ahead()
        self.present = [hero, friend]
        acts = self.bank["cliff_actions"]
        s = Slots(self.slots, place=nxt.place, place_c=_cap(nxt.place))
        s.pop("prop", None)
        s.update(self.object_slot(nxt))  # the next object, where it turns the next scene
        if nxt.kind == "big_reveal":  # cut off by the one who says it next episode
            cat, role, function = "cut", "elder", "cliff_cut"
        elif nxt.kind == "last_gambit":
            cat, role, function = "danger", "villain", "cliff_threat"
        elif nxt.instigator == "hero":
            cat, role, function = "find", "hero", "cliff_find"
        elif nxt.instigator not in ("villain", "elder"):  # a quiet episode next: the danger
            cat, role, function = "threat", "villain", "cliff_threat"  # still hangs over it
        elif nxt.instigator == "elder" and not self.elder_won:
            cat, role, function = "call", "elder", "cliff_call"
        else:
            cat, role, function = "threat", nxt.instigator, "cliff_threat"
        if role == "elder" and function == "cliff_call" and self.elder_won:
            cat, role, function = "threat", "villain", "cliff_threat"
        if cat == "threat" and (self.n % 5 and self.n % 2 or self.event.kind in CLIMAX):
            # the villain walking in with the next object is one ending among others: on
            # other weeks, and once the knife is taken, the lead finds it herself
            cat, role, function = "find", "hero", "cliff_find"
        if not self.voice.can(function, role):
            role = {"cliff_threat": "villain", "cliff_find": "hero", "cliff_call": "elder"}.get(
                function, "ally")
        s["who"] = self.name(role)
        options = acts[cat][self.n % len(acts[cat]):] + acts[cat][: self.n % len(acts[cat])]
        mover = "{" + (nxt.instigator if role != "villain" else "villain") + "}"
        options = [a for a in options if "{prop}" in a or "{who}" in a or mover in a] or options
        cut_short = self._cut_secret(nxt) if cat == "cut" else None
        if cut_short:  # the secret itself is cut off: whoever says it is interrupted
            options = [a for a in options if re.search(r"话还没说完|can finish", a)] or options
        if "prop" in s:
            options += [a for c in ("threat", "find", "cut", "danger") if c != cat
                        for a in acts[c] if "{prop}" in a]  # what comes next stays in the ending
        if "prop" not in s:  # no object the next scene does not turn on
            free = list(dict.fromkeys([a for a in options if "{prop}" not in a] + [
                a for c in (cat, "threat", "find") for a in props.endings(self.lang, c)]))
            mover_name = self.name(nxt.instigator) if nxt.instigator in self.names else ""
            options = [a for a in free if mover_name and mover_name in self.fill(a, s)] or free
        action = chosen = None
        if _kind_of_prop(self.bank, nxt.prop) != "recorder":  # only a recorder plays a voice
            options = [a for a in options if not _AUDIO.search(a)] or options
        if getattr(self, "outdoors", False):  # no door flies open under an overpass
            options = [a for a in options if not _INDOORS_ONLY.search(a)] or options
        else:  # and nobody waves from across the road in a corridor
            options = [a for a in options if not _OUTDOORS_ONLY.search(a)] or options
        for a in options:
            if self.season.cores.get(a, 0) >= MAX_USES:
                continue  # an ending told twice already, whatever it holds, is not told again
            cand = self.fill(a, s)
            if "{" in cand or miscast(cand, s["who"], [hero, friend], self.names.values()):
                continue
            if not self.season.endings.echoes(cand):
                action, chosen = cand, a
                self.season.cores[a] = self.season.cores.get(a, 0) + 1
                break
        if action is None:  # every telling used: an arrival and a detail of its own
            action = self.composed_ending(s, nxt) or next(
                (c for c in (self.fill(a, s) for a in options) if "{" not in c),
                self.fill(options[0], s))
        self.season.endings.add(action, force=True)
        pickup = props.pickup(self.lang, chosen) if chosen else None
        if pickup is None and chosen and "{prop}" in chosen and "prop" in s:
            held = next((c for c in ("find", "threat") if chosen in acts.get(c, [])), None)
            said = self.voice.season.said
            pickup = next((st for st in props.prop_pickups(self.lang, held or "")
                           if self.fill(st[2], s) not in said), None)
        written = self.image_line(chosen, s, role) if chosen and not cut_short else None
        if written is not None:  # the line written for this image, by whom it was written for
            role, said = written
        speaker = self.name(role)
        in_frame = [n for n in self.names.values() if n in action] or [speaker]
        if written is None:
            said = self.voice.keep(cut_short) if cut_short else None
        end = ScriptElement(
            action=action, beat="cliffhanger", intensity=0.95,
            props=[nxt.prop] if nxt.prop in action else [],
            characters=list(dict.fromkeys([speaker, *in_frame])),
            line=self.spoken(speaker, said or self.voice.line(function, role, s, None)
                             or self.voice.least(self.parts_of(function, role), s),
                             self.voice.emotion(function, role)))
        if pickup is not None:
            self.season.pickups[self.n] = (pickup, end, {k: s[k] for k in ("who", "prop")
                                                         if k in s})
        return end

    def image_line(self, action: str, slots: Slots, role: str) -> tuple[str, str] | None:
        """(speaker's role, line) written for an ending's final image (``seeds/cliff_lines.json``),
        filled; None where none was written, or its line was said already this season."""
        entry = cliff_line(self.lang, action)
        if entry is None:
            return None
        who = {"find": "hero", "call": "elder", "cut": "elder", "danger": "villain"}.get(
            entry["category"], role if role in ("villain", "elder", "ally") else "villain")
        if who == "elder" and self.elder_won and entry["category"] == "call":
            return None  # she has come round: no summons
        text = self.fill(entry["line"], Slots(slots, who=self.name(who)))
        if not fits(entry["line"], self.frame, self.lang):
            return None  # 'come home tonight' to a nurse who never lived there
        if "{" in text or text in self.voice.season.said or self.season.echo.echoes(text):
            return None
        return who, self.voice.keep(text)

    def _cut_secret(self, nxt: StoryEvent) -> str | None:
        """The paywall's line: the first words of the secret the next episode reveals, cut off
        (so the next episode's reveal answers exactly what was left hanging)."""
        secret = self.secrets.get(nxt.secret or "")
        if nxt.kind != "big_reveal" or secret is None:
            return None
        text = secret.text.rstrip("。.")
        stop = "，" if self.lang == "zh" else ","
        head = text.split(stop)[0] if stop in text else text[: max(4, len(text) // 2)]
        if self.lang != "zh" and stop not in text and " " in head:
            head = head.rsplit(" ", 1)[0]  # on a word's edge
        if self.lang == "zh":
            return "我不想再瞒了：" + head + "——"
        return "I won't hide it any longer: " + head.rstrip() + "—"

    def composed_ending(self, s: Slots, nxt: StoryEvent) -> str | None:
        """An ending told from two short parts, who arrives and what they hold, for a long
        season that has used every written ending: the pair no ending has had."""
        parts = self.bank.get("cliff_parts")
        if not parts or self.event.kind in CLIMAX:  # taken away: she arrives nowhere
            return None
        mover = s.get("who") or self.name("villain")
        if mover == self.name("hero"):  # she is in the scene: who arrives is the villain
            mover = self.name("villain")
        who = Slots(s, who=mover)
        arrive, detail = parts["arrive"], parts["detail"] if "prop" in s else \
            props.details(self.lang)
        sep, end = ("，", "。") if self.lang == "zh" else (", ", ".")
        fallback = None
        for k in range(len(arrive) * len(detail)):
            a = arrive[(self.n + k) % len(arrive)]
            b = detail[(self.n * 3 + k // len(arrive)) % len(detail)]
            if getattr(self, "outdoors", False) and _INDOORS_ONLY.search(a):
                continue
            text = self.fill(a, who) + sep + self.fill(b, who) + end
            text = text[:1].upper() + text[1:]
            if "{" in text:  # an object the audience has not seen is not brought in
                continue
            if miscast(text, who["who"], self.present, self.names.values()):
                continue
            if self.season.cores.get(a + b, 0) >= MAX_USES:
                continue
            if not self.season.endings.echoes(text):
                self.season.cores[a + b] = self.season.cores.get(a + b, 0) + 1
                return text
            if fallback is None and text not in self.season.said:
                fallback = (text, a + b)  # shares no more than the prop's name, at worst
        if fallback:
            self.season.said.add(fallback[0])
            self.season.cores[fallback[1]] = self.season.cores.get(fallback[1], 0) + 1
            return fallback[0]
        return None

    def finale_ending(self, heading: SceneHeading, els: list) -> SceneDraft:
        hero, love = self.name("hero"), self.name("love")
        els.append(self.say("aftermath", "hero", None, beat="pivot", intensity=0.4,
                            present=[hero, love]))
        els.append(self.say("finale", "love", "hero", intensity=0.3, present=[hero, love]))
        els.append(self.say("bless", "elder", "hero", intensity=0.4,
                            present=[self.name("elder"), hero]))
        els.append(self.say("bless", "ally", None, intensity=0.4,
                            present=[self.name("ally"), hero]))
        els.append(self.say("finale", "hero", "love", beat="payoff", intensity=0.5,
                            present=[hero, love]))
        els.append(ScriptElement(action=self.fill(self.bank["finale_action"],
                                                  Slots(self.slots, place=heading.place)),
                                 characters=[hero, love], intensity=0.3))
        # the season closes: the lead back at her work with him beside her, a soft last image
        # and no new threat (the villain's fate was settled in the verdict)
        close = self.bank.get("finale_close") or []
        if self.brief.job and close:
            els.append(ScriptElement(action=self.fill(close[self.n % len(close)]),
                                     characters=[hero, love], intensity=0.2))
        return self.scene(2, heading, els)


_NIGHT = re.compile(r"深夜|半夜|夜里|夜深|当晚|午夜|前夜|at night|late at night|midnight|tonight|"
                    r"on the eve of")
# places an action names, whatever the heading would have said
_PLACES_NAMED = {
    "zh": [(r"墓前|墓碑|墓园", "墓园"), (r"烧成空壳的老房子|老房子前", "烧毁的老房子"),
           (r"豪宅门外", "豪宅门外"), (r"鉴定中心", "鉴定中心门口"), (r"档案室", "档案室"),
           (r"灵堂|葬礼", "灵堂外"), (r"发布会", "发布会现场"), (r"机房", "机房"),
           (r"走廊里拦住证人", "走廊"), (r"法庭|被告席", "法庭")],
    "en": [(r"\bgrave\b|cemetery", "the cemetery"), (r"burnt-out shell", "the burnt-out house"),
           (r"outside the mansion", "outside the mansion"), (r"clinic door", "the DNA clinic"),
           (r"records room", "the records room"), (r"funeral", "the funeral home"),
           (r"launch stage", "the launch event"), (r"server room", "the server room"),
           (r"courtroom|\bthe dock\b", "the courtroom")],
}


_VILLAIN_STATES = ("hidden", "suspected", "exposed", "arrested")
# a moment that names the eve of the end itself
_EVE = re.compile(r"决战前夜|开庭前夜|前一晚|on the eve of|the night before the", re.I)
_AGAIN = {"第一次走进": "又一次走进", " for the first time": " again"}
_FIRST_TIME = re.compile("|".join(map(re.escape, _AGAIN)))
_PUBLIC = re.compile(r"当众|满堂|全场|in front of everyone|the whole room|the room goes")
_CROWD = re.compile(r"当众|当着众人|众目睽睽|in front of everyone|the whole room", re.I)


def _exchange(els: list[ScriptElement | None]) -> list[ScriptElement]:
    """A scene that picks up where the last episode left off, kept to one exchange: its first
    line and the last reply by someone else; the other moments stay as silent action (a
    recap told in several lines is the script marking time). Three lines are one exchange
    when the last is the answer ('Want the truth?' / 'Yes.' / 'I never stood on your side...').

    >>> a = ScriptElement(action="She slams it down.", line=Line(speaker="A", text="Well?"))
    >>> b, c = (ScriptElement(line=Line(speaker=w, text=t)) for w, t in (("B", "Take it."),
    ...                                                                   ("A", "Take it?")))
    >>> d = ScriptElement(action="B pockets it.", line=Line(speaker="B", text="As evidence."))
    >>> [(e.action, e.line and e.line.text) for e in _exchange([a, b, c, d])]
    [('She slams it down.', 'Well?'), ('B pockets it.', 'As evidence.')]
    """
    els = [e for e in els if e is not None]
    said = [e for e in els if e.line is not None]
    if len(said) <= 2 or len(said) == 3 and said[0].line.speaker == said[2].line.speaker:
        return els
    reply = next((e for e in reversed(said) if e.line.speaker != said[0].line.speaker), None)
    keep = {id(said[0]), id(reply)}
    out = []
    for e in els:
        if e.line is not None and id(e) not in keep:
            if not e.action:
                continue
            e = e.model_copy(update={"line": None})
        out.append(e)
    return out


def _merged(els: list[ScriptElement]) -> list[ScriptElement]:
    """An action with no line told with the next line that has no action of its own: one
    moment, one shot (the scene's opening image stays a shot of its own)."""
    out: list[ScriptElement] = []
    for e in els:
        prev = out[-1] if len(out) > 1 else None
        if prev is not None and prev.line is None and not prev.beat and e.line is not None \
                and not e.action and prev.action:
            out[-1] = e.model_copy(update={
                "action": prev.action,
                "characters": list(dict.fromkeys([*prev.characters, *e.characters])),
                "props": list(dict.fromkeys([*prev.props, *e.props]))})
            continue
        out.append(e)
    return out


# lines a parenthetical must fit: a cry of alarm is not said 步步紧逼 or smug, and one's own
# reveal is not said in shock
_ALARM = re.compile(r"放开|快躲|救命|你是谁|你们是谁|想干什么|别过来|住手|let (?:me |her |him )?go\b|"
                    r"get away from|who are you|what do you want|help!|watch out", re.I)
_OWN_REVEAL = re.compile(r"我不想再瞒了|真相就是|我早就知道|here's the truth|i won't hide it|"
                         r"the truth is", re.I)
_ON_THE_ATTACK = {"步步紧逼", "阴阳怪气", "得意", "冷笑", "幸灾乐祸", "挑衅", "嘲讽", "smug",
                  "pressing", "mocking", "sneering", "gloating", "taunting", "with a smirk"}
_SHOCK = {"震惊", "惊呆", "怔住", "一愣", "愣住", "僵住", "吃惊", "难以置信", "脸色一变", "倒吸一口气",
          "shocked", "stunned", "taken aback", "startled", "disbelieving", "in disbelief",
          "frozen", "aghast"}
# a line said level: no question, cry, break or trailing off ('我需要坐一下。' is not '我……')
_LEVEL = re.compile(r"^[^!！?？…—]*[。.]$")
# where people are when an action names these: indoors, whatever the heading said
_INDOOR_NOUNS = {
    "zh": re.compile(r"床边|床上|病床|床头|沙发|书桌|办公桌|病房里|被子|枕头|台灯|主位"),
    "en": re.compile(r"\bin bed\b|\bon the bed\b|\bbedside\b|\bby the bed\b|\bsofa\b|\bcouch\b|"
                     r"\bher desk\b|\bhis desk\b|\bthe desk\b|\bdesk lamp\b|\bon the ward\b|"
                     r"\bpillow|\bblanket\b|\bhead of the room\b"),
}


def settle_parentheticals(els: list[ScriptElement]) -> None:
    """Parentheticals as the lines read: no shock on a line said level, and no shock on the
    line after one (two people struck dumb in a row is one too many).

    >>> a, b, c = (ScriptElement(line=Line(speaker="A", text=t, parenthetical="shocked"))
    ...            for t in ("What?", "No!", "I see."))
    >>> settle_parentheticals([a, b, c]); [e.line.parenthetical for e in (a, b, c)]
    ['shocked', None, None]
    """
    after_shock = False
    for e in els:
        if e.line is None:
            continue
        shock = e.line.parenthetical in _SHOCK
        if shock and (after_shock or _LEVEL.match(e.line.text.strip())):
            e.line = e.line.model_copy(update={"parenthetical": None})
        after_shock = shock and e.line.parenthetical is not None


def _fitting(emotion: str | None, text: str, lang: Language) -> str | None:
    """The parenthetical as the line reads: alarm for a cry of alarm, level for one's own
    reveal; otherwise the one given."""
    if _ALARM.search(text) and (emotion in _ON_THE_ATTACK or emotion in _SHOCK):
        return "惊慌" if lang == "zh" else "alarmed"
    if _OWN_REVEAL.search(text) and emotion in _SHOCK:
        return "一字一顿" if lang == "zh" else "clearly"
    return emotion


def _place_named(action: str, lang: Language) -> str:
    return next((place for pat, place in _PLACES_NAMED[lang] if re.search(pat, action)), "")


_AUDIO = re.compile(r"播放|传出|录的|声音|plays?\b|press(es)? play|recorded|voice")


def _aloud(emotion: str | None, lang: Language) -> str | None:
    """A parenthetical for a line said to the room: a whisper becomes a clear word."""
    if emotion in _HUSHED:
        return "一字一顿" if lang == "zh" else "clearly"
    return emotion


def _kind_of_prop(bank: dict, name: str, field: str = "kind") -> str:
    """A story prop's ``kind`` (doc, object, recorder) or ``sort`` (accounts, ticket...)."""
    return next((p.get(field, "") for p in bank["props"] if p["name"] == name), "")


_MUTE = {"沉默", "silent", "silence", "in silence"}
_HUSHED = {"小声", "低声", "压低声音", "极轻", "轻声", "耳语", "under her breath", "under his breath",
           "in a whisper", "whispering", "quietly", "low", "softly"}
_TITLES = {"Chairman", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Grandma",
           "Grandpa", "Grandmother", "Grandfather", "Aunt", "Uncle", "Madam", "Lady", "Lord",
           "Sir", "Old", "Director", "President", "Judge", "Captain", "Detective"}
_SPACING = {"couple": 6, "case": 1}
# the most episodes that pass before the lead is seen at her job again
_JOB_GAP = 5
# shots an episode keeps to when it has more to say than it needs (frames cost CPU)
_SHOT_BUDGET = 15
# devices that keep the love interest a stranger to the family head until their reveal
_UNKNOWN_TO_FAMILY = {"amnesia", "faked_death", "hidden_identity"}
_ELDER_AGAINST = {"news", "weigh", "cliff_call", "press", "retort", "aside", "scheme"}

_KINDRED = {
    "elder_side_after": ("elder_side",), "to_elder_after": ("to_elder",),
    "reel_exposed": ("reel",),
    "cliff_threat": ("press", "retort"), "cliff_find": ("reel", "aftermath"),
    "cliff_call": ("weigh", "news"), "cliff_cut": ("reel", "hint"), "press": ("retort",),
    "retort": ("press",), "reel": ("retort",), "aside": ("reel",), "support": ("plan",),
    "plan": ("support",), "push": ("aftermath",), "aftermath": ("push",),
    "news": ("weigh",), "weigh": ("news",), "scheme": ("press",), "defend": ("support",),
}

_EN_TO = {"female": {"he": "she", "him": "her", "his": "her", "himself": "herself"},
          "male": {"she": "he", "her": "his", "hers": "his", "herself": "himself"}}


_MOVED = {
    "zh": {"reveal": ["{dev}的真相出来了。接下来，轮到{villain}还了。",
                      "{dev}这件事摊开了，我反而更清醒了。",
                      "我等这一天等了太久。{dev}，总算有了答案。",
                      "{dev}说破了，{villain}只会更狠。我们得快。"],
           "acknowledged": ["我一直知道的事，今天他们也认了。接下来，轮到{villain}还了。",
                            "{dev}这件事，他们总算认了。我反而更清醒了。",
                            "不是我变了，是他们终于肯看了。",
                            "他们认了{dev}，{villain}只会更狠。我们得快。"],
           "payoff": ["{dev}这笔账，今天算清了。", "{dev}的事，到今天才算真正了结。",
                      "{dev}了结了。剩下的，只有{villain}。", "{dev}，总算可以放下了。"]},
    "en": {"reveal": ["The truth about the {dev} is out. Now {villain} pays.",
                      "Now the {dev} is out in the open, I can think straight.",
                      "I've waited so long for this. The {dev}, answered at last.",
                      "With the {dev} out, {villain} will hit harder. We move fast."],
           "acknowledged": ["What I always knew, they finally admit. Now {villain} pays.",
                            "They've owned up to the {dev} at last. I can think straight.",
                            "I didn't change. They finally looked.",
                            "With the {dev} owned up to, {villain} will hit harder. We move fast."],
           "payoff": ["The {dev} is settled. Today.", "Only today is the {dev} truly over.",
                      "The {dev} is done with. That leaves {villain}.",
                      "The {dev}. I can finally put it down."]},
}
_TIMES = {"NIGHT": ("深夜", "夜里", "夜深", "路灯", "霓虹", "night", "late", "streetlight", "neon"),
          "DAY": ("清晨", "正午", "蒙蒙亮", "太阳", "first light", "midday", "sun", "early")}


# what the action says of the hour, so the heading does not contradict it (a ward at dusk
# where "dawn greys the window"; the depot by night at "the lunch rush")
_HOURS = [("DAWN", r"天蒙蒙亮|天刚亮|黎明|破晓|清晨|\bdawn\b|first light|daybreak|"
                   r"\b(?:five|six) (?:a\.m\.|in the morning)"),
          ("DAY", r"早上|上午|中午|正午|午高峰|午后|下午|午饭|大白天|\bmorning\b|\bnoon\b|"
                  r"midday|afternoon|lunch rush|lunchtime|(?:seven|eight|nine|ten|eleven) a\.m\."),
          ("DUSK", r"黄昏|傍晚|夕阳|落日|\bdusk\b|sunset|evening light"),
          ("NIGHT", _NIGHT.pattern + r"|凌晨|\b(?:one|two|three|four) (?:a\.m\.|in the morning)|"
                    r"\bthe dead of night\b")]
_HOUR = [(t, re.compile(p, re.I)) for t, p in _HOURS]


def _hour_of(text: str) -> str | None:
    """The time of day a text names first, if any."""
    found = [(m.start(), t) for t, rx in _HOUR for m in [rx.search(text)] if m]
    return min(found)[1] if found else None


def _time_named(scene: SceneDraft) -> str | None:
    """The time of day the scene's moments name first, else its opening image's, if any."""
    hours = [_hour_of(e.action) if e.action else None for e in scene.elements]
    return next((h for h in hours[1:] if h), None) or hours[0] if hours else None


def _fits_time(text: str, time: str) -> bool:
    """An image that names a time of day only under a heading of that time ('正午的…' is not
    a dusk scene)."""
    low = text.lower()
    return all(time == t or not any(w in low for w in words) for t, words in _TIMES.items()) \
        and _hour_of(text) in (None, time)


def regender_after(text: str, name: str, gender: str, others, lang: Language) -> str:
    """The pronouns between ``name`` and the next person named take ``name``'s gender (a beat
    written for him, played by her).

    >>> regender_after("Mia puts his jacket round Chloe's shoulders.", "Mia", "female",
    ...                ["Chloe"], "en")
    "Mia puts her jacket round Chloe's shoulders."
    """
    if gender not in _EN_TO or name not in text:
        return text
    at = text.index(name) + len(name)
    ends = [text.find(o, at) for o in others if o and text.find(o, at) >= 0]
    end = min(ends) if ends else len(text)
    part = text[at:end]
    if lang == "zh":
        part = part.replace("他", "她") if gender == "female" else part.replace("她", "他")
    else:
        swap = _EN_TO[gender]
        part = re.sub(r"\b(" + "|".join(swap) + r")\b",
                      lambda m: swap[m.group(1).lower()] if m.group(1).islower()
                      else swap[m.group(1).lower()].capitalize(), part, flags=re.I)
    return text[:at] + part + text[end:]


_ARRIVES = re.compile(r"走进|冲进|闯进|站在门口|出现在|脚步声|赶到|\bbursts? in\b|"
                      r"\bwalks? in\b|\bcomes? in\b|doorway|[Ff]ootsteps|\bappears?\b|"
                      r"\bsteps? in\b(?! front)|is here|strides? in\b|\barrives?\b")


def miscast(action: str, who: str, present: Sequence[str], names) -> bool:
    """Staging that cannot be: someone arriving in a scene they are already in, or one person
    named twice in one action ('Chloe drops it at Chloe's feet').

    >>> miscast("Footsteps: Chloe Hart is here.", "Chloe Hart", ["Chloe Hart", "Mia"], [])
    True
    >>> miscast("Chloe Hart drops the file at Chloe Hart's feet.", "Chloe Hart", [], ["Chloe Hart"])
    True
    >>> miscast("Nora Blake walks in, the file in her hand.", "Nora Blake", ["Chloe Hart"], [])
    False
    >>> miscast("Chloe Hart steps in front of Ivy Chen.", "Chloe Hart", ["Chloe Hart"], [])
    False
    """
    if who and who in present:
        reach = 25 if who.isascii() else 12
        for m in _ARRIVES.finditer(action):  # the arrival is theirs when it names them close by
            at = action.find(who, max(0, m.start() - reach))
            if 0 <= at <= m.end() + reach:
                return True
    return any(n and action.count(n) > 1 for n in names)


def _event(plan: SeasonPlan, n: int) -> StoryEvent:
    return next(e for e in plan.events if e.episode == n)


def _retorter(role: str) -> str:
    return role if role in ("hero", "villain", "ally", "elder") else "hero"


def _presser(role: str) -> str:
    return role if role in ("villain", "hero", "elder", "love") else "villain"


def _asider(role: str) -> str:
    return role if role in ("ally", "elder", "love", "villain", "hero") else "ally"


def _reeler(instigator: str, ev: StoryEvent) -> str:
    """Who the turn hits: the villain, unless she is the one turning the scene."""
    return "villain" if "villain" in (instigator, ev.target) else instigator


# rooms and parts of a building: outside them is outside the building
_PARTS = {"zh": ("楼道", "走廊", "病房", "护士站", "客厅", "大厅", "后厨", "办公室"),
          "en": ("corridor", "ward", "lobby", "canteen", "kitchen", "office", "living room",
                 "waiting room")}


def _outside_of(place: str, lang: Language) -> str:
    """The place out of doors by an indoor one: 外卖站 -> 外卖站门口, 老小区楼道 -> 老小区门口,
    'the hospital corridor' -> 'outside the hospital'.

    >>> _outside_of("老小区楼道", "zh"), _outside_of("the hospital corridor", "en")
    ('老小区门口', 'outside the hospital')
    """
    building = place
    for part in _PARTS[lang]:
        sep = "" if lang == "zh" else " "
        if place.endswith(sep + part) and len(place) > len(sep + part) + (1 if lang == "zh" else 4):
            building = place[: -len(sep + part)]
            break
    return building + "门口" if lang == "zh" else "outside " + building


def _cast_of(els: list[ScriptElement]) -> list[str]:
    return list(dict.fromkeys(c for e in els for c in e.characters))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _from_devices(series: Series, number: int, devices: dict[int, Device]) -> EpisodeDraft:
    """Written beats (the LLM writer's) as one scene of beats at the episode's place."""
    bible = series.bible
    roles = {SLOT_OF_ROLE[c.role]: c.name for c in bible.characters if c.role in SLOT_OF_ROLE}
    outline = series.plan.episodes[number - 1]
    place = bible.places[(number - 1) % len(bible.places)]
    els = []
    for i, beat in enumerate(outline.beats):
        d = devices.get(i)
        if d is None:
            continue
        speaker = roles.get(SLOT_OF_ROLE.get(d.speaker, ""), bible.characters[0].name)
        action, text = d.action(bible.language), d.line(bible.language)
        line = Line(speaker=speaker, text=text) if text.strip(" .…") else None
        if not action.strip() and line is None:
            continue
        chars = [n for n in roles.values() if n in action or n == speaker]
        kind = beat.kind if beat.kind != "beat" else None
        els.append(ScriptElement(action=action, line=line, beat=kind, characters=chars,
                                 intensity=0.9 if kind in ("hook", "cliffhanger") else 0.5))
    heading = SceneHeading(setting="EXT" if any(k in place for k in _OUTDOOR) else "INT",
                           place=place, time="DAY")
    return EpisodeDraft(series_title=bible.title, number=number, title=outline.title,
                        language=bible.language,
                        scenes=[SceneDraft(number=1, heading=heading, elements=els)])


__all__ = ["TemplateWriter", "mirror"]
