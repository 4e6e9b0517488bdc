"""The LLM judge against the labels: its own figures, a calibrated yes-rate, and the
combination with the default judge, chosen on the development part and reported on the test
part (``tests/data/split.json``).

    python -m aiscript.analysis.judge_eval --model q.gguf --cache verdicts.json [--threads 1]

Verdicts are cached per script and question (the model is slow on a CPU): a rerun asks only
what the cache lacks. The LLM's score is ``confidence`` when it says present and
``1 - confidence`` when not. Calibration and the combination are fitted on the development
part only: a threshold on that score (the yes-rate that gives the best balanced accuracy on
the development scripts), and a logistic regression over the default judge's out-of-fold
log-odds and the LLM's score. The combination is used only where its development figure beats
the default's; the test part is scored once, with everything frozen.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path

from aiscript.analysis.validation import _line, figures, load_split, part

QUESTIONS = ("hook", "cliffhanger")


def _key(name: str, item, question: str) -> str:
    from aiscript.analysis.judge import prompt

    system, user = prompt(item.script, question)
    digest = hashlib.sha1((system + user).encode("utf-8")).hexdigest()[:12]
    return f"{name}/{item.name}/{question}/{digest}"


def ask(judge, tagged, cache_path: Path, log=print) -> dict[str, dict]:
    """Verdicts for every (set, script, question), read from the cache or asked now (the cache
    is rewritten after every script)."""
    from aiscript.files import write_atomic

    cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.is_file() else {}
    for n, (name, it) in enumerate(tagged):
        keys = {q: _key(name, it, q) for q in QUESTIONS}
        if all(k in cache for k in keys.values()):
            continue
        got = judge.verdicts([it.script])[0]
        for q, k in keys.items():
            v = got.get(q)
            cache[k] = v.model_dump() if v is not None else None
        write_atomic(cache_path, json.dumps(cache, indent=1, ensure_ascii=False) + "\n")
        log(f"{n + 1}/{len(tagged)} {name}/{it.name}: "
            + ", ".join(f"{q} {'yes' if (cache[k] or {}).get('present') else 'no'}"
                        for q, k in keys.items()))
    return cache


def llm_score(verdict: dict | None) -> float:
    """P(present) as the model states it: its confidence, or one minus it; 0.5 without one."""
    if not verdict:
        return 0.5
    c = float(verdict.get("confidence", 0.5))
    return c if verdict.get("present") else 1.0 - c


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def best_threshold(scores, truth) -> float:
    """The cut on the score that gives the best balanced accuracy (ties: nearest 0.5)."""
    from aiscript.analysis.validation import balanced

    cuts = sorted(set(scores)) + [1.01]
    return max(cuts, key=lambda c: (balanced(truth, [s >= c for s in scores]), -abs(c - 0.5)))


def evaluate(tagged, cache: dict) -> dict:
    """Default, LLM (raw, calibrated) and combined figures on the asked development scripts
    (the default out of fold over the whole development part, the combination leave-one-out)
    and on the test part. The default's weights are fitted on the whole development part."""
    from aiscript.analysis.train import cross_validate, features, fit

    split = load_split()
    dev_all, test = part(tagged, split, "dev"), part(tagged, split, "test")
    asked = {(n, it.name) for n, it in tagged if all(_key(n, it, q) in cache for q in QUESTIONS)}
    test = [x for x in test if (x[0], x[1].name) in asked]
    pick = [i for i, (n, it) in enumerate(dev_all) if (n, it.name) in asked]
    dev = [dev_all[i] for i in pick]
    out: dict = {"dev_scripts": len(dev), "test_scripts": len(test)}
    all_items, test_items = [it for _, it in dev_all], [it for _, it in test]
    dev_items = [it for _, it in dev]
    all_rows = dict(zip(QUESTIONS, features(all_items), strict=True))
    test_rows = dict(zip(QUESTIONS, features(test_items), strict=True))
    for q in QUESTIONS:
        y_all = [getattr(it, q) for it in all_items]
        y_dev = [getattr(it, q) for it in dev_items]
        y_test = [getattr(it, q) for it in test_items]
        oof = cross_validate(all_items, all_rows[q], q)  # the default, out of fold
        d_dev = [oof[i] for i in pick]
        model = fit(all_rows[q], y_all)
        d_test = [model.probability(r) for r in test_rows[q]]
        l_dev = [llm_score(cache.get(_key(n, it, q))) for n, it in dev]
        l_test = [llm_score(cache.get(_key(n, it, q))) for n, it in test]
        cut = best_threshold(l_dev, y_dev)
        row = lambda p, s_: {"default": _logit(p), "llm": s_}  # noqa: E731
        combo = fit([row(p, s_) for p, s_ in zip(d_dev, l_dev, strict=True)], y_dev)
        c_dev = []  # leave one out: the combination's own development figure
        for i in range(len(dev)):
            rest = [j for j in range(len(dev)) if j != i]
            m = fit([row(d_dev[j], l_dev[j]) for j in rest], [y_dev[j] for j in rest])
            c_dev.append(m.probability(row(d_dev[i], l_dev[i])))
        c_test = [combo.probability(row(p, s_)) for p, s_ in zip(d_test, l_test, strict=True)]
        arms = {
            "default": (d_dev, d_test, 0.5),
            "llm": (l_dev, l_test, 0.5),
            "llm_calibrated": (l_dev, l_test, cut),
            "combined": (c_dev, c_test, 0.5),
        }
        res: dict = {"llm_threshold": cut, "combination": combo.__dict__}
        for arm, (pd, pt, c) in arms.items():
            res[arm] = {"dev": figures(y_dev, [p >= c for p in pd]),
                        "test": figures(y_test, [p >= c for p in pt]),
                        "test_by_lang": {lang: figures([y_test[i] for i in idx],
                                                       [pt[i] >= c for i in idx])
                                         for lang in ("en", "zh")
                                         if (idx := [i for i, it in enumerate(test_items)
                                                     if it.lang == lang])}}
        res["use_combined"] = res["combined"]["dev"]["balanced"] > res["default"]["dev"]["balanced"]
        out[q] = res
    return out


def sample_sets(names: Sequence[str], external: dict[str, Path], k: int = 0, seed: int = 25,
                ) -> list:
    """(set, script) pairs of the named sets in a seeded random order, the first ``k`` of them
    (all with ``k`` 0): the model is slow, so a run that stops early has still asked a random
    sample."""
    import random

    from aiscript.analysis.validation import all_sets, load_set

    sets = all_sets()
    tagged = [(n, it) for n in names for it in (load_set(n, sets[n], external) or [])]
    order = random.Random(seed).sample(range(len(tagged)), len(tagged))
    return [tagged[i] for i in order][: k or None]


BANDS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


def combined(default_p: float, llm_p: float | None, band: float) -> bool:
    """The combined verdict: the default judge's, except inside its uncertain band (within
    ``band`` of 0.5), where the model's answer breaks the tie. With band 0 it is the default.

    >>> combined(0.9, 0.1, 0.1), combined(0.55, 0.1, 0.1), combined(0.55, None, 0.1)
    (True, False, True)
    """
    if llm_p is None or abs(default_p - 0.5) >= band:
        return default_p >= 0.5
    return llm_p >= 0.5


def choose_band(default_p, llm_p, truth) -> float:
    """The band where the model's tie-break gives the best balanced accuracy on development
    scripts; the narrowest on a tie, so band 0 (the default alone) unless the model helps."""
    from aiscript.analysis.validation import balanced

    return max(BANDS, key=lambda b: (balanced(truth, [combined(d, m, b) for d, m in
                                                       zip(default_p, llm_p, strict=True)]), -b))


def cached(cache: dict, name: str, item, question: str) -> tuple[dict | None, bool]:
    """The model's verdict for a script and question (the cache key without its prompt digest,
    so an answer asked before a reader change still counts) and whether the prompt it was asked
    with is still the one asked now."""
    exact = _key(name, item, question)
    if exact in cache:
        return cache[exact], True
    prefix = exact.rsplit("/", 1)[0] + "/"
    hit = next((k for k in cache if k.startswith(prefix)), None)
    return (cache[hit], False) if hit else (None, False)


def evaluate_sets(caches: Sequence[dict], external: dict[str, Path], targets: Sequence[str]) -> dict:
    """Default (out of source: weights fitted without the script's source), model and combined
    figures on the asked scripts of the ``targets`` sets, with the band chosen on the asked
    development scripts of the other sets."""
    from aiscript.analysis.crossval import readable_sets, report

    tagged, skipped = readable_sets(external)
    if skipped:
        raise SystemExit(f"needs every set's texts: {', '.join(skipped)} missing")
    cache = {k: v for c in caches for k, v in c.items()}
    rep = report(tagged)
    out: dict = {"stale_prompts": 0}
    for q in QUESTIONS:
        probs = rep["_probs"][q]
        rows = []
        for i, (name, it) in enumerate(tagged):
            v, fresh = cached(cache, name, it, q)
            if v is None:
                continue
            out["stale_prompts"] += int(not fresh)
            rows.append((name, it, probs[i], llm_score(v) if v else None))
        dev = [r for r in rows if r[0] not in targets]
        test = [r for r in rows if r[0] in targets]
        band = choose_band([r[2] for r in dev], [r[3] for r in dev], [getattr(r[1], q) for r in dev])
        res: dict = {"band": band, "dev_scripts": len(dev), "test_scripts": len(test)}
        for where, part_rows in (("dev", dev), ("test", test)):
            for lang in ("all", "en", "zh"):
                sub = [r for r in part_rows if lang == "all" or r[1].lang == lang]
                if not sub:
                    continue
                y = [getattr(r[1], q) for r in sub]
                res.setdefault(where, {})[lang] = {
                    "n": len(sub),
                    "default": figures(y, [r[2] >= 0.5 for r in sub]),
                    "model": figures(y, [r[3] is not None and r[3] >= 0.5 for r in sub]),
                    "combined": figures(y, [combined(r[2], r[3], band) for r in sub])}
        out[q] = res
    return out


def main(argv: list[str] | None = None) -> dict:
    from aiscript.analysis.corpus import default_corpora
    from aiscript.analysis.train import load_all

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, help="the judge's model (GGUF or folder)")
    ap.add_argument("--cache", type=Path, required=True, help="verdicts cache (JSON)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--parts", default="dev,test", help="which parts to ask about")
    ap.add_argument("--limit", type=int, default=0, help="ask about at most this many scripts")
    ap.add_argument("--dev-every", type=int, default=1,
                    help="ask about every k-th development script only (the model is slow)")
    ap.add_argument("--sets", default="",
                    help="ask about these labelled sets instead (comma-separated names), in a "
                         "seeded random order; --limit keeps the first N")
    ap.add_argument("--seed", type=int, default=25)
    ap.add_argument("--dev-cache", type=Path, nargs="*", default=[],
                    help="caches of the model's answers on development scripts (the band is "
                         "chosen there)")
    ap.add_argument("--external", nargs="*", action="extend", default=[], metavar="NAME=DIR",
                    help="checkouts holding the texts of sets kept as labels only")
    args = ap.parse_args(argv)
    if args.sets:
        external = {k if k.startswith("unseen-") else f"unseen-{k}": Path(v)
                    for k, v in (x.split("=", 1) for x in args.external)}
        names = [n if n.startswith("unseen-") else f"unseen-{n}" for n in args.sets.split(",")]
        asked = sample_sets(names, external, args.limit, args.seed)
        if args.model:
            from aiscript.analysis.judge import LLMJudge

            judge = LLMJudge.from_pretrained(args.model, threads=args.threads, batch_size=2,
                                             max_new_tokens=120)
            ask(judge, asked, args.cache)
        caches = [json.loads(args.cache.read_text(encoding="utf-8"))]
        caches += [json.loads(p.read_text(encoding="utf-8")) for p in args.dev_cache]
        rep = evaluate_sets(caches, external, names)
        print(f"answers asked with an older prompt (a reader changed since): {rep['stale_prompts']}")
        for q in QUESTIONS:
            res = rep[q]
            print(f"{q}: band {res['band']:.2f} (chosen on {res['dev_scripts']} development "
                  f"scripts), {res['test_scripts']} scripts of the named sets")
            for where in ("dev", "test"):
                for lang, arms in res.get(where, {}).items():
                    for arm in ("default", "model", "combined"):
                        print(f"  {where:4s} {lang:3s} {arm:9s} " + _line("", arms[arm]))
        if args.json:
            args.json.write_text(json.dumps(rep, indent=1) + "\n", encoding="utf-8")
        return rep
    tagged = load_all(default_corpora())
    split = load_split()
    asked = [x for p in args.parts.split(",")
             for x in part(tagged, split, p)[:: args.dev_every if p == "dev" else 1]]
    if args.limit:
        asked = asked[: args.limit]
    if args.model:
        from aiscript.analysis.judge import LLMJudge

        judge = LLMJudge.from_pretrained(args.model, threads=args.threads, batch_size=2,
                                         max_new_tokens=120)
        ask(judge, asked, args.cache)
    cache = json.loads(args.cache.read_text(encoding="utf-8"))
    rep = evaluate(tagged, cache)
    print(f"asked: {rep['dev_scripts']} development scripts, {rep['test_scripts']} test scripts")
    for q in QUESTIONS:
        res = rep[q]
        print(f"{q}: LLM threshold {res['llm_threshold']:.2f}; combined used: {res['use_combined']}")
        for arm in ("default", "llm", "llm_calibrated", "combined"):
            for where in ("dev", "test"):
                print(f"  {arm:15s} {where:4s} " + _line("", res[arm][where]))
            for lang, f in res[arm]["test_by_lang"].items():
                print(f"  {arm:15s} test {lang} " + _line("", f))
    if args.json:
        args.json.write_text(json.dumps(rep, indent=1) + "\n", encoding="utf-8")
    return rep


if __name__ == "__main__":
    main()
