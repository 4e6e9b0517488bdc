from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("diffusers")

from aiscript.backends.tiny import build_tiny_clip, build_tiny_sd  # noqa: E402
from aiscript.errors import AiscriptError  # noqa: E402
from aiscript.storyboard import frame_specs  # noqa: E402
from aiscript.storyboard.diffusion import DiffusersRenderer  # noqa: E402

from ..conftest import ZH_PREMISE  # noqa: E402


@pytest.fixture(scope="session")
def tiny_sd(tmp_path_factory):
    return build_tiny_sd(tmp_path_factory.mktemp("sd") / "tiny-sd")


@pytest.fixture(scope="session")
def renderer(tiny_sd):
    return DiffusersRenderer.from_pretrained(tiny_sd, device="cpu", steps=2, guidance=5.0,
                                             batch_size=4)


def _px(img) -> np.ndarray:
    return np.asarray(img.convert("RGB"), dtype=np.int16)


def _short(specs):
    """Specs whose prompts fit CLIP's 77 tokens even with the tiny character-level tokenizer."""
    looks = ["a woman in red", "a man in grey", "an old lady", "a boy", "a girl", "a cat"]
    return [replace(s, parts=(("characters", looks[i % 6]), ("camera", "close-up")))
            for i, s in enumerate(specs)]


def test_frames_are_9_16_and_the_family_is_detected(renderer, zh_season):
    assert renderer.family == "sd15"
    assert renderer.width * 16 == renderer.height * 9
    series, eps = zh_season
    images = renderer.render(frame_specs(series.bible, eps[0])[:2])
    assert all(im.size == (renderer.width, renderer.height) for im in images)


def test_batched_render_equals_the_plain_pipeline_per_frame(renderer, zh_season):
    series, eps = zh_season
    specs = _short(frame_specs(series.bible, eps[0])[:6])
    batched = renderer.render(specs)
    for spec, image in zip(specs, batched, strict=True):
        plain = renderer.pipe(
            renderer.fit(spec)[0], negative_prompt=renderer.negative_prompt,
            height=renderer.gen_h, width=renderer.gen_w, num_inference_steps=2, guidance_scale=5.0,
            generator=torch.Generator().manual_seed(spec.seed),
        ).images[0]
        diff = np.abs(_px(plain) - _px(image))
        assert diff.max() <= 2 and diff.mean() < 0.05


def test_same_seeds_same_pixels_alone_or_in_a_batch(renderer, zh_season):
    series, eps = zh_season
    specs = frame_specs(series.bible, eps[0])[:5]  # long and short prompts mixed
    first, again = renderer.render(specs), renderer.render(specs)
    alone = [renderer.render([s])[0] for s in specs]
    for a, b, c in zip(first, again, alone, strict=True):
        assert np.array_equal(_px(a), _px(b))
        assert np.abs(_px(a) - _px(c)).max() <= 2


def test_long_character_descriptions_are_never_cut(renderer, zh_season):
    series, eps = zh_season
    spec = next(s for s in frame_specs(series.bible, eps[0]) if len(s.cast) >= 2)
    prompt, cut = renderer.fit(spec)
    looks = [c.visual_prompt for c in spec.cast]
    assert all(look in prompt for look in looks)
    assert "style" in cut  # the style notes go first
    embeds = renderer._embed(prompt)[0]
    assert embeds.shape[1] > 77  # chunk-encoded rather than truncated


def test_out_of_memory_halves_the_batch_and_goes_on(renderer, zh_season, monkeypatch):
    series, eps = zh_season
    specs = _short(frame_specs(series.bible, eps[0])[:4])
    real = renderer.render_batch
    sizes = []

    def flaky(batch):
        sizes.append(len(batch))
        if len(batch) > 1:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
        return real(batch)

    monkeypatch.setattr(renderer, "render_batch", flaky)
    monkeypatch.setattr(torch.cuda, "empty_cache", lambda: None)
    assert len(renderer.render(specs)) == 4
    assert sizes[:3] == [4, 2, 1]


def test_run_with_the_diffusers_renderer_exports_everything(renderer, tmp_path):
    from aiscript.pipeline import run

    clip = build_tiny_clip(tmp_path / "clip")
    prod = run(ZH_PREMISE, episodes=1, out=tmp_path / "o", renderer=renderer, clip_model=clip)
    folder = tmp_path / "o" / prod.storyboards[0].folder
    for name in ("animatic.gif", "contact_sheet.html", "contact_sheet.pdf", "storyboard.json"):
        assert (folder / name).is_file(), name
    assert len(list((tmp_path / "o/storyboards/characters").glob("*.png"))) == 5
    board = prod.storyboards[0]
    assert board.renderer == "diffusers" and board.width * 16 == board.height * 9
    assert board.consistency and all(-1 <= v <= 1 for v in board.consistency.values())
    from PIL import Image

    with Image.open(folder / "animatic.gif") as gif:  # identical neighbours may merge
        total = 0
        for i in range(gif.n_frames):
            gif.seek(i)
            total += gif.info["duration"]
    assert total == pytest.approx(sum(f.duration_s for f in board.frames) * 1000, rel=0.01)


def test_missing_or_wrong_model_paths_are_clear_errors(tmp_path, tiny_sd):
    with pytest.raises(AiscriptError, match="does not exist"):
        DiffusersRenderer.from_pretrained(tmp_path / "none" / "model")
    (tmp_path / "empty").mkdir()
    with pytest.raises(AiscriptError, match="not a diffusers pipeline"):
        DiffusersRenderer.from_pretrained(tmp_path / "empty")
    r = subprocess.run([sys.executable, "-c", "from aiscript.cli import main; main()", "storyboard",
                        str(tmp_path / "ep.json"), "--model", str(tiny_sd), "--out",
                        str(tmp_path / "b")], capture_output=True, text=True)
    assert r.returncode == 2 and "cannot read" in r.stderr and "Traceback" not in r.stderr


def test_cli_storyboard_renders_episode_files(tiny_sd, zh_run, tmp_path):
    from pathlib import Path

    ep = Path(zh_run.out) / "episodes/ep001.json"
    r = subprocess.run([sys.executable, "-c", "from aiscript.cli import main; main()", "storyboard",
                        str(ep), "--model", str(tiny_sd), "--out", str(tmp_path / "b"),
                        "--steps", "1", "--device", "cpu"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b/storyboards/ep001/1-1-1.png").is_file() and (tmp_path / "b/shotlist.csv").is_file()


def test_channels_last_and_fused_qkv_match_the_plain_pipeline(tiny_sd, renderer, zh_season):
    series, eps = zh_season
    specs = frame_specs(series.bible, eps[0])[:4]
    fast = DiffusersRenderer.from_pretrained(tiny_sd, device="cpu", steps=2, guidance=5.0,
                                             channels_last=True, fuse_qkv=True)
    for a, b in zip(renderer.render(specs), fast.render(specs), strict=True):
        assert np.abs(_px(a) - _px(b)).max() <= 2


@pytest.mark.skipif(not __import__("os").environ.get("AISCRIPT_SLOW_TESTS"),
                    reason="compiling the UNet takes about two minutes on a CPU; "
                           "set AISCRIPT_SLOW_TESTS=1")
def test_compiled_unet_and_vae_match_the_plain_pipeline(tiny_sd, renderer, zh_season):
    series, eps = zh_season
    specs = _short(frame_specs(series.bible, eps[0])[:2])
    fast = DiffusersRenderer.from_pretrained(tiny_sd, device="cpu", steps=2, guidance=5.0,
                                             compile=True)
    for a, b in zip(renderer.render(specs), fast.render(specs), strict=True):
        assert np.abs(_px(a) - _px(b)).max() <= 2


@pytest.fixture(scope="session")
def sdxl(tmp_path_factory):
    from aiscript.backends.tiny import build_tiny_sdxl

    path = build_tiny_sdxl(tmp_path_factory.mktemp("sdxl") / "tiny-sdxl")
    return DiffusersRenderer.from_pretrained(path, device="cpu", steps=2, guidance=5.0)


def test_sdxl_batched_render_equals_the_plain_pipeline(sdxl, zh_season):
    series, eps = zh_season
    assert sdxl.family == "sdxl" and sdxl.width * 16 == sdxl.height * 9
    specs = _short(frame_specs(series.bible, eps[0])[:3])
    for spec, image in zip(specs, sdxl.render(specs), strict=True):
        plain = sdxl.pipe(sdxl.fit(spec)[0], negative_prompt=sdxl.negative_prompt,
                          height=sdxl.gen_h, width=sdxl.gen_w, num_inference_steps=2,
                          guidance_scale=5.0,
                          generator=torch.Generator().manual_seed(spec.seed)).images[0]
        assert np.abs(_px(plain) - _px(image)).max() <= 2


def test_sdxl_splits_long_character_looks_across_its_two_encoders(sdxl, zh_season):
    series, eps = zh_season
    spec = next(s for s in frame_specs(series.bible, eps[0]) if len(s.cast) >= 2)
    prompt, prompt_2 = sdxl._prompts(spec)
    for c in spec.cast:  # every look reaches one of the two encoders, whole
        assert c.visual_prompt in prompt or c.visual_prompt in (prompt_2 or "")
    _, cut = sdxl.fit(spec)
    assert "characters" not in cut and "characters beyond both encoders" not in cut


@pytest.fixture(scope="session")
def ip_adapter(tiny_sd, tmp_path_factory):
    import json

    from aiscript.backends.tiny import build_tiny_ip_adapter

    config = json.loads((tiny_sd / "unet" / "config.json").read_text())
    return build_tiny_ip_adapter(tmp_path_factory.mktemp("ip") / "ip-adapter", config)


def test_a_reference_image_steers_only_its_characters_frames(tiny_sd, ip_adapter, renderer,
                                                              zh_season, tmp_path):
    from PIL import Image

    series, eps = zh_season
    hero = series.bible.characters[0]
    ref = tmp_path / "hero.png"
    Image.new("RGB", (64, 64), (200, 30, 30)).save(ref)
    ip = DiffusersRenderer.from_pretrained(tiny_sd, device="cpu", steps=2, guidance=5.0,
                                           ip_adapter=ip_adapter, references={hero.name: ref},
                                           ip_scale=0.8)
    specs = frame_specs(series.bible, eps[0])[:6]
    led = [bool(s.cast) and s.cast[0] == hero for s in specs]
    assert any(led) and not all(led)
    plain, steered = renderer.render(specs), ip.render(specs)
    alone = [ip.render([s])[0] for s in specs]
    for is_hero, a, b, c in zip(led, plain, steered, alone, strict=True):
        diff = np.abs(_px(a) - _px(b)).max()
        assert diff > 10 if is_hero else diff <= 2  # others render exactly as without it
        assert np.abs(_px(b) - _px(c)).max() <= 2  # batched or alone, the same frame


def test_reference_images_without_an_ip_adapter_are_refused(tiny_sd, tmp_path):
    with pytest.raises(AiscriptError, match="need an IP-Adapter"):
        DiffusersRenderer.from_pretrained(tiny_sd, references={"x": tmp_path / "x.png"})
    with pytest.raises(AiscriptError, match="no IP-Adapter weights"):
        DiffusersRenderer.from_pretrained(tiny_sd, ip_adapter=tmp_path)


def test_the_negative_is_encoded_once_and_each_batch_in_one_call(tiny_sd, zh_season):
    r = DiffusersRenderer.from_pretrained(tiny_sd, device="cpu", steps=1, guidance=5.0,
                                          batch_size=4)
    series, eps = zh_season
    specs = _short(frame_specs(series.bible, eps[0])[:8])
    calls = []
    real = r.pipe.encode_prompt
    def counting(*args, **kw):  # the pipeline's own call passes ready embeddings: not counted
        if kw.get("prompt") is not None:
            calls.append(kw["prompt"])
        return real(*args, **kw)

    r.pipe.encode_prompt = counting
    first = r.render(specs)
    again = r.render(specs)  # every embedding is cached by now
    negatives = [c for c in calls if c == r.negative_prompt]
    batches = [c for c in calls if isinstance(c, list)]
    assert len(negatives) == 1 and len(batches) + 1 == len(calls) <= 3
    assert sorted(p for b in batches for p in b) == sorted({r.fit(s)[0] for s in specs})
    assert all(np.array_equal(_px(a), _px(b)) for a, b in zip(first, again, strict=True))


def test_consistency_loads_clip_once_a_run_and_scores_the_frames_in_memory(tmp_path,
                                                                           monkeypatch):
    import transformers

    from aiscript.pipeline import run
    from aiscript.storyboard.consistency import consistency_scores

    clip = build_tiny_clip(tmp_path / "clip")
    loads, real = [], transformers.CLIPModel.from_pretrained
    monkeypatch.setattr(transformers.CLIPModel, "from_pretrained",
                        lambda *a, **kw: (loads.append(a), real(*a, **kw))[1])
    prod = run(ZH_PREMISE, episodes=3, out=tmp_path / "o", clip_model=clip)  # sketch frames
    assert len(loads) == 1
    ep = {e.number: e for e in prod.episodes}
    for board in prod.storyboards:
        assert board.consistency  # every episode has a lead with two frames or more
        # the same scores as from the PNGs on disk, one character at a time
        shot_cast = {sh.id: sh.characters for _, sh in ep[board.episode].shots()}
        disk = consistency_scores(board, tmp_path / "o" / board.folder,
                                  prod.series.bible.characters, clip, shot_cast)
        assert disk == pytest.approx(board.consistency, abs=1e-3)


def test_frames_that_repeat_a_picture_are_drawn_once_and_written_each(renderer, zh_season,
                                                                       tmp_path, monkeypatch):
    from aiscript.storyboard.frames import render_storyboards

    series, eps = zh_season
    specs = _short(frame_specs(series.bible, eps[0])[:4])
    specs = specs + [specs[1], specs[0], replace(specs[0], seed=specs[0].seed + 1)]  # 2 repeats
    ep = eps[0].model_copy(update={"scenes": eps[0].scenes})
    drawn, real = [], renderer.render_batch
    monkeypatch.setattr(renderer, "render_batch", lambda frames: (drawn.extend(frames),
                                                                  real(frames))[1])
    boards = {}
    (board,) = render_storyboards(series.bible, [ep], renderer, [tmp_path], batch_size=4,
                                  specs=[specs],
                                  on_board=lambda e, b, ims: boards.update(images=ims))
    assert len(drawn) == 5  # seven frames, two of them repeats
    png = [(tmp_path / f.image).read_bytes() for f in board.frames]
    assert len(png) == 7 and png[4] == png[1] and png[5] == png[0] and png[6] != png[0]
    # the exports get every frame, repeats included, as drawn
    ims = boards["images"]
    assert len(ims) == 7 and (_px(ims[5]) == _px(ims[0])).all()
    # a renderer without identity draws them all
    monkeypatch.setattr(type(renderer), "identity", None)
    drawn.clear()
    render_storyboards(series.bible, [ep], renderer, [tmp_path / "all"], batch_size=4,
                       specs=[specs])
    assert len(drawn) == 7
