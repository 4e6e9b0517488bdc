"""A telling that presumes a sort of object plays only with a prop of that sort: payments read
out line by line come from a bank statement, not a plane ticket; a date that clears her is on
a photo or a ticket; a handwriting match is made with something written by hand."""

from __future__ import annotations

import re

import pytest

from aiscript.craft import seed_json
from aiscript.drafting.template import TemplateWriter
from aiscript.schema import Premise

PREMISES = {
    "zh": ["父亲去世后，被赶出豪门的真千金在外卖站打工，意外救下失忆的集团继承人",
           "替嫁的哑女在婚礼当天发现，新郎的母亲正是当年害死她母亲的人"],
    "en": [("A night-shift nurse discovers the billionaire patient she's been caring for faked "
            "his coma to catch the relative trying to kill him"),
           "A disowned heiress returns to her family's company as an intern to expose the "
           "cousin who framed her for fraud"],
}
EPISODES = (24, 30)


def _presuming(lang: str) -> list[dict]:
    """Every telling of the story and scene banks that presumes a sort of object."""
    found: list[dict] = []

    def walk(x):
        if isinstance(x, dict):
            if "presumes" in x and "action" in x:
                found.append(x)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(seed_json("story.json")[lang]["kinds"])
    walk(seed_json("scenes.json")[lang])
    for scenes in seed_json("event_scenes.json")[lang].values():  # scenes written whole
        for sc in scenes:
            if "presumes" in sc:
                found += [{"action": st[1], "presumes": sc["presumes"]}
                          for st in (sc["hook"], *sc["moves"], sc["turn"], *sc["after"])
                          if "{prop}" in st[1]]
    return found


def _pattern(action: str) -> re.Pattern:
    """The telling's action as a pattern: the object captured, every other slot any text."""
    parts = re.split(r"(\{\w+\})", action)
    out = "".join("(?P<prop>.+?)" if p == "{prop}" and "(?P<prop>" not in "".join(parts[:i])
                  else ".+?" if re.fullmatch(r"\{\w+\}", p) else re.escape(p)
                  for i, p in enumerate(parts))
    return re.compile(out)


@pytest.fixture(scope="module")
def seasons():
    w = TemplateWriter()
    out = {}
    for lang, texts in PREMISES.items():
        out[lang] = []
        for text, episodes in zip(texts, EPISODES, strict=True):
            series = w.plan(Premise(text=text, language=lang, episodes=episodes))
            out[lang].append((series, [w.draft_episode(series, k)
                                       for k in range(1, episodes + 1)]))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_presumed_sort_is_a_sort_some_prop_has(lang):
    sorts = {p.get("sort") for p in seed_json("story.json")[lang]["props"]}
    tagged = _presuming(lang)
    assert tagged, "no telling is marked with the sort of object it presumes"
    for t in tagged:
        assert set(t["presumes"]) <= sorts, t["action"]


def _presumed(seasons, lang: str) -> tuple[list[str], int]:
    """The presuming tellings played with an object of another sort, and how many played."""
    sort_of = {p["name"]: p.get("sort", "") for p in seed_json("story.json")[lang]["props"]}
    checks = [(t, _pattern(t["action"])) for t in _presuming(lang)]
    wrong, played = [], 0
    for _, drafts in seasons[lang]:
        for n, d in enumerate(drafts, 1):
            for sc in d.scenes:
                for el in sc.elements:
                    for t, pat in checks:
                        m = pat.search(el.action or "")
                        if not m:
                            continue
                        played += 1
                        if sort_of.get(m["prop"], "") not in t["presumes"]:
                            wrong.append(f"ep{n} of {len(drafts)}: {el.action}")
    return wrong, played


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_telling_that_presumes_a_sort_plays_only_with_a_prop_of_that_sort(seasons, lang):
    wrong, _ = _presumed(seasons, lang)
    assert not wrong, "\n".join(wrong)


def test_the_seasons_play_tellings_that_presume_a_sort(seasons):
    played = sum(_presumed(seasons, lang)[1] for lang in ("zh", "en"))
    assert played, "no season played a telling that presumes a sort of object"
