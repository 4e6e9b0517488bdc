"""Turn the Friends transcript pages of fangj/friends into plain text files the readers can open.

    python html_to_txt.py CHECKOUT_ROOT [OUT_ROOT]

CHECKOUT_ROOT holds season/SSEE.html (commit 0e0e7b0f08c0ccb4a80b4f3beab22fbaa1ccca91). Each
page is read with the standard library HTML parser: the text of the page is kept in order,
tags are dropped, entities are decoded, and a line break is written at every <p>, <br>, <h1>-<h6>,
<hr> and <div> (line breaks inside the HTML source are spaces; runs of whitespace inside a line are
collapsed, blank lines dropped). The title
and the "Written by / Transcribed by" credits stay at the top, as front matter. SSEE.html is
written to OUT_ROOT/season_txt/SSEE.txt (OUT_ROOT defaults to CHECKOUT_ROOT). Pages are read as
UTF-8 and, failing that, as cp1252.
"""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

BREAKS = {"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "div", "title"}


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data.replace("\r", " ").replace("\n", " "))


def convert(raw: bytes) -> str:
    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError:
        html = raw.decode("cp1252")
    p = Text()
    p.feed(html)
    lines = []
    for line in "".join(p.parts).replace("\xa0", " ").split("\n"):
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines) + "\n"


def main() -> None:
    root = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root
    dest = out / "season_txt"
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for page in sorted((root / "season").glob("*.html")):
        (dest / (page.stem + ".txt")).write_text(convert(page.read_bytes()), encoding="utf-8")
        n += 1
    print(f"{n} pages written to {dest}")


if __name__ == "__main__":
    main()
