"""What a text backend returns, shared by the local and the server backends (no torch here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Generation:
    text: str
    tokens: list[int]  # empty from servers, which return counts, not ids
    finished: bool  # reached EOS (or the grammar's end) before max_new_tokens


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    new_tokens: int = 0
    seconds: float = 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.new_tokens / self.seconds if self.seconds else 0.0
