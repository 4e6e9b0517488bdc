from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from screenplain.parsers import fountain as fountain_parser

from aiscript.export import SHOTLIST_COLUMNS, to_fountain
from aiscript.schema import Episode, Series, Storyboard


def _dialogue(text: str):
    screenplay = fountain_parser.parse(io.StringIO(text))
    out, headings = [], []
    for p in screenplay.paragraphs:
        name = type(p).__name__
        if name == "Dialog":
            said = [str(t) for is_paren, t in p.blocks if not is_paren]
            out.append((str(p.character), " ".join(said)))
        elif name == "Slug":
            headings.append(str(p.line))
    return out, headings


@pytest.mark.parametrize("run_name", ["zh_run", "en_run"])
def test_every_dialogue_line_parses_as_dialogue_in_a_fountain_parser(run_name, request):
    prod = request.getfixturevalue(run_name)
    for ep in prod.episodes:
        text = Path(prod.out, f"episodes/ep{ep.number:03d}.fountain").read_text(encoding="utf-8")
        parsed, headings = _dialogue(text)
        expected = [(ln.speaker, ln.text) for ln in ep.lines()]
        assert parsed == expected
        assert len(headings) == len(ep.scenes)


def test_chinese_headings_and_parentheticals_survive_fountain():
    ep = Episode.example()
    ep.scenes[0].shots[0].lines[0].parenthetical = "冷笑"
    text = to_fountain(ep)
    assert ".内 总裁办公室 - 日" in text and "@林晚\n(冷笑)\n" in text
    parsed, headings = _dialogue(text)
    assert parsed == [("林晚", "这份工作，我不干了。")] and headings == ["内 总裁办公室 - 日"]


@pytest.mark.parametrize("run_name", ["zh_run", "en_run"])
def test_every_json_file_validates_against_the_models(run_name, request):
    prod = request.getfixturevalue(run_name)
    root = Path(prod.out)
    Series.model_validate_json((root / "series.json").read_bytes())
    for n in range(1, 4):
        Episode.model_validate_json((root / f"episodes/ep{n:03d}.json").read_bytes())
        board = Storyboard.model_validate_json(
            (root / f"storyboards/ep{n:03d}/storyboard.json").read_bytes())
        assert all((root / f"storyboards/ep{n:03d}" / f.image).is_file() for f in board.frames)


def test_shot_list_has_a_row_per_shot_with_the_columns(zh_run):
    root = Path(zh_run.out)
    with open(root / "shotlist.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == SHOTLIST_COLUMNS
    assert len(rows) == sum(len(ep.shots()) for ep in zh_run.episodes)
    assert all((root / r["image"]).is_file() for r in rows)
    assert any("林晚" in r["dialogue"] for r in rows)


def test_contact_sheets_link_every_frame_and_the_pdf_embeds_cjk_text(zh_run):
    from pypdf import PdfReader

    board = zh_run.storyboards[0]
    folder = Path(zh_run.out, board.folder)
    html = (folder / "contact_sheet.html").read_text(encoding="utf-8")
    assert all(f'src="{f.image}"' in html for f in board.frames)
    reader = PdfReader(folder / "contact_sheet.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    first_line = zh_run.episodes[0].lines()[0]
    assert first_line.text in text.replace("\n", "")
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = [f.get_object()["/FontDescriptor"].get_object() for f in fonts.values()
                if "WenQuanYi" in f.get_object()["/BaseFont"]]
    assert embedded and all("/FontFile2" in d for d in embedded), "the CJK font must be embedded"
