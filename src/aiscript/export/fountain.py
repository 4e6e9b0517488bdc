"""Episode -> Fountain. Scene headings are forced with ``.`` and character cues with ``@`` so that
Chinese (which has no upper case) parses as headings and dialogue in any Fountain reader.

>>> from aiscript.schema import Episode
>>> print(to_fountain(Episode.example()).split("\\n\\n")[1])
.内 总裁办公室 - 日
"""

from __future__ import annotations

from aiscript.schema import Episode, Scene

_ZH_SETTING = {"INT": "内", "EXT": "外", "INT/EXT": "内/外"}
_ZH_TIME = {"DAY": "日", "NIGHT": "夜", "DAWN": "晨", "DUSK": "昏"}


def heading(scene: Scene, lang: str) -> str:
    h = scene.heading
    if lang == "zh":
        return f".{_ZH_SETTING[h.setting]} {h.place} - {_ZH_TIME[h.time]}"
    return f".{h.setting}. {h.place.upper()} - {h.time}"


def _action(text: str) -> str:
    """Force action with ``!`` where Fountain would otherwise read an all-caps line as a cue."""
    return f"!{text}" if text.isupper() else text


def to_fountain(episode: Episode) -> str:
    blocks = [f"Title: {episode.series_title}\nEpisode: {episode.number}\nDraft: {episode.title}"]
    for scene in episode.scenes:
        blocks.append(heading(scene, episode.language))
        for shot in scene.shots:
            if shot.action:
                blocks.append(_action(shot.action))
            for line in shot.lines:
                cue = f"@{line.speaker}"
                paren = f"\n({line.parenthetical})" if line.parenthetical else ""
                blocks.append(f"{cue}{paren}\n{line.text}")
    return "\n\n".join(blocks) + "\n"
