from __future__ import annotations

import os

# One math thread per test process, set before torch is imported: the suite runs a worker per
# core, and two workers each spinning two threads on two cores run several times slower. The
# CLI tests' subprocesses inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from pathlib import Path  # noqa: E402

import pytest

from aiscript.drafting.template import TemplateWriter
from aiscript.schema import EpisodeDraft, Premise

ZH_PREMISE = "林晚在民政局门口被未婚夫放鸽子，一气之下拉了个陌生男人顾言领证，却不知他是千亿总裁。"
EN_PREMISE = (
    "Stood up at the courthouse, Ava Lin marries the first stranger she sees, Ethan Gu, "
    "never guessing he owns the city."
)


# real scripts every layer reads: a Fountain screenplay and the two 短剧 layouts
DATA = Path(__file__).parent / "data"
VENDOR = DATA / "vendor"
BRICK = DATA / "screenplays/Brick-and-Steel.fountain"
STANDARD = DATA / "duanju/shanhun-standard.txt"
SCENES = DATA / "duanju/chongsheng-scenes.md"


def sequence(drafts: list[EpisodeDraft]) -> list[tuple]:
    """Everything a script holds, in order: headings, actions and lines."""
    out: list[tuple] = []
    for d in drafts:
        for sc in d.scenes:
            out.append(("heading", sc.heading.setting, sc.heading.place, sc.heading.time))
            for el in sc.elements:
                if el.action:
                    out.append(("action", el.action))
                if el.line:
                    out.append(("line", el.line.speaker, el.line.parenthetical, el.line.text))
    return out


def lines_of(drafts: list[EpisodeDraft]) -> list[tuple]:
    return [t[1:] for t in sequence(drafts) if t[0] == "line"]


@pytest.fixture(scope="session")
def zh_season():
    return TemplateWriter().write(Premise(text=ZH_PREMISE, language="zh", episodes=6))


@pytest.fixture(scope="session")
def en_season():
    return TemplateWriter().write(Premise(text=EN_PREMISE, language="en", episodes=6))


@pytest.fixture(scope="session")
def zh_run(tmp_path_factory):
    from aiscript.pipeline import run

    out = tmp_path_factory.mktemp("zh") / "out"
    return run(ZH_PREMISE, episodes=3, out=out)


@pytest.fixture(scope="session")
def en_run(tmp_path_factory):
    from aiscript.pipeline import run

    out = tmp_path_factory.mktemp("en") / "out"
    return run(EN_PREMISE, episodes=3, lang="en", out=out)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` (a real model) run only when asked for: ``-m slow``."""
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
