"""How well the analyser agrees with labelled scripts: accuracy, balanced accuracy and the
confusion for hook and cliffhanger, and pivot precision and recall within a tolerance.

>>> agreement([True, True, False, False], [True, False, False, True])["balanced"]
0.5
>>> pivot_match([10.0, 40.0], [11.5, 25.0, 90.0], 3.0)
{'labelled': 2, 'predicted': 3, 'hits': 1, 'found': 1}
"""

from __future__ import annotations

from collections.abc import Sequence

from aiscript.analysis.corpus import Labelled


def agreement(truth: Sequence[bool], pred: Sequence[bool]) -> dict:
    """Accuracy, balanced accuracy (mean of the two recalls) and the confusion counts."""
    pairs = list(zip(truth, pred, strict=True))
    tp = sum(t and p for t, p in pairs)
    tn = sum(not t and not p for t, p in pairs)
    fp = sum(not t and p for t, p in pairs)
    fn = sum(t and not p for t, p in pairs)
    n = len(pairs)
    rates = [r for r in (tp / (tp + fn) if tp + fn else None, tn / (tn + fp) if tn + fp else None)
             if r is not None]
    return {"n": n, "accuracy": round((tp + tn) / n, 3) if n else 0.0,
            "balanced": round(sum(rates) / len(rates), 3) if rates else 0.0,
            "tp": tp, "fn": fn, "fp": fp, "tn": tn}


def pivot_match(labelled: Sequence[float], predicted: Sequence[float], tol: float = 3.0) -> dict:
    """Counts for precision (predicted pivots near a labelled one) and recall (labelled pivots
    with a prediction near them)."""
    hits = sum(any(abs(p - t) <= tol for t in labelled) for p in predicted)
    found = sum(any(abs(p - t) <= tol for p in predicted) for t in labelled)
    return {"labelled": len(labelled), "predicted": len(predicted), "hits": hits, "found": found}


def labelled_pivot_times(item: Labelled, beats) -> list[float]:
    """Times of an item's labelled pivots: the start of the element each label quotes."""
    out = []
    for pv in item.pivots or []:
        beat = next((b for b in beats if b.el.text.startswith(pv["quote"])), None)
        if beat is None:
            raise ValueError(f"{item.name}: no element starts with {pv['quote']!r}")
        out.append(beat.start)
    return out


def pivot_agreement(items: Sequence[Labelled], tol: float = 3.0, settings=None) -> dict:
    """Precision and recall of the analyser's pivots against the labelled ones (±``tol`` s),
    summed over the items that have pivot labels."""
    from aiscript.analysis import analyze
    from aiscript.analysis.story import beats_of

    total = {"scripts": 0, "labelled": 0, "predicted": 0, "hits": 0, "found": 0}
    for it in items:
        if not it.pivots:
            continue
        truth = labelled_pivot_times(it, beats_of(it.script))
        pred = [p.t for p in analyze(it.script, settings).pivots]
        m = pivot_match(truth, pred, tol)
        total["scripts"] += 1
        for k in ("labelled", "predicted", "hits", "found"):
            total[k] += m[k]
    total["precision"] = round(total["hits"] / total["predicted"], 3) if total["predicted"] else 0.0
    total["recall"] = round(total["found"] / total["labelled"], 3) if total["labelled"] else 0.0
    return total
