from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from aiscript.storyboard import frame_specs, render_storyboard
from aiscript.storyboard.sketch import SketchRenderer


def _pixels(img) -> np.ndarray:
    return np.asarray(img.convert("RGB"), dtype=np.int16)


def test_frames_are_vertical_9_16(zh_run):
    for board in zh_run.storyboards:
        assert (board.width, board.height) == (540, 960)
        for f in board.frames:
            with Image.open(f"{zh_run.out}/{board.folder}/{f.image}") as img:
                assert img.size == (540, 960)


def test_other_sizes_must_be_9_16():
    assert SketchRenderer(720, 1280).width == 720
    with pytest.raises(ValueError, match="9:16"):
        SketchRenderer(512, 512)


def test_rendering_is_deterministic(zh_season):
    series, eps = zh_season
    specs = frame_specs(series.bible, eps[0])[:4]
    a = SketchRenderer().render(specs)
    b = SketchRenderer().render(specs)
    for x, y in zip(a, b, strict=True):
        assert np.array_equal(_pixels(x), _pixels(y))


def test_a_character_keeps_its_colour_in_every_frame(zh_season):
    series, eps = zh_season
    hero = series.bible.characters[0]
    rgb = np.array([int(hero.color[i:i + 2], 16) for i in (1, 3, 5)])
    specs = [s for s in frame_specs(series.bible, eps[0]) if s.cast[:1] == (hero,)
             and s.shot.size.value in ("close_up", "medium_close_up", "medium")]
    assert len(specs) >= 2
    for img in SketchRenderer().render(specs[:3]):
        px = _pixels(img).reshape(-1, 3)
        share = (np.abs(px - rgb).sum(axis=1) < 6).mean()
        assert share > 0.02, "the lead's figure colour should fill part of the frame"


def test_day_and_night_are_tinted_differently(zh_season):
    series, eps = zh_season
    specs = frame_specs(series.bible, eps[0])
    scene = specs[0].scene
    day = scene.model_copy(update={"heading": scene.heading.model_copy(update={"time": "DAY"})})
    night = scene.model_copy(update={"heading": scene.heading.model_copy(update={"time": "NIGHT"})})
    r = SketchRenderer()
    from dataclasses import replace

    d, n = r.render([replace(specs[0], scene=day), replace(specs[0], scene=night)])
    assert _pixels(d)[500, 5].sum() > _pixels(n)[500, 5].sum() + 200


def test_resume_keeps_frames_already_rendered(zh_season, tmp_path):
    series, eps = zh_season
    calls = []

    class Counting(SketchRenderer):
        def render(self, specs):
            calls.append(len(specs))
            return super().render(specs)

    board = render_storyboard(series.bible, eps[0], Counting(), tmp_path)
    first = sum(calls)
    (tmp_path / board.frames[0].image).unlink()
    calls.clear()
    render_storyboard(series.bible, eps[0], Counting(), tmp_path, resume=True)
    assert first == len(board.frames) and sum(calls) == 1


def test_frames_of_several_episodes_share_batches(zh_season, tmp_path):
    from aiscript.storyboard import render_storyboards

    series, eps = zh_season
    batches = []

    class Recording(SketchRenderer):
        def render(self, specs):
            batches.append({s.shot.id.split("-")[0] for s in specs})
            return super().render(specs)

    folders = [tmp_path / "a" / f"ep{e.number}" for e in eps[:2]]
    first = len(frame_specs(series.bible, eps[0]))  # one more than the first episode's frames
    boards = render_storyboards(series.bible, eps[:2], Recording(), folders, batch_size=first + 1)
    assert any(len(b) == 2 for b in batches), "a batch should straddle the two episodes"
    alone = render_storyboard(series.bible, eps[1], SketchRenderer(), tmp_path / "b")
    assert boards[1].frames == alone.frames
    for f in alone.frames:
        assert (folders[1] / f.image).read_bytes() == (tmp_path / "b" / f.image).read_bytes()


def test_image_prompts_of_a_chinese_season_are_english(zh_season):
    import re

    series, eps = zh_season
    prompts = [s.prompt for s in frame_specs(series.bible, eps[0])]
    assert not [p for p in prompts if re.search(r"[\u4e00-\u9fff]", p)]
    assert any("registry office" in p for p in prompts)  # the premise's 民政局门口


def test_closing_punctuation_never_starts_a_caption_line():
    """The artist's lone "？" on a caption's second line: CJK closing punctuation stays at
    the end of the line before, at every width."""
    from PIL import Image, ImageDraw

    from aiscript.fonts import pil_font
    from aiscript.storyboard.sketch import wrap

    d = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = pil_font(22)
    text = "叶青：你叫什么？家在哪儿？你……全都不记得了？"
    starts = set()
    for width in range(120, 520, 7):
        lines = wrap(text, font, width, d)
        assert "".join(lines) == text
        starts |= {ln[0] for ln in lines[1:]}
    assert not starts & set("？。，！、…：")


def test_name_tags_never_cover_each_other(zh_season, en_season):
    """People in close contact (a knife, an embrace, someone right behind) stand close: their
    name tags still never overlap, so every name in the frame reads whole."""
    from aiscript.shots.planner import restage

    sketch = SketchRenderer()
    crowded = 0
    for series, eps in (zh_season, en_season):
        for ep in eps[:3]:
            ep = restage(ep.model_copy(deep=True), series.bible.characters)
            for spec in frame_specs(series.bible, ep):
                if spec.shot.card:
                    continue
                sketch.draw(spec)
                tags = sketch.tags
                crowded += len(tags) >= 2
                for i, a in enumerate(tags):
                    for b in tags[i + 1:]:
                        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), spec.shot.id
    assert crowded > 20
