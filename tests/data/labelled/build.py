"""Render ``scripts.py`` into script files and ``labels.json``.

The read-aloud timing of each script is measured by speaking its action and dialogue with
espeak-ng (``apt-get install espeak-ng``) at its default rate, an independent text-to-speech
timing. Run from this folder: ``python build.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from scripts import S

HERE = Path(__file__).parent
ZH_TIME = {"日": "DAY", "夜": "NIGHT"}


def zh_layout(s) -> str:
    setting, time, place = s["heading"]
    cast = sorted({e[1] for e in s["elements"] if e[0] == "d"})
    out = [f"1-1 {time} {setting} {place}", f"人物：{'、'.join(cast)}"]
    for e in s["elements"]:
        if e[0] == "a":
            out.append(f"△{e[1]}")
        elif len(e) == 4:
            out.append(f"{e[1]}（{e[2]}）：{e[3]}")
        else:
            out.append(f"{e[1]}：{e[2]}")
    return "\n".join(out) + "\n"


def fountain(s) -> str:
    if s["lang"] == "zh":
        setting, time, place = s["heading"]
        out = [f"Title: {s['id']}", "", f".{setting} {place} - {time}", ""]
    else:
        out = [f"Title: {s['id']}", "", s["heading"], ""]
    for e in s["elements"]:
        if e[0] == "a":
            out += [e[1], ""]
        else:
            cue = f"@{e[1]}" if s["lang"] == "zh" else e[1]
            paren = [f"({e[2]})"] if len(e) == 4 else []
            out += [cue, *paren, e[-1], ""]
    return "\n".join(out)


def episode_json(s) -> str:
    import sys

    sys.path.insert(0, str(HERE.parents[2] / "src"))
    from aiscript.schema import Episode, Line, Scene, SceneHeading, Shot, ShotSize
    from aiscript.timing import TimingModel

    tm = TimingModel()
    if s["lang"] == "zh":
        setting, time, place = s["heading"]
        heading = SceneHeading(setting="INT" if setting == "内" else "EXT", place=place,
                               time=ZH_TIME[time])
    else:
        head, _, time = s["heading"].partition(" - ")
        setting, _, place = head.partition(". ")
        heading = SceneHeading(setting=setting, place=place.title(),
                               time="NIGHT" if "NIGHT" in time else "DAY")
    shots: list[Shot] = []
    sizes = [ShotSize.close_up, ShotSize.medium, ShotSize.medium_close_up, ShotSize.wide]
    for e in s["elements"]:
        if e[0] == "a" or not shots:
            shots.append(Shot(id=f"1-1-{len(shots) + 1}", size=sizes[len(shots) % 4],
                              duration_s=1.0, action=e[1] if e[0] == "a" else ""))
        if e[0] == "d":
            shots[-1].lines.append(Line(speaker=e[1], text=e[-1],
                                        parenthetical=e[2] if len(e) == 4 else None))
    shots = [tm.timed_shot(sh) for sh in shots]
    ep = Episode(series_title="labelled", number=int(s["id"][2:]), title=s["id"],
                 language=s["lang"], scenes=[Scene(number=1, heading=heading, shots=shots)])
    return ep.model_dump_json(indent=1)


def read_aloud_seconds(s) -> float:
    text = "\n".join(e[-1] if e[0] == "d" else e[1] for e in s["elements"])
    voice = "cmn" if s["lang"] == "zh" else "en"
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "a.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True)
        with wave.open(str(wav)) as w:
            return round(w.getnframes() / w.getframerate(), 2)


def main() -> None:
    labels = []
    for s in S:
        ext = {"txt": ".txt", "fountain": ".fountain", "json": ".json"}[s["format"]]
        name = f"{s['id']}{ext}"
        render = {"txt": zh_layout, "fountain": fountain, "json": episode_json}[s["format"]]
        (HERE / name).write_text(render(s), encoding="utf-8")
        label = {"file": name, "lang": s["lang"], "format": s["format"], "hook": s["hook"],
                 "cliffhanger": s["cliff"]}
        if shutil.which("espeak-ng"):
            label["read_aloud_s"] = read_aloud_seconds(s)
        labels.append(label)
    (HERE / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")


if __name__ == "__main__":
    main()
