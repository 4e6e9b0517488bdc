"""Consequences stick: the villain's custody (arrest, bail, flight, the ambush, the arrest at
the knife), the ally's one attack and its aftermath, state endings recorded as threads and
answered in the next opening, and nothing an episode says contradicting what it showed."""

from __future__ import annotations

import re

import pytest

from aiscript.drafting.custody import CUSTODY, custody_bank, track
from aiscript.drafting.template import _APOLOGY, TemplateWriter
from aiscript.schema import Line, Premise, SceneDraft, SceneHeading, ScriptElement
from aiscript.story.planner import ATTACKS, story_bank

from ..conftest import EN_PREMISE, ZH_PREMISE
from .conftest import REVIEW_PREMISES
from .endings import pattern

EPISODES = 30


@pytest.fixture(scope="module")
def seasons():
    """{(lang, premise name): (series, drafts)}: two premises per language, 30 episodes, and
    one short season (12) per language."""
    w = TemplateWriter()
    out = {}
    for lang, texts in (("zh", (ZH_PREMISE, REVIEW_PREMISES["zh"])),
                        ("en", (EN_PREMISE, REVIEW_PREMISES["en"]))):
        for k, text in enumerate(texts):
            for n in (EPISODES, 12) if k == 0 else (EPISODES,):
                series = w.plan(Premise(text=text, language=lang, episodes=n))
                out[(lang, k, n)] = (series, [w.draft_episode(series, e)
                                             for e in range(1, n + 1)])
    return out


def _long(seasons):
    return [(key[0], s, d) for key, (s, d) in seasons.items() if key[2] == EPISODES]


def _lines(scene: SceneDraft) -> list[Line]:
    return [e.line for e in scene.elements if e.line is not None]


def test_custody_moves_one_way_and_matches_the_plan(seasons):
    for (_, _, n), (series, _) in seasons.items():
        states = [st.custody for st in series.plan.states]
        assert [CUSTODY.index(c) for c in states] == sorted(CUSTODY.index(c) for c in states)
        out = [st.villain in ("exposed", "arrested") for st in series.plan.states]
        exposed = {k for k in range(1, n) if out[k] and not out[k - 1]}  # at the end of k
        kinds = [e.kind for e in series.plan.events]
        assert track(kinds, exposed, n >= 20)[:n] == states
        if n < 20:  # a short season keeps to its spine: no arrest before the climax
            climax = kinds.index("last_gambit") if "last_gambit" in kinds else n - 1
            assert set(states[:climax + 1]) == {"free"}, states


def test_a_long_season_arrests_her_bails_her_and_catches_her(seasons):
    for lang, series, eps in _long(seasons):
        bank = custody_bank()[lang]
        states = [st.custody for st in series.plan.states]
        villain = next(c.name for c in series.bible.characters if c.id == "villain")
        assert states.count("held") == 1, states  # arrested once, bailed the next morning
        held = states.index("held") + 1  # the episode that opens with her in a cell
        arrest = " ".join(e.action for sc in eps[held - 2].scenes for e in sc.elements)
        assert bank["cop"] in arrest, (lang, held - 1)
        said = [e for sc in eps[held - 2].scenes for e in sc.elements]
        cuffed = next(i for i, e in enumerate(said) if bank["cop"] in e.action)
        # led away in handcuffs: after her protest she says nothing more that night
        assert [e.line.text for e in said[cuffed:] if e.line and e.line.speaker == villain] \
            == [bank["arrest"][1][2]], (lang, held - 1)
        bail = eps[held - 1]
        where = [sc.heading.place for sc in bail.scenes]
        at = where.index(bank["bail"]["at"][1])
        assert at <= 1  # bail opens the episode, or follows the answer to last night's ending
        for sc in bail.scenes[:at]:  # before she walks out, she is not seen
            assert all(ln.speaker != villain for ln in _lines(sc)), (lang, held)
        assert states[-1] == "charged" and "caught" in states  # the knife ends in handcuffs
        if "wanted" in states:  # on the run, she is a voice on the phone
            ran = states.index("wanted")  # 0-based: eps[ran - 1] is the night she runs
            said = [e for sc in eps[ran - 1].scenes for e in sc.elements]
            gone = next(i for i, e in enumerate(said) if bank["cop"] in e.action)
            after = [e.line for e in said[gone:] if e.line and e.line.speaker == villain]
            # her call sets the last ambush: it opens the knife scene
            call = next(e.line for sc in eps[ran].scenes for e in sc.elements
                        if e.line and e.line.speaker == villain)
            assert all(ln.parenthetical.startswith(bank["phone"]) for ln in [*after, call])
        for ep in eps:  # one officer, in action lines only
            assert all(ln.speaker != bank["cop"] for sc in ep.scenes for ln in _lines(sc))


def test_an_ally_is_attacked_once_and_the_aftermath_matches(seasons):
    for lang, series, eps in _long(seasons):
        attacks = [e for e in series.plan.events if ATTACKS.get(e.kind) == "ally"]
        assert len(attacks) == 1, [e.episode for e in attacks]
        attack = attacks[0]
        after = eps[attack.episode]  # the next episode
        pool = story_bank()[lang]["hurt"]["ally"]
        first = pool[attack.variant % len(pool)][0][1]
        pattern = re.compile(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(first)))
        assert any(pattern.search(e.action) for sc in after.scenes for e in sc.elements), \
            (lang, attack.episode, attack.variant)
        others = [k for k in range(len(pool)) if k != attack.variant % len(pool)]
        for k in others:  # not the other attack's aftermath
            other = re.compile(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(pool[k][0][1])))
            assert not any(other.search(e.action) for sc in after.scenes for e in sc.elements)


def test_state_endings_and_the_paywall_are_threads_answered_next(seasons):
    for lang, series, eps in _long(seasons):
        threads = series.plan.threads
        state = [t for t in threads if t.kind == "state"]
        assert len(state) >= 5 and all(t.payoff_episode == t.setup_episode + 1 for t in state)
        assert [t.setup_episode for t in threads if t.kind == "paywall"] == \
            [series.plan.paywall_episode]
        answered = 0
        for t in state:
            ep, nxt = eps[t.setup_episode - 1], eps[t.payoff_episode - 1]
            last = ep.scenes[-1].elements[-1]
            assert t.what in (last.action, last.line.text if last.line else ""), t
            answered += _answered(last, nxt, lang)
        assert answered >= len(state) // 2, (lang, answered, len(state))


def _answered(last: ScriptElement, nxt, lang: str) -> bool:
    """The ending is a state ending (or the arrest night's), and the next episode's first
    scene says a line of its answer."""
    from aiscript.drafting.custody import custody_endings
    from aiscript.story.turns import state_endings

    opening = [ln.text for ln in _lines(nxt.scenes[0])]
    return last.line is not None and any(
        pattern(e["end"][2]).match(last.line.text)
        and any(pattern(a[2]).match(t) for a in e["answer"] if a[2] for t in opening)
        for e in [*state_endings(lang), *custody_endings(lang)])


def test_nothing_an_episode_says_contradicts_it(seasons):
    for lang, series, eps in _long(seasons):
        bank = custody_bank()[lang]
        disarm, release, threat = (re.compile(bank[k]) for k in ("disarm", "release", "threat"))
        for ep in eps:
            sorry: set[str] = set()
            for sc in ep.scenes:
                taken = False
                for e in sc.elements:
                    taken = taken or bool(disarm.search(e.action))
                    if e.line is None:
                        continue
                    assert not (taken and release.search(e.line.text)), (lang, ep.number)
                    assert not (e.line.speaker in sorry and threat.search(e.line.text)), \
                        (lang, ep.number, e.line.text)
                    if _APOLOGY.search(e.line.text):
                        sorry.add(e.line.speaker)
        kinds = [e.kind for e in series.plan.events]
        assert kinds.count("expose") <= 1


def _scene(*els: tuple[str, str | None, str | None]) -> SceneDraft:
    return SceneDraft(number=1, heading=SceneHeading(setting="INT", place="屋里", time="DAY"),
                      elements=[ScriptElement(action=a, line=Line(speaker=s, text=t)
                                              if t else None) for a, s, t in els])


def test_the_knife_once_taken_is_not_held_again():
    from aiscript.drafting.custody import _disarmed

    sc = _scene(("苏念用刀抵住叶青的喉咙。", "苏念", "别过来！"),
                ("沈宴一把夺下苏念手里的刀。", "沈宴", "放开她！"),
                ("", "苏念", "这不算数！"))
    _disarmed(sc, "苏念", custody_bank()["zh"])
    assert [e.line.text for e in sc.elements if e.line] == ["别过来！", "这不算数！"]
    assert sc.elements[1].action == "沈宴一把夺下苏念手里的刀。"  # the action stays


def test_who_has_apologised_does_not_threaten_in_the_same_episode():
    from aiscript.drafting.custody import _sorry_then_threat

    scenes = [_scene(("", "顾老夫人", "是我错怪你了。")),
              _scene(("", "叶青", "没事。"), ("", "顾老夫人", "三天之内，你自己离开。"))]
    _sorry_then_threat(None, scenes, custody_bank()["zh"], set())
    assert [e.line.text for e in scenes[1].elements] == ["没事。"]
