"""Many series at once: a JSONL of premises -> one ``aiscript run`` folder per series, with a
manifest, resumable and idempotent, sharded, on the local engine or on Ray.

One line per series::

    {"id": "ceo-01", "premise": "林晚闪婚了陌生人顾言。", "episodes": 20, "lang": "zh",
     "genre": "flash_marriage", "seed": 7}

Rerunning skips what finished, retries what failed and never leaves a half file: every write
is atomic and each series resumes inside its own folder, so a run killed at any moment and
rerun ends with the same files as an uninterrupted one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from aiscript.config import RunConfig
from aiscript.errors import AiscriptError
from aiscript.files import owns_outputs, prepare_output_dir, safe_name, write_atomic
from aiscript.schema import MAX_EPISODES, MAX_PREMISE_CHARS, Language, Model

Status = Literal["done", "failed", "invalid", "pending"]


class SeriesJob(Model):
    """One line of the premises file."""

    id: str = Field(min_length=1, max_length=120)
    premise: str = Field(min_length=1, max_length=MAX_PREMISE_CHARS)
    episodes: int = Field(3, ge=1, le=MAX_EPISODES)
    lang: Language | Literal["auto"] = "auto"
    genre: str | None = None
    seed: int = 0

    @property
    def folder(self) -> str:
        return safe_name(self.id, max_len=80)


class ManifestEntry(Model):
    line: int
    id: str | None = None
    folder: str | None = None
    status: Status = "pending"
    error: str | None = None
    episodes: int = 0
    frames: int = 0
    seconds: float | None = None
    attempts: int = 0


class Manifest(Model):
    source: str
    shard: str
    entries: list[ManifestEntry] = []


@dataclass
class Line:
    number: int  # 1-based line number in the file
    job: SeriesJob | None
    error: str | None = None


@dataclass
class BatchResult:
    manifest: Manifest
    done: int = 0
    failed: int = 0
    invalid: int = 0
    skipped: int = 0
    seconds: float = 0.0
    episodes: int = 0
    frames: int = 0
    errors: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def read_jobs(path: str | Path) -> list[Line]:
    """Every non-blank line, parsed and validated; bad ones carry their error."""
    from aiscript.files import json_depth_ok, read_text_limited

    path = Path(path)
    text = read_text_limited(path, MAX_JSONL_BYTES, "JSONL file")
    lines, seen = [], {}
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            if not json_depth_ok(raw):
                raise ValueError("JSON nested too deeply")
            job = SeriesJob.model_validate_json(raw)
        except ValidationError as exc:
            lines.append(Line(n, None, _validation_message(exc)))
            continue
        except ValueError as exc:
            lines.append(Line(n, None, f"invalid JSON ({exc})"))
            continue
        if job.folder in seen:
            first = seen[job.folder]
            lines.append(Line(n, None, f"duplicate id {job.id!r}" if first.id == job.id else
                              f"id {job.id!r} and id {first.id!r} (line {first.line}) share the "
                              f"folder name {job.folder!r}: give them ids that differ in "
                              "letters or digits"))
            continue
        seen[job.folder] = _Seen(job.id, n)
        lines.append(Line(n, job))
    if not lines:
        raise AiscriptError(f"{path}: no premises in the file", "write one JSON object per line")
    return lines


MAX_JSONL_BYTES = 50_000_000


@dataclass
class _Seen:
    id: str
    line: int


def _validation_message(exc: ValidationError) -> str:
    """Every error of the line, not just the first: one fix per rerun is slow going."""
    errors = exc.errors()
    if errors[0]["type"] == "json_invalid":
        return "invalid JSON"
    by_field: dict[str, list[str]] = {}  # a union's branches (lang: 'zh'|'en' or 'auto') as one
    for e in errors:
        where = ".".join(str(p) for p in e["loc"] if isinstance(p, int) or str(p).isidentifier())
        by_field.setdefault(where or "line", []).append(e["msg"])
    return "; ".join(f"{where}: {_either(msgs)}" for where, msgs in by_field.items())


def _either(msgs: list[str]) -> str:
    """"Input should be 'zh' or 'en'" and "Input should be 'auto'" -> "... 'en', or 'auto'"."""
    lead = "Input should be "
    first, *rest = msgs
    return ", or ".join([first, *(m.removeprefix(lead) if first.startswith(lead) else m
                                  for m in rest)])


def parse_shard(text: str | None) -> tuple[int, int]:
    """'I/N' (1 <= I <= N) -> (I, N); None -> (1, 1)."""
    if not text:
        return 1, 1
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise AiscriptError(f"--shard {text!r} is not I/N", "pass e.g. --shard 1/4") from None
    if not (n >= 1 and 1 <= i <= n):
        raise AiscriptError(f"--shard {text}: I must be between 1 and N", "pass e.g. --shard 2/4")
    return i, n


def in_shard(line: Line, shard: tuple[int, int]) -> bool:
    """Lines are dealt round-robin by line number: shards are disjoint and cover the file."""
    i, n = shard
    return (line.number - 1) % n == i - 1


# --------------------------------------------------------------------------- running


class BackendSpec(RunConfig):
    """The run's settings (:class:`~aiscript.config.RunConfig`, presets included): each
    worker builds (loads) the named backends once."""

    def build(self) -> Backends:
        """Load the named backends through the registry (once per worker)."""
        return Backends(writer=self.build_writer(), renderer=self.build_renderer(),
                        storyboards=self.renderer != "none", frame_batch=self.frame_batch)


@dataclass
class Backends:
    """Loaded models a worker reuses for every series it runs."""

    writer: Any = None
    renderer: Any = None
    storyboards: bool = True
    frame_batch: int = 8


def run_job(job: SeriesJob, out: Path, backends: Backends,
            progress: Callable[[str, int], None] | None = None) -> dict:
    """One series into ``out/<folder>``, resuming whatever an earlier run left there."""
    from aiscript.pipeline import run

    t0 = time.perf_counter()
    prod = run(job.premise, episodes=job.episodes, lang=job.lang, out=out / job.folder,
               seed=job.seed, genre=job.genre, writer=backends.writer, renderer=backends.renderer,
               storyboards=backends.storyboards, batch_size=backends.frame_batch, resume=True)
    frames = sum(len(b.frames) for b in prod.storyboards)
    if progress:
        progress("episodes", len(prod.episodes))
        progress("frames", frames)
    return {"episodes": len(prod.episodes), "frames": frames,
            "seconds": round(time.perf_counter() - t0, 3)}


@owns_outputs
def run_batch(
    premises: str | Path,
    out: str | Path,
    shard: str | None = None,
    engine: Literal["local", "ray"] = "local",
    spec: BackendSpec | None = None,
    progress: Any = None,
    ray_address: str | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Run every line of ``premises`` in this shard; return the summary and manifest.
    ``progress`` is a ``rich.progress.Progress`` (series, episodes and frames are counted on
    it), or None."""
    lines = [ln for ln in read_jobs(premises) if in_shard(ln, parse_shard(shard))]
    progress = _counter(progress, len(lines))
    i, n = parse_shard(shard)
    # the folder is aiscript's (marker) and this shard's manifest has one writer (lock); each
    # series folder is claimed and locked again by the run that writes it
    out = prepare_output_dir(out, resume=True, kind="batch",
                             lock=f".aiscript.{i}of{n}.lock" if n > 1 else ".aiscript.lock")
    manifest_path = out / (f"manifest.{i}of{n}.json" if n > 1 else "manifest.json")
    previous = _load_manifest(manifest_path)
    manifest = Manifest(source=str(premises), shard=f"{i}/{n}")
    result = BatchResult(manifest=manifest)
    todo: list[tuple[Line, ManifestEntry]] = []
    for ln in lines:
        before = previous.get(ln.number)
        entry = ManifestEntry(line=ln.number, id=ln.job.id if ln.job else None,
                              folder=ln.job.folder if ln.job else None,
                              attempts=before.attempts if before else 0)
        if ln.job is None:
            entry.status, entry.error = "invalid", ln.error
            result.invalid += 1
            result.errors.append(f"line {ln.number}: {ln.error}")
        elif before and before.status == "done" and before.id == ln.job.id and \
                (out / ln.job.folder / "series.json").is_file():
            entry = before  # finished in an earlier run: keep its record
            result.skipped += 1
        else:
            todo.append((ln, entry))
        manifest.entries.append(entry)
    _save(manifest_path, manifest)
    if progress:
        progress("skipped", result.skipped + result.invalid)

    t0 = time.perf_counter()
    runner = _run_ray if engine == "ray" else _run_local
    for ln, entry, outcome in runner(todo, out, spec or BackendSpec(), progress, ray_address,
                                     workers):
        entry.attempts += 1
        if "error" in outcome:
            entry.status, entry.error = "failed", outcome["error"]
            result.failed += 1
            result.errors.append(f"line {ln.number} ({entry.id}): {outcome['error']}")
        else:
            entry.status, entry.error = "done", None
            entry.episodes, entry.frames = outcome["episodes"], outcome["frames"]
            entry.seconds = outcome["seconds"]
            result.done += 1
            result.episodes += entry.episodes
            result.frames += entry.frames
        _save(manifest_path, manifest)  # after every series: a kill loses at most the one in flight
        if progress:
            progress("series", 1)
    result.seconds = round(time.perf_counter() - t0, 3)
    return result


SERIES_PER_GROUP = 4


def _counter(progress: Any, total: int) -> Callable[[str, int], None] | None:
    """A callback counting series, episodes and frames on ``progress``'s bars (made here)."""
    if progress is None:
        return None
    tasks = {"series": progress.add_task("series", total=total),
             "episodes": progress.add_task("episodes written", total=None),
             "frames": progress.add_task("frames rendered", total=None)}

    def report(kind: str, n: int) -> None:
        progress.advance(tasks["series" if kind == "skipped" else kind], n)

    return report


def _run_local(todo, out, spec: BackendSpec, progress, ray_address, workers) -> Iterator:
    backends = spec.build() if todo else None  # models load once for the whole batch
    from aiscript.drafting import BatchWriter

    across = backends is not None and isinstance(backends.writer, BatchWriter)
    group = SERIES_PER_GROUP if across else 1
    for start in range(0, len(todo), group):
        chunk = todo[start : start + group]
        if across:
            _write_across_series([ln.job for ln, _ in chunk], out, backends.writer)
        for ln, entry in chunk:
            yield ln, entry, _guarded(ln.job, out, backends, progress)


def _write_across_series(jobs: list[SeriesJob], out: Path, writer) -> None:
    """Plan several series and write their missing episodes in shared batches, saving each
    where ``aiscript run --resume`` will find it. Anything that fails here is simply redone
    (and reported) by the per-series run that follows."""
    from aiscript.files import prepare_output_dir
    from aiscript.pipeline import (
        load_episode,
        load_series,
        make_premise,
        save_episode,
        save_writing_log,
    )
    folders: dict[str, Path] = {}
    items = []
    try:
        for job in jobs:
            premise = make_premise(job.premise, job.episodes, job.lang, job.seed, job.genre)
            folder = prepare_output_dir(out / job.folder, resume=True)
            series = load_series(folder)
            if series is None:
                series = writer.plan(premise)
                write_atomic(folder / "series.json", series.model_dump_json(indent=2))
            folders[series.key] = folder
            items += [(series, n) for n in range(1, job.episodes + 1)
                      if load_episode(folder, n) is None]

        def finished(series, ep) -> None:  # saved as soon as it is final
            save_episode(folders[series.key], ep)
            save_writing_log(folders[series.key], writer, series)

        writer.write_across(items, on_item=finished)
    except Exception:  # noqa: BLE001 - the per-series runs redo and report it
        return


def _guarded(job: SeriesJob, out: Path, backends: Backends, progress=None) -> dict:
    """A failing series is reported, never fatal to the batch."""
    try:
        return {"id": job.id, **run_job(job, out, backends, progress)}
    except AiscriptError as exc:
        return {"id": job.id, "error": exc.problem + (f" ({exc.fix})" if exc.fix else "")}
    except Exception as exc:  # a backend crash on one series must not stop the others
        return {"id": job.id, "error": f"{type(exc).__name__}: {exc}"[:500]}


def _run_ray(todo, out, spec: BackendSpec, progress, ray_address, workers) -> Iterator:
    """One Ray actor per worker (one per GPU when the cluster has GPUs), each loading its
    models once and running whole series."""
    try:
        import ray
        from ray.util import ActorPool
    except ImportError:
        from aiscript.errors import MissingExtra

        raise MissingExtra("the ray engine", "ray", "ray") from None
    if not todo:
        return
    started = not ray.is_initialized()
    if started:
        ray.init(address=ray_address, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
    try:
        resources = ray.cluster_resources()
        gpus = int(resources.get("GPU", 0))
        count = min(len(todo), workers or gpus or max(1, int(resources.get("CPU", 1))))
        actor = ray.remote(num_gpus=1 if gpus else 0, num_cpus=1)(SeriesWorker)
        pool = ActorPool([actor.remote(spec.model_dump_json()) for _ in range(count)])
        entries = {ln.job.id: (ln, entry) for ln, entry in todo}
        for outcome in pool.map_unordered(
                lambda a, item: a.run.remote(item[0].job.model_dump_json(), str(out)), todo):
            ln, entry = entries[outcome["id"]]
            if progress and "error" not in outcome:
                progress("episodes", outcome["episodes"])
                progress("frames", outcome["frames"])
            yield ln, entry, outcome
    finally:
        if started:
            ray.shutdown()


class SeriesWorker:
    """A Ray actor: builds the backends once, then runs series after series."""

    def __init__(self, spec_json: str) -> None:
        self.backends = BackendSpec.model_validate_json(spec_json).build()

    def run(self, job_json: str, out: str) -> dict:
        return _guarded(SeriesJob.model_validate_json(job_json), Path(out), self.backends)


def _load_manifest(path: Path) -> dict[int, ManifestEntry]:
    from aiscript.files import json_depth_ok, read_limited

    if not path.is_file():
        return {}
    try:
        raw = read_limited(path, MAX_JSONL_BYTES)
        return {e.line: e for e in Manifest.model_validate_json(raw).entries} \
            if json_depth_ok(raw) else {}
    except (ValidationError, AiscriptError):
        return {}


def _save(path: Path, manifest: Manifest) -> None:
    write_atomic(path, manifest.model_dump_json(indent=2))


def summary_rows(result: BatchResult) -> list[tuple[str, str]]:
    return [("done", str(result.done)), ("failed", str(result.failed)),
            ("invalid lines", str(result.invalid)), ("skipped (already done)", str(result.skipped)),
            ("episodes written", str(result.episodes)), ("frames rendered", str(result.frames)),
            ("seconds", f"{result.seconds:.1f}")]
