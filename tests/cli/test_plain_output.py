"""Every command's output, sent to a file or a pipe with a narrow COLUMNS, loses nothing: no path
broken across lines, no table cell cut short (tables come out as tab-separated lines)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import EN_PREMISE, ZH_PREMISE

# every command of cli.py; the tests below pipe the output of each (`write`: in test_llm_writer)
COVERED = {"run", "write", "storyboard", "export", "review", "batch", "analyze", "genres", "schema",
           "models", "models tiny-llm", "models tiny-sd", "models smollm2", "models gemma3-270m",
           "models gguf", "models qwen2.5-coder-1.5b"}
NARROW = "24"


def _commands() -> set[str]:
    import typer

    from aiscript.cli import app

    def walk(cmd, prefix: str) -> set[str]:
        names = {prefix} if prefix else set()
        for name, sub in getattr(cmd, "commands", {}).items():
            names |= walk(sub, f"{prefix} {name}".strip())
        return names

    return walk(typer.main.get_command(app), "")


def test_every_command_of_the_cli_is_covered_by_the_pipe_test():
    assert _commands() == COVERED


def piped(*args: object, tmp: Path, columns: str = NARROW) -> tuple[int, str, str]:
    """The command with stdout and stderr redirected to files, at a narrow COLUMNS."""
    o, e = tmp / "stdout.txt", tmp / "stderr.txt"
    with o.open("wb") as fo, e.open("wb") as fe:
        rc = subprocess.run([sys.executable, "-m", "aiscript", *map(str, args)], stdout=fo,
                            stderr=fe, env={**os.environ, "COLUMNS": columns,
                                            "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}).returncode
    return rc, o.read_text(encoding="utf-8"), e.read_text(encoding="utf-8")


TOKENIZER_FILES = ("tokenizer", "special_tokens_map", "vocab", "merges")


def assert_help_names_every_file(command: list[str], folder: Path, tmp: Path,
                                 names: dict[str, str] | None = None, top: bool = False) -> None:
    """Every file the command wrote into ``folder`` is named in its ``--help``: episode numbers
    as ep001, frames as 1-1-1.png, character sheets as hero.png, a script's name as NAME."""
    rc, text, err = piped(*command, "--help", tmp=tmp, columns="100")
    assert rc == 0, err
    missing = set()
    for path in folder.iterdir() if top else folder.rglob("*"):
        if path.is_dir() and not top:
            continue
        parts = [re.sub(r"ep\d{3}", "ep001", p) for p in path.relative_to(folder).parts]
        for k, v in (names or {}).items():
            parts = [p.replace(k, v) for p in parts]
        if path.is_dir():  # top level only: the folder itself
            parts = [parts[0], ""]
        name = re.sub(r"^\d+-\d+-\d+\.png$", "1-1-1.png", parts[-1])
        if len(parts) > 1 and parts[-2] == "characters":
            name = "hero.png"
        if name.startswith(TOKENIZER_FILES):
            name = "tokenizer files"
        if name == "chat_template.jinja":
            name = "chat template"
        for needle in [f"{p}/" for p in parts[:-1]] + ([name] if name else []):
            if needle not in text:
                missing.add(needle)
    assert not missing, f"{' '.join(command)} --help does not name {sorted(missing)}"


def tsv(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


@pytest.fixture(scope="module")
def deep(tmp_path_factory) -> Path:
    """A folder whose path is far wider than the console, with rich markup in its name."""
    d = tmp_path_factory.mktemp("pipe") / "a folder name [bold]much wider[red] than the console"
    d.mkdir()
    return d


@pytest.fixture(scope="module")
def season(deep) -> Path:
    rc, out, err = piped("run", ZH_PREMISE, "-n", "2", "--out", deep / "zh season", tmp=deep)
    assert rc == 0, err
    assert f"-> {deep / 'zh season'}\n" in out, out
    assert f"review pages -> {deep / 'zh season' / 'review' / 'index.html'}\n" in out, out
    assert_help_names_every_file(["run"], deep / "zh season", deep)
    return deep / "zh season"


def test_run_storyboard_and_export_print_their_folders_whole(season, deep):
    rc, out, err = piped("storyboard", season / "episodes/ep001.json", "--out", deep / "boards",
                         tmp=deep)
    assert rc == 0, err
    assert f"-> {deep / 'boards'}\n" in out, out
    assert_help_names_every_file(["storyboard"], deep / "boards", deep, names={"ep001": "NAME"})
    pytest.importorskip("srt")
    rc, out, err = piped("export", season, "--to", "srt", tmp=deep)
    assert rc == 0, err
    assert out.endswith(f" files -> {season / 'edit'}\n") and out.count("\n") == 1, out
    assert_help_names_every_file(["export"], season / "edit", deep)
    rc, out, err = piped("review", season, tmp=deep)
    assert rc == 0 and out == f"review pages -> {season / 'review' / 'index.html'}\n", err
    assert_help_names_every_file(["review"], season / "review", deep)


def test_analyze_prints_every_cell_whole_as_in_its_json(season, deep):
    rc, out, err = piped("analyze", season, tmp=deep)
    assert rc == 0, err
    rows = tsv(out)
    assert rows[0] == ["script", "lang", "length", "hook", "pivots", "twists", "cliffhanger",
                       "warn"]
    rc, js, err = piped("analyze", season, "--json", tmp=deep)
    reports = json.loads(js)["episodes"]
    assert len(rows) == 1 + len(reports) == 3
    for row, r in zip(rows[1:], reports, strict=True):
        c = r["cliffhanger"]
        assert row[0] == Path(r["source"]).name
        h = r["hook"]  # a verdict within the unsure band says so before its kind

        def cell(v, present):
            if v.get("verdict") == "unsure":
                return f"unsure {v['kind'] or ''} {v['score']:.2f}".replace("  ", " ")
            return f"{v['kind']} {v['score']:.2f}" if present else f"none {v['score']:.2f}"
        assert row[3] == cell(h, h["present"])
        assert row[6] == cell(c, c["present"])
        assert row[7] == str(len(r["warnings"]))
    for r in reports:  # each warning on one line, whole
        for w in r["warnings"]:
            assert f"{Path(r['source']).name}: {w}\n" in out
    rc, out, err = piped("analyze", season, "--plot", deep / "curve.png", tmp=deep)
    assert rc == 0, err
    assert (deep / "curve_001.png").is_file() and (deep / "curve_002.png").is_file()
    rc, text, err = piped("analyze", "--help", tmp=deep, columns="100")
    assert "--plot c.png writes c.png for one script, and c_001.png," in text


def test_batch_prints_its_summary_and_every_error_whole(deep):
    jobs = deep / "premises.jsonl"
    jobs.write_text(json.dumps({"id": "one", "premise": EN_PREMISE, "episodes": 1, "lang": "en"})
                    + "\n" + json.dumps({"id": "", "premise": "", "episodes": 0}) + "\n",
                    encoding="utf-8")
    rc, out, err = piped("batch", jobs, "--out", deep / "runs", "--renderer", "none", tmp=deep)
    assert rc == 2, err  # the bad line
    assert_help_names_every_file(["batch"], deep / "runs", deep, names={"one": "ID"}, top=True)
    assert out.splitlines()[0] == f"# batch 1/1 -> {deep / 'runs'}"
    assert ["skipped (already done)", "0"] in tsv(out) and ["done", "1"] in tsv(out)
    line2 = [x for x in err.splitlines() if x.startswith("line 2")]
    assert len(line2) == 1 and all(k in line2[0] for k in ("id:", "premise:", "episodes:")), err
    rc, out, err = piped("batch", jobs, "--out", deep / "runs", "--renderer", "none", "--json",
                         tmp=deep)
    body = json.loads(out)
    assert body["out"] == str(deep / "runs") and body["skipped (already done)"] == "1"


def test_genres_and_models_tables_are_whole(deep):
    from aiscript.backends.modelhub import cached_ids, registry
    from aiscript.craft import load_genres

    rc, out, err = piped("genres", tmp=deep)
    assert rc == 0, err
    assert tsv(out)[1:] == [[g.id, g.name.zh, g.name.en, "; ".join(g.tropes.en[:2])]
                            for g in load_genres().values()]
    rc, out, err = piped("genres", "--json", tmp=deep)
    assert [g["id"] for g in json.loads(out)] == list(load_genres())
    rc, out, err = piped("models", tmp=deep)
    assert rc == 0, err
    cached = cached_ids()
    assert tsv(out)[1:len(sum(registry().values(), [])) + 1] == [
        [k, m["id"], m["role"], m["licence"], f"{m['memory_gb_bf16']:.1f}",
         "yes" if m["id"] in cached else "-"] for k, e in registry().items() for m in e]
    rc, out, err = piped("models", "--json", tmp=deep)
    assert {m["model"] for m in json.loads(out)} >= {m["id"] for e in registry().values() for m in e}


def test_schema_prints_whole_lines(deep):
    from aiscript.schema import MODELS

    rc, out, err = piped("schema", "list", tmp=deep)
    assert out.splitlines() == list(MODELS)
    rc, out, err = piped("schema", "Episode", tmp=deep)
    assert json.loads(out)["title"] == "Episode"


def test_model_commands_print_their_folders_and_errors_whole(deep):
    pytest.importorskip("transformers")
    pytest.importorskip("xgrammar")
    rc, out, err = piped("models", "tiny-llm", deep / "tiny llm", tmp=deep)
    assert rc == 0 and out == f"tiny qwen2 written to {deep / 'tiny llm'}\n", err
    assert_help_names_every_file(["models", "tiny-llm"], deep / "tiny llm", deep)
    # `write` with a tiny model: test_llm_writer's CLI test checks its piped output and --help
    pytest.importorskip("diffusers")
    rc, out, err = piped("models", "tiny-sd", deep / "tiny sd", tmp=deep)
    assert rc == 0 and out == f"tiny Stable Diffusion pipeline written to {deep / 'tiny sd'}\n", err
    assert_help_names_every_file(["models", "tiny-sd"], deep / "tiny sd", deep)
    # the packaged and GGUF converters, stopped before the heavy work: one error line, whole
    taken = deep / "tiny sd"
    bad = deep / "not a model.gguf"
    bad.write_bytes(b"GGUF\x03\x00garbage")
    for args in (("models", "smollm2", taken), ("models", "gemma3-270m", taken),
                 ("models", "gguf", bad, deep / "gguf out")):
        rc, out, err = piped(*args, tmp=deep)
        assert rc == 2 and len(err.splitlines()) == 2, err
        problem, fix = err.splitlines()
        assert problem.startswith("error: ") and fix.startswith("  fix: ")
        assert (str(taken) in problem or "not installed" in problem or str(bad) in problem), err
    # the parted Qwen model into a path that is a file: a progress line, then the error, whole
    rc, out, err = piped("models", "qwen2.5-coder-1.5b", bad, tmp=deep)
    assert rc == 2 and out == "", err
    problem, fix = err.splitlines()[-2:]
    assert problem.startswith("error: ") and fix.startswith("  fix: ")
    assert str(bad) in problem or "are not installed" in problem, err
