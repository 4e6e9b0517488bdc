"""CPU time of ``aiscript review`` on a 60-episode season, as a user runs it.

    python benchmarks/review_cpu.py [--season DIR] [--rounds 5]

Without ``--season`` it first makes one (``aiscript run -n 60``, template writer and sketch
frames, about a minute). Two arms, interleaved round by round, each a fresh process
(``python -m aiscript review DIR``) whose user + system CPU seconds are read from
``getrusage``: ``cold`` (``review/`` removed first: the first review of a folder, every
episode analysed and the font cut) and ``again`` (the folder already has its review, as after
``aiscript run``: the reports of unchanged episodes by the same analyser, and the font cut for
the same characters, are kept). Reported: min / median / max per arm.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PREMISE = "林晚被未婚夫抛弃，转身闪婚了陌生人顾言。"


def cpu_of(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--season", type=Path, help="an aiscript run folder (default: make one)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    season = args.season
    if season is None:
        season = Path(tempfile.mkdtemp()) / "season"
        subprocess.run([sys.executable, "-m", "aiscript", "run", PREMISE, "-n", "60", "--out",
                        str(season), "--no-review"], check=True, capture_output=True)
    review = [sys.executable, "-m", "aiscript", "review", str(season)]
    folder = season / "review"
    times: dict[str, list[float]] = {"cold": [], "again": []}
    for r in range(args.rounds):
        for arm in (("cold", "again") if r % 2 == 0 else ("again", "cold")):
            if arm == "cold":
                shutil.rmtree(folder, ignore_errors=True)
            elif not (folder / "analysis.json").is_file():
                subprocess.run(review, check=True, capture_output=True)
            times[arm].append(round(cpu_of(review), 3))
    episodes = len(list(folder.glob("*.html"))) - 1
    print(json.dumps({"episodes": episodes, **{
        arm: {"min": min(t), "median": statistics.median(t), "max": max(t), "rounds": t}
        for arm, t in times.items()}}, indent=2))


if __name__ == "__main__":
    main()
