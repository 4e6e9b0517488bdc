"""Text generation on Hugging Face transformers: load a local causal LM safely, then decode
batches, optionally sharing the prompt prefix they have in common and constraining every row
to a JSON Schema with xgrammar.

The generation core is a handful of short functions (``prefill``, ``decode_one_token``,
``decode``) that a reader can follow top to bottom.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from aiscript.errors import AiscriptError, MissingExtra, first_line
from aiscript.modelhub import local_only, missing_path


@dataclass
class Generation:
    text: str
    tokens: list[int]
    finished: bool  # reached EOS (or the grammar's end) before max_new_tokens


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    new_tokens: int = 0
    seconds: float = 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.new_tokens / self.seconds if self.seconds else 0.0


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


def prefill(model, ids: torch.Tensor, mask: torch.Tensor, positions: torch.Tensor, cache=None):
    """Run the prompt (or the part after a cached prefix); return last-position logits."""
    out = model(input_ids=ids, attention_mask=mask, position_ids=positions,
                past_key_values=cache, use_cache=True)
    return out.logits[:, -1, :].float(), out.past_key_values


def decode_one_token(model, token: torch.Tensor, mask: torch.Tensor, position: torch.Tensor, cache):
    """One step for every row: feed the last token, return the next logits."""
    out = model(input_ids=token[:, None], attention_mask=mask, position_ids=position[:, None],
                past_key_values=cache, use_cache=True)
    return out.logits[:, -1, :].float(), out.past_key_values


class Constraint:
    """One xgrammar matcher per row, each from its row's compiled JSON Schema."""

    def __init__(self, compiled: list, vocab_size: int) -> None:
        import xgrammar as xgr

        self.xgr = xgr
        self.matchers = [xgr.GrammarMatcher(c) for c in compiled]
        self.bitmask = xgr.allocate_token_bitmask(len(compiled), vocab_size)
        self.vocab_size = vocab_size

    def mask(self, logits: torch.Tensor, active: list[int]) -> torch.Tensor:
        for i in active:
            self.matchers[i].fill_next_token_bitmask(self.bitmask, i)
        cpu = logits.to("cpu")
        self.xgr.apply_token_bitmask_inplace(cpu, self.bitmask, indices=active)
        return cpu.to(logits.device)

    def accept(self, row: int, token: int) -> bool:
        """Advance a row; True when its grammar has finished."""
        m = self.matchers[row]
        if not m.accept_token(token):
            raise RuntimeError("the grammar rejected a token it had allowed")
        return m.is_terminated()


def choose(logits: torch.Tensor, temperature: float, generators: list[torch.Generator] | None):
    """Greedy at temperature 0, else sampling with each row's own generator."""
    if temperature <= 0:
        return logits.argmax(dim=-1)
    probs = torch.softmax(logits / temperature, dim=-1).cpu()
    return torch.stack([
        torch.multinomial(probs[i], 1, generator=generators[i] if generators else None)[0]
        for i in range(probs.shape[0])
    ]).to(logits.device)


def decode(
    model, logits: torch.Tensor, cache, mask: torch.Tensor, next_pos: torch.Tensor,
    max_new_tokens: int, eos_ids: set[int], constraint: Constraint | None = None,
    temperature: float = 0.0, generators: list[torch.Generator] | None = None,
    on_token: Callable[[int], None] | None = None, filled: int | None = None,
    step: Callable = decode_one_token,
) -> tuple[list[list[int]], list[bool]]:
    """The decode loop: choose, record, stop finished rows, step the model.

    With a static cache, ``mask`` is preallocated to the cache length and ``filled`` says how
    many positions are in use: every step then has the same shapes (CUDA-graph friendly).
    """
    rows = logits.shape[0]
    out: list[list[int]] = [[] for _ in range(rows)]
    done = [False] * rows
    pad = max(0, next(iter(eos_ids)))
    for _ in range(max_new_tokens):
        active = [i for i in range(rows) if not done[i]]
        if constraint is not None:
            logits = constraint.mask(logits, active)  # only tokens the schema allows
        token = choose(logits, temperature, generators)
        for i in active:
            t = int(token[i])
            out[i].append(t)
            grammar_done = constraint.accept(i, t) if constraint is not None else False
            if t in eos_ids or grammar_done:
                done[i] = True
        if on_token:
            on_token(len(active))
        if all(done):
            break
        token = torch.where(torch.tensor(done, device=token.device), pad, token)
        if filled is None:
            mask = torch.cat([mask, mask.new_ones(rows, 1)], dim=1)
        else:
            mask[:, filled] = 1  # in place: the static cache's mask keeps its shape
            filled += 1
        logits, cache = step(model, token, mask, next_pos, cache)
        next_pos = next_pos + 1
    return out, done


# --------------------------------------------------------------------------- the generator


class TransformersGenerator:
    """``TextGenerator`` over a transformers causal LM.

    >>> gen = TransformersGenerator.from_pretrained("path/to/model")   # doctest: +SKIP
    >>> gen.generate(["Write a hook."], max_new_tokens=32)[0].text      # doctest: +SKIP
    """

    name = "transformers"

    def __init__(self, model, tokenizer, static_cache: bool = False, compile: bool = False) -> None:
        """``static_cache`` preallocates the KV cache to prompt + new tokens so every decode
        step has the same shapes; ``compile`` then hands the one-token step to torch.compile
        (CUDA graphs on GPU). Both are off by default and checked against the plain path."""
        self.model, self.tokenizer = model, tokenizer
        self.static_cache = static_cache or compile
        self._step = decode_one_token
        if compile:
            mode = "reduce-overhead" if self.device.type == "cuda" else None
            self._step = torch.compile(decode_one_token, mode=mode, dynamic=False)
        self.stats = GenerationStats()
        self._compiler = None
        self._grammars: dict[str, Any] = {}

    @classmethod
    def from_pretrained(cls, path_or_id: str | Path, static_cache: bool = False,
                        compile: bool = False, **kw) -> TransformersGenerator:
        return cls(*load_causal_lm(path_or_id, **kw), static_cache=static_cache, compile=compile)

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
        max_new_tokens: int = 512,
        schema: str | Sequence[str] | None = None,
        share_prefix: bool = True,
        temperature: float = 0.0,
        seeds: Sequence[int] | None = None,
        on_token: Callable[[int], None] | None = None,
        ignore_eos: bool = False,
    ) -> list[Generation]:
        """Decode a batch of token prompts. With ``share_prefix`` the tokens every prompt starts
        with run once and their KV cache is repeated for the batch. ``schema`` constrains every
        row to one JSON Schema, or each row to its own when a list is given. ``ignore_eos``
        decodes exactly ``max_new_tokens`` (fixed work, for benchmarks)."""
        rows = len(prompts)
        dev = self.device
        t0 = time.perf_counter()
        shared = _common_prefix(prompts) if share_prefix and rows > 1 else 0
        shared = min(shared, min(len(p) for p in prompts) - 1)  # keep a token per row to run
        rest = [p[shared:] for p in prompts]
        width = max(len(r) for r in rest)
        cache = None
        if shared > 0:
            # 1. the shared prefix, once, then its cache copied for every row
            ids = torch.tensor([prompts[0][:shared]], device=dev)
            _, cache = prefill(self.model, ids, torch.ones_like(ids),
                               torch.arange(shared, device=dev)[None])
            if not self.static_cache:
                cache.batch_repeat_interleave(rows)
        if self.static_cache:
            cache = _static_cache(self.model, cache, rows, shared + width + max_new_tokens)
        # 2. the rest of each prompt, padded on the left of that part (after the prefix)
        pad = self.tokenizer.pad_token_id
        ids = torch.tensor([[pad] * (width - len(r)) + r for r in rest], device=dev)
        part = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rest], device=dev)
        mask = torch.cat([torch.ones(rows, shared, dtype=part.dtype, device=dev), part], dim=1)
        positions = (shared + part.cumsum(dim=1) - 1).clamp(min=0)
        filled = None
        if self.static_cache:  # one mask the length of the cache, filled in as we go
            filled = mask.shape[1]
            mask = torch.cat([mask, mask.new_zeros(rows, max_new_tokens)], dim=1)
        logits, cache = prefill(self.model, ids, mask, positions, cache)
        # 3. decode, constrained to the schema when one is given
        constraint = None
        if schema is not None:
            schemas = [schema] * rows if isinstance(schema, str) else list(schema)
            constraint = Constraint([self.grammar(s) for s in schemas],
                                    self.model.config.vocab_size)
        generators = None
        if temperature > 0:
            generators = [torch.Generator().manual_seed(int(s)) for s in (seeds or range(rows))]
        stop = {-1} if ignore_eos else self.eos_ids
        tokens, done = decode(self.model, logits, cache, mask, positions[:, -1] + 1,
                              max_new_tokens, stop, constraint, temperature, generators,
                              on_token, filled=filled, step=self._step)
        self.stats.prompt_tokens += sum(len(p) for p in prompts)
        self.stats.new_tokens += sum(len(t) for t in tokens)
        self.stats.seconds += time.perf_counter() - t0
        eos = self.eos_ids
        return [
            Generation(self.tokenizer.decode([t for t in toks if t not in eos],
                                             skip_special_tokens=True), toks, fin)
            for toks, fin in zip(tokens, done, strict=True)
        ]


def _static_cache(model, prefix_cache, rows: int, length: int):
    """A StaticCache for ``rows`` x ``length`` positions, holding the shared prefix (if any)
    in every row."""
    from transformers import StaticCache

    cache = StaticCache(config=model.config, max_cache_len=length)
    if prefix_cache is None:
        return cache
    for static, dyn in zip(cache.layers, prefix_cache.layers, strict=True):
        keys = dyn.keys.expand(rows, *dyn.keys.shape[1:])
        values = dyn.values.expand(rows, *dyn.values.shape[1:])
        static.update(keys.contiguous(), values.contiguous())  # writes positions [0, prefix)
    return cache


def _common_prefix(prompts: Sequence[list[int]]) -> int:
    first = prompts[0]
    n = min(len(p) for p in prompts)
    for i in range(n):
        if any(p[i] != first[i] for p in prompts[1:]):
            return i
    return n
