"""Event scenes and night talks written whole (seeds/event_scenes.json, seeds/nights.json):
each plays as written, its lines in their order with nothing stock between them, once a
season, only where the story's state and the planted objects allow."""

from __future__ import annotations

import re

import pytest

from aiscript.craft import seed_json
from aiscript.errors import AiscriptError
from aiscript.story import props, turns
from aiscript.story.planner import KINDS

SCENE = {"needs": None, "hook": ["villain", "", "a", ""], "moves": [["hero", "", "b", ""]],
         "turn": ["ally", "", "c", ""], "after": []}


def test_every_written_scene_is_of_a_planned_kind_and_plays_somewhere():
    for lang in ("zh", "en"):
        bank = seed_json("event_scenes.json")[lang]
        assert bank, lang
        for kind, scenes in bank.items():
            assert kind in KINDS and kind not in ("inciting", "finale"), kind
            for sc in scenes:
                # a scene written for no state the story can be in never plays
                assert set(sc.get("villain", ["hidden"])) - {"arrested"}, (kind, sc["hook"])


def test_a_scene_names_the_object_only_where_it_was_planted():
    with_prop = {**SCENE, "needs": "doc"}
    fit = dict(prop_kind="doc", villain="hidden", elder="against")
    assert props.scene_fits(SCENE, planted=False, **fit)
    assert not props.scene_fits(SCENE, planted=True, **fit)
    assert props.scene_fits(with_prop, planted=True, **fit)
    assert not props.scene_fits(with_prop, planted=False, **fit)
    # only papers are read: a ring cannot play a scene that reads its object
    assert not props.scene_fits(with_prop, planted=True, **{**fit, "prop_kind": "object"})
    assert props.scene_fits({**with_prop, "needs": "any"}, planted=True,
                            **{**fit, "prop_kind": "object"})


def test_a_scene_keeps_to_the_states_it_was_written_for():
    fit = dict(planted=False, prop_kind="", elder="against")
    assert not props.scene_fits({**SCENE, "villain": ["hidden"]}, villain="exposed", **fit)
    assert not props.scene_fits({**SCENE, "elder": "with_lead"}, villain="hidden", **fit)
    # a villain in custody plays no part in person
    assert not props.scene_fits(SCENE, villain="arrested", **fit)
    assert props.scene_fits({**SCENE, "hook": ["hero", "", "a", ""]}, villain="arrested", **fit)


def test_a_malformed_scene_file_is_named_with_its_fix(monkeypatch):
    bad = {"zh": {"evidence": [{**SCENE, "moves": []}]}, "en": {}}
    monkeypatch.setattr(props, "seed_json", lambda name: bad)
    props._whole.cache_clear()
    try:
        with pytest.raises(AiscriptError) as err:
            props.whole_scenes("zh", "evidence")
        assert "event_scenes.json" in str(err.value) and "moves" in str(err.value)
        bad["zh"]["evidence"] = [{**SCENE, "hook": ["nurse", "", "a", ""]}]
        props._whole.cache_clear()
        with pytest.raises(AiscriptError, match="role one of"):
            props.whole_scenes("zh", "evidence")
    finally:
        props._whole.cache_clear()


def _texts(draft):
    return [(s.number, e.line.text) for s in draft.scenes for e in s.elements if e.line]


def _like(template: str):
    """A written line as a pattern: its slots match whatever fills them."""
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+?", re.escape(template)) + "$")


def _fill(text, series):
    names = {c.id: c.name for c in series.bible.characters}
    for role, name in names.items():
        text = text.replace("{" + role + "}", name)
    return text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_written_scene_plays_whole_and_once(review_season, lang):
    series, drafts = review_season[lang]
    bank = seed_json("event_scenes.json")[lang]
    played = 0
    for kind, scenes in bank.items():
        for sc in scenes:
            hook = _like(sc["hook"][2])
            at = [(d.number, n, t) for d in drafts for n, t in _texts(d) if hook.match(t)]
            assert len(at) <= 1, (kind, hook, at)  # once a season
            if not at:
                continue
            played += 1
            number, scene, first = at[0]
            said = [t for n, t in _texts(drafts[number - 1]) if n == scene]
            written = [_like(st[2])
                       for st in (sc["hook"], *sc["moves"], sc["turn"]) if st[2]]
            # its lines in their written order, nothing stock between the hook and the turn
            # (a line the season said already is left out: at most one)
            run = said[said.index(first):]
            k = 0
            for pattern in written:
                if k < len(run) and pattern.match(run[k]):
                    k += 1
            assert k >= len(written) - 1, (kind, run[:len(written)])
    assert played >= 10, played


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_night_after_is_a_written_talk_in_most_episodes(review_season, lang):
    series, drafts = review_season[lang]
    talks = [t for key in seed_json("nights.json")[lang].values() for t in key]
    nights = 0
    for d in drafts:
        said = [t for _, t in _texts(d)]
        for talk in talks:
            lines = [_like(st[2]) for st in talk["steps"]]
            at = [i for i, t in enumerate(said) if lines[0].match(t)]
            if not at:
                continue
            nights += 1
            run = said[at[0]:at[0] + len(lines)]
            # the whole talk, in its order, nothing stock between its lines
            assert len(run) == len(lines) and all(p.match(t) for p, t in zip(lines, run, strict=True)), \
                (d.number, run)
    assert nights >= 30, nights


def test_every_night_key_is_what_an_event_leaves():
    for lang in ("zh", "en"):
        assert set(seed_json("nights.json")[lang]) <= set(turns.NIGHT_AFTER.values())
    assert set(turns.NIGHT_AFTER) <= set(KINDS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_episode_one_answers_the_humiliation_in_a_written_exchange(review_season, lang):
    """After the villain's public humiliation, no stock retort: one of seeds/openings.json's
    exchanges, whole and in order."""
    _, drafts = review_season[lang]
    # the first scene, or the second where the premise's secret had its own moment first
    said = [t for n, t in _texts(drafts[0]) if n <= 2]
    played = [steps for steps in props.openings(lang)
              if any(_like(steps[0][2]).match(t) for t in said if steps[0][2])]
    assert len(played) == 1, said
    lines = [_like(st[2]) for st in played[0] if st[2]]
    i = next(k for k, t in enumerate(said) if lines[0].match(t))
    run = said[i:i + len(lines)]
    assert len(run) == len(lines) and all(p.match(t) for p, t in zip(lines, run, strict=True)), run


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_ending_says_the_line_written_for_its_image(review_season, lang):
    """The final image and the last line belong together ('The villain answers the phone' is
    not followed by 'This handwriting. I know this handwriting.'): where an ending's image has
    a line written for it, that line is said, and most endings have one."""
    _, drafts = review_season[lang]
    bank = seed_json("cliff_lines.json")[lang]
    images = [(_like(a), _like(v["line"])) for a, v in bank.items()]
    paired = 0
    for d in drafts[:-1]:
        end = d.scenes[-1].elements[-1]
        match = [said for image, said in images if image.match(end.action)]
        if match and end.line is not None and any(m.match(end.line.text) for m in match):
            paired += 1
    assert paired >= 20, paired


def test_a_discovery_ending_does_not_call_out_to_the_villain_it_discovers():
    """A 'find' ending shows the lead finding something out about the villain from afar (the
    days that do not add up, a handshake through a window): the villain is not there to be
    spoken to, so the ending's line does not open by calling the villain's name."""
    lines = seed_json("cliff_lines.json")
    vocative = re.compile(r"^\{villain\}\s*[,，]")
    for lang in ("zh", "en"):
        for image, entry in lines[lang].items():
            if entry.get("category") == "find":
                assert not vocative.match(entry["line"]), (lang, image, entry["line"])
