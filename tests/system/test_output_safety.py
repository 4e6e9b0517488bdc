"""aiscript writes only into folders it owns, one writer at a time, and never removes a file
it did not make."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aiscript.batch import BackendSpec, run_batch
from aiscript.errors import AiscriptError
from aiscript.files import (
    MARKER,
    is_temp_name,
    owns_outputs,
    prepare_output_dir,
    write_atomic,
)

from ..conftest import EN_PREMISE, ZH_PREMISE

SCRIPTS_ONLY = BackendSpec(renderer="none")


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _holder(out: Path, *, lock: str = ".aiscript.lock") -> subprocess.Popen:
    """Another process that claims ``out`` and keeps it until killed."""
    code = ("import sys; from aiscript.files import prepare_output_dir; "
            f"prepare_output_dir({str(out)!r}, resume=True, lock={lock!r}); "
            "print('held', flush=True); sys.stdin.read()")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_resume_refuses_a_folder_aiscript_did_not_make(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "series.json").write_text("my own series bible")
    (mine / "shotlist.csv").write_text("my,shots")
    (mine / ".draft.tmp").write_text("editor swap file")
    (mine / ".series.json.abcd1234.tmp").write_text("looks like an old temp name")
    before = _tree(mine)
    with pytest.raises(AiscriptError, match="not made by aiscript"):
        prepare_output_dir(mine, resume=True)
    with pytest.raises(AiscriptError, match="not made by aiscript"):
        from aiscript.pipeline import run

        run(ZH_PREMISE, episodes=1, out=mine, resume=True, storyboards=False)
    assert _tree(mine) == before


def test_resume_removes_only_the_temp_files_aiscript_named(tmp_path):
    out = tmp_path / "out"

    @owns_outputs
    def claim(resume: bool) -> None:
        prepare_output_dir(out, resume=resume)

    claim(False)
    write_atomic(out / "episodes/ep001.json", "{}")
    ours = out / "episodes/.ep002.json.aiscript-k2j4_x9q.tmp"
    ours.write_text("half a file")
    theirs = [out / ".notes.tmp", out / "episodes/.ep003.json.abcd1234.tmp"]
    for p in theirs:
        p.write_text("not aiscript's")
    claim(True)
    assert not ours.exists()
    assert all(p.read_text() == "not aiscript's" for p in theirs)
    assert (out / "episodes/ep001.json").read_text() == "{}"


def test_write_atomic_temp_names_are_recognisable(tmp_path, monkeypatch):
    seen = []
    real = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        return real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(tmp_path / ("x" * 250 + ".json"), "{}")  # a long name still fits as a temp name
    assert seen and is_temp_name(seen[0]) and len(seen[0]) <= 255
    assert not is_temp_name(".ep001.json.abcd1234.tmp") and not is_temp_name(".notes.tmp")


def test_a_second_writer_is_refused_with_the_holder_named(tmp_path):
    out = tmp_path / "season"
    proc = _holder(out)
    try:
        with pytest.raises(AiscriptError, match=rf"in use by another aiscript run \(pid {proc.pid} "):
            prepare_output_dir(out, resume=True)
        from aiscript.pipeline import run

        with pytest.raises(AiscriptError, match="in use"):
            run(EN_PREMISE, episodes=1, lang="en", out=out, resume=True, storyboards=False)
        assert not (out / "series.json").exists()
    finally:
        proc.kill()
        proc.wait()


def test_a_stale_lock_from_a_killed_run_is_taken_over(tmp_path):
    out = tmp_path / "season"
    proc = _holder(out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (out / ".aiscript.lock").is_file()  # left behind by the killed process
    from aiscript.pipeline import run

    prod = run(EN_PREMISE, episodes=1, lang="en", out=out, resume=True, storyboards=False)
    assert len(prod.episodes) == 1 and not (out / ".aiscript.lock").exists()


def test_two_runs_into_one_new_out_the_second_is_refused(tmp_path):
    from aiscript.cli import main

    out = tmp_path / "o"
    proc = _holder(out)
    try:
        with pytest.raises(SystemExit) as exc:
            main(["run", ZH_PREMISE, "-n", "1", "--out", str(out)])
        assert exc.value.code == 2
    finally:
        proc.kill()
        proc.wait()
    main(["run", ZH_PREMISE, "-n", "1", "--out", str(out)])  # holder gone: one season lands ...
    first = _tree(out)
    with pytest.raises(SystemExit) as exc:  # ... and a second premise cannot replace it
        main(["run", EN_PREMISE, "-n", "1", "--out", str(out)])
    assert exc.value.code == 2 and _tree(out) == first


def test_a_failed_run_removes_the_empty_folder_it_created(tmp_path):
    from aiscript.pipeline import run

    class Broken:
        name = "broken"

        def plan(self, premise):
            raise RuntimeError("backend crashed")

        def write_episodes(self, series, numbers=None, on_episode=None):
            raise RuntimeError("backend crashed")

    with pytest.raises(RuntimeError):
        run(EN_PREMISE, episodes=1, lang="en", out=tmp_path / "new/deep", writer=Broken())
    assert list(tmp_path.iterdir()) == []


def test_batch_leaves_a_user_folder_named_like_a_job_alone(tmp_path):
    premises = tmp_path / "p.jsonl"
    jobs = [{"id": "a-1", "premise": EN_PREMISE, "lang": "en", "episodes": 1},
            {"id": "mine", "premise": ZH_PREMISE, "lang": "zh", "episodes": 1}]
    premises.write_text(json.dumps(jobs[0]) + "\n")
    out = tmp_path / "out"
    assert run_batch(premises, out, spec=SCRIPTS_ONLY).done == 1
    (out / "mine").mkdir()
    (out / "mine/series.json").write_text("my own notes")
    (out / "mine/.x.tmp").write_text("mine too")
    premises.write_text("\n".join(json.dumps(j) for j in jobs) + "\n")
    result = run_batch(premises, out, spec=SCRIPTS_ONLY)
    assert (result.skipped, result.failed) == (1, 1)
    assert "not made by aiscript" in result.errors[0]
    assert _tree(out / "mine") == {"series.json": b"my own notes", ".x.tmp": b"mine too"}


def test_batch_refuses_an_existing_folder_it_did_not_make(tmp_path):
    premises = tmp_path / "p.jsonl"
    premises.write_text(json.dumps({"id": "a", "premise": EN_PREMISE, "lang": "en"}) + "\n")
    out = tmp_path / "photos"
    out.mkdir()
    (out / "a.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(AiscriptError, match="not made by aiscript"):
        run_batch(premises, out, spec=SCRIPTS_ONLY)
    assert _tree(out) == {"a.jpg": b"\xff\xd8"}


def test_a_second_batch_on_the_same_out_and_shard_is_refused(tmp_path):
    premises = tmp_path / "p.jsonl"
    premises.write_text(json.dumps({"id": "a", "premise": EN_PREMISE, "lang": "en"}) + "\n")
    out = tmp_path / "out"
    proc = _holder(out, lock=".aiscript.1of2.lock")
    try:
        (out / MARKER).write_text(json.dumps({"owner": "aiscript", "kind": "batch"}))
        with pytest.raises(AiscriptError, match="in use"):
            run_batch(premises, out, shard="1/2", spec=SCRIPTS_ONLY)
        # another shard of the same file runs beside it
        assert run_batch(premises, out, shard="2/2", spec=SCRIPTS_ONLY).manifest.shard == "2/2"
    finally:
        proc.kill()
        proc.wait()


def test_files_get_the_umask_mode_not_0600(tmp_path):
    plain = tmp_path / "plain"
    plain.write_text("x")
    made = write_atomic(tmp_path / "made", "x")
    assert made.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


def test_the_marker_is_written_first_and_is_the_same_every_run(tmp_path):
    a = prepare_output_dir(tmp_path / "a")
    b = prepare_output_dir(tmp_path / "b")
    assert (a / MARKER).read_bytes() == (b / MARKER).read_bytes()
    assert json.loads((a / MARKER).read_text())["owner"] == "aiscript"


def test_lock_is_released_when_the_run_ends(tmp_path):
    from aiscript.pipeline import run

    out = tmp_path / "o"
    run(EN_PREMISE, episodes=1, lang="en", out=out, storyboards=False)
    assert not (out / ".aiscript.lock").exists()
    prod = run(EN_PREMISE, episodes=1, lang="en", out=out, storyboards=False, resume=True)
    assert len(prod.episodes) == 1  # the same process claims it again
