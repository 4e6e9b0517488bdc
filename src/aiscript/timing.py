"""One timing model for the whole project: the writer's targets, the analyser's timeline and the
storyboard's animatic all ask it how long a line or a shot runs.

Defaults come from common planning figures: about 4.5 Chinese characters a second, about 2.6
English words a second (~155 words a minute), and about 1.5 s for an action beat.

>>> TimingModel().line_seconds("这份工作，我不干了。")  # 8 hanzi / 4.5 + pause
2.08
"""

from __future__ import annotations

import re

from pydantic import Field

from aiscript.schema import Language, Line, Model, Shot

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_SENTENCE_END = re.compile(r"[。！？!?；;…]|\.(?:\s|$)")


def detect_language(text: str) -> Language:
    """'zh' when Han characters make up a fair share of the letters, else 'en'."""
    han = len(_HAN.findall(text))
    words = len(_WORD.findall(text))
    return "zh" if han and han >= words else "en"


class TimingModel(Model):
    """Seconds per Chinese character, per English word and per action beat; all settings."""

    zh_chars_per_s: float = Field(4.5, gt=0)
    en_words_per_s: float = Field(2.6, gt=0)
    action_beat_s: float = Field(1.5, gt=0, description="Seconds per sentence of action.")
    action_read_factor: float = Field(
        0.85, gt=0, description="Narrated action relative to dialogue speed (1 = as slow)."
    )
    scene_change_s: float = Field(1.0, ge=0, description="A cut to a new scene heading.")
    line_pause_s: float = Field(0.3, ge=0, description="Breath between lines.")
    min_shot_s: float = Field(1.0, gt=0)

    def speech_seconds(self, text: str) -> float:
        """Time to say ``text`` aloud, mixing Chinese characters and English words."""
        han = len(_HAN.findall(text))
        words = len(_WORD.findall(_HAN.sub(" ", text)))
        return han / self.zh_chars_per_s + words / self.en_words_per_s

    def line_seconds(self, text: str) -> float:
        return round(self.speech_seconds(text) + self.line_pause_s, 2)

    def action_seconds(self, text: str) -> float:
        """Action lasts at least a beat per sentence, and at least as long as it takes to read
        aloud as narration (a little quicker than dialogue): long descriptions play longer."""
        text = text.strip()
        if not text:
            return 0.0
        beats = max(1, len(_SENTENCE_END.findall(text)))
        read = self.speech_seconds(text) * self.action_read_factor
        return round(max(beats * self.action_beat_s, read), 2)

    def shot_seconds(self, action: str, lines: list[Line]) -> float:
        """The action plays, then the lines are said: the shot lasts as long as both, as a
        script read aloud would."""
        spoken = sum(self.line_seconds(ln.text) for ln in lines)
        return round(max(self.min_shot_s, spoken + self.action_seconds(action)), 2)

    def timed_lines(self, lines: list[Line]) -> list[Line]:
        return [ln.model_copy(update={"duration_s": self.line_seconds(ln.text)}) for ln in lines]

    def timed_shot(self, shot: Shot) -> Shot:
        """The shot with its lines and its own duration set by this model."""
        lines = self.timed_lines(shot.lines)
        return shot.model_copy(
            update={"lines": lines, "duration_s": self.shot_seconds(shot.action, lines)}
        )
