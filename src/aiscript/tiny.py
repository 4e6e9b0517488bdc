"""Tiny random models of the real families, built in-process in seconds, for tests and offline
smoke runs. They load through exactly the same code as real checkpoints.

    aiscript models tiny-llm out/tiny-qwen      # Qwen2 causal LM + BPE tokenizer + chat template
"""

from __future__ import annotations

import json
from pathlib import Path

from aiscript.craft import data_dir

# Qwen2-style chat template (ChatML), as the real Qwen2.5 instruct models use.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def _corpus() -> list[str]:
    """Training text for the tokenizer: the seeds (both languages) and JSON punctuation."""
    texts = []
    for path in sorted(data_dir("seeds").glob("*.json")):
        texts.append(path.read_text(encoding="utf-8"))
    texts.append('{"title": "", "beats": [{"action": "", "speaker": "", "line": ""}]}')
    return texts


def build_tokenizer(vocab_size: int = 2000):
    """A byte-level BPE tokenizer trained on the seeds, wrapped as a transformers tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(_corpus(), trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
        bos_token=None, chat_template=CHAT_TEMPLATE,
    )


def build_tiny_llm(out: str | Path, family: str = "qwen2", seed: int = 0, layers: int = 2,
                   hidden: int = 64) -> Path:
    """Write a tiny random causal LM of ``family`` (qwen2 or llama) to ``out`` as safetensors."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

    out = Path(out)
    tokenizer = build_tokenizer()
    common = dict(
        vocab_size=len(tokenizer), hidden_size=hidden, intermediate_size=hidden * 2,
        num_hidden_layers=layers, num_attention_heads=4, num_key_value_heads=2,
        max_position_embeddings=8192, tie_word_embeddings=True,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None,
    )
    if family == "qwen2":
        config, cls = Qwen2Config(**common, rope_theta=1e6), Qwen2ForCausalLM
    elif family == "llama":
        config, cls = LlamaConfig(**common, rope_theta=5e5), LlamaForCausalLM
    else:
        raise ValueError(f"unknown family {family!r}: qwen2 or llama")
    torch.manual_seed(seed)
    model = cls(config).eval()
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    return out


def architecture_config(name: str) -> dict:
    """A real architecture config from ``models/configs`` (for benchmarks)."""
    return json.loads((data_dir("models") / "configs" / f"{name}.json").read_text())
