"""The embedded default writer: deterministic, offline, driven by the craft data in ``seeds/``.

It is also the planner whose beat skeleton the LLM writer fills: ``plan()`` lays out the season
(arc stage, summary and timed beats per episode); ``write_episode()`` turns one outline into
scenes and shots, timed by the timing model.

>>> w = TemplateWriter()
>>> series = w.plan(Premise(text="林晚被未婚夫抛弃后闪婚了顾言。", language="zh", episodes=3))
>>> ep = w.write_episode(series, 1)
>>> 60 <= ep.duration_s <= 180 and ep.scenes[0].shots[0].beat == "hook"
True
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

from aiscript.craft import (
    BeatTemplate,
    Device,
    Genre,
    SeasonArc,
    guess_genre,
    load_beat_template,
    load_season_arc,
)
from aiscript.craft import (
    genre as find_genre,
)
from aiscript.schema import (
    Angle,
    Beat,
    BeatKind,
    Episode,
    EpisodeOutline,
    Language,
    Line,
    Movement,
    Premise,
    Scene,
    SceneHeading,
    SeasonPlan,
    Series,
    SeriesBible,
    Shot,
    ShotSize,
)
from aiscript.timing import TimingModel
from aiscript.writing.cast import SLOT_OF_ROLE, build_cast, place_prompts, places_in_premise
from aiscript.writing.gender import mirror

# How each beat is framed: (size, angle, movement, lens mm). Vertical frames favour close-ups.
CAMERA: dict[str, tuple[ShotSize, Angle, Movement, int]] = {
    "hook": (ShotSize.close_up, Angle.low, Movement.push_in, 50),
    "pivot": (ShotSize.medium_close_up, Angle.eye_level, Movement.handheld, 50),
    "twist": (ShotSize.two_shot, Angle.dutch, Movement.pull_out, 35),
    "push": (ShotSize.medium, Angle.eye_level, Movement.dolly, 35),
    "payoff": (ShotSize.medium_wide, Angle.low, Movement.push_in, 28),
    "cliffhanger": (ShotSize.extreme_close_up, Angle.dutch, Movement.push_in, 85),
    "beat": (ShotSize.close_up, Angle.eye_level, Movement.static, 85),
    "reaction": (ShotSize.over_the_shoulder, Angle.eye_level, Movement.static, 50),
    "establish": (ShotSize.wide, Angle.high, Movement.pan, 24),
}
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

    # ------------------------------------------------------------------ season

    def plan(self, premise: Premise) -> Series:
        """The bible and the season plan for a premise."""
        lang = premise.language
        g = find_genre(premise.genre) if premise.genre else guess_genre(premise.text, lang)
        rng = random.Random(f"{premise.seed}|{premise.text}")
        cast = build_cast(premise.text, lang, g, rng)
        places = places_in_premise(premise.text, lang)
        places += [p for p in g.places(lang) if p not in places]
        slots = {c.id: c.name for c in cast}
        if cast[0].gender == "male":
            slots[MIRROR] = lang
        slots.update(place=places[0], secret=_fill(rng.choice(g.secrets(lang)), slots))
        bible = SeriesBible(
            title=_fill(rng.choice(g.titles)(lang), slots),
            logline=premise.text.strip(),
            language=lang,
            genre=g.id,
            premise=premise.model_copy(update={"genre": g.id}),
            characters=cast,
            places=places,
            place_prompts=place_prompts(places, g, lang),
            visual_style=g.visual_style(lang),
            image_style=g.visual_style.en,
            # tropes describe the genre, whoever leads: filled, never mirrored
            tropes=[_fill(t, {k: v for k, v in slots.items() if k != MIRROR})
                    for t in g.tropes(lang)] + [slots["secret"]],
        )
        paywall = self.arc.paywall_episode(premise.episodes)
        outlines = [
            self._outline(bible, g, n, premise.episodes, paywall, rng)
            for n in range(1, premise.episodes + 1)
        ]
        plan = SeasonPlan(
            episodes=outlines, paywall_episode=paywall,
            target_duration_s=self.beats.target_duration_s,
        )
        return Series(bible=bible, plan=plan)

    def _stage(self, n: int, total: int, paywall: int) -> str:
        if n == paywall:
            return "paywall"
        if n == paywall + self.arc.reveal_after_paywall and n < total:
            return "reveal"
        if n == total and total >= 3:
            return "resolution"
        frac = (n - 1) / total
        eligible = [s for s in self.arc.stages if s.start <= frac and s.id not in ("paywall", "reveal")]
        return eligible[-1].id if eligible else self.arc.stages[0].id

    def _outline(
        self, bible: SeriesBible, g: Genre, n: int, total: int, paywall: int, rng: random.Random
    ) -> EpisodeOutline:
        lang = bible.language
        slots = self._slots(bible, n)
        stage = next(s for s in self.arc.stages if s.id == self._stage(n, total, paywall))
        event = _fill(rng.choice(stage.events)(lang), slots)
        duration = self.beats.target_duration_s + rng.uniform(-15, 15)
        beats: list[Beat] = []
        used: dict[str, int] = {}
        for t, kind in self._beat_grid(duration):
            ref, device = self._pick_device(g, kind, n, used.get(kind, 0))
            used[kind] = used.get(kind, 0) + 1
            beats.append(
                Beat(kind=kind, t=round(t, 1), device=f"{ref}:{device.kind}",
                     note=_fill(device.action(lang), slots))
            )
        hook_line = _fill(self._device(g, beats[0].device).line(lang), slots)
        title = re.split(r"[，。！？,.!?…]", hook_line)[0].strip()
        if len(title) < 4:
            title = hook_line.strip()
        if len(title) < 4:
            title = stage.name(lang)
        return EpisodeOutline(
            number=n, title=title, summary=event, arc_stage=stage.id, beats=beats,
            is_paywall=n == paywall,
        )

    def _beat_grid(self, duration: float) -> Iterator[tuple[float, BeatKind]]:
        """Hook at 0; pushes, twists and pivots on their rhythms; the cliffhanger to close."""
        b = self.beats
        yield 0.0, "hook"
        step = min(b.pivot_every_s, b.twist_every_s, b.push_every_s) / 2
        t = step
        while t < duration - b.cliffhanger_window_s:
            if _on(t, b.push_every_s):
                yield t, "push"
            elif _on(t, b.twist_every_s):
                yield t, "twist"
            elif _on(t, b.pivot_every_s):
                yield t, "pivot"
            t += step
        yield duration - b.cliffhanger_window_s / 2, "cliffhanger"

    def _pools(self, g: Genre, kind: str) -> list[tuple[str, list[Device]]]:
        b = self.beats
        return {
            "hook": [("genre.hooks", g.hooks), ("template.hooks", b.hooks)],
            "pivot": [("genre.pivots", g.pivots), ("template.pivots", b.pivots)],
            "twist": [("template.twists", b.twists)],
            "push": [("template.pushes", b.pushes)],
            "payoff": [("genre.payoffs", g.payoffs)],
            "cliffhanger": [("genre.cliffhangers", g.cliffhangers),
                            ("template.cliffhangers", b.cliffhangers)],
            "beat": [("template.reactions", b.reactions)],
        }[kind]

    def _pick_device(self, g: Genre, kind: str, episode: int, count: int) -> tuple[str, Device]:
        """The ``count``-th device of a kind in an episode: a fresh shuffle of the pool per
        episode, walked in order, so an episode repeats no device until its pool runs out."""
        flat = [(f"{name}.{i}", d) for name, pool in self._pools(g, kind) for i, d in enumerate(pool)]
        random.Random(f"{g.id}|{kind}|{episode}").shuffle(flat)
        return flat[count % len(flat)]

    def _device(self, g: Genre, ref: str) -> Device:
        pool_ref, index = ref.split(":")[0].rsplit(".", 1)
        source, field = pool_ref.split(".")
        pool = getattr(g if source == "genre" else self.beats, field)
        return pool[int(index)]

    def _slots(self, bible: SeriesBible, n: int) -> dict[str, str]:
        slots = {c.id: c.name for c in bible.characters}
        if bible.characters[0].gender == "male":
            slots[MIRROR] = bible.language
        slots["place"] = bible.places[(n - 1) % len(bible.places)]
        secret = bible.tropes[-1]  # already mirrored when the plan was made
        slots["secret"] = secret[:1].upper() + secret[1:]
        return slots

    # ------------------------------------------------------------------ episode

    def write_episode(
        self, series: Series, number: int, devices: dict[int, Device] | None = None
    ) -> Episode:
        """Scenes and shots for one outline; 60 to 180 s by the timing model.

        ``devices`` replaces the device of outline beat ``i`` (the LLM writer fills the
        skeleton this way); the camera, reactions and scene cuts stay the planner's.
        """
        devices = devices or {}
        bible, outline = series.bible, series.plan.episodes[number - 1]
        g = find_genre(bible.genre)
        lang = bible.language
        slots = self._slots(bible, number)
        rng = random.Random(f"{bible.premise.seed}|{number}|{bible.title}")
        roles = {SLOT_OF_ROLE[c.role]: c.name for c in bible.characters}

        groups: list[list[Shot]] = [[]]
        last_speaker, reactions_used = None, set()
        for i, beat in enumerate(outline.beats):
            if beat.kind == "push" and groups[-1]:
                groups.append([])  # a plot push moves the story to a new place
            device = devices.get(i) or self._device(g, beat.device)
            final: tuple[str, ...] = ("action", "line") if i in devices else ()
            if beat.kind == "push" and len(groups) == 2 and i not in devices:
                # the first push carries this episode's arc event: no two episodes play alike
                device = device.model_copy(update={"action": _both(outline.summary)})
                final = ("action",)
            if outline.is_paywall and beat.kind == "twist" and i not in devices:
                device = self._pick_device(g, "payoff", number, i)[1]
            shot = self._device_shot(device, beat.kind, slots, roles, lang, final)
            groups[-1].append(shot)
            last_speaker = shot.lines[0].speaker if shot.lines else last_speaker
            if beat.kind in ("hook", "pivot", "twist", "push"):
                reaction = self._reaction(g, number, reactions_used, last_speaker, slots, roles,
                                          lang)
                groups[-1].append(reaction)

        scenes = []
        for s, shots in enumerate(groups, start=1):
            place = bible.places[(number + s - 2) % len(bible.places)]
            heading = SceneHeading(
                setting="EXT" if any(k in place for k in _OUTDOOR) else "INT",
                place=place,
                time=rng.choice(["DAY", "DAY", "NIGHT", "DUSK"]),
            )
            if s > 1:  # establish every scene but the first, which must open on its hook
                shots.insert(0, self._establishing(heading, lang))
            for k, shot in enumerate(shots, start=1):
                shot.id = f"{number}-{s}-{k}"
            chars = list(dict.fromkeys(c for sh in shots for c in sh.characters))
            scenes.append(Scene(number=s, heading=heading, characters=chars, shots=shots))
        episode = Episode(
            series_title=bible.title, number=number, title=outline.title, language=lang,
            scenes=scenes,
        )
        return self._fit(episode)

    def _device_shot(
        self, d: Device, kind: str, slots: dict[str, str], roles: dict[str, str], lang: Language,
        final: tuple[str, ...] = (),
    ) -> Shot:
        """A beat's shot; texts named in ``final`` are used as they are (already written)."""
        size, angle, move, lens = CAMERA[kind]
        action = d.action(lang) if "action" in final else _fill(d.action(lang), slots)
        speaker = roles[SLOT_OF_ROLE[d.speaker]]
        text = d.line(lang) if "line" in final else _fill(d.line(lang), slots)
        lines = [Line(speaker=speaker, text=text)] if text.strip(" .…") else []
        chars = [n for n in roles.values() if n in action or n == speaker]
        shot = Shot(
            id="0-0-0", size=size, angle=angle, movement=move, lens_mm=lens, duration_s=1.0,
            characters=chars, action=action, lines=lines,
            beat=kind if kind in ("hook", "pivot", "twist", "push", "payoff", "cliffhanger") else "beat",
        )
        return self.timing.timed_shot(shot)

    def _reaction(self, g, number, used: set[int], after, slots, roles, lang) -> Shot:
        """Someone other than the last speaker answers the beat: the next reaction of a
        per-episode shuffle that this episode has not used yet (repeats only once all are)."""
        order = list(range(len(self.beats.reactions)))
        random.Random(f"{g.id}|reaction|{number}").shuffle(order)
        if len(used) >= len(order):
            used.clear()
        fresh = [i for i in order if i not in used]
        pick = next((i for i in fresh if roles[SLOT_OF_ROLE[self.beats.reactions[i].speaker]]
                     != after), fresh[0])
        used.add(pick)
        return self._device_shot(self.beats.reactions[pick], "reaction", slots, roles, lang)

    def _establishing(self, heading: SceneHeading, lang: Language) -> Shot:
        size, angle, move, lens = CAMERA["establish"]
        when = {"DAY": ("白天", "day"), "NIGHT": ("夜", "night"), "DAWN": ("清晨", "dawn"),
                "DUSK": ("黄昏", "dusk")}[heading.time]
        place = heading.place[:1].upper() + heading.place[1:]
        action = f"{place}，{when[0]}。" if lang == "zh" else f"{place}, {when[1]}."
        shot = Shot(id="0-0-0", size=size, angle=angle, movement=move, lens_mm=lens,
                    duration_s=1.0, action=action, beat="beat")
        return self.timing.timed_shot(shot)

    def _fit(self, ep: Episode) -> Episode:
        """Bring the episode near the target length: stretch one that runs short of the
        minimum; trim reaction shots (never a beat's own shot) from one that runs past the
        target by more than a quarter, and never past the maximum."""
        b = self.beats
        if ep.duration_s < b.min_duration_s:
            scale = b.min_duration_s / ep.duration_s * 1.02
            for _, shot in ep.shots():
                shot.duration_s = round(shot.duration_s * scale, 2)
        limit = min(b.max_duration_s, max(b.min_duration_s, b.target_duration_s * 1.25))
        while ep.duration_s > limit:
            longest = max(ep.scenes, key=lambda sc: len(sc.shots))
            reactions = [sh for sh in longest.shots if sh.beat == "beat" and sh.lines]
            if not reactions or len(longest.shots) <= 2:
                break
            longest.shots.remove(reactions[-1])
        for scene in ep.scenes:  # ids stay consecutive after trimming
            for k, shot in enumerate(scene.shots, start=1):
                shot.id = f"{ep.number}-{scene.number}-{k}"
        return ep

    def write(self, premise: Premise) -> tuple[Series, list[Episode]]:
        """The whole season in one call."""
        series = self.plan(premise)
        return series, [self.write_episode(series, n) for n in range(1, premise.episodes + 1)]


MIRROR = "\x00mirror"  # slots key: the language to mirror craft text in, for a male lead


def _fill(text: str, slots: dict[str, str]) -> str:
    """Craft text with its slots filled, its gendered words mirrored first for a male lead."""
    if slots.get(MIRROR):
        text = mirror(text, slots[MIRROR])  # type: ignore[arg-type]
    for key, value in slots.items():
        if key != MIRROR:
            text = text.replace("{" + key + "}", value)
    return text


def _both(text: str):
    from aiscript.schema import L10n

    return L10n(zh=text, en=text)


def _on(t: float, every: float) -> bool:
    return abs(t / every - round(t / every)) < 1e-6
