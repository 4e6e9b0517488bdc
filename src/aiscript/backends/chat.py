"""The generation core as the writer, the judge, the premise reader and the shot planner see
it: ``ChatGenerator`` (chats in, texts out, each row under its own JSON Schema and token budget)
and ``LocalChat``, the protocol over a local transformers model. llama.cpp (``LlamaCppChat``)
and a server (``OpenAIChat``) follow the same protocol."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Protocol


class ChatGenerator(Protocol):
    """What the writer needs from a backend: chats in, texts out, each row under its own JSON
    Schema and token budget, greedy at temperature 0, else sampled with each row's seed;
    ``slots`` rows generate at once (the others wait for a free slot).

    The optional capabilities are declared, not probed: ``static_cache`` (every row keeps its
    slot until the whole batch ends, so no row waits for a freed one), ``constrained`` (answers
    are held to the schema; otherwise they are repaired, then validated) and ``judge_model``
    (a model the analyser's LLM judge can run on, or None)."""

    name: str
    stats: Any
    static_cache: bool
    constrained: bool
    judge_model: Any

    def chat(self, prompts: Sequence[tuple[str, str]], max_new_tokens: int | Sequence[int],
             schemas: Sequence[str] | None, temperature: float,
             seeds: Sequence[int], slots: int | None = None) -> list[Any]: ...


class LocalChat:
    """``ChatGenerator`` over a local ``TransformersGenerator``: chat template, one batched
    generation, the shared prefix (system prompt) computed once."""

    def __init__(self, gen, share_prefix: bool = True,
                 on_tokens: Callable[[int], None] | None = None,
                 threads: int | None = None, name: str | None = None,
                 constrained: bool | None = None) -> None:
        self.gen, self.share_prefix, self.on_tokens = gen, share_prefix, on_tokens
        self.threads = threads  # torch's CPU threads during each call, put back after
        self.name = name or gen.name
        self.static_cache: bool = gen.static_cache
        self.constrained = _constrained(constrained)
        self.judge_model = gen  # the analyser's judge runs on the same model

    @property
    def stats(self):
        return self.gen.stats

    def chat(self, prompts, max_new_tokens, schemas, temperature, seeds, slots=None):
        ids = [self.gen.chat_ids(system, user) for system, user in prompts]
        with _torch_threads(self.threads):
            return self.gen.generate_ids(ids, max_new_tokens=max_new_tokens, schema=schemas,
                                         share_prefix=self.share_prefix,
                                         temperature=temperature, seeds=seeds,
                                         on_token=self.on_tokens, slots=slots)


@contextlib.contextmanager
def _torch_threads(n: int | None):
    """torch's CPU threads set to ``n`` inside, then put back (nothing when ``n`` is None)."""
    if n is None:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _constrained(constrained: bool | None) -> bool:
    if constrained is not None:
        return constrained
    try:
        import xgrammar  # noqa: F401

        return True
    except ImportError:
        warnings.warn("xgrammar is not installed: generating without a schema, then "
                      'repairing and validating (pip install "aiscript[constrained]")',
                      stacklevel=3)
        return False
