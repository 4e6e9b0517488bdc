"""The scenes a script editor reads: objects planted before they turn a scene, no action beat
told twice, no recap blocks, parentheticals that fit their lines, outdoor scenes kept outdoors.

Each property is pinned on twenty-episode seasons of the two review premises and of the suite's
flash-marriage premise, written once for the module."""

from __future__ import annotations

import re

import pytest

from aiscript.drafting.template import TemplateWriter
from aiscript.schema import Premise
from aiscript.story.planner import story_bank

from ..conftest import EN_PREMISE, ZH_PREMISE
from .conftest import REVIEW_PREMISES

EPISODES = 20
PREMISES = [("zh", REVIEW_PREMISES["zh"]), ("en", REVIEW_PREMISES["en"]),
            ("zh", ZH_PREMISE), ("en", EN_PREMISE)]
TURNS = ("hook", "twist", "payoff")


@pytest.fixture(scope="module")
def seasons():
    """``[(lang, series, drafts)]``, one twenty-episode season per premise."""
    w = TemplateWriter()
    out = []
    for lang, text in PREMISES:
        series = w.plan(Premise(text=text, language=lang, episodes=EPISODES))
        out.append((lang, series, [w.draft_episode(series, n) for n in range(1, EPISODES + 1)]))
    return out


def _objects(lang: str) -> list[str]:
    return [p["name"] for p in story_bank()[lang]["props"]]


def _actions(draft) -> str:
    return " ".join(e.action for s in draft.scenes for e in s.elements)


def _turning(draft, objects: list[str]) -> set[str]:
    """The objects named where the event scene opens or turns (its action or its line)."""
    said = " ".join(e.action + " " + (e.line.text if e.line else "")
                    for e in draft.scenes[0].elements if e.beat in TURNS)
    return {o for o in objects if o in said}


# -- 1. an object that turns a scene is planted on screen first, and paid off


def test_each_planted_object_is_seen_first_and_turns_its_scene(seasons):
    for lang, series, drafts in seasons:
        threads = [t for t in series.plan.threads if t.kind == "prop"]
        assert threads, lang  # twenty episodes have objects to plant
        for t in threads:
            assert 2 <= t.setup_episode < t.payoff_episode, t
            assert t.what in _actions(drafts[t.setup_episode - 1]), (lang, t)
            payoff = drafts[t.payoff_episode - 1]
            assert any(t.what in e.action + (e.line.text if e.line else "")
                       for s in payoff.scenes for e in s.elements if e.beat in TURNS), (lang, t)


def test_no_event_scene_turns_on_an_object_never_seen(seasons):
    for lang, _, drafts in seasons:
        objects, seen = _objects(lang), set()
        for d in drafts[1:]:
            unseen = _turning(d, objects) - seen
            assert not unseen, (lang, d.number, unseen)
            seen |= {o for o in objects if o in _actions(d)}
        seen |= {o for o in objects if o in _actions(drafts[0])}


def test_most_event_scenes_turn_on_people_not_objects(seasons):
    for lang, _, drafts in seasons:
        objects = _objects(lang)
        turned = sum(bool(_turning(d, objects)) for d in drafts)
        assert turned <= len(drafts) // 4, (lang, turned)  # a season of objects: 6 to 9


def test_a_line_names_no_object_the_audience_has_not_seen(seasons):
    # an episode whose object is not planted says nothing of it, and no slot is left unfilled
    for lang, _, drafts in seasons:
        for d in drafts:
            for s in d.scenes:
                for e in s.elements:
                    assert "{" not in e.action and (e.line is None or "{" not in e.line.text), \
                        (lang, d.number, e)


# -- 2. no action beat told twice in a season: openings, turns, reveals, plantings


def _masked(text: str, names: list[str]) -> str:
    for n in sorted(names, key=len, reverse=True):
        text = text.replace(n, "N")
    return text


def test_no_action_beat_comes_back_within_a_season(seasons):
    for lang, series, drafts in seasons:
        names = [c.name for c in series.bible.characters]
        seen: dict[str, int] = {}
        for d in drafts:
            for s in d.scenes:
                for e in s.elements:
                    if not e.action or e.intensity <= 0.1:
                        continue  # a scene's establishing image
                    key = _masked(e.action, names)
                    assert key not in seen, (lang, d.number, seen.get(key), e.action)
                    seen[key] = d.number


def test_each_opening_and_turn_of_an_event_is_told_once(seasons):
    for lang, _, drafts in seasons:
        for beat in TURNS:
            told = [e.action for d in drafts for e in d.scenes[0].elements
                    if e.beat == beat and e.action]
            assert len(told) == len(set(told)), (lang, beat)


# -- 3. an episode picks up the last one in one exchange, not a recap block


def test_an_episode_picks_up_the_last_one_in_one_exchange_at_most(seasons):
    # the scenes before the event's turn that answer last episode's ending or visit who was
    # hurt in it: one line and one reply (or a question, its reply and the answer: 'Want the
    # truth?' / 'Yes.' / 'I never stood on your side...'), the rest played as silent action
    for lang, _, drafts in seasons:
        for d in drafts[1:]:
            for s in d.scenes:
                if any(e.beat in ("twist", "payoff") for e in s.elements):
                    break
                said = [e.line for e in s.elements if e.line]
                assert len(said) <= 3, (lang, d.number, [ln.text for ln in said])
                if len(said) >= 2:
                    assert said[0].speaker != said[1].speaker, (lang, d.number)
                if len(said) == 3:
                    assert said[2].speaker == said[0].speaker, (lang, d.number)


# -- 4. parentheticals fit their lines; outdoor scenes keep to what can happen outdoors

SHOCK = {"震惊", "惊呆", "怔住", "一愣", "愣住", "吃惊", "难以置信", "shocked", "stunned",
         "taken aback", "startled", "in disbelief"}
LEVEL = re.compile(r"^[^!！?？…—]*[。.]$")
INDOORS = re.compile(r"床边|床上|病床|沙发|书桌|办公桌|\bin bed\b|\bbedside\b|\bsofa\b|\bcouch\b|"
                     r"\bdesk\b")


def test_no_shock_on_a_level_line_and_none_stacked(seasons):
    for lang, _, drafts in seasons:
        for d in drafts:
            for s in d.scenes:
                said = [e.line for e in s.elements if e.line]
                for a, b in zip([None, *said], said, strict=False):
                    if b.parenthetical not in SHOCK:
                        continue
                    assert not LEVEL.match(b.text.strip()), (lang, d.number, b)
                    assert a is None or a.parenthetical not in SHOCK, (lang, d.number, a, b)


def test_an_outdoor_scene_has_nobody_in_bed_or_at_a_desk(seasons):
    for lang, _, drafts in seasons:
        for d in drafts:
            for s in d.scenes:
                if s.heading.setting == "EXT":
                    inside = [e.action for e in s.elements if INDOORS.search(e.action)]
                    assert not inside, (lang, d.number, s.heading.place, inside)


def test_the_line_that_turns_a_scene_is_not_whispered(seasons):
    hushed = {"小声", "低声", "压低声音", "极轻", "轻声", "under her breath", "under his breath",
              "in a whisper", "quietly", "low", "softly"}
    for lang, _, drafts in seasons:
        for d in drafts:
            for e in d.scenes[0].elements:
                if e.beat in ("twist", "payoff") and e.line:
                    assert e.line.parenthetical not in hushed, (lang, d.number, e.line)


def test_a_pick_up_names_no_object_of_the_bank():
    """A stock ending's pick-up turns on what the ending showed: it brings in no object of the
    story's bank that nobody has seen (the object endings pass theirs in as {prop})."""
    import json

    from aiscript.story import props

    for lang in ("zh", "en"):
        names = _objects(lang)
        for ending in [*props.endings(lang, "threat"), *props.endings(lang, "find")]:
            step = props.pickup(lang, ending)
            said = json.dumps(step, ensure_ascii=False)
            assert not [n for n in names if n in said], (lang, step)
