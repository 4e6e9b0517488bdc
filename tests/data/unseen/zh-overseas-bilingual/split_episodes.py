"""Cut each series file of input/feishu-base-samples-*/ into episode files.

Run on a checkout of github.com/Ridotto/overseas-short-drama-workflow at commit
d4d85b6b0b76f313c93965ae50c8f027e763d1a5 (the input/ folder was removed from the repository in
cd534a2):

    python split_episodes.py /path/to/overseas-short-drama-workflow

Writes <folder>/<series>/epNN.txt beside each series file. An episode starts at a line that is only
an episode header: `第N集` / `第一集` (Arabic or Chinese numerals), `EP1`, `Ep1` or `Episode 1`
(the line may be indented). Lines with more text after the header (the `卡点` notes of the front
matter, `第7集晚宴上……`) are not headers. Text before the first header is front matter and is not
written. A number that comes back starts that episode again (the last block wins).
"""
import re
import sys
from pathlib import Path

HEAD = re.compile(r"\s*(?:第\s*([0-9]+|[一二三四五六七八九十百零]+)\s*集|(?:EP|Ep|Episode)\s*([0-9]+))\s*")
DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def cn_number(s):
    if s.isdigit():
        return int(s)
    if "百" in s:
        h, _, rest = s.partition("百")
        return DIGITS.get(h, 1) * 100 + (cn_number(rest.lstrip("零")) if rest else 0)
    if "十" in s:
        t, _, u = s.partition("十")
        return (DIGITS[t] if t else 1) * 10 + (DIGITS[u] if u else 0)
    return DIGITS[s]


def split(text):
    eps, cur, buf = {}, None, []
    for line in text.split("\n"):
        m = HEAD.fullmatch(line)
        if m:
            if cur is not None:
                eps[cur] = buf
            cur, buf = cn_number(m.group(1) or m.group(2)), []
            continue
        if cur is not None:
            buf.append(line)
    if cur is not None:
        eps[cur] = buf
    return {n: "\n".join(b).strip("\n") + "\n" for n, b in eps.items() if n >= 1}


def main(root):
    for f in sorted((Path(root) / "input").glob("feishu-base-samples-*/**/*.txt")):
        if f.parent.name.startswith("ep") or f.name.startswith("ep"):
            continue
        eps = split(f.read_text(encoding="utf-8"))
        if not eps:
            continue
        out = f.parent / f.stem
        out.mkdir(exist_ok=True)
        for n, body in sorted(eps.items()):
            (out / f"ep{n:02d}.txt").write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
