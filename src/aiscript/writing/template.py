"""The embedded default writer: deterministic, offline, driven by the story banks in ``seeds/``.

``plan()`` builds the bible and the season plan with its story state (``aiscript.writing.planner``);
``write_episodes()`` turns each planned event into scenes of beats (``EpisodeDraft``: actions,
lines, who is in the moment, props, intensity), and the shot planner (``aiscript.shots``) lays
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from aiscript.craft import (
    BeatTemplate,
    Device,
    SeasonArc,
    guess_genre,
    load_beat_template,
    load_season_arc,
)
from aiscript.craft import (
    genre as find_genre,
)
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
from aiscript.shots import plan_episode
from aiscript.timing import TimingModel
from aiscript.writing.cast import SLOT_OF_ROLE, build_cast, place_prompts, places_in_premise
from aiscript.writing.gender import mirror
from aiscript.writing.planner import (
    KINDS,
    Slots,
    cast_slots,
    male_lead,
    plan_story,
    story_bank,
)

_OUTDOOR = ("街", "门口", "天台", "花园", "操场", "路", "street", "steps", "rooftop", "garden",
            "bleachers", "courtyard")


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
        """The bible and the season plan, with its story state, for a premise."""
        lang = premise.language
        g = find_genre(premise.genre) if premise.genre else guess_genre(premise.text, lang)
        rng = random.Random(f"{premise.seed}|{premise.text}")
        cast = build_cast(premise.text, lang, g, rng)
        places = places_in_premise(premise.text, lang)
        places += [p for p in g.places(lang) if p not in places]
        slots = Slots({c.id: c.name for c in cast})
        male = cast[0].gender == "male"
        secret = slots.fill(rng.choice(g.secrets(lang)), lang, male)
        title = slots.fill(rng.choice(g.titles)(lang), lang, male)
        bible = SeriesBible(
            title=title, logline=premise.text.strip(), language=lang, genre=g.id,
            premise=premise.model_copy(update={"genre": g.id}), characters=cast, places=places,
            place_prompts=place_prompts(places, g, lang), visual_style=g.visual_style(lang),
            image_style=g.visual_style.en,
            # tropes describe the genre, whoever leads: filled, never mirrored
            tropes=[slots.fill(t, lang, False) for t in g.tropes(lang)] + [secret],
        )
        paywall = self.arc.paywall_episode(premise.episodes)
        goals, secrets, events, outlines = plan_story(
            bible, premise.episodes, paywall, self.arc.reveal_after_paywall, rng)
        plan = SeasonPlan(episodes=outlines, paywall_episode=paywall,
                          target_duration_s=self.beats.target_duration_s, goals=goals,
                          secrets=secrets, events=events)
        return Series(bible=bible, plan=plan)

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
        key = series.key + "|" + str(hash(series.plan.model_dump_json()))
        if key not in self._seasons:
            self._seasons[key] = _Season()
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


@dataclass
class _Season:
    """What a season has said so far: no line is said twice, and core lines rotate."""

    drafts: list[EpisodeDraft] = field(default_factory=list)
    said: set[str] = field(default_factory=set)
    cores: dict[str, int] = field(default_factory=dict)


class _Voice:
    """Lines from the banks: a core line of the function and role, filled from the story
    state, with an optional lead-in and tail; never one the season has said."""

    def __init__(self, lang: Language, male: bool, season: _Season, rng: random.Random) -> None:
        self.lang, self.male, self.season, self.rng = lang, male, season, rng
        self.bank = story_bank()[lang]
        self.parts = self.bank["lines"]

    def can(self, function: str, role: str) -> bool:
        return role in self.parts.get(function, {})

    def emotion(self, function: str, role: str) -> str:
        return self.rng.choice(self.parts[function][role]["emotion"])

    def line(self, function: str, role: str, slots: Slots, to: str | None = None,
             tails: bool = True) -> str:
        return self.compose(self.parts[function][role]["text"], slots, to, tails,
                            tone=_tone(function, role))

    def compose(self, cores: list[str], slots: Slots, to: str | None = None,
                tails: bool = True, tone: str = "hostile") -> str:
        """The least-used core first, plain before dressed, never a line already said."""
        order = sorted(cores, key=lambda c: (self.season.cores.get(c, 0), self.rng.random()))
        leads = [x for x in self.parts["leads"][tone] if to or "{to}" not in x]
        ends = self.parts["tails"][tone] if tails else [""]
        combos = [(a, b) for a in dict.fromkeys(leads) for b in dict.fromkeys(ends)]
        self.rng.shuffle(combos)
        combos.sort(key=lambda ab: bool(ab[0]) + bool(ab[1]))  # plain first
        s = Slots(slots, to=to or "")
        for core in order:
            for lead, tail in combos:
                body = s.fill(core, self.lang, self.male)
                if self.lang == "en" and lead.endswith(", ") and core[:1] != "{" \
                        and not core.startswith(("I ", "I'")):
                    body = body[:1].lower() + body[1:]
                text = s.fill(lead, self.lang, False) + body
                if tail and text[-1:] not in ".!。！":  # a question ends where it asks
                    continue
                text += tail
                text = text[:1].upper() + text[1:] if self.lang == "en" else text
                if "{" not in text and text not in self.season.said:
                    self.season.said.add(text)
                    self.season.cores[core] = self.season.cores.get(core, 0) + 1
                    return text
        raise RuntimeError("the story banks ran out of fresh lines")  # pinned by the tests


# --------------------------------------------------------------------------- one episode


class _EpisodeWriter:
    """Scenes of beats for one planned event: the event's scene, an aftermath scene, and an
    ending that sets up the next episode's event."""

    def __init__(self, series: Series, n: int, season: _Season) -> None:
        self.series, self.n = series, n
        self.bible: SeriesBible = series.bible
        self.lang = self.bible.language
        self.male = male_lead(self.bible)
        self.rng = random.Random(f"{self.bible.premise.seed}|{n}|{self.bible.title}")
        self.voice = _Voice(self.lang, self.male, season, self.rng)
        self.bank = story_bank()[self.lang]
        self.names = cast_slots(self.bible)
        plan = series.plan
        self.event = _event(plan, n)
        self.next = _event(plan, n + 1) if n < len(plan.episodes) else None
        self.outline = plan.episodes[n - 1]
        self.secrets = {s.id: s for s in plan.secrets}
        self.slots = Slots(self.names, place=self.event.place, prop=self.event.prop,
                           place_c=_cap(self.event.place), place_t=self.event.place,
                           change=self.outline.change, change_c=_cap(self.outline.change))

    # -- helpers

    def name(self, role: str) -> str:
        return self.names[role]

    def say(self, function: str, role: str, to: str | None = None, *, beat=None,
            intensity: float = 0.5, action: str = "", present: list[str] | None = None,
            props: list[str] | None = None, slots: Slots | None = None,
            tails: bool = True) -> ScriptElement:
        text = self.voice.line(function, role, slots or self.slots,
                               self.name(to) if to else None, tails)
        speaker = self.name(role)
        chars = list(dict.fromkeys([speaker, *(present or [])]))
        return ScriptElement(
            action=action, beat=beat, characters=chars, props=props or [], intensity=intensity,
            line=Line(speaker=speaker, text=text, parenthetical=self.voice.emotion(function, role)))

    def fill(self, text: str, slots: Slots | None = None) -> str:
        return (slots or self.slots).fill(text, self.lang, self.male)

    def heading(self, place: str) -> SceneHeading:
        return SceneHeading(setting="EXT" if any(k in place for k in _OUTDOOR) else "INT",
                            place=place, time=self.rng.choice(["DAY", "DAY", "NIGHT", "DUSK"]))

    # -- the episode

    def draft(self) -> EpisodeDraft:
        scenes = [self.event_scene(), self.ripple_scene(), self.aftermath_scene()]
        scenes = [s for s in scenes if s is not None]
        for i, s in enumerate(scenes, start=1):
            s.number = i
        return EpisodeDraft(series_title=self.bible.title, number=self.n,
                            title=self.outline.title, language=self.lang, scenes=scenes)

    def event_scene(self) -> SceneDraft:
        ev, kind = self.event, self.bank["kinds"][self.event.kind]
        instigator, target, witness = KINDS[ev.kind][1], KINDS[ev.kind][2], KINDS[ev.kind][3]
        pair = [self.name(instigator), self.name(target)]
        els: list[ScriptElement] = []
        hook = kind["hook"][ev.variant % len(kind["hook"])]
        hook_action = self.fill(hook["action"])
        hooker = hook.get("speaker", instigator)
        in_hook = [n for n in self.names.values() if n in hook_action] or pair
        els.append(ScriptElement(
            action=hook_action, beat="hook", characters=list(dict.fromkeys(
                [self.name(hooker), *in_hook])), props=[ev.prop] if ev.prop in hook_action else [],
            intensity=0.9,
            line=Line(speaker=self.name(hooker),
                      text=self.voice.compose([hook["line"]], self.slots),
                      parenthetical=self.voice.emotion("press", _presser(hooker)))))
        if ev.kind == "inciting":
            return self.inciting_scene(els, pair)
        if ev.kind == "finale":
            return self.finale_scene(els, pair)
        els.append(self.say("retort", _retorter(target), instigator, intensity=0.6,
                            present=pair))
        els.append(self.say("press", _presser(instigator), target, intensity=0.7, present=pair))
        if self.voice.can("aside", witness):
            els.append(self.say("aside", witness, None, intensity=0.4,
                                present=[self.name(witness)]))
        if self.outline.callback:
            past = _event(self.series.plan, self.outline.callback)
            memory = self.bank["kinds"][past.kind]["memory"]
            speaker = target if self.voice.can("callback", target) else "hero"
            s = Slots(self.slots, place=past.place, prop=past.prop)
            s["memory"] = self.fill(memory, s)
            els.append(self.say("callback", speaker, instigator, beat="pivot", intensity=0.6,
                                present=pair, slots=s))
            if "villain" in (instigator, target) and speaker != "villain":
                els.append(self.say("retort", "villain", speaker, intensity=0.65, present=pair))
        els += self.turn(instigator, pair)
        heading = self.heading(ev.place)
        return SceneDraft(number=1, heading=heading, characters=_cast_of(els), elements=els)

    def inciting_scene(self, els: list[ScriptElement], pair: list[str]) -> SceneDraft:
        """Episode 1: the humiliation, the answer, then the premise's rash decision."""
        g = self.bible.genre
        inc = self.bank["inciting"].get(g) or self.bank["inciting"]["flash_marriage"]
        els.append(self.say("retort", "hero", "villain", intensity=0.6, present=pair))
        els.append(self.say("press", "villain", "hero", intensity=0.7, present=pair))
        if self.voice.can("aside", "ally"):
            els.append(self.say("aside", "ally", None, intensity=0.4,
                                present=[self.name("ally"), self.name("hero")]))
        decision = self.fill(inc["action"])
        els.append(ScriptElement(
            action=decision, beat="twist", intensity=0.9,
            characters=[n for n in self.names.values() if n in decision] or [self.name("hero")],
            line=Line(speaker=self.name("hero"), text=self.voice.compose([inc["line"]], self.slots),
                      parenthetical=self.voice.emotion("push", "hero"))))
        reply = inc.get("reply")
        if reply:
            who = self.name(reply["speaker"])
            els.append(ScriptElement(
                characters=[who, self.name("hero")], intensity=0.6,
                line=Line(speaker=who, text=self.voice.compose([reply["line"]], self.slots,
                                                               tone="plain"),
                          parenthetical=reply["emotion"])))
        els.append(self.say("aside", "villain", None, intensity=0.7, present=pair))
        return SceneDraft(number=1, heading=self.heading(self.event.place),
                          characters=_cast_of(els), elements=els)

    def finale_scene(self, els: list[ScriptElement], pair: list[str]) -> SceneDraft:
        """The last episode: the villain is taken away; the hero has the last word."""
        past = _event(self.series.plan, self.outline.callback or 1)
        s = Slots(self.slots, place=past.place, prop=past.prop)
        s["memory"] = self.fill(self.bank["kinds"][past.kind]["memory"] or "{place}", s)
        els.append(self.say("callback", "hero", "villain", beat="pivot", intensity=0.6,
                            present=pair, slots=s))
        els += self.turn("hero", pair)
        return SceneDraft(number=1, heading=self.heading(self.event.place),
                          characters=_cast_of(els), elements=els)

    def turn(self, instigator: str, pair: list[str]) -> list[ScriptElement]:
        """The scene turns: a secret comes out, or the event's own reversal."""
        ev, kind = self.event, self.bank["kinds"][self.event.kind]
        if ev.secret:
            secret = self.secrets[ev.secret]
            who = "elder" if secret.big else "hero"
            s = Slots(self.slots, who=self.name(who), secret=secret.text)
            reveal = self.bank["reveal"]
            action = self.fill(self.rng.choice(reveal["action"]), s)
            text = self.voice.compose(reveal["line"], s, tails=False, tone="plain")
            return [ScriptElement(
                action=action, beat="twist", props=[ev.prop], intensity=0.95,
                characters=[self.name(who), *pair],
                line=Line(speaker=self.name(who), text=text,
                          parenthetical=self.voice.emotion("reel", "elder"))),
                self.say("reel", _reeler(instigator, ev), None, intensity=0.8, present=pair)]
        turns = kind.get("turn")
        if not turns:
            return []
        t = turns[ev.variant % len(turns)]
        action = self.fill(t["action"])
        speaker = self.name(t["speaker"])
        beat = "payoff" if self.outline.is_paywall else "twist"
        out = [ScriptElement(
            action=action, beat=beat, props=[ev.prop] if ev.prop in action else [],
            intensity=0.85, characters=list(dict.fromkeys(
                [n for n in self.names.values() if n in action] or [speaker])),
            line=Line(speaker=speaker, text=self.voice.compose(
                [t["line"]], self.slots, self.name(instigator), tone="turn"),
                      parenthetical=self.voice.emotion("aside", _asider(t["speaker"]))))]
        if ev.kind != "finale":
            reeler = _reeler(instigator, ev)
            out.append(self.say("reel", reeler, t["speaker"], intensity=0.7, present=pair))
            witness = KINDS[ev.kind][3]
            if witness not in (reeler, t["speaker"]) and self.voice.can("reel", witness):
                out.append(self.say("reel", witness, None, intensity=0.6,
                                    present=[self.name(witness)]))
        return out

    def ripple_scene(self) -> SceneDraft | None:
        """Word of the event reaches the family head: the villain works on the elder, or the
        love interest stands up for the hero."""
        if self.event.kind in ("finale", "win_witness"):
            return None
        used = {self.event.place, self._aftermath_place()}
        places = [p for p in self.bible.places if p not in used] or self.bible.places
        place = places[self.n % len(places)]
        heading = self.heading(place)
        elder = self.name("elder")
        side = "villain" if self.n % 2 == 0 else "love"
        other = self.name(side)
        pool = self.bank["establish"]["EXT" if heading.setting == "EXT" else "INT"]
        els = [ScriptElement(action=self.fill(self.rng.choice(pool),
                                              Slots(self.slots, place=place, place_c=_cap(place))),
                             intensity=0.1)]
        els.append(self.say("news", "elder", None, intensity=0.4, present=[elder, other]))
        els.append(self.say("scheme" if side == "villain" else "defend", side, "elder",
                            intensity=0.5, present=[elder, other]))
        els.append(self.say("weigh", "elder", side, intensity=0.4, present=[elder, other]))
        return SceneDraft(number=2, heading=heading, characters=[elder, other], elements=els)

    def _aftermath_place(self) -> str:
        places = [p for p in self.bible.places if p != self.event.place] or self.bible.places
        return places[(self.n + 1) % len(places)]

    def aftermath_scene(self) -> SceneDraft:
        place = self._aftermath_place()
        heading = self.heading(place)
        confidant = "love" if self.n % 2 else "ally"
        hero, friend = self.name("hero"), self.name(confidant)
        s = Slots(self.slots, place=self.event.place, place_c=_cap(self.event.place))
        pool = self.bank["establish"]["EXT" if heading.setting == "EXT" else "INT"]
        els = [ScriptElement(action=self.fill(self.rng.choice(pool),
                                              Slots(s, place=place, place_c=_cap(place))),
                             intensity=0.1)]
        if self.event.kind == "finale":
            return self.finale_ending(heading, els)
        els.append(self.say("aftermath", "hero", None, beat="pivot", intensity=0.4,
                            present=[hero, friend], slots=s))
        els.append(self.say("support", confidant, "hero", intensity=0.3, present=[hero, friend],
                            slots=s))
        # foreshadowing: the three episodes before a secret comes out point at who hides it
        upcoming = [x for x in self.series.plan.secrets if 1 <= x.reveal_episode - self.n <= 3
                    and not x.big and x.owner in self.names]
        if upcoming:
            hint = Slots(s, owner=self.name(upcoming[0].owner))
            speaker = confidant if self.voice.can("hint", confidant) else "hero"
            els.append(self.say("hint", speaker, None, intensity=0.5, present=[hero, friend],
                                slots=hint))
        nxt = self._ahead()
        push = Slots(s, place=nxt.place, prop=nxt.prop)
        els.append(self.say("push", "hero", confidant, beat="push", intensity=0.6,
                            present=[hero, friend], slots=push))
        els.append(self.say("plan", confidant, "hero", intensity=0.5, present=[hero, friend],
                            slots=push))
        els.append(self.cliffhanger(hero, friend))
        return SceneDraft(number=2, heading=heading, characters=_cast_of(els), elements=els)

    def _ahead(self) -> StoryEvent:
        """The next episode's event; past the last one of a season too short to resolve, the
        villain's next move, left open."""
        return self.next or self.event.model_copy(update={"kind": "open",
                                                          "instigator": "villain"})

    def cliffhanger(self, hero: str, friend: str) -> ScriptElement:
        """The ending sets up the next episode's event: its instigator arrives with its prop,
        the hero finds it, an elder summons her, a reveal is cut short, or danger strikes."""
        nxt = self._ahead()
        acts = self.bank["cliff_actions"]
        s = Slots(self.slots, place=nxt.place, prop=nxt.prop, place_c=_cap(nxt.place))
        if nxt.kind == "big_reveal":
            cat, role, function = "cut", ("elder" if self.n % 2 else "ally"), "cliff_cut"
        elif nxt.kind == "last_gambit":
            cat, role, function = "danger", "villain", "cliff_threat"
        elif nxt.instigator == "hero":
            cat, role, function = "find", "hero", "cliff_find"
        elif nxt.instigator == "elder":
            cat, role, function = "call", "elder", "cliff_call"
        else:
            cat, role, function = "threat", nxt.instigator, "cliff_threat"
        s["who"] = self.name(role)
        action = self.fill(acts[cat][self.n % len(acts[cat])], s)
        speaker = self.name(role)
        in_frame = [n for n in self.names.values() if n in action] or [speaker]
        return ScriptElement(
            action=action, beat="cliffhanger", intensity=0.95,
            props=[nxt.prop] if nxt.prop in action else [],
            characters=list(dict.fromkeys([speaker, *in_frame])),
            line=Line(speaker=speaker, text=self.voice.line(function, role, s, None, tails=False),
                      parenthetical=self.voice.emotion(function, role)))

    def finale_ending(self, heading: SceneHeading, els: list[ScriptElement]) -> SceneDraft:
        hero, love = self.name("hero"), self.name("love")
        els.append(self.say("aftermath", "hero", None, beat="pivot", intensity=0.4,
                            present=[hero, love]))
        els.append(self.say("finale", "love", "hero", intensity=0.3, present=[hero, love],
                            tails=False))
        els.append(self.say("bless", "elder", "hero", intensity=0.4,
                            present=[self.name("elder"), hero], tails=False))
        els.append(self.say("bless", "ally", None, intensity=0.4,
                            present=[self.name("ally"), hero], tails=False))
        els.append(self.say("finale", "hero", "love", beat="payoff", intensity=0.5,
                            present=[hero, love], tails=False))
        els.append(ScriptElement(action=self.fill(self.bank["finale_action"],
                                                  Slots(self.slots, place=heading.place)),
                                 characters=[hero, love], intensity=0.3))
        # the premise is resolved; the last beat opens the next season's question
        tag, elder = self.bank["finale_tag"], self.name("elder")
        els.append(ScriptElement(
            action=self.fill(tag["action"]), beat="cliffhanger", intensity=0.9,
            characters=[elder, hero],
            line=Line(speaker=elder, text=self.fill(tag["line"]), parenthetical=tag["emotion"])))
        return SceneDraft(number=2, heading=heading, characters=_cast_of(els), elements=els)


_TONES = {"retort": "hostile", "press": "hostile", "callback": "hostile",
          "cliff_threat": "hostile", "cliff_call": "hostile", "support": "warm", "finale": "warm",
          "reel": "shock", "cliff_cut": "shock", "cliff_find": "shock"}


def _tone(function: str, role: str) -> str:
    """How a line may be dressed: hostile, warm, shocked, or plain."""
    if role == "villain" and function == "aside":
        return "hostile"
    return _TONES.get(function, "plain")


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
