"""Leave-one-source-out cross-validation of the craft judge over every labelled set the
project may read (the development sets and the retired unseen sets): each source is held out
in turn, the weights are fitted on the others, and the held-out source is scored. A source is
where the scripts came from (one repository, one corpus), so a fold never holds a story, a
series or a writer's habits that the weights saw.

    python -m aiscript.analysis.crossval --external zh-shortscript=DIR ...
    python -m aiscript.analysis.crossval --write --external ...   # and fit the shipped weights
    python -m aiscript.analysis.crossval --without-test --external ...  # the test part left out

Reports per language and per source, for the hook and the cliffhanger: balanced accuracy with
a bootstrap 95% interval, the confusion counts, the Brier score and the ``unsure`` count.
The hand cue lists (``story_cues.json``) are not refitted in the folds: they were written on
the development sets, so the figures of those sources measure the weights and the story-state
features only; the figures of the retired sets measure the cues too.

>>> source_of("dramabench-zh"), source_of("unseen-zh-shortscript-b"), source_of("labelled")
('dramabench', 'chinese-shortscript', 'labelled')
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from aiscript.analysis.corpus import Labelled, load_split
from aiscript.analysis.validation import _line, all_sets, figures, load_set

# set name -> source (sets drawn from one repository are one source)
SOURCES = {"dramabench-en": "dramabench", "dramabench-zh": "dramabench",
           "labelled": "labelled", "unseen-en": "ebscreenplays",
           "unseen-en-ebscreenplays-b": "ebscreenplays",
           "unseen-zh-shortscript": "chinese-shortscript",
           "unseen-zh-shortscript-b": "chinese-shortscript",
           "unseen-zh-juben-hongguo": "juben", "unseen-en-lumenwrites-screenplays": "lumenwrites"}


RIDGE = 300.0  # a strong penalty: weights that hold across sources, not one source's habits


def source_of(name: str) -> str:
    """The source a labelled set was drawn from."""
    return SOURCES.get(name, name.removeprefix("unseen-"))


def readable_sets(external: dict[str, Path] | None = None, include_unseen: bool = False,
                  ) -> tuple[list[tuple[str, Labelled]], list[str]]:
    """Every labelled script of the sets the project may read (all but ``unseen`` in
    ``split.json``), and the names of the sets skipped for want of their texts."""
    unseen = set(load_split().get("unseen", [])) - set(load_split().get("retired", {}))
    tagged, skipped = [], []
    for name, path in all_sets().items():
        if name in unseen and not include_unseen:
            continue
        items = load_set(name, path, external)
        if items is None:
            skipped.append(name)
            continue
        tagged += [(name, it) for it in items]
    return tagged, skipped


def without_test(tagged: Sequence[tuple[str, Labelled]], split: dict | None = None,
                 ) -> list[tuple[str, Labelled]]:
    """The scripts outside the test part (``test`` in ``split.json``): the figures read while
    tuning the analyser never fit or score a test story."""
    test = set((split or load_split())["test"])
    return [(n, it) for n, it in tagged if n.startswith("unseen-") or it.group not in test]


def rows_of(items: Sequence[Labelled]) -> dict[str, list[dict]]:
    from aiscript.analysis.train import features

    hook, cliff = features(items)
    return {"hook": hook, "cliffhanger": cliff}


def out_of_source(tagged: Sequence[tuple[str, Labelled]], rows: dict[str, list[dict]],
                  key: str, balance: bool = True) -> list[float]:
    """The probability of "present" for every script, from weights fitted on the other
    sources."""
    from aiscript.analysis.train import fit

    src = [source_of(n) for n, _ in tagged]
    y = [getattr(it, key) for _, it in tagged]
    probs = [0.0] * len(tagged)
    for held in dict.fromkeys(src):
        train = [i for i, s in enumerate(src) if s != held]
        model = fit([rows[key][i] for i in train], [y[i] for i in train],
                    **(dict(l2=RIDGE, calibrate=True,
                            weights=sample_weights([y[i] for i in train], [src[i] for i in train]))
                       if balance else {}))
        for i, s in enumerate(src):
            if s == held:
                probs[i] = model.probability(rows[key][i])
    return probs


def sample_weights(y: Sequence[bool], sources: Sequence[str]) -> list[float]:
    """Weights that give each language's "present" and "absent" scripts equal total weight, so
    no genre's prior (micro-dramas, where nearly every ending is open) becomes the verdict."""
    del sources  # kept for the signature: weighting by source was tried and not kept
    counts: dict[bool, int] = {True: 0, False: 0}
    for t in y:
        counts[t] += 1
    return [len(y) / (2 * counts[t]) if counts[t] else 0.0 for t in y]


def fit_all(tagged: Sequence[tuple[str, Labelled]], figures_by_source: dict | None = None,
            ) -> dict:
    """The shipped model: both questions fitted on every script given, as in each fold (strong
    ridge, balanced classes, Platt scale), with the sets it saw and the held-out figures."""
    from aiscript.analysis.train import fit

    items = [it for _, it in tagged]
    rows = rows_of(items)
    src = [source_of(n) for n, _ in tagged]
    out: dict = {}
    for key in ("hook", "cliffhanger"):
        y = [getattr(it, key) for it in items]
        out[key] = fit(rows[key], y, l2=RIDGE, calibrate=True,
                       weights=sample_weights(y, src)).__dict__
    out["meta"] = {"trained_on": dict(sorted(Counter(n for n, _ in tagged).items())),
                   "fit": {"l2": RIDGE, "classes": "balanced", "calibration": "platt"},
                   "leave_one_source_out": {
                       g: {k: {m: r[k][m] for m in ("n", "balanced", "balanced_ci", "brier")}
                           for k in ("hook", "cliffhanger")}
                       for g, r in sorted((figures_by_source or {}).items())
                       if not g.startswith("_")}}
    return out


def report(tagged: Sequence[tuple[str, Labelled]], balance: bool = True,
           band: float = 0.1) -> dict:
    items = [it for _, it in tagged]
    rows = rows_of(items)
    out: dict = {}
    for key in ("hook", "cliffhanger"):
        probs = out_of_source(tagged, rows, key, balance)
        groups: dict[str, list[int]] = {}
        for i, (name, it) in enumerate(tagged):
            groups.setdefault(f"all ({it.lang})", []).append(i)
            groups.setdefault(f"{source_of(name)} ({it.lang})", []).append(i)
            if source_of(name) == "juben":  # one source, three series
                groups.setdefault(f"juben/{Path(it.name).parent.name[:6]} ({it.lang})",
                                  []).append(i)
        for g, idx in groups.items():
            truth = [getattr(items[i], key) for i in idx]
            out.setdefault(g, {"n": len(idx)})[key] = figures(
                truth, [probs[i] >= 0.5 for i in idx], [probs[i] for i in idx], band)
        out.setdefault("_probs", {})[key] = probs
    return out


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description="Leave-one-source-out figures of the craft judge.")
    ap.add_argument("--external", nargs="*", action="extend", default=[], metavar="NAME=DIR",
                    help="checkouts holding the texts of sets kept as labels only")
    ap.add_argument("--unweighted", action="store_true",
                    help="fit without balancing the classes (the old fit)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--without-test", action="store_true",
                    help="leave the test part out of the folds and the figures (for tuning)")
    ap.add_argument("--write", action="store_true",
                    help="fit on every readable set and write the shipped craft_model.json "
                         "(needs every --external checkout)")
    args = ap.parse_args(argv)
    external = {k if k.startswith("unseen-") else f"unseen-{k}": Path(v)
                for k, v in (x.split("=", 1) for x in args.external)}
    tagged, skipped = readable_sets(external)
    for name in skipped:
        print(f"skipped {name}: its texts are not in the repository (--external "
              f"{name.removeprefix('unseen-')}=DIR)")
    if args.without_test and args.write:
        raise SystemExit("--write fits on every readable script: drop --without-test")
    rep = report(without_test(tagged) if args.without_test else tagged,
                 balance=not args.unweighted)
    for g in sorted(k for k in rep if not k.startswith("_")):
        print(f"{g}, {rep[g]['n']} scripts")
        for key in ("hook", "cliffhanger"):
            print(f"  {key:11s} " + _line("", rep[g][key]))
    if args.write:
        if skipped:
            raise SystemExit(f"--write needs every set's texts: {', '.join(skipped)} missing")
        from aiscript.analysis.story import HERE

        model = fit_all(tagged, rep)
        (HERE / "craft_model.json").write_text(
            json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {HERE / 'craft_model.json'}")
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in rep.items() if not k.startswith("_")},
                                        indent=1) + "\n", encoding="utf-8")
    return rep


if __name__ == "__main__":
    main()
