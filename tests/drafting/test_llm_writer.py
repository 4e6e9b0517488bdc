from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("xgrammar")

from aiscript.backends.chat import LocalChat  # noqa: E402
from aiscript.backends.hf_text import TransformersGenerator, _common_prefix, load_causal_lm  # noqa: E402
from aiscript.backends.tiny import build_tiny_llm  # noqa: E402
from aiscript.drafting.llm import (  # noqa: E402
    LLMWriter,
    episode_schema,
    parse_episode,
    repair_json,
)
from aiscript.errors import AiscriptError  # noqa: E402
from aiscript.schema import Episode, Premise  # noqa: E402

from ..conftest import EN_PREMISE, ZH_PREMISE  # noqa: E402

# a tiny random model writes junk: its season draft and episodes are refused and the planner's
# text stays, by design; those warnings are expected here (the test about the refusal asserts
# them with pytest.warns)
pytestmark = [pytest.mark.filterwarnings("ignore:the season draft was refused:UserWarning"),
              pytest.mark.filterwarnings(r"ignore:episode \d+. no clean draft:UserWarning")]


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory):
    return build_tiny_llm(tmp_path_factory.mktemp("tiny") / "qwen2")


@pytest.fixture(scope="session")
def gen(tiny_dir):
    return TransformersGenerator.from_pretrained(tiny_dir, device="cpu")


def _writer(gen, **kw):
    opts = dict(max_new_tokens=160, max_beats=3, revise_passes=0, batch_size=3, beat_retries=0)
    opts.update(kw)
    return LLMWriter(LocalChat(gen), **opts)


def test_tiny_model_loads_in_float32_on_cpu_from_safetensors(tiny_dir, gen):
    assert (tiny_dir / "model.safetensors").is_file()
    assert not list(tiny_dir.glob("*.bin"))
    p = next(gen.model.parameters())
    assert p.dtype == torch.float32 and p.device.type == "cpu"
    assert type(gen.model).__name__ == "Qwen2ForCausalLM"


def test_a_random_model_drafts_validate_but_its_junk_is_refused_and_recorded(gen):
    w = _writer(gen)
    with pytest.warns(UserWarning, match="the season draft was refused"):
        series = w.plan(Premise(text=ZH_PREMISE, language="zh", episodes=3))
    saved = []
    with pytest.warns(UserWarning, match="no clean draft in 3 tries") as caught:
        episodes = w.write_episodes(series, on_episode=saved.append)
    refused = sorted(str(c.message) for c in caught if "no clean draft" in str(c.message))
    assert [m.split(":")[0] for m in refused] == ["episode 1", "episode 2", "episode 3"]
    assert [e.number for e in saved] == [1, 2, 3]
    for ep, rec in zip(episodes, w.records, strict=True):
        Episode.model_validate_json(ep.model_dump_json())
        assert rec.episode == ep.number and rec.attempts == w.retries + 1
        # random weights never write clean Chinese: every episode is the planner's, recorded
        assert rec.source == "fallback" and rec.rejected
        assert ep == w.drafter.write_episode(series, ep.number)
    assert w.plan_record.source == "fallback" and w.plan_record.rejected


def test_the_random_model_writes_nothing_valid_without_the_schema(gen):
    cast = ["林晚", "顾言"]
    prompt = gen.chat_ids("写 JSON。", "第一集")
    free = gen.generate_ids([prompt], max_new_tokens=80)[0]
    with pytest.raises(ValueError):
        parse_episode(free.text, 2, cast)
    bound = gen.generate_ids([prompt], max_new_tokens=1500, schema=episode_schema(2, cast, "zh"))[0]
    assert bound.finished and len(parse_episode(bound.text, 2, cast).beats) == 2


def _prompts(gen):
    system = "你是短剧编剧。规则：前三秒钩子，结尾悬念。" * 4
    return [gen.chat_ids(system, u) for u in ("第一集：林晚", "Episode 2: Ava Lin", "第三集")]


@pytest.mark.parametrize("constrained", [False, True])
def test_greedy_batched_output_equals_one_by_one(gen, constrained):
    schema = episode_schema(1, ["林晚", "顾言"], "zh") if constrained else None
    prompts = _prompts(gen)
    batched = gen.generate_ids(prompts, max_new_tokens=120, schema=schema, share_prefix=False)
    single = [gen.generate_ids([p], max_new_tokens=120, schema=schema)[0] for p in prompts]
    assert [b.tokens for b in batched] == [s.tokens for s in single]


@pytest.mark.parametrize("constrained", [False, True])
def test_shared_prefix_equals_the_unshared_computation(gen, constrained):
    schema = episode_schema(1, ["林晚", "顾言"], "zh") if constrained else None
    prompts = _prompts(gen)
    assert _common_prefix(prompts) > len(prompts[0]) // 2
    shared = gen.generate_ids(prompts, max_new_tokens=120, schema=schema, share_prefix=True)
    unshared = gen.generate_ids(prompts, max_new_tokens=120, schema=schema, share_prefix=False)
    assert [s.tokens for s in shared] == [u.tokens for u in unshared]


def test_a_batched_chunk_gives_the_same_drafts_as_one_at_a_time(gen):
    w = _writer(gen)
    series = w.plan(Premise(text=EN_PREMISE, language="en", episodes=3))
    together = w.chat.chat([w._job(series, n).prompt for n in (1, 2, 3)], 60,
                           [episode_schema(3, w._cast(w._job(series, 1)), "en")] * 3, 0.0, [0] * 3)
    alone = [w.chat.chat([w._job(series, n).prompt], 60,
                         [episode_schema(3, w._cast(w._job(series, 1)), "en")], 0.0, [0])[0]
             for n in (1, 2, 3)]
    assert [t.tokens for t in together] == [a.tokens for a in alone]


def test_episode_prompts_share_the_bible_and_plan_prefix(gen):
    w = _writer(gen)
    series = w.plan(Premise(text=ZH_PREMISE, language="zh", episodes=4))
    p1, p4 = (gen.chat_ids(*w._job(series, n).prompt) for n in (1, 4))
    assert _common_prefix([p1, p4]) > 0.6 * min(len(p1), len(p4))
    text = gen.tokenizer.decode(p1)
    assert series.bible.title in text and series.plan.episodes[3].summary in text


def test_continuity_ledger_grows_with_the_season(gen):
    w = _writer(gen)
    series = w.plan(Premise(text=ZH_PREMISE, language="zh", episodes=3))
    w.write_episodes(series)
    kinds = {f.kind for f in w.ledger(series).facts}
    assert {"costume", "relationship", "secret"} <= kinds
    assert w.ledger(series).recent()[0].kind == "costume"


def test_repair_json_closes_and_trims_unconstrained_output():
    assert json.loads(repair_json('Sure! {"a": [1, 2,], "b": {"c": "x"')) == {
        "a": [1, 2], "b": {"c": "x"}}
    assert json.loads(repair_json('{"a": "unterminated')) == {"a": "unterminated"}


def test_llama_family_builds_and_generates(tmp_path):
    path = build_tiny_llm(tmp_path / "llama", family="llama")
    g = TransformersGenerator.from_pretrained(path, device="cpu")
    assert type(g.model).__name__ == "LlamaForCausalLM"
    out = g.generate_ids([g.chat_ids("s", "u")], max_new_tokens=5)
    assert len(out[0].tokens) == 5


def test_missing_model_path_is_a_clear_error(tmp_path):
    with pytest.raises(AiscriptError, match="does not exist"):
        load_causal_lm(tmp_path / "nope" / "model")


def test_a_model_that_is_not_a_causal_lm_is_refused(tmp_path):
    from transformers import BertConfig, CLIPTextConfig

    BertConfig(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64,
               architectures=["BertForMaskedLM"]).save_pretrained(tmp_path / "bert")
    CLIPTextConfig(hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                   intermediate_size=64).save_pretrained(tmp_path / "clip")
    for name in ("bert", "clip"):
        with pytest.raises(AiscriptError, match="not a causal language model"):
            load_causal_lm(tmp_path / name)


def test_corrupt_and_pickle_only_checkpoints_are_refused(tiny_dir, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(tiny_dir, bad)
    (bad / "model.safetensors").write_bytes(b"\x00garbage" * 100)
    with pytest.raises(AiscriptError, match="cannot load the weights"):
        load_causal_lm(bad)
    pickled = tmp_path / "pickled"
    shutil.copytree(tiny_dir, pickled)
    (pickled / "model.safetensors").unlink()
    torch.save({}, pickled / "pytorch_model.bin")
    with pytest.raises(AiscriptError, match="safetensors only"):
        load_causal_lm(pickled)


def _cli(*args):
    return subprocess.run([sys.executable, "-c", "from aiscript.cli import main; main()", *args],
                          capture_output=True, text=True,
                          env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin",
                               "OMP_NUM_THREADS": "1", **_pythonpath()})


def _pythonpath():
    import os

    return {"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}


def test_cli_write_runs_offline_records_and_errors_exit_2(tiny_dir, tmp_path):
    r = _cli("write", EN_PREMISE, "--model", str(tiny_dir), "-n", "1", "--out",
             str(tmp_path / "o"), "--threads", "1", "--max-new-tokens", "64")
    assert r.returncode == 0, r.stderr
    Episode.model_validate_json((tmp_path / "o/episodes/ep001.json").read_bytes())
    log = json.loads((tmp_path / "o/writing.json").read_text())
    assert [e["source"] for e in log["episodes"]] == ["fallback"]
    assert "tok/s" in r.stdout and "1 written by the planner (fallback)" in r.stdout
    # stdout is a pipe: each line whole, the path unbroken; every file it wrote is in --help
    assert f"episodes -> {tmp_path / 'o'} (" in r.stdout and r.stdout.count("\n") == 2, r.stdout
    from ..cli.test_plain_output import assert_help_names_every_file

    assert_help_names_every_file(["write"], tmp_path / "o", tmp_path)
    assert "writing episodes: 1/1" in r.stderr  # plain progress lines: stderr is not a terminal
    r = _cli("write", EN_PREMISE, "--model", str(tmp_path / "missing"), "-n", "1", "--out",
             str(tmp_path / "o2"))
    assert r.returncode == 2 and "does not exist" in r.stderr and "Traceback" not in r.stderr


def test_a_model_without_a_chat_template_is_refused_before_loading(tiny_dir, tmp_path):
    base = tmp_path / "base"
    shutil.copytree(tiny_dir, base)
    config = json.loads((base / "tokenizer_config.json").read_text())
    config.pop("chat_template", None)
    (base / "tokenizer_config.json").write_text(json.dumps(config))
    (base / "chat_template.jinja").unlink(missing_ok=True)
    (base / "model.safetensors").write_bytes(b"not loaded: the check comes first")
    r = _cli("write", EN_PREMISE, "--model", str(base), "-n", "1", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "no chat template" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "cannot load the weights" not in r.stderr


def test_a_gguf_file_that_cannot_be_read_is_one_clear_error(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"GGUF\x03\x00garbage")
    for args in (("write", EN_PREMISE, "--model", str(bad), "--out", str(tmp_path / "o")),
                 ("models", "gguf", str(bad), str(tmp_path / "m"))):
        r = _cli(*args)
        assert r.returncode == 2 and "not a readable GGUF" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr


def test_killed_after_the_first_episode_resume_keeps_it(tiny_dir, tmp_path):
    import os
    import signal
    import time

    out = tmp_path / "o"
    args = ["write", EN_PREMISE, "--model", str(tiny_dir), "-n", "3", "--out", str(out),
            "--batch-size", "1", "--max-new-tokens", "64"]
    proc = subprocess.Popen([sys.executable, "-c", "from aiscript.cli import main; main()", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin",
                                 "OMP_NUM_THREADS": "1", **_pythonpath()})
    first = out / "episodes/ep001.json"
    deadline = time.time() + 300
    while not first.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert first.exists(), proc.stderr.read().decode()[-2000:]
    if (out / "episodes/ep003.json").exists():
        pytest.skip("the run finished before it could be killed")
    kept = first.read_bytes()
    log = json.loads((out / "writing.json").read_text())
    assert 1 in [e["episode"] for e in log["episodes"]]
    r = _cli(*args, "--resume")
    assert r.returncode == 0, r.stderr
    assert first.read_bytes() == kept
    assert "kept from the earlier run" in r.stdout
    log = json.loads((out / "writing.json").read_text())
    assert [e["episode"] for e in log["episodes"]] == [1, 2, 3]
    for n in (1, 2, 3):
        Episode.model_validate_json((out / f"episodes/ep00{n}.json").read_bytes())


@pytest.mark.parametrize("share_prefix", [False, True])
def test_static_cache_fast_path_gives_the_same_greedy_tokens(gen, share_prefix):
    fast = TransformersGenerator(gen.model, gen.tokenizer, static_cache=True)
    prompts = _prompts(gen)
    plain = gen.generate_ids(prompts, max_new_tokens=40, share_prefix=share_prefix)
    got = fast.generate_ids(prompts, max_new_tokens=40, share_prefix=share_prefix)
    assert [p.tokens for p in plain] == [g.tokens for g in got]
    assert len(set(plain[0].tokens)) > 3, "the tiny model should not just repeat one token"


def test_compiled_decode_step_gives_the_same_greedy_tokens(gen):
    fast = TransformersGenerator(gen.model, gen.tokenizer, compile=True)
    prompts = _prompts(gen)
    plain = gen.generate_ids(prompts, max_new_tokens=24)
    got = fast.generate_ids(prompts, max_new_tokens=24)
    assert [p.tokens for p in plain] == [g.tokens for g in got]


def test_episodes_of_several_series_batch_together_and_match_separate_runs(gen):
    zh = Premise(text=ZH_PREMISE, language="zh", episodes=2)
    en = Premise(text=EN_PREMISE, language="en", episodes=2)
    w = _writer(gen, batch_size=4)
    s_zh, s_en = w.plan(zh), w.plan(en)
    calls = []
    real = gen.generate_ids
    gen.generate_ids = lambda prompts, **kw: calls.append(len(prompts)) or real(prompts, **kw)
    try:
        together = w.write_across([(s_zh, 1), (s_en, 1), (s_zh, 2), (s_en, 2)])
    finally:
        gen.generate_ids = real
    assert calls[0] == 4  # one generation holds episodes of both series
    apart = _writer(gen, batch_size=4)
    zh_eps = apart.write_episodes(s_zh)
    en_eps = apart.write_episodes(s_en)
    assert [e.model_dump_json() for e in together] == [
        e.model_dump_json() for e in (zh_eps[0], en_eps[0], zh_eps[1], en_eps[1])]
    assert set(w.ledgers) == set(apart.ledgers) and len(w.ledgers) == 2


def test_batch_runs_write_episodes_across_series_then_storyboard_each(gen, tmp_path, monkeypatch):
    import aiscript.batch as batch

    lines = [json.dumps({"id": f"s{i}", "premise": p, "episodes": 1, "seed": i},
                        ensure_ascii=False) for i, p in enumerate([ZH_PREMISE, EN_PREMISE] * 2)]
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    writer = _writer(gen, batch_size=4)
    monkeypatch.setattr(batch.BackendSpec, "build",
                        lambda self: batch.Backends(writer=writer, storyboards=False))
    calls = []
    real = gen.generate_ids
    monkeypatch.setattr(gen, "generate_ids",
                        lambda prompts, **kw: calls.append(len(prompts)) or real(prompts, **kw))
    result = batch.run_batch(path, tmp_path / "out", spec=batch.BackendSpec(writer="llm"))
    assert result.done == 4 and result.failed == 0
    assert 4 in calls  # the four series' episodes shared one generation
    for i in range(4):
        Episode.model_validate_json((tmp_path / f"out/s{i}/episodes/ep001.json").read_bytes())


@pytest.mark.parametrize("constrained", [False, True])
def test_ragged_budgets_with_waiting_rows_taking_free_slots_equal_one_by_one(gen, constrained):
    schema = episode_schema(2, ["林晚", "顾言"], "zh") if constrained else None
    prompts = _prompts(gen) * 2  # six requests through two slots
    budgets = [40, 7, 25, 3, 60, 12]
    single = [gen.generate_ids([p], max_new_tokens=n, schema=schema)[0]
              for p, n in zip(prompts, budgets, strict=True)]
    for share in (False, True):
        got = gen.generate_ids(prompts, max_new_tokens=budgets, schema=schema, slots=2,
                               share_prefix=share)
        assert [g.tokens for g in got] == [s.tokens for s in single]
    assert all(len(s.tokens) <= n for s, n in zip(single, budgets, strict=True))


def test_rows_that_stop_at_eos_leave_and_the_rest_decode_on(gen):
    prompts = _prompts(gen)
    eos = gen.tokenizer.eos_token_id
    free = gen.generate_ids(prompts, max_new_tokens=30, ignore_eos=True)
    # make the first row's 5th token an EOS for this call: it must stop there, others go on
    stop_at = free[0].tokens[4]
    real = gen.model.generation_config.eos_token_id
    gen.model.generation_config.eos_token_id = [eos, stop_at]
    try:
        got = gen.generate_ids(prompts, max_new_tokens=30)
    finally:
        gen.model.generation_config.eos_token_id = real
    for g, f in zip(got, free, strict=True):
        cut = next((i + 1 for i, t in enumerate(f.tokens) if t in {eos, stop_at}), 30)
        assert g.tokens == f.tokens[:cut]
        assert g.finished == (cut < 30 or f.tokens[-1] in {eos, stop_at})
    assert got[0].finished and len(got[0].tokens) <= 5


def test_the_static_cache_is_reused_across_calls_of_one_bucket(gen):
    fast = TransformersGenerator(gen.model, gen.tokenizer, static_cache=True)
    prompts = _prompts(gen)
    first = fast.generate_ids(prompts, max_new_tokens=20)
    caches = dict(fast._caches)
    second = fast.generate_ids(prompts[:2], max_new_tokens=[20, 9])
    assert len(fast._caches) == 2 or fast._caches.keys() >= caches.keys()
    again = fast.generate_ids(prompts, max_new_tokens=20)
    assert [a.tokens for a in again] == [f.tokens for f in first]
    assert all(fast._caches[k] is v for k, v in caches.items())  # the same cache, reset
    assert second[1].tokens == first[1].tokens[:9]


def test_sampling_is_reproducible_per_seed_in_any_batch(gen):
    prompts = _prompts(gen)
    batched = gen.generate_ids(prompts, max_new_tokens=20, temperature=0.8, seeds=[1, 2, 3])
    alone = gen.generate_ids([prompts[1]], max_new_tokens=20, temperature=0.8, seeds=[2])
    greedy = gen.generate_ids([prompts[1]], max_new_tokens=20)
    assert batched[1].tokens == alone[0].tokens
    assert batched[1].tokens != greedy[0].tokens


def test_generator_options_are_typed_and_unknown_ones_refused(gen):
    opts = TransformersGenerator.Options(static_cache=True, poll=3)
    fast = TransformersGenerator(gen.model, gen.tokenizer, opts)
    assert fast.static_cache and fast.poll == 3
    prompts = _prompts(gen)
    assert ([g.tokens for g in fast.generate_ids(prompts, max_new_tokens=12)]
            == [g.tokens for g in gen.generate_ids(prompts, max_new_tokens=12)])
    with pytest.raises(ValueError):
        TransformersGenerator.Options(static_cashe=True)
