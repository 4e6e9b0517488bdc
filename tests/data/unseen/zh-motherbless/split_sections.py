"""Split main.md of lymslive/motherbless (《母亲在上》) into one file per numbered section.

    python split_sections.py CHECKOUT_ROOT [OUT_ROOT]

CHECKOUT_ROOT holds main.md (commit 9586a36cd1fd25753607e0ca4ccbf76b47afa409 of the mirror
tongfengdasheng/motherbless, the same history as github.com/lymslive/motherbless). The film
script is divided by the writer into 21 numbered sections, each opening with a Markdown heading
'## N 【title】' (0-20), followed by time/place bullets ('* 2037 年 12 月 31 日晚 10 点'),
action lines opening with '（' and dialogue as '角色：台词'. The file is cut at each such
heading; the title block before '## 0' is not written; every line is kept unchanged (the
text is not altered; the licence is CC BY-NC-ND 4.0, so the sections are for local evaluation
only and are not redistributed). Section N is written to OUT_ROOT/sections/segNN.md
(OUT_ROOT defaults to CHECKOUT_ROOT).
"""

import re
import sys
from pathlib import Path

HEAD = re.compile(r"^## (\d+) 【")


def main() -> None:
    root = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root
    text = (root / "main.md").read_text(encoding="utf-8").lstrip("\ufeff")
    dest = out / "sections"
    dest.mkdir(parents=True, exist_ok=True)
    secs: dict[int, list[str]] = {}
    cur = None
    for line in text.splitlines():
        m = HEAD.match(line)
        if m:
            cur = int(m.group(1))
            if cur in secs:
                raise SystemExit(f"section {cur} appears twice")
            secs[cur] = []
        if cur is not None:
            secs[cur].append(line)
    for n, lines in sorted(secs.items()):
        (dest / f"seg{n:02d}.md").write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"{len(secs)} sections written to {dest}")


if __name__ == "__main__":
    main()
