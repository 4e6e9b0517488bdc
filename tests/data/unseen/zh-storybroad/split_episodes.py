"""Split the two vertical micro-drama scripts of yanlee98/storybroad into one file per episode.

    python split_episodes.py CHECKOUT_ROOT [OUT_ROOT]

CHECKOUT_ROOT holds 剧本.txt, 剧本2.txt and 绝境先知-黄金瞳.txt (commit
5188a090193832458c439bcb11950f583f382407). 剧本.txt opens with the title, notes, character bios
and synopsis, then 【正文】 and 56 episodes; 剧本2.txt starts directly with its first episode
(65 episodes, numbered 1-33 and 35-66); in both an episode opens with a line that is only
"第X集" (Chinese numeral or digits). 绝境先知-黄金瞳.txt (6 episodes, CRLF line ends, zero-width
spaces) opens each episode with "第N集.<title>". A file is cut at each such line; every line is
kept unchanged (line ends normalised to \n). Episode 1 keeps everything before it (front matter).
Episode N of NAME.txt is written to OUT_ROOT/NAME/epNN.txt (NN = the number in the header;
OUT_ROOT defaults to CHECKOUT_ROOT).
"""

import re
import sys
from pathlib import Path

DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
HEAD = re.compile(r"^\s*第([一二三四五六七八九十零]+|\d+)集\s*$")


def cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return int("".join(str(DIGITS[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)


TITLED = re.compile(r"^\s*第(\d+)集[.．]")


def split(root: Path, out: Path, name: str, head: re.Pattern = HEAD) -> None:
    lines = (root / f"{name}.txt").read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    dest = out / name
    dest.mkdir(parents=True, exist_ok=True)
    episodes: dict[int, list[str]] = {}
    front: list[str] = []
    current = None
    for line in lines:
        m = head.match(line)
        if m:
            current = cn_number(m.group(1))
            if current in episodes:
                raise SystemExit(f"episode {current} appears twice")
            episodes[current] = front + [line] if current == 1 else [line]
            continue
        if current is None:
            front.append(line)
        else:
            episodes[current].append(line)
    for n, body in sorted(episodes.items()):
        (dest / f"ep{n:02d}.txt").write_text("\n".join(body).rstrip() + "\n", encoding="utf-8")
    print(f"{len(episodes)} episodes written to {dest}")


def main() -> None:
    root = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root
    for name in ("剧本", "剧本2"):
        split(root, out, name)
    split(root, out, "绝境先知-黄金瞳", TITLED)


if __name__ == "__main__":
    main()
