"""llama.cpp in this process (``xllamacpp``) as a ``ChatGenerator``: a GGUF on a CPU, no server to run.

``--writer llamacpp --model q.gguf`` loads the GGUF into llama.cpp's own server engine inside
the Python process (``xllamacpp.Server``) and talks to it through ``handle_chat_completions``,
the OpenAI chat API without HTTP. What llama.cpp brings:

- every structured answer under its JSON Schema (``response_format`` json_schema, enforced by
  llama.cpp's grammar sampler), so a small model always writes the answer's shape;
- ``parallel`` slots with continuous batching: the episodes of a batch are sent at once and
  decode together, each joining as a slot frees;
- the prompt cache (``cache_prompt``): the system prompt (craft, bible, season plan) is the same
  for every episode of a season, so each slot computes it once and every later request reuses
  its KV cache, paying only for its own instructions;
- repetition control that works on the sampler (``repeat_penalty``, DRY).

The answers go through the same parsing, degenerate-text checks, retries, fallbacks and records
as every other writer's (``LLMWriter``). Errors (not a GGUF, a truncated file, out of memory, a
prompt over the context) are one line, exit status 2.

>>> LlamaCppChat.open("no/such/model.gguf")
Traceback (most recent call last):
aiscript.errors.AiscriptError: model file no/such/model.gguf does not exist (check the path)
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from aiscript.backends.results import Generation, GenerationStats
from aiscript.errors import AiscriptError, first_line

# Sampler settings for the writer's drafts. DRY (it penalises extending a sequence the context
# already holds: the loop a small model falls into, a line said again with a word changed)
# with JSON's structure as its breakers, so a repeated sentence is caught across commas. No
# repeat_penalty: it taxes every token already seen, names included, and the model escapes by
# gluing them ("AvaLin"). Runs up to ``dry_allowed_length`` tokens are free, so names and the
# plan's short phrases cost nothing.
SAMPLING: dict[str, Any] = {
    "repeat_penalty": 1.0,
    "dry_multiplier": 0.8, "dry_base": 1.75, "dry_allowed_length": 6,
    "dry_penalty_last_n": 1024,
    "dry_sequence_breakers": ["\n", ":", "\"", "{", "}", "[", "]"],
    "top_p": 0.9, "min_p": 0.05,
}


def _check_file(path: Path) -> int | None:
    """A GGUF that exists, starts with the magic bytes and is as long as its header says
    (llama.cpp itself only says 'failed to init'); its trained context length."""
    from aiscript.backends.packaged import require_gguf_magic

    require_gguf_magic(path, "pass a .gguf model, e.g. one from "
                             "`aiscript models qwen2.5-coder-1.5b DIR`")
    try:
        from gguf import GGUFReader
    except ImportError:
        return None  # llama.cpp checks it on load
    try:
        reader = GGUFReader(str(path))
        end = max((int(t.data_offset) + int(t.n_bytes) for t in reader.tensors), default=0)
    except Exception as exc:  # noqa: BLE001 - truncated or foreign files raise many kinds
        raise AiscriptError(f"{path} is truncated or damaged: its GGUF header or tensors "
                            f"cannot be read ({first_line(exc)[:80]})",
                            "download or join it again (aiscript models ...)") from None
    if end > path.stat().st_size:
        raise AiscriptError(f"{path} is truncated: its tensors need {end:,} bytes, the file "
                            f"has {path.stat().st_size:,}", "download or join it again")
    arch = reader.fields.get("general.architecture")
    try:
        name = arch.contents() if arch is not None else None
        found = reader.fields.get(f"{name}.context_length") if name else None
        return int(found.contents()) if found is not None else None
    except Exception:  # noqa: BLE001 - older gguf packages
        return None


class LlamaCppChat:
    """``ChatGenerator`` over an in-process llama.cpp server: the rows of a batch go in at
    once (``parallel`` slots decode together), each under its JSON Schema."""

    def __init__(self, server, name: str, parallel: int, n_ctx: int,
                 on_tokens: Callable[[int], None] | None = None,
                 sampling: dict[str, Any] | None = None) -> None:
        self.server, self.name, self.parallel, self.n_ctx = server, name, parallel, n_ctx
        self.on_tokens = on_tokens
        self.sampling = dict(SAMPLING if sampling is None else sampling)
        self.stats = GenerationStats()
        self.cached_tokens = 0  # prompt tokens served from the prompt cache
        # ChatGenerator's capabilities: continuous batching (a waiting row takes a freed slot),
        # every answer under llama.cpp's grammar; the analyser's judge is not served here
        self.static_cache, self.constrained, self.judge_model = False, True, None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, model: str | Path, threads: int | None = None, n_ctx: int | None = None,
             parallel: int = 2, seed: int = 0, on_tokens: Callable[[int], None] | None = None,
             verbose: bool = False) -> LlamaCppChat:
        """Load ``model`` (a GGUF) into an in-process llama.cpp server: ``n_ctx`` tokens of
        context per slot (default: the model's, at most 8192), ``parallel`` slots, ``threads``
        CPU threads (default: all)."""
        path = Path(model).expanduser()
        trained = _check_file(path)
        n_ctx = n_ctx or min(trained or 4096, 8192)
        try:
            import xllamacpp
        except ImportError:
            from aiscript.errors import MissingExtra

            raise MissingExtra("the llamacpp writer", "llamacpp", "xllamacpp") from None
        p = xllamacpp.CommonParams()
        p.model.path = str(path)
        p.n_parallel = parallel
        p.n_ctx = n_ctx * parallel  # llama.cpp splits the context across the slots
        p.n_batch = 512
        p.cache_prompt = True
        p.warmup = False
        p.sampling.seed = seed
        if not verbose:
            p.verbosity = -1
        n = threads or os.cpu_count() or 1
        p.cpuparams.n_threads = n
        p.cpuparams_batch.n_threads = n
        try:
            server = xllamacpp.Server(p)
        except MemoryError:
            raise AiscriptError(f"out of memory loading {path.name}",
                                "use a smaller model or --n-ctx / --parallel") from None
        except Exception as exc:  # noqa: BLE001 - llama.cpp says only 'failed to init'
            raise AiscriptError(f"llama.cpp could not load {path.name} ({first_line(exc)})",
                                "check it is a complete GGUF llama.cpp supports; lower "
                                "--parallel if memory is short") from None
        return cls(server, path.name, parallel, n_ctx, on_tokens)

    def close(self) -> None:
        self.server = None

    # -- one request ----------------------------------------------------------------------

    def request(self, body: dict) -> dict:
        """One ``handle_chat_completions`` call; llama.cpp's errors become one line."""
        try:
            answer = self.server.handle_chat_completions(body)
        except MemoryError:
            raise AiscriptError("llama.cpp ran out of memory",
                                "lower --parallel or the context size") from None
        except ValueError as exc:
            raise AiscriptError(f"llama.cpp refused the request ({first_line(exc)[:200]})",
                                "check the JSON Schema and the model's chat template") from None
        if isinstance(answer, dict) and "error" in answer:
            err = answer["error"]
            if err.get("type") == "exceed_context_size_error":
                raise AiscriptError(
                    f"the prompt needs {err.get('n_prompt_tokens')} tokens, more than the "
                    f"{self.n_ctx}-token context of a slot", "write fewer episodes (-n) so the "
                    "season plan in the prompt is shorter, or give the llamacpp writer a larger "
                    "n_ctx option")
            raise AiscriptError(f"llama.cpp failed: {str(err.get('message', err))[:200]}",
                                "rerun with --resume; lower --parallel if memory is short")
        return answer

    def _one(self, prompt: tuple[str, str], max_new_tokens: int, schema: str | None,
             temperature: float, seed: int) -> Generation:
        system, user = prompt
        body: dict = {"messages": [{"role": "system", "content": system},
                                   {"role": "user", "content": user}],
                      "max_tokens": max_new_tokens, "temperature": temperature, "seed": seed,
                      "cache_prompt": True, **self.sampling}
        if temperature == 0.0:
            body["top_k"] = 1
        if schema is not None:
            body["response_format"] = {"type": "json_schema",
                                       "json_schema": {"name": "answer",
                                                       "schema": json.loads(schema)}}
        answer = self.request(body)
        choice = answer["choices"][0]
        usage = answer.get("usage") or {}
        done = usage.get("completion_tokens", 0)
        with self._lock:
            self.stats.prompt_tokens += usage.get("prompt_tokens", 0)
            self.stats.new_tokens += done
            self.cached_tokens += (usage.get("prompt_tokens_details") or {}).get(
                "cached_tokens", 0)
        if self.on_tokens:
            self.on_tokens(done)
        return Generation(text=choice["message"].get("content") or "", tokens=[],
                          finished=choice.get("finish_reason") != "length")

    def chat(self, prompts: Sequence[tuple[str, str]], max_new_tokens: int | Sequence[int],
             schemas: Sequence[str] | None, temperature: float,
             seeds: Sequence[int], slots: int | None = None) -> list[Generation]:
        """All rows in flight at once, up to the server's slots (the rest queue in llama.cpp
        and take a slot as one frees); the answers in the rows' order."""
        t0 = time.perf_counter()
        rows = list(range(len(prompts)))
        budgets = ([max_new_tokens] * len(rows) if isinstance(max_new_tokens, int)
                   else list(max_new_tokens))
        width = max(1, min(len(rows), max(self.parallel, slots or 0)))
        with ThreadPoolExecutor(max_workers=width) as pool:
            replies = list(pool.map(lambda i: self._one(
                prompts[i], budgets[i], schemas[i] if schemas else None, temperature,
                seeds[i]), rows))
        self.stats.seconds += time.perf_counter() - t0
        return replies
