"""Kind names say what they mean, every one is in the README's table, and reports stored under
an old name still read."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _kinds_table() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Kind names", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([a-z_ ]+)`", section))


def test_every_kind_the_analyser_can_name_is_in_the_readme_table():
    from aiscript.analysis import judge, story
    from aiscript.analysis.emotion import lexicon

    named = {*story.OPENING_STATES, *story.ENDING_STATES, "cold_open", "charged_line",
             "question", "reveal_cut_short", "unresolved", "twist", "push", "scene change",
             *lexicon("en")["hook"], "interrupted_action", "unresolved_tension",
             *judge.HOOK_KINDS, *judge.CLIFF_KINDS, *story.cues("en")["transition"]}
    assert named - _kinds_table() == set()


def test_a_villains_threat_at_the_end_is_an_open_vow_not_a_resolution():
    from aiscript import analyze

    script = ("1-1 日 内 宴会厅\n人物：林晚、赵总\n△ 林晚当众揭穿了赵总的假账，众人哗然。\n"
              "林晚：证据都在这里，你还有什么话说？\n△ 赵总冷笑一声，整了整领带。\n"
              "赵总：别急着高兴，好戏才刚开始。\n")
    cliff = analyze(script).cliffhanger
    assert cliff.present and cliff.kind == "vow", cliff
    assert "resolve" not in " ".join(cliff.signals)


def test_a_report_stored_with_the_old_kind_name_reads_under_the_new_one():
    from aiscript.schema import Cliffhanger

    old = Cliffhanger.model_validate_json('{"present": true, "kind": "resolve", "score": 0.9}')
    assert old.kind == "vow"
