"""Reliability defects, one test each: linear readers, deterministic files, user-caused
exceptions mapped to one line and exit 2, models checked before any heavy work."""

from __future__ import annotations

import errno
import json
import os
import signal
import time
from pathlib import Path

import pytest

from aiscript.errors import AiscriptError

from ..conftest import EN_PREMISE, ZH_PREMISE


def _cli(capsys, *args: str) -> tuple[int, str]:
    from aiscript.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out + out.err


# --------------------------------------------------------------------------- linear readers


HOSTILE = {
    "opening quotes": lambda n: "“a" * n,
    "straight quotes": lambda n: '"a' * n,
    "blank lines": lambda n: "She runs.\n" + " \n" * n + "He stops.",
    "spaces before a colon": lambda n: "林晚" + " " * n + "x\n",
    "unclosed fountain notes": lambda n: "INT. ROOM - DAY\n\n" + "[[" * n,
    "unclosed boneyard": lambda n: "INT. ROOM - DAY\n\n" + "/*a" * n,
    "a long padded slug": lambda n: "INT. ROOM" + " " * n + "x\n\nBOB\nHi.",
}


def _seconds(text: str, name: str) -> float:
    from aiscript.analysis.formats import read_text

    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        try:
            read_text(text, name)
        except AiscriptError:
            pass
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("kind", HOSTILE)
def test_script_readers_take_time_linear_in_the_input(kind):
    make = HOSTILE[kind]
    name = "ep.fountain" if "fountain" in kind or "boneyard" in kind or "slug" in kind else "ep.txt"
    small, large = _seconds(make(25_000), name), _seconds(make(200_000), name)
    # 8x the input: about 8x the time when linear, 64x when quadratic
    assert large / max(small, 0.01) < 32, (small, large)


def test_half_a_million_opening_quotes_are_read_in_seconds():
    from aiscript.analysis.formats import read_text

    def hung(*_):
        raise TimeoutError("the reader hung")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        script = read_text("“a" * 500_000, "novel.txt")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert script.format == "prose" and script.elements


# --------------------------------------------------------------------------- deterministic files


def test_a_resumed_season_is_byte_identical_pdfs_included(en_run, tmp_path):
    import shutil

    from aiscript.pipeline import run

    full, part = Path(en_run.out), tmp_path / "part"  # the session's run(EN_PREMISE, 3, "en")
    shutil.copytree(full, part)
    made = (full / "storyboards/ep001/contact_sheet.pdf").stat().st_mtime
    time.sleep(max(0.0, made + 1.1 - time.time()))  # a PDF time stamp would now differ
    (part / "storyboards/ep001/contact_sheet.pdf").unlink()
    (part / "storyboards/ep001/storyboard.json").unlink()
    run(EN_PREMISE, episodes=3, lang="en", out=part, resume=True)

    def files(root: Path) -> dict[str, bytes]:  # .otio holds the folder's absolute path
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.suffix in (".json", ".pdf", ".png", ".csv", ".fountain", ".gif", ".html",
                                ".fdx", ".srt", ".vtt")}

    assert files(part) == files(full)
    assert (full / "storyboards/ep001/contact_sheet.pdf").read_bytes()[:5] == b"%PDF-"


# --------------------------------------------------------------------------- error mapping


def test_a_full_disk_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    import aiscript.files as files

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full)
    code, out = _cli(capsys, "run", ZH_PREMISE, "-n", "1", "--out", str(tmp_path / "o"))
    assert code == 2 and "No space left on device" in out and "free some disk space" in out
    assert not (tmp_path / "o").exists()  # the folder it created, still empty, is gone


def test_a_chat_template_the_sandbox_refuses_is_one_line_and_exit_2(tmp_path, capsys):
    from aiscript.backends.tiny import build_tiny_llm

    model = build_tiny_llm(tmp_path / "lm")
    (model / "chat_template.jinja").write_text("{{ messages.append(1) }}", encoding="utf-8")
    config = json.loads((model / "tokenizer_config.json").read_text())
    config.pop("chat_template", None)
    (model / "tokenizer_config.json").write_text(json.dumps(config))
    code, out = _cli(capsys, "write", ZH_PREMISE, "-n", "1", "--model", str(model), "--out",
                     str(tmp_path / "o"), "--device", "cpu")
    assert code == 2 and "chat template" in out and "Traceback" not in out


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this machine has CUDA")
def test_cuda_without_cuda_is_refused_before_any_work(tmp_path, capsys):
    code, out = _cli(capsys, "run", ZH_PREMISE, "--device", "cuda", "--out", str(tmp_path / "o"))
    assert code == 2 and "CUDA is not available" in out and "--device cpu" in out
    assert not (tmp_path / "o").exists()


def test_a_hub_id_is_looked_up_offline_and_named_when_missing(monkeypatch):
    from aiscript.backends import modelcheck

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with pytest.raises(AiscriptError, match="not in the local cache"):
        modelcheck.model_ref("--image-model", "nobody-aiscript/no-such-model", "model_index.json")
    assert "HF_HUB_OFFLINE" not in os.environ  # a library call leaves the process's settings


def test_clip_is_checked_before_any_frame_is_rendered(tmp_path, capsys, monkeypatch):
    import aiscript.storyboard.frames as frames

    def never(*a, **k):
        raise AssertionError("frames rendered before --clip was checked")

    monkeypatch.setattr(frames, "render_storyboards", never)
    code, out = _cli(capsys, "run", ZH_PREMISE, "--clip", str(tmp_path / "clip"), "--out",
                     str(tmp_path / "o"))
    assert code == 2 and "--clip" in out and "does not exist" in out


def test_batch_exits_non_zero_when_a_series_failed(tmp_path, capsys):
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"id": "a", "premise": EN_PREMISE, "lang": "en"}) + "\n")
    out = tmp_path / "out"
    assert _cli(capsys, "batch", str(jobs), "--out", str(out), "--renderer", "none")[0] == 0
    (out / "b").mkdir()
    (out / "b/mine.txt").write_text("a user's folder")
    jobs.write_text(jobs.read_text() + json.dumps({"id": "b", "premise": ZH_PREMISE}) + "\n")
    code, text = _cli(capsys, "batch", str(jobs), "--out", str(out), "--renderer", "none")
    assert code == 1 and "failed" in text and "not made by aiscript" in text
    assert (out / "b/mine.txt").read_text() == "a user's folder"


def test_two_episodes_with_one_number_cannot_share_frames(tmp_path):
    from aiscript.drafting.template import TemplateWriter
    from aiscript.pipeline import storyboard_episodes
    from aiscript.schema import Episode
    from aiscript.storyboard.sketch import SketchRenderer

    ep = Episode.example()
    bible = TemplateWriter().plan(__import__("aiscript.schema").schema.Premise(
        text=ZH_PREMISE, language="zh", episodes=1)).bible
    with pytest.raises(AiscriptError, match="same number"):
        storyboard_episodes(bible, [ep, ep], SketchRenderer(), tmp_path / "boards")
    assert not (tmp_path / "boards").exists()


def test_utf16_is_read_with_a_bom_and_named_without_one(tmp_path):
    from aiscript.analysis.formats import read_path

    (tmp_path / "bom.txt").write_bytes("林晚：我不干了！".encode("utf-16"))
    assert read_path(tmp_path / "bom.txt").elements[0].speaker == "林晚"
    (tmp_path / "le.txt").write_bytes("Ava: I quit!".encode("utf-16-le"))
    with pytest.raises(AiscriptError, match="UTF-16 text without a byte-order mark"):
        read_path(tmp_path / "le.txt")


def test_reads_stop_at_the_limit(tmp_path):
    from aiscript.files import read_limited

    with pytest.raises(AiscriptError, match="is a device"):
        read_limited("/dev/zero", 1000)
    (tmp_path / "big").write_bytes(b"x" * 2000)
    with pytest.raises(AiscriptError, match="over the 1 kB limit"):
        read_limited(tmp_path / "big", 1000)
    assert read_limited(tmp_path / "big", 2000) == b"x" * 2000
