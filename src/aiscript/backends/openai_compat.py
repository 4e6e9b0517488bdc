"""An OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama ...) as a ``ChatGenerator``.

Users who already serve a model point the writer at it: ``--writer openai --base-url URL
--model NAME``. Every request carries the answer's JSON Schema through the server's
structured-output option (``response_format`` of type ``json_schema``); the answers then go
through the same validation, degenerate-text checks, retries, fallbacks and records as the
local writer's. Plain HTTP from the standard library: no client package needed.

>>> chat = OpenAIChat("http://127.0.0.1:9/v1", "m")   # nothing listens there
>>> chat.check()
Traceback (most recent call last):
aiscript.errors.AiscriptError: cannot reach an OpenAI-compatible server at http://127.0.0.1:9/v1 (start the server, or pass --base-url with its address, e.g. http://127.0.0.1:8000/v1)
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from aiscript.backends.results import Generation, GenerationStats
from aiscript.errors import AiscriptError, first_line


class OpenAIChat:
    """``ChatGenerator`` over ``POST {base_url}/chat/completions``; the rows of a batch go
    out concurrently so the server can batch them."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 timeout_s: float = 600.0, concurrency: int = 8,
                 on_tokens: Callable[[int], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.model, self.name = model, model
        self.api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY", "")
        self.timeout_s, self.concurrency, self.on_tokens = timeout_s, concurrency, on_tokens
        self.stats = GenerationStats()
        self.structured = True  # send the JSON Schema as response_format (json_schema)
        # ChatGenerator's capabilities: the server batches as it likes; the writer always sends
        # its schemas (a server without structured outputs gets them repaired, see above)
        self.static_cache, self.constrained, self.judge_model = False, True, None

    def _request(self, path: str, body: dict | None = None, timeout: float | None = None) -> dict:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data,
                                     method="POST" if data else "GET")
        req.add_header("Content-Type", "application/json")
        if self.api_key:
            req.add_header("Authorization", f"Bearer {self.api_key}")
        with urllib.request.urlopen(req, timeout=timeout or self.timeout_s) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def check(self) -> None:
        """The server answers ``GET /models``: fail early, before any work."""
        try:
            self._request("/models", timeout=10)
        except urllib.error.HTTPError:
            return  # it answered: some servers fail /models yet serve chat completions
        except (urllib.error.URLError, OSError, ValueError):
            raise AiscriptError(f"cannot reach an OpenAI-compatible server at {self.base_url}",
                                "start the server, or pass --base-url with its address, e.g. "
                                "http://127.0.0.1:8000/v1") from None

    def _one(self, prompt: tuple[str, str], max_new_tokens: int, schema: str | None,
             temperature: float, seed: int) -> Generation:
        system, user = prompt
        body: dict = {"model": self.model, "max_tokens": max_new_tokens,
                      "temperature": temperature, "seed": seed,
                      "messages": [{"role": "system", "content": system},
                                   {"role": "user", "content": user}]}
        if schema is not None and self.structured:
            body["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "answer", "schema": json.loads(schema), "strict": True}}
        try:
            answer = self._request("/chat/completions", body)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            if "response_format" in body and "response_format" in detail and exc.code < 500:
                self._no_structured_output(detail)
                return self._one(prompt, max_new_tokens, schema, temperature, seed)
            raise AiscriptError(f"the server at {self.base_url} refused the request "
                                f"(HTTP {exc.code}: {detail})",
                                "check --model names a served model and that the server "
                                "supports response_format json_schema") from None
        except (urllib.error.URLError, OSError) as exc:
            raise AiscriptError(f"the server at {self.base_url} failed: {first_line(exc)}",
                                "check the server's log, then rerun with --resume") from None
        choice = answer["choices"][0]
        usage = answer.get("usage") or {}
        self.stats.prompt_tokens += usage.get("prompt_tokens", 0)
        self.stats.new_tokens += usage.get("completion_tokens", 0)
        if self.on_tokens:
            self.on_tokens(usage.get("completion_tokens", 0))
        return Generation(text=choice["message"].get("content") or "", tokens=[],
                          finished=choice.get("finish_reason") != "length")

    def _no_structured_output(self, detail: str) -> None:
        """A server without structured outputs: answers are then unconstrained, repaired,
        validated and checked like any other, and the retries and fallbacks do the rest."""
        if self.structured:
            self.structured = False
            warnings.warn(f"the server at {self.base_url} refuses response_format "
                          f"({detail[:120]}); generating without a schema, then validating",
                          stacklevel=4)

    def chat(self, prompts: Sequence[tuple[str, str]], max_new_tokens: int | Sequence[int],
             schemas: Sequence[str] | None, temperature: float,
             seeds: Sequence[int], slots: int | None = None) -> list[Generation]:
        """``slots`` is not used: ``concurrency`` requests are in flight, and the server
        batches them as it sees fit."""
        t0 = time.perf_counter()
        rows = list(range(len(prompts)))
        budgets = ([max_new_tokens] * len(rows) if isinstance(max_new_tokens, int)
                   else list(max_new_tokens))
        with ThreadPoolExecutor(max_workers=max(1, min(self.concurrency, len(rows)))) as pool:
            replies = list(pool.map(lambda i: self._one(
                prompts[i], budgets[i], schemas[i] if schemas else None, temperature,
                seeds[i]), rows))
        self.stats.seconds += time.perf_counter() - t0
        return replies
