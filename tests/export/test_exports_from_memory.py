"""Exports take the frames from memory: the same result as reading the PNGs back."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from aiscript.export.animatic import animatic_gif, thumbnail
from aiscript.schema import Angle, ShotSize
from aiscript.storyboard import frame_specs, render_storyboards
from aiscript.storyboard.sketch import SketchRenderer


def _board_with_images(zh_season, tmp_path, resume=False, episodes=2):
    series, eps = zh_season
    handed = {}
    folders = [tmp_path / f"ep{e.number}" for e in eps[:episodes]]
    boards = render_storyboards(series.bible, eps[:episodes], SketchRenderer(), folders,
                                batch_size=5, resume=resume,
                                on_board=lambda e, b, ims: handed.setdefault(e, (b, list(ims))))
    return boards, handed, folders


def test_each_episode_is_handed_on_once_with_the_images_written_to_disk(zh_season, tmp_path):
    boards, handed, folders = _board_with_images(zh_season, tmp_path)
    assert sorted(handed) == [0, 1]
    for e, (board, images) in handed.items():
        assert board is boards[e] and len(images) == len(board.frames)
        for f, im in zip(board.frames, images, strict=True):
            with Image.open(folders[e] / f.image) as disk:
                assert np.array_equal(np.asarray(disk.convert("RGB")), np.asarray(im))


def test_resumed_frames_are_read_back_for_the_exports(zh_season, tmp_path):
    boards, _, folders = _board_with_images(zh_season, tmp_path, episodes=1)
    (folders[0] / boards[0].frames[1].image).unlink()
    _, handed, _ = _board_with_images(zh_season, tmp_path, resume=True, episodes=1)
    board, images = handed[0]
    assert all(im is not None for im in images) and len(images) == len(board.frames)


def test_the_gif_from_memory_equals_the_gif_from_the_pngs(zh_season, tmp_path):
    boards, handed, folders = _board_with_images(zh_season, tmp_path, episodes=1)
    board, images = handed[0]
    a = animatic_gif(board, folders[0], tmp_path / "a.gif")
    b = animatic_gif(board, folders[0], tmp_path / "b.gif",
                     images=[thumbnail(im, 270) for im in images])
    assert a.read_bytes() == b.read_bytes()
    with Image.open(a) as gif:
        assert gif.n_frames == len(board.frames) and gif.size == (270, 480)
    assert _local_palettes(a.read_bytes()) == 0  # one global palette serves every frame


def _local_palettes(data: bytes) -> int:
    """How many frames of a GIF carry their own colour table (walks the GIF blocks)."""
    flags = data[10]
    i = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    local = 0
    while data[i] != 0x3B:  # trailer
        if data[i] == 0x21:  # extension: label, then sub-blocks
            i += 2
        else:  # image descriptor, optional local table, LZW minimum code size
            packed = data[i + 9]
            local += bool(packed & 0x80)
            i += 10 + (3 * 2 ** ((packed & 7) + 1) if packed & 0x80 else 0) + 1
        while data[i]:
            i += data[i] + 1
        i += 1
    return local


def test_the_pdf_streams_skip_ascii85_and_the_setting_is_restored(zh_season, tmp_path):
    pytest.importorskip("reportlab")
    from reportlab import rl_config

    from aiscript.export.contact_sheet import contact_sheet_pdf

    boards, handed, folders = _board_with_images(zh_season, tmp_path, episodes=1)
    board, images = handed[0]
    before = rl_config.useA85
    pdf = contact_sheet_pdf(board, folders[0], "t", images=[thumbnail(i, 270) for i in images])
    assert rl_config.useA85 == before
    assert pdf.startswith(b"%PDF") and b"ASCII85Decode" not in pdf and b"/FlateDecode" in pdf
    assert pdf.count(b"/Subtype /Image") == len(board.frames)


def test_a_dutch_angle_tilts_the_horizon(zh_season):
    series, eps = zh_season
    spec = replace(frame_specs(series.bible, eps[0])[0], cast=())  # an empty set: no figures
    # a wide shot of a plain room: its set stays clear of the frame's edges
    plain = spec.shot.blocking.model_copy(update={"place": "room", "people": []})
    shot = spec.shot.model_copy(update={"size": ShotSize.wide, "blocking": plain})
    level = replace(spec, shot=shot.model_copy(update={"angle": Angle.eye_level}))
    dutch = replace(spec, shot=shot.model_copy(update={"angle": Angle.dutch}))
    r = SketchRenderer()

    def horizon_rows(im, x):  # rows where the faint horizon line darkens the background
        col = np.asarray(im.convert("L"), dtype=np.int16)[:, x]
        bg = np.median(col)
        return [y for y in range(200, 700) if bg - col[y] > 8]

    a, b = r.render([level, dutch])
    flat = horizon_rows(a, 5), horizon_rows(a, 535)
    tilted = horizon_rows(b, 5), horizon_rows(b, 535)
    assert flat[0] and flat[0] == flat[1]
    assert tilted[0] and tilted[1] and min(tilted[0]) - min(tilted[1]) > 40  # 8° over 530 px
