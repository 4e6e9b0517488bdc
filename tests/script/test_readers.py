"""Script readers: Fountain, the two 短剧 layouts, FDX and Episode JSON into scenes of beats."""

from __future__ import annotations

import io
import re

import pytest

from aiscript.errors import AiscriptError
from aiscript.script import read_script, read_text, script_format

from ..conftest import BRICK, SCENES, STANDARD, VENDOR, lines_of, sequence

# --------------------------------------------------------------------------- vendored cases

PAIRS = sorted(p.stem for p in (VENDOR / "screenplain").glob("*.fdx"))


@pytest.mark.parametrize("case", PAIRS)
def test_screenplain_fountain_cases_read_like_the_fdx_screenplain_writes_for_them(case):
    fountain = read_script(VENDOR / "screenplain" / f"{case}.fountain")
    fdx = read_script(VENDOR / "screenplain" / f"{case}.fdx")
    assert sequence(fountain) == sequence(fdx)
    assert sequence(fountain)


def test_vendored_cases_classify_speakers_parentheticals_and_dual_dialogue():
    paren = read_script(VENDOR / "screenplain/parenthetical.fountain")
    assert lines_of(paren) == [("JOHN DOE", "screaming", "Hello!!!")]
    dual = read_script(VENDOR / "screenplain/dual-dialogue.fdx")
    assert lines_of(dual) == [("GIRL", None, "Hey!"), ("GUY", None, "Hello!")]
    simple = sequence(read_script(VENDOR / "screenplain/simple.fountain"))
    assert simple[0] == ("heading", "EXT", "SOMEWHERE", "DAY")
    assert simple[3] == ("line", "GUY", None, "So what's up?")
    assert simple[4] == ("line", "GURL", None, "Nothing much.\nJust thinking.\nAnd you?")
    forced = sequence(read_script(VENDOR / "screenplain/forced-action.fountain"))
    assert [t[0] for t in forced[1:]] == ["action"]
    ext = read_script(VENDOR / "screenplain/dialogue-character-extension.fountain")
    assert lines_of(ext) == [("HANS", "on the radio", "What was it you said?")]


def test_boneyard_notes_and_synopses_are_skipped_sections_are_not_content():
    bone = sequence(read_script(VENDOR / "screenplain/boneyard.fountain"))
    assert not any("GARAGE" in str(t) or "retirement" in str(t) for t in bone)
    assert ("heading", "EXT", "PALATIAL MANSION", "DAY") in bone
    notes = " ".join(str(t) for t in sequence(read_script(VENDOR / "screenplain/notes.fountain")))
    assert "some notes" not in notes and "Before1 After1" in notes
    sections = sequence(read_script(VENDOR / "screenplain/sections.fountain"))
    assert not any("level" in str(t) or "Synopsis" in str(t) for t in sections)
    assert [t[2] for t in sections if t[0] == "heading"] == ["STREET", "ALLEY"]
    # CONTINUOUS keeps the time of the scene before
    assert sections[-2] == ("heading", "EXT", "ALLEY", "DAWN")


@pytest.mark.parametrize("case", ["note", "header_note", "synopsis"])
def test_afterwriting_fdx_notes_and_synopses_are_not_read_as_script(case):
    fdx = sequence(read_script(VENDOR / "afterwriting" / f"{case}.fdx"))
    fountain = sequence(read_script(VENDOR / "afterwriting" / f"{case}.fountain"))
    assert fdx == fountain
    assert not any("Note" in str(t) or "synopsis" in str(t) for t in fdx)


def test_chinese_fountain_typed_with_full_width_punctuation_reads_cues_and_headings():
    [ep] = read_script(VENDOR / "afterwriting/sc.fountain")
    assert ep.series_title == "电影" and ep.language == "zh"
    assert ("heading", "INT", "医院", "DAY") in sequence([ep])
    assert lines_of([ep]) == [("约翰", "丢失", "这是什么地方？")]


# --------------------------------------------------------------------------- real scripts


def test_brick_and_steel_keeps_every_speech_in_order_with_its_source_line():
    from screenplain.parsers import fountain

    text = BRICK.read_text(encoding="utf-8")
    expected = []
    for p in fountain.parse(io.StringIO(text)).paragraphs:
        dialogs = {"Dialog": lambda p: [p], "DualDialog": lambda p: [p.left, p.right]}
        for d in dialogs.get(type(p).__name__, lambda p: [])(p):
            expected += [str(t) for is_paren, t in d.blocks if not is_paren]
    [ep] = read_script(BRICK)
    got = [t[2] for t in lines_of([ep])]
    assert "\n".join(got).split("\n") == expected
    source = text.splitlines()
    for sc in ep.scenes:
        for el in sc.elements:
            said = el.line.text.split("\n")[0] if el.line else el.action.split("\n")[0]
            near = "\n".join(source[el.source_line - 1 : el.source_line + 2])
            assert said.replace("*", "")[:20] in near.replace("*", "").replace("_", ""), el
    assert ep.series_title.startswith("BRICK & STEEL")
    assert ep.scenes[0].heading.place == "BRICK'S PATIO"


def test_standard_duanju_layout_splits_episodes_and_keeps_emotions_and_subtitles():
    eps = read_script(STANDARD)
    assert [e.number for e in eps] == [1, 2] and eps[0].series_title == "闪婚总裁"
    first = eps[0].scenes[0]
    assert first.heading.model_dump() == {"setting": "EXT", "place": "民政局门口", "time": "DAY"}
    assert first.characters[:2] == ["林晚", "周子豪"]  # heading and 人物： on one line
    assert lines_of(eps)[:3] == [
        ("林晚", "焦急", "子豪，你到哪了？我们约的是九点。"),
        ("周子豪", "OS", "晚晚，对不起，我不来了。苏婉怀孕了。"),
        ("林晚", "颤声", "三年……你就用一句对不起打发我？"),  # the emotion after the colon
    ]
    assert ("action", "【字幕：一个小时后】") in sequence(eps)
    assert eps[1].scenes[0].heading.time == "NIGHT"
    assert eps[0].scenes[0].elements[1].source_line == 7


def test_scene_dialect_reads_tags_voice_over_and_continuity_notes():
    eps = read_script(SCENES)
    assert [(e.number, e.title) for e in eps] == [(1, "重生"), (2, "请安")]
    assert eps[0].series_title == "重生之嫡女归来"
    seq = sequence(eps)
    assert ("heading", "INT", "沈府祠堂", "NIGHT") in seq
    for tagged in ("[画面文字] 永安十二年，冬", "[SFX] 雷声，雨打窗棂",
                   "[连续性] 沈清歌左手腕戴母亲留下的玉镯，全片保持"):
        assert ("action", tagged) in seq
    assert ("line", "沈清歌", "VO", "那一夜，我死在了自己妹妹手里。") in seq
    assert ("line", "沈清歌", "冷笑", "让她等着。") in seq


def test_every_dialogue_line_of_the_duanju_samples_is_read_in_order():
    for path in (STANDARD, SCENES):
        text = path.read_text(encoding="utf-8")
        said = [ln.split("：", 1)[1].strip() for ln in text.splitlines()
                if "：" in ln and not ln.lstrip().startswith(("△", "【", "[画面", "[SFX", "[连续",
                                                             "人物", "1-", "2-"))
                and "人物：" not in ln]
        got = [t[2] for t in lines_of(read_script(path))]
        assert [s.split("）", 1)[-1] if s.startswith("（") else s for s in said] == got


def test_several_episodes_in_one_fountain_file_split_on_episode_sections():
    text = ("Title: Twins\n\n# Episode 1\n\nINT. A - DAY\n\nAVA\nOne.\n\n"
            "# Episode 2\n\nEXT. B - NIGHT\n\nBEN\nTwo.\n")
    eps = read_text(text, "twins.fountain")
    assert [(e.number, lines_of([e])) for e in eps] == [
        (1, [("AVA", None, "One.")]), (2, [("BEN", None, "Two.")])]


def test_episode_json_reads_back_its_lines():
    from aiscript.schema import Episode

    [d] = read_text(Episode.example().model_dump_json(), "ep.json")
    assert lines_of([d]) == [("林晚", None, "这份工作，我不干了。")]


# --------------------------------------------------------------------------- bad scripts


@pytest.mark.parametrize("content, message", [
    (b"", "empty script"),
    (b"   \n\n", "empty script"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"\xff\xfe\xfa bad", "not UTF-8"),
    (b"just some words in a row without any script markers at all", "unknown script layout"),
    (b"<FinalDraft><Content><Paragraph", "not well-formed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><FinalDraft>&a;</FinalDraft>',
     "unsafe XML"),
    (b"<svg></svg>", "not a Final Draft script"),
])
def test_bad_scripts_raise_one_clear_line(tmp_path, content, message):
    suffix = ".fdx" if content.startswith(b"<") else ".txt"
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(AiscriptError, match=message) as info:
        read_script(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_format_is_sniffed_from_content_when_the_extension_says_nothing():
    assert script_format("<?xml version='1.0'?><FinalDraft/>", "x.txt") == "fdx"
    assert script_format("1-1 日 内 办公室\n林晚：走。", "x.md") == "duanju"
    assert script_format("INT. ROOM - DAY\n\nBOB\nHi.\n", "x.txt") == "fountain"
    assert script_format('{"a": 1}', "x.txt") == "json"


def test_a_text_script_opening_with_a_bracketed_direction_is_read_as_text_not_json():
    text = ("[Jon leaves the tunnel and walks out into the snow.\nSmoke rises all around him.]\n"
            "MANCE: You're wearing a black cloak again.\nJON: I'm a brother of the Watch.\n"
            "MANCE: Are you?\nJON: I am.\nMANCE: Then why are you here?\n")
    assert script_format(text, "e10.txt") == "transcript"
    [ep] = read_text(text, "e10.txt")
    els = [e for sc in ep.scenes for e in sc.elements]
    assert els[0].action.startswith("Jon leaves the tunnel")
    assert [e.line.speaker for e in els if e.line][:2] == ["MANCE", "JON"]
    assert script_format("[1, 2", "x.txt") != "json"


def test_a_transcript_reads_its_cues_headings_and_directions():
    text = ("EXT: The North, Night\nSnow falls on the camp.\nGUARD #1: Riders approaching!\n"
            "ARYA: (whispers) Stay down. (She draws her sword)\nGUARD #1: Who goes there?\n"
            "INT. THE GREAT HALL\nSANSA: Close the gates.\nMAESTER: At once, my lady.\n"
            "Opening Credits\nARYA: Now.\n")
    [ep] = read_text(text, "e3.txt")
    assert [(sc.heading.setting, sc.heading.place, sc.heading.time) for sc in ep.scenes] == [
        ("EXT", "The North", "NIGHT"), ("INT", "THE GREAT HALL", "DAY")]
    first = ep.scenes[0].elements
    assert first[0].action == "Snow falls on the camp."
    assert (first[2].line.speaker, first[2].line.parenthetical, first[2].line.text) == (
        "ARYA", "whispers", "Stay down.")
    assert first[3].action == "She draws her sword"
    assert "Opening Credits" not in [e.action for sc in ep.scenes for e in sc.elements]
    # a Fountain script (a cue on its own line, after a blank line) stays Fountain
    assert script_format("INT. ROOM - DAY\n\nBOB\nHi: there.\n\nANN\nNo.\n", "x.txt") == "fountain"


def _elements(text: str, name: str = "ep.txt") -> list:
    [ep] = read_text(text, name)
    return [e for sc in ep.scenes for e in sc.elements]


def test_a_transcript_hard_wrapped_at_one_column_reads_each_paragraph_as_one_element():
    para = ("      (Aang pulls on the reins. Appa will not move. He pulls so hard that he \n"
            "      falls to the ground and the camera closes on his face.)\n\n"
            "      Sokka: Thanks for healing my arm, it was great. Really, really helpful \n"
            "      to have you here.\n\n"
            "      Katara: You're welcome.\n\n")
    text = "      Act I\n\n" + para * 8
    assert script_format(text, "108.txt") == "transcript"
    els = _elements(text, "108.txt")
    assert els[0].action.startswith("Aang pulls") and els[0].action.endswith("on his face.")
    assert (els[1].line.speaker, els[1].line.text) == (
        "Sokka", "Thanks for healing my arm, it was great. Really, really helpful to have you here.")
    assert len(els) == 3 * 8
    assert "Act I" not in [e.action for e in els]


def test_a_transcript_reads_bracketed_places_as_scene_headings_and_directions_as_action():
    text = ("[Jerry's Apartment]\nJERRY: You named him what?\nGEORGE: It's a family name.\n"
            "[Kramer enters]\nKRAMER: Hey.\n[At the comedy club]\nJERRY: So the bus.\n"
            "[Setting: Monk's Restaurant - Jerry, Elaine]\nELAINE: Well?\nJERRY: Nothing.\n"
            "[Scene Central Perk, the gang is there]\nJOEY: She winked at me.\n"
            "(Scene opens with a shot of the full moon.)\nROSS: Hi.\n")
    [ep] = read_text(text, "32.txt")
    assert [sc.heading.place for sc in ep.scenes] == [
        "Jerry's Apartment", "comedy club", "Monk's Restaurant", "Central Perk"]
    assert ep.scenes[0].elements[2].action == "Kramer enters"
    assert ep.scenes[-1].elements[1].action == "Scene opens with a shot of the full moon."


def test_an_opening_monologue_act_cards_and_a_recap_are_not_the_first_beat():
    monologue = ("Why do they call it a doggie bag? You know the dog is never going to see it. "
                 "Nobody goes home and says here, boy, I saved you half a veal chop. " * 2)
    for head in (f"[Opening Monologue]\nJERRY: {monologue}\n",
                 f"[At the comedy club]\nJERRY: {monologue}\n",
                 f"[Opening Monologue]\n{monologue}\n"):
        text = head + ("[Jerry's Apartment]\nGEORGE: I'm bored.\nJERRY: You're bored.\n"
                       "GEORGE: We're both boring.\nJERRY: Go home.\nGEORGE: Fine.\n")
        els = _elements(text, "61.txt")
        assert (els[0].line.speaker, els[0].line.text) == ("GEORGE", "I'm bored."), head[:30]
    recap = ("Previously on Grey Lake:\nMARA: You lied to me.\nTOM: I had to.\n"
             "Act One\n[Hospital]\nNURSE: Room four, now.\nMARA: Who's in four?\n"
             "NURSE: Your husband.\nMARA: Show me.\n")
    els = _elements(recap, "e2.txt")
    assert els[0].line.text == "Room four, now."


def test_a_transcripts_credits_block_at_the_top_is_front_matter():
    text = ("The Siege of the Fort, Part II\nWritten By: A. Writer\nDirected By: B. Director\n"
            "Storyboard By: C. Artist, D. Artist\nAnimation By: Studio Co., Ltd.\n"
            "Transcriber: Someone\nAct I\n(Fireballs arc over the walls and into the city.)\n"
            "Katara: I can't believe I lost him.\nSokka: We'll find him.\n"
            "Katara: Okay.\nSokka: Come on.\nYue: Wait for me.\n")
    els = _elements(text, "120.txt")
    assert els[0].action == "Fireballs arc over the walls and into the city."
    assert not any("By:" in (e.action or "") or e.line and "By" in e.line.speaker for e in els)


def test_a_duanju_file_hard_wrapped_at_one_column_reads_each_paragraph_whole():
    para = ("旁白：根据预言，那颗星将在二〇三八年再次回归近地点，重现史前的大洪水。不过\n"
            "，经由科学院的缜密计算，它到达近地点的时间将推迟六十年。\n\n"
            "（正值开学季。校园内青年男女络绎不绝，许梦龙与李含珠并肩走进校园，走在林荫\n"
            "道上。\n\n"
            "李含珠：（拍拍许梦龙手臂）别盯导航了，这里的建筑还是抓个人来问问直接……咦，你\n"
            "看，真的有石像呢。\n\n")
    els = _elements(para * 6, "seg01.md")
    assert (els[0].line.speaker, els[0].line.text) == (
        "旁白", "根据预言，那颗星将在二〇三八年再次回归近地点，重现史前的大洪水。不过，经由科学院的"
        "缜密计算，它到达近地点的时间将推迟六十年。")
    assert els[1].action.endswith("走在林荫道上。")
    assert els[2].line.text.endswith("你看，真的有石像呢。")
    assert len(els) == 3 * 6


def test_a_markdown_section_heading_in_a_duanju_file_opens_a_scene_and_is_no_beat():
    text = ("## 1 【灾难学】\n\n* 2095 年 9 月 1 日上午 8 点\n* 中国杭州、浙江大学\n\n"
            "（正值开学季。\n\n李含珠：别盯导航了。\n许梦龙：好。\n\n"
            "## 2 【神女之子】\n\n* 同日下午 6 点\n\n许梦龙：其实我也有一个妈妈。\n"
            "李含珠：我知道。\n")
    [ep] = read_text(text, "seg01.md")
    assert len(ep.scenes) == 2
    first = [e.action or e.line.text for e in ep.scenes[0].elements]
    assert first == ["（正值开学季。", "别盯导航了。", "好。"]
    assert ep.scenes[1].elements[0].line.text == "其实我也有一个妈妈。"


def test_a_place_alone_in_brackets_is_a_scene_heading_and_a_bracketed_direction_is_not():
    text = ("第八集\n\n第144幕\n（敬事房）\n徐进良：绿头牌做好了吗？\n太监：刚做好。\n"
            "（天井）\n天蒙蒙亮，一只公鸡开始打鸣。\n白展堂：差不多得了啊！\n（秀才出）\n"
            "（众人笑）\n秀才：子曾经曰过。\n")
    [ep] = read_text(text, "ep08.txt")
    assert [sc.heading.place for sc in ep.scenes] == ["敬事房", "天井"]
    assert ep.scenes[0].elements[0].line.text == "绿头牌做好了吗？"
    assert [e.action for e in ep.scenes[1].elements if e.action] == [
        "天蒙蒙亮，一只公鸡开始打鸣。", "（秀才出）", "（众人笑）"]


# --------------------------------------------------------------------------- Jouvence cases


def _jouvence_cases() -> list:
    import yaml

    cases = []
    for f in sorted((VENDOR / "jouvence").glob("*.yaml")):
        for i, case in enumerate(yaml.safe_load_all(f.read_text(encoding="utf-8"))):
            if case:
                cases.append(pytest.param(case, id=f"{f.stem}-{i}"))
    return cases


def _jouvence_expected(out: list[str]) -> tuple[list[tuple], int]:
    """Jouvence's expected elements as our lines: ``@`` cue, ``_`` parenthetical, ``=``
    dialogue (emphasis marks dropped: screenplain drops them); and the number of headings."""
    from aiscript.script.builder import split_cue

    lines, speaker, ext, paren, headings = [], "", [], None, 0
    for item in out:
        token, body = item[:1], item[1:]
        if token == "@":
            (speaker, ext), paren = split_cue(body), None
        elif token == "_":
            paren = body.strip().strip("()")
        elif token == "=":
            parts = [*ext, paren] if paren else list(ext)
            lines.append((speaker, "; ".join(p for p in parts if p) or None, _plain(body)))
            paren = None
        elif token == ".":
            headings += 1
    return lines, headings


def _plain(text: str) -> str:
    return re.sub(r"[*_]", "", text).strip()


@pytest.mark.parametrize("case", _jouvence_cases())
def test_jouvence_cases_give_the_same_cues_parentheticals_lines_and_headings(case):
    lines, headings = _jouvence_expected(case["out"])
    drafts = read_text(case["in"], "case.fountain")
    got = [(e.line.speaker, e.line.parenthetical, _plain(e.line.text))
           for d in drafts for s in d.scenes for e in s.elements if e.line]
    assert got == lines
    assert sum(s.heading.place != "(no heading)" for d in drafts for s in d.scenes) == headings
