"""`aiscript storyboard` on finished scripts: Fountain, both 短剧 layouts, FDX and JSON in;
episodes, 9:16 storyboards, reports, FDX and a shot list out. Round trips through Fountain and
FDX keep every line."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from aiscript.cli import main
from aiscript.export.fdx import to_fdx
from aiscript.export.fountain import to_fountain
from aiscript.schema import BeatReport, Episode, Storyboard
from aiscript.script import read_script, read_text
from aiscript.shots.planner import plan_episode

from .conftest import BRICK, SCENES, STANDARD, VENDOR, lines_of, sequence

FDX_PUBLIC = VENDOR / "screenplain/simple.fdx"


def said(ep: Episode) -> list[tuple]:
    return [(ln.speaker, ln.parenthetical, ln.text) for ln in ep.lines()]


@pytest.fixture(scope="module")
def written_fdx(tmp_path_factory) -> Path:
    """An FDX written by the exporter from the standard 短剧 sample (two episodes)."""
    path = tmp_path_factory.mktemp("fdx") / "shanhun.fdx"
    eps = [plan_episode(d) for d in read_script(STANDARD)]
    path.write_text(to_fdx(eps[0]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def boards(tmp_path_factory, written_fdx) -> Path:
    out = tmp_path_factory.mktemp("import") / "out"
    main(["storyboard", str(BRICK), str(STANDARD), str(SCENES), str(FDX_PUBLIC),
          str(written_fdx), "--out", str(out)])
    return out


NAMES = {
    BRICK: ["Brick-and-Steel"], STANDARD: ["shanhun-standard_ep001", "shanhun-standard_ep002"],
    SCENES: ["chongsheng-scenes_ep001", "chongsheng-scenes_ep002"], FDX_PUBLIC: ["simple"],
}


def test_every_source_line_is_in_the_episode_json_in_order(boards, written_fdx):
    for source, names in [*NAMES.items(), (written_fdx, ["shanhun"])]:
        expected = lines_of(read_script(source))
        got = [t for name in names for t in said(Episode.model_validate_json(
            (boards / f"episodes/{name}.json").read_bytes()))]
        assert got == expected and got, source.name
    # and against the raw text, not only the reader: every speech of Brick & Steel is there
    brick = Episode.model_validate_json((boards / "episodes/Brick-and-Steel.json").read_bytes())
    text = " ".join(ln.text for ln in brick.lines())
    for speech in ("Beer's ready!", "Does a bear crap in the woods?", "To retirement."):
        assert speech in text


def test_storyboards_are_vertical_and_complete_with_sheets_reports_and_shot_list(boards):
    for name in [n for names in NAMES.values() for n in names]:
        folder = boards / "storyboards" / name
        board = Storyboard.model_validate_json((folder / "storyboard.json").read_bytes())
        ep = Episode.model_validate_json((boards / f"episodes/{name}.json").read_bytes())
        assert [f.shot_id for f in board.frames] == [sh.id for _, sh in ep.shots()]
        with Image.open(folder / board.frames[0].image) as im:
            assert im.width * 16 == im.height * 9
        for extra in ("contact_sheet.html", "contact_sheet.pdf", "animatic.gif"):
            assert (folder / extra).stat().st_size > 0, (name, extra)
        for ext in ("fountain", "fdx"):
            assert (boards / f"episodes/{name}.{ext}").stat().st_size > 0
        BeatReport.model_validate_json((boards / f"episodes/{name}.report.json").read_bytes())
        # shots carry the source lines they came from
        assert all(sh.source_lines for _, sh in ep.shots())
    with open(boards / "shotlist.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["image"].split("/")[1] for r in rows} >= {"Brick-and-Steel", "simple"}
    assert any("林晚: 子豪，你到哪了？" in r["dialogue"] for r in rows)


def test_the_beat_report_marks_hook_and_cliffhanger_on_shots_and_sheet(boards):
    name = "shanhun-standard_ep001"
    report = BeatReport.model_validate_json((boards / f"episodes/{name}.report.json").read_bytes())
    ep = Episode.model_validate_json((boards / f"episodes/{name}.json").read_bytes())
    beats = [sh.beat for _, sh in ep.shots()]
    assert ("hook" in beats) == report.hook.present
    assert (beats[-1] == "cliffhanger") == report.cliffhanger.present
    sheet = (boards / f"storyboards/{name}/contact_sheet.html").read_text(encoding="utf-8")
    from aiscript.importing import beat_note

    assert f'<p class="note">{beat_note(report, "zh")}</p>' in sheet
    assert ("no hook" in sheet) != report.hook.present
    assert "<title>闪婚总裁 · 1</title>" in sheet


def test_cast_comes_from_the_cues_with_distinct_fixed_looks(boards):
    cast = json.loads((boards / "cast.json").read_text(encoding="utf-8"))["characters"]
    names = [c["name"] for c in cast]
    assert {"林晚", "顾言", "BRICK", "STEEL", "沈清歌"} <= set(names)
    leads = [c["look_en"] for c in cast[:5]]
    assert len(set(leads)) == len(leads)
    board = Storyboard.model_validate_json(
        (boards / "storyboards/shanhun-standard_ep001/storyboard.json").read_bytes())
    lin = next(c for c in cast if c["name"] == "林晚")
    first = next(f for f in board.frames if f.shot_id == "1-1-2")  # 林晚 speaks
    assert lin["look_en"] in first.prompt


def test_a_cast_file_fixes_looks_seeds_and_reference_images(tmp_path):
    (tmp_path / "refs").mkdir()
    Image.new("RGB", (8, 8), "red").save(tmp_path / "refs/lin.png")
    cast = tmp_path / "cast.yaml"
    cast.write_text("characters:\n  - name: 林晚\n    look: 红色风衣，齐肩短发\n"
                    "    look_en: woman in a red trench coat, bob haircut\n    seed: 42\n"
                    "    reference: refs/lin.png\n", encoding="utf-8")
    from aiscript.importing import storyboard_scripts

    result = storyboard_scripts([STANDARD], tmp_path / "out", cast_file=cast)
    lin = result.bible.character("林晚")
    assert (lin.visual, lin.seed) == ("红色风衣，齐肩短发", 42)
    assert lin.visual_prompt == "woman in a red trench coat, bob haircut"
    saved = json.loads((tmp_path / "out/cast.json").read_text(encoding="utf-8"))["characters"]
    assert saved[0]["reference"] == str((tmp_path / "refs/lin.png").resolve())
    board = result.storyboards[0]
    led = {sh.id for _, sh in result.episodes[0].shots() if sh.characters[:1] == ["林晚"]}
    assert led and all(f.seed == 42 for f in board.frames if f.shot_id in led)


def test_a_cast_file_with_a_missing_reference_is_a_clear_error(tmp_path, capsys):
    cast = tmp_path / "cast.json"
    cast.write_text(json.dumps([{"name": "林晚", "reference": "nope.png"}]), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["storyboard", str(STANDARD), "--cast", str(cast), "--out", str(tmp_path / "o")])
    assert info.value.code == 2
    assert "reference image nope.png of 林晚 not found" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()  # nothing written before the inputs are known good


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"no markers, just prose."])
def test_bad_scripts_exit_2_with_one_error_line_and_no_traceback(tmp_path, content):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    r = subprocess.run([sys.executable, "-m", "aiscript", "storyboard", str(bad), "--out",
                        str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr
    assert len([ln for ln in r.stderr.splitlines() if ln.startswith("error:")]) == 1


def test_storyboard_of_an_episode_json_keeps_its_shots_and_the_runs_cast(zh_run, tmp_path):
    ep_path = Path(zh_run.out) / "episodes/ep001.json"
    main(["storyboard", str(ep_path), "--out", str(tmp_path / "o")])
    again = Episode.model_validate_json((tmp_path / "o/episodes/ep001.json").read_bytes())
    original = zh_run.episodes[0]
    assert [sh.id for _, sh in again.shots()] == [sh.id for _, sh in original.shots()]
    assert said(again) == said(original)
    cast = json.loads((tmp_path / "o/cast.json").read_text(encoding="utf-8"))["characters"]
    bible = zh_run.series.bible
    assert [c["look"] for c in cast[:5]] == [c.visual for c in bible.characters]


# --------------------------------------------------------------------------- round trips


def test_fountain_round_trip_keeps_every_line_speaker_and_action_in_order():
    for source in (BRICK, STANDARD, SCENES, VENDOR / "afterwriting/sc.fountain"):
        for draft in read_script(source):
            ep = plan_episode(draft)
            [back] = read_text(to_fountain(ep), "back.fountain")
            assert _content(sequence([back])) == _content(sequence([draft])), source.name


def test_fdx_round_trip_keeps_every_line_speaker_and_action_in_order(tmp_path):
    for source in sorted((VENDOR / "screenplain").glob("*.fdx")) + [BRICK, STANDARD]:
        for draft in read_script(source):
            ep = plan_episode(draft)
            xml = to_fdx(ep)
            [back] = read_text(xml, "back.fdx")
            assert _content(sequence([back])) == _content(sequence([draft])), source.name
            # and out again: the same document
            assert to_fdx(plan_episode(back)) == xml


def test_fdx_keeps_chinese_as_utf8_text_and_writes_final_draft_paragraph_types():
    ep = plan_episode(read_script(STANDARD)[0])
    xml = to_fdx(ep)
    assert "林晚" in xml and "&#" not in xml
    for kind in ("Scene Heading", "Action", "Character", "Parenthetical", "Dialogue"):
        assert f'Type="{kind}"' in xml
    cut = plan_episode(read_text("INT. A - DAY\n\nAVA\nGo.\n\nCUT TO:\n\nEXT. B - DAY\n\nRain.",
                                 "t.fountain")[0])
    assert '<Paragraph Type="Transition">\n      <Text>CUT TO:</Text>' in to_fdx(cut)


def test_aiscript_run_writes_fdx_beside_the_fountain(zh_run):
    out = Path(zh_run.out)
    for ep in zh_run.episodes:
        fdx = out / f"episodes/ep{ep.number:03d}.fdx"
        [back] = read_script(fdx)
        assert [(t[0], t[2]) for t in lines_of([back])] == [(s, t) for s, _, t in said(ep)]


def _content(seq: list[tuple]) -> list[tuple]:
    """Lines and actions (headings are layout: their case and wording may differ). An action
    that plays too long for one shot is cut into shots at its sentences, so consecutive
    actions are compared as one text, spaces normalised."""
    out: list[tuple] = []
    for t in seq:
        if t[0] == "heading":
            continue
        if t[0] == "action" and out and out[-1][0] == "action":
            sep = "" if re.search(r"[\u4e00-\u9fff]", t[1]) else " "
            out[-1] = ("action", f"{out[-1][1]}{sep}{t[1]}")
        else:
            out.append(t)
    return [("action", " ".join(t[1].split())) if t[0] == "action" else t for t in out]


def test_cast_guesses_keep_each_scripts_leads_language_and_elders():
    from aiscript.importing import prepare_import

    cast = {c.name: c for c in prepare_import([BRICK, STANDARD, SCENES]).cast.characters}
    assert cast["林晚"].role == cast["沈清歌"].role == cast["STEEL"].role == "protagonist"
    assert cast["林晚"].visual != cast["林晚"].visual_prompt  # a Chinese look for a Chinese script
    assert cast["STEEL"].visual == cast["STEEL"].visual_prompt
    assert cast["老夫人"].role == "elder"
    assert (cast["顾言"].gender, cast["周子豪"].gender, cast["沈清柔"].gender) == \
        ("male", "male", "female")
