"""The LLM drafter on each generation core besides local transformers (``llm.LLMWriter``):
llama.cpp in this process (``--writer llamacpp``, a GGUF on a CPU) and an OpenAI-compatible
server (``--writer openai``). Each is the same writer with its own ``ChatGenerator`` and the
options its command line takes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from aiscript.backends.llamacpp import LlamaCppChat
from aiscript.backends.openai_compat import OpenAIChat
from aiscript.drafting.llm import LLMWriter
from aiscript.errors import AiscriptError


class LlamaCppWriter(LLMWriter):
    """The LLM writer with its text from llama.cpp in this process."""

    name = "llamacpp"

    def __init__(self, chat, *args: Any, unit: Literal["episode", "beat"] = "beat",
                 beat_retries: int = 4, **kwargs: Any) -> None:
        """``LLMWriter`` sized for a small CPU model: one beat per answer, refused beats
        mended in up to ``beat_retries`` more rounds."""
        super().__init__(chat, *args, unit=unit, beat_retries=beat_retries, **kwargs)

    class Options(BaseModel):
        """What ``--writer llamacpp`` takes."""

        model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

        model: str | None = None  # a .gguf file
        threads: int | None = Field(None, ge=1)  # CPU threads (default: all cores)
        n_ctx: int | None = Field(None, ge=512)  # context per slot (default: the model's, <= 8192)
        parallel: int = Field(2, ge=1)  # slots decoding at once (continuous batching)
        seed: int = 0
        batch_size: int = Field(4, ge=1)  # episodes handed to llama.cpp at once
        on_tokens: Callable[[int], None] | None = None
        max_new_tokens: int | None = Field(None, ge=16)
        device: Literal["cpu"] | None = None  # the CPU build of llama.cpp
        fast: Literal[False] = False
        reader: Literal["rules", "model"] = "rules"  # who reads the premise into its brief
        unit: Literal["episode", "beat"] = "beat"  # what one answer holds (a 1.5B: a beat)
        beat_retries: int = Field(4, ge=0)  # rounds that write refused beats only, after retries

    @classmethod
    def from_options(cls, **options: Any) -> LlamaCppWriter:
        from aiscript.registry import parse_options

        o = parse_options(cls.Options, options, "llamacpp writer")
        if not o.model:
            raise AiscriptError("the llamacpp writer needs a GGUF model",
                                "pass --model FILE.gguf (e.g. from "
                                "`aiscript models qwen2.5-coder-1.5b DIR`)")
        chat = LlamaCppChat.open(o.model, threads=o.threads, n_ctx=o.n_ctx,
                                 parallel=o.parallel, seed=o.seed, on_tokens=o.on_tokens)
        reader = None
        if o.reader == "model":
            from aiscript.drafting.model_reader import ModelReader

            reader = ModelReader(chat)
        return cls(chat, batch_size=max(o.batch_size, o.parallel),
                   max_new_tokens=o.max_new_tokens, reader=reader, unit=o.unit,
                   beat_retries=o.beat_retries)


class OpenAIWriter(LLMWriter):
    """The LLM writer with its text from an OpenAI-compatible server."""

    name = "openai"

    class Options(BaseModel):
        """What ``--writer openai`` takes: the server decides the device and the batching,
        so ``device``, ``fast`` and ``threads`` may only be left unset."""

        model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

        model: str | None = None  # the served model's name
        base_url: str | None = None  # e.g. http://127.0.0.1:8000/v1
        batch_size: int = Field(8, ge=1)  # requests in flight
        on_tokens: Callable[[int], None] | None = None
        max_new_tokens: int | None = Field(None, ge=16)
        device: None = None
        fast: Literal[False] = False
        threads: None = None

    @classmethod
    def from_options(cls, **options: Any) -> OpenAIWriter:
        """Built by name (``--writer openai --base-url URL --model NAME``) from ``Options``;
        checks that the server answers before any work."""
        from aiscript.registry import parse_options

        o = parse_options(cls.Options, options, "openai writer")
        if not o.base_url:
            raise AiscriptError("the openai writer needs a server",
                                "pass --base-url http://HOST:PORT/v1")
        if not o.model:
            raise AiscriptError("the openai writer needs a model name",
                                "pass --model with a name the server lists at /v1/models")
        chat = OpenAIChat(o.base_url, o.model, concurrency=o.batch_size, on_tokens=o.on_tokens)
        chat.check()
        return cls(chat, batch_size=o.batch_size, max_new_tokens=o.max_new_tokens)
