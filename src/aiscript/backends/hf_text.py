"""Text generation on Hugging Face transformers: load a local causal LM safely, then decode
batches, optionally sharing the prompt prefix they have in common and constraining every row
to a JSON Schema with xgrammar.

The generation core is a handful of short functions (``prefill``, ``decode_one_token``,
``choose``, ``decode_steps``, driven by ``TransformersGenerator.generate_ids``) that a reader
can follow top to bottom.
"""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from pydantic import BaseModel, ConfigDict, Field

from aiscript.backends.modelhub import local_only, missing_path
from aiscript.backends.results import Generation, GenerationStats
from aiscript.errors import AiscriptError, MissingExtra, first_line

# --------------------------------------------------------------------------- loading


def load_causal_lm(
    path_or_id: str | Path,
    device: str | torch.device | None = None,
    dtype: torch.dtype | str | None = None,
    trust_remote_code: bool = False,
):
    """Model and tokenizer from a local folder or a cached hub id, safetensors only.

    Defaults are safe: CPU in float32, CUDA in bfloat16; no network when the path is local or
    HF_HUB_OFFLINE=1; remote code only when asked for.
    """
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    if dtype is None:
        dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    elif isinstance(dtype, str):
        dtype = getattr(torch, dtype)
    local = Path(path_or_id).expanduser()
    offline = local_only(local)
    ref = str(local) if local.exists() else str(path_or_id)
    if missing_path(path_or_id):
        raise AiscriptError(f"model path {path_or_id} does not exist",
                            "pass a folder with config.json and *.safetensors, or a hub id")
    kw: dict[str, Any] = dict(local_files_only=offline, trust_remote_code=trust_remote_code)
    try:
        config = AutoConfig.from_pretrained(ref, **kw)
    except (OSError, ValueError) as exc:
        raise AiscriptError(
            f"cannot load model {path_or_id}: {first_line(exc)}",
            "pass a local folder with config.json, or a hub id already in the local cache",
        ) from None
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    heads = config.architectures or []
    causal_head = any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in heads)
    if config.model_type not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES or (heads and not causal_head):
        raise AiscriptError(
            f"model {path_or_id} is a '{config.model_type}' ({', '.join(heads) or 'no head'}), "
            "not a causal language model",
            "pass a causal LM such as Qwen2.5-*-Instruct or Llama-3.2-*-Instruct",
        )
    try:
        tokenizer = AutoTokenizer.from_pretrained(ref, **kw)
        model = AutoModelForCausalLM.from_pretrained(ref, dtype=dtype, use_safetensors=True, **kw)
    except Exception as exc:  # corrupt or pickle-only checkpoints raise many kinds of errors
        raise AiscriptError(
            f"cannot load the weights of {path_or_id}: {first_line(exc)}",
            "check the checkpoint: aiscript loads *.safetensors only (convert .bin files first)",
        ) from None
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model.to(device).eval(), tokenizer


# --------------------------------------------------------------------------- the core
#
# gpt-fast's shape: ``prefill`` runs prompts, ``decode_one_token`` runs one step for every
# slot, ``decode_steps`` runs steps until a slot may have finished, and ``generate_ids`` (in
# the generator below) admits waiting requests into free slots. Tokens and sampling stay on
# the device; the host reads tokens (one copy for many steps) only when the grammar needs
# them, when a budget ends (known on the host without looking) or every ``poll`` steps to
# find EOS; a row that ended meanwhile costs at most ``poll`` wasted steps.


def prefill(model, ids: torch.Tensor, mask: torch.Tensor, positions: torch.Tensor, cache=None):
    """Run prompts (or the part after a cached prefix); return last-position logits."""
    out = model(input_ids=ids, attention_mask=mask, position_ids=positions,
                past_key_values=cache, use_cache=True,
                logits_to_keep=1)  # the LM head on the last position only, not width x vocab
    return out.logits[:, -1, :].float(), out.past_key_values


def decode_one_token(model, token: torch.Tensor, mask: torch.Tensor, position: torch.Tensor, cache):
    """One step for every slot: feed the last token, return the next logits."""
    out = model(input_ids=token[:, None], attention_mask=mask, position_ids=position[:, None],
                past_key_values=cache, use_cache=True)
    return out.logits[:, -1, :].float(), out.past_key_values


class Constraint:
    """One xgrammar matcher per request; the whole batch's bitmask is filled in one call
    (``BatchGrammarMatcher``) on the host while the device runs the step, then applied on the
    device."""

    def __init__(self, compiled: list, vocab_size: int, threads: int = 1) -> None:
        import xgrammar as xgr

        self.xgr = xgr
        self.matchers = [xgr.GrammarMatcher(c) for c in compiled]
        self.batch = xgr.BatchGrammarMatcher(max_threads=threads)
        self.bitmask = xgr.allocate_token_bitmask(len(compiled), vocab_size)
        if torch.cuda.is_available():
            self.bitmask = self.bitmask.pin_memory()  # lets the copy to the device run async

    def apply(self, logits: torch.Tensor, requests: list[int | None]) -> torch.Tensor:
        """Mask ``logits`` in place: each slot to what its request's grammar allows next."""
        live = [i for i, r in enumerate(requests) if r is not None]
        rows = self.bitmask[: len(requests)]
        rows.fill_(-1)  # finished or padding slots: everything allowed (their tokens are unused)
        self.batch.batch_fill_next_token_bitmask(
            [self.matchers[requests[i]] for i in live], rows, indices=live)
        self.xgr.apply_token_bitmask_inplace(
            logits, rows.to(logits.device, non_blocking=True))  # on the device, no logits copy
        return logits

    def accept(self, requests: list[int], tokens: list[int]) -> list[bool]:
        """Advance each request's matcher; True where its grammar has finished."""
        matchers = [self.matchers[r] for r in requests]
        if not all(self.xgr.BatchGrammarMatcher.batch_accept_token(matchers, tokens)):
            raise RuntimeError("the grammar rejected a token it had allowed")
        return [m.is_terminated() for m in matchers]


def choose(logits: torch.Tensor, temperature: float,
           generators: list[torch.Generator] | None) -> torch.Tensor:
    """Greedy at temperature 0; else Gumbel-max sampling (the same distribution as softmax
    sampling) with each slot's own generator, all on the device."""
    if temperature <= 0:
        return logits.argmax(dim=-1)
    noise = torch.stack([torch.rand(logits.shape[-1], generator=g, device=logits.device)
                         for g in generators])  # one draw per slot from its request's seed
    gumbel = -torch.log(-torch.log(noise))
    return (logits / temperature + gumbel).argmax(dim=-1)


@dataclass
class Batch:
    """The slots decoding together: which request each holds (host) and their device state."""

    requests: list[int | None]  # request per slot; None: finished (static cache) or padding
    left: list[int]  # tokens each slot may still emit: budgets end without a host sync
    pads: list[int]  # empty cache columns on the left of each slot (trimmed when all share)
    logits: torch.Tensor  # [slots, vocab] next-token logits
    mask: torch.Tensor  # [slots, columns] attention mask over the cache
    next_pos: torch.Tensor  # [slots] position of each slot's next token
    cache: Any
    filled: int | None = None  # static cache: columns in use (the mask is preallocated)

    def __len__(self) -> int:
        return len(self.requests)


@dataclass
class Decoding:
    """What every step needs besides the batch: the model, stopping and choosing rules, and
    the requests' outputs."""

    model: Any
    out: list[list[int]]
    finished: list[bool]
    stop_ids: set[int]  # EOS ids (empty when EOS is ignored)
    constraint: Constraint | None
    temperature: float
    generators: dict[int, torch.Generator]
    step: Callable
    poll: int
    on_token: Callable[[int], None] | None


def decode_steps(d: Decoding, b: Batch) -> torch.Tensor:
    """Decode until a slot may have finished: one step with a grammar (it needs each token),
    else until the nearest budget ends or ``poll`` steps pass. Returns the last tokens, for the
    step that follows; one host sync at the end."""
    live = [r for r in b.requests if r is not None]
    n = 1 if d.constraint else min(b.left[s] for s, r in enumerate(b.requests) if r is not None)
    if d.stop_ids and not d.constraint:
        n = min(n, d.poll)  # the host looks for EOS every `poll` steps
    gens = [d.generators.get(r) for r in b.requests] if d.temperature > 0 else None
    tokens = []
    for i in range(n):
        if d.constraint:
            d.constraint.apply(b.logits, b.requests)  # only tokens the schema allows
        token = choose(b.logits, d.temperature, gens)  # stays on the device
        tokens.append(token)
        if d.on_token:
            d.on_token(len(live))
        if i < n - 1:  # the last step runs once finished rows have left (`generate_ids`)
            b.logits, b.cache = grow(d, b, token)
    record(d, b, torch.stack(tokens, dim=1).tolist())  # the one host sync
    return tokens[-1]


def record(d: Decoding, b: Batch, steps: list[list[int]]) -> None:
    """Append each slot's new tokens to its request; mark requests that finished (EOS, the
    grammar's end, or the budget)."""
    if d.constraint:
        live = [(s, r) for s, r in enumerate(b.requests) if r is not None]
        ended = d.constraint.accept([r for _, r in live], [steps[s][0] for s, _ in live])
        for (_, r), end in zip(live, ended, strict=True):
            d.finished[r] |= end
    for s, r in enumerate(b.requests):
        if r is None:
            continue
        for t in steps[s][: b.left[s]]:
            d.out[r].append(t)
            if t in d.stop_ids:  # tokens after EOS were never used
                d.finished[r] = True
                break
        b.left[s] -= len(steps[s])
        if d.finished[r] or b.left[s] <= 0:
            b.requests[s] = None


def grow(d: Decoding, b: Batch, token: torch.Tensor):
    """Feed ``token`` to every slot: one model step; the mask gains the new column."""
    if b.filled is None:  # the mask gains a column (slots x columns of ints: cheap)
        b.mask = torch.cat([b.mask, b.mask.new_ones(len(b), 1)], dim=1)
    else:
        b.mask[:, b.filled] = 1  # in place: the static cache's mask keeps its shape
        b.filled += 1
    logits, cache = d.step(d.model, token, b.mask, b.next_pos, b.cache)  # async on a GPU
    b.next_pos = b.next_pos + 1  # on the device
    return logits, cache


def keep(b: Batch, token: torch.Tensor) -> tuple[Batch | None, torch.Tensor]:
    """Finished requests leave the batch (dynamic cache): their slots free up for waiting ones.
    Costs one copy of the remaining slots' K/V, once per departure, not per step."""
    slots = [s for s, r in enumerate(b.requests) if r is not None]
    if len(slots) == len(b):
        return b, token
    if not slots:
        return None, token
    idx = torch.tensor(slots, device=b.mask.device)
    b = Batch([b.requests[s] for s in slots], [b.left[s] for s in slots],
              [b.pads[s] for s in slots], b.logits[idx], b.mask[idx], b.next_pos[idx], b.cache)
    cut = min(b.pads)  # columns that are padding in every remaining slot go too
    b.mask, b.pads = b.mask[:, cut:], [p - cut for p in b.pads]
    _reseat(b.cache, lambda x: x[idx, :, cut:], max(b.left) + 1)
    return b, token[idx]


def join(a: Batch | None, b: Batch) -> Batch:
    """One batch from a running one and newly admitted slots: the narrower is padded on the
    left (masked columns), then slots are stacked."""
    if a is None:
        return b
    wa, wb = a.mask.shape[1], b.mask.shape[1]
    width = max(wa, wb)
    room = max(a.left + b.left) + 1
    for la, lb in zip(a.cache.layers, b.cache.layers, strict=True):
        _hold(la, torch.cat([_left_pad(la.keys, width, 2), _left_pad(lb.keys, width, 2)]),
              torch.cat([_left_pad(la.values, width, 2), _left_pad(lb.values, width, 2)]), room)
    return Batch(
        a.requests + b.requests, a.left + b.left,
        [p + width - wa for p in a.pads] + [p + width - wb for p in b.pads],
        torch.cat([a.logits, b.logits]),
        torch.cat([_left_pad(a.mask, width, 1), _left_pad(b.mask, width, 1)]),
        torch.cat([a.next_pos, b.next_pos]), a.cache)


def _reseat(cache, pick: Callable[[torch.Tensor], torch.Tensor], room: int) -> None:
    for layer in cache.layers:
        _hold(layer, pick(layer.keys), pick(layer.values), room)


def _hold(layer, keys: torch.Tensor, values: torch.Tensor, room: int) -> None:
    if hasattr(layer, "seat"):
        layer.seat(keys, values, room)
    else:  # a plain dynamic layer: its next concatenation copies anyway
        layer.keys, layer.values = keys, values


@functools.cache
def _slab_layer():
    """``SlabLayer``: a dynamic cache layer whose K/V live in a buffer with room for the tokens
    still to come. A step writes its column in place; transformers' ``DynamicLayer``
    concatenates, copying the whole cache every step (measured: an eighth of decode time on
    CPU at 500 tokens, and quadratic in the length)."""
    from transformers.cache_utils import DynamicLayer

    class SlabLayer(DynamicLayer):
        def __init__(self, room: int) -> None:
            super().__init__()
            self.room, self.used = room, 0

        def seat(self, keys: torch.Tensor, values: torch.Tensor, room: int) -> None:
            """Hold ``keys``/``values`` (any view) in a fresh buffer with ``room`` free columns."""
            rows, heads, n, _ = keys.shape
            self.k_buf = keys.new_empty(rows, heads, n + room, keys.shape[-1])
            self.v_buf = values.new_empty(rows, heads, n + room, values.shape[-1])
            self.k_buf[:, :, :n], self.v_buf[:, :, :n] = keys, values  # the one copy per row
            self.dtype, self.device, self.is_initialized = keys.dtype, keys.device, True
            self.used = n
            self.keys, self.values = self.k_buf[:, :, :n], self.v_buf[:, :, :n]

        def update(self, key_states, value_states, *args, **kwargs):
            if not self.is_initialized:
                self.seat(key_states[:, :, :0], value_states[:, :, :0], self.room)
            n = self.used + key_states.shape[-2]
            if n > self.k_buf.shape[2]:  # out of room (not expected): grow by doubling
                self.seat(self.keys, self.values, max(self.used, key_states.shape[-2]))
            self.k_buf[:, :, self.used : n] = key_states  # in place, no concatenation
            self.v_buf[:, :, self.used : n] = value_states
            self.used = n
            self.keys, self.values = self.k_buf[:, :, :n], self.v_buf[:, :, :n]
            return self.keys, self.values

        def batch_select_indices(self, indices: torch.Tensor) -> None:
            self.seat(self.keys[indices], self.values[indices], self.room)

    return SlabLayer


def _left_pad(x: torch.Tensor, width: int, dim: int) -> torch.Tensor:
    if x.shape[dim] == width:
        return x
    shape = list(x.shape)
    shape[dim] = width - x.shape[dim]
    return torch.cat([x.new_zeros(shape), x], dim=dim)


# --------------------------------------------------------------------------- the generator


class TransformersGenerator:
    """``TextGenerator`` over a transformers causal LM.

    >>> gen = TransformersGenerator.from_pretrained("path/to/model")   # doctest: +SKIP
    >>> gen.generate(["Write a hook."], max_new_tokens=32)[0].text      # doctest: +SKIP
    """

    name = "transformers"

    class Options(BaseModel):
        """How the generator decodes. ``static_cache`` preallocates the KV cache (bucketed
        sizes, reused across calls) so every decode step has the same shapes; ``compile`` then
        hands the one-token step to torch.compile (CUDA graphs on GPU). Both are off by default
        and checked against the plain path. ``poll``: steps between host looks for EOS."""

        model_config = ConfigDict(extra="forbid")

        static_cache: bool = False
        compile: bool = False
        poll: int = Field(8, ge=1)

    def __init__(self, model, tokenizer, options: Options | None = None, *,
                 static_cache: bool = False, compile: bool = False) -> None:
        opts = options or self.Options(static_cache=static_cache, compile=compile)
        self.model, self.tokenizer, self.options = model, tokenizer, opts
        compile = opts.compile
        self.static_cache = opts.static_cache or compile
        self._step = decode_one_token
        if compile:
            mode = "reduce-overhead" if self.device.type == "cuda" else None
            self._step = torch.compile(decode_one_token, mode=mode, dynamic=False)
        self.stats = GenerationStats()
        self.poll = opts.poll  # steps between host looks for EOS without a grammar
        self._caches: dict[tuple[int, int], Any] = {}
        self._compiler = None
        self._grammars: dict[str, Any] = {}

    @classmethod
    def from_pretrained(cls, path_or_id: str | Path, options: Options | None = None, *,
                        static_cache: bool = False, compile: bool = False,
                        device: str | torch.device | None = None,
                        dtype: torch.dtype | str | None = None) -> TransformersGenerator:
        """Load (``load_causal_lm``) and wrap a local model or cached hub id."""
        return cls(*load_causal_lm(path_or_id, device=device, dtype=dtype), options,
                   static_cache=static_cache, compile=compile)

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def chat_ids(self, system: str, user: str) -> list[int]:
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        text = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True,
                                                  tokenize=False)
        return self.tokenizer(text, add_special_tokens=False).input_ids

    def grammar(self, schema: str):
        """The schema compiled for this tokenizer (cached). Whitespace is fixed: with xgrammar's
        default ``any_whitespace`` a weak model can emit spaces forever."""
        if schema not in self._grammars:
            try:
                import xgrammar as xgr
            except ImportError:
                raise MissingExtra("constrained decoding", "constrained", "xgrammar") from None
            if self._compiler is None:
                vocab = self.model.config.vocab_size
                info = xgr.TokenizerInfo.from_huggingface(
                    self.tokenizer, vocab_size=vocab, stop_token_ids=sorted(self.eos_ids))
                self._compiler = xgr.GrammarCompiler(info)
            self._grammars[schema] = self._compiler.compile_json_schema(
                schema, any_whitespace=False, strict_mode=True)
        return self._grammars[schema]

    @property
    def eos_ids(self) -> set[int]:
        ids = self.model.generation_config.eos_token_id
        ids = ids if isinstance(ids, list) else [ids] if ids is not None else []
        return set(ids) | {self.tokenizer.eos_token_id}

    @torch.inference_mode()
    def generate_ids(
        self,
        prompts: Sequence[list[int]],
        max_new_tokens: int | Sequence[int] = 512,
        schema: str | Sequence[str] | None = None,
        share_prefix: bool = True,
        temperature: float = 0.0,
        seeds: Sequence[int] | None = None,
        on_token: Callable[[int], None] | None = None,
        ignore_eos: bool = False,
        slots: int | None = None,
    ) -> list[Generation]:
        """Decode a batch of token prompts.

        ``max_new_tokens`` is one budget or one per prompt. With ``share_prefix`` the tokens
        every prompt starts with run once. ``schema`` constrains every row to one JSON Schema,
        or each row to its own when a list is given. Rows leave the batch as they finish and,
        with ``slots`` below the number of prompts, waiting prompts take their slots
        (continuous batching), so ragged budgets do not decode padding. ``ignore_eos`` decodes
        exactly the budgets (fixed work, for benchmarks). With a static cache every row stays
        in its slot (fixed shapes for CUDA graphs).
        """
        rows, dev = len(prompts), self.device
        budgets = ([max_new_tokens] * rows if isinstance(max_new_tokens, int)
                   else [int(n) for n in max_new_tokens])
        t0 = time.perf_counter()
        # 1. the shared prefix, once, for every slot that will ever be admitted
        shared = _common_prefix(prompts) if share_prefix and rows > 1 else 0
        shared = min(shared, min(len(p) for p in prompts) - 1)  # keep a token per row to run
        prefix = self._prefix(prompts[0][:shared]) if shared > 0 else None
        # 2. the rules every step follows
        stop = set() if ignore_eos else self.eos_ids
        d = Decoding(
            model=self.model, out=[[] for _ in range(rows)], finished=[False] * rows,
            stop_ids=stop,
            constraint=self._constraint(schema, rows), temperature=temperature,
            generators={r: torch.Generator(device=dev).manual_seed(int(s))
                        for r, s in enumerate(seeds or range(rows))} if temperature > 0 else {},
            step=self._step, poll=self.poll, on_token=on_token)
        # 3. admit waiting prompts into free slots; decode; finished rows leave
        waiting = deque(r for r in range(rows) if budgets[r] > 0)
        slots = rows if self.static_cache else max(1, slots or rows)
        batch: Batch | None = None
        while waiting or batch is not None:
            free = slots - (len(batch) if batch else 0)
            if waiting and free > 0:
                take = [waiting.popleft() for _ in range(min(free, len(waiting)))]
                batch = join(batch, self._start(take, prompts, shared, prefix, budgets))
            token = decode_steps(d, batch)
            if self.static_cache:
                batch = batch if any(r is not None for r in batch.requests) else None
            else:
                batch, token = keep(batch, token)
            if batch is not None:
                batch.logits, batch.cache = grow(d, batch, token)
        self.stats.prompt_tokens += sum(len(p) for p in prompts)
        self.stats.new_tokens += sum(len(t) for t in d.out)
        self.stats.seconds += time.perf_counter() - t0
        eos = self.eos_ids
        return [
            Generation(self.tokenizer.decode([t for t in toks if t not in eos],
                                             skip_special_tokens=True), toks, fin)
            for toks, fin in zip(d.out, d.finished, strict=True)
        ]

    def _constraint(self, schema: str | Sequence[str] | None, rows: int) -> Constraint | None:
        if schema is None:
            return None
        schemas = [schema] * rows if isinstance(schema, str) else list(schema)
        return Constraint([self.grammar(s) for s in schemas], self.model.config.vocab_size,
                          threads=max(1, torch.get_num_threads()))

    def _prefix(self, ids: list[int]) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """K/V of the shared prefix, one row, to be viewed (not copied) by every slot."""
        dev = self.device
        x = torch.tensor([ids], device=dev)
        _, cache = prefill(self.model, x, torch.ones_like(x), torch.arange(len(ids), device=dev)[None])
        return [(layer.keys, layer.values) for layer in cache.layers]

    def _start(self, take: list[int], prompts: Sequence[list[int]], shared: int,
               prefix: list | None, budgets: list[int]) -> Batch:
        """Prefill newly admitted requests (after the shared prefix) into a batch of their own."""
        dev = self.device
        if self.static_cache:  # pad the slots to a bucket so compiled graphs are reused
            take = take + [None] * (_bucket(len(take)) - len(take))
        rest = [prompts[take[0] if r is None else r][shared:] for r in take]
        width, k = max(len(r) for r in rest), len(take)
        pad = self.tokenizer.pad_token_id
        ids = torch.tensor([[pad] * (width - len(r)) + r for r in rest], device=dev)
        part = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rest], device=dev)
        mask = torch.cat([torch.ones(k, shared, dtype=part.dtype, device=dev), part], dim=1)
        positions = (shared + part.cumsum(dim=1) - 1).clamp(min=0)
        filled = None
        if self.static_cache:
            length = _bucket_len(shared + width + max(budgets))
            cache = self._static_cache(k, length, prefix)
            filled = mask.shape[1]  # one mask the length of the cache, filled in as we go
            mask = torch.cat([mask, mask.new_zeros(k, length - filled)], dim=1)
        else:
            room = width + max(budgets[r] for r in take) + 1
            cache = _slab_cache(self.model.config, prefix, k, room)
        logits, cache = prefill(self.model, ids, mask, positions, cache)
        left = [0 if r is None else budgets[r] for r in take]
        pads = [0 if shared else width - len(r) for r in rest]
        return Batch(list(take), left, pads, logits, mask, positions[:, -1] + 1, cache, filled)

    def _static_cache(self, rows: int, length: int, prefix: list | None):
        """The preallocated StaticCache for this bucket, reset and reused across calls (the same
        addresses, so CUDA graphs recorded once replay); the prefix written into every row."""
        from transformers import StaticCache

        cache = self._caches.get((rows, length))
        if cache is None:
            cache = self._caches[(rows, length)] = StaticCache(config=self.model.config,
                                                               max_cache_len=length)
        else:
            cache.reset()
        for layer, (keys, values) in zip(cache.layers, prefix or [], strict=False):
            layer.update(keys.expand(rows, *keys.shape[1:]),  # one write per row, no copy first
                         values.expand(rows, *values.shape[1:]))
        return cache


def _slab_cache(config, prefix: list | None, rows: int, room: int):
    """A dynamic cache of ``SlabLayer`` s with room for ``room`` more columns, holding the
    one-row prefix (if any) in every row: written once per row, never concatenated again."""
    from transformers import DynamicCache
    from transformers.cache_utils import DynamicLayer

    cache = DynamicCache(config=config)
    if not all(type(layer) is DynamicLayer for layer in cache.layers):
        # other layer kinds (sliding windows): their own update, the prefix repeated
        views = [(k.expand(rows, *k.shape[1:]), v.expand(rows, *v.shape[1:]))
                 for k, v in prefix or []]
        return DynamicCache(views, config=config) if views else cache
    cache.layers = [_slab_layer()(room) for _ in cache.layers]
    for layer, (k, v) in zip(cache.layers, prefix or [], strict=False):
        layer.seat(k.expand(rows, *k.shape[1:]), v.expand(rows, *v.shape[1:]), room)
    return cache


def _bucket(rows: int) -> int:
    """Slots rounded up to a power of two: a handful of compiled shapes for any batch."""
    return 1 << (rows - 1).bit_length()


def _bucket_len(length: int, step: int = 256) -> int:
    """Cache length rounded up to a multiple of ``step``."""
    return -(-length // step) * step


def _common_prefix(prompts: Sequence[list[int]]) -> int:
    first = prompts[0]
    n = min(len(p) for p in prompts)
    for i in range(n):
        if any(p[i] != first[i] for p in prompts[1:]):
            return i
    return n
