"""The season's spine: the premise's backstory happens on screen in episode 1 (a parent's death,
the eviction) and is recalled later, never recapped; an evicted lead lives at her own home and
is summoned to the family house; the elder is one relation to the lead and to the villain all
season."""

from __future__ import annotations

import re

import pytest

from aiscript.drafting.template import TemplateWriter
from aiscript.schema import Premise
from aiscript.story.bible import relations
from aiscript.story.brief import read_premise

from .conftest import REVIEW_PREMISES

ZH = REVIEW_PREMISES["zh"]
EN_LOSS = ("After her father dies in a fire everyone calls an accident, a food truck cook sets "
           "out to find who locked the back door.")
EN_EVICTED = ("Disowned by her family the night her father was buried, a hotel maid finds "
              "the will they burned.")


@pytest.fixture(scope="module")
def seasons():
    """Twenty-episode drafts: ``{key: (series, drafts)}``."""
    w = TemplateWriter()
    out = {}
    for key, text, lang in (("zh", ZH, "zh"), ("en", EN_EVICTED, "en"),
                            ("en_nurse", REVIEW_PREMISES["en"], "en")):
        series = w.plan(Premise(text=text, language=lang, episodes=20))
        out[key] = (series, [w.draft_episode(series, k) for k in range(1, 21)])
    return out


def _actions(draft) -> str:
    return " ".join(e.action for sc in draft.scenes for e in sc.elements)


@pytest.mark.parametrize(("text", "lang", "losses"), [
    (ZH, "zh", ["parent_death", "evicted"]),
    ("被养父母赶出家门那天，许念在路口被一个和自己长得一模一样的女人拦住。", "zh", ["evicted"]),
    ("月嫂叶青与雇主签下契约婚姻，约定一年后离婚。", "zh", []),  # a divorce still to come
    (EN_LOSS, "en", ["parent_death", "fire"]),
    (EN_EVICTED, "en", ["evicted", "parent_death"]),
    ("He opens his eyes at 22, an intern at the firm he'll one day be thrown out of.", "en", []),
    (REVIEW_PREMISES["en"], "en", []),
])
def test_the_brief_reads_the_premises_backstory(text, lang, losses):
    assert read_premise(text, lang).backstory == losses


@pytest.mark.parametrize("key", ["zh", "en"])
def test_episode_one_shows_the_loss_right_after_the_hook(seasons, key):
    series, drafts = seasons[key]
    ep1 = drafts[0]
    # the hook's scene first (and the villain's, where the premise's secret had its own
    # moment before it), then the flashback
    flash = next(sc for sc in ep1.scenes[1:3] if sc.elements[0].beat != "hook"
                 and any(w in sc.elements[0].action for w in ("闪回", "FLASHBACK")))
    said = " ".join([flash.heading.place, _actions(ep1)])
    if key == "zh":
        assert "灵堂" in said and "遗像" in said, said  # the father's death
        assert "行李箱" in " ".join(e.action for e in flash.elements)  # the eviction
    else:
        assert "FLASHBACK" in flash.elements[0].action
        told = " ".join(e.action for e in flash.elements)
        # the premise names the eviction first; it happened after the burial
        assert "father" in told and "suitcase" in told
        assert told.index("funeral") < told.index("suitcase"), told
    # the hook still opens the episode
    assert ep1.scenes[0].elements[0].beat == "hook"


@pytest.mark.parametrize("key", ["zh", "en"])
def test_the_villain_is_introduced_by_what_she_is_to_the_lead(seasons, key):
    series, drafts = seasons[key]
    names = {c.id: c.name for c in series.bible.characters}
    rel = relations(series.brief, names, series.bible.language)
    villain = names["villain"]
    first = next(e for sc in drafts[0].scenes for e in sc.elements
                 if villain in e.action or (e.line and e.line.speaker == villain))
    # her first appearance says what she is (the false daughter the family raised, the
    # heir's cousin, the rival), in the bible's words for an introduction
    intro = rel["vintro"].replace("{family}", rel["family"])
    assert intro and f"{villain}{'（' if key == 'zh' else ' ('}{intro}" in first.action, \
        first.action
    if key == "zh":
        assert "假千金" in first.action


def test_the_loss_is_recalled_once_or_twice_never_recapped(seasons):
    series, drafts = seasons["zh"]
    later = drafts[1:]
    recalls = [d.number for d in later if re.search(r"旧行李箱|折了角的照片|白菊", _actions(d))]
    assert 1 <= len(recalls) <= 2, recalls
    # the flashback itself plays once
    assert sum("灵堂" in _actions(d) or any(s.heading.place == "灵堂" for s in d.scenes)
               for d in drafts) == 1


def test_no_loss_no_flashback(seasons):
    series, drafts = seasons["en_nurse"]
    assert "FLASHBACK" not in _actions(drafts[0])


@pytest.mark.parametrize("key", ["zh", "en"])
def test_an_evicted_lead_is_summoned_to_the_family_house_not_living_there(seasons, key):
    series, drafts = seasons[key]
    house = {"zh": "老宅客厅", "en": "the family house"}[series.bible.language]
    home = {"zh": "出租屋", "en": "a rented flat"}[series.bible.language]
    names = {c.id: c.name for c in series.bible.characters}
    family = {names["elder"], names["villain"]}
    # she is out until she is the family's own again (the birth swap's reveal), else until
    # the elder comes round
    back = next((n for sp in series.plan.subplots if sp.device == "switched_at_birth"
                 for n, b in sp.beats.items() if b == "reveal"), None) or next(
        (s.episode for s in series.plan.states if s.elder == "with_lead"), 21)
    out = list(range(1, back))
    assert len(out) >= 3, out
    at_home = 0
    for d in drafts:
        if d.number not in out:
            continue
        for sc in d.scenes:
            if sc.heading.place == house:
                assert family & set(sc.characters), (d.number, sc.characters)
            at_home += sc.heading.place == home
    assert at_home >= len(out) // 2, at_home


def test_the_review_lead_moves_back_when_the_plan_brings_her_back(seasons):
    series, _ = seasons["zh"]
    reveal = next(n for sp in series.plan.subplots if sp.device == "switched_at_birth"
                  for n, b in sp.beats.items() if b == "reveal")
    evicted = {s.episode for s in series.plan.states if s.evicted}
    assert evicted == set(range(1, reveal))


def test_the_elder_is_one_relation_to_the_lead_and_the_villain(seasons):
    series, drafts = seasons["zh"]
    names = {c.id: c.name for c in series.bible.characters}
    rel = relations(series.brief, names, "zh")
    lines = [e.line for d in drafts for sc in d.scenes for e in sc.elements if e.line]
    elder, villain = names["elder"], names["villain"]
    assert rel["ekin"] == "奶奶"
    # the birth swap comes out in the grandmother's words
    assert [ln.text for ln in lines if ln.speaker == elder and "孙女" in ln.text]
    # a grandmother never calls the lead her daughter, nor the villain she raised
    assert not [ln.text for ln in lines if ln.speaker == elder and "女儿" in ln.text]
    assert not [ln.text for ln in lines if ln.speaker == villain and "您女儿" in ln.text]
    # the girl she raised calls her 奶奶, never by her title and name
    assert not [ln.text for ln in lines if ln.speaker == villain and elder in ln.text]


def test_an_elder_kin_to_the_heirs_family_carries_its_name(seasons):
    series, _ = seasons["en_nurse"]
    names = {c.id: c.name for c in series.bible.characters}
    rel = relations(series.brief, names, "en")
    assert rel["to_elder"] == "love" and rel["ekin"].startswith("grand")
    assert names["elder"].split()[-1] == names["love"].split()[-1], names


def test_the_backstory_is_shown_to_the_user_and_a_brief_may_correct_it(tmp_path):
    from aiscript.errors import AiscriptError
    from aiscript.story.brief import load_brief, summary

    b = read_premise(ZH, "zh")
    assert "backstory: 亲人去世, 被赶出家门" in summary(b, "zh")
    path = tmp_path / "brief.json"
    path.write_text(b.model_copy(update={"backstory": ["exiled"]}).model_dump_json(),
                    encoding="utf-8")
    with pytest.raises(AiscriptError, match="unknown backstory 'exiled'"):
        load_brief(path)
    # the user's reading wins: a nurse who was fired gets that flashback, none of the others
    nurse = read_premise(REVIEW_PREMISES["en"], "en").model_copy(update={"backstory": ["fired"]})
    w = TemplateWriter()
    series = w.plan(Premise(text=REVIEW_PREMISES["en"], language="en", episodes=6,
                            brief=nurse))
    told = _actions(w.draft_episode(series, 1))
    assert "FLASHBACK" in told and "cardboard box" in told and "funeral" not in told
