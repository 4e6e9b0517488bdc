"""The one season planner: a premise in, the brief, bible and season plan out.

``plan_season`` reads the premise (or takes the user's brief), casts the season, picks the
genre and the device, and plans the story state episode by episode
(``aiscript.story.planner``). Every writer plans through it: the template writer's ``plan``
delegates here, and the model writers plan over its result.

>>> from aiscript.schema import Premise
>>> s = plan_season(Premise(text="林晚被未婚夫抛弃后闪婚了顾言。", language="zh", episodes=3))
>>> [e.stage for e in s.plan.events]
['setup', 'paywall', 'resolution']
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from aiscript.craft import (
    BeatTemplate,
    SeasonArc,
    guess_genre,
    load_beat_template,
    load_season_arc,
)
from aiscript.craft import genre as find_genre
from aiscript.schema import (
    Brief,
    EpisodeState,
    Language,
    Premise,
    SeasonPlan,
    Series,
    SeriesBible,
    Subplot,
)
from aiscript.story import brief as briefs
from aiscript.story import props
from aiscript.story.bible import fits, frame, relations
from aiscript.story.bible import seed as seed_of_bible
from aiscript.story.cast import build_cast, place_prompts
from aiscript.story.planner import (
    Slots,
    cast_slots,
    outdoors,
    plan_story,
    schedule_device,
    schedule_subplots,
    season_blocks,
    story_bank,
    threads_of,
)


def plan_season(premise: Premise, *, arc: SeasonArc | None = None,
                beats: BeatTemplate | None = None,
                read: Callable[[Premise], Brief] | None = None) -> Series:
    """The brief, the bible and the season plan, with its story state, for a premise.

    The brief is the premise's own (``premise.brief``, a user's correction), else ``read``'s
    (a model reader), else the rule reader's."""
    arc = arc or load_season_arc()
    beats = beats or load_beat_template()
    lang = premise.language
    brief = premise.brief or (read or read_brief)(premise)
    job = briefs.job(brief.job_id)
    if job is not None:  # a user's brief names the job: its world fills what it left out
        brief = brief.model_copy(update={
            "situation": brief.situation or job["situation"][lang],
            "job": brief.job or job["name"][lang],
            "places": brief.places or list(job["places"][lang])})
    dev = briefs.devices().get(brief.device) if brief.device else None
    g = find_genre(premise.genre) if premise.genre else genre_of(premise.text, lang, dev)
    rng = random.Random(f"{premise.seed}|{premise.text}")
    cast = _family_name(build_cast(premise.text, lang, g, rng, brief), brief, lang)
    places = list(dict.fromkeys(brief.places))
    # the lead's job sets the world: its places, the premise's, and two homes; a genre's
    # banquet halls and auction floors only where the premise names no job
    extra = _HOMES[lang] if job is not None else g.places(lang)
    if "evicted" in brief.backstory:  # thrown out of the family: a home of her own
        extra = [_HOMES[lang][0], *extra]
    places += [p for p in extra if p not in places]
    slots = device_slots(Slots({c.id: c.name for c in cast}), brief, lang)
    male = cast[0].gender == "male"
    # the big secret, out just after the paywall: with a device, what the device's
    # holder is up against (the device itself comes out later, at its own reveal)
    secret = slots.fill(dev["twist"][lang] if dev else rng.choice(g.secrets(lang)), lang,
                        male)
    title = slots.fill(rng.choice(dev["titles"][lang]) if dev else
                       rng.choice(g.titles)(lang), lang, male)
    bible = SeriesBible(
        title=title, logline=premise.text.strip(), language=lang, genre=g.id,
        premise=premise.model_copy(update={"genre": g.id}), characters=cast, places=places,
        place_prompts=place_prompts(places, g, lang), visual_style=g.visual_style(lang),
        image_style=g.visual_style.en,
        # tropes describe the genre, whoever leads: filled, never mirrored
        tropes=[slots.fill(t, lang, False) for t in g.tropes(lang) if fits(  # the premise's own
            t, frame(brief, lang, genre=g.id, text=premise.text), lang)] + [secret],
    )
    paywall = arc.paywall_episode(premise.episodes)
    total = premise.episodes
    reveal = min(total, paywall + max(1, arc.reveal_after_paywall))
    device_beats = schedule_device(total, paywall, reveal) if dev else {}
    subplots = [sp.model_copy(update={"beats": b}) for sp, b in zip(
        brief.subplots, schedule_subplots(total, device_beats, len(brief.subplots)),
        strict=False) if sp.device in briefs.devices()]
    _arrests_last(subplots, device_beats, total)
    dev_reveal = next((n for n, b in device_beats.items() if b == "reveal"), 0)
    # he keeps to his bed until his reveal, which plays after the episode's event
    bedbound = dev_reveal if dev and brief.device == "faked_coma" and \
        brief.device_holder == "love" else 0
    states: list[EpisodeState] = []
    goals, secrets, events, outlines = plan_story(
        bible, total, paywall, arc.reveal_after_paywall, rng,
        exposes=_exposures(dev, device_beats, subplots), bedbound_until=bedbound,
        job=job is not None, states=states,
        where={"work": [p for p in brief.places if p in places], "family": _HOMES[lang][1:],
               "indoors": [p for p in places if not outdoors(p)]},
        brief=brief)
    _thread_titles(outlines, dev, device_beats, subplots, lang)
    _lives_out(states, brief, device_beats, subplots)
    threads = threads_of(events, secrets, device_beats)
    for sp in subplots:
        threads += [t for t in threads_of([], [], sp.beats) if t.kind == "device"]
    # each object that turns a scene, planted
    threads += props.plan_props(events, lang, story_bank()[lang]["kinds"])
    plan = SeasonPlan(episodes=outlines, paywall_episode=paywall,
                      target_duration_s=beats.target_duration_s, goals=goals,
                      secrets=secrets, events=events, device=brief.device,
                      device_beats=device_beats, threads=threads, subplots=subplots,
                      blocks=season_blocks(premise.episodes, paywall, _block_threads(
                          brief, dev, device_beats, subplots, slots, lang, male), lang),
                      states=states)
    return Series(bible=bible, plan=plan, brief=brief)


_ARREST = re.compile(r"认罪|押走|带走|警笛|被捕|手铐|confess|led away|taken away|sirens?\b|"
                     r"arrest|handcuff")
_NAMES_VILLAIN = "{villain}"


def _entry(d: dict, beat: str) -> list | None:
    k = {"clue1": ("clues", 0), "clue2": ("clues", 1), "clue3": ("clues", 2),
         "near1": ("near", 0), "near2": ("near", 1)}.get(beat)
    try:
        return d[k[0]][k[1]] if k else d.get(beat)
    except (IndexError, KeyError):
        return None


def _arrests_last(subplots: list[Subplot], device_beats: dict[int, str], total: int) -> None:
    """A further thread's payoff that puts the villain in handcuffs ('放火的人，今天认罪了')
    plays in the last episode, after the showdown arrests her, not before her last gambit."""
    if total < 20:
        return
    for sp in subplots:
        d = briefs.devices().get(sp.device)
        pay = next((n for n, b in sp.beats.items() if b == "payoff"), None)
        entry = _entry(d, "payoff") if d else None
        if pay is None or pay >= total - 1 or not entry or not _ARREST.search(" ".join(entry[1:])):
            continue
        busy = {n for n, b in device_beats.items() if b != "echo"} | {
            n for o in subplots if o is not sp for n in o.beats}
        if total not in busy:
            del sp.beats[pay]
            sp.beats[total] = "payoff"
            device_beats.pop(total, None)


def _exposures(dev: dict | None, device_beats: dict[int, str],
               subplots: list[Subplot]) -> set[int]:
    """Episodes where a thread's reveal makes the villain's crime public: the main device's
    reveal when its secret is the villain's doing, a further thread's when it names her."""
    out = set()
    if dev and any(_NAMES_VILLAIN in str(dev.get(k, {}).get("zh", "")) for k in ("twist",
                                                                               "secret")):
        out |= {n for n, b in device_beats.items() if b == "reveal"}
    for sp in subplots:
        d = briefs.devices().get(sp.device)
        entry = _entry(d, "reveal") if d else None
        if entry and _NAMES_VILLAIN in " ".join(entry[1:]):
            out |= {n for n, b in sp.beats.items() if b == "reveal"}
    return out


# an elder's title before or after the family name: 顾老夫人, 林父; Grandma Gu, Chairman Whitmore
_ZH_KIN_TITLE = re.compile(r"^[\u4e00-\u9fff](老夫人|老爷子|老太太|父|母|董事长)$")
_EN_KIN_TITLE = re.compile(r"^(Grandma|Grandmother|Grandpa|Grandfather|Chairman|Mr\.?|Mrs\.?) \S+$")


def _family_name(cast: list, brief: Brief, lang: Language) -> list:
    """An elder who is kin to the family the relations bible names carries its name: the
    heir's grandmother is 沈老夫人, Chairman Sterling of the Sterling group, not 顾老夫人 or
    Chairman Whitmore. A name the premise gives is kept."""
    if any(r.slot == "elder" and r.name for r in brief.roles):
        return cast
    names = {c.id: c.name for c in cast}
    rel = relations(brief, names, lang)
    fam, elder = rel["family"], names.get("elder", "")
    if not fam or rel["ekin"] not in seed_of_bible()["young_kin"][lang]:
        return cast
    if lang == "zh" and _ZH_KIN_TITLE.match(elder):
        new = fam + elder[1:]
    elif lang == "en" and _EN_KIN_TITLE.match(elder):
        new = elder.split(" ")[0] + " " + fam
    else:
        return cast
    if new == elder or new in names.values():
        return cast
    return [c.model_copy(update={"name": new}) if c.id == "elder" else c for c in cast]


def _lives_out(states: list[EpisodeState], brief: Brief, device_beats: dict[int, str],
               subplots: list[Subplot]) -> None:
    """A lead the premise threw out of the family lives elsewhere until the plan brings her
    back: the reveal that she is the family's own (a birth-swap thread), else the elder
    coming round."""
    if "evicted" not in brief.backstory:
        return
    beats = [device_beats] if brief.device == "switched_at_birth" else []
    beats += [sp.beats for sp in subplots if sp.device == "switched_at_birth"]
    back = next((n for b in beats for n, beat in b.items() if beat == "reveal"), None)
    if back is None:
        back = next((s.episode for s in states if s.elder == "with_lead"), len(states) + 1)
    for s in states:
        s.evicted = s.episode < back


_HOMES = {"zh": ["出租屋", "老宅客厅"], "en": ["a rented flat", "the family house"]}


def read_brief(premise: Premise) -> Brief:
    """The premise read into a brief by rules."""
    return briefs.read_premise(premise.text, premise.language)


def genre_of(text: str, lang: Language, dev: dict | None):
    """The genre the premise's words name; with none named, its device's; else workplace."""
    low = text.lower()
    from aiscript.craft import load_genres

    genres = load_genres()
    scores = {gid: sum(low.count(k.lower()) for k in g.keywords(lang)) for gid, g in genres.items()}
    best = max(scores, key=lambda gid: scores[gid])
    if scores[best]:
        return genres[best]
    return genres[dev["genre"]] if dev else guess_genre(text, lang)


def device_slots(slots: Slots, brief: Brief, lang: Language) -> Slots:
    """The brief's slots: who carries the device, the lead's job, workplace and tools, the
    device's noun."""
    job = briefs.job(brief.job_id)
    dev = briefs.devices().get(brief.device) if brief.device else None
    holder = brief.device_holder if brief.device_holder in slots else "hero"
    out = Slots(slots, holder=slots.get(holder, ""),
                job=brief.job or ("打工人" if lang == "zh" else "nobody"),
                dev=(dev.get("said", {}).get(lang) or dev["noun"][lang]).replace(  # said aloud
                    "{holder}", slots.get(holder, "")) if dev else "")
    places = brief.places or ([] if job is None else job["places"][lang])
    out["work"] = places[0] if places else slots.get("place", "")
    props = job["props"][lang] if job else []
    out["tool"] = props[0] if props else ("包" if lang == "zh" else "bag")
    out["tool2"] = props[1] if len(props) > 1 else out["tool"]
    # who the villain and the elder are to whom, and why (the relations bible)
    out.update({k: v for k, v in relations(brief, dict(slots), lang).items()
                if not k.startswith("to_")})
    return out


def _block_threads(brief: Brief, dev: dict | None, device_beats: dict[int, str],
                   subplots: list[Subplot], slots: Slots, lang: Language, male: bool):
    """(name, the lead's want in it, beats) for the main device and each further one."""
    out = []
    for d, holder, beats in ([(dev, brief.device_holder, device_beats)] if dev else []) + [
            (briefs.devices()[sp.device], sp.holder, sp.beats) for sp in subplots]:
        s = Slots(slots, holder=slots.get(holder, slots.get("hero", "")))
        out.append((d["name"][lang], s.fill(d["want"][lang], lang, male), beats))
    return out


_BEAT_TITLES = {
    "zh": {"setup": "{noun}疑云", "clue1": "{noun}：第一条线索", "clue2": "{noun}：又一条线索",
           "clue3": "{noun}：最后一块拼图", "near1": "{noun}，险些败露", "near2": "{noun}，再次告急",
           "reveal": "{noun}，真相大白", "acknowledged": "{noun}，终于认了", "payoff": "{noun}，了结"},
    "en": {"setup": "The {noun} Question", "clue1": "A First Clue to the {noun}",
           "clue2": "Another Clue to the {noun}", "clue3": "The Last Piece of the {noun}",
           "near1": "The {noun}, Nearly Out", "near2": "The {noun}, Close Again",
           "reveal": "The {noun}, Revealed", "acknowledged": "The {noun}, Acknowledged",
           "payoff": "The {noun}, Settled"},
}


def _thread_titles(outlines, dev: dict | None, device_beats: dict[int, str],
                   subplots: list[Subplot], lang: Language) -> None:
    """An episode where a thread moves is titled by its step (失忆，真相大白; A First Clue to
    the Birth Swap), so the season's titles read as its outline; the first episode and the
    rest keep their event's title."""
    used = {o.title for o in outlines}
    steps = [(briefs.devices()[sp.device], sp.beats) for sp in subplots]
    steps = ([(dev, device_beats)] if dev else []) + steps
    for d, beats in steps:
        for n, beat in beats.items():
            # a truth the lead has known from the start is owned up to, not revealed
            known = beat == "reveal" and d.get("carrier", {}).get("stated_known")
            form = _BEAT_TITLES[lang].get("acknowledged" if known else beat)
            if beat != "reveal":  # a step of a thread is no title: the episode's event is
                continue
            if n == 1 or not form or n > len(outlines):
                continue
            noun = d["noun"][lang]
            title = form.format(noun=noun if lang == "zh" else noun.title() if
                                noun.islower() else noun)
            if title not in used:
                used.discard(outlines[n - 1].title)
                outlines[n - 1].title = title
                used.add(title)


def bedbound(series: Series, n: int) -> list[str]:
    """Who keeps to a bed as episode ``n`` plays: the love interest who lies in a (faked)
    coma until its reveal. The blocking draws them lying unless the action has them get up."""
    plan, brief = series.plan, series.brief
    if plan is None or brief is None or plan.device != "faked_coma" or \
            brief.device_holder != "love":
        return []
    reveal = next((m for m, b in plan.device_beats.items() if b == "reveal"), 0)
    if n >= reveal:
        return []
    love = cast_slots(series.bible).get("love")
    return [love] if love else []
