from __future__ import annotations

import pytest

from aiscript.errors import AiscriptError
from aiscript.runconfig import PRESETS, RunConfig


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
