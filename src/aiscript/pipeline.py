"""premise -> series -> episodes -> storyboards -> files, in one call.

>>> prod = run("林晚被未婚夫抛弃，转身闪婚了陌生人顾言。", episodes=1)   # doctest: +SKIP
>>> prod.episodes[0].duration_s                                          # doctest: +SKIP
"""

# ``run`` is ``aiscript.run``: the backends come from a RunConfig (built through the registry)
# or are handed over built; the premise's own settings (episodes, language, seed, genre) and
# where the files go are its arguments.

from __future__ import annotations

import contextlib
import functools
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from aiscript.config import RunConfig
from aiscript.drafting import RecordingWriter, Writer
from aiscript.drafting.records import WritingSummary
from aiscript.errors import AiscriptError, MissingExtra
from aiscript.export import contact_sheet_html, contact_sheet_pdf, shotlist_rows, to_fountain
from aiscript.export.shotlist import write_shotlist
from aiscript.files import owns_outputs, prepare_output_dir, write_atomic
from aiscript.fonts import SeasonFont, season_font
from aiscript.schema import (
    MAX_EPISODES,
    MAX_PREMISE_CHARS,
    BeatReport,
    Brief,
    Episode,
    Model,
    Premise,
    Series,
    SeriesBible,
    Storyboard,
)
from aiscript.shots.planner import restage, with_end_card
from aiscript.story.season import bedbound
from aiscript.storyboard import FrameRenderer
from aiscript.storyboard.frames import iter_storyboards
from aiscript.timing import detect_language

MAX_JSON_BYTES = 50_000_000


class Production(Model):
    """What ``run`` returns: the season and, when rendered, its storyboards."""

    series: Series
    episodes: list[Episode]
    storyboards: list[Storyboard] = []
    out: str | None = None
    writing: WritingSummary | None = None  # what a recording writer did (None: no records)
    review: str | None = None  # review/index.html, when written

    def board(self, number: int) -> Storyboard:
        """Episode ``number``'s storyboard with its folder made absolute, so a notebook shows
        its frames wherever it runs (the saved ``storyboard.json`` keeps it relative)."""
        board = next((b for b in self.storyboards if b.episode == number), None)
        if board is None:
            raise AiscriptError(f"no storyboard for episode {number}",
                                "render with an output folder and a renderer")
        root = Path(self.out or ".").resolve()
        return board.model_copy(update={"folder": str(root / (board.folder or ""))})

    def _repr_html_(self) -> str:
        b = self.series.bible
        cast = ", ".join(f"{c.name} ({c.role})" for c in b.characters)
        return (
            f"<h3>{b.title}</h3><p>{b.logline}</p><p><b>Cast:</b> {cast}</p>"
            f"<p>{len(self.episodes)} episodes, paywall at {self.series.plan.paywall_episode}; "
            f"{sum(len(s.frames) for s in self.storyboards)} frames</p>"
        )


def read_premise(premise: str | Path) -> str:
    """Premise text, or the contents of a text file when given a path to one."""
    text = str(premise)
    if "\n" not in text and len(text) < 1024:
        from aiscript.files import read_text_limited

        path = _premise_path(text)
        if path is not None and path.is_dir():
            raise AiscriptError(f"premise {text} is a folder",
                                "give the premise text, or a path to a text file")
        if path is not None and path.exists():
            text = read_text_limited(path, 4 * MAX_PREMISE_CHARS + 16, "premise file")
    text = text.strip()
    if not text:
        raise AiscriptError("the premise is empty", "give one or two sentences, or a text file")
    if len(text) > MAX_PREMISE_CHARS:
        raise AiscriptError(
            f"the premise is {len(text)} characters, over the {MAX_PREMISE_CHARS} limit",
            "shorten it to a paragraph: the writer builds the rest",
        )
    return text


def _premise_path(text: str) -> Path | None:
    """The path ``text`` names when it could be one (``~nosuchuser ...`` is text, not an error)."""
    try:
        path = Path(text).expanduser()
        path.exists()
    except (OSError, RuntimeError, ValueError):  # unknown ~user, NUL, a name too long
        return None
    return path


def make_premise(
    premise: str | Path, episodes: int = 3, lang: str | None = None, seed: int = 0,
    genre: str | None = None, brief: Brief | None = None,
) -> Premise:
    """Check the user's inputs and build the ``Premise`` model, with clear errors."""
    text = read_premise(premise)
    if not 1 <= episodes <= MAX_EPISODES:
        raise AiscriptError(
            f"episodes must be between 1 and {MAX_EPISODES}, not {episodes}",
            "pass --episodes N with N in that range",
        )
    if lang in (None, "", "auto"):
        lang = detect_language(text)
    if lang not in ("zh", "en"):
        raise AiscriptError(f"unknown language {lang!r}", "use --lang zh or --lang en")
    if genre in (None, "", "auto"):
        genre = None
    else:
        from aiscript.craft import genre as find_genre

        genre = find_genre(genre).id
    try:
        return Premise(text=text, language=lang, episodes=episodes, seed=seed, genre=genre,
                       brief=brief)
    except ValidationError as exc:
        raise AiscriptError(f"invalid premise: {exc.errors()[0]['msg']}", "check the inputs") from None


# the keyword arguments ``run`` took before RunConfig, and the config field each one sets
_SETTINGS = {"batch_size": "frame_batch", "clip_model": "clip_model", "mp4": "mp4",
             "subtitles": "subtitles"}


@owns_outputs
def run(
    premise: str | Path,
    config: RunConfig | None = None,
    *,
    episodes: int = 3,
    lang: str | None = None,
    out: str | Path | None = None,
    seed: int = 0,
    genre: str | None = None,
    resume: bool = False,
    progress: Any = None,
    writer: Writer | None = None,
    renderer: FrameRenderer | None = None,
    storyboards: bool = True,
    brief: Brief | None = None,
    **settings: Any,
) -> Production:
    """Premise -> series bible, season plan, episode scripts and storyboards.

    ``config`` (a ``RunConfig``; the offline template writer and sketch renderer by default)
    names the backends and their settings; ``writer`` and ``renderer``, when given, are backends
    already built (a notebook's own, or a batch worker's loaded models) and take the config's
    place. With ``out`` every artefact is written there (``series.json``,
    ``episodes/ep001.json`` and ``.fountain``, ``storyboards/ep001/*.png`` with contact sheets,
    ``shotlist.csv``); without it, nothing touches the disk and storyboards are skipped;
    ``storyboards=False`` skips them too. ``progress`` is a ``rich.progress.Progress`` to
    report on, or None. ``brief`` corrects the writer's reading of the premise (lead, job,
    device, roles, places). ``batch_size``, ``clip_model``, ``mp4`` and ``subtitles`` are still
    taken as keywords: they set the config's ``frame_batch``, ``clip_model``, ``mp4`` and
    ``subtitles``.

    >>> prod = run("Ava Lin marries a stranger, Ethan Gu.", episodes=1, storyboards=False)
    >>> prod.series.bible.characters[0].name, len(prod.episodes)
    ('Ava Lin', 1)
    """
    # 1. check inputs
    config = _with_settings(config or RunConfig(), settings)
    spec = make_premise(premise, episodes, lang, seed, genre, brief)
    with config.cpu_threads():
        # 2. the backends: given, or built by name from the config (models load once, here)
        if writer is None:
            writer = config.build_writer(on_tokens=token_counter(progress))
        if not isinstance(writer, Writer):
            raise AiscriptError(
                f"writer {type(writer).__name__} does not follow the Writer protocol",
                "give it a name, plan(premise) and write_episodes(series, numbers, on_episode)")
        if renderer is None and storyboards and out is not None:
            renderer = config.build_renderer()
        out_dir = prepare_output_dir(out, resume=resume) if out is not None else None
        return _produce(spec, config, writer, renderer, out_dir, resume, progress)


def _with_settings(config: RunConfig, settings: dict[str, Any]) -> RunConfig:
    """``config`` with the keyword settings ``run`` took before RunConfig."""
    unknown = sorted(set(settings) - set(_SETTINGS))
    if unknown:
        raise TypeError(f"run() got an unexpected keyword argument {unknown[0]!r}")
    if not settings:
        return config
    changes = {_SETTINGS[k]: str(v) if k == "clip_model" and v is not None else v
               for k, v in settings.items()}
    return config.updated(**changes)


def token_counter(progress: Any):
    """A callback that counts generated tokens on ``progress`` (the bar appears with the
    first token); None without progress."""
    if progress is None:
        return None
    tasks: list = []

    def tokens(n: int) -> None:
        if not tasks:
            tasks.append(progress.add_task("generating tokens", total=None))
        progress.update(tasks[0], advance=n)

    return tokens


def _produce(spec: Premise, config: RunConfig, writer: Writer, renderer: FrameRenderer | None,
             out_dir: Path | None, resume: bool, progress: Any) -> Production:
    """Steps 3 to 6 of ``run``: plan, write, storyboard, export."""
    # 3. plan the season: bible + plan
    series = load_series(out_dir) if resume and out_dir else None
    if series is not None and series.bible.premise != spec.model_copy(
            update={"genre": series.bible.genre if spec.genre is None else spec.genre}):
        raise AiscriptError(
            f"{out_dir} holds a season from other inputs (premise, episodes, language, genre "
            "or seed differ)", "resume with the same inputs, or choose a new --out")
    if series is None:
        series = writer.plan(spec)
        if out_dir:
            write_atomic(out_dir / "series.json", series.model_dump_json(indent=2))

    # 4. write the episodes, saving each one as soon as the writer finishes it
    done = {n: load_episode(out_dir, n) if resume and out_dir else None
            for n in range(1, spec.episodes + 1)}
    todo = [n for n, ep in done.items() if ep is None]
    with _task(progress, "writing episodes", spec.episodes) as advance:
        advance(spec.episodes - len(todo))

        def keep(ep: Episode) -> None:  # saved as soon as it is final: a kill keeps it
            if done.get(ep.number) is None:
                ep = restage(with_end_card(ep, _END_CARDS[ep.language][ep.number == spec.episodes]),
                             series.bible.characters, lying=bedbound(series, ep.number))
                done[ep.number] = ep
                if out_dir:  # its record first: a kill between the two never leaves an
                    save_writing_log(out_dir, writer, series)  # episode without its story
                    save_episode(out_dir, ep)
                advance(1)

        for ep in writer.write_episodes(series, todo, on_episode=keep):
            keep(ep)  # a writer that returns without calling back is still saved
    if out_dir:  # with the threads its drafting recorded (state endings, the paywall's bang)
        write_atomic(out_dir / "series.json", series.model_dump_json(indent=2))
    eps = [done[n] for n in range(1, spec.episodes + 1)]

    # 5. storyboard every episode, then 6. export contact sheets, animatics and the shot list
    boards: list[Storyboard] = []
    if renderer is not None and out_dir is not None:
        boards = storyboard_episodes(series.bible, eps, renderer, out_dir / "storyboards",
                                     batch_size=config.frame_batch, resume=resume,
                                     progress=progress, clip_model=config.clip_model,
                                     mp4=config.mp4, subtitles=config.subtitles)
    if out_dir is not None:  # the edit hand-off (.otio, .srt), when the edit extra is installed
        from aiscript.export.edit import write_default_edit

        write_default_edit(out_dir, eps, boards, out_dir / "storyboards")
    if out_dir is not None:
        rows = [row for i, ep in enumerate(eps) for row in shotlist_rows(
            ep, boards[i] if boards else None,
            image_root=f"{boards[i].folder}/" if boards else "")]
        write_shotlist(out_dir / "shotlist.csv", rows)
    review = None
    if out_dir is not None and config.review:
        from aiscript.export.review import write_review

        review = str(write_review(out_dir))
    return Production(
        series=series, episodes=eps, storyboards=boards, out=str(out_dir) if out_dir else None,
        writing=writing_summary(writer, series, len(eps)), review=review,
    )


def writing_summary(writer: Writer, series: Series, episodes: int) -> WritingSummary | None:
    """Where this run's season draft and episodes came from, and the tokens a model wrote;
    None for a writer that keeps no records."""
    if not isinstance(writer, RecordingWriter):
        return None
    from aiscript.drafting.records import summary_counts

    records = [r for r in writer.records if r.series == series.key]
    stats = writer.generation_stats
    return WritingSummary(
        writer=writer.name, plan=writer.plan_record.source if writer.plan_record else "kept",
        counts=summary_counts(records), kept=episodes - len(records),
        new_tokens=stats.new_tokens if stats else None,
        tokens_per_s=round(stats.tokens_per_s, 2) if stats else None)


def save_writing_log(out_dir: Path, writer: Writer, series: Series) -> None:
    """``writing.json``: where each episode's text came from (model, rewrite, graft,
    fallback), its attempts and its hook and cliffhanger scores, for writers that keep
    records; a resumed run keeps the records of the episodes it kept."""
    if not isinstance(writer, RecordingWriter):
        return
    from aiscript.drafting.records import load_log, merged_log

    path = out_dir / "writing.json"
    log = merged_log(load_log(path), writer.name, writer.model_name, writer.plan_record,
                     [r for r in writer.records if r.series == series.key])
    write_atomic(path, json.dumps(log, ensure_ascii=False, indent=2))


def save_episode(out_dir: Path, ep: Episode, name: str | None = None,
                 report: BeatReport | None = None, duanju: bool = True) -> None:
    """``episodes/NAME.fountain``, ``.fdx``, for Chinese episodes with ``duanju`` the 短剧
    layout ``.txt``, with a ``report`` the analyser's ``.report.json``, then ``.json``: the JSON
    last, so its presence means done. ``NAME`` is ``epNNN`` unless given."""
    from aiscript.export.fdx import to_fdx

    name = f"episodes/{name or f'ep{ep.number:03d}'}"
    write_atomic(out_dir / f"{name}.fountain", to_fountain(ep))
    write_atomic(out_dir / f"{name}.fdx", to_fdx(ep))
    if duanju and ep.language == "zh":
        from aiscript.export.duanju import to_duanju

        write_atomic(out_dir / f"{name}.txt", to_duanju(ep))
    if report is not None:
        write_atomic(out_dir / f"{name}.report.json", report.model_dump_json(indent=2))
    write_atomic(out_dir / f"{name}.json", ep.model_dump_json(indent=2))


def load_series(out_dir: Path) -> Series | None:
    return _load(out_dir, "series.json", Series)


def load_episode(out_dir: Path, number: int) -> Episode | None:
    return _load(out_dir, f"episodes/ep{number:03d}.json", Episode)


_END_CARDS = {"zh": ("未完待续", "全剧终"), "en": ("TO BE CONTINUED", "THE END")}


def storyboard_episodes(
    bible: SeriesBible, episodes: list[Episode], renderer: FrameRenderer, root: Path,
    batch_size: int = 8, resume: bool = False, progress: Any = None,
    clip_model: str | Path | None = None, character_sheets: bool = True, mp4: bool = False,
    subtitles: bool = False, names: list[str] | None = None, notes: list[str] | None = None,
) -> list[Storyboard]:
    """Render every episode into ``root/epNNN/`` (or ``root/NAME/`` with ``names``) with
    storyboard.json, contact sheets and an animatic, plus a reference sheet per character in
    ``root/characters/``; ``notes`` (one per episode) go under each contact sheet's title. Each
    storyboard's ``folder`` is relative to ``root``'s parent; its frames' images to that folder."""
    from aiscript.export.animatic import animatic_gif, animatic_mp4, thumbnail
    from aiscript.storyboard.consistency import (
        ConsistencyScorer,
        render_character_sheets,
        sheet_names,
    )

    folders = [root / name for name in names or [f"ep{ep.number:03d}" for ep in episodes]]
    if len(set(folders)) < len(folders):
        raise AiscriptError("two episodes have the same number: their frames would overwrite "
                            "each other", "storyboard them into separate output folders")
    sheets = [root / "characters" / n for n in sheet_names(bible.characters).values()]
    if character_sheets and not (resume and all(p.is_file() for p in sheets)):
        render_character_sheets(bible, renderer, root / "characters")
    total = sum(len(e.shots()) for e in episodes)
    font = functools.cache(lambda: _sheet_font(bible, episodes, notes))  # on the first sheet
    scorer = ConsistencyScorer(clip_model) if clip_model else None  # CLIP loaded once

    def export(e: int, board: Storyboard, images: list) -> None:
        """An episode's frames are on disk: its JSON, sheets and animatic, from memory."""
        ep, folder = episodes[e], folders[e]
        note = notes[e] if notes else ""
        board.folder = str(folder.relative_to(root.parent))
        if scorer:
            shot_cast = {sh.id: sh.characters for _, sh in ep.shots()}
            board.consistency = scorer.scores(board, images, bible.characters, shot_cast)
        title = f"{board.series_title} · {board.episode}"
        write_atomic(folder / "storyboard.json", board.model_dump_json(indent=2))
        write_atomic(folder / "contact_sheet.html",
                     contact_sheet_html(board, title, note, font=font()))
        thumbs = [thumbnail(im, 270) for im in images]  # one reduction for the GIF and the PDF
        animatic_gif(board, folder, folder / "animatic.gif", images=thumbs)
        if mp4 or subtitles:  # subtitles: the dialogue burnt into the MP4's frames
            animatic_mp4(board, folder, folder / "animatic.mp4", images=images,
                         captions=_captions(ep, 12) if subtitles else ())
        try:
            write_atomic(folder / "contact_sheet.pdf",
                         contact_sheet_pdf(board, folder, title, note, images=thumbs))
        except MissingExtra as exc:  # the HTML sheet is there; say how to get the PDF too
            warnings.warn(f"contact_sheet.pdf skipped: {exc}", stacklevel=2)

    boards: list[Storyboard] = [None] * len(episodes)  # type: ignore[list-item]
    with _task(progress, "rendering frames", total) as advance:
        # each episode is exported as soon as its frames are on disk, while the next render
        for e, board, images in iter_storyboards(bible, episodes, renderer, folders,
                                                 batch_size=batch_size, on_frame=advance,
                                                 resume=resume):
            export(e, board, images)
            boards[e] = board
    return boards


def _sheet_font(bible: SeriesBible, episodes: list[Episode],
                notes: list[str] | None) -> SeasonFont | None:
    """The CJK font cut once to what every contact sheet of the run shows (titles, shot ids,
    captions): each page's own font is then cut from it, several times sooner."""
    text = "".join(
        f"{bible.title} · {ep.number}" + "".join(
            shot.id + " / ".join(f"{ln.speaker}：: {ln.text}" for ln in shot.lines)
            for _, shot in ep.shots())
        for ep in episodes) + "".join(notes or ())
    return season_font(text)


def _captions(ep: Episode, fps: int) -> list[tuple[float, float, str]]:
    from aiscript.export.edit_plan import edit_plan
    from aiscript.export.subtitles import caption_times

    return caption_times(edit_plan(ep, fps=fps))


def _load(out_dir: Path | None, name: str, model: type[Model]):
    """A model saved by an earlier run, or None when absent or unreadable (it is redone)."""
    from aiscript.files import json_depth_ok, read_limited

    if out_dir is None or not (out_dir / name).is_file():
        return None
    try:
        raw = read_limited(out_dir / name, MAX_JSON_BYTES)
        return model.model_validate_json(raw) if json_depth_ok(raw) else None
    except (ValidationError, AiscriptError):
        return None


@contextlib.contextmanager
def _task(progress: Any, label: str, total: int) -> Iterator:
    if progress is None:
        yield lambda n=1: None
        return
    task = progress.add_task(label, total=total)
    yield lambda n=1: progress.advance(task, n)
