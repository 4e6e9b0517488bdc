"""Storyboard sheets a person can use: names on sketch figures, the CJK font inside the HTML
contact sheet, checked in headless Chromium with no system fonts at all."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from aiscript.export.contact_sheet import contact_sheet_html
from aiscript.schema import Frame, Storyboard
from aiscript.storyboard import frame_specs
from aiscript.storyboard.sketch import SketchRenderer


def _spec_with_names(zh_season, names: dict[str, str]):
    """The first two-character frame of the season, its characters renamed."""
    series, eps = zh_season
    bible = series.bible.model_copy(deep=True)
    for c in bible.characters:
        c.name = names.get(c.name, c.name)
    ep = eps[0].model_copy(deep=True)
    for _, shot in ep.shots():
        shot.characters = [names.get(n, n) for n in shot.characters]
    return next(s for s in frame_specs(bible, ep) if len(s.cast) == 1)


def test_each_sketch_figure_carries_its_characters_name_under_its_head(zh_season):
    series, _ = zh_season
    lead = series.bible.characters[0].name
    a = np.asarray(SketchRenderer().draw(_spec_with_names(zh_season, {})), dtype=int)
    spec = _spec_with_names(zh_season, {lead: "另一个名字很长"})
    b = np.asarray(SketchRenderer().draw(spec), dtype=int)
    # the caption names the speaker too: look only above the caption, where the figure is
    top = int(960 * 0.55)
    rows, cols = np.nonzero(np.abs(a[:top] - b[:top]).sum(axis=2))
    assert rows.size > 200, "renaming the character changed nothing in the picture"
    _, x, y, size = SketchRenderer()._figures(Image.new("RGB", (540, 960)), spec)[0]
    assert rows.min() >= y and rows.max() <= y + size + 80  # a tag just under the head


def _board(captions: list[str]) -> Storyboard:
    frames = [Frame(shot_id=f"1-1-{i}", prompt="p", seed=0, image=f"1-1-{i}.png", width=540,
                    height=960, start_s=float(i), duration_s=1.0, caption=c)
              for i, c in enumerate(captions, start=1)]
    return Storyboard(series_title="闪婚总裁", episode=1, renderer="sketch", width=540,
                      height=960, frames=frames)


def test_html_contact_sheet_embeds_the_cjk_glyphs_it_uses_and_only_those():
    from fontTools.ttLib import TTFont

    board = _board(["林晚：这份工作，我不干了。", "顾言：好。"])
    page = contact_sheet_html(board, "闪婚总裁 · 1")
    data = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page).group(1)
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    cmap = font.getBestCmap()
    for ch in "林晚这份工作我不干了顾言好闪婚总裁":
        assert ord(ch) in cmap, ch
    assert ord("龙") not in cmap  # a subset, not the 5 MB font
    assert len(data) < 200_000
    assert "font-family:\"AiscriptCJK\"" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _screenshot(html: Path, png: Path, fonts_conf: Path) -> np.ndarray:
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={html.parent / 'profile'}", "--window-size=900,700",
         "--virtual-time-budget=5000", f"--screenshot={png}", html.as_uri()],
        check=True, capture_output=True, timeout=120,
        env={"FONTCONFIG_FILE": str(fonts_conf), "HOME": str(html.parent),
             "PATH": "/usr/bin:/bin"},
    )
    with Image.open(png) as im:
        return np.asarray(im.convert("L"), dtype=int)


@pytest.fixture
def latin_only_fonts(tmp_path) -> Path:
    """A fontconfig whose only font has no Chinese (the CJK font cut down to ASCII): the
    machine without CJK fonts, on any machine."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from aiscript.fonts import cjk_font_path

    (tmp_path / "fonts").mkdir()
    font = TTFont(str(cjk_font_path()), fontNumber=0)
    options = subset.Options()
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(map(chr, range(32, 127))))
    subsetter.subset(font)
    font.save(tmp_path / "fonts/latin.ttf")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "fonts"}</dir>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    return conf


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed "
                    "(apt-get install -y chromium) to check the contact sheet's font")
def test_contact_sheet_shows_chinese_in_chromium_on_a_machine_without_cjk_fonts(
        tmp_path, latin_only_fonts):
    def title_pixels(title: str, embed: bool) -> np.ndarray:
        page = contact_sheet_html(_board([]), title)
        if not embed:
            page = re.sub(r"@font-face\{[^}]*\}", "", page)
        html = tmp_path / f"{len(list(tmp_path.glob('*.html')))}.html"
        html.write_text(page, encoding="utf-8")
        return _screenshot(html, html.with_suffix(".png"), latin_only_fonts)[:120]

    a, b = title_pixels("林晚闪婚总裁顾言", True), title_pixels("沈清歌重生又归来", True)
    ink_a = (a > 128).sum()  # light text on the dark page
    assert ink_a > 1000 and (b > 128).sum() > 1000, "no Chinese drawn with the embedded font"
    assert np.abs(a - b).sum() > 0, "different titles drew the same pixels (tofu)"
    # the control: without the embedded font the same two titles are indistinguishable boxes
    # (or nothing): the check above can fail
    plain_a, plain_b = title_pixels("林晚闪婚总裁顾言", False), title_pixels("沈清歌重生又归来", False)
    assert np.abs(plain_a - plain_b).sum() == 0


def test_over_the_shoulder_sketch_shows_the_speaker_past_the_listeners_shoulder():
    from aiscript.importing import prepare_import

    from ..conftest import BRICK

    prepared = prepare_import([BRICK])
    specs = frame_specs(prepared.bible, prepared.scripts[0].episode)
    ots = [s for s in specs if s.shot.size.value == "over_the_shoulder" and s.shot.lines
           and len(s.cast) == 2]
    assert ots
    for spec in ots:
        placed = SketchRenderer()._figures(Image.new("RGB", (540, 960)), spec)
        foreground = max(placed, key=lambda p: p[3])[0]  # the biggest head is nearest
        assert foreground.name != spec.shot.lines[0].speaker


def test_a_page_cut_from_the_season_font_is_the_same_as_from_the_whole_font():
    from aiscript import fonts

    season = fonts.season_font("闪婚总裁 · 1 林晚：你，现在跟我进去领证！ Ava Lin: Sign it. 顾言：好。")
    text = "林晚：你，现在跟我进去领证！ Ava Lin: Sign it."
    assert fonts.font_face_css(text, source=season) == fonts.font_face_css(text)
    assert len(season.data) < 100_000  # the season's characters, not the 5 MB font
    # a page showing a character the season's cut lacks is cut from the whole font
    page = fonts.font_face_css(text + "龘", source=season)
    assert page == fonts.font_face_css(text + "龘") and page != fonts.font_face_css(text)


def test_the_seasons_sheets_hold_every_character_they_show_and_need_no_other_file(zh_run):
    import html as html_lib

    from fontTools.ttLib import TTFont

    pages = sorted((Path(zh_run.out) / "storyboards").glob("ep*/contact_sheet.html"))
    assert len(pages) == 3
    for page_path in pages:
        page = page_path.read_text(encoding="utf-8")
        data = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page).group(1)
        cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
        shown = html_lib.unescape(re.sub(r"<[^>]+>", "", page.split("</style>")[1]))
        missing = {ch for ch in shown if not ch.isspace() and ord(ch) not in cmap}
        assert not missing, missing


def test_what_a_page_shows_decides_its_font_not_its_html_escapes(monkeypatch):
    from aiscript import fonts

    season = fonts.season_font("Ava's Husband · 11-1-林晚：好。")
    sources, cut = [], fonts._cut
    monkeypatch.setattr(fonts, "_cut", lambda chars, source, flavor: (
        sources.append(source), cut(chars, source, flavor))[1])
    contact_sheet_html(_board(["林晚：好。"]), "Ava's Husband · 1", font=season)
    # &#x27; on the page needs no '#' or 'x': the page is cut from the season's font
    assert sources == [season.data]
