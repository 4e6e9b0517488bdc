"""Agreement of the analyser with labelled scripts, per labelled set and language.

These are development figures: the cue lists were written while reading these sets, and the
cross-validation refits only the weights. The figures the project reports come from scripts
the analyser has not seen: ``python -m aiscript.analysis.validation``.

    python benchmarks/craft_agreement.py                          # the sets under tests/data
    python benchmarks/craft_agreement.py --labels DIR [DIR ...]   # other labelled folders
    python benchmarks/craft_agreement.py --judge MODEL_DIR        # and an LLM judge

For hook and cliffhanger it prints accuracy, balanced accuracy and the confusion
(tp fn / fp tn, "present" being positive) of three judges:

- ``rules``: the earlier cue rules (``AnalyserSettings(judge="rules")``);
- ``model (CV)``: the learned model, k-fold cross-validated over all the sets given (each script
  scored by a model fitted without it; the two 短剧 layouts of one story share a fold);
- ``judge``: an LLM judge, when ``--judge`` names a local instruct model.

Where scripts carry pivot labels, it prints pivot precision and recall within ±3 s for the
analyser's pivots and the earlier rules' ones. A labels folder is read by
``aiscript.analysis.corpus.load_labels`` (a DramaBench-style ``.jsonl`` with ``labels.json``,
or script files with ``labels.json``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from aiscript.analysis import AnalyserSettings, analyze
from aiscript.analysis.agreement import agreement, pivot_agreement
from aiscript.analysis.corpus import default_corpora
from aiscript.analysis.train import FOLDS, cross_validate, features, load_all


def _row(name: str, a: dict) -> str:
    return (f"    {name:12s} accuracy {a['accuracy']:5.0%}  balanced {a['balanced']:5.0%}  "
            f"tp {a['tp']:3d} fn {a['fn']:3d} / fp {a['fp']:3d} tn {a['tn']:3d}")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description="Analyser agreement with labelled scripts.")
    ap.add_argument("--labels", nargs="+", type=Path, help="labelled folders (default: tests/data sets)")
    ap.add_argument("--judge", type=Path, help="a local instruct model folder for the LLM judge")
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    sets = ({(p.name if p.name != "zh" else f"{p.parent.name}-zh"): p for p in args.labels}
            if args.labels else default_corpora())
    tagged = load_all(sets)
    items = [it for _, it in tagged]
    print("development figures (scripts the cue lists have seen); held-out figures: "
          "python -m aiscript.analysis.validation")
    hook_rows, cliff_rows = features(items)
    cv = {"hook": cross_validate(items, hook_rows, "hook", args.folds),
          "cliffhanger": cross_validate(items, cliff_rows, "cliffhanger", args.folds)}
    rules = [analyze(it.script, AnalyserSettings(judge="rules")) for it in items]
    judged = None
    if args.judge:
        from aiscript.analysis.judge import LLMJudge

        judged = LLMJudge.from_pretrained(args.judge).verdicts([it.script for it in items])
    figures: dict = {}
    for name in sets:
        idx = [i for i, (n, _) in enumerate(tagged) if n == name]
        for lang in sorted({items[i].lang for i in idx}):
            sub = [i for i in idx if items[i].lang == lang]
            key = f"{name} ({lang})"
            print(f"{key}: {len(sub)} scripts")
            figures[key] = {}
            for q in ("hook", "cliffhanger"):
                truth = [getattr(items[i], q) for i in sub]
                arms = {"rules": [getattr(rules[i], q).present for i in sub],
                        f"model ({args.folds}-fold CV)": [cv[q][i] >= 0.5 for i in sub]}
                if judged is not None:
                    arms["judge"] = [bool(judged[i].get(q) and judged[i][q].present) for i in sub]
                print(f"  {q}")
                figures[key][q] = {}
                for arm, pred in arms.items():
                    a = agreement(truth, pred)
                    figures[key][q][arm] = a
                    print(_row(arm.split(" ")[0] if arm == "rules" else arm, a))
            with_pivots = [items[i] for i in sub if items[i].pivots]
            if with_pivots:
                figures[key]["pivots"] = {}
                for arm, settings in (("rules", AnalyserSettings(judge="rules")), ("story", None)):
                    p = pivot_agreement(with_pivots, settings=settings)
                    figures[key]["pivots"][arm] = p
                    print(f"  pivots, {arm} (±3 s, {p['scripts']} scripts, {p['labelled']} "
                          f"labelled): precision {p['precision']:.0%} ({p['hits']}/{p['predicted']}),"
                          f" recall {p['recall']:.0%} ({p['found']}/{p['labelled']})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
