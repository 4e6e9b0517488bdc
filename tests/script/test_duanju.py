from __future__ import annotations

from pathlib import Path

from aiscript.analysis import analyze
from aiscript.analysis.formats import read_path, read_text
from aiscript.export.duanju import to_duanju


def test_the_duanju_layout_reads_back_to_the_same_lines(zh_season):
    _, eps = zh_season
    for ep in eps:
        text = to_duanju(ep)
        script = read_text(text, f"ep{ep.number:03d}.txt")
        assert script.format == "zh_layout"
        said = [(e.speaker, e.parenthetical, e.text) for e in script.elements
                if e.kind == "dialogue"]
        assert said == [(ln.speaker, ln.parenthetical or "", ln.text) for ln in ep.lines()]
        actions = [e.text for e in script.elements if e.kind == "action"]
        assert actions == [sh.action for _, sh in ep.shots() if sh.action]
        headings = [e.text for e in script.elements if e.kind == "heading"]
        assert len(headings) == len(ep.scenes)
        h = ep.scenes[0].heading  # read back through the readers' heading parser
        assert headings[0] == f"{h.setting}. {h.place} - {h.time}"


def test_the_duanju_layout_has_headings_cast_and_marked_action(zh_season):
    _, eps = zh_season
    text = to_duanju(eps[0])
    lines = text.splitlines()
    assert lines[0] == f"第1集 {eps[0].title}"
    assert lines[2].split()[1] in ("日", "夜", "晨", "昏") and lines[2].split()[2] in ("内", "外")
    assert lines[3].startswith("人物：") and "林晚" in lines[3]
    assert any(ln.startswith("△") for ln in lines)
    first = eps[0].lines()[0]
    assert f"{first.speaker}（{first.parenthetical}）：{first.text}" in lines


def test_a_chinese_run_writes_the_duanju_layout_and_the_analyser_reads_it(zh_run, en_run):
    zh_out = Path(zh_run.out)
    txt = zh_out / "episodes" / "ep001.txt"
    assert txt.is_file() and (zh_out / "episodes" / "ep001.fountain").is_file()
    report = analyze(txt)
    assert report.format == "zh_layout" and report.episode == 1
    assert report.hook.present == analyze(zh_run.episodes[0]).hook.present
    assert read_path(txt).elements
    assert not (Path(en_run.out) / "episodes" / "ep001.txt").exists()


def test_a_scene_number_joined_to_its_place_is_a_heading():
    s = read_text("6-1灾厄超市-收银台 日 内\n人物：王青 阮美美\n▲王青靠在收银台上，喘着粗气\n"
                  "阮美美：你活下来了？\n7-2走廊 夜 内\n▲门外传来一声惨叫。", "ep06.txt")
    heads = [e for e in s.elements if e.kind == "heading"]
    assert [h.text for h in heads] == ["INT. 灾厄超市-收银台 - DAY", "INT. 走廊 - NIGHT"]
    assert s.elements[1].text == "王青靠在收银台上，喘着粗气"


def test_an_os_tag_after_the_cue_and_its_parenthetical_is_a_line_not_an_action():
    s = read_text("1-1走廊 夜 内\n王青（叹气）OS：只能摸黑硬着头皮走到最后了。\n"
                  "陆昱 OS：邻居……是不是知道了些什么？\n王青OS：终于送走了。\n"
                  "Carlos：hola。", "ep01.txt")
    said = [(e.speaker, e.parenthetical, e.text) for e in s.elements if e.kind == "dialogue"]
    assert said == [("王青", "叹气; OS", "只能摸黑硬着头皮走到最后了。"),
                    ("陆昱", "OS", "邻居……是不是知道了些什么？"),
                    ("王青", "OS", "终于送走了。"), ("Carlos", "", "hola。")]


def test_scene_headings_in_the_layouts_of_serials_and_vertical_dramas_are_headings():
    # "5—1场景:日，外，place", a Kangxi radical for 日 and a zero-width space, "第20幕",
    # a place and time in parentheses ("（客房-日）", "（大厅）夜")
    for text, place in (("5—1场景:日，外，天兵校场\n人:周岩，赵烈\n赵烈：跪下！", "天兵校场"),
                        ("场1-1 \u2f47 内 飞机头等舱\u200b\n机舱猛地一震。\n乘客：啊！", "飞机头等舱"),
                        ("第20幕\n（养心殿）\n皇帝：退下吧。\n众人：是。", None),
                        ("（客房-日）\n老周躺在床上。\n老周：哎呦。\n小六：忍着点。", "客房"),
                        ("（大厅）夜\n众人围坐。\n老周：开饭！\n小六：来了！", "大厅")):
        script = read_text(text, "ep.txt")
        assert script.elements[0].kind == "heading", (text, script.elements[:2])
        if place:
            assert place in script.elements[0].text, script.elements[0].text
        assert not any(e.speaker == "人" for e in script.elements), text
