"""What a season has told stays told: a device undone at its reveal does not play as still
hidden afterwards, a secret comes out once, and a villain out on bail does not vanish until
she runs. Sixty-episode drafts of the issue's two review premises (conftest.review_season)."""

from __future__ import annotations

import re

import pytest

from aiscript.drafting.custody import custody_bank
from aiscript.story import brief as briefs
from aiscript.story.turns import state_endings

LANGS = pytest.mark.parametrize("lang", ["zh", "en"])


@pytest.fixture(scope="module")
def season(review_season):
    return review_season


def _reveal(plan) -> int:
    return next(n for n, b in plan.device_beats.items() if b == "reveal")


def _fragment(text: str) -> str:
    """The longest stretch of a seed line with no slot in it."""
    return max(re.split(r"\{\w+\}", text), key=len).strip()


def _said(draft) -> list[str]:
    return [el.action or "" for sc in draft.scenes for el in sc.elements] + \
        [el.line.text for sc in draft.scenes for el in sc.elements if el.line]


@LANGS
def test_after_its_reveal_the_device_plays_as_hidden_no_more(season, lang):
    series, drafts = season[lang]
    plan = series.plan
    reveal = _reveal(plan)
    dev = briefs.devices()[plan.device]
    own = [_fragment(st[1] or st[2]) for key in ("partner", "pressure")
           for script in dev.get(key, {}).get(lang, []) for st in script]
    own = [f for f in own if len(f) >= (8 if lang == "zh" else 20)]
    assert own
    late = [(d.number, f) for d in drafts[reveal:] for t in _said(d) for f in own if f in t]
    assert not late, late


@LANGS
def test_each_secret_comes_out_once_as_news(season, lang):
    series, drafts = season[lang]
    for secret in series.plan.secrets:
        told = [d.number for d in drafts if any(secret.text in t for t in _said(d))]
        assert told == [secret.reveal_episode], (secret.text, told)
    # the night the big secret names is not announced again in other words
    again = re.compile(r"那天晚上，她就在现场|She was there that night")
    repeats = [d.number for d in drafts for t in _said(d) if again.search(t)]
    assert not repeats, repeats


@LANGS
def test_the_tellings_of_the_night_agree(season, lang):
    # the amnesiac's night: he drove, she sat beside him, the brakes had been cut. No line
    # may put her at the wheel of another car
    series, drafts = season[lang]
    text = " ".join(t for d in drafts for t in _said(d))
    seat = re.search(r"副驾驶|passenger seat", text)
    wheel = re.search(r"开车撞他的人|the one behind the wheel", text)
    assert not (seat and wheel), (seat, wheel)


VANISHED = re.compile(r"下落不明|不知所踪|has not been seen|vanished|disappeared")


@LANGS
def test_an_ending_that_says_she_vanished_needs_her_on_the_run(lang):
    said = [e for e in state_endings(lang) if VANISHED.search(e["end"][1] + e["end"][2])]
    assert said
    assert all(e.get("custody") == ["wanted"] for e in said), [e["title"] for e in said]


@LANGS
def test_no_episode_says_she_vanished_while_she_is_out_on_bail(season, lang):
    series, drafts = season[lang]
    villain = next(c.name for c in series.bible.characters if c.role == "antagonist")
    gone = re.compile(rf"下落不明|不知所踪|{re.escape(villain)}\b.{{0,40}}"
                      r"(has not been seen|vanished|disappeared)")
    custody = {s.episode: s.custody for s in series.plan.states}
    # an episode's state once it has played is the next one's opening state
    late = [d.number for d in drafts
            if any(gone.search(t) for t in _said(d))
            and custody.get(d.number + 1, custody[d.number]) != "wanted"
            and custody[d.number] != "wanted"]
    assert not late, late


@LANGS
def test_out_on_bail_she_comes_on_with_the_bail_on_screen(season, lang):
    series, drafts = season[lang]
    villain = next(c.name for c in series.bible.characters if c.role == "antagonist")
    states = {s.episode: s.custody for s in series.plan.states}
    marks = [_fragment(t) for t in custody_bank()[lang]["on_bail"]]
    on_bail = [d for d in drafts if states[d.number] == "bailed"
               and states.get(d.number + 1) == "bailed"
               and any(el.line and el.line.speaker == villain for sc in d.scenes
                       for el in sc.elements)]
    assert len(on_bail) >= 5
    shown = [d.number for d in on_bail if any(m in t for t in _said(d) for m in marks)]
    assert len(shown) >= min(len(marks), len(on_bail)) * 0.8, (shown, [d.number for d in on_bail])
