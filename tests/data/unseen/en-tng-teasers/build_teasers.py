"""Write the TEASER of each Star Trek: TNG episode script in RTrek/startrekTNGdataset as a text file.

    python build_teasers.py CHECKOUT_ROOT [OUT_ROOT]     # needs: pip install rdata pandas

CHECKOUT_ROOT holds data2/all_episodes_TNG.Rdata (commit 869a89a59a9ba7409e5cffb592ec12f2fd4b66f9),
a table of 110176 rows parsed by Roel M. Hogervorst from the episodes' shooting scripts: one row per
action paragraph ("description") or speech, with the episode title, the act (TEASER, ONE, ...),
scene number, speaker and text. Scene headings are not in the table. For every episode with
TEASER rows, the rows are written in table order as a plain screenplay text: an action paragraph
as its own paragraph, a speech as the speaker's name on one line and the words on the next, blank
lines between elements. Trailing 'FADE IN:' rows (the next act's first line, which the parser
attributes to the teaser) are dropped, and a 'FADE IN:' closing the last element is cut off;
whitespace runs are collapsed to one space; nothing else is changed. Files go to
OUT_ROOT/data2/teasers/NNN.txt, NNN = the episode's 1-based position in the table (OUT_ROOT
defaults to CHECKOUT_ROOT); index.tsv lists NNN, episode title and row count.
"""

import sys
import warnings
from pathlib import Path

import pandas as pd
import rdata

warnings.filterwarnings("ignore")


def main() -> None:
    root = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else root
    conv = rdata.conversion.convert(rdata.parser.parse_file(str(root / "data2/all_episodes_TNG.Rdata")))
    df = pd.DataFrame(conv)
    dest = out / "data2/teasers"
    dest.mkdir(parents=True, exist_ok=True)
    index = []
    for n, title in enumerate(dict.fromkeys(df["episode"]), start=1):
        rows = df[(df["episode"] == title) & (df["act"] == "TEASER")]
        els = []
        for r in rows.itertuples():
            text = " ".join(str(r.text).split()) if not pd.isna(r.text) else ""
            if not text:
                continue
            if r.type == "speech" and not pd.isna(r.who):
                els.append(" ".join(str(r.who).split()).upper() + "\n" + text)
            else:
                els.append(text)
        while els and els[-1].strip().upper() in ("FADE IN:", "FADE IN"):
            els.pop()
        if els and els[-1].rstrip().endswith("FADE IN:"):
            els[-1] = els[-1].rstrip()[: -len("FADE IN:")].rstrip()
        if not els:
            continue
        (dest / f"{n:03d}.txt").write_text("\n\n".join(els) + "\n", encoding="utf-8")
        index.append(f"{n:03d}\t{' '.join(str(title).split())}\t{len(els)}")
    (dest / "index.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"{len(index)} teasers written to {dest}")


if __name__ == "__main__":
    main()
