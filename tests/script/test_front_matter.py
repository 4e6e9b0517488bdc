"""Front matter (titles, synopses, character notes, title pages, outlines, notes) is set aside
by every reader: the analyser's first beat, and so the hook, is the first thing on screen."""

from __future__ import annotations

import re

import pytest

from aiscript.analysis import analyze
from aiscript.analysis.formats import read_text as analyser_read
from aiscript.script import read_text as readers_read
from aiscript.script.front_matter import set_aside

# the layouts real 短剧 files come in, front matter first
ZH_STANDARD = """剧名：《闪婚后，总裁他后悔了》
简介：林晚被未婚夫背叛后，与陌生男人闪婚，却不知对方竟是顾氏集团总裁。
人物小传：
林晚：25岁，设计师，外柔内刚。
顾言：28岁，顾氏集团总裁，冷面。

第1集
1-1 日 内 民政局 人物：林晚、顾言
△林晚攥着户口本站在窗口前。
林晚：你确定要跟我结婚？
顾言：签字吧。
"""

ZH_BOOK = """《重生之嫡女归来》

【故事梗概】
沈府嫡女沈清辞被庶妹陷害，含冤而死，重生回到十五岁那年。

【主要人物】
沈清辞：沈府嫡女，重生者。
沈玉柔：庶妹，心机深沉。

【人物介绍】
老夫人：沈府最高长辈。

第一集 重生

**1-1 夜 内 沈府祠堂**
人物：沈清辞、沈玉柔
△祠堂里烛火摇曳，沈清辞跪在地上。
沈玉柔：姐姐，这杯毒酒，你喝了吧。
"""

ZH_MARKDOWN = """# 暗夜追凶

## 剧情简介
刑警队长陈默追查一桩连环失踪案。

## 人物
- 陈默：刑警队长
- 苏晓：法医

# EP001 失踪

## EP001-SC001 外 · 废弃工厂 · 夜
[画面] 一只沾血的高跟鞋躺在积水里。
[VO] 陈默：第三个了。
"""

ZH_ONE_LINE = """片名：逆袭
类型：都市 / 复仇　时长：2分钟
1-1 日 内 会议室 人物：张总、李然
△李然把一叠文件摔在张总面前。
李然：这是你挪用公款的证据。
"""

EN_TITLE_PAGE = """THE LAST CALL

Written by

Jane Doe

Draft 3 - March 2024

FADE IN:

EXT. ROOFTOP - NIGHT

A girl stands on the ledge, forty floors up, wind tearing at her coat.

MARCUS (O.S.)
Don't move!
"""

EN_FOUNTAIN_KEYS = """Title: Brick Road
Credit: Written by
Author: Sam Lee

Logline: A courier learns the parcel she carries is a bomb.

Characters:
NINA - 30, courier
RAY - her dispatcher

INT. VAN - DAY

Nina swerves through traffic. The parcel on the seat is ticking.
"""

EN_MARKDOWN = """# Dead Air

**Logline:** A radio host takes a call from a man who says he is in her building.

## Episode 1: The Caller

INT. RADIO BOOTH - NIGHT

The phone line blinks red. MAYA hesitates, then answers.

MAYA
You're on the air.
"""

# a TV episode's credits (who plays whom) before a scene given as a place in parentheses
ZH_CREDITS = """# 第9回 掌柜失算，跑堂露馅
参加演出
王掌柜——张三
小六子--李四
老周-王五饰
（大堂）夜
（小六子端着茶盘从后厨跑出来，一脚踩空）
小六子：哎呦！
王掌柜：我的茶碗！
"""

# a 人物小传 of numbered characters, each with its 核心身份 on the next line, and scenes given as
# "1—1场景:日，外，place"
ZH_NUMBERED_BIOS = """《天兵》
【人物小传】
1. 周岩
核心身份：天庭小兵，出身凡间。

2. 赵烈
核心身份：天将之子，仗势欺人。

1—1场景:日，外，天兵校场
人:周岩，赵烈
刀光一闪，赵烈的长刀架在周岩脖子上。
赵烈：跪下！
"""

# a fan transcript of a produced episode: a title twice, credits, a note, a scene in brackets
EN_TRANSCRIPT = """The One With the Borrowed Car
The One With the Borrowed Car
Written by: Jane Roe
Transcribed by: A. Fan
{Transcriber's Note: the neighbour is not named.}
[Scene: The coffee house, Mia and Tom are arguing.]
Mia: You crashed my car!
Tom: (quietly) It was already dented.
Mia: Already dented?!
(Tom backs away.)
Tom: I'll pay for it.
Mia: With what?
"""

FIRST = {
    "zh_standard": (ZH_STANDARD, "林晚攥着户口本站在窗口前。"),
    "zh_book": (ZH_BOOK, "祠堂里烛火摇曳，沈清辞跪在地上。"),
    "zh_markdown": (ZH_MARKDOWN, "一只沾血的高跟鞋躺在积水里。"),
    "zh_one_line": (ZH_ONE_LINE, "李然把一叠文件摔在张总面前。"),
    "en_title_page": (EN_TITLE_PAGE, "A girl stands on the ledge"),
    "en_fountain_keys": (EN_FOUNTAIN_KEYS, "Nina swerves through traffic."),
    "en_markdown": (EN_MARKDOWN, "The phone line blinks red."),
    "zh_credits": (ZH_CREDITS, "（小六子端着茶盘从后厨跑出来"),
    "zh_numbered_bios": (ZH_NUMBERED_BIOS, "刀光一闪"),
    "en_transcript": (EN_TRANSCRIPT, "You crashed my car!"),
}
NOT_BEATS = ("闪婚后", "林晚被未婚夫", "25岁", "故事梗概", "庶妹，心机", "最高长辈", "暗夜追凶",
             "刑警队长", "法医", "片名", "都市", "THE LAST CALL", "Jane Doe", "Draft 3",
             "Written by", "courier learns", "dispatcher", "Dead Air", "radio host takes",
             "The Caller", "参加演出", "张三", "李四", "王五", "周岩\n", "核心身份", "天庭小兵",
             "仗势欺人", "Borrowed Car", "Jane Roe", "A. Fan", "Transcriber")
SUFFIX = {"zh_markdown": "ep.md", "en_fountain_keys": "ep.fountain"}


def _analyser_texts(text: str, name: str) -> list[str]:
    script = analyser_read(text, SUFFIX.get(name, "ep.txt"))
    return [e.text for e in script.elements if e.kind != "heading"]


def _reader_texts(text: str, name: str) -> list[str]:
    [ep] = readers_read(text, SUFFIX.get(name, "ep.txt"))
    # this reader keeps a picture tag ([画面]) with its action
    return [re.sub(r"^\[[^\]]+\]\s*", "", e.action or e.line.text)
            for sc in ep.scenes for e in sc.elements]


@pytest.mark.parametrize("name", sorted(FIRST))
def test_the_first_beat_is_the_first_thing_on_screen_in_both_readers(name):
    text, first = FIRST[name]
    for texts in (_analyser_texts(text, name), _reader_texts(text, name)):
        assert texts[0].startswith(first), (name, texts[:3])
        assert not any(bad in t for t in texts for bad in NOT_BEATS), (name, texts)


@pytest.mark.parametrize("name", sorted(FIRST))
def test_a_title_or_synopsis_never_becomes_the_hook_evidence(name):
    text, first = FIRST[name]
    report = analyze(analyser_read(text, SUFFIX.get(name, "ep.txt")))
    assert report.hook.evidence is None or not any(bad in report.hook.evidence for bad in NOT_BEATS)
    assert report.hook.kind != "cold_open" or not report.hook.evidence.startswith(("《", "剧名"))


def test_the_reader_keeps_the_title_episode_and_scene_cast_it_set_aside():
    [ep] = readers_read(ZH_STANDARD, "x.txt")
    assert ep.series_title == "闪婚后，总裁他后悔了" and ep.number == 1
    assert ep.scenes[0].heading.place == "民政局" and ep.scenes[0].characters[:2] == ["林晚", "顾言"]
    [ep] = readers_read(ZH_BOOK, "x.txt")
    assert ep.series_title == "重生之嫡女归来" and ep.scenes[0].heading.place == "沈府祠堂"


def test_source_lines_survive_the_blanked_front_matter():
    [ep] = readers_read(ZH_STANDARD, "x.txt")
    assert ep.scenes[0].elements[0].source_line == 9


def test_notes_inside_a_scene_are_set_aside_but_cast_lines_and_dialogue_stay():
    text = ("1-1 日 内 客厅\n人物：甲、乙\n△甲推门进来。\n备注：此处需要雨声\n甲：你来了。\n"
            "【本集看点：真相大白】\n乙：我都知道了。\n")
    fm = set_aside(text)
    assert [ln for _, ln in fm.lines] == ["备注：此处需要雨声", "【本集看点：真相大白】"]
    assert "人物：甲、乙" in fm.text and "甲：你来了。" in fm.text


def test_a_script_without_headings_keeps_its_dialogue_after_a_cast_line():
    text = "剧名：小店\n人物：老板、顾客\n老板：要点什么？\n顾客：一碗面。\n"
    assert _analyser_texts(text, "x") == ["要点什么？", "一碗面。"]


def test_only_front_matter_is_a_clear_error():
    from aiscript.errors import AiscriptError

    with pytest.raises(AiscriptError, match="only a title, synopsis or notes"):
        analyser_read("剧名：《空》\n简介：什么也没有。\n", "x.txt")


def test_a_script_run_into_its_cast_line_keeps_its_lines():
    text = ("人物：老汉 两只老虎老汉：喝酒如喝水，三天不喝酒，口涎哗哗流。闻到酒香就走不动路。"
            "虎弟：虎哥快跑，赶快逃命吧！\n")
    texts = _analyser_texts(text, "x")
    assert texts and texts[0].startswith("喝酒如喝水") and not any("人物" in t for t in texts)


def test_a_script_run_into_its_title_line_is_read_whole_not_dropped():
    text = ("剧名：还想碰我 人物：大叔 富二代 旁观者" + "富二代开车经过路口，大叔突然扑倒在车前，大声喊疼。" * 6
            + "\n")
    assert _analyser_texts(text, "x")  # read (title and all), never "only a title"


def test_a_stage_play_head_glued_to_its_title_is_set_aside():
    s = analyser_read("月绝扶桑时间：抗日战争前后地点：杜月笙公寓人物：杜月笙、侍者\n"
                  "侍者：两位这边请。\n永野：杜先生真是客气。", "月绝扶桑.txt")
    assert [(e.speaker, e.text) for e in s.elements[:1]] == [("侍者", "两位这边请。")]
    s = analyser_read("蚩尤抢亲本集主要人物：蚩尤、昌意。\n一个风和日丽的日子。\n蚩尤：走！", "x.txt")
    assert s.elements[0].text == "一个风和日丽的日子。"


def test_the_file_name_on_the_first_line_is_the_title_not_a_beat():
    text = ("最后一次游戏\n时间：深秋的一个晚上\n地点：家里的灵堂\n舞台布景：舞台中央摆一个高桌。\n"
            "乐乐：小熊小熊，你会不会玩游戏呀。\n爸爸：乐乐，在玩什么呢？")
    s = analyser_read(text, "最后一次游戏.txt")
    assert (s.elements[0].speaker, s.elements[0].text) == ("乐乐", "小熊小熊，你会不会玩游戏呀。")
    # under another name the line stays: nothing says it is a title
    assert analyser_read(text, "other.txt").elements[0].text == "最后一次游戏"


def test_a_serials_teaser_of_the_next_episode_is_no_beat():
    text = ("（大堂）夜\n掌柜的拨着算盘。\n老周：开饭！\n小六：来了！\n"
            "小六：掌柜的，你听我说！ 下回书 小六子误入赌坊，老周怒砸算盘\n本回完\n")
    texts = _analyser_texts(text, "ep.txt")
    assert texts[-1] == "掌柜的，你听我说！", texts
    assert not any("下回书" in t or "本回完" in t for t in texts)


def test_a_title_line_with_its_byline_and_a_title_page_ended_by_spaces_are_no_beats():
    run_on = "Alpha Bravo Written by Jane Roe\n\nEXT. PIER - NIGHT\n\nRain hammers the pier.\n"
    assert _analyser_texts(run_on, "x.fountain")[0] == "Rain hammers the pier."
    spaced = "Title: Torn\nAuthor: Jane Roe\n    \nEXT. PIER - NIGHT\n\nRain hammers the pier.\n"
    assert _analyser_texts(spaced, "x.fountain")[0] == "Rain hammers the pier."


def test_a_transcripts_end_mark_is_no_beat():
    text = ("[Scene: A pier.]\nAnn: Go.\nBob: No.\nAnn: Go!\nBob: Fine.\nAnn: Now.\n"
            "(Bob leaves.)\nEnd\n")
    texts = _analyser_texts(text, "e1.txt")
    assert texts[-1] == "Bob leaves." and "End" not in texts


def test_act_cards_a_recap_card_and_a_forced_fade_in_are_no_beats():
    text = ("Title: Pilot\nAuthor: A. Writer\n\n> FADE IN:\n\nTEASER\n\nEXT. COW PASTURE - DAY\n\n"
            "Cows graze under a deep blue sky.\n\nEND OF TEASER\n\nACT ONE\n\n"
            "INT. KITCHEN - DAY\n\nWALT\nHappy birthday.\n")
    for name in ("pilot.fountain", "pilot.txt"):
        texts = [e.text for e in analyser_read(text, name).elements if e.kind != "heading"]
        assert texts == ["Cows graze under a deep blue sky.", "Happy birthday."], (name, texts)
    cold = ("COLD OPEN\n\nFADE IN:\n\nINT. HALLWAY - NIGHT\n\nA door swings open.\n\n"
            "END OF SHOW\n")
    assert [e.text for e in analyser_read(cold, "s3.fountain").elements
            if e.kind != "heading"] == ["A door swings open."]
    recap = ("Previously on Grey Lake\n\nEXT. LAKE - NIGHT\n\nMara runs to the water.\n")
    assert [e.text for e in analyser_read(recap, "ep2.fountain").elements
            if e.kind != "heading"] == ["Mara runs to the water."]
