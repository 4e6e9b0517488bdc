"""Accepted episodes per minute with a real model in llama.cpp: aiscript's writer against the
plain recipe a user would write, on one in-process server (xllamacpp), arms interleaved.

    python benchmarks/llamacpp_writer.py --model q.gguf --threads 1 --rounds 2
    python benchmarks/llamacpp_writer.py --model q.gguf --threads 1 2 --out results/llamacpp.json
    python benchmarks/llamacpp_writer.py --model q.gguf --plain-tries 1   # one answer each

Arms (every one on the same server, the same season plan, the same acceptance bar):
- ``plain loop``: one ``handle_chat_completions`` per episode, ``response_format`` json_schema
  (the episode schema), a plain prompt (the series, the episode's event, its beat plan), one
  after another;
- ``plain parallel``: the same requests issued at once (the server's slots decode together);
- ``aiscript``: ``LlamaCppWriter.write_episodes``: the shared bible prefix (prompt cache),
  slots, beat-level repair of refused beats, retries, rewrites of weak openings and endings.

An episode counts as accepted when it passes aiscript's checks (schema, degenerate text,
repetition); for aiscript, when its record's source is ``model`` or ``rewrite`` (not the
planner's fallback nor a grafted beat). Reported per arm: accepted episodes per minute of wall
time, seconds per accepted episode, tokens per second, seconds per round; the ratio aiscript /
plain arm. The plain arms re-ask a refused episode (sampled) until it passes or the arm has run
``--cap-s`` seconds, so both sides are measured to accepted episodes under one bar; a plain arm
that accepts nothing before its cap gives a lower bound on the ratio (its rate is below one
episode in the time it ran). Every answer is kept in the JSON with its verdict, to be read.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LOCAL = Path(__file__).parent / "results" / "local"
ZH = "林晚在民政局门口被未婚夫放鸽子，一气之下拉了个陌生男人顾言领证，却不知他是千亿总裁。"
EN = ("Stood up at the courthouse, Ava Lin marries the first stranger she sees, Ethan Gu, "
      "never guessing he owns the city.")


def plain_prompt(series, n: int) -> tuple[str, str]:
    """What a user would write: the series and cast, then the episode and its beats."""
    b = series.bible
    o = series.plan.episodes[n - 1]
    cast = ", ".join(c.name for c in b.characters)
    if b.language == "zh":
        system = (f"你是竖屏短剧编剧。剧名：{b.title}。梗概：{b.logline}。人物：{cast}。"
                  "只用 JSON 回答。")
        user = (f"写第 {n} 集：{o.summary}\n节拍：\n" + "\n".join(
            f"{i}. {x.kind}：{x.note}" for i, x in enumerate(o.beats, 1))
                + "\n每个节拍写 action（画面）和 lines（台词，speaker 为人物名）。")
    else:
        system = (f"You write vertical micro-dramas. Series: {b.title}. Logline: {b.logline}. "
                  f"Cast: {cast}. Answer in JSON only.")
        user = (f"Write episode {n}: {o.summary}\nBeats:\n" + "\n".join(
            f"{i}. {x.kind}: {x.note}" for i, x in enumerate(o.beats, 1))
                + "\nFor each beat write the action (what we see) and lines (speaker from the "
                  "cast).")
    return system, user


def plain_accepted(series, n: int, text: str, finished: bool) -> tuple[bool, list[str]]:
    """The same bar as aiscript's own drafts (``LLMWriter.draft_problems``): parses, ends
    within its budget, no degenerate text, no beat repeating another."""
    from aiscript.drafting.llm import LLMWriter
    from aiscript.drafting.shapes import parse_episode

    cast = [c.name for c in series.bible.characters]
    beats = len(series.plan.episodes[n - 1].beats)
    if not finished:
        return False, ["cut at the token budget"]
    try:
        draft = parse_episode(text, beats, cast)
    except ValueError as exc:
        return False, [f"invalid: {str(exc).splitlines()[0][:80]}"]
    problems = LLMWriter(_NoChat(), draft_plan=False).draft_problems(series, n, draft)
    return not problems, problems


class _NoChat:
    """A writer that only checks: it never generates."""

    name, stats, static_cache, constrained, judge_model = "none", None, False, True, None

    def chat(self, *args, **kwargs):
        raise RuntimeError("the checking writer does not generate")


def run_plain(chat, series, parallel: bool, tries: int, texts: list,
              cap_s: float | None = None) -> tuple[int, int, bool]:
    """One request per episode (greedy); with ``tries`` > 1 (0: no limit) an episode refused
    is asked again, sampled, until it passes, its tries are spent or the arm has run
    ``cap_s`` seconds (the plain recipe held to the same bar, measured to N accepted).
    Returns (accepted, completion tokens, whether the cap stopped it)."""
    from aiscript.drafting.shapes import episode_schema

    lang = series.bible.language
    cast = [c.name for c in series.bible.characters]
    numbers = list(range(1, len(series.plan.episodes) + 1))
    deadline = time.perf_counter() + cap_s if cap_s else None
    capped = []

    def one(n: int):
        system, user = plain_prompt(series, n)
        schema = json.loads(episode_schema(len(series.plan.episodes[n - 1].beats), cast, lang))
        spent = 0
        attempt = 0
        while tries <= 0 or attempt < tries:
            if deadline and time.perf_counter() >= deadline:
                capped.append(n)
                break
            answer = chat.request({"messages": [{"role": "system", "content": system},
                                                {"role": "user", "content": user}],
                                   "max_tokens": 1200, "seed": n * 100 + attempt,
                                   "temperature": 0.0 if attempt == 0 else 0.8,
                                   "response_format": {"type": "json_schema",
                                                       "json_schema": {"schema": schema}}})
            choice = answer["choices"][0]
            spent += answer.get("usage", {}).get("completion_tokens", 0)
            text = choice["message"]["content"] or ""
            ok, problems = plain_accepted(series, n, text, choice.get("finish_reason") != "length")
            attempt += 1
            texts.append({"episode": n, "try": attempt, "accepted": ok,
                          "problems": problems[:6], "text": text})
            if ok:
                return True, spent
        return False, spent

    if parallel:
        with ThreadPoolExecutor(max_workers=len(numbers)) as pool:
            results = list(pool.map(one, numbers))
    else:
        results = [one(n) for n in numbers]
    return sum(a for a, _ in results), sum(t for _, t in results), bool(capped)


def run_aiscript(chat, series, texts: list) -> tuple[int, int]:
    from aiscript.drafting.engines import LlamaCppWriter

    before = chat.stats.new_tokens
    writer = LlamaCppWriter(chat, batch_size=max(2, chat.parallel), draft_plan=False)
    episodes = writer.write_episodes(series)
    for ep, rec in zip(episodes, writer.records, strict=True):
        texts.append({"episode": ep.number, "source": rec.source, "refusals": rec.refusals,
                      "lines": [f"{sh.action} | " + " / ".join(
                          f"{ln.speaker}: {ln.text}" for ln in sh.lines)
                          for _, sh in ep.shots()]})
    accepted = sum(r.source in ("model", "rewrite") for r in writer.records)
    return accepted, chat.stats.new_tokens - before, False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="a .gguf chat model")
    ap.add_argument("--threads", type=int, nargs="+", default=[1])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--episodes", type=int, default=2)
    ap.add_argument("--lang", choices=["zh", "en"], default="zh")
    ap.add_argument("--parallel", type=int, default=2)
    ap.add_argument("--plain-tries", type=int, default=0,
                    help="tries per episode for the plain arms (1: one answer each; 0, the "
                         "default: re-ask a refused episode until it passes or --cap-s)")
    ap.add_argument("--cap-s", type=float, default=600,
                    help="wall seconds a plain arm may run in one round (0: no cap)")
    ap.add_argument("--out", type=Path, default=LOCAL / "llamacpp_writer.json")
    ap.add_argument("--arms", nargs="+", default=["plain loop", "plain parallel", "aiscript"],
                    choices=["plain loop", "plain parallel", "aiscript"],
                    help="the arms to run (aiscript and one plain arm fit a longer cap)")
    args = ap.parse_args()

    from aiscript.backends.llamacpp import LlamaCppChat
    from aiscript.drafting.template import TemplateWriter
    from aiscript.schema import Premise

    premise = Premise(text=ZH if args.lang == "zh" else EN, language=args.lang,
                      episodes=args.episodes)
    series = TemplateWriter().plan(premise)
    report = {"model": Path(args.model).name, "episodes": args.episodes, "lang": args.lang,
              "parallel": args.parallel, "machine": platform.platform(), "threads": {}}
    cap = args.cap_s or None  # seconds a plain arm may run in one round
    for threads in args.threads:
        chat = LlamaCppChat.open(args.model, threads=threads, n_ctx=4096,
                                 parallel=args.parallel)
        tries = args.plain_tries
        arms = {"plain loop": lambda texts, c=chat, k=tries: run_plain(c, series, False, k,
                                                                        texts, cap),
                "plain parallel": lambda texts, c=chat, k=tries: run_plain(c, series, True, k,
                                                                            texts, cap),
                "aiscript": lambda texts, c=chat: run_aiscript(c, series, texts)}
        names = [n for n in arms if n in args.arms]
        rows: dict[str, list[dict]] = {n: [] for n in names}
        for r in range(args.rounds):
            order = names[r % len(names):] + names[: r % len(names)]
            for name in order:
                t = time.perf_counter()
                texts: list = []
                accepted, tokens, capped = arms[name](texts)
                s = time.perf_counter() - t
                rows[name].append({"seconds": round(s, 1), "accepted": accepted,
                                   "tokens": tokens, "capped": capped, "texts": texts})
                print(f"threads {threads} round {r + 1} {name}: {accepted}/{args.episodes} "
                      f"accepted, {tokens} tokens, {s:.0f} s{' (cap)' if capped else ''}",
                      file=sys.stderr, flush=True)
                # every arm's answers kept as they come, so a stopped run still has them
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.with_suffix(".partial.json").write_text(json.dumps(
                    {**report, "rows": {str(threads): rows}}, ensure_ascii=False, indent=1))
        summary = {}
        for name, rs in rows.items():
            secs = sum(x["seconds"] for x in rs)
            got = sum(x["accepted"] for x in rs)
            summary[name] = {
                "accepted_per_min": round(60 * got / secs, 3),
                "seconds_per_accepted": round(secs / got, 1) if got else None,
                "tok_per_s": round(sum(x["tokens"] for x in rs) / secs, 2),
                "median_s": statistics.median(x["seconds"] for x in rs),
                "accepted": got, "asked": args.episodes * len(rs), "seconds": round(secs, 1),
                "tries": sum(len(x["texts"]) for x in rs) if name != "aiscript" else None,
                "rounds": rs}
        for base in ("plain loop", "plain parallel"):
            if base in summary and "aiscript" in summary:
                summary[f"ratio_aiscript_vs_{base.replace(' ', '_')}"] = ratio(summary, base)
        report["threads"][str(threads)] = summary
        chat.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print("| threads | arm | accepted | tries | seconds | accepted/min | s per accepted | tok/s |"
          "\n|---|---|---|---|---|---|---|---|")
    for t, summary in report["threads"].items():
        for name in [n for n in ("plain loop", "plain parallel", "aiscript") if n in summary]:
            a = summary[name]
            print(f"| {t} | {name} | {a['accepted']}/{a['asked']} | {a['tries'] or ''} | "
                  f"{a['seconds']} | {a['accepted_per_min']} | {a['seconds_per_accepted']} | "
                  f"{a['tok_per_s']} |")
        for base in ("plain loop", "plain parallel"):
            r = summary.get(f"ratio_aiscript_vs_{base.replace(' ', '_')}")
            if r is None:
                continue
            print(f"| {t} | aiscript / {base} | {r['text']} | | | | | |")


def ratio(summary: dict, base: str) -> dict:
    """aiscript's accepted episodes per minute over ``base``'s. Where the plain arm accepted
    nothing before its cap, its rate is below one episode in the time it ran, so the ratio is
    reported as a lower bound (aiscript's rate x the plain arm's minutes); where aiscript
    accepted nothing it is 0."""
    mine, theirs = summary["aiscript"], summary[base]
    if theirs["accepted"]:
        value = round(mine["accepted_per_min"] / theirs["accepted_per_min"], 2)
        return {"value": value, "bound": None, "text": f"{value}x"}
    bound = round(mine["accepted_per_min"] * theirs["seconds"] / 60, 2)
    return {"value": None, "bound": bound,
            "text": f"> {bound}x ({base} accepted 0 in {theirs['seconds']:.0f} s)"}


if __name__ == "__main__":
    main()
