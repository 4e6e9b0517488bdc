"""What the writer did, episode by episode: ``writing.json`` in the output folder.

Each episode's text came from one source: ``model`` (a draft the model wrote and the checks
accepted), ``rewrite`` (the model rewrote a weak opening or ending and that fixed it), ``graft``
(the planner's hook or cliffhanger beat put in after rewrites failed), ``fallback`` (the model
never wrote a clean draft; the planner wrote the episode) or ``template`` (no model at all).

>>> r = WritingRecord(series="abc", episode=1, source="model", attempts=1)
>>> summary_counts([r, r.model_copy(update={"episode": 2, "source": "fallback"})])
{'model': 1, 'rewrite': 0, 'graft': 0, 'fallback': 1}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field

from aiscript.schema import Model

Source = Literal["model", "rewrite", "graft", "fallback", "template"]


class WritingRecord(Model):
    series: str = Field(description="Series.key of the season.")
    episode: int = Field(ge=1)
    source: Source
    attempts: int = Field(0, ge=0, description="Drafts the model wrote for this episode.")
    rejected: list[str] = Field(default=[], description="Why drafts were refused (last try).")
    refusals: list[str] = Field(default=[], description=(
        "Every refusal on the way, in order: 'try N: why' for a whole draft, 'try N, beat K: "
        "why' for one beat the model was asked to write again."))
    repaired: list[int] = Field(default=[], description=(
        "Beats (1-based) the model wrote again on their own after the draft's were refused."))
    rewrites: list[str] = Field(default=[], description="Parts the model rewrote: opening, ending.")
    grafted: list[str] = Field(default=[], description="Parts the planner supplied: hook, cliffhanger.")
    before: dict[str, float] = Field(default={}, description="Hook and cliffhanger scores first.")
    after: dict[str, float] = Field(default={}, description="Hook and cliffhanger scores at the end.")


class PlanRecord(Model):
    source: Literal["model", "fallback", "template"]
    attempts: int = 0
    rejected: list[str] = []
    refusals: list[str] = []  # every try's reasons, 'try N: why'



class WritingSummary(Model):
    """What a run's writer did, for the command to print: where the season draft and each
    episode came from, and the tokens a model generated (None for writers without a model)."""

    writer: str
    plan: str = Field(description="The season draft's source, or 'kept' from an earlier run.")
    counts: dict[str, int] = Field(description="Episodes per source: model, rewrite, graft, fallback.")
    kept: int = Field(0, ge=0, description="Episodes kept from an earlier run.")
    new_tokens: int | None = None
    tokens_per_s: float | None = None


def summary_counts(records: Sequence[WritingRecord]) -> dict[str, int]:
    """How many episodes came from each source (the CLI's summary)."""
    counts = dict.fromkeys(("model", "rewrite", "graft", "fallback"), 0)
    for r in records:
        counts[r.source] = counts.get(r.source, 0) + 1
    return counts


def load_log(path: Path) -> dict:
    """A ``writing.json`` written earlier, or an empty log when absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def merged_log(old: dict, writer: str, model: str | None, plan: PlanRecord | None,
               records: Sequence[WritingRecord]) -> dict:
    """The log with these records in place of older ones for the same episodes (a resumed run
    keeps the records of the episodes it kept)."""
    mine = {r.episode for r in records}
    kept = [e for e in old.get("episodes", []) if e.get("episode") not in mine]
    episodes = sorted(kept + [r.model_dump() for r in records], key=lambda e: e["episode"])
    return {
        "writer": writer, "model": model,
        "plan": plan.model_dump() if plan else old.get("plan"),
        "counts": summary_counts([WritingRecord.model_validate(e) for e in episodes]),
        "episodes": episodes,
    }
