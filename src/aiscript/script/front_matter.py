"""Front matter: what a script file holds before (or between) the scenes that is not on screen.

Real scripts open with a title (``剧名：《…》``, ``《剧名》``, ``# 剧名``, a title page with
"Written by"), a synopsis (``简介：``, ``故事梗概``, ``Logline:``), character notes
(``人物小传``, ``人物介绍``, ``主要人物``, ``人物：`` lists, ``Characters:``), outlines and
notes (``大纲``, ``本集看点``, ``备注``, ``NOTE:``). None of it plays; the first beat of an
episode is the first thing on screen. ``set_aside`` blanks those lines (the line count stays,
so readers keep source line numbers) and returns what it set aside; every reader calls it,
so front matter is recognised once for every format.

A labelled block runs from its label to the next thing on screen (a scene heading, a ``△``
action, an episode header) or, in a file without such markers, to the next blank line.
Outside the preamble only unmistakable notes are set aside (``备注：``, ``本集看点：``,
``NOTE:``); a scene's own ``人物：`` cast line is left to the reader.

>>> fm = set_aside("剧名：《闪婚》\\n简介：她嫁给了陌生人。\\n人物小传：\\n林晚：25岁，设计师。\\n"
...                "第1集\\n1-1 日 内 民政局 人物：林晚\\n△林晚攥着户口本。")
>>> [ln for ln in fm.text.splitlines() if ln]
['第1集', '1-1 日 内 民政局 人物：林晚', '△林晚攥着户口本。']
>>> fm.title, len(fm.lines)
('闪婚', 4)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# the labels of a list of characters (a 人物小传 block): set aside here, read for looks by casting
_ZH_CAST = ("人物小传|人物介绍|人物简介|人物设定|人物表|人物列表|主要人物|主要角色|角色介绍|角色设定|"
            "角色表|角色列表|出场人物|登场人物|人物出场表|演员表|人物|角色")
_EN_CAST = ("characters?|cast of characters|cast|character list|main characters|character bios?")
CAST_HEADER = re.compile(rf"^\W*(?:{_ZH_CAST}|{_EN_CAST})\W*$", re.I)
# a label that opens a block of front matter: Chinese and English, with or without markdown
# (#, **, 【】) around it and a colon after it
_ZH_LABELS = (
    "剧名|片名|剧本名称?|作品名称?|剧集名称?|标题|短剧名称?|"
    "剧情简介|故事简介|内容简介|一句话简介|简介|剧情梗概|故事梗概|梗概|剧情概要|故事概要|概要|"
    "分集大纲|本集大纲|剧情大纲|故事大纲|全剧大纲|大纲|"
    f"{_ZH_CAST}|人物关系|"
    "创作说明|写作说明|备注|注释|说明|编剧|作者|原著|类型|题材|风格|基调|单集时长|时长|总集数|集数|"
    "字数|本集看点|核心看点|看点|卖点|本集钩子|钩子|付费点|卡点|标签|关键词|主题|世界观|"
    "故事背景|时代背景|背景设定|背景|受众|目标受众|定位|一句话梗概|"
    # a stage play's head: when and where it plays, the set, the props, what it is about
    "时间|地点|舞台布景|布景|道具|剧中人物|剧中人|大致内容|内容提要|剧情|"
    # a TV episode's credits: who plays whom, who wrote it
    "参加演出|参与演出人员|参与演出|友情出演|演职员表|演员|本集编剧|本集出场人物")
_EN_LABELS = (
    "title|series title|logline|log line|synopsis|summary|short summary|outline|episode outline|"
    f"premise|{_EN_CAST}|"
    "notes?|writer'?s notes?|author|written by|genre|runtime|run time|length|"
    "duration|format|tone|themes?|draft|draft date|contact|copyright|credit|source|description|"
    "target audience|hook|episode hook|setting")
LABEL = re.compile(
    rf"^\s*(?:#{{1,6}}\s*)?[*_【\[（(]*\s*(?:{_ZH_LABELS})\s*(?:[（(][^）)\n]{{0,16}}[）)])?\s*"
    rf"[*_】\]）)]*\s*(?:[:：]|[-—–－]+(?=\s*[\u4e00-\u9fff])|$)"
    rf"|^\s*(?:#{{1,6}}\s*)?[*_\[]*\s*(?:{_EN_LABELS})\s*[*_\]]*\s*(?:[:：]|$)", re.I)
# labels that are notes wherever they stand (never a character cue)
NOTE = re.compile(r"^\s*[*_【\[]*\s*(?:备注|本集看点|核心看点|本集钩子|付费点|卡点|创作说明|写作说明|"
                  r"本集大纲|分集大纲|NOTES?|WRITER'?S NOTES?)\s*[*_】\]]*\s*[:：]", re.I)
# the first things that play: scene headings (both 短剧 layouts, Fountain), △ action,
# bracketed picture or sound tags, and episode headers (which end a block but are not beats)
SCREEN = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*(?:"
    r"场?\s*第?\s*\d+\s*[-－—–]\s*\d+\s*(?:场景?\s*[:：]|场?(?=[\s日夜内外]|$))|"
    r"第\s*[0-9一二三四五六七八九十]+\s*场|场景\s*[:：](?=\s*\S)|"
    r"[（(][^（()）\n]{1,20}?[-－—–·，,、\s](?:日|夜|晨|早|晚|黄昏|傍晚|清晨|白天|夜晚)[^（()）\n]{0,6}[）)]\s*$|"
    r"[（(][^（()）\n]{1,12}[）)]\s*(?:日|夜|晨|早|晚|黄昏|傍晚|清晨|白天|夜晚)\s*$|"
    r"\d+\s*[-－—–]\s*\d+\s*(?=[^：:\n]{1,30}\s(?:日|夜|晨|早|晚|黄昏|傍晚|清晨)\s*(?:[内外]\s*)?$)|"
    r"场景?\s*[0-9一二三四五六七八九十]+\s*[:：、.\s]|"
    r"EP\s*\d+\s*[-_]\s*SC\s*\d+|(?:INT|EXT|EST|INT\./EXT|I/E)[ .]|"
    r"[△▲]|\[\s*(?:画面|画面文字|SFX|VO|OS|音效|动作|镜头)\s*\]|【\s*(?:画面|镜头|字幕|音效|黑屏|闪回)|"
    r"[0-9０-９]{1,2}\s*[、．.。](?![^：:\n]{0,8}[：:])|第\s*[一二三四五六七八九十0-9]+\s*[场幕]|幕启|"
    r"(?:FADE IN|COLD OPEN|OPEN ON)\b|淡入)", re.I)
EPISODE = re.compile(
    r"^\s*(?:#{1,6}\s*)?[*_]*\s*(?:第\s*[0-9零一二两三四五六七八九十百]+\s*集|EP\s*0*\d{1,3}(?![\d\s]*[-_]\s*SC)|"
    r"Episode\s+0*\d{1,3}(?!\d))(?:[\s:：.、\-–—]+[^\n]{0,40})?$", re.I)
# a title on its own line: 《剧名》, or a markdown title at the top of the file
_ZH_TITLE = re.compile(r"^\s*(?:#{1,2}\s*)?[*_]*\s*《([^》]+)》\s*[*_]*\s*$")
_MD_TITLE = re.compile(r"^\s*#\s+(\S.*)$")
_LABELLED_TITLE = re.compile(
    r"^\s*(?:#{1,6}\s*)?[*_【\[]*\s*(?:剧名|片名|剧本名称?|作品名称?|标题|title|series title)\s*"
    r"[*_】\]]*\s*[:：]\s*(?:《([^》]+)》|(\S.*?))\s*$", re.I)
# an English title page without Fountain keys: "Written by", "by NAME", a draft or a copyright
_TITLE_PAGE = re.compile(
    r"^\s*(?:(?:written|screenplay|teleplay|story|script)\s+by\b|by\s*$|by\s+[A-Z]|draft\b|"
    r"(?:first|second|final|revised|shooting)\s+draft|copyright|©|\(c\)\s*\d|all rights reserved)",
    re.I)
# a stage play's head run into one line, or glued to its title ("月绝扶桑时间：… 地点：…",
# "蚩尤抢亲本集主要人物：…"): a label at the end of what stands before the first colon
_LABEL_TAIL = re.compile(rf"^[^：:\n]{{0,24}}?(?:{_ZH_CAST}|时间|地点|舞台布景|布景|道具|剧情|简介|梗概|"
                         r"编剧|作者|大纲|背景)"
                         r"\s*[:：]")
_ITEM = re.compile(r"^[0-9０-９]{1,2}\s*[、．.。]")
_BIO = re.compile(r"^\s*(?:核心身份|身份|外貌|形象|性格|年龄|人设|背景|简介|特点|职业)\s*[:：]")
_SCENE_WORD = re.compile(r"[日夜晨晚内外场]|INT|EXT")
_CAST_WORD = re.compile(rf"{_ZH_CAST}|{_EN_CAST}|参加演出|演员", re.I)
_CREDITS = re.compile(r"参加演出|参与演出|出演|编剧|演职员表|演员|出场人物|角色\s*[（(]")
_CREDIT_ITEM = re.compile(r"^(?=[^。！!\n]{1,48}$)[^：:\n]{1,14}?\s*(?:[—–－―-]+|\s(?=\S+\s*饰)|"
                          r"(?=\s*(?:友情)?出演))")
_BYLINE = re.compile(r"\b(?:written|screenplay|teleplay)\s+by\b", re.I)  # anywhere in a title line
_BOLD = re.compile(r"^(\s*)\*\*(.+?)\*\*\s*$")
# a produced episode's act cards and recap card, wherever they stand: structure, not a beat
_NUMBER_WORD = r"(?:one|two|three|four|five|six|[ivx]{1,4}|\d{1,2})"
ACT_CARD = re.compile(rf"^\s*(?:>\s*)?[*_\[(]*\s*(?:teaser|prologue|cold\s+open|act\s+{_NUMBER_WORD}|"
                      rf"end\s+of\s+(?:teaser|act\s+{_NUMBER_WORD}|prologue|cold\s+open|pilot|show|"
                      r"episode)|"
                      r"previously\s+on\b[^.!?\n]{0,40})\s*[*_\])]*\s*[.:<]*\s*$", re.I)
# the end of the play, and what files carry after it or around it (sources, ads, author notes)
END_MARK = re.compile(r"(?:[（(【\[]\s*(?:完|全剧终|全剧完|剧终|本集完|本回完|全文完)\s*[）)】\]]|"
                      r"^\s*(?:完|全剧终|全剧完|剧终|THE END|FIN)\s*[!！。.…<>]*)\s*[!！。.…]*\s*$",
                      re.I)
BACK = re.compile(r"^\s*[*_【\[]*\s*(?:作者简介|编剧简介|来源|关键词|版权所有|联系方式)\s*[*_】\]]*\s*[:：]|"
                  r"剧本后面省略|如有需要请联系|QQ\s*[:：]?\s*\d{5,}|www\.[a-z0-9-]+\.", re.I)
# the end of a serial's episode and its teaser of the next: "本回完 下回书 …", "下集预告：…"
TEASER = re.compile(r"(?:^|(?<=[\s!！。？?…]))(?:本[回集]完[ \t　]?)?(?:下回书|下集预告|下集提要|"
                    r"下期预告).*$|^[ \t　]*本[回集]完[ \t　]*$")  # no two space runs in a row: linear
# where a script run into one paragraph starts new lines: labels, numbered scenes, △ and cards,
# a speaker's cue after a sentence
_RUNON_BREAKS = re.compile(  # spaces are taken whole from where a run starts: linear time
    r"(?:(?<=[。！？!?…）)】\]])[ \t　]*|(?<![ \t　])[ \t　]+)(?="
    r"(?:时间|地点|人物|剧中人|出场人物|演员|道具|布景|场景|故事梗概|剧情梗概|剧情简介|故事简介|简介|"
    r"编剧|作者|人物介绍|人物简介|人物小传|主要人物|剧本正文|大纲|故事大纲|背景|演员表)\s*[:：]"
    r"|[0-9０-９]{1,2}\s*[、．.。](?![^：:\n]{0,8}[：:])|第\s*[一二三四五六七八九十0-9]+\s*[场幕]"
    r"|[△▲【]"
    r"|[\u4e00-\u9fffA-Za-z]{1,6}\s*(?:[（(][^）)\n]{0,12}[）)])?\s*[:：])")
_SENTENCE_END = re.compile(r"(?<=[。！？!?…])(?![。！？!?…”」』）)])")


def split_run_ons(text: str, longer_than: int = 150) -> str:
    """Lines that hold a whole scene (files pasted from web pages run a play into one
    paragraph) broken where a new element starts: a label, a numbered scene, △ or a card, a
    speaker's cue after a sentence; what is still long is broken into sentences. Short lines are
    left alone. (This changes line numbers: the analyser's reader uses it, not the readers that
    keep source lines.)

    >>> split_run_ons("人物：甲、乙 1、街道 日 外甲走来。甲：你好！乙：走开！" * 3, 40).splitlines()[:4]
    ['人物：甲、乙', '1、街道 日 外甲走来。', '甲：你好！', '乙：走开！']
    """
    out = []
    for line in text.split("\n"):
        if len(line) <= longer_than or not re.search(r"[\u4e00-\u9fff]", line):
            out.append(line)
            continue
        for part in _RUNON_BREAKS.split(line):
            if len(part) > longer_than * 2:
                out += [p.strip() for p in _SENTENCE_END.split(part) if p.strip()]
            elif part.strip():
                out.append(part.strip())
    return "\n".join(out)


@dataclass
class FrontMatter:
    """The script text with its front matter blanked, what was set aside and the title."""

    text: str
    lines: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, text)
    title: str = ""
    episode: int | None = None  # the number of the first episode header, if any


def is_screen(line: str) -> bool:
    """A line that starts what plays: a scene heading, ``△`` action, a picture or sound tag."""
    return bool(SCREEN.match(line))


def is_episode_header(line: str) -> bool:
    """``第1集``, ``EP01 标题``, ``Episode 2: The Lie`` (not ``EP001-SC001``, a scene)."""
    return bool(EPISODE.match(line)) and not re.match(r"^\s*#*\s*EP\s*\d+\s*[-_]\s*SC", line, re.I)


def set_aside(text: str, fountain: bool = False, episode_headers: bool = False,
              split_runons: bool = False) -> FrontMatter:
    """Blank the front matter of ``text`` (see the module doc).

    ``fountain``: a leading Fountain title page (``Title: …`` keys up to the first blank line)
    is left to the Fountain parser, which reads it as a title page (and ``#`` lines, which are
    Fountain sections). ``episode_headers``: blank
    the episode headers as well (readers that split episodes keep them).
    """
    if split_runons:
        text = split_run_ons(text)
    lines = text.splitlines()
    out = list(lines)
    aside: list[tuple[int, str]] = []
    title = ""
    episode: int | None = None
    start = 0
    if fountain and lines and re.match(r"^\s*[A-Za-z][A-Za-z ]{0,20}\s*:", lines[0]):
        while start < len(lines) and lines[start].strip():
            start += 1
    any_screen = any(is_screen(ln) for ln in lines)

    def blank(i: int) -> None:
        aside.append((i + 1, lines[i]))
        out[i] = ""

    # a title page in the preamble (English: "Written by", a draft line): everything before
    # the first thing on screen goes
    first_screen = next((i for i in range(start, len(lines)) if is_screen(lines[i])), None)
    first_episode = next((i for i in range(start, len(lines)) if is_episode_header(lines[i])), None)
    stop = min(x for x in (first_screen, first_episode, len(lines)) if x is not None)
    if first_screen is not None and any(_TITLE_PAGE.match(lines[i]) or _BYLINE.search(lines[i])
                                        for i in range(start, stop)):
        for i in range(start, stop):
            if lines[i].strip():
                blank(i)

    in_block = False  # inside a labelled block
    cast_block = False  # ... of a list of characters
    credits_block = False  # ... of who plays whom (佟湘玉——闫妮): it ends where its items do
    preamble = True  # nothing on screen yet (since the file or the last episode header)
    kept = False  # a line before this one was kept (a markdown # title is the title only at the top)
    for i in range(start, len(lines)):
        kept = kept or (i > start and bool(out[i - 1].strip()))
        line = lines[i]
        stripped = line.strip()
        if not out[i].strip() and stripped:  # set aside as a title page above
            continue
        if m := _BOLD.match(line):  # **1-1 日 内 地点**: a heading in bold
            if is_screen(m.group(2)) or is_episode_header(m.group(2)):
                out[i] = line = m.group(1) + m.group(2)
                stripped = line.strip()
        if not stripped:
            if in_block and not any_screen:
                in_block = False
            continue
        if is_episode_header(stripped) and not LABEL.match(stripped):
            in_block, preamble = False, True
            if episode is None and (n := re.search(r"\d+|[零一二两三四五六七八九十百]+", stripped)):
                from aiscript.script.builder import zh_number

                episode = zh_number(n.group(0))
            if episode_headers:
                blank(i)
            continue
        if in_block and credits_block and not _CREDIT_ITEM.search(stripped):
            in_block = credits_block = False  # the list of who plays whom ends where its items do
        elif in_block and credits_block:
            blank(i)
            continue
        if in_block and cast_block and _ITEM.match(stripped) and not _SCENE_WORD.search(stripped) \
                and _BIO.match(next((ln for ln in lines[i + 1:] if ln.strip()), "")):
            blank(i)  # "5. 杨戬" in a 人物小传 list: a numbered character, not a numbered scene
            continue
        if ACT_CARD.match(stripped):
            blank(i)
            continue
        if is_screen(stripped.lstrip("> ")):
            if preamble and re.fullmatch(r"(?:>\s*)?(?:FADE IN|OPEN ON|淡入)\s*[:：.。]?", stripped,
                                         re.I):
                blank(i)  # a transition into the first scene, not a beat
            in_block, preamble = False, False
            continue
        if preamble and (m := _LABELLED_TITLE.match(stripped)) and not title:
            title = (m.group(1) or m.group(2) or "").strip()
            blank(i)
            in_block = False
            continue
        if preamble and (m := _ZH_TITLE.match(stripped)):
            title = title or m.group(1).strip()
            blank(i)
            continue
        if not fountain and preamble and not kept \
                and (m := _MD_TITLE.match(line)) and not LABEL.match(stripped):
            title = title or m.group(1).strip(" *#")
            blank(i)
            continue
        if preamble and not kept and _LABEL_TAIL.match(stripped) and not LABEL.match(stripped):
            blank(i)  # the head of a stage play glued to its title, before any beat
            continue
        if (preamble and LABEL.match(stripped)) or NOTE.match(stripped):
            if (cut := _run_on(line)) is not None:  # the script runs on in the label's line
                aside.append((i + 1, line[:cut]))
                out[i] = line[cut:]
                in_block, preamble = False, False
                continue
            blank(i)
            # a block runs to what plays next; in a file without headings or △ only a label
            # standing alone (人物小传：) opens one, a label with its value (人物：林晚) is one line
            in_block = preamble and (any_screen or not _value(stripped))
            cast_block = bool(_CAST_WORD.search(stripped))
            credits_block = bool(_CREDITS.search(stripped))
            continue
        if in_block:
            blank(i)
    # back matter: after the line that ends the play, and source or advert lines anywhere; a
    # serial's teaser of the next episode (本回完 下回书 …) is cut off where it starts
    ended = False
    for i in range(start, len(lines)):
        if (m := TEASER.search(out[i])) and not ended:
            aside.append((i + 1, out[i][m.start():]))
            out[i] = out[i][: m.start()].rstrip()
            if out[i].strip():
                continue
        if ended or (out[i].strip() and BACK.search(out[i])):
            if out[i].strip():
                blank(i)
        elif out[i].strip() and END_MARK.search(out[i]):
            ended = True
    if not any(ln.strip() for ln in out) and max(map(len, lines), default=0) > 150:
        # everything looked like front matter, but a line this long is a script run into its
        # title or cast list: read the file whole rather than drop it
        return FrontMatter(text, [], title, episode)
    body = "\n".join(out) + ("\n" if text.endswith("\n") else "")
    return FrontMatter(body, aside, title, episode)


_CUE_INSIDE = re.compile(r"([\u4e00-\u9fff]{1,8})(?:[（(][^）)\n]{0,12}[）)])?[：:](?=[^\n]{12})")


def _run_on(line: str) -> int | None:
    """Where the script starts inside a cast label's line, when a file runs everything into one
    paragraph (``人物：甲 乙甲：台词……``): the last name of the list that is followed by a
    colon and a long line. None when the line is a plain label with its value.

    >>> line = "人物：老汉 两只老虎老汉：喝酒如喝水，三天不喝酒，口涎哗哗流，闻到酒香就走不动路。"
    >>> line[_run_on(line):][:8]
    '两只老虎老汉：喝'
    >>> _run_on("人物：林晚、顾言") is None, _run_on("简介：她嫁给了陌生人。") is None
    (True, True)
    """
    m = re.match(r"^\s*[*_【\[]*\s*(?:人物|出场人物|角色|剧中人|主要人物)\s*[*_】\]]*\s*[:：]", line)
    if not m or len(line) < 40:
        return None
    cue = _CUE_INSIDE.search(line, m.end())
    return cue.start() if cue else None


def _value(line: str) -> str:
    parts = re.split(r"[:：]", line, maxsplit=1)
    return parts[1].strip(" *_】]") if len(parts) > 1 else ""


__all__ = ["FrontMatter", "is_episode_header", "is_screen", "set_aside"]
