"""The season is written from its own premise: lines gated by the premise's situation, the
relations bible (who the villain and the elder are to whom, and why), the device's carrier and
its limits, and sets said aloud as people say them."""

from __future__ import annotations

import re
from functools import cache

import pytest

from aiscript.drafting.template import TemplateWriter
from aiscript.schema import Premise
from aiscript.story.bible import fits, frame, spoken_place
from aiscript.story.brief import devices, read_premise

NURSE = ("A night-shift nurse discovers the billionaire patient she's been caring for faked his "
         "coma to catch the relative trying to kill him")
HEIRESS = "父亲去世后，被赶出豪门的真千金在外卖站打工，意外救下失忆的集团继承人"
NURSE_ZH = "夜班护士发现自己照顾的亿万富翁病人在装昏迷，只为揪出想害死他的亲戚"


@cache
def season(text: str, lang: str, n: int = 40):
    return TemplateWriter().write(Premise(text=text, language=lang, episodes=n))


def said(eps, upto: int | None = None) -> list[str]:
    return [ln.text for ep in eps[:upto] for ln in ep.lines()]


def test_a_hospital_season_has_no_heiress_lines():
    _, eps = season(NURSE, "en")
    # (a line about belonging to the family, not an object that "doesn't belong to you")
    heiress = re.compile(r"this family's door|girls like you|\bbelongs? (?:here|in this|with us)|"
                         r"outsider|years I lost|envy her|when we were young|\bregulars?\b|not compensation|"
                         r"place in this family|all my life, the way people looked at you", re.I)
    bad = [t for t in said(eps) if heiress.search(t)]
    assert not bad, bad[:5]


def test_the_heiress_season_keeps_its_own_situation():
    tags = frame(read_premise(HEIRESS, "zh"), "zh", text=HEIRESS)
    assert {"kin_lead", "grew_up_with_villain", "wronged", "father"} <= tags
    nurse = frame(read_premise(NURSE, "en"), "en", text=NURSE)
    assert not nurse & {"kin_lead", "grew_up_with_villain", "wronged", "father", "customers"}


def test_the_relative_who_wants_him_dead_is_named_with_a_motive_early():
    series, eps = season(NURSE, "en")
    villain = next(g for g in series.plan.goals if g.character == "villain")
    elder = next(g for g in series.plan.goals if g.character == "elder")
    assert "cousin" in villain.relations["love"] and "shares" in villain.goal
    assert "grandfather" in elder.relations["love"] or "grandmother" in elder.relations["love"]
    early = " ".join(said(eps, 4)) + " ".join(sh.action for ep in eps[:12]
                                              for _, sh in ep.shots())
    assert "cousin" in early and "shares" in early
    pay = " ".join(said(eps))
    assert re.search(r"Your own cousin, for the \w+ shares", pay)


def test_amnesia_is_his_condition_not_her_secret_and_he_has_no_reach_until_he_remembers():
    series, eps = season(HEIRESS, "zh")
    text = said(eps)
    assert not [t for t in text if re.search(r"失忆的事，还能瞒多久|失忆的秘密|失忆被拆穿", t)]
    reveal = next(n for n, b in series.plan.device_beats.items() if b == "reveal")
    love = next(c.name for c in series.bible.characters if c.id == "love")
    before = [ln.text for ep in eps[:reveal - 1] for ln in ep.lines() if ln.speaker == love]
    assert not [t for t in before if re.search(r"律师函|电话我打了|我认识一个人|我的人", t)]
    assert "你该不会连自己的笔迹都记得吧" not in "".join(text)


def test_sets_are_said_aloud_not_as_town_places():
    _, eps = season(NURSE, "en")
    town = re.compile(r"\b(?:at|in|through) (?:the|a) (?:hospital rooftop|rented flat)")
    bad = [t for t in said(eps) if town.search(t)]
    assert not bad, bad[:5]
    assert spoken_place("the hospital rooftop", "en") == "up on the roof"
    assert spoken_place("a rented flat", "en", first_person=True) == "at my place"


@pytest.mark.parametrize("dev", sorted(devices()))
def test_every_device_says_who_carries_it_who_knows_and_what_they_cannot_do(dev):
    c = devices()[dev]["carrier"]
    assert isinstance(c["hidden"], bool) and c["knows"] and "can" in c and "cannot" in c


def test_a_condition_is_no_secret_and_gates_the_secret_keeping_lines():
    b = read_premise(HEIRESS, "zh")
    assert "device_secret" not in frame(b, "zh", text=HEIRESS)
    assert "love_reach" not in frame(b, "zh", text=HEIRESS)
    assert "love_reach" in frame(b, "zh", text=HEIRESS, after_reveal=True)
    assert not fits("失忆的事，还能瞒多久？", frame(b, "zh", text=HEIRESS), "zh")
    assert fits("How much longer can the fake coma stay a secret?",
                frame(read_premise(NURSE, "en"), "en", text=NURSE), "en")


def test_the_zh_relative_is_named_too_and_the_nurse_is_not_the_wronged_heiress():
    series, eps = season(NURSE_ZH, "zh", 24)
    villain = next(g for g in series.plan.goals if g.character == "villain")
    hero = next(g for g in series.plan.goals if g.character == "hero")
    assert "堂" in villain.relations["love"] and "股份" in villain.goal
    assert "抢走" not in hero.goal  # nobody took anything from her
    early = "".join(said(eps, 4)) + "".join(sh.action for ep in eps[:12] for _, sh in ep.shots())
    assert "堂" in early and "股份" in early


def test_the_silent_partner_works_the_night_ward_with_her_before_he_wakes():
    series, eps = season(NURSE, "en", 40)
    reveal = next(n for n, b in series.plan.device_beats.items() if b == "reveal")
    love = next(c.name for c in series.bible.characters if c.id == "love")
    before = [ln for ep in eps[:reveal - 1] for ln in ep.lines() if ln.speaker == love]
    assert len(before) >= 8, [ln.text for ln in before]


@pytest.mark.parametrize("lang,elder,kin", [("zh", "林父", "父亲"), ("zh", "陈妈", "老管家"),
                                            ("zh", "顾老夫人", "奶奶"), ("en", "Mr. Lin", "father"),
                                            ("en", "Aunt Rose", "aunt"),
                                            ("en", "Chairman Whitmore", "grandfather")])
def test_the_elders_kin_follows_the_title_of_the_name(lang, elder, kin):
    from aiscript.story.bible import relations

    text = NURSE if lang == "en" else NURSE_ZH
    r = relations(read_premise(text, lang), {"hero": "A", "love": "Noah Sterling" if lang == "en"
                                             else "萧景", "villain": "C", "elder": elder}, lang)
    assert r["ekin"] == kin and kin in r["rel_elder"]


def dialogue(eps) -> list[str]:
    return [ln.text for ep in eps for ln in ep.lines()]


def actions(eps) -> list[str]:
    return [sh.action for ep in eps for _, sh in ep.shots() if sh.action]


def test_a_nurse_season_keeps_no_rider_or_heiress_business():
    series, eps = season(NURSE, "en", 60)
    text = dialogue(eps)
    bad = [t for t in text if re.search(r"\b(?:at|through|of) the desk\b|^The desk\b|your runs|"
                                        r"room has been ready", t)]
    assert not bad, bad[:5]
    shown = " ".join(actions(eps))
    assert "suitcase out" not in shown
    assert not re.search(r"(?:knocks|tampered with|put down) (?:the|\w+'s) heart monitor", shown)
    assert not [t for t in series.bible.tropes if re.search(r"heiress|son-in-law", t)]


def test_a_premise_that_names_no_marriage_has_no_son_in_law_trope():
    series, _ = season(HEIRESS, "zh")
    assert "真千金流落在外被认回" in series.bible.tropes
    assert not [t for t in series.bible.tropes if "赘婿" in t]


@pytest.mark.parametrize("text,lang", [(NURSE, "en"), (HEIRESS, "zh")])
def test_the_lead_says_what_she_wants_in_her_own_words_not_the_brief_s(text, lang):
    series, eps = season(text, lang)
    first = said(eps, 1)
    assert not [t for t in first if t.startswith(("All I want now is to", "我现在只想"))], first
    vow = devices()[series.brief.device]["vow"][lang]
    assert any(t.startswith(vow.split("{holder}")[0][:6]) for t in first), first


def test_the_device_is_named_as_the_people_in_on_it_say_it():
    _, eps = season(NURSE, "en", 60)
    bad = [t for t in dialogue(eps) if re.search(r"fake coma|faked coma", t, re.I)]
    assert not bad, bad[:5]
    assert [t for t in dialogue(eps) if re.search(r"\bthe coma act\b", t, re.I)]


def test_the_visitor_apologises_and_the_lead_answers():
    from aiscript.story.turns import state_endings
    for lang in ("zh", "en"):
        for e in state_endings(lang):
            speaker, action, line = e["end"][:3]
            if speaker == "hero" and action.startswith("{villain}"):
                assert not re.match(r"我是来|I(?:'ve| have)? come to|I'm here to", line), (lang, line)


def test_the_lead_s_home_said_to_her_is_her_home():
    from aiscript.story.bible import said_places, spoken_tokens
    t = spoken_tokens("你在{place}说的话，我都听见了。", "zh", False)
    assert said_places(t, {"place": "出租屋", "hero": "叶青"}, "zh") == "你在家说的话，我都听见了。"
    t = spoken_tokens("{hero}在{place}哭了一夜。", "zh", False)
    assert said_places(t, {"place": "出租屋", "hero": "叶青"}, "zh") == "{hero}在叶青那儿哭了一夜。"


def test_the_elder_is_kin_to_one_side_only():
    series, _ = season(HEIRESS, "zh")
    rel = {g.character: g.relations for g in series.plan.goals}
    assert "奶奶" in rel["elder"]["hero"]
    assert "世交" in rel["elder"]["love"] and "世交" in rel["love"]["elder"]


def test_a_fact_the_premise_states_is_known_not_discovered_and_no_bible_label_is_shown():
    series, eps = season(HEIRESS, "zh")
    text = dialogue(eps)
    assert not [t for t in text if re.search(r"这份报告说|才是他们的亲生女儿", t)]
    known = [ln for ep in eps for ln in ep.lines() if "我一直知道" in ln.text]
    assert known and all(ln.parenthetical != "震惊" for ln in known)
    labels = [v for g in series.plan.goals for v in g.relations.values()]
    bad = [a for a in actions(eps) for v in labels if len(v) > 6 and v in a]
    assert not bad, bad[:3]


def test_amnesia_is_named_as_people_say_it_not_as_the_bible_s_noun():
    _, eps = season(HEIRESS, "zh", 60)
    bad = [t for t in dialogue(eps) if re.search(r"失忆(?:的事|这件事|这条线)", t)]
    assert not bad, bad[:5]


def test_a_place_said_at_the_start_of_a_sentence_is_capitalised():
    from aiscript.story.bible import said_places, spoken_tokens

    line = spoken_tokens("Tomorrow morning. {place_c}. Be there, or else.", "en", False)
    said = said_places(line, {"place": "the family house", "hero": "Chloe Hart"}, "en")
    assert "morning. The house. Be there" in said
    mid = said_places(spoken_tokens("Meet me at {place}.", "en", False),
                      {"place": "the family house", "hero": "Chloe Hart"}, "en")
    assert mid[0] == "M" and "The" not in mid
