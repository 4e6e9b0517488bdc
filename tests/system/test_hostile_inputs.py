"""The bad-input corpus: what a hostile (or unlucky) user types, and what must happen.

Every case is a command line with its expected exit status. Whatever the input, aiscript
prints no traceback, does not hang, and changes nothing outside the output folder of the case.

Run in-process by default (fast). ``AISCRIPT_CORPUS=subprocess`` runs each case as
``python -m aiscript`` with a timeout and a memory cap instead, which also measures an older
checkout that could hang or exhaust memory::

    AISCRIPT_CORPUS=subprocess python -m pytest -q tests/test_hostile_inputs.py
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import EN_PREMISE, ZH_PREMISE

SUBPROCESS = os.environ.get("AISCRIPT_CORPUS") == "subprocess"
TIMEOUT_S = 60


@dataclass
class Case:
    id: str
    group: str
    args: list[str]
    expect: int = 2
    setup: Callable[[Path], None] | None = None
    needle: str = ""  # must appear in the output (stdout + stderr)
    outs: tuple[str, ...] = ("out",)  # what the case may write under its folder


# --------------------------------------------------------------------------- setups


def _episode(number: int = 1, **shot) -> dict:
    from aiscript.schema import Episode

    data = json.loads(Episode.example().model_dump_json())
    data["number"] = number
    data["scenes"][0]["shots"][0].update(shot)
    return data


def _write(rel: str, content: str | bytes) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return setup


def _fifo(tmp: Path) -> None:
    os.mkfifo(tmp / "pipe.txt")


def _many(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        for s in setups:
            s(tmp)
    return setup


def _foreign_folder(tmp: Path) -> None:
    _write("out/series.json", '{"mine": true}')(tmp)
    _write("out/shotlist.csv", "my,own,shots")(tmp)
    _write("out/.draft.swp.tmp", "editor state")(tmp)
    _write("out/episodes/.ep001.json.k2j4_x9q.tmp", "an older temp name")(tmp)


def _lm_config(arch: str, index: dict | None = None) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        _write("lm/config.json", json.dumps({"architectures": [arch], "model_type": "qwen2"}))(tmp)
        if index is not None:
            _write("lm/model.safetensors.index.json", json.dumps(index))(tmp)
    return setup


def _episode_file(rel: str, number: int = 1, **shot) -> Callable[[Path], None]:
    return _write(rel, json.dumps(_episode(number, **shot), ensure_ascii=False))


def _jobs(*lines: str) -> Callable[[Path], None]:
    return _write("jobs.jsonl", "\n".join(lines) + "\n")


_JOB = json.dumps({"id": "a", "premise": EN_PREMISE, "lang": "en", "episodes": 1})

CASES = [
    # ---- data loss: folders aiscript did not make are refused, never rewritten
    Case("resume-into-a-foreign-folder", "data", ["run", ZH_PREMISE, "-n", "1", "--out", "{tmp}/out",
         "--resume"], setup=_foreign_folder, needle="not made by aiscript", outs=()),
    Case("batch-into-a-foreign-folder", "data", ["batch", "{tmp}/jobs.jsonl", "--out", "{tmp}/out",
         "--renderer", "none"], setup=_many(_foreign_folder, _jobs(_JOB)), outs=()),
    Case("run-into-a-non-empty-folder", "data", ["run", ZH_PREMISE, "--out", "{tmp}/out"],
         setup=_foreign_folder, needle="already exists", outs=()),
    # ---- hangs
    Case("analyze-a-fifo", "hang", ["analyze", "{tmp}/pipe.txt"], setup=_fifo, needle="FIFO"),
    Case("premise-from-a-fifo", "hang", ["run", "{tmp}/pipe.txt", "--out", "{tmp}/out"],
         setup=_fifo, needle="FIFO"),
    Case("prose-with-500k-opening-quotes", "hang", ["analyze", "{tmp}/quotes.txt"], expect=0,
         setup=_write("quotes.txt", "“a" * 499_000)),
    Case("prose-with-200k-blank-lines", "hang", ["analyze", "{tmp}/blank.txt"], expect=0,
         setup=_write("blank.txt", "She runs.\n" + " \n" * 200_000 + "He stops.")),
    # ---- unbounded reads
    Case("analyze-dev-zero", "read", ["analyze", "/dev/zero"], needle="device"),
    Case("premise-dev-zero", "read", ["run", "/dev/zero", "--out", "{tmp}/out"], needle="device"),
    Case("analyze-a-3mb-script", "read", ["analyze", "{tmp}/big.txt"],
         setup=_write("big.txt", "林晚：我不干了。\n" * 120_000), needle="limit"),
    Case("premise-file-of-1mb", "read", ["run", "{tmp}/premise.txt", "--out", "{tmp}/out"],
         setup=_write("premise.txt", "x" * 1_000_000), needle="limit"),
    # ---- tracebacks that must become one line and exit 2
    Case("deeply-nested-json", "trace", ["analyze", "{tmp}/deep.json"],
         setup=_write("deep.json", "[" * 100_000 + "]" * 100_000), needle="nested"),
    Case("5000-digit-json-number", "trace", ["analyze", "{tmp}/num.json"],
         setup=_write("num.json", '{"number": ' + "9" * 5000 + "}")),
    Case("5000-digit-number-in-episode", "trace", ["storyboard", "{tmp}/ep.json", "--model", "sketch",
         "--out", "{tmp}/out"], setup=_write("ep.json", '{"number": ' + "9" * 5000 + "}")),
    Case("deeply-nested-batch-line", "trace", ["batch", "{tmp}/jobs.jsonl", "--out", "{tmp}/out"],
         setup=_jobs('{"id": ' + "[" * 50_000 + "]" * 50_000 + "}")),
    Case("tilde-unknown-user-premise", "trace", ["run", "~nosuchuser stands at the altar.", "-n", "1",
         "--lang", "en", "--out", "{tmp}/out"], expect=0),
    Case("300-char-out-name", "trace", ["run", ZH_PREMISE, "--out", "{tmp}/" + "o" * 300],
         needle="too long", outs=()),
    Case("batch-out-is-a-file", "trace", ["batch", "{tmp}/jobs.jsonl", "--out", "{tmp}/f.txt"],
         setup=_many(_jobs(_JOB), _write("f.txt", "a file")), outs=()),
    Case("batch-out-in-proc", "trace", ["batch", "{tmp}/jobs.jsonl", "--out", "/proc/aiscript-x"],
         setup=_jobs(_JOB)),
    Case("out-below-a-file", "trace", ["run", ZH_PREMISE, "--out", "{tmp}/f.txt/sub"],
         setup=_write("f.txt", "a file"), outs=()),
    Case("batch-size-0", "trace", ["run", ZH_PREMISE, "--batch-size", "0", "--out", "{tmp}/out"],
         needle="--batch-size"),
    Case("batch-size-negative", "trace", ["batch", "{tmp}/jobs.jsonl", "--batch-size", "-1",
         "--out", "{tmp}/out"], setup=_jobs(_JOB), needle="--batch-size"),
    Case("device-tpu", "trace", ["run", ZH_PREMISE, "--device", "tpu", "--out", "{tmp}/out"],
         needle="--device"),
    Case("size-0x0", "trace", ["run", ZH_PREMISE, "--renderer", "diffusers", "--image-model",
         "{tmp}/nope", "--size", "0x0", "--out", "{tmp}/out"], needle="--size"),
    Case("size-negative", "trace", ["run", ZH_PREMISE, "--renderer", "diffusers", "--image-model",
         "{tmp}/nope", "--size", "-64x64", "--out", "{tmp}/out"], needle="--size"),
    Case("size-huge", "trace", ["storyboard", "{tmp}/ep.json", "--model", "{tmp}/nope", "--size",
         "100000x100000", "--out", "{tmp}/out"], setup=_episode_file("ep.json"), needle="--size"),
    Case("clip-missing", "trace", ["run", ZH_PREMISE, "-n", "1", "--clip", "{tmp}/no-clip",
         "--out", "{tmp}/out"], needle="--clip"),
    Case("shot-id-dotdot", "trace", ["storyboard", "{tmp}/ep.json", "--model", "sketch", "--out",
         "{tmp}/out"], expect=0, setup=_episode_file("ep.json", id="..")),
    Case("shot-id-slashes", "trace", ["storyboard", "{tmp}/ep.json", "--model", "sketch", "--out",
         "{tmp}/out"], expect=0, setup=_episode_file("ep.json", id="../../escaped")),
    Case("shot-id-nul", "trace", ["storyboard", "{tmp}/ep.json", "--model", "sketch", "--out",
         "{tmp}/out"], expect=0, setup=_episode_file("ep.json", id="a\x00b")),
    Case("shot-id-300-chars", "trace", ["storyboard", "{tmp}/ep.json", "--model", "sketch", "--out",
         "{tmp}/out"], expect=0, setup=_episode_file("ep.json", id="s" * 300)),
    Case("duration-infinity", "trace", ["storyboard", "{tmp}/ep.json", "--model", "sketch", "--out",
         "{tmp}/out"], setup=_write("ep.json", json.dumps(_episode()).replace(
             '"duration_s": 3.0', '"duration_s": Infinity', 1)), needle="ep.json"),
    Case("paywall-negative", "trace", ["analyze", "{tmp}/a.txt", "{tmp}/b.txt", "--paywall", "-1"],
         setup=_many(_write("a.txt", "林晚：我不干了！"), _write("b.txt", "顾言：站住。")),
         needle="--paywall"),
    Case("plot-to-a-folder", "trace", ["analyze", "{tmp}/a.txt", "--plot", "{tmp}/plots"],
         setup=_many(_write("a.txt", "林晚：我不干了！"), lambda t: (t / "plots").mkdir()),
         needle="--plot", outs=("plots",)),
    Case("markup-in-a-file-name", "trace", ["analyze", "{tmp}/[/]x[bold].txt"],
         setup=_write("[/]x[bold].txt", "")),
    # ---- silent acceptance
    Case("batch-every-line-invalid", "silent", ["batch", "{tmp}/jobs.jsonl", "--out", "{tmp}/out"],
         setup=_jobs("{not json", '{"id": "x"}')),
    Case("analyze-an-empty-folder", "silent", ["analyze", "{tmp}/empty"],
         setup=lambda t: (t / "empty").mkdir(), needle="no scripts"),
    Case("steps-0", "silent", ["run", ZH_PREMISE, "--renderer", "diffusers", "--image-model",
         "{tmp}/nope", "--steps", "0", "--out", "{tmp}/out"], needle="--steps"),
    Case("steps-negative", "silent", ["storyboard", "{tmp}/ep.json", "--model", "{tmp}/nope",
         "--steps", "-3", "--out", "{tmp}/out"], setup=_episode_file("ep.json"), needle="--steps"),
    Case("guidance-nan", "silent", ["run", ZH_PREMISE, "--renderer", "diffusers", "--image-model",
         "{tmp}/nope", "--guidance", "nan", "--out", "{tmp}/out"], needle="--guidance"),
    Case("out-empty-string", "silent", ["run", ZH_PREMISE, "--out", ""], needle="--out"),
    Case("premise-is-a-folder", "silent", ["run", "{tmp}/folder", "--out", "{tmp}/out"],
         setup=lambda t: (t / "folder").mkdir(), needle="folder"),
    Case("two-episodes-numbered-1", "silent", ["storyboard", "{tmp}/a/ep.json", "{tmp}/b/ep.json",
         "--model", "sketch", "--out", "{tmp}/out"],
         expect=0, setup=_many(_episode_file("a/ep.json"), _episode_file("b/ep.json"))),
    Case("causal-lm-as-scorer", "silent", ["analyze", "{tmp}/a.txt", "--scorer", "{tmp}/lm"],
         setup=_many(_write("a.txt", "林晚：我不干了！"), _lm_config("Qwen2ForCausalLM")),
         needle="classifier"),
    Case("series-file-missing", "silent", ["storyboard", "{tmp}/ep.json", "--model", "sketch",
         "--series", "{tmp}/missing.json", "--out", "{tmp}/out"], setup=_episode_file("ep.json"),
         needle="missing.json"),
    Case("shard-index-outside-the-model", "silent", ["write", ZH_PREMISE, "--model", "{tmp}/lm",
         "--out", "{tmp}/out"], setup=_lm_config("Qwen2ForCausalLM", {"weight_map": {
             "lm_head.weight": "../../outside.safetensors"}}), needle="outside"),
    # ---- misleading messages
    Case("utf16-script-with-bom", "message", ["analyze", "{tmp}/u16.txt"], expect=0,
         setup=_write("u16.txt", "林晚：我不干了！\n顾言：站住。".encode("utf-16"))),
    Case("utf16-script-without-bom", "message", ["analyze", "{tmp}/u16.txt"],
         setup=_write("u16.txt", "Ava: I quit!\nEthan: Stop.".encode("utf-16-le")), needle="UTF-16"),
    Case("scorer-missing", "message", ["analyze", "{tmp}/a.txt", "--scorer", "{tmp}/no-scorer"],
         setup=_write("a.txt", "林晚：我不干了！"), needle="--scorer"),
    Case("model-is-a-file", "message", ["write", ZH_PREMISE, "--model", "{tmp}/a.txt", "--out",
         "{tmp}/out"], setup=_write("a.txt", "not a model"), needle="not a folder"),
    Case("image-model-hub-id-not-cached", "message", ["run", ZH_PREMISE, "--renderer", "diffusers",
         "--image-model", "nobody-aiscript/no-such-model", "--out", "{tmp}/out"],
         needle="not in the local cache"),
    Case("ids-sharing-a-folder", "message", ["batch", "{tmp}/jobs.jsonl", "--out", "{tmp}/out",
         "--renderer", "none"], setup=_jobs(_JOB, _JOB.replace('"a"', '"a!"')),
         needle="share the folder name"),
    Case("tiny-llm-into-a-full-folder", "message", ["models", "tiny-llm", "{tmp}/full"],
         setup=_write("full/notes.txt", "mine"), outs=()),
    # ---- files and terminal output
    Case("escape-sequences-in-a-file-name", "files", ["analyze", "{tmp}/\x1b[31mred.txt"], expect=0,
         setup=_write("\x1b[31mred.txt", "林晚：我不干了！\x1b]0;owned\x07")),
]


# --------------------------------------------------------------------------- running


class CaseHung(BaseException):
    """Raised by the alarm: no handler in aiscript may catch it."""


def _snapshot(root: Path, skip: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirs, files in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        if rel.parts and rel.parts[0] in skip:
            continue
        for name in files + dirs:
            p = Path(dirpath) / name
            if rel == Path(".") and name in skip:
                continue
            st = p.lstat()
            out[str(rel / name)] = (st.st_size, st.st_mtime_ns if p.is_file() else 0)
    return out


def _invoke(args: list[str], cwd: Path) -> tuple[int | None, str, bool]:
    """(exit status or None on a hang, output, whether a traceback escaped)."""
    if SUBPROCESS:
        import resource

        def cap() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

        try:
            r = subprocess.run([sys.executable, "-m", "aiscript", *args], capture_output=True,
                               text=True, errors="replace", timeout=TIMEOUT_S, cwd=cwd,
                               preexec_fn=cap, env={**os.environ, "COLUMNS": "120"})
        except subprocess.TimeoutExpired:
            return None, "", False
        return r.returncode, r.stdout + r.stderr, "Traceback" in r.stderr
    from aiscript.cli import main

    buf = io.StringIO()

    def alarm(*_):
        raise CaseHung

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(TIMEOUT_S)
    code: int | None = 0
    escaped = False
    try:
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf), \
                contextlib.chdir(cwd):
            main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except CaseHung:
        code = None
    except BaseException as exc:  # noqa: BLE001 - a traceback the user would see
        code, escaped = 1, True
        buf.write(f"Traceback: {type(exc).__name__}: {exc}"[:2000])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, buf.getvalue(), escaped


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_cleanly(case: Case, tmp_path):
    if case.setup:
        case.setup(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    user_files = _snapshot(tmp_path, case.outs)
    code, output, escaped = _invoke(args, tmp_path)
    assert code is not None, "hung"
    assert not escaped, output[-2000:]
    assert code == case.expect, output[-2000:]
    assert case.needle in output, output[-2000:]
    if case.expect != 0:
        assert "error" in output.lower(), output[-2000:]  # one line naming the problem
    assert "\x1b" not in output and "\x07" not in output, "control characters reached the terminal"
    assert _snapshot(tmp_path, case.outs) == user_files, "files outside --out changed"
    for rel in case.outs:  # whatever was written stayed inside the folder of the case
        assert not any(".." in p.parts for p in (tmp_path / rel).rglob("*"))
    if case.id == "two-episodes-numbered-1":  # each episode keeps its own frames
        assert len(list((tmp_path / "out").rglob("1-1-1.png"))) == 2


def test_the_corpus_covers_every_group_of_the_issue():
    groups = {c.group for c in CASES}
    assert groups == {"data", "hang", "read", "trace", "silent", "message", "files"}
