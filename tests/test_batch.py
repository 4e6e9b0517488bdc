from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aiscript.batch import BackendSpec, in_shard, parse_shard, read_jobs, run_batch
from aiscript.craft import load_premises
from aiscript.errors import AiscriptError

PER_LANG = 4  # premises per language: enough for shards, a kill mid-way and a retry
N = 2 * PER_LANG


def _premises(tmp_path: Path, bad: bool = False) -> Path:
    lines = []
    for lang in ("zh", "en"):
        for i, p in enumerate(load_premises()[lang][:PER_LANG]):
            lines.append(json.dumps({"id": f"{lang}-{i:02d}", "premise": p.text, "episodes": 1,
                                     "lang": lang, "seed": i}, ensure_ascii=False))
    if bad:
        lines[2:2] = ["{not json", json.dumps({"id": "no-premise", "episodes": 2}),
                      json.dumps({"id": "too-long", "premise": "x", "episodes": 999}),
                      json.dumps({"id": "zh-00", "premise": "duplicate id"})]
    path = tmp_path / "premises.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


SCRIPTS_ONLY = BackendSpec(renderer="none")  # where frames are beside the point: faster


def _json_outputs(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.json"))
            if not p.name.startswith("manifest")}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    out = tmp / "out"
    result = run_batch(_premises(tmp), out)
    return out, result


def test_premises_in_two_languages_run_on_the_local_engine(uninterrupted):
    out, result = uninterrupted
    assert (result.done, result.failed, result.invalid) == (N, 0, 0)
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["status"] for e in manifest["entries"]] == ["done"] * N
    assert all(e["seconds"] is not None and e["frames"] > 0 for e in manifest["entries"])
    for e in manifest["entries"]:  # the same layout as `aiscript run`
        folder = out / e["folder"]
        for rel in ("series.json", "episodes/ep001.json", "episodes/ep001.fountain",
                    "storyboards/ep001/contact_sheet.html", "shotlist.csv"):
            assert (folder / rel).is_file(), (e["folder"], rel)


def test_rerun_skips_what_finished_and_changes_nothing(uninterrupted, tmp_path):
    out, _ = uninterrupted
    before = _json_outputs(out)
    again = run_batch(_premises(tmp_path), out)
    assert (again.skipped, again.done) == (N, 0)
    assert _json_outputs(out) == before


def test_bad_lines_are_reported_and_the_rest_complete(tmp_path):
    result = run_batch(_premises(tmp_path, bad=True), tmp_path / "out", spec=SCRIPTS_ONLY)
    assert result.done == N and result.invalid == 4
    errors = "\n".join(result.errors)
    for needle in ("line 3: invalid JSON", "line 4: premise: Field required",
                   "line 5: episodes: Input should be less than or equal to 120",
                   "line 6: duplicate id 'zh-00'"):
        assert needle in errors
    manifest = json.loads((tmp_path / "out/manifest.json").read_text())
    assert sum(e["status"] == "invalid" for e in manifest["entries"]) == 4


def test_a_failing_series_is_retried_on_the_next_run(tmp_path, monkeypatch):
    import aiscript.batch as batch

    path = _premises(tmp_path)
    real = batch.run_job
    monkeypatch.setattr(batch, "run_job", lambda job, *a, **k: (_ for _ in ()).throw(
        RuntimeError("GPU fell off")) if job.id == "en-03" else real(job, *a, **k))
    first = run_batch(path, tmp_path / "out", spec=SCRIPTS_ONLY)
    assert first.failed == 1 and "GPU fell off" in first.errors[0]
    monkeypatch.setattr(batch, "run_job", real)
    second = run_batch(path, tmp_path / "out", spec=SCRIPTS_ONLY)
    assert (second.done, second.skipped, second.failed) == (1, N - 1, 0)
    entry = next(e for e in second.manifest.entries if e.id == "en-03")
    assert entry.status == "done" and entry.attempts == 2


def test_shards_are_disjoint_and_cover_the_file(tmp_path):
    lines = read_jobs(_premises(tmp_path, bad=True))
    for n in (1, 2, 3, 7):
        parts = [[ln.number for ln in lines if in_shard(ln, (i, n))] for i in range(1, n + 1)]
        flat = [x for p in parts for x in p]
        assert sorted(flat) == [ln.number for ln in lines] and len(flat) == len(set(flat))
    with pytest.raises(AiscriptError, match="I/N"):
        parse_shard("half")
    with pytest.raises(AiscriptError, match="between 1 and N"):
        parse_shard("5/4")


def test_shard_runs_write_their_own_manifests(tmp_path):
    path = _premises(tmp_path)
    a = run_batch(path, tmp_path / "out", shard="1/2", spec=SCRIPTS_ONLY)
    b = run_batch(path, tmp_path / "out", shard="2/2", spec=SCRIPTS_ONLY)
    ids_a = {e.id for e in a.manifest.entries}
    ids_b = {e.id for e in b.manifest.entries}
    assert not ids_a & ids_b and len(ids_a | ids_b) == N
    assert (tmp_path / "out/manifest.1of2.json").is_file()


def test_a_run_killed_part_way_and_rerun_ends_byte_identical(uninterrupted, tmp_path):
    path = _premises(tmp_path)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-c", "from aiscript.cli import main; main()", "batch", str(path),
           "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 120
    manifest = out / "manifest.json"
    while time.time() < deadline:  # kill once a few series are done, mid-way through another
        if manifest.is_file() and manifest.read_text().count('"done"') >= 3:
            break
        time.sleep(0.2)
    time.sleep(0.7)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = json.loads(manifest.read_text())["entries"]
    assert any(e["status"] != "done" for e in done_before), "killed too late to test anything"
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    reference, _ = uninterrupted
    assert _json_outputs(out) == _json_outputs(reference)
    assert not list(out.rglob(".*.tmp")), "no half-written files may remain"


def test_the_ray_engine_runs_the_same_batch(uninterrupted, tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "ray"
    result = run_batch(_premises(tmp_path), out, engine="ray", workers=2)
    assert (result.done, result.failed) == (N, 0)
    reference, _ = uninterrupted
    assert _json_outputs(out) == _json_outputs(reference)


def test_a_bad_line_reports_every_error_not_just_the_first(tmp_path):
    path = tmp_path / "premises.jsonl"
    path.write_text(json.dumps({"id": "", "premise": "", "episodes": 0, "lang": "fr"}) + "\n")
    (line,) = read_jobs(path)
    assert line.job is None
    for where in ("id: ", "premise: ", "episodes: ", "lang: "):
        assert where in line.error, line.error
