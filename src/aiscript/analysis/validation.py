"""Held-out validation of the craft judge: a fixed development / test split of the labelled
corpora, figures with confidence intervals, by source and by language.

The rules:

- ``tests/data/split.json`` names the stories of the test part (a story is every rendering of
  one script: the English DramaBench record and its two Chinese layouts are one story). It was
  drawn once, stratified by set and label, and is never redrawn.
- The shipped weights (``craft_model.json``) are fitted on every set that is not ``unseen``
  (``python -m aiscript.analysis.crossval --write``, whose figures hold each source out in
  turn); this module scores the unseen sets with them, as the judge ships. The test part
  stays drawn (``--dev`` cross-validates on the development part with the k-fold fit).
- Every figure is reported with its count, balanced accuracy (the mean of the recall of
  "present" and of "absent") with a bootstrap 95% interval, and accuracy with a Wilson 95%
  interval.
- The hand-written cue lists (``story_cues.json``) were written while reading the sets that
  were in the repository before the split; on those sets the held-out figures measure the
  weights only. Sets added later (``unseen`` in ``split.json``) were labelled before the
  analyser was run on them and are scored once with the cues frozen: those are the figures that
  measure judgement. ``learned`` (a judge whose word lists are learned inside each training
  fold, with no hand cue lists) gives a second honest figure on the development part.

    python -m aiscript.analysis.validation --external NAME=DIR   # the unseen sets (numpy)
    python -m aiscript.analysis.validation --unseen-root DIR      # and sets kept outside
    python -m aiscript.analysis.validation --json F   # and write the figures to F

>>> round(wilson(8, 10)[0], 3), round(wilson(8, 10)[1], 3)
(0.49, 0.943)
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from aiscript.analysis.agreement import agreement
from aiscript.analysis.corpus import SPLIT, Labelled, default_corpora, load_labels, load_split, part

TEST_SHARE = 0.3
SEED = 25


# --------------------------------------------------------------------------- intervals


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``k / n``."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def balanced(truth: Sequence[bool], pred: Sequence[bool]) -> float:
    return agreement(truth, pred)["balanced"]


def bootstrap(truth: Sequence[bool], pred: Sequence[bool], reps: int = 2000,
              seed: int = 0) -> tuple[float, float]:
    """A percentile bootstrap 95% interval of balanced accuracy (resampling scripts)."""
    n = len(truth)
    if n == 0:
        return (0.0, 1.0)
    rng = random.Random(seed)
    values = []
    for _ in range(reps):
        idx = [rng.randrange(n) for _ in range(n)]
        values.append(balanced([truth[i] for i in idx], [pred[i] for i in idx]))
    values.sort()
    return (values[int(0.025 * reps)], values[int(0.975 * reps) - 1])


def figures(truth: Sequence[bool], pred: Sequence[bool], probs: Sequence[float] | None = None,
            band: float = 0.1) -> dict:
    """Agreement with its intervals; with the probabilities, their Brier score, how often the
    judge would say ``unsure`` (within ``band`` of 0.5) and its accuracy where it is sure."""
    a = agreement(truth, pred)
    lo, hi = wilson(a["tp"] + a["tn"], a["n"])
    a["accuracy_ci"] = [round(lo, 3), round(hi, 3)]
    a["balanced_ci"] = [round(x, 3) for x in bootstrap(truth, pred)]
    if probs is not None:
        a["brier"] = round(sum((p - t) ** 2 for p, t in zip(probs, truth, strict=True))
                           / max(1, len(truth)), 3)
        sure = [i for i, p in enumerate(probs) if abs(p - 0.5) >= band]
        a["unsure"] = len(truth) - len(sure)
        a["sure_accuracy"] = round(sum(pred[i] == truth[i] for i in sure) / len(sure), 3) \
            if sure else None
    return a


# --------------------------------------------------------------------------- the split


def _stratum(items: list[Labelled]) -> str:
    it = items[0]
    return f"{it.hook:d}{it.cliffhanger:d}"


def draw_split(tagged: Sequence[tuple[str, Labelled]], share: float = TEST_SHARE,
               seed: int = SEED) -> list[str]:
    """The test stories: ``share`` of the stories of each set, stratified by label. Drawn
    once and written to ``split.json``; kept fixed after that."""
    rng = random.Random(seed)
    stories: dict[str, dict[str, list[Labelled]]] = {}
    for name, it in tagged:
        # a translation belongs to its source story (one DramaBench id, two languages)
        home = "dramabench" if name.startswith("dramabench") else name
        stories.setdefault(home, {}).setdefault(it.group, []).append(it)
    test = []
    for home in sorted(stories):
        strata: dict[str, list[str]] = {}
        for group, items in sorted(stories[home].items()):
            strata.setdefault(_stratum(items), []).append(group)
        for key in sorted(strata):
            groups = strata[key]
            rng.shuffle(groups)
            test += sorted(groups[: round(share * len(groups))])
    return sorted(test)


def load_set(name: str, path: Path, external: dict[str, Path] | None = None,
             unreadable: list[str] | None = None) -> list[Labelled] | None:
    """A labelled set; a set whose texts are not in the repository (``external.json``: labels
    and provenance only) is read from the checkout given in ``external``, or skipped (None)."""
    from aiscript.analysis.corpus import _verdict
    from aiscript.analysis.formats import read_text
    from aiscript.errors import AiscriptError

    meta_path = path / "external.json"
    if not meta_path.is_file():
        return load_labels(path)
    root = (external or {}).get(name)
    if root is None:
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    unreadable = unreadable if unreadable is not None else []
    out = []
    for lb in json.loads((path / "labels.json").read_text(encoding="utf-8")):
        raw = (Path(root) / lb["file"]).read_bytes()
        for enc in meta.get("encodings", ["utf-8"]):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError(f"{lb['file']}: not in {meta.get('encodings')}")
        hook, hook_kind = _verdict(lb["hook"])
        cliff, cliff_kind = _verdict(lb["cliffhanger"])
        try:
            script = read_text(text.replace("\r", ""), Path(lb["file"]).name)
        except AiscriptError as exc:  # counted as unreadable, never dropped silently
            unreadable.append(f"{name}: {exc}")
            continue
        out.append(Labelled(lb["file"], lb["file"], script, hook, cliff, hook_kind, cliff_kind,
                            None, lb))
    return out


def all_sets(root: Path | None = None) -> dict[str, Path]:
    """The labelled sets: the ones the cues were written on, and the unseen ones."""
    sets = default_corpora(root)
    base = Path(root) if root else SPLIT.parent
    for folder in sorted((base / "unseen").glob("*")) if (base / "unseen").is_dir() else []:
        if (folder / "labels.json").is_file():
            sets[f"unseen-{folder.name}"] = folder
    return sets


# --------------------------------------------------------------------------- a learned-lexicon judge

_WORD = re.compile(r"[a-z']+|[\u4e00-\u9fff]")


def tokens(text: str) -> set[str]:
    """English word stems (first five letters) and Chinese character bigrams."""
    text = text.lower()
    out = set()
    han = "".join(re.findall(r"[\u4e00-\u9fff]", text))
    out |= {han[i : i + 2] for i in range(len(han) - 1)}
    out |= {w[:5] for w in re.findall(r"[a-z']{3,}", text)}
    return out


class LearnedLexicon:
    """Words whose presence tells the two labels apart, learned from training scripts only
    (smoothed log-odds, words seen at least twice)."""

    def __init__(self, min_count: int = 2) -> None:
        self.min_count = min_count
        self.weights: dict[str, float] = {}

    def fit(self, texts: Sequence[str], y: Sequence[bool]) -> LearnedLexicon:
        pos, neg = Counter(), Counter()
        for t, label in zip(texts, y, strict=True):
            (pos if label else neg).update(tokens(t))
        n_pos, n_neg = max(1, sum(y)), max(1, len(y) - sum(y))
        for w in set(pos) | set(neg):
            if pos[w] + neg[w] >= self.min_count:
                self.weights[w] = math.log((pos[w] + 0.5) / (n_pos + 1)) - math.log(
                    (neg[w] + 0.5) / (n_neg + 1))
        return self

    def score(self, text: str) -> float:
        found = [self.weights[w] for w in tokens(text) if w in self.weights]
        return sum(found) / math.sqrt(len(found)) if found else 0.0


def window_texts(items: Sequence[Labelled]) -> tuple[list[str], list[str]]:
    """The text of each script's opening window and ending window."""
    from aiscript.analysis.story import beats_of, ending_window, opening_window

    opening, ending = [], []
    for it in items:
        beats = beats_of(it.script)
        opening.append(" ".join(b.el.text for b in opening_window(beats, it.lang)))
        ending.append(" ".join(b.el.text for b in ending_window(beats, it.lang)))
    return opening, ending


STRUCTURAL = {"hook": ("cold_open", "question", "exclaim", "neg_arousal", "positive", "no_person",
                       "confrontation"),
              "cliffhanger": ("question", "cut_short", "trailing", "exclaim", "neg_arousal",
                              "positive", "last_is_dialogue", "to_be_continued", "fade", "black",
                              "new_person", "aftermath")}


def learned_probs(train: Sequence[Labelled], test: Sequence[Labelled], key: str,
                  train_rows: Sequence[dict], test_rows: Sequence[dict],
                  train_text: Sequence[str], test_text: Sequence[str]) -> list[float]:
    """Fit the lexicon and the weights on ``train``; the probability of "present" on ``test``.
    Only the structural features (line shape, transitions, emotion) are kept from the hand
    model: no hand cue list takes part."""
    from aiscript.analysis.train import fit

    y = [getattr(it, key) for it in train]
    # the lexicon's own score on training scripts is optimistic: score them out of fold
    inner = [0.0] * len(train)
    k = 5
    for f in range(k):
        fold_train = [i for i in range(len(train)) if i % k != f]
        lex = LearnedLexicon().fit([train_text[i] for i in fold_train], [y[i] for i in fold_train])
        for i in range(len(train)):
            if i % k == f:
                inner[i] = lex.score(train_text[i])
    lex = LearnedLexicon().fit(train_text, y)
    keep = STRUCTURAL[key]

    def rows(base: Sequence[dict], lexical: Sequence[float]) -> list[dict]:
        return [{**{n: r.get(n, 0.0) for n in keep}, "lexicon": s}
                for r, s in zip(base, lexical, strict=True)]

    model = fit(rows(train_rows, inner), y)
    return [model.probability(r) for r in rows(test_rows, [lex.score(t) for t in test_text])]


# --------------------------------------------------------------------------- the report


def _by_source(tagged: Sequence[tuple[str, Labelled]]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, (name, it) in enumerate(tagged):
        groups.setdefault(f"{name} ({it.lang})", []).append(i)
        if name.startswith("unseen-") and len(Path(it.name).parts) > 1:  # by series (folder)
            groups.setdefault(f"{name}/{Path(it.name).parent} ({it.lang})", []).append(i)
        groups.setdefault(f"all ({it.lang})", []).append(i)
    return groups


def report(sets: dict[str, Path] | None = None, split: dict | None = None,
           unsure_band: float = 0.1, external: dict[str, Path] | None = None) -> dict:
    """Figures of the shipped judge (``craft_model.json``) on the unseen sets, and of the
    learned-lexicon judge fitted on the development part. The shipped weights were fitted on
    every set that is not unseen (``python -m aiscript.analysis.crossval --write``), so the
    test part and the retired sets are not scored here: their held-out figures come from
    ``crossval`` (each source held out in turn)."""
    from aiscript.analysis.story import craft_model
    from aiscript.analysis.train import features

    sets = sets or all_sets()
    split = split or load_split()
    tagged, skipped, unreadable = [], [], []
    for name, path in sets.items():
        items = load_set(name, path, external, unreadable)
        if items is None:
            skipped.append(name)
            continue
        tagged += [(name, it) for it in items]
    dev = part(tagged, split, "dev")
    out: dict = {"dev_scripts": len(dev), "skipped": skipped, "unreadable": unreadable}
    dev_items = [it for _, it in dev]
    dev_hook, dev_cliff = features(dev_items)
    dev_open, dev_end = window_texts(dev_items)
    shipped = craft_model()
    out["shipped_on"] = shipped["meta"].get("trained_on", {})
    held = part(tagged, split, "unseen")
    if held:
        items = [it for _, it in held]
        hook_rows, cliff_rows = features(items)
        opening, ending = window_texts(items)
        section: dict = {}
        for key, rows, dev_rows, text, dev_text in (
                ("hook", hook_rows, dev_hook, opening, dev_open),
                ("cliffhanger", cliff_rows, dev_cliff, ending, dev_end)):
            probs = [shipped[key].probability(r) for r in rows]
            lprobs = learned_probs(dev_items, items, key, dev_rows, rows, dev_text, text)
            for src, idx in _by_source(held).items():
                truth = [getattr(items[i], key) for i in idx]
                section.setdefault(src, {"n": len(idx)}).setdefault(key, {}).update({
                    "default": figures(truth, [probs[i] >= 0.5 for i in idx],
                                       [probs[i] for i in idx], unsure_band),
                    "learned": figures(truth, [lprobs[i] >= 0.5 for i in idx],
                                       [lprobs[i] for i in idx], unsure_band),
                })
        out["unseen"] = section
    return out


def dev_cv(sets: dict[str, Path] | None = None, split: dict | None = None) -> dict:
    """Cross-validated figures on the development part only: what the analyser is tuned on."""
    from aiscript.analysis.train import FOLDS, cross_validate, features, folds

    tagged = [(n, it) for n, p in (sets or default_corpora()).items() for it in load_labels(p)]
    dev = part(tagged, split or load_split(), "dev")
    items = [it for _, it in dev]
    hook_rows, cliff_rows = features(items)
    opening, ending = window_texts(items)
    out: dict = {}
    for key, rows, text in (("hook", hook_rows, opening), ("cliffhanger", cliff_rows, ending)):
        probs = cross_validate(items, rows, key)
        fold = folds(items, key)
        lprobs = [0.0] * len(items)
        for f in range(FOLDS):
            tr = [i for i in range(len(items)) if fold[i] != f]
            te = [i for i in range(len(items)) if fold[i] == f]
            got = learned_probs([items[i] for i in tr], [items[i] for i in te], key,
                                [rows[i] for i in tr], [rows[i] for i in te],
                                [text[i] for i in tr], [text[i] for i in te])
            for i, p in zip(te, got, strict=True):
                lprobs[i] = p
        for src, idx in _by_source(dev).items():
            truth = [getattr(items[i], key) for i in idx]
            out.setdefault(src, {"n": len(idx)})[key] = {
                "default": figures(truth, [probs[i] >= 0.5 for i in idx], [probs[i] for i in idx]),
                "learned": figures(truth, [lprobs[i] >= 0.5 for i in idx],
                                   [lprobs[i] for i in idx])}
    return out


def _line(name: str, f: dict) -> str:
    lo, hi = f["balanced_ci"]
    alo, ahi = f["accuracy_ci"]
    unsure = (f"  brier {f['brier']:.2f}  unsure {f['unsure']}"
              + (f" (sure: {f['sure_accuracy']:.0%})" if f.get("sure_accuracy") is not None
                 else "")) if "unsure" in f else ""
    return (f"{name:8s} balanced {f['balanced']:4.0%} [{lo:.0%}-{hi:.0%}]  accuracy "
            f"{f['accuracy']:4.0%} [{alo:.0%}-{ahi:.0%}]  tp {f['tp']} fn {f['fn']} / fp {f['fp']} "
            f"tn {f['tn']}{unsure}")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description="Held-out figures of the craft judge.")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--draw-split", action="store_true",
                    help="draw the split (once, when split.json does not exist yet)")
    ap.add_argument("--external", nargs="*", action="extend", default=[], metavar="NAME=DIR",
                    help="checkouts holding the texts of sets kept as labels only")
    ap.add_argument("--unseen-root", type=Path, action="append", default=[],
                    help="a folder of unseen labelled sets kept outside the repository (each "
                         "a folder with labels.json); scored with the unseen sets")
    ap.add_argument("--dev", action="store_true",
                    help="cross-validate on the development part only (for tuning)")
    args = ap.parse_args(argv)
    if args.dev:
        rep = dev_cv()
        for src, r in rep.items():
            print(f"dev (5-fold CV): {src}, {r['n']} scripts")
            for key in ("hook", "cliffhanger"):
                for arm in ("default", "learned"):
                    print(f"  {key:11s} " + _line(arm, r[key][arm]))
        return rep
    if args.draw_split:
        if SPLIT.exists():
            raise SystemExit(f"{SPLIT} exists: the split is fixed")
        tagged = [(n, it) for n, p in default_corpora().items() for it in load_labels(p)]
        SPLIT.write_text(json.dumps({"share": TEST_SHARE, "seed": SEED,
                                     "test": draw_split(tagged), "unseen": []}, indent=1)
                         + "\n", encoding="utf-8")
        print(f"wrote {SPLIT}")
        return {}
    external = dict(x.split("=", 1) for x in args.external)
    sets, split = all_sets(), load_split()
    for root in args.unseen_root:
        for folder in sorted(p for p in root.iterdir() if (p / "labels.json").is_file()):
            sets[f"unseen-{folder.name}"] = folder
            split["unseen"] = [*split.get("unseen", []), f"unseen-{folder.name}"]
    rep = report(sets, split, external={k if k.startswith("unseen-") else f"unseen-{k}": Path(v)
                                        for k, v in external.items()})
    print(f"the shipped weights (fitted on {sum(rep['shipped_on'].values())} scripts of "
          f"{len(rep['shipped_on'])} sets, none of them unseen); the learned arm on "
          f"{rep['dev_scripts']} development scripts")
    leak = set(rep["shipped_on"]) & set(split.get("unseen", [])) - set(split.get("retired", {}))
    if leak:
        raise SystemExit(f"the shipped weights were fitted on unseen sets: {sorted(leak)}")
    for line in rep["unreadable"]:
        print(f"unreadable (left out of the figures): {line}")
    for name in rep["skipped"]:
        print(f"skipped {name}: its texts are not in the repository (see its MANIFEST.md; "
              f"--external {name.removeprefix('unseen-')}=DIR)")
    for which in ("unseen",):
        for src, r in rep.get(which, {}).items():
            note = ""
            print(f"{which}: {src}, {r['n']} scripts{note}")
            for key in ("hook", "cliffhanger"):
                for arm in ("default", "learned"):
                    if arm in r[key]:
                        print(f"  {key:11s} " + _line(arm, r[key][arm]))
    if args.json:
        args.json.write_text(json.dumps(rep, indent=1) + "\n", encoding="utf-8")
    return rep


if __name__ == "__main__":
    main()
