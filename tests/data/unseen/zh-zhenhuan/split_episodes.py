"""Split the 甄嬛传 script files of KMnO4-zx/huanhuan-chat into one text file per episode.

    python split_episodes.py CHECKOUT_ROOT [OUT_ROOT]

CHECKOUT_ROOT holds dataset/input/huanhuan/甄嬛传剧本NN-MM.txt (commit
2d6c72909d6c3b35e3435cd7ce5658306737bfbd). Each file holds ten episodes (the last six), each
opening with a line "第X集" (Chinese numeral). The files are read in name order and cut at each
such line; every line is kept unchanged (a leading BOM is dropped). Episode N is written to
OUT_ROOT/dataset/input/huanhuan/甄嬛传/epNN.txt (OUT_ROOT defaults to CHECKOUT_ROOT).
"""

import re
import sys
from pathlib import Path

DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
HEAD = re.compile(r"^\s*第([一二三四五六七八九十零]+)集\s*$")


def cn_number(s: str) -> int:
    if "十" not in s:
        return int("".join(str(DIGITS[c]) for c in s))
    tens, _, ones = s.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)


def main() -> None:
    root = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root
    src = root / "dataset/input/huanhuan"
    dest = out / "dataset/input/huanhuan/甄嬛传"
    dest.mkdir(parents=True, exist_ok=True)
    episodes: dict[int, list[str]] = {}
    current = None
    for path in sorted(src.glob("甄嬛传剧本*.txt")):
        for line in path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines():
            m = HEAD.match(line)
            if m:
                current = cn_number(m.group(1))
                if current in episodes:
                    raise SystemExit(f"episode {current} appears twice ({path.name})")
                episodes[current] = []
            if current is not None:
                episodes[current].append(line)
    for n, lines in sorted(episodes.items()):
        (dest / f"ep{n:02d}.txt").write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"{len(episodes)} episodes written to {dest}")


if __name__ == "__main__":
    main()
