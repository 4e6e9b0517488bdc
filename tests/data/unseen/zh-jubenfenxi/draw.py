"""Reproduce the draw: run on a checkout split with split_episodes.py (prints the drawn files)."""
import random
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else ".") / "10.31剧本_txt"
series = sorted(p.name for p in root.iterdir() if p.is_dir())
rng = random.Random(1205)
for s in sorted(rng.sample(series, 15)):
    eps = sorted(p.name for p in (root / s).glob("ep*.txt"))
    for e in sorted(rng.sample(eps, 3)):
        print(f"{s}/{e}")
