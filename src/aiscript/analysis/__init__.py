"""The beat-structure analyser: any script in, ``BeatReport`` out. Pure Python, no torch.

>>> from aiscript.schema import Episode
>>> analyze(Episode.example()).hook.present
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

from aiscript.analysis.beats import AnalyserSettings, analyze_script
from aiscript.analysis.emotion import EmotionScorer, LexiconScorer
from aiscript.analysis.formats import Script, from_episode, read_path, read_text
from aiscript.errors import AiscriptError
from aiscript.schema import BeatReport, Episode, EpisodeDraft, SeriesReport, SeriesRow
from aiscript.script import SUFFIXES, expand_paths

__all__ = [
    "AnalyserSettings", "EmotionScorer", "LexiconScorer", "analyze", "analyze_many",
    "expand_paths", "paywall_of", "series_report",
]


def analyze(
    script: str | Path | Episode | EpisodeDraft | Script,
    settings: AnalyserSettings | None = None,
    scorer: EmotionScorer | None = None,
) -> BeatReport:
    """Analyse one script: a path (.fountain, .txt, .md, .fdx, .json), an ``Episode`` or
    ``EpisodeDraft``, or script text. Every script is read by ``aiscript.script``."""
    if isinstance(script, Episode | EpisodeDraft):
        script = from_episode(script)
    elif isinstance(script, Path) or (isinstance(script, str) and "\n" not in script
                                      and Path(script).suffix.lower() in SUFFIXES):
        script = read_path(script)
    elif isinstance(script, str):
        script = read_text(script)
    return analyze_script(script, settings, scorer)


def paywall_of(paths: Iterable[str | Path]) -> int | None:
    """The paywall episode a series folder's ``series.json`` names, if any."""
    import json

    for p in map(Path, paths):
        meta = p / "series.json"
        if p.is_dir() and meta.is_file():
            try:
                return int(json.loads(meta.read_text(encoding="utf-8"))["plan"]["paywall_episode"])
            except (OSError, ValueError, KeyError, TypeError):
                return None
    return None


def analyze_many(
    paths: Iterable[str | Path], settings: AnalyserSettings | None = None,
    scorer: EmotionScorer | None = None,
) -> tuple[list[BeatReport], list[str]]:
    """Reports for every file that could be read, and one error line for each that could not."""
    reports, errors = [], []
    for path in expand_paths(paths):
        try:
            reports.append(analyze(read_path(path), settings, scorer))
        except AiscriptError as exc:
            errors.append(str(exc))
    return reports, errors


def series_report(
    reports: list[BeatReport], paywall_episode: int | None = None, errors: list[str] | None = None
) -> SeriesReport:
    """Per-episode rows, the hook and cliffhanger arcs, and whether the paywall episode and the
    one after it rank in the top third by hook + cliffhanger strength."""
    # episode order when every file has a number, else the order given
    numbered = all(r.episode is not None for r in reports)
    ordered = sorted(reports, key=lambda r: r.episode or 0) if numbered else list(reports)
    rows = [
        SeriesRow(source=r.source, episode=r.episode, duration_s=r.duration_s,
                  hook_score=r.hook.score, cliffhanger_score=r.cliffhanger.score,
                  pivots=len(r.pivots), warnings=len(r.warnings))
        for r in ordered
    ]
    report = SeriesReport(
        episodes=rows, hook_arc=[r.hook_score for r in rows],
        cliffhanger_arc=[r.cliffhanger_score for r in rows], paywall_episode=paywall_episode,
        errors=errors or [],
    )
    if paywall_episode and rows:
        strength = {i + 1: r.hook_score + r.cliffhanger_score for i, r in enumerate(rows)}
        if paywall_episode > len(rows):
            report.warnings.append(f"paywall episode {paywall_episode} is past the last episode")
        else:
            # the top third, and never fewer than the two episodes being checked
            top = sorted(strength.values(), reverse=True)[: max(2, math.ceil(len(rows) / 3))]
            key = [paywall_episode] + ([paywall_episode + 1] if paywall_episode < len(rows) else [])
            report.paywall_strong = all(strength[k] >= top[-1] for k in key)
            if not report.paywall_strong:
                report.warnings.append(
                    f"the paywall episode ({paywall_episode}) and the one after it should be among "
                    "the strongest: sharpen their hooks and cliffhangers"
                )
    weak = [r.episode or i + 1 for i, r in enumerate(rows) if r.cliffhanger_score < 0.5]
    if weak:
        report.warnings.append(f"episodes without a clear cliffhanger: {weak}")
    return report
