"""Render the translations in ``scripts.py`` into the two 短剧 layouts and carry the English
labels over: ``python build.py`` (from this folder) rewrites ``std/``, ``ep/`` and ``labels.json``.

- ``std/<id>.txt``: the standard layout: ``1-1 日 内 地点`` headings, ``人物：`` cast lines, ``△``
  action, ``名字（情绪）：台词`` dialogue, ``名字（画外音）：`` voice-over, ``△字幕：`` captions,
  ``【未完待续】``-style transitions.
- ``ep/<id>.txt``: the ``## EP001-SC001 内 · 地点 · 时间`` dialect: plain action lines,
  ``[画面文字]`` captions, ``[SFX]`` sounds, ``[VO] 名字：`` voice-over, ``【字幕：…】`` and
  ``【黑屏】`` cards.

The middle of a long script is not translated; the cut is the line ``（中略）``.
"""

import json
from pathlib import Path

from scripts import S

HERE = Path(__file__).parent
CARDS = {"未完待续": "【字幕：未完待续】", "黑屏": "【黑屏】", "淡出": "【淡出】", "渐黑": "【渐黑】",
         "切至": "【切至】"}


def _scenes(elements):
    scene = []
    for el in elements:
        if el[0] == "h" and scene:
            yield scene
            scene = []
        scene.append(el)
    if scene:
        yield scene


def _cast(scene):
    names = [el[1] for el in scene if el[0] in ("d", "v")]
    return "、".join(dict.fromkeys(names))


def standard(spec) -> str:
    out = ["第1集", ""]
    n = 0
    for scene in _scenes(spec["elements"]):
        for el in scene:
            kind = el[0]
            if kind == "h":
                n += 1
                out += ["", f"1-{n} {el[3]} {el[1]} {el[2]}"]
                if _cast(scene):
                    out.append(f"人物：{_cast(scene)}")
            elif kind == "a":
                out.append(f"△{el[1]}")
            elif kind == "d":
                out.append(f"{el[1]}（{el[2]}）：{el[3]}" if el[2] else f"{el[1]}：{el[3]}")
            elif kind == "v":
                out.append(f"{el[1]}（画外音）：{el[2]}")
            elif kind == "s":
                out.append(f"△字幕：{el[1]}")
            elif kind == "x":
                out.append(f"△音效：{el[1]}")
            elif kind == "t":
                out.append(f"【{el[1]}】")
            elif kind == "cut":
                out += ["", "（中略）"]
    return "\n".join(out).strip() + "\n"


def dialect(spec) -> str:
    out = [f"# {spec['title']}", ""]
    n = 0
    for scene in _scenes(spec["elements"]):
        for el in scene:
            kind = el[0]
            if kind == "h":
                n += 1
                out += ["", f"## EP001-SC{n:03d} {el[1]} · {el[2]} · {el[3]}", ""]
            elif kind == "a":
                out.append(el[1])
            elif kind == "d":
                out.append(f"{el[1]}（{el[2]}）：{el[3]}" if el[2] else f"{el[1]}：{el[3]}")
            elif kind == "v":
                out.append(f"[VO] {el[1]}：{el[2]}")
            elif kind == "s":
                out.append(f"[画面文字] {el[1]}")
            elif kind == "x":
                out.append(f"[SFX] {el[1]}")
            elif kind == "t":
                out.append(CARDS[el[1]])
            elif kind == "cut":
                out += ["", "（中略）"]
    return "\n".join(out).strip() + "\n"


def main() -> None:
    english = {lb["id"]: lb for lb in json.loads((HERE.parent / "labels.json").read_text("utf-8"))}
    labels = []
    for layout, render in (("std", standard), ("ep", dialect)):
        (HERE / layout).mkdir(exist_ok=True)
        for spec in S:
            path = HERE / layout / f"{spec['id']}.txt"
            path.write_text(render(spec), encoding="utf-8")
            lb = english[spec["id"]]
            labels.append({"file": f"{layout}/{path.name}", "id": spec["id"], "layout": layout,
                           "whole": not any(el[0] == "cut" for el in spec["elements"]),
                           "hook": lb["hook"], "cliffhanger": lb["cliffhanger"]})
    (HERE / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")


if __name__ == "__main__":
    main()
