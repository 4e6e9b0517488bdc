"""The library's front door: one function per command of the ``aiscript`` CLI, which only
parses its options into a ``RunConfig``, calls one of these and prints.

>>> import aiscript
>>> prod = aiscript.run("Ava Lin marries a stranger, Ethan Gu.", aiscript.RunConfig(),
...                     episodes=1, storyboards=False)
>>> prod.episodes[0].number
1

Each function builds on the module that does the work: ``pipeline`` (a premise to a season),
``importing`` (finished scripts to storyboards), ``analysis`` (beat reports), ``export.edit``
(the edit hand-off) and ``script`` (any script file to episodes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from aiscript.config import RunConfig
from aiscript.pipeline import run
from aiscript.schema import BeatReport, Episode, Model, SeriesReport
from aiscript.script import read_script

if TYPE_CHECKING:
    from aiscript.importing import ImportResult

__all__ = ["Analysis", "analyze", "export", "read_script", "run", "storyboard"]


def storyboard(
    paths: Sequence[str | Path], config: RunConfig | None = None, *,
    out: str | Path = "boards", cast: str | Path | None = None, series: str | Path | None = None,
    resume: bool = False, progress: Any = None,
) -> ImportResult:
    """Finished scripts (Fountain, 短剧 .txt/.md, FDX, Episode JSON) -> episodes, frames,
    contact sheets, animatics, shot list and edit hand-off in ``out``.

    ``config`` names the renderer (``frame_batch`` frames a batch), the shot planner and what
    else is written (``mp4``, ``subtitles``, ``clip_model``); ``cast`` is a cast file (names,
    looks, reference images, seeds) whose reference images join ``config.references``;
    ``series`` the ``series.json`` of the run Episode JSON came from. With a model shot
    planner the result counts the shots it chose (``model_shots``) and the scenes that kept
    the rules (``rules_scenes``); with ``config.review`` the review pages are written too.

    >>> import tempfile, pathlib, aiscript
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "ep1.txt").write_text("1-1 日 内 办公室\\n林晚：我不干了。", encoding="utf-8")
    >>> result = aiscript.storyboard([folder / "ep1.txt"], out=folder / "boards")
    >>> result.names, len(result.storyboards[0].frames) > 0
    (['ep1'], True)
    """
    from aiscript.importing import prepare_import, storyboard_scripts

    config = config or RunConfig()
    with config.cpu_threads():
        # 1. read, plan and cast every script: a bad one stops here, before any model loads
        planner = config.build_shot_planner()
        prepared = prepare_import(paths, cast, series, planner=planner)
        # 2. the renderer, with the cast file's reference images under the config's own
        refs = {**prepared.cast.references, **(config.references or {})}
        renderer = config.updated(references=refs or None).build_renderer()
        # 3. analyse, render and export
        result = storyboard_scripts(paths, out, renderer=renderer,
                                    batch_size=config.frame_batch, progress=progress,
                                    resume=resume, mp4=config.mp4, prepared=prepared,
                                    subtitles=config.subtitles, clip_model=config.clip_model)
    changes: dict[str, Any] = {}
    if planner is not None:
        changes.update(model_shots=planner.taken, rules_scenes=len(planner.fallbacks))
    if config.review and result.out:
        from aiscript.export.review import write_review

        reports = dict(zip(result.names, result.reports, strict=True))
        changes["review"] = str(write_review(Path(result.out), reports))
    return result.model_copy(update=changes)


class Analysis(Model):
    """What ``analyze`` returns for several scripts: a report for each one read, an error
    line for each one that could not be, and with two reports or more the series report."""

    reports: list[BeatReport]
    errors: list[str] = []
    series: SeriesReport | None = None


@overload
def analyze(scripts: str | Path | Episode, config: RunConfig | None = None, *,
            scorer: Any = None, paywall: int | None = None,
            plot: str | Path | None = None) -> BeatReport: ...


@overload
def analyze(scripts: Iterable[str | Path | Episode], config: RunConfig | None = None, *,
            scorer: Any = None, paywall: int | None = None,
            plot: str | Path | None = None) -> Analysis: ...


def analyze(scripts, config=None, *, scorer=None, paywall=None, plot=None):
    """Beat structure: hook, pivots, twists, pushes, cliffhanger, pacing, warnings.

    One script (a path, an ``Episode`` or script text) gives its ``BeatReport``; a list of
    paths, folders (each episode read once) and Episodes gives an ``Analysis`` with the series
    report (the paywall from ``paywall``, else a folder's ``series.json``). ``scorer`` is an
    emotion scorer or a local sentiment classifier folder (default: the lexicon); with
    ``config.judge`` an LLM judge adds its hook and cliffhanger verdicts. ``plot`` draws each
    report's emotion curve to a PNG: ``plot`` itself for one report, ``STEM_001.png``,
    ``STEM_002.png`` ... (in the order read) for several.

    >>> import aiscript
    >>> aiscript.analyze("INT. OFFICE - DAY\\n\\nAVA\\nI quit.\\n").hook.present in (True, False)
    True
    """
    from aiscript.analysis import analyze as analyze_one

    config = config or RunConfig()
    scorer = _scorer(scorer)
    if isinstance(scripts, (str, Path, Episode)):
        [report] = _judged([analyze_one(scripts, scorer=scorer)], config)
        _plot([report], plot)
        return report
    with config.cpu_threads():
        reports, errors, paths = _analyze_all(list(scripts), scorer)
        reports = _judged(reports, config)
    _plot(reports, plot)
    series = None
    if len(reports) > 1:
        from aiscript.analysis import paywall_of, series_report

        series = series_report(reports, paywall if paywall is not None else paywall_of(paths))
    return Analysis(reports=reports, errors=errors, series=series)


def _plot(reports: list[BeatReport], plot: str | Path | None) -> None:
    """Each report's emotion curve as a PNG (numbered when there are several)."""
    if plot is None or not reports:
        return
    from aiscript.analysis.plot import plot_report

    plot = Path(plot)
    for i, r in enumerate(reports):
        target = plot if len(reports) == 1 else plot.with_name(
            f"{plot.stem}_{i + 1:03d}{plot.suffix}")
        plot_report(r, target)


def _scorer(scorer: Any) -> Any:
    """An emotion scorer, loading a classifier when given its folder."""
    if isinstance(scorer, (str, Path)):
        from aiscript.analysis.emotion import ClassifierScorer

        return ClassifierScorer(str(scorer))
    return scorer


def _analyze_all(items: list, scorer: Any) -> tuple[list[BeatReport], list[str], list[Path]]:
    """Reports in the order given (folders expanded), errors for files that could not be read,
    and the paths among the items (for their series.json)."""
    from aiscript.analysis import analyze as analyze_one
    from aiscript.analysis import analyze_many

    reports: list[BeatReport] = []
    errors: list[str] = []
    paths = [Path(i) for i in items if not isinstance(i, Episode)]
    for item in items:
        if isinstance(item, Episode):
            reports.append(analyze_one(item, scorer=scorer))
        else:
            found, failed = analyze_many([item], scorer=scorer)
            reports += found
            errors += failed
    return reports, errors, paths


def _judged(reports: list[BeatReport], config: RunConfig) -> list[BeatReport]:
    """The reports with the config's LLM judge's verdicts (each script read again for the
    judge's excerpt); unchanged without a judge."""
    if not reports or config.judge is None:
        return reports
    from aiscript.analysis.formats import read_path

    judge = config.build_judge()
    return judge.judge(reports, [read_path(r.source) for r in reports])


def export(folder: str | Path, to: Iterable[str] = ("all",), *, fps: int = 30,
           episodes: Sequence[str | Path] = ()) -> list[Path]:
    """An ``aiscript run`` or ``storyboard`` folder -> the edit in ``folder/edit``: OTIO, FCP7
    XML, FCPXML, EDL, SRT/VTT and 剪映 drafts (``to`` names them, or ``all``); ``episodes``
    are Episode JSON files when the folder holds only storyboards. Returns the files written.

    >>> import tempfile, pathlib, aiscript
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "s"
    >>> _ = aiscript.run("Ava Lin marries a stranger, Ethan Gu.", episodes=1, lang="en", out=out)
    >>> sorted({p.suffix for p in aiscript.export(out, ["srt", "edl"])})
    ['.edl', '.srt', '.vtt']
    """
    from aiscript.export.edit import export_edit

    return export_edit(folder, list(to), fps=fps, episodes=episodes)
