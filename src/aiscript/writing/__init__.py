"""Writers: premise -> series bible + season plan -> episodes.

Every writer follows the small ``Writer`` protocol, so the pipeline does not care whether the
words come from the template writer (the embedded default) or a local language model.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aiscript.schema import Episode, Premise, Series


@runtime_checkable
class Writer(Protocol):
    name: str

    def plan(self, premise: Premise) -> Series: ...

    def write_episode(self, series: Series, number: int) -> Episode: ...
