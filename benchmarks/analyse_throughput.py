"""How fast the analyser reads scripts: 1,000 episodes through ``aiscript.analyze``.

    python benchmarks/analyse_throughput.py [--episodes 1000]

Two arms on the same work: the analyser on Episode models already in memory, and the same
episodes read from Fountain text (parse + analyse), as a user pointing it at files would.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from aiscript.analysis import analyze
from aiscript.analysis.formats import read_text
from aiscript.drafting.template import TemplateWriter
from aiscript.export import to_fountain
from aiscript.schema import Premise


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--episodes", type=int, default=1000)
    args = ap.parse_args()
    w = TemplateWriter()
    eps = []
    for lang, text in (("zh", "林晚闪婚了陌生人顾言，却不知他是千亿总裁。"),
                       ("en", "Ava Lin marries a stranger, Ethan Gu, never guessing he owns the city.")):
        series = w.plan(Premise(text=text, language=lang, episodes=min(120, args.episodes // 2)))
        eps += [w.write_episode(series, n) for n in range(1, len(series.plan.episodes) + 1)]
    eps = (eps * (args.episodes // len(eps) + 1))[: args.episodes]
    fountains = [to_fountain(e) for e in eps]
    analyze(eps[0])  # warm up: lexicons and the segmenter's dictionary load once

    def timed(fn) -> float:
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs)

    models_s = timed(lambda: [analyze(e) for e in eps])
    fountain_s = timed(lambda: [analyze(read_text(f, f"ep{i}.fountain")) for i, f in enumerate(fountains)])
    result = {
        "episodes": len(eps),
        "episode_models_s": round(models_s, 3),
        "fountain_files_s": round(fountain_s, 3),
        "episodes_per_s_models": round(len(eps) / models_s, 1),
        "episodes_per_s_fountain": round(len(eps) / fountain_s, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
