"""The issue's two review premises, written once per test process as sixty-episode drafts
(without storyboards), for the files that read a whole season as a script editor does."""

from __future__ import annotations

import pytest

from aiscript.drafting.template import TemplateWriter
from aiscript.schema import Premise

REVIEW_PREMISES = {
    "zh": "父亲去世后，被赶出豪门的真千金在外卖站打工，意外救下失忆的集团继承人",
    "en": ("A night-shift nurse discovers the billionaire patient she's been caring for faked "
           "his coma to catch the relative trying to kill him"),
}
REVIEW_EPISODES = 60


@pytest.fixture(scope="session")
def review_season():
    """``{lang: (series, drafts)}`` for both review premises."""
    w = TemplateWriter()
    out = {}
    for lang, text in REVIEW_PREMISES.items():
        series = w.plan(Premise(text=text, language=lang, episodes=REVIEW_EPISODES))
        out[lang] = (series, [w.draft_episode(series, k)
                              for k in range(1, REVIEW_EPISODES + 1)])
    return out
