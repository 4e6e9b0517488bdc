"""Rebuild the episode files of set zh-juben-hongguo from the three sample scripts (.docx)
in github.com/Linxian-stack/juben @ 725a6c3ec02ac60808e260338acca76f99800dc9, scripts/.

usage: python split_episodes.py CHECKOUT_ROOT OUT_ROOT
Reads CHECKOUT_ROOT/scripts/<name>.docx, writes OUT_ROOT/scripts/<name>/epNN.txt (UTF-8),
one file per episode, text as in the docx (one paragraph a line), nothing added or removed.
Episode N runs from its header line ("第N集", or, where a series has none, the first scene
header "N-1 ...") to the line before the next episode's header.
"""
import html
import re
import sys
import zipfile
from pathlib import Path

SERIES = {
    "地狱游戏：开局获得预知羊皮纸1216(1)": "scene",
    "我宫斗冠军，矜贵世子俯首称臣251209": "ji",
    "末世天灾，我靠吞金超市躺赢": "ji",
}

def docx_lines(p):
    x = zipfile.ZipFile(p).read("word/document.xml").decode("utf8")
    out = []
    for para in re.findall(r"<w:p[ >].*?</w:p>", x, flags=re.S):
        out.append(html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>(.*?)</w:t>", para, flags=re.S))))
    return out

def episodes(lines, mode):
    starts = {}
    if mode == "ji":
        for i, ln in enumerate(lines):
            m = re.match(r"^\s*第\s*(\d+)\s*集", ln)
            if m:
                starts.setdefault(int(m.group(1)), i)
    else:  # 地狱游戏: "第N集" lines where present, else the scene header "N-1"
        prev = ""
        for i, ln in enumerate(lines):
            m = re.match(r"^\s*第\s*(\d+)\s*集", ln) or (
                None if re.match(r"^\s*第\s*\d+\s*集", prev) else re.match(r"^\s*(\d+)\s*[-－—–]\s*1(?!\d)", ln))
            if m:
                n = int(m.group(1))
                key = n if n not in starts else (n, "b")  # one series numbers two episodes "19"
                starts[key] = 0 if n == 1 else i
            if ln.strip():
                prev = ln
    ks = sorted(starts, key=lambda k: starts[k])
    for a, b in zip(ks, ks[1:] + [None], strict=True):
        yield a, lines[starts[a]: starts[b] if b is not None else len(lines)]

def main(src, dst):
    for name, mode in SERIES.items():
        lines = docx_lines(Path(src) / "scripts" / f"{name}.docx")
        if mode == "ji":  # front matter before episode 1 belongs to episode 1
            first = next(i for i, ln in enumerate(lines) if re.match(r"^\s*第\s*1\s*集", ln))
        for n, body in episodes(lines, mode):
            if mode == "ji" and n == 1:
                body = lines[:first] + body
            d = Path(dst) / "scripts" / name
            d.mkdir(parents=True, exist_ok=True)
            name_n = f"ep{n:02d}" if isinstance(n, int) else f"ep{n[0]:02d}{n[1]}"
            (d / f"{name_n}.txt").write_text("\n".join(body).strip("\n") + "\n", encoding="utf-8")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
