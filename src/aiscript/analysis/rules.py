"""The beat rules in one place: hook window, cliffhanger window, pivot, twist and push rhythm,
episode length and the paywall. The numbers live in ``seeds/beat_template.json`` and
``seeds/season_arc.json`` (the writers' seeds); the analyser, its plot and the writers read them
through ``beat_rules()``.

>>> r = beat_rules()
>>> r.hook_window_s, r.cliffhanger_window_s, r.twist_every_s, r.push_every_s
(3.0, 10.0, 15.0, 30.0)
>>> r.paywall_episode(60)
9
"""

from __future__ import annotations

from functools import cache

from pydantic import Field

from aiscript.craft import Rhythm, paywall_episode


class BeatRules(Rhythm):
    """The rhythm an episode and a season are written and judged by (CRAFT: hook 0-3 s, twist
    ~15 s, push ~30 s, cliffhanger in the last 10 s, paywall about 15% into the season)."""

    paywall_fraction: float = Field(0.15, gt=0, le=1)
    paywall_min: int = Field(2, ge=1)
    reveal_after_paywall: int = Field(1, ge=0)

    def paywall_episode(self, episodes: int) -> int:
        """Where free viewing stops in a season of this many episodes."""
        return paywall_episode(episodes, self.paywall_fraction, self.paywall_min)


@cache
def beat_rules() -> BeatRules:
    """The rules from the seeds (validated there), as one object."""
    from aiscript.craft import load_beat_template, load_season_arc

    beat, arc = load_beat_template(), load_season_arc()
    return BeatRules(**{k: getattr(beat, k) for k in Rhythm.model_fields},
        paywall_fraction=arc.paywall_fraction, paywall_min=arc.paywall_min,
        reveal_after_paywall=arc.reveal_after_paywall)
