"""Turn the Seinfeld episode pages saved in ormoses/SeinfeldScripts into plain text files.

    python rda_to_txt.py CHECKOUT_ROOT [OUT_ROOT]     # needs: pip install rdata

CHECKOUT_ROOT holds data-raw/Seinfeld/raw/N.Rda (commit 075dd38fd28b2d4db40287024b5c1c6c0e4e8196):
each is an R vector `raw_data` with the text of one seinology.com script page (N = the site's
episode number; some pages are stored as bytes, decoded as UTF-8, or cp1252 where that fails). For each page: the text is split into lines, each line stripped, empty lines
(and lines holding only U+FFFD / no-break spaces, debris of the page's encoding) dropped; the page header (site navigation, title, credits and cast list) is cut up to and
including the last line starting with ten '=' among the first 80 lines; the site footer line
('Copyright ... seinology.com ...') and anything after it is cut, and so is anything after a
line 'The End' (some pages append notes after the script). The page stores non-ASCII
characters as escaped bytes such as '<c2><92>'; runs of such escapes are decoded as UTF-8, and
the C1 code points that result (the page's cp1252 punctuation) are mapped to their cp1252
characters. Output: OUT_ROOT/data-raw/Seinfeld/txt/N.txt, one line per script line (scene
headings like 'INT. COMEDY CLUB - NIGHT', '(action)', 'NAME: dialogue'). OUT_ROOT defaults to
CHECKOUT_ROOT.
"""

import re
import sys
import warnings
from pathlib import Path

import rdata

warnings.filterwarnings("ignore")
ESC = re.compile(r"(?:<[0-9a-f]{2}>)+")


def fix(s: str) -> str:
    def rep(m):
        b = bytes(int(h, 16) for h in re.findall(r"<([0-9a-f]{2})>", m.group(0)))
        t = b.decode("utf-8", errors="replace")
        return "".join(bytes([ord(c)]).decode("cp1252", errors="replace") if 0x80 <= ord(c) <= 0x9F else c for c in t)
    return ESC.sub(rep, s)


def dec(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("cp1252", errors="replace")


def main() -> None:
    root = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root
    dest = out / "data-raw/Seinfeld/txt"
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for f in sorted((root / "data-raw/Seinfeld/raw").glob("*.Rda"), key=lambda p: int(p.stem)):
        conv = rdata.conversion.convert(rdata.parser.parse_file(str(f)))
        text = "\n".join(dec(x) if isinstance(x, bytes) else str(x) for x in conv["raw_data"])
        lines = [fix(ln.strip()) for ln in text.splitlines() if ln.strip()]
        lines = [ln for ln in lines if ln.replace("\ufffd", "").replace("\xa0", "").strip()]
        head = [i for i, ln in enumerate(lines[:80]) if ln.startswith("==========")]
        if head:
            lines = lines[head[-1] + 1:]
        for i, ln in enumerate(lines):
            if ln.startswith("Copyright") and "seinology" in ln:
                lines = lines[:i]
                break
        if "The End" in lines:
            lines = lines[: lines.index("The End") + 1]
        (dest / f"{f.stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        n += 1
    print(f"{n} episodes written to {dest}")


if __name__ == "__main__":
    main()
