"""The craft as data: genres, the episode beat template, the season arc, cast pools and example
premises, loaded from ``seeds/`` and validated by these models on load.

>>> cat = load_genres()
>>> len(cat) >= 8 and "revenge" in cat
True
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from aiscript.errors import AiscriptError
from aiscript.schema import L10n, Language, Model

Role = Literal["protagonist", "love_interest", "antagonist", "ally", "elder"]


class Words(Model):
    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def __call__(self, lang: Language) -> list[str]:
        return self.zh if lang == "zh" else self.en


class Device(Model):
    """A beat as the writer plays it: who speaks, the action, the line.

    Texts carry slots filled from the bible: {hero} {love} {villain} {ally} {elder} {place}
    {secret}.
    """

    kind: str
    speaker: Role
    action: L10n
    line: L10n


class Genre(Model):
    id: str = Field(pattern=r"^[a-z_]+$")
    name: L10n
    keywords: Words
    tropes: Words
    places: Words
    secrets: Words
    visual_style: L10n
    titles: list[L10n] = Field(min_length=1)
    hooks: list[Device] = Field(min_length=2)
    pivots: list[Device] = Field(min_length=2)
    cliffhangers: list[Device] = Field(min_length=2)
    payoffs: list[Device] = Field(min_length=1)


class Rhythm(Model):
    """The episode rhythm. Every number is a setting (CRAFT: hook 0-3 s, twist ~15 s, push ~30 s,
    cliffhanger in the last 10 s)."""

    hook_window_s: float = Field(3.0, gt=0)
    pivot_every_s: float = Field(10.0, gt=0)
    twist_every_s: float = Field(15.0, gt=0)
    push_every_s: float = Field(30.0, gt=0)
    cliffhanger_window_s: float = Field(10.0, gt=0)
    target_duration_s: float = Field(90.0, gt=0)
    min_duration_s: float = Field(60.0, gt=0)
    max_duration_s: float = Field(180.0, gt=0)


class BeatTemplate(Rhythm):
    """The episode rhythm and the beat devices the template writer draws on."""

    twists: list[Device] = Field(min_length=1)
    pushes: list[Device] = Field(min_length=1)
    reactions: list[Device] = Field(min_length=1)
    pivots: list[Device] = Field(min_length=1)
    hooks: list[Device] = Field(min_length=1)
    cliffhangers: list[Device] = Field(min_length=1)


class ArcStage(Model):
    id: str
    start: float = Field(ge=0, le=1, description="Where the stage starts, as a season fraction.")
    name: L10n
    events: list[L10n] = Field(min_length=1)


class SeasonArc(Model):
    paywall_fraction: float = Field(0.15, gt=0, le=1)
    paywall_min: int = Field(2, ge=1)
    reveal_after_paywall: int = Field(1, ge=0)
    stages: list[ArcStage] = Field(min_length=1)

    def paywall_episode(self, episodes: int) -> int:
        """Where free viewing stops, by the season-fraction setting."""
        return paywall_episode(episodes, self.paywall_fraction, self.paywall_min)


def paywall_episode(episodes: int, fraction: float, minimum: int) -> int:
    """The paywall rule: free viewing stops ``fraction`` into the season, never before episode
    ``minimum`` nor after the last one.

    >>> paywall_episode(60, 0.15, 2), paywall_episode(5, 0.15, 2), paywall_episode(1, 0.15, 2)
    (9, 2, 1)
    """
    return max(1, min(episodes, max(minimum, round(episodes * fraction))))


class CastPools(Model):
    names: dict[Language, dict[Literal["female", "male", "elder"], list[str]]]
    looks: dict[Role, list[L10n]]
    looks_en: dict[Role, list[L10n]] = Field(
        default={}, description="Looks for English-language seasons, where the default dress "
                                "belongs to a Chinese setting.")
    costume_override: dict[str, L10n] = {}
    colors: list[str] = Field(min_length=5)


class ExamplePremise(Model):
    text: str
    genre: str | None = None


def data_dir(name: str) -> Path:
    """``seeds`` or ``prompts``: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / name, here.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise AiscriptError(f"the '{name}' data folder is missing", "reinstall aiscript")


def _load(name: str, model: type[Model] | None = None):
    path = data_dir("seeds") / name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return model.model_validate(raw) if model else raw
    except (OSError, ValueError, ValidationError) as exc:
        raise invalid_seed(name, exc) from None


@cache
def seed_json(name: str) -> Any:
    """``seeds/NAME`` as JSON, read once per process and shared: callers that change what
    they get copy it first, and check its shape with :func:`invalid_seed` for their error."""
    return _load(name)


def invalid_seed(name: str, exc: Exception) -> AiscriptError:
    """The one error for a seed file that is missing, not JSON, or not the shape its reader
    needs."""
    return AiscriptError(f"seed file {data_dir('seeds') / name} is invalid: {exc}",
                         "restore it from the repository")


@cache
def load_genres() -> dict[str, Genre]:
    return {g["id"]: Genre.model_validate(g) for g in _load("genres.json")}


@cache
def load_beat_template() -> BeatTemplate:
    return _load("beat_template.json", BeatTemplate)


@cache
def load_season_arc() -> SeasonArc:
    return _load("season_arc.json", SeasonArc)


@cache
def load_cast_pools() -> CastPools:
    return _load("cast.json", CastPools)


@cache
def load_premises() -> dict[Language, list[ExamplePremise]]:
    raw = _load("premises.json")
    return {lang: [ExamplePremise.model_validate(p) for p in raw[lang]] for lang in ("zh", "en")}


def genre(name: str) -> Genre:
    """A genre by id or by its Chinese or English name, with a clear error otherwise."""
    genres = load_genres()
    for g in genres.values():
        if name.lower() in (g.id, g.name.zh, g.name.en.lower()):
            return g
    raise AiscriptError(
        f"unknown genre {name!r}", f"choose one of: auto, {', '.join(genres)}"
    )


def guess_genre(text: str, lang: Language) -> Genre:
    """The genre whose keywords the premise mentions most; workplace when none match."""
    low = text.lower()
    genres = load_genres()
    scores = {gid: sum(low.count(k.lower()) for k in g.keywords(lang)) for gid, g in genres.items()}
    best = max(scores, key=lambda gid: scores[gid])
    return genres[best] if scores[best] else genres["workplace"]
