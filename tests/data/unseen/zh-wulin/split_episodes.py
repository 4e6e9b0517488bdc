"""Split 武林外传剧本全.md of woshicby/woshicby.github.io into one text file per episode.

    python split_episodes.py CHECKOUT_ROOT [OUT_ROOT]

CHECKOUT_ROOT holds documents/武林外传剧本全.md (commit f3ef5a992eaede3faa190d7acde6e9464db2083b).
The file holds the sitcom's episodes, each opening with a Markdown heading "# 第NN回 <title>"
(80 headings, numbered 01-70 and 72-81). It is cut at each such heading; every line is kept
unchanged. Episode NN is written to OUT_ROOT/documents/武林外传/epNN.txt using the heading's
own number (OUT_ROOT defaults to CHECKOUT_ROOT).
"""

import re
import sys
from pathlib import Path

HEAD = re.compile(r"^# 第(\d+)回")


def main() -> None:
    root = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root
    text = (root / "documents/武林外传剧本全.md").read_text(encoding="utf-8").lstrip("\ufeff")
    dest = out / "documents/武林外传"
    dest.mkdir(parents=True, exist_ok=True)
    episodes: dict[int, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = HEAD.match(line)
        if m:
            current = int(m.group(1))
            if current in episodes:
                raise SystemExit(f"episode {current} appears twice")
            episodes[current] = []
        if current is not None:
            episodes[current].append(line)
    for n, lines in sorted(episodes.items()):
        (dest / f"ep{n:02d}.txt").write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"{len(episodes)} episodes written to {dest}")


if __name__ == "__main__":
    main()
