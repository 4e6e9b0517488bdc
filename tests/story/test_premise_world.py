"""The season lives in its premise's world: the device's carrier is on screen with his secret
under strain (the patient whispering behind the curtain, the amnesiac half-remembering, the
second lead pressing the lead), and the lead's job comes back as steps of its own."""

from __future__ import annotations

import re

import pytest

from aiscript.drafting.template import TemplateWriter
from aiscript.schema import Premise
from aiscript.story import brief as briefs

NURSE = ("A night-shift nurse discovers the billionaire patient she's been caring for faked his "
         "coma to catch the relative trying to kill him")
HEIRESS = "父亲去世后，被赶出豪门的真千金在外卖站打工，意外救下失忆的集团继承人"
EPISODES = 20
SLOTS = {"hero": "protagonist", "love": "love_interest", "villain": "antagonist",
         "elder": "elder", "ally": "ally"}
# premises where the lead carries the device: the second lead is the one pressing her
LEAD_CARRIES = [("zh", "为了给母亲治病，餐厅服务员江月替姐姐嫁给了传闻中残疾的傅家少爷。"),
                ("en", "When her twin sister vanishes, a shy bank teller takes her place as a "
                       "famous actress"),
                ("en", "A security guard wakes up five years in the past, the day before the "
                       "fire that killed his family")]


def write(text: str, lang: str, n: int = EPISODES):
    return TemplateWriter().write(Premise(text=text, language=lang, episodes=n))


@pytest.fixture(scope="module")
def seasons():
    return {"en": write(NURSE, "en"), "zh": write(HEIRESS, "zh")}


def name_of(series, slot: str) -> str:
    return next(c.name for c in series.bible.characters if c.role == SLOTS[slot])


def speaks(ep, who: str) -> bool:
    return any(ln.speaker == who for ln in ep.lines())


def text_of(ep) -> str:
    return " ".join([sh.action for _, sh in ep.shots()] + [ln.text for ln in ep.lines()])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_devices_carrier_speaks_in_most_episodes(seasons, lang):
    """Noah (the faked coma) and the amnesiac heir are the premise: each has lines in at least
    four episodes in five, his silent stretches filled by scenes of the secret under strain."""
    series, eps = seasons[lang]
    assert series.brief.device_holder == "love"
    who = name_of(series, "love")
    silent = [ep.number for ep in eps if not speaks(ep, who)]
    assert len(silent) <= len(eps) // 5, silent


def test_the_patient_whispers_only_in_his_ward_while_he_lies_still(seasons):
    """Before his reveal the faked-coma patient speaks only where he lies (the ward), never
    at the lead's flat or the family house."""
    series, eps = seasons["en"]
    reveal = next(n for n, b in series.plan.device_beats.items() if b == "reveal")
    who = name_of(series, "love")
    homes = [p for p in series.bible.places if p not in series.brief.places]
    away = [(ep.number, sc.heading.place) for ep in eps[:reveal - 1] for sc in ep.scenes
            if sc.heading.place in homes and any(ln.speaker == who for sh in sc.shots
                                                 for ln in sh.lines)]
    assert not away, away


@pytest.mark.parametrize("lang,text", LEAD_CARRIES)
def test_the_second_lead_speaks_where_the_lead_carries_the_device(lang, text):
    series, eps = write(text, lang, 16)
    assert series.brief.device_holder == "hero"
    who = name_of(series, "love")
    silent = [ep.number for ep in eps if not speaks(ep, who)]
    assert len(silent) <= len(eps) // 5, silent


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_carrier_scene_is_told_once_a_season(lang):
    series, eps = write(NURSE if lang == "en" else HEIRESS, lang, 40)
    openings = [max(re.split(r"\{\w+\}", sc[0][1]), key=len) for sc in
                briefs.pressure(series.brief.device, series.brief.device_holder, lang)]
    seen = [o for ep in eps for _, sh in ep.shots() for o in openings if o in sh.action]
    # 8 until event scenes and nights were written whole: they give the carrier lines in more
    # episodes, and a carrier who has spoken needs no scene of his own (zh plays 7)
    assert len(seen) == len(set(seen)) and len(seen) >= 6, seen


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_job_comes_back_as_steps_at_its_own_places(seasons, lang):
    """The job's first two steps each play, in order, in an episode of their own, set at the
    job's place its action names, with the job's props in hand."""
    series, eps = seasons[lang]
    job = briefs.job(series.brief.job_id)
    steps = job["steps"][lang]
    props = job["props"][lang]
    at = []
    for k in range(2):
        opening = max(re.split(r"\{\w+\}", steps[k][0][1]), key=len)
        found = [(ep.number, sc) for ep in eps for sc in ep.scenes
                 if opening and any(opening in sh.action for sh in sc.shots)]
        assert len(found) == 1, (k, opening, [n for n, _ in found])
        n, scene = found[0]
        assert scene.heading.place in job["places"][lang], scene.heading.place
        at.append(n)
    assert at[0] < at[1], at
    said = [text_of(eps[n - 1]) for n in at]
    assert all(any(p.lower() in t.lower() for p in props) or job["name"][lang] in t
               for t in said), said


def test_the_jobs_episodes_spread_through_the_season(seasons):
    """The nurse is a nurse all season: her job's words (nurse, ward, chart, tray) come back in
    each third of the season, not only in its opening."""
    series, eps = seasons["en"]
    job = briefs.job(series.brief.job_id)
    words = re.compile("|".join(re.escape(w) for w in [job["name"]["en"], *job["props"]["en"],
                                                       *job["keywords"]["en"]]), re.I)
    hits = [ep.number for ep in eps if words.search(text_of(ep))]
    thirds = {(n - 1) * 3 // len(eps) for n in hits}
    assert thirds == {0, 1, 2}, hits


def test_every_written_world_scene_is_well_formed():
    """The carrier's scenes and the jobs' steps: a set marker on the first step, speakers the
    cast has, as many in zh as in en."""
    seeds = [("pressure", d["id"], d.get("pressure", {})) for d in briefs.devices().values()]
    seeds.append(("pressure", "any", briefs._device_seed()["pressure"]))
    seeds += [("steps", j["id"], j["steps"]) for j in briefs.lexicon()["jobs"] if "steps" in j]
    assert len([s for s in seeds if s[0] == "steps"]) >= 9
    for kind, owner, by_lang in seeds:
        if not by_lang:
            continue
        assert len(by_lang["zh"]) == len(by_lang["en"]), (kind, owner)
        for lang, scripts in by_lang.items():
            for script in scripts:
                assert script[0][0] is None and script[0][3] in (
                    "@partner", "@home", "@work", "@step"), (owner, lang, script[0])
                assert {st[0] for st in script} <= {None, "hero", "holder", "love", "ally",
                                                    "villain", "elder"}, (owner, script)


def test_a_lead_nobody_wronged_before_the_story_was_never_walked_all_over(seasons):
    """'I'm not the girl you used to walk all over' presumes a past with the villain: the night
    nurse met the patient's cousin in episode 1, so the line is not hers."""
    from aiscript.story.bible import fits

    _, eps = seasons["en"]
    assert not [ln.text for ep in eps for ln in ep.lines() if "walk all over" in ln.text]
    assert fits("I'm not the girl you used to walk all over.", frozenset({"wronged"}), "en")
    assert not fits("我不是以前那个任你踩的人了。", frozenset(), "zh")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_reveal_plays_out_on_screen(seasons, lang):
    """The device's reveal is a scene, not two lines: the proof read, the elder's word, the
    villain's denial answered, the carrier speaking for himself, all in the reveal's scene."""
    series, eps = seasons[lang]
    n = next(k for k, b in series.plan.device_beats.items() if b == "reveal")
    names = {s: name_of(series, s) for s in ("hero", "love", "villain", "elder")}
    told = briefs.devices()[series.plan.device]["reveal_scene"][lang][0][1]
    opening = max(re.split(r"\{\w+\}", told), key=len)
    scene = next(sc for sc in eps[n - 1].scenes if any(opening in sh.action for sh in sc.shots))
    speakers = [ln.speaker for sh in scene.shots for ln in sh.lines]
    assert len(speakers) >= 6, speakers
    assert {names["elder"], names["villain"], names["love"]} <= set(speakers), speakers


def test_every_device_has_its_reveal_scene_in_both_languages():
    for d in briefs.devices().values():
        scene = d.get("reveal_scene", {})
        assert len(scene.get("zh", [])) == len(scene.get("en", [])) >= 4, d["id"]
        for lang in ("zh", "en"):
            assert sum(1 for st in scene[lang] if st[2]) >= 3, (d["id"], lang)
            assert {st[0] for st in scene[lang]} <= {None, "hero", "holder", "love", "ally",
                                                     "villain", "elder"}, (d["id"], lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_world_scenes_pronouns_agree_as_written(lang):
    """Each action of the carrier's scenes, the jobs' steps and the reveal scenes reads the same
    after the season's pronoun agreement, told of a heroine and the man she shields: no 'his'
    that the agreement would hand to the nearest woman."""
    from aiscript.drafting.template import agree

    names = {"en": {"hero": "Chloe Hart", "holder": "Noah Sterling", "love": "Noah Sterling",
                    "villain": "Nora Blake", "elder": "Chairman Whitmore",
                    "ally": "Mia Sloane", "work": "the ward", "tool": "tray"},
             "zh": {"hero": "叶青", "holder": "沈宴", "love": "沈宴", "villain": "苏念",
                    "elder": "顾老夫人", "ally": "江月", "work": "外卖站", "tool": "外卖箱"}}[lang]
    genders = {"Chloe Hart": "female", "Noah Sterling": "male", "Nora Blake": "female",
               "Chairman Whitmore": "male", "Mia Sloane": "female", "叶青": "female",
               "沈宴": "male", "苏念": "female", "顾老夫人": "female", "江月": "female"}
    scripts = [s for d in briefs.devices().values() for k in ("partner", "pressure")
               for s in d.get(k, {}).get(lang, [])]
    scripts += [d["reveal_scene"][lang] for d in briefs.devices().values()]
    scripts += briefs._device_seed()["pressure"][lang]
    scripts += [s for j in briefs.lexicon()["jobs"] for s in j.get("steps", {}).get(lang, [])]
    bad = []
    for script in scripts:
        for st in script:
            text = st[1] or ""
            for k, v in names.items():
                text = text.replace("{" + k + "}", v)
            if text and agree(text, genders, lang) != text:
                bad.append(text)
    assert not bad, bad


def test_no_scene_opens_on_the_same_image_twice_in_an_episode():
    # the hospital corridor and the ward, one after the other, both "early. The floor still wet
    # from the mop."; 60 episodes, where the establishing images run out of fresh ones
    series, eps = write(NURSE, "en", 60)
    places = sorted({sc.heading.place for ep in eps for sc in ep.scenes}, key=len, reverse=True)
    twice = []
    for ep in eps:
        firsts = []
        for sc in ep.scenes[1:]:
            image = sc.shots[0].action or ""
            for place in places:
                image = image.replace(place, "PLACE").replace(place[:1].upper() + place[1:],
                                                              "PLACE")
            firsts.append(image)
        if len(firsts) != len(set(firsts)):
            twice.append((ep.number, firsts))
    assert not twice, twice
