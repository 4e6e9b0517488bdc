"""Premise fidelity of the template writer over a premise set (tests/data/premises/*.json):
per premise, the lead's gender, job and device as read, whether episode 1 shows the job and the
device, the device's share of episodes, bad places, echoed lines and endings, English pronoun
disagreements, and the CPU time of writing the season.

    python benchmarks/premise_fidelity.py tests/data/premises/tuning.json -n 12

``--read`` only reads each premise into its brief and checks the lead's gender, the job and the
device against the set's expectations (milliseconds a premise), printing the brief's summary.
A premise expected with no device ("device": null) is not held to the device measures.
"""

from __future__ import annotations

import argparse
import json
import time

from aiscript.drafting.fidelity import season_report
from aiscript.drafting.template import TemplateWriter
from aiscript.schema import Premise


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("-n", "--episodes", type=int, default=12)
    ap.add_argument("--read", action="store_true", help="read the briefs only")
    args = ap.parse_args()
    items = json.load(open(args.file, encoding="utf-8"))["premises"]
    if args.read:
        read_only(items)
        return
    fails = 0
    for it in items:
        t = time.process_time()
        series, eps = TemplateWriter().write(Premise(text=it["text"], language=it["lang"],
                                                     episodes=args.episodes))
        cpu = time.process_time() - t
        r = season_report(series, eps, it)
        no_device = it["device"] is None
        ok = (r["ok_gender"] and r["ok_job"] and r["ok_device"]
              and (it["job"] is None or r["ep1_job"])
              and (no_device or r["ep1_device"] and r["device_share"] >= 1 / 3)
              and not r["bad_places"]
              and r["line_echo"] <= 0.05 and r["ending_alike"] <= 0.25
              and not r["pronoun_problems"])
        fails += not ok
        print(f"{'ok ' if ok else 'BAD'} {it['lang']} g={r['lead_gender'][0]}{'' if r['ok_gender'] else '!'} "
              f"job={r['job']}{'' if r['ok_job'] else '!'} dev={r['device']}{'' if r['ok_device'] else '!'} "
              f"ep1(job={int(r['ep1_job'])},dev={int(r['ep1_device'])}) share={r['device_share']:.2f} "
              f"places={r['bad_places'] or '-'} echo={r['line_echo']:.3f} endings={r['ending_alike']:.2f} "
              f"pron={len(r['pronoun_problems'])} lines={r['lines']} cpu={cpu:.2f}s | {it['text'][:40]}")
        for p in r["pronoun_problems"][:3]:
            print("     pronoun:", p)
    print(f"{len(items) - fails}/{len(items)} seasons meet every measure")


def read_only(items: list[dict]) -> None:
    from aiscript.story.brief import read_premise, summary

    right = 0
    t = time.process_time()
    for it in items:
        b = read_premise(it["text"], it["lang"])
        got = {"gender": b.lead.gender, "job": b.job_id, "device": b.device}
        bad = [k for k in got if got[k] != it[k] and not (
            k == "job" and b.job_id is None and it["job"] and any(
                w.lower() in b.job.lower() for w in [it["job"], *it.get("job_words", [])]))]
        right += not bad
        print(f"{'ok ' if not bad else 'BAD'} {it['lang']} {' '.join(f'{k}={got[k]}!' for k in bad)}"
              f" | {it['text'][:50]}\n     {summary(b, it['lang'])}")
    print(f"{right}/{len(items)} premises read right (gender, job, device); "
          f"{time.process_time() - t:.2f} s CPU")


if __name__ == "__main__":
    main()
