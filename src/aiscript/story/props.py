"""Objects that turn scenes: planted on screen first, then paid off.

An event scene may turn on an object (a photo, a recording, a contract, a ring, a key). When it
does, the audience has seen the object before: ``plan_props`` finds the events whose kind cannot
play without its object and plans a planting two to four episodes earlier, recorded in the
season plan as a ``prop`` thread (set-up: the planting, payoff: the scene it turns). Every
other event scene turns on a person, a word or a witness: ``seeds/scenes.json`` holds those
object-free tellings beside the story bank's, and ``seeds/props.json`` the planting beats.

>>> from aiscript.schema import StoryEvent
>>> ev = [StoryEvent(id=f"e{n}", episode=n, stage="escalation", kind=k, summary="", instigator="villain",
...                  target="hero", place="p", prop="旧照片") for n, k in ((1, "inciting"),
...       (2, "rumour"), (3, "threat_ally"), (4, "rumour"), (5, "evidence"))]
>>> [(t.setup_episode, t.payoff_episode, t.what) for t in plan_props(ev, "zh")]
[(3, 5, '旧照片')]
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aiscript.craft import invalid_seed, seed_json
from aiscript.schema import StoryEvent, Thread

# how far before the scene it turns an object is planted, nearest first
_LEADS = (2, 3, 4, 1)
_SIDES = ("hero", "villain")


@cache
def _scenes() -> dict[str, Any]:
    bank = seed_json("scenes.json")
    try:
        for lang in ("zh", "en"):
            for ending, step in bank[lang].get("cliff_pickup", {}).items():
                if ending not in [*bank[lang]["cliff"]["threat"], *bank[lang]["cliff"]["find"]] \
                        or len(step) != 4 or not step[1] or not step[2]:
                    raise ValueError(f"{lang}: cliff_pickup: a pick-up is [role, action, line, "
                                     f"parenthetical] for an ending of 'cliff': {ending}")
            for kind, parts in bank[lang].items():
                if kind in ("cliff", "cliff_details", "cliff_pickup", "cliff_pickup_prop",
                            "turn_alone", "reveal"):
                    continue
                for part, tellings in parts.items():
                    if part not in ("hook", "turn"):
                        raise ValueError(f"{lang}: {kind}: unknown part {part}")
                    for t in tellings:
                        if not t["action"] or not t["line"] or (part == "turn" and
                                                                not t["speaker"]):
                            raise ValueError(f"{lang}: {kind}: a telling needs an action, a "
                                             "line and, for a turn, its speaker")
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid_seed("scenes.json", exc) from None
    return bank


@cache
def _plants() -> dict[str, Any]:
    bank = seed_json("props.json")
    try:
        for lang in ("zh", "en"):
            for side in _SIDES:
                if any(len(p) != 3 or "{prop}" not in p[0] for p in bank[lang][side]):
                    raise ValueError(f"{lang}: {side}: a planting is [action with {{prop}}, "
                                     "line or null, needs or null]")
        dict(bank["holders"])
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid_seed("props.json", exc) from None
    return bank


_ROLES = ("hero", "love", "villain", "ally", "elder")
_STATES = ("hidden", "suspected", "exposed", "arrested")


def _step_ok(step: Any) -> bool:
    return isinstance(step, list) and len(step) == 4 and step[0] in _ROLES and \
        all(isinstance(x, str) for x in step) and bool(step[1] or step[2])


@cache
def _whole() -> dict[str, Any]:
    bank = seed_json("event_scenes.json")
    try:
        for lang in ("zh", "en"):
            for kind, scenes in bank[lang].items():
                for i, sc in enumerate(scenes):
                    where = f"{lang}: {kind}[{i}]"
                    if not all(_step_ok(st) for st in
                               (sc["hook"], sc["turn"], *sc["moves"], *sc["after"])):
                        raise ValueError(f"{where}: a step is [role, action, line, emotion], "
                                         f"role one of {', '.join(_ROLES)}")
                    if not sc["moves"]:
                        raise ValueError(f"{where}: a scene needs moves between hook and turn")
                    if sc.get("needs") not in (None, "any", "doc", "object", "recorder"):
                        raise ValueError(f"{where}: needs is null, any, doc, object or recorder")
                    if ("{prop}" in repr(sc)) != (sc.get("needs") is not None):
                        raise ValueError(f"{where}: a scene names {{prop}} exactly when it "
                                         "says what it needs")
                    if not set(sc.get("villain", _STATES)) <= set(_STATES) or \
                            sc.get("elder") not in (None, "against", "with_lead"):
                        raise ValueError(f"{where}: unknown villain or elder state")
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid_seed("event_scenes.json", exc) from None
    return bank


def whole_scenes(lang: str, kind: str) -> list[dict[str, Any]]:
    """``seeds/event_scenes.json``'s written scenes of an event kind: a hook, moves that answer
    each other, the turn and what it leaves, each step ``[role, action, line, emotion]``."""
    return _whole()["zh" if lang == "zh" else "en"].get(kind, [])


def scene_fits(scene: dict[str, Any], *, planted: bool, prop_kind: str, villain: str,
               elder: str, prop_sort: str = "") -> bool:
    """Whether a written scene can play: it names the object exactly when the object was
    planted (and the object can do what it needs: only papers are read, only a recorder plays
    back; a signature is a deed's or a letter's, not a photo's: ``presumes``), the villain's
    and the family head's states are ones it was written for, and a villain in custody takes
    no part."""
    needs = scene.get("needs")
    if (needs is not None) != planted or needs not in (None, "any", prop_kind):
        return False
    if planted and prop_sort not in scene.get("presumes", [prop_sort]):
        return False
    if villain not in scene.get("villain", _STATES) or scene.get("elder") not in (None, elder):
        return False
    steps = (scene["hook"], scene["turn"], *scene["moves"], *scene["after"])
    return villain != "arrested" or all(st[0] != "villain" for st in steps)


@cache
def _openings() -> dict[str, Any]:
    bank = seed_json("openings.json")
    try:
        for lang in ("zh", "en"):
            for i, steps in enumerate(bank[lang]):
                if len(steps) < 2 or not all(_step_ok(st) and st[0] in ("hero", "villain", "ally")
                                             for st in steps):
                    raise ValueError(f"{lang}[{i}]: two steps at least, each [hero, villain or "
                                     "ally, action, line, emotion]")
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid_seed("openings.json", exc) from None
    return bank


def openings(lang: str) -> list[list[list[str]]]:
    """What follows the villain's humiliation of the lead in episode 1 (``seeds/openings.json``):
    written exchanges, each line answering the last."""
    return _openings()["zh" if lang == "zh" else "en"]


def tellings(lang: str, kind: str, part: str) -> list[dict[str, Any]]:
    """``seeds/scenes.json``'s further tellings of a kind's ``hook`` or ``turn``."""
    return _scenes()["zh" if lang == "zh" else "en"].get(kind, {}).get(part, [])


def endings(lang: str, kind: str) -> list[str]:
    """Endings of a kind (``threat``, ``find``) that name no object."""
    return _scenes()["zh" if lang == "zh" else "en"].get("cliff", {}).get(kind, [])


def pickup(lang: str, ending: str) -> list | None:
    """How the next episode's first moment takes up a stock ending (``cliff`` of
    ``seeds/scenes.json``): a step (role, action, line, parenthetical), or None."""
    return _scenes()["zh" if lang == "zh" else "en"].get("cliff_pickup", {}).get(ending)


def prop_pickups(lang: str, kind: str) -> list[list]:
    """How the next episode's first moment takes up an ending with the next object in it:
    the lead with the object she found (``find``), or the lead on the object another holds
    (``threat``); none for other kinds."""
    return _scenes()["zh" if lang == "zh" else "en"].get("cliff_pickup_prop", {}).get(kind, [])


def details(lang: str) -> list[str]:
    """What an arriving figure is doing, naming no object (a composed ending's second part)."""
    return _scenes()["zh" if lang == "zh" else "en"].get("cliff_details", [])


def reveals(lang: str) -> list[str]:
    """How a secret is brought out in front of people, naming no object."""
    return _scenes()["zh" if lang == "zh" else "en"].get("reveal", [])


def alone(lang: str, kind: str) -> list[dict[str, Any]]:
    """The lead's own turns of a kind (then of any kind), naming no object."""
    own = _scenes()["zh" if lang == "zh" else "en"].get("turn_alone", {})
    return [*own.get(kind, []), *own.get("*", [])]


def with_object(telling: dict[str, Any]) -> bool:
    """Whether a telling turns on the event's object."""
    return "{prop}" in telling.get("action", "") + telling.get("line", "")


def free_tellings(kind: str, lang: str, kinds: dict[str, Any]) -> int:
    """How many scenes of ``kind`` a season can tell without their object: as many as it
    has openings that name none and (for a kind with turns) turns that name none."""
    k = kinds.get(kind, {})
    hooks = [*k.get("hook", []), *tellings(lang, kind, "hook")]
    free = sum(not with_object(h) for h in hooks)
    if "script" not in k:
        turns = [*k.get("turn", []), *tellings(lang, kind, "turn")]
        if turns:
            free = min(free, sum(not with_object(t) for t in turns))
    return free


def plan_props(events: list[StoryEvent], lang: str, kinds: dict[str, Any]) -> list[Thread]:
    """A planting for each event that turns on its object (its kind has no telling without
    it, or the season has used those up), two to four episodes before it, one planting an
    episode and none in the first: the ``prop`` threads."""
    out: list[Thread] = []
    taken: set[int] = set()
    told: dict[str, int] = {}
    for ev in sorted(events, key=lambda e: e.episode):
        if not ev.prop or ev.kind in ("inciting", "finale"):
            continue
        told[ev.kind] = told.get(ev.kind, 0) + 1
        if told[ev.kind] <= free_tellings(ev.kind, lang, kinds):
            continue
        at = next((ev.episode - d for d in _LEADS if ev.episode - d >= 2 and
                   ev.episode - d not in taken), None)
        if at is None:
            continue
        taken.add(at)
        out.append(Thread(kind="prop", setup_episode=at, payoff_episode=ev.episode,
                          what=ev.prop))
    return out


def holder(kind: str, instigator: str) -> str:
    """Who has the object before it turns the scene (the lead has the design that the
    villain ruins later; the villain has the photo she frames her with)."""
    return _plants()["holders"].get(kind, instigator)


def planting(lang: str, role: str, prop_kind: str, used: dict[str, int],
             start: int = 0) -> tuple[str, str | None] | None:
    """A planting beat (action, line) for the object's holder: the first one the season has
    not played that the object can (only papers are smoothed flat); None when all are."""
    side = "villain" if role in ("villain", "elder") else "hero"
    pool = _plants()["zh" if lang == "zh" else "en"][side]
    for k in range(len(pool)):
        action, line, needs = pool[(start + k) % len(pool)]
        if needs not in (None, prop_kind) or used.get("plant:" + action):
            continue
        used["plant:" + action] = 1
        return action, line
    return None


def fits(telling: dict[str, Any], prop_kind: str, prop_sort: str = "") -> bool:
    """Whether an object can play a telling: of the kind it ``needs`` (only papers tear) and,
    where it ``presumes`` a sort of object (payments read out line by line are a bank
    statement's, a date that clears her a photo's or a ticket's), of one of those sorts
    (``sort`` of ``seeds/story.json``'s props)."""
    return telling.get("needs") in (None, prop_kind) and \
        prop_sort in telling.get("presumes", [prop_sort])


def choose(options: list[dict[str, Any]], *, planted: bool, prop_kind: str, start: int,
           used: dict[str, int], villain: str | None = None,
           prop_sort: str = "") -> dict[str, Any] | None:
    """The telling an event scene plays: one its object can play (only papers tear, only a
    bank statement's payments are read out) and the story's state allows (an elder does not learn as news what is public), turning on the
    object only when it was planted (else on a person), the first from ``start`` the season
    has not played; when all are played, the least played. Counted in ``used``."""
    fit = [t for t in options if fits(t, prop_kind, prop_sort)] or options
    fit = [t for t in fit if villain is None or villain in t.get("villain", [villain])] or fit
    own = [t for t in fit if with_object(t) == planted] or fit
    if not own:
        return None
    k = once(own, start, used, "tell", key=lambda t: t["action"])
    return own[k]


def once(items: list, start: int, used: dict[str, int], tag: str, key=str) -> int:
    """The index of the first of ``items`` from ``start`` that the season has not played
    (else the least played), counted in ``used`` under ``tag``."""
    order = [(start + k) % len(items) for k in range(len(items))]
    pick = min(order, key=lambda i: used.get(f"{tag}:{key(items[i])}", 0))
    name = f"{tag}:{key(items[pick])}"
    used[name] = used.get(name, 0) + 1
    return pick
