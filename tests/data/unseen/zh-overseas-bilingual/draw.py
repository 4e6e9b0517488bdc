"""Reproduce the draw on a checkout split with split_episodes.py (prints the drawn files)."""
import random
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
LEFT_OUT = {"【更新版】我被黑手党教授掰弯了_双语台词版_1-30集-5114字-零点场"}  # headers missing for 7 of 30 episodes
series = sorted(str(p.relative_to(root)) for p in root.glob("input/feishu-base-samples-*/**/ep01.txt"))
series = sorted(s.rsplit("/", 1)[0] for s in series if s.rsplit("/", 2)[1] not in LEFT_OUT)
rng = random.Random(1205)
for s in sorted(rng.sample(series, 10)):
    eps = sorted(p.name for p in (root / s).glob("ep*.txt"))
    for e in sorted(rng.sample(eps, 3)):
        print(f"{s}/{e}")
