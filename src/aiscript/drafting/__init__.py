"""Writers: premise -> series bible + season plan -> episodes.

Every writer follows the small ``Writer`` protocol, so the pipeline does not care whether the
words come from the template writer (the embedded default) or a local language model.

>>> from aiscript.drafting.template import TemplateWriter
>>> isinstance(TemplateWriter(), Writer)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from aiscript.schema import Episode, Premise, Series

if TYPE_CHECKING:
    from aiscript.backends.results import GenerationStats
    from aiscript.drafting.records import PlanRecord, WritingRecord


@runtime_checkable
class Writer(Protocol):
    """Plans a season, then writes its episodes.

    ``write_episodes`` writes the episodes ``numbers`` (all when None) and calls
    ``on_episode`` with each one as soon as it is final, so a caller can save it there and an
    interrupted run keeps what was written.
    """

    name: str

    def plan(self, premise: Premise) -> Series: ...

    def write_episodes(self, series: Series, numbers: Sequence[int] | None = None,
                       on_episode: Callable[[Episode], None] | None = None) -> list[Episode]: ...


@runtime_checkable
class RecordingWriter(Writer, Protocol):
    """A writer that says where each episode's text came from (``writing.json``): the
    pipeline saves ``records`` (one per episode written), ``plan_record`` (the season's draft)
    and ``model_name``, and reports ``generation_stats`` (the tokens its model generated). A
    writer without them keeps no log; the template writer is one.

    >>> from aiscript.drafting.template import TemplateWriter
    >>> isinstance(TemplateWriter(), RecordingWriter)
    False
    """

    records: list[WritingRecord]
    plan_record: PlanRecord | None
    model_name: str
    generation_stats: GenerationStats | None


@runtime_checkable
class BatchWriter(Writer, Protocol):
    """A writer that can fill one batch with episodes of several seasons (a batch runner uses
    it to keep a GPU busy)."""

    def write_across(self, items: Sequence[tuple[Series, int]],
                     on_episode: Callable[[Episode], None] | None = None) -> list[Episode]: ...
