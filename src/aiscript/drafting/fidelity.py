"""Does a season follow its premise? The measures a script editor's first read makes, as
numbers: the lead's gender, job and device in episode 1, the device's share of episodes, place
names made of premise fragments, echoed lines and endings (a long shared stretch once names are
masked), and English pronoun disagreements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aiscript.drafting.echo import echo_share
from aiscript.schema import Episode, Series
from aiscript.story import brief as briefs
from aiscript.story.brief import _EN_PLACE_WORDS, _ZH_PLACE_SUFFIX
from aiscript.story.gender import pronoun_problems


def episode_text(ep: Episode) -> str:
    return " ".join(sh.action + " " + " ".join(ln.text for ln in sh.lines)
                    for _, sh in ep.shots())


def has_any(text: str, words: Sequence[str], lang: str) -> bool:
    low = text if lang == "zh" else text.lower()
    return any((w if lang == "zh" else w.lower()) in low for w in words)


def ending(ep: Episode) -> str:
    last = ep.scenes[-1].shots[-1]
    return (last.action + " " + " ".join(ln.text for ln in last.lines)).strip()


def bad_places(series: Series) -> list[str]:
    """Places that hold a device's word, or a premise fragment that is no place (下失忆的集团)."""
    lang = series.bible.language
    text = series.bible.premise.text
    dev_words = {w for d in briefs.devices().values()
                 for w in d["keywords"][lang] + d["terms"][lang] if len(w) >= 2}
    # the catalogue's own places (a job's workplaces) are places wherever the premise names them
    known = {q for j in briefs.lexicon()["jobs"] for q in j["places"][lang]}
    out = []
    for p in series.bible.places:
        if p in known:
            continue
        low = p if lang == "zh" else p.lower()
        # whole words in English: "child" is no fragment of "the children's hospital"
        if any(w in low if lang == "zh" else
               re.search(r"(?<![a-z])" + re.escape(w.lower()) + r"(?![a-z])", low)
               for w in dev_words):
            out.append(p)
            continue
        if lang == "zh" and p in text:
            if not p.endswith(_ZH_PLACE_SUFFIX) or any(ch in p for ch in "的了下着把被"):
                out.append(p)
        elif lang == "en" and p.lower().removeprefix("the ") in text.lower():
            if not p.lower().endswith(_EN_PLACE_WORDS):
                out.append(p)
    return out


def season_report(series: Series, eps: list[Episode], expect: dict | None = None) -> dict:
    """The measures of one season; ``expect`` (gender, job, device) when the premise's reading
    is known."""
    lang = series.bible.language
    b = series.brief
    names = [c.name for c in series.bible.characters]
    genders = {c.name: c.gender for c in series.bible.characters}
    dev = briefs.devices().get(series.plan.device) if series.plan.device else None
    job = briefs.job(b.job_id) if b else None
    first = episode_text(eps[0])
    # a job outside the catalogue is shown by the brief's own phrase for it (a florist)
    job_words = ([job["name"][lang], *job["keywords"][lang]] if job else
                 [b.job] if b and b.job else [])
    dev_terms = dev["terms"][lang] if dev else []
    with_dev = sum(has_any(episode_text(ep), dev_terms, lang) for ep in eps) if dev else 0
    lines = [ln.text for ep in eps for ln in ep.lines()]
    endings = [ending(ep) for ep in eps]
    report = {
        "lead_gender": series.bible.characters[0].gender,
        "job": b.job_id if b else None,
        "device": series.plan.device,
        "ep1_job": bool(job_words) and has_any(first, job_words, lang),
        "ep1_device": bool(dev) and has_any(first, dev_terms, lang),
        "device_share": with_dev / len(eps),
        "bad_places": bad_places(series),
        "line_echo": echo_share(lines, lang, names),
        "ending_alike": echo_share(endings, lang, names),
        "pronoun_problems": [p for ep in eps for p in pronoun_problems(ep, genders)]
        if lang == "en" else [],
        "lines": len(lines),
    }
    if expect:
        report["ok_gender"] = report["lead_gender"] == expect["gender"]
        # a job the catalogue lacks is expected as the phrase the brief keeps ("florist")
        report["ok_job"] = report["job"] == expect["job"] or (
            report["job"] is None and b is not None and bool(expect["job"]) and bool(b.job)
            and any(str(w).lower() in b.job.lower()
                    for w in [expect["job"], *expect.get("job_words", [])]))
        report["ok_device"] = report["device"] == expect["device"]
    return report
