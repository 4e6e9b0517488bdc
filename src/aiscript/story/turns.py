"""Endings that turn on the story's state (``seeds/endings.json``).

An episode may end on a question, a threat, a choice, a discovery, an arrival, a betrayal or
someone hurt instead of on the next event's object. Each ending names the villain's and the
elder's states it fits and whether the love interest must be up and about, and carries its
answer: the next episode opens on it, so the cliffhanger is paid off on screen.

>>> pool = state_endings("zh")
>>> len({e["kind"] for e in pool}) >= 7 and all(e["answer"] for e in pool)
True
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from aiscript.craft import data_dir, invalid_seed, seed_json
from aiscript.errors import AiscriptError
from aiscript.story.custody import CUSTODY

# an apology said on screen: who says it has turned, and does not threaten in the same episode
APOLOGY = re.compile(r"错怪|委屈你了|委屈了你|是我糊涂|看错|看走了眼|对不起|欠你|"
                     r"(?i:I'm sorry|I am sorry|forgive me|I was wrong|been wrong|"
                     r"trusted the wrong|misjudged|wronged you|owe you)")

_STATES = {"villain": {"hidden", "suspected", "exposed", "arrested"},
           "elder": {"against", "with_lead"},
           "custody": set(CUSTODY)}


@cache
def _bank() -> dict[str, Any]:
    path = data_dir("seeds") / "endings.json"
    try:
        bank = json.loads(path.read_text(encoding="utf-8"))
        for lang in ("zh", "en"):
            for e in bank[lang]:
                if len(e["end"]) != 4 or not e["answer"] or any(len(a) != 4 for a in e["answer"]):
                    raise ValueError(f"{lang}: {e.get('title')}: an ending is [role, action, "
                                     "line, emotion] and needs an answer")
                for key, allowed in _STATES.items():
                    if set(e.get(key, [])) - allowed:
                        raise ValueError(f"{lang}: {e.get('title')}: unknown {key} state")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AiscriptError(f"seed file {path} is invalid: {exc}",
                            "restore it from the repository") from None
    return bank


def fits_custody(entry: dict[str, Any], custody: str) -> bool:
    """Whether an ending fits where the villain stands with the police once the episode has
    played: one that has her out on bail, or seen at a petrol station, needs her bailed; none
    has her scheming in person while she is in a cell or on the run.

    >>> fits_custody({"custody": ["bailed"]}, "free"), fits_custody({}, "bailed")
    (False, True)
    >>> fits_custody({"end": ["villain", "", "", ""]}, "wanted")
    False
    """
    if "custody" in entry:
        return custody in entry["custody"]
    return not (custody in ("held", "wanted") and entry.get("end", [""])[0] == "villain")


def state_endings(lang: str) -> list[dict[str, Any]]:
    """The language's state endings, in the file's order."""
    return _bank()["zh" if lang == "zh" else "en"]


@cache
def _exchanges() -> dict[str, Any]:
    path = data_dir("seeds") / "exchanges.json"
    try:
        bank = json.loads(path.read_text(encoding="utf-8"))
        for lang in ("zh", "en"):
            if any(len(x) < 2 for key in ("with_lead", "with_lead_after")
                   for x in bank[lang][key]):
                raise ValueError(f"{lang}: an exchange has a line and its answer at least")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AiscriptError(f"seed file {path} is invalid: {exc}",
                            "restore it from the repository") from None
    return bank


def exchanges(lang: str, key: str) -> list[list[str]]:
    """Written exchanges, the elder first, each reply answering the line before it
    (``with_lead``: she has come round; ``with_lead_after``: and the villain is exposed)."""
    return _exchanges()["zh" if lang == "zh" else "en"].get(key, [])


# what the episode's event left the lead with, for the night's talk after it
NIGHT_AFTER = {
    **dict.fromkeys(("inciting", "first_clash", "elder_scorn", "frame_up", "rumour",
                     "stolen_credit", "sabotage", "eviction", "misunderstanding"), "lost_round"),
    **dict.fromkeys(("threat_ally", "hired_attack"), "ally_hurt"),
    **dict.fromkeys(("evidence", "expose", "turn_tables", "win_witness", "public_stand",
                     "frame_back", "accomplice_turns", "destroy_evidence"), "won_round"),
    # the truth told before the family: not a round won and savoured, what it set moving
    "big_reveal": "truth_out",
    **dict.fromkeys(("sympathy_ploy", "lure", "trap_set", "witness_gone", "family_council",
                     "ally_doubt", "flight", "last_gambit"), "villain_move"),
    **dict.fromkeys(("work_trouble", "work_lead"), "work"),
    **dict.fromkeys(("closer", "private_talk"), "close"),
}


@cache
def _nights() -> dict[str, Any]:
    bank = seed_json("nights.json")
    try:
        for lang in ("zh", "en"):
            for key, talks in bank[lang].items():
                if key not in set(NIGHT_AFTER.values()):
                    raise ValueError(f"{lang}: unknown key {key}")
                for i, talk in enumerate(talks):
                    steps = talk["steps"]
                    if not 2 <= len(steps) <= 4 or steps[-1][0] != "hero" or any(
                            len(st) != 4 or st[0] not in ("hero", "friend") or not st[2]
                            for st in steps):
                        raise ValueError(f"{lang}: {key}[{i}]: two to four steps [hero or "
                                         "friend, action, line, emotion], the lead's last")
                    if set(talk.get("villain", [])) - _STATES["villain"]:
                        raise ValueError(f"{lang}: {key}[{i}]: unknown villain state")
    except (ValueError, KeyError, TypeError) as exc:
        raise invalid_seed("nights.json", exc) from None
    return bank


def night_talks(lang: str, kind: str) -> list[dict[str, Any]]:
    """Written talks between the lead and the friend with her on the night after an event of
    ``kind`` (``seeds/nights.json``), each line answering the one before, the lead's last."""
    return _nights()["zh" if lang == "zh" else "en"].get(NIGHT_AFTER.get(kind, ""), [])


@cache
def _cliff_lines() -> dict[str, Any]:
    bank = seed_json("cliff_lines.json")
    try:
        for lang in ("zh", "en"):
            for action, said in bank[lang].items():
                if not said.get("line") or said.get("category") not in (
                        "threat", "find", "call", "cut", "danger"):
                    raise ValueError(f"{lang}: {action}: a line and its category are needed")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise invalid_seed("cliff_lines.json", exc) from None
    return bank


def cliff_line(lang: str, action: str) -> dict[str, str] | None:
    """The line written for an ending's final image (``seeds/cliff_lines.json``): ``line``
    and the ``category`` of ending it was written for (whose line it is)."""
    return _cliff_lines()["zh" if lang == "zh" else "en"].get(action)
