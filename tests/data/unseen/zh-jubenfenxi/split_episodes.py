"""Cut each series file of the 10.31剧本_txt folder into episode files.

Run from a checkout of github.com/Mr-Hu9595/jubenfenxi at commit
2658e31cc0c17615cfee44ef02cea75e1e8cd13f (the folder was deleted from the repository later):

    python split_episodes.py /path/to/jubenfenxi

Writes 10.31剧本_txt/<series>/epNN.txt beside the series files. An episode starts at a line that
is only `第 N 集` (the docx numbering the conversion kept); a header repeated with nothing but
blank lines in between counts once; a number that comes back after text starts that episode
again (the earlier block was front matter: 简纲, 人物小传), so the last block wins. Episode 0
and numbers above 200 (a stray `第 1111 集`) are front matter and are not written.
"""
import re
import sys
from pathlib import Path

HEAD = re.compile(r"\s*第\s*(\d+)\s*集\s*")


def split(text):
    eps, cur, buf = {}, None, []
    for line in text.split("\n"):
        m = HEAD.fullmatch(line)
        if m:
            n = int(m.group(1))
            if n == cur and not any(b.strip() for b in buf):
                continue
            if cur is not None:
                eps[cur] = buf
            cur, buf = n, []
            continue
        if cur is not None:
            buf.append(line)
    if cur is not None:
        eps[cur] = buf
    return {n: "\n".join(b).strip("\n") + "\n" for n, b in eps.items() if 1 <= n <= 200}


def main(root):
    folder = Path(root) / "10.31剧本_txt"
    for f in sorted(folder.glob("*.txt")):
        out = folder / f.stem
        out.mkdir(exist_ok=True)
        for n, body in sorted(split(f.read_text(encoding="utf-8")).items()):
            (out / f"ep{n:02d}.txt").write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
