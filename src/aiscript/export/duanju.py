"""Episode -> the 短剧 layout Chinese micro-drama crews write in: ``1-1 日 内 地点`` scene
headings, ``人物：`` cast lines, ``△`` action, ``名字（情绪）：台词`` dialogue.

>>> from aiscript.schema import Episode
>>> print(to_duanju(Episode.example()))
第1集 辞职
<BLANKLINE>
1-1 日 内 总裁办公室
人物：林晚
△林晚把辞职信拍在桌上。
林晚：这份工作，我不干了。
<BLANKLINE>
"""

from __future__ import annotations

from aiscript.schema import Episode, Line

_TIME = {"DAY": "日", "NIGHT": "夜", "DAWN": "晨", "DUSK": "昏"}
_SETTING = {"INT": "内", "EXT": "外", "INT/EXT": "内外"}


def to_duanju(episode: Episode) -> str:
    """The episode in the 短剧 layout, one scene a block."""
    blocks = [f"第{episode.number}集 {episode.title}"]
    for scene in episode.scenes:
        h = scene.heading
        rows = [f"{episode.number}-{scene.number} {_TIME[h.time]} {_SETTING[h.setting]} {h.place}"]
        cast = scene.characters or list(dict.fromkeys(
            c for sh in scene.shots for c in [*sh.characters, *(ln.speaker for ln in sh.lines)]))
        if cast:
            rows.append("人物：" + "、".join(cast))
        for shot in scene.shots:
            if shot.action.strip():
                rows.append("△" + _one_line(shot.action))
            rows += [_line(ln) for ln in shot.lines]
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks) + "\n"


def _line(line: Line) -> str:
    paren = f"（{line.parenthetical}）" if line.parenthetical else ""
    return f"{line.speaker}{paren}：{_one_line(line.text)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
