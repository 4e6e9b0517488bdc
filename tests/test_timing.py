from __future__ import annotations

import pytest

from aiscript.schema import Line
from aiscript.timing import TimingModel, detect_language


def test_chinese_is_timed_per_character():
    tm = TimingModel(zh_chars_per_s=4.0, line_pause_s=0)
    assert tm.line_seconds("这份工作我不干了") == pytest.approx(2.0)


def test_english_is_timed_per_word():
    tm = TimingModel(en_words_per_s=2.5, line_pause_s=0)
    assert tm.line_seconds("I will not let you push me around again.") == pytest.approx(3.6)


def test_action_is_timed_per_beat_and_settings_change_it():
    assert TimingModel().action_seconds("He turns. She runs. The door slams.") == pytest.approx(4.5)
    assert TimingModel(action_beat_s=2).action_seconds("他转身。她跑了。") == pytest.approx(4.0)


def test_a_shot_lasts_for_its_action_and_its_lines():
    tm = TimingModel(line_pause_s=0)
    lines = [Line(speaker="A", text="我不干了")]
    assert tm.shot_seconds("她拍桌。", lines) == pytest.approx(1.5 + 4 / 4.5, abs=0.01)
    assert tm.shot_seconds("", []) == tm.min_shot_s


def test_language_detection():
    assert detect_language("林晚推门而入，把辞职信拍在桌上。") == "zh"
    assert detect_language("She slams the letter on the desk.") == "en"
