"""短剧 scripts -> ``EpisodeDraft``s, in the two layouts the industry writes.

The standard layout::

    第1集
    1-1 日 内 总裁办公室
    人物：林晚、顾言
    △林晚推门而入。
    林晚（冷笑）：这份工作，我不干了。
    【字幕：三年后】

and the markdown dialect::

    # EP001 闪婚
    ## EP001-SC001 内 · 咖啡馆 · 夜
    [画面文字] 三年后
    [SFX] 玻璃碎裂
    [VO] 林晚：我回来了。
    [连续性] 林晚左手缠着纱布

Real files join things (a heading and ``人物：`` on one line, the emotion after the colon);
both are read. Bracketed notes (``【字幕：…】``, ``[SFX] …``) are kept verbatim as action, so
nothing in the file is lost; a ``[VO]`` or ``（OS）`` line keeps its tag as the parenthetical.

>>> [ep] = read_duanju("1-1 日 内 总裁办公室 人物：林晚、顾言\\n△林晚推门而入。\\n林晚（冷笑）：我不干了。")
>>> sc = ep.scenes[0]
>>> sc.heading.place, sc.characters, sc.elements[1].line.parenthetical, sc.elements[1].source_line
('总裁办公室', ['林晚', '顾言'], '冷笑', 3)
"""

from __future__ import annotations

import re

from aiscript.script.builder import DraftBuilder, parse_heading, unwrap, zh_number

EPISODE = re.compile(
    r"^\s*#*\s*(?:第\s*([0-9零一二两三四五六七八九十百]+)\s*集|EP\s*0*(\d{1,3})(?![\d\s]*[-_]\s*SC)"
    r"|Episode\s+0*(\d{1,3}))[\s:：.、\-–—]*(.*)$", re.I)
# a numbered scene: "1-1 日 内 办公室", "第1-2场", and "6-1灾厄超市-收银台 日 内" (the place joined
# to the number, the time and setting at the end of the line)
# "5—1场景:日，外，天兵校场" and "场1-1 日 内 飞机头等舱" (the word 场 before the number or 场景:
# after it), "第20幕", and a place and time in parentheses on their own line ("（客房-日）")
HEADING = re.compile(r"^\s*(?:#+\s*)?(?:场?\s*第?\s*(\d+)\s*[-－—–]\s*\d+\s*"
                     r"(?:场景?\s*[:：]|场?(?=[\s日夜内外]|$))|"
                     r"第?\s*(\d+)\s*[-－—–]\s*\d+\s*(?=[^：:\n]{1,30}\s(?:日|夜|晨|早|晚|黄昏|傍晚|清晨)"
                     r"\s*(?:[内外]\s*)?$)|"
                     r"第\s*\d+\s*[场幕]|EP\s*(\d+)\s*[-_]\s*SC\s*\d+|场景\s*[:：](?=\s*\S)|"
                     r"[（(][^（()）\n]{1,20}?[-－—–·，,、\s](?:日|夜|晨|早|晚|黄昏|傍晚|清晨|白天|夜晚)"
                     r"[^（()）\n]{0,6}[）)]\s*$|"
                     r"[（(][^（()）\n]{1,12}[）)]\s*(?:日|夜|晨|早|晚|黄昏|傍晚|清晨|白天|夜晚)\s*$)", re.I)
CAST = re.compile(r"(?:出场人物|人物|角色|^\s*人(?=\s*[:：]))\s*[:：]\s*(.*)$")
ACTION = re.compile(r"^\s*[△▲]\s*")
TAGGED = re.compile(r"^\s*\[\s*([^\]]{1,12})\s*\]\s*(.*)$")
LINE = re.compile(r"^\s*([^\s：:（(△▲【\[，。！？、,.!?…“”\"]{1,12}?)\s*(?:[（(]([^）)]{0,16})[）)]\s*)?"
                  r"(?:(OS|VO|V\.O\.|O\.S\.)\s*)?[:：]\s*(.+)$")
LEADING_PAREN = re.compile(r"^[（(]([^）)]{1,16})[）)]\s*(.+)$")
# a markdown section heading that names no episode or scene ("## 1 【神女之子】", "### 第二幕"):
# a new scene, its words no beat
SECTION = re.compile(r"^\s*#{1,6}\s*(\S.*?)\s*#*\s*$")
# a place alone in brackets, the scene heading of stage and TV scripts ("（景仁宫）", "（天井）",
# "（小贝屋）"): a short name ending in a word for a place; "（秀才出）", "（众人笑）" are directions
PLACE = re.compile(r"^[（(]\s*((?!众人)[^（）()。，！？!?,、\s]{0,8}(?:[宫殿轩堂院房屋厅街坞阁寺府园外内中口门台室"
                   r"店楼馆间桥井顶峰湖山路林寝斋庙洞营帐巷池亭廊厨]|客栈))\s*[）)]$")
# a bullet right under a heading: the scene's time or place ("* 2095 年 9 月 1 日上午 8 点")
BULLET = re.compile(r"^\s*[*\-+•·]\s+(\S.{0,40})$")


def read_duanju(text: str, source: str = "<script>") -> list:
    """Episodes from a 短剧 script in either layout; see the module doc."""
    from aiscript.script.front_matter import set_aside

    fm = set_aside(text)  # title, synopsis, character notes: not beats
    title = _title(text, source) or fm.title
    text = unwrap(fm.text, _starts_element)
    builder = DraftBuilder(source, title=title)
    split_by_heading = not any(EPISODE.match(ln) for ln in text.splitlines())
    current = None  # the episode number the headings carry, when no markers split the file
    under_heading = False  # nothing played since the last heading: bullets are its time, place
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or (title and not builder.episodes and title in line
                        and not HEADING.match(line)):
            continue
        if under_heading and BULLET.match(line):
            continue
        after_heading, under_heading = under_heading, False
        if m := EPISODE.match(line):
            digits = m.group(1) or m.group(2) or m.group(3)
            builder.episode(zh_number(digits), m.group(4).strip(" #"))
        elif m := HEADING.match(line):
            ep = m.group(1) or m.group(2) or m.group(3)
            if split_by_heading and ep and int(ep) != current:
                current = int(ep)
                builder.episode(current)
            _heading(builder, line, number)
            under_heading = True
        elif m := PLACE.match(line):
            if after_heading:  # under a heading ("第20幕"), the place is the heading's
                builder.place(m.group(1))
            else:
                builder.scene(parse_heading(m.group(1), builder.last_heading), number, line)
            under_heading = True
        elif m := SECTION.match(line):
            builder.scene(None, number, m.group(1))
            under_heading = True
        elif m := CAST.match(line):
            builder.cast(_names(m.group(1)))
        else:
            _body(builder, line, number)
    return builder.build()


def _starts_element(line: str) -> bool:
    """A line that starts an element even right under a full line (a hard-wrapped file)."""
    line = line.strip()
    cue = LINE.match(line)
    return line.startswith(("（", "(", "【", "[", "△", "▲", "#", "*")) \
        or bool(HEADING.match(line) or EPISODE.match(line) or CAST.match(line)) \
        or bool(cue and is_speaker(cue.group(1)))


def _title(text: str, source: str = "") -> str:
    """The title on the first line: ``《剧名》``, ``剧名：…``, a markdown ``# 剧名``, or the
    file's own name on a line of its own."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if EPISODE.match(first) or HEADING.match(first):
        return ""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.replace("\\", "/").rsplit("/", 1)[-1])
    if len(stem) >= 2 and first.strip("《》 ") == stem.strip("《》 "):
        return first.strip("《》 ")
    m = re.match(r"^(?:#\s*)?(?:剧名\s*[:：]\s*)?《([^》]+)》|^剧名\s*[:：]\s*(\S.*)$|^#\s+(\S.*)$",
                 first)
    return next((g.strip() for g in m.groups() if g), "") if m else ""


def _heading(builder: DraftBuilder, line: str, number: int) -> None:
    head, cast = line, []
    if m := CAST.search(line):  # a heading and its cast list joined on one line
        head, cast = line[: m.start()], _names(m.group(1))
    place = re.sub(r"^\s*场(?=\s*第?\s*\d)|场景?\s*[:：]\s*|^\s*[（(]|[）)]\s*$", " ", head)
    builder.scene(parse_heading(place, builder.last_heading), number, head.strip(" #"), cast)


def _names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"[、，,/／\s]+", text) if n.strip()]


OMITTED = re.compile(r"^\s*[（(【\[]\s*(?:中略|略|此处省略|省略)[^）)】\]]*[）)】\]]\s*$")


def is_speaker(name: str) -> bool:
    """A character cue, not the start of an action sentence with a colon ("他看了一眼：…").

    >>> is_speaker("林晚"), is_speaker("顾时行扫了一眼")
    (True, False)
    """
    return not any(c in name for c in "了着过把被")


def _body(builder: DraftBuilder, line: str, number: int) -> None:
    if OMITTED.match(line):  # an omission mark (（中略）) is no beat
        return
    if ACTION.match(line):
        builder.action(ACTION.sub("", line), number)
    elif m := TAGGED.match(line):
        tag, rest = m.groups()
        said = LINE.match(rest) if tag.upper() in ("VO", "OS", "V.O.", "O.S.") else None
        if said:
            speaker, paren, tag2, text = said.groups()
            builder.line(speaker, text, "; ".join(p for p in (tag, paren, tag2) if p), number)
        else:
            builder.action(line, number)
    elif (m := LINE.match(line)) and not line.startswith("【") and is_speaker(m.group(1)):
        # a tag after the cue's parenthetical (王青（叹气）OS：…) is the line's, not an action
        speaker, paren, tag, text = m.groups()
        if not paren and (lead := LEADING_PAREN.match(text.strip())):
            paren, text = lead.groups()
        builder.line(speaker, text, "; ".join(p for p in (paren, tag) if p) or None, number)
    else:
        builder.action(line, number)
