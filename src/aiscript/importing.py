"""A finished script to a storyboard: read it (``aiscript.script``), cast it
(``aiscript.shots.casting``), lay its beats out as shots with the one shot planner
(``aiscript.shots.planner``), find its hook and cliffhanger (``aiscript.analysis``), render and export
it exactly as ``aiscript run`` does.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> script = folder / "ep1.txt"
>>> _ = script.write_text("1-1 日 内 办公室\\n林晚：我不干了。\\n顾言：你说什么？", encoding="utf-8")
>>> result = storyboard_scripts([script], folder / "out")
>>> result.names, [ln.text for ln in result.episodes[0].lines()]
(['ep1'], ['我不干了。', '你说什么？'])
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiscript.errors import AiscriptError
from aiscript.files import prepare_output_dir, safe_name, write_atomic
from aiscript.schema import (
    MAX_EPISODES,
    BeatReport,
    Episode,
    EpisodeDraft,
    Model,
    Premise,
    SeriesBible,
    Storyboard,
)
from aiscript.shots.casting import Cast, cast_from_drafts, read_cast_file
from aiscript.timing import TimingModel

IMAGE_STYLE = "cinematic vertical micro-drama still, natural light"


class ImportedScript(Model):
    """One episode of an imported script: where it came from and the name its files carry."""

    source: str
    name: str
    draft: EpisodeDraft | None = None  # None when the file held a planned Episode already
    episode: Episode
    bios: dict[str, str] = {}  # a 人物小传 / cast list: name -> description


class ImportResult(Model):
    """What ``storyboard_scripts`` made."""

    bible: SeriesBible
    names: list[str]
    episodes: list[Episode]
    reports: list[BeatReport]
    storyboards: list[Storyboard] = []
    out: str | None = None
    review: str | None = None  # review/index.html, when written
    model_shots: int | None = None  # with a model shot planner: shots the model chose
    rules_scenes: int | None = None  # and scenes that kept the rules


def import_scripts(paths: Sequence[str | Path], timing: TimingModel | None = None,
                   planner: Any = None) -> list[ImportedScript]:
    """Read and plan every script; a file with several episodes gives several, named
    ``STEM_epNNN``. An Episode JSON keeps the shots it has. ``planner`` is an object with
    ``plan_episode(draft, timing)`` (the LLM shot planner); the rules planner by default."""
    from aiscript.script import load_text, read_text, script_format
    from aiscript.script.episode_json import load_json_episodes
    from aiscript.shots.planner import plan_episode

    if not paths:
        raise AiscriptError("no scripts given", "pass one or more script files")
    out: list[ImportedScript] = []
    used: set[str] = set()
    for path in map(Path, paths):
        text = load_text(path)
        items = (load_json_episodes(text, str(path)) if script_format(text, str(path)) == "json"
                 else read_text(text, str(path)))
        items, bios = take_bios(items)
        for name, look in front_matter_bios(text).items():
            bios.setdefault(name, look)
        for item in items:
            draft = item if isinstance(item, EpisodeDraft) else None
            plan = planner.plan_episode if planner is not None else plan_episode
            episode = plan(item, timing) if draft else item
            stem = safe_name(path.stem)
            name = stem if len(items) == 1 else f"{stem}_ep{episode.number:03d}"
            base, k = name, 2
            while name in used:
                name, k = f"{base}_{k}", k + 1
            used.add(name)
            out.append(ImportedScript(source=str(path), name=name, draft=draft, episode=episode,
                                      bios=bios))
    return out


_BIO_ENTRY = re.compile(r"^\s*[-*•]?\s*([^\s：:，,（(]{1,16})\s*(?:[（(][^）)]*[）)])?\s*[：:]\s*(\S.*)$")


def front_matter_bios(text: str) -> dict[str, str]:
    """The character list in a script's front matter (``人物小传`` then ``陆远：男，二十八岁…``,
    or ``CHARACTERS`` then ``NORA: 26, a nurse``): the readers set it aside as not on screen,
    and casting reads the looks from it.

    >>> front_matter_bios("人物小传\\n陆远：男，二十八岁，灰色西装。\\n\\n第1集\\n1-1 夜 内 病房")
    {'陆远': '男，二十八岁，灰色西装。'}
    """
    from aiscript.script.front_matter import LABEL, set_aside
    from aiscript.shots.casting import BIO_HEADER

    bios: dict[str, str] = {}
    in_bio, last = False, 0
    for number, line in set_aside(text).lines:
        if number != last + 1:
            in_bio = False  # a gap: the block ended
        last = number
        if BIO_HEADER.match(line.strip()):
            in_bio = True
        elif in_bio and not LABEL.match(line) and (m := _BIO_ENTRY.match(line)):
            bios.setdefault(m.group(1), m.group(2).strip())
    return bios


def take_bios(items: list) -> tuple[list, dict[str, str]]:
    """A script's character list (``人物小传`` then ``陆远：男，二十八岁…``, or ``CHARACTERS``)
    taken out of its episodes: it describes the cast, it is not a scene to storyboard. An
    episode that held only the list is dropped, and the episodes after it keep the numbers
    their markers gave them."""
    from aiscript.shots.casting import BIO_HEADER

    bios: dict[str, str] = {}
    kept, dropped_first = [], False
    for k, item in enumerate(items):
        if not isinstance(item, EpisodeDraft):
            kept.append(item)
            continue
        scenes = []
        for sc in item.scenes:
            elements, in_bio = [], False
            for el in sc.elements:
                if el.line is None and BIO_HEADER.match(el.action.strip()):
                    in_bio = True
                    continue
                if in_bio and el.line is not None and not el.action:
                    bios.setdefault(el.line.speaker, el.line.text)
                    continue
                in_bio = False
                elements.append(el)
            if elements:
                scenes.append(sc.model_copy(update={"elements": elements}))
        if scenes:
            kept.append(item.model_copy(update={"scenes": scenes}))
        elif k == 0:
            dropped_first = True
    if dropped_first and kept and all(isinstance(d, EpisodeDraft) for d in kept) and \
            [d.number for d in kept] == list(range(2, len(kept) + 2)):
        kept = [d.model_copy(update={"number": d.number - 1}) for d in kept]  # 第1集 is 1
    return kept, bios


def bible_for(scripts: list[ImportedScript], cast: Cast) -> SeriesBible:
    """A series bible around the imported episodes: their title, cast and places; the genre
    whose keywords the script mentions most, whose place words give English place prompts."""
    from aiscript.craft import guess_genre
    from aiscript.story.cast import place_prompts

    first = scripts[0].episode
    lang = first.language
    places = list(dict.fromkeys(sc.heading.place for s in scripts for sc in s.episode.scenes))
    text = " ".join(sh.action + " ".join(ln.text for ln in sh.lines)
                    for s in scripts for _, sh in s.episode.shots())
    genre = guess_genre(text, lang)
    premise = Premise(text=first.series_title, language=lang, episodes=min(MAX_EPISODES, len(scripts)))
    return SeriesBible(
        title=first.series_title, logline="", language=lang, genre=genre.id,
        premise=premise, characters=cast.characters, places=places,
        place_prompts=place_prompts(places, genre, lang),
        visual_style=IMAGE_STYLE, image_style=IMAGE_STYLE,
    )


def cast_for(scripts: list[ImportedScript], cast_file: str | Path | None = None,
             series: SeriesBible | None = None) -> Cast:
    """The cast of the imported episodes: from their cues, with a cast file's entries first;
    with the series bible of an ``aiscript run``, its characters as they were written."""
    from aiscript.script.episode_json import to_draft

    entries = read_cast_file(cast_file) if cast_file else None
    drafts = [s.draft or to_draft(s.episode) for s in scripts]
    bios = {n: t for s in scripts for n, t in s.bios.items()}
    cast = cast_from_drafts(drafts, entries, bios)
    if series is None:
        return cast
    given = {e.name for e in entries or []}
    known = [c for c in series.characters if c.name not in given]
    names = {c.name for c in known}
    return Cast(characters=known + [c for c in cast.characters if c.name not in names],
                references=cast.references, sources=cast.sources,
                assumed=[n for n in cast.assumed if n not in names])


def series_beside(scripts: list[ImportedScript], series: str | Path | None = None
                  ) -> SeriesBible | None:
    """The bible of the ``aiscript run`` an Episode JSON came from: ``series`` if given, else a
    ``series.json`` beside the episodes or one folder up."""
    from pydantic import ValidationError

    from aiscript.schema import Series

    candidates = [Path(series)] if series else [
        p for s in scripts if s.draft is None
        for p in (Path(s.source).parent / "series.json", Path(s.source).parent.parent / "series.json")]
    for c in candidates:
        if c.is_file():
            try:
                return Series.model_validate_json(c.read_bytes()).bible
            except ValidationError as exc:
                raise AiscriptError(f"{c}: not a series file ({exc.errors()[0]['msg']})",
                                    "pass --series with the run's series.json") from None
        if series:
            raise AiscriptError(f"{c}: no such series file", "check the --series path")
    return None


def mark_beats(episode: Episode, report: BeatReport) -> Episode:
    """The analyser's hook and cliffhanger on the shots where they fall (shots that carry no
    beat of their own), so frames and contact sheets show them."""
    shots = episode.shots()
    if report.hook.present and report.hook.t is not None:
        t = 0.0
        for _, shot in shots:
            if t + shot.duration_s > report.hook.t and not shot.card:
                shot.beat = shot.beat or "hook"
                break
            t += shot.duration_s
    drawn = [sh for _, sh in shots if not sh.card]  # a card is no cliffhanger frame
    if report.cliffhanger.present and drawn:
        last = drawn[-1]
        last.beat = last.beat or "cliffhanger"
    return episode


def beat_note(report: BeatReport, lang: str) -> str:
    """One line for the contact sheet: where the hook and the cliffhanger fall."""
    from aiscript.schema import _tc

    hook = (f"hook {_tc(report.hook.t or 0)} {report.hook.kind or ''} {report.hook.score:.2f}"
            if report.hook.present else f"no hook ({report.hook.score:.2f})")
    cliff = (f"cliffhanger {report.cliffhanger.kind or ''} {report.cliffhanger.score:.2f}"
             if report.cliffhanger.present else f"no cliffhanger ({report.cliffhanger.score:.2f})")
    return f"{hook} · {cliff} · {len(report.pivots)} pivots · {_tc(report.duration_s)}"


class PreparedImport(Model):
    """Scripts read, planned and cast, before anything is written."""

    scripts: list[ImportedScript]
    cast: Cast
    bible: SeriesBible


def prepare_import(
    paths: Sequence[str | Path], cast_file: str | Path | None = None,
    series: str | Path | None = None, timing: TimingModel | None = None, planner: Any = None,
) -> PreparedImport:
    """Read, plan and cast every script; any bad input raises here, before any output."""
    scripts = import_scripts(paths, timing, planner)
    written = series_beside(scripts, series)
    cast = cast_for(scripts, cast_file, written)
    bible = bible_for(scripts, cast)
    if written is not None:
        bible = written.model_copy(update={"characters": cast.characters})
    from aiscript.shots.planner import restage

    for s in scripts:  # staged again knowing the whole cast and its genders (a planned
        if s.draft is not None:  # Episode given as JSON keeps its own shots)
            restage(s.episode, cast.characters, assumed=cast.assumed)
    return PreparedImport(scripts=scripts, cast=cast, bible=bible)


def storyboard_scripts(
    paths: Sequence[str | Path], out: str | Path, cast_file: str | Path | None = None,
    renderer: Any = None, timing: TimingModel | None = None, batch_size: int = 8,
    progress: Any = None, resume: bool = False, mp4: bool = False,
    series: str | Path | None = None, prepared: PreparedImport | None = None,
    clip_model: str | Path | None = None, subtitles: bool = False,
) -> ImportResult:
    """Scripts -> ``out/episodes/NAME.{json,fountain,fdx,report.json}``, ``out/cast.json``,
    ``out/storyboards/NAME/`` (frames, contact sheets, storyboard.json, animatic) and
    ``out/shotlist.csv``; the sketch renderer unless ``renderer`` is given. ``prepared`` (from
    ``prepare_import``) skips the reading."""
    from aiscript.analysis import analyze
    from aiscript.export.shotlist import shotlist_rows, write_shotlist
    from aiscript.pipeline import save_episode, storyboard_episodes

    # 1. read, plan and cast everything before touching the disk: a bad script stops early
    prepared = prepared or prepare_import(paths, cast_file, series, timing)
    scripts, cast, bible = prepared.scripts, prepared.cast, prepared.bible
    root = prepare_output_dir(out, resume=resume)
    # 2. the analyser's report, and its hook and cliffhanger marked on the shots
    reports = [analyze(s.episode) for s in scripts]
    for s, report in zip(scripts, reports, strict=True):
        report.source, report.format = s.source, "imported"
        mark_beats(s.episode, report)
    # 3. the scripts as JSON, Fountain and FDX, the reports and the cast
    for s, report in zip(scripts, reports, strict=True):
        save_episode(root, s.episode, s.name, report, duanju=False)
    write_atomic(root / "cast.json", json.dumps({"characters": cast.entries()},
                                                ensure_ascii=False, indent=2))
    # 4. storyboards and the shot list
    if renderer is None:
        from aiscript.storyboard.sketch import SketchRenderer

        renderer = SketchRenderer()
    episodes = [s.episode for s in scripts]
    names = [s.name for s in scripts]
    boards = storyboard_episodes(bible, episodes, renderer, root / "storyboards",
                                 batch_size=batch_size, resume=resume, progress=progress, mp4=mp4,
                                 clip_model=clip_model, subtitles=subtitles,
                                 names=names, notes=[beat_note(r, bible.language) for r in reports])
    write_shotlist(root / "shotlist.csv", [row for ep, b in zip(episodes, boards, strict=True)
                                           for row in shotlist_rows(ep, b, f"{b.folder}/")])
    from aiscript.export.edit import write_default_edit

    # edit/NAME.otio and .srt, with the edit extra
    write_default_edit(root, episodes, boards, root / "storyboards", names=names, reports=reports)
    return ImportResult(bible=bible, names=names, episodes=episodes, reports=reports,
                        storyboards=boards, out=str(root))

