from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import EN_PREMISE, ZH_PREMISE


def aiscript(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from aiscript.cli import main; main()", *args],
        capture_output=True, text=True, cwd=cwd, env={**os.environ, "COLUMNS": "120"},
    )


def test_run_from_a_premise_file_writes_the_documented_layout(tmp_path):
    premise = tmp_path / "premise.txt"
    premise.write_text(ZH_PREMISE, encoding="utf-8")
    out = tmp_path / "season"
    r = aiscript("run", str(premise), "--episodes", "2", "--out", str(out))
    assert r.returncode == 0, r.stderr
    for rel in ("series.json", "shotlist.csv", "episodes/ep001.json", "episodes/ep002.fountain",
                "storyboards/ep001/contact_sheet.html", "storyboards/ep002/contact_sheet.pdf",
                "storyboards/ep001/1-1-1.png"):
        assert (out / rel).is_file(), rel
    assert "rendering frames" in r.stderr  # progress is shown
    series = json.loads((out / "series.json").read_text(encoding="utf-8"))
    assert series["bible"]["language"] == "zh" and series["bible"]["logline"] == ZH_PREMISE


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["run", "   ", "--out", "{out}"], "premise is empty"),
        (["run", "x" * 5000, "--out", "{out}"], "over the 4000 limit"),
        (["run", "A premise.", "--episodes", "0", "--out", "{out}"], "episodes must be between"),
        (["run", "A premise.", "--episodes", "500", "--out", "{out}"], "episodes must be between"),
        (["run", "A premise.", "--lang", "fr", "--out", "{out}"], "unknown language"),
        (["run", "A premise.", "--genre", "western", "--out", "{out}"], "unknown genre"),
        (["run", "A premise.", "--out", "/proc/aiscript-cannot-write"], "cannot write"),
        (["schema", "Nope"], "unknown model"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_status_2(args, needle, tmp_path):
    args = [a.replace("{out}", str(tmp_path / "o")) for a in args]
    r = aiscript(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert needle in r.stderr
    assert "Traceback" not in r.stderr and "fix:" in r.stderr


def test_an_existing_output_directory_is_never_destroyed(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    r = aiscript("run", EN_PREMISE, "-n", "1", "--out", str(out))
    assert r.returncode == 2 and "already exists" in r.stderr
    assert (out / "notes.txt").read_text() == "my notes" and len(list(out.iterdir())) == 1


def test_resume_finishes_an_interrupted_run_with_the_same_result(zh_run, tmp_path):
    full, part = Path(zh_run.out), tmp_path / "part"  # the session's run: run(ZH_PREMISE, episodes=3)
    shutil.copytree(full, part)
    (part / "episodes/ep002.json").unlink()  # as if killed mid-way
    (part / "storyboards/ep001/1-1-2.png").unlink()
    r = aiscript("run", ZH_PREMISE, "-n", "3", "--out", str(part), "--resume")
    assert r.returncode == 0, r.stderr
    for rel in ("series.json", "episodes/ep002.json", "storyboards/ep001/1-1-2.png"):
        assert (part / rel).read_bytes() == (full / rel).read_bytes(), rel


def test_schema_prints_a_models_json_schema():
    r = aiscript("schema", "Episode")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert schema["title"] == "Episode" and "scenes" in schema["properties"]


def test_import_is_fast_and_pulls_in_no_torch():
    code = ("import sys, aiscript; aiscript.run; import aiscript.craft; "
            "print('torch' in sys.modules, 'diffusers' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.split() == ["False", "False"], r.stderr


def test_run_writes_an_mp4_animatic_on_request(tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    out = tmp_path / "m"
    r = aiscript("run", EN_PREMISE, "-n", "1", "--lang", "en", "--out", str(out), "--mp4")
    assert r.returncode == 0, r.stderr
    import imageio.v2 as imageio

    from aiscript.schema import Storyboard

    board = Storyboard.model_validate_json((out / "storyboards/ep001/storyboard.json").read_bytes())
    with imageio.get_reader(out / "storyboards/ep001/animatic.mp4") as reader:
        seconds = reader.count_frames() / reader.get_meta_data()["fps"]
    assert seconds == pytest.approx(sum(f.duration_s for f in board.frames), abs=len(board.frames) / 12)


def test_resume_refuses_a_folder_holding_another_season(zh_run, tmp_path):
    out = tmp_path / "s"
    shutil.copytree(Path(zh_run.out), out)  # a 3-episode season
    r = aiscript("run", ZH_PREMISE, "-n", "2", "--out", str(out), "--resume")
    assert r.returncode == 2 and "holds a season from other inputs" in r.stderr


@pytest.mark.parametrize("args", [["run"], ["run", "x", "--episodes", "abc"], ["bogus"],
                                  ["analyze", "/no/such/script.fountain"]])
def test_usage_errors_exit_2_without_a_traceback(args):
    r = aiscript(*args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "rror" in r.stderr


def test_help_works():
    r = aiscript("--help")
    assert r.returncode == 0 and "run" in r.stdout and "analyze" in r.stdout
