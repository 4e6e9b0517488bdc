"""The premise's backstory on screen (``seeds/backstory.json``): what the lead lost before the
story starts (父亲去世, 被赶出豪门; fired, framed) plays in episode 1 as a short flashback right
after the hook, the villain is introduced by what she is to the lead, and two later episodes
recall the loss once each (a photo, the old suitcase), never as a recap.

Relations are said as the bible has them (``kin_said``): the villain raised in the elder's
family calls her 奶奶.

The writer passed in is the template writer's episode writer: its ``brief``, ``names``,
``slots``, ``fill``, ``step`` and ``heading``.
"""

from __future__ import annotations

from typing import Any

from aiscript.schema import SceneDraft, ScriptElement
from aiscript.story import brief as briefs
from aiscript.story.planner import Slots

_FLASHBACK_AT = 0.1  # an opening image: the scene needs no establishing shot of its own


def told(w, scenes: list[SceneDraft]) -> None:
    """The backstory in an episode: episode 1's flashback right after the hook scene and the
    villain introduced; a recall episode's moment with the loss."""
    introduce_villain(w, scenes)
    scene = flashback(w)
    if scene is not None:  # after the villain's own scene where the secret's moment opens
        scenes.insert(2 if w.opened is not None and len(scenes) > 1 else 1, scene)
    recall(w, scenes)


def shown(brief) -> list[dict[str, Any]]:
    """The premise's losses the season shows, in the order they happened: at most two, and
    none its device sets up itself (a framed lead's device plays the framing; a fire that is
    the arson)."""
    devs = {d for d in (brief.device, *(sp.device for sp in brief.subplots)) if d}
    cat = briefs.losses()
    told = [cat[i] for i in brief.backstory
            if i in cat and not devs & set(cat[i].get("devices", []))][:2]
    return sorted(told, key=lambda d: d.get("order", 0))  # as they happened


def recall_episodes(total: int, count: int) -> list[int]:
    """Where the losses are recalled: one each, in the second and fourth fifths of the season
    (none in a season too short to look back)."""
    if total < 8 or not count:
        return []
    return [round(total * f) for f in (0.35, 0.75)][:max(count, 2)]


def _slots(w) -> Slots:
    text = w.bible.premise.text
    kin = briefs.lost_kin(text, w.lang)
    extra = {"lost": kin}
    if w.lang == "en":
        extra["lost_of_hero"] = f"her {kin}'s"
    return Slots(w.slots, **extra)


def flashback(w) -> SceneDraft | None:
    """Episode 1's flashback: each loss the premise names, the second a few days after the
    first, at the first one's place."""
    losses = shown(w.brief)
    if w.n != 1 or not losses:
        return None
    saved, w.slots = w.slots, _slots(w)
    try:
        els: list[ScriptElement] = []
        for k, loss in enumerate(losses):
            script = [list(st) for st in loss["scene"][w.lang]]
            # marked as the past; the second loss follows the first
            mark = briefs.backstory_seed()["bridge" if k else "flashback"][w.lang]
            script[0][1] = mark + ("" if w.lang == "zh" else " ") + script[0][1]
            els += [e for e in (w.step(*st, intensity=0.6) for st in script) if e is not None]
        place = w.fill(losses[0]["place"][w.lang])
    finally:
        w.slots = saved
    if not els:
        return None
    els[0].intensity = _FLASHBACK_AT
    return w.scene(2, w.heading(place, els), els)


def recall(w, scenes: list[SceneDraft]) -> None:
    """Near each recall episode (it or the three after, the first with a scene for it), the
    lead's moment with the loss, alone or with a friend, before the scene's last beat."""
    losses = shown(w.brief)
    at = recall_episodes(len(w.series.plan.episodes), len(losses))
    k = next((k for k, ep in enumerate(at) if ep <= w.n <= ep + 3
              and not w.season.cores.get(f"backstory:{k}")), None)
    if k is None:
        return
    hero = w.name("hero")
    family = {w.name("villain"), w.name("elder")}
    quiet = [s for s in scenes[1:] if hero in s.characters and not family & set(s.characters)]
    if not quiet:
        return
    loss = losses[k % len(losses)]
    steps = loss["recall"][w.lang]
    saved, w.slots = w.slots, _slots(w)
    try:
        el = w.step(*steps[(k // len(losses)) % len(steps)], intensity=0.4)
    finally:
        w.slots = saved
    if el is None:
        return
    w.season.cores[f"backstory:{k}"] = 1
    scene = min(quiet, key=lambda s: (len(s.characters), -scenes.index(s)))
    scene.elements.insert(max(1, len(scene.elements) - 1), el)


def introduce_villain(w, scenes: list[SceneDraft]) -> None:
    """Episode 1: the villain's first appearance says what she is to the lead's world (苏念
    （顾家养了十八年的假千金）), so her first move lands on someone the audience knows."""
    if w.n != 1:
        return
    villain = w.name("villain")
    said = w.fill(w.slots.get("vintro", "") or "")
    if not said or "{" in said:
        return
    intro = briefs.backstory_seed()["intro"][w.lang].format(villain=villain, rel=said)
    for sc in scenes:
        for el in sc.elements:
            action = el.action or ""
            if villain in action:
                el.action = action.replace(villain, intro, 1)
            elif el.line is not None and el.line.speaker == villain:
                el.action = (intro + ("。" if w.lang == "zh" else ". ") + action).strip()
            else:
                continue
            return


def kin_said(w, scene: SceneDraft) -> None:
    """Relations said as the bible has them: the villain raised in the elder's family calls
    her 奶奶 (Grandma), not by her title and name, in every line she speaks."""
    calls = w.slots.get("vcalls") or ""
    villain, elder = w.name("villain"), w.name("elder")
    if not calls:
        return
    for el in scene.elements:
        if el.line is not None and el.line.speaker == villain and elder in el.line.text:
            el.line = el.line.model_copy(update={"text": el.line.text.replace(elder, calls)})
