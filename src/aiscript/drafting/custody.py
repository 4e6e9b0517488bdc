"""The villain and the police: where she stands with the law, and what that lets her do on
screen (``seeds/custody.json``).

Once her crime is public she is arrested (held), out on bail the next episode (bailed), on the
run from the night she breaks it (wanted), caught when her last ambush fails, charged at the
hearing and sentenced in the finale (the track itself: :mod:`aiscript.story.custody`).

While she is held she is off stage; while she is wanted she acts by phone only. One officer
carries the case all season, in action lines only. The same pass keeps an episode from
contradicting itself: a knife taken from her is not still held to a throat two lines later,
and someone who has just apologised does not threaten the lead in the same episode.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from aiscript.craft import invalid_seed, seed_json
from aiscript.schema import Line, SceneDraft, SceneHeading, ScriptElement, Thread
from aiscript.story.custody import CUSTODY, off_stage, track  # noqa: F401 (one way in)
from aiscript.story.gender import agree
from aiscript.story.turns import APOLOGY

_GONE = "\0gone"  # marks a scene whose every moment went
_MOMENTS = ("arrest", "held_end", "flight", "ambush", "caught")


@cache
def custody_bank() -> dict[str, Any]:
    """The custody moments per language (``seeds/custody.json``), checked once."""
    bank = seed_json("custody.json")
    try:
        for lang in ("zh", "en"):
            b = bank[lang]
            moments = [m for k in _MOMENTS for m in b[k]] + b["bail"]["moments"]
            if any(len(m) != 4 for m in moments) or len(b["bail"]["at"]) != 3:
                raise ValueError(f"{lang}: a moment is [role, action, line, emotion]")
            for k in ("disarm", "release", "threat"):
                re.compile(b[k])
            if not b["cop"] or "{" in b["cop"]:
                raise ValueError(f"{lang}: the officer needs a name")
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise invalid_seed("custody.json", exc) from None
    return bank


def custody_endings(lang: str) -> list[dict[str, Any]]:
    """The custody moments that end an episode, as state endings are written (``end``, and
    the ``answer`` the next episode opens on): the night of the arrest ends on her lawyer's
    bail bid, and the next morning she walks out.

    >>> [e["answer"][0][2] for e in custody_endings("en")]
    ["One night. That's all you could hold me."]
    """
    b = custody_bank()["zh" if lang == "zh" else "en"]
    return [{"end": b["held_end"][0], "answer": b["bail"]["moments"]}]


# --------------------------------------------------------------------------- drafting


def settle(w: Any, scenes: list[SceneDraft], event: SceneDraft | None) -> None:
    """Custody on screen for episode writer ``w`` (its state as the episode opens and once
    its event has played): the arrest, the bail, the flight, the ambush call and the arrest at
    the knife; then what the episode must not contradict; then its state ending and the
    paywall's bang recorded in the plan's threads."""
    before = w.state.custody if w.state is not None else "free"
    after = w.after.custody if w.after is not None else before
    bank = custody_bank()[w.lang]
    at = scenes.index(event) if event in scenes else 0
    villain = w.name("villain")
    if before == "held":  # bailed: she walks out before she can act
        first = 1 if len(scenes) > 1 and scenes[0] is not event and at > 0 else 0
        bail = _bail_scene(w, bank)
        for sc in scenes[:first]:
            _away(sc, villain, sc is scenes[-1])
        scenes.insert(first, bail)
        at = scenes.index(event) if event in scenes else first
    if before == "free" and after == "held" and event in scenes:
        _add(w, event, bank["arrest"], bank)
        for sc in scenes[at + 1:]:
            _away(sc, villain, sc is scenes[-1])
        if getattr(w, "turn_told", None) is None:  # the night ends on her lawyer's move
            w.season.answers.pop(w.n, None)
            _end_on(w, scenes[-1], bank["held_end"], bank)
    if before == "bailed" and after == "wanted" and event in scenes:
        _add(w, event, bank["flight"], bank)
        for sc in scenes[at + 1:]:
            _by_phone(w, sc, villain, bank)
    if before == "wanted":
        for sc in scenes[:at]:
            _by_phone(w, sc, villain, bank)
    if before == "bailed" and after == "bailed":
        _on_bail(w, scenes, villain, bank)
    if after == "caught" and before != "caught" and event in scenes:
        if before == "wanted":  # her call sets the ambush: the knife scene opens on it
            _add(w, event, bank["ambush"], bank, front=True)
            at = scenes.index(event)
        _add(w, event, bank["caught"], bank)
        for sc in scenes[at + 1:]:
            _away(sc, villain, sc is scenes[-1])
    for sc in scenes:
        _disarmed(sc, villain, bank)
    # in handcuffs she threatens nobody: she is past sending anyone away
    _sorry_then_threat(w, scenes, bank, {villain} if before in ("caught", "charged") else set())
    scenes[:] = [sc for sc in scenes if not _gone(sc)] or scenes[:1]
    for sc in scenes:
        sc.characters = list(dict.fromkeys(c for e in sc.elements for c in e.characters))
    _record(w, scenes, before != after and before != "held")


def _moment(w: Any, m: list, bank: dict, beat=None) -> ScriptElement | None:
    role, action, line, emotion = m
    fill = {"cop": bank["cop"], "place": w.event.place}
    action = _put(action or "", fill)
    line = _put(line, fill) if line else None
    el = w.step(role, action, line, None, beat=beat, intensity=0.8)
    if el is not None:  # her pronouns, or his where the villain is a man
        el.action = agree(el.action, w.genders, w.lang)
    if el is not None and el.line is not None and emotion:  # counted against the season's cap
        phone = emotion.startswith(bank["phone"])  # how she is heard, not a mood
        el.line.parenthetical = emotion if phone else w.paren(emotion, el.line.speaker)
    return el


def _put(text: str, values: dict[str, str]) -> str:
    for k, v in values.items():
        text = text.replace("{" + k + "}", v)
    return text


def _add(w: Any, sc: SceneDraft, moments: list, bank: dict, front: bool = False) -> None:
    els = [e for e in (_moment(w, m, bank) for m in moments) if e is not None]
    if front:
        sc.elements[:0] = els
    else:
        sc.elements.extend(els)


def _end_on(w: Any, sc: SceneDraft, moments: list, bank: dict) -> None:
    els = [e for e in (_moment(w, m, bank, beat="cliffhanger") for m in moments) if e]
    if els:
        if sc.elements and sc.elements[-1].beat == "cliffhanger":
            sc.elements.pop()
        sc.elements.extend(els)


def _bail_scene(w: Any, bank: dict) -> SceneDraft:
    setting, place, time = bank["bail"]["at"]
    els = [e for e in (_moment(w, m, bank) for m in bank["bail"]["moments"]) if e is not None]
    return SceneDraft(number=1, heading=SceneHeading(setting=setting, place=place, time=time),
                      elements=els or [ScriptElement(action=place)])


def _away(sc: SceneDraft, villain: str, last: bool = False) -> None:
    """She is not here: a scene she opens goes, but for the episode's last; elsewhere her
    lines go, and a moment that is only hers goes with them (the ending stays: the plan's
    next move is hers)."""
    first = next((e.line.speaker for e in sc.elements if e.line is not None), None)
    if not last and first == villain:  # a scene she drives does not play without her
        _set(sc, [])
        return
    keep = []
    for e in sc.elements:
        if e.line is not None and e.line.speaker == villain and e.beat != "cliffhanger":
            if not e.action or villain in e.action:
                continue
            e.line = None
        keep.append(e)
    _set(sc, keep)


def _set(sc: SceneDraft, els: list[ScriptElement]) -> None:
    """A scene's moments; a scene left with none is marked to go (``_gone``)."""
    if els:
        sc.elements = els
    else:
        sc.characters = [_GONE]


def _gone(sc: SceneDraft) -> bool:
    return sc.characters == [_GONE]


def _by_phone(w: Any, sc: SceneDraft, villain: str, bank: dict) -> None:
    """On the run she is a voice on the phone: her lines are heard, she is not seen."""
    rang = False
    for e in sc.elements:
        if e.line is None or e.line.speaker != villain:
            continue
        if not rang:
            e.action = w.fill(bank["phone_action"])
            rang = True
        elif villain in e.action:
            e.action = ""
        e.line.parenthetical = bank["phone"]


_CALL = re.compile(r"电话|手机|phone|call", re.I)
_ENTERS = re.compile(r"一出现|街角|\bappears\b|\bcomes on\b")


def _on_bail(w: Any, scenes: list[SceneDraft], villain: str, bank: dict) -> None:
    """Out on bail she may come on in person, but not as if nothing happened: where she first
    speaks face to face in an episode, something on screen says she is on bail (her check-in,
    the mark of the cuffs, the car on the corner), each told once a season. It comes before
    her line; where that line opens the scene, it opens that line's action; where it is the
    episode's hook, it follows the hook."""
    for sc in scenes:
        i = next((k for k, e in enumerate(sc.elements) if e.line is not None
                  and e.line.speaker == villain), None)
        if i is None or any(_CALL.search(e.action or "") for e in sc.elements[:i + 1]) or \
                sc.elements[i].beat == "cliffhanger":
            continue  # a call is no visit; the night's end keeps its shape
        told = w.season.cores
        hook = sc.elements[i].beat == "hook"  # after it she is already there: no entrance
        k = next((k for k in range(len(bank["on_bail"])) if not told.get(f"on_bail:{k}")
                  and not (hook and _ENTERS.search(bank["on_bail"][k]))), None)
        el = None if k is None else _moment(w, [None, bank["on_bail"][k], None, None], bank)
        if el is None:
            return
        told[f"on_bail:{k}"] = 1
        target = sc.elements[i]
        if target.beat == "hook":  # the hook keeps its shape: the bail is seen right after it
            sc.elements.insert(i + 1, el)
        elif i:
            sc.elements.insert(i, el)
        else:
            sep = "" if w.lang == "zh" else " "
            target.action = f"{el.action}{sep}{target.action}" if target.action else el.action
        return


def _disarmed(sc: SceneDraft, villain: str, bank: dict) -> None:
    """Once the knife is out of her hand, nobody asks her to let go of it."""
    disarm, release = re.compile(bank["disarm"]), re.compile(bank["release"])
    taken = False
    keep = []
    for e in sc.elements:
        taken = taken or bool(disarm.search(e.action))
        if taken and e.line is not None and release.search(e.line.text):
            if not e.action:
                continue
            e.line = None
        keep.append(e)
    _set(sc, keep)


def _sorry_then_threat(w: Any, scenes: list[SceneDraft], bank: dict,
                       bound: set[str]) -> None:
    """Someone who has apologised does not threaten the lead later in the same episode (nor
    does anyone ``bound``)."""

    threat = re.compile(bank["threat"])
    sorry = set(bound)
    for sc in scenes:
        keep = []
        for e in sc.elements:
            line: Line | None = e.line
            if line is not None and line.speaker in sorry and threat.search(line.text):
                if not e.action:
                    continue
                e.line = None
            elif line is not None and APOLOGY.search(line.text):
                sorry.add(line.speaker)
            keep.append(e)
        _set(sc, keep)


def _record(w: Any, scenes: list[SceneDraft], custody_moved: bool) -> None:
    """The episode's ending in the plan's threads when it turns on the story's state (the
    next episode opens on its answer) or is the paywall's bang."""
    plan, n = w.series.plan, w.n
    if n >= len(plan.episodes):
        return
    last = scenes[-1].elements[-1]
    what = (last.line.text if last.line is not None else "") or last.action
    told = getattr(w, "turn_told", None)
    kinds = []
    if told is not None or custody_moved:
        kinds.append("state")
    if n == plan.paywall_episode:
        kinds.append("paywall")
    for kind in kinds:
        thread = Thread(kind=kind, setup_episode=n, payoff_episode=n + 1, what=what)
        if thread not in plan.threads:
            plan.threads.append(thread)
