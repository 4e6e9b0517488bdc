from __future__ import annotations

import pytest

from aiscript.config import PRESETS, RunConfig
from aiscript.errors import AiscriptError


def test_presets_are_named_and_the_users_options_win():
    assert set(PRESETS) == {"offline", "gpu", "gpu-fast"}
    fast = RunConfig.preset("gpu-fast", episode_batch=32, model="m")
    assert fast.fast and fast.episode_batch == 32 and fast.frame_batch == 8
    assert RunConfig.preset("offline") == RunConfig()


def test_an_unknown_preset_or_option_is_an_error_naming_the_choices():
    with pytest.raises(AiscriptError, match="gpu-fast"):
        RunConfig.preset("turbo")
    with pytest.raises(ValueError):
        RunConfig(episode_bach=4)
    with pytest.raises(ValueError):
        RunConfig(frame_batch=0)


def test_writer_and_renderer_get_separate_batch_sizes():
    cfg = RunConfig(episode_batch=64, frame_batch=4)
    assert cfg.writer_options()["batch_size"] == 64
    assert cfg.renderer_options()["batch_size"] == 4
    assert "model" not in cfg.renderer_options() and "image_model" not in cfg.writer_options()


def test_the_diffusers_renderer_refuses_options_it_does_not_know():
    pytest.importorskip("diffusers")
    from aiscript.storyboard.diffusion import DiffusersRenderer

    with pytest.raises(AiscriptError, match="stepz"):
        DiffusersRenderer.from_options(image_model="x", stepz=4)
    with pytest.raises(AiscriptError, match="needs a model"):
        DiffusersRenderer.from_options(**RunConfig().renderer_options())


def _captured_run(monkeypatch, *argv: str) -> dict:
    """What `aiscript run ARGV` hands the library: the writer, the renderer and the frame batch
    its RunConfig builds them with (no models)."""
    from types import SimpleNamespace

    from aiscript import api, cli
    from aiscript.cli import run as run_command

    got: dict = {}
    monkeypatch.setattr(run_command, "check_options", lambda **kw: None)  # no model folders

    def fake_run(premise, cfg, **kw):
        w, r = cfg.writer_options(), cfg.renderer_options()
        got.update(writer=(cfg.writer, w["model"], w["batch_size"], w["device"], w["fast"]),
                   renderer=(cfg.renderer, r["image_model"], r["batch_size"], r["device"],
                             r["fast"]),
                   frame_batch=cfg.frame_batch)
        bible = SimpleNamespace(title="t", genre="g", language="en")
        return SimpleNamespace(series=SimpleNamespace(bible=bible, brief=None), episodes=[],
                               storyboards=[], out="o", writing=None, review=None)

    monkeypatch.setattr(api, "run", fake_run)
    cli.app(args=["run", "premise", "--no-review", *argv], standalone_mode=False)
    return got


def test_the_cli_takes_a_preset_and_the_options_given_win(monkeypatch):
    got = _captured_run(monkeypatch, "--preset", "gpu-fast", "--device", "cpu", "--model", "m",
                        "--image-model", "sd", "--batch-size", "4")
    assert got["writer"] == ("llm", "m", 4, "cpu", True)  # the preset's writer, my batch
    assert got["renderer"] == ("diffusers", "sd", 8, "cpu", True) and got["frame_batch"] == 8
    got = _captured_run(monkeypatch, "--preset", "gpu-fast", "--device", "cpu", "--no-fast",
                        "--frame-batch", "2")
    assert got["writer"][-1] is False and got["renderer"][2] == 2 and got["frame_batch"] == 2
    got = _captured_run(monkeypatch)  # no preset: the offline defaults
    assert got["writer"] == ("template", None, 8, None, False)
    assert got["renderer"] == ("sketch", None, 8, None, False)


def test_a_preset_whose_device_is_missing_says_so_and_how_to_go_on(monkeypatch):
    import torch

    from aiscript import cli

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(AiscriptError, match="--preset gpu runs on cuda") as exc:
        cli.app(args=["run", "premise", "--preset", "gpu"], standalone_mode=False)
    assert "--device cpu" in exc.value.fix


def test_batch_storyboards_in_the_frame_batch_it_was_given(monkeypatch, tmp_path):
    from aiscript import batch, pipeline

    sizes = []
    real = pipeline.run
    monkeypatch.setattr(pipeline, "run", lambda *a, **kw: (sizes.append(kw["batch_size"]),
                                                            real(*a, **kw))[1])
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text('{"id": "a", "premise": "Ava Lin marries a stranger.", "episodes": 1, '
                    '"lang": "en"}\n', encoding="utf-8")
    spec = batch.BackendSpec.preset("offline", frame_batch=3)
    result = batch.run_batch(jobs, tmp_path / "out", spec=spec)
    assert result.done == 1 and sizes == [3]


def test_the_writers_refuse_options_they_do_not_take_naming_the_ones_they_do():
    from aiscript import registry

    with pytest.raises(AiscriptError, match="llm writer option stepz") as exc:
        registry.create("writer", "llm", model="m", stepz=4)
    assert "max_new_tokens" in exc.value.fix
    with pytest.raises(AiscriptError, match="threads"):
        registry.create("writer", "llm", model="m", threads=0)
    # a server decides its own device: saying one is an error, not silently ignored
    with pytest.raises(AiscriptError, match="openai writer option device") as exc:
        registry.create("writer", "openai", model="m", base_url="http://127.0.0.1:9/v1",
                        device="cuda")
    assert "device" not in exc.value.fix and "base_url" in exc.value.fix
    # the run's settings build every writer without a complaint about the options
    with pytest.raises(AiscriptError, match="needs a model"):
        registry.create("writer", "llm", **RunConfig().writer_options())
    with pytest.raises(AiscriptError, match="needs a server"):
        registry.create("writer", "openai", **RunConfig().writer_options())
