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
        show_progress=False,  # its bars go to stdout, as blank lines off a terminal
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
        bos_token_id=None, initializer_range=0.4,  # wide enough that greedy text varies
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


def write_tiny(kind: str, out: str | Path, **options) -> Path:
    """A tiny random model written into ``out`` (a new or empty folder, marked as aiscript's):
    ``llm`` (``family`` qwen2 or llama) or ``sd``."""
    from aiscript.files import prepare_output_dir

    builders = {"llm": build_tiny_llm, "sd": build_tiny_sd}
    out = prepare_output_dir(out, kind="model")
    builders[kind](out, **options)
    return out


def architecture_config(name: str) -> dict:
    """A real architecture config from ``models/configs`` (for benchmarks)."""
    return json.loads((data_dir("models") / "configs" / f"{name}.json").read_text())


def write_clip_tokenizer(out: str | Path) -> Path:
    """A character-level CLIP BPE tokenizer written from scratch (vocab.json + merges.txt)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chars = _byte_chars()
    vocab = chars + [c + "</w>" for c in chars] + ["<|startoftext|>", "<|endoftext|>"]
    (out / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(vocab)}),
                                    encoding="utf-8")
    (out / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    return out


def _byte_chars() -> list[str]:
    """GPT-2/CLIP's printable stand-ins for the 256 byte values."""
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1),
            *range(ord("®"), ord("ÿ") + 1)]
    extra = (b for b in range(256) if b not in keep)
    table = {b: chr(b) for b in keep} | {b: chr(256 + i) for i, b in enumerate(extra)}
    return [table[b] for b in range(256)]


def clip_tokenizer():
    """A CLIPTokenizer over the character-level vocabulary of ``write_clip_tokenizer``."""
    import tempfile

    from transformers import CLIPTokenizer

    with tempfile.TemporaryDirectory() as tmp:
        src = write_clip_tokenizer(tmp)
        return CLIPTokenizer(str(src / "vocab.json"), str(src / "merges.txt"),
                             model_max_length=77)


def _tiny_unet(**family):
    """A two-level UNet (one cross-attention level), shaped like SD's in miniature."""
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel(
        block_out_channels=(8, 16), layers_per_block=1, sample_size=16, in_channels=4,
        out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), norm_num_groups=4, **family,
    )


def _tiny_vae():
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        block_out_channels=[8, 16], in_channels=3, out_channels=3,
        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2,
        latent_channels=4, norm_num_groups=4, sample_size=32,
    )


def build_tiny_sd(out: str | Path, seed: int = 0) -> Path:
    """Write a tiny random Stable Diffusion pipeline (UNet, VAE, CLIP text model, CLIP
    tokenizer, DDIM scheduler) to ``out`` as safetensors, shaped like SD 1.5 in miniature."""
    import torch
    from diffusers import (
        DDIMScheduler,
        StableDiffusionPipeline,
    )
    from transformers import CLIPTextConfig, CLIPTextModel

    out = Path(out)
    torch.manual_seed(seed)
    unet = _tiny_unet(cross_attention_dim=32, attention_head_dim=4)
    vae = _tiny_vae()
    tokenizer = clip_tokenizer()
    text_encoder = CLIPTextModel(CLIPTextConfig(
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, hidden_size=32, intermediate_size=37,
        num_attention_heads=4, num_hidden_layers=2, vocab_size=len(tokenizer),
        max_position_embeddings=77,
    ))
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                              clip_sample=False, set_alpha_to_one=False, steps_offset=1)
    pipe = StableDiffusionPipeline(
        unet=unet, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, scheduler=scheduler,
        safety_checker=None, feature_extractor=None, requires_safety_checker=False,
    )
    pipe.save_pretrained(out, safe_serialization=True)
    return out


def build_tiny_clip(out: str | Path, seed: int = 0) -> Path:
    """A tiny random CLIP model (vision + text) with an image processor, for consistency scores."""
    import torch
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel

    out = Path(out)
    torch.manual_seed(seed)
    config = CLIPConfig(
        text_config=dict(hidden_size=32, intermediate_size=37, num_attention_heads=4,
                         num_hidden_layers=2, vocab_size=600, bos_token_id=0, eos_token_id=1,
                         pad_token_id=1),
        vision_config=dict(hidden_size=32, intermediate_size=37, num_attention_heads=4,
                           num_hidden_layers=2, image_size=32, patch_size=8),
        projection_dim=16,
    )
    CLIPModel(config).save_pretrained(out, safe_serialization=True)
    CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32}
                       ).save_pretrained(out)
    return out


def build_tiny_sdxl(out: str | Path, seed: int = 0) -> Path:
    """A tiny random SDXL pipeline (two CLIP text encoders, text-time conditioning)."""
    import torch
    from diffusers import (
        EulerDiscreteScheduler,
        StableDiffusionXLPipeline,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTextModelWithProjection,
    )

    out = Path(out)
    torch.manual_seed(seed)
    unet = _tiny_unet(  # SDXL's conditioning: both encoders' widths, plus size/crop "time" ids
        cross_attention_dim=64, attention_head_dim=(2, 4), use_linear_projection=True,
        addition_embed_type="text_time", addition_time_embed_dim=8,
        transformer_layers_per_block=(1, 1), projection_class_embeddings_input_dim=6 * 8 + 32,
    )
    vae = _tiny_vae()
    tokenizer = clip_tokenizer()
    config = CLIPTextConfig(
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, hidden_size=32, intermediate_size=37,
        num_attention_heads=4, num_hidden_layers=2, vocab_size=len(tokenizer),
        max_position_embeddings=77, hidden_act="gelu", projection_dim=32,
    )
    pipe = StableDiffusionXLPipeline(
        vae=vae, text_encoder=CLIPTextModel(config),
        text_encoder_2=CLIPTextModelWithProjection(config), tokenizer=tokenizer,
        tokenizer_2=tokenizer, unet=unet,
        scheduler=EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012,
                                         beta_schedule="scaled_linear", steps_offset=1,
                                         timestep_spacing="leading"),
    )
    pipe.save_pretrained(out, safe_serialization=True)
    return out


def build_tiny_ip_adapter(out: str | Path, unet_config: dict, seed: int = 0) -> Path:
    """A tiny random IP-Adapter for a UNet config: ``ip_adapter.safetensors`` (image projection
    + decoupled cross-attention K/V per attention layer, in the layout diffusers loads) and an
    ``image_encoder/`` CLIP vision model whose embedding size matches."""
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    out = Path(out)
    torch.manual_seed(seed)
    cross = unet_config["cross_attention_dim"]
    channels = list(unet_config["block_out_channels"])
    weights: dict[str, torch.Tensor] = {
        "image_proj.proj.weight": torch.randn(cross * 4, cross) * 0.1,  # 4 image tokens
        "image_proj.proj.bias": torch.zeros(cross * 4),
        "image_proj.norm.weight": torch.ones(cross),
        "image_proj.norm.bias": torch.zeros(cross),
    }
    # one K/V pair per cross-attention layer, numbered 1, 3, 5 ... in the UNet's processor order
    key = 1
    for hidden in _cross_attention_widths(unet_config, channels):
        weights[f"ip_adapter.{key}.to_k_ip.weight"] = torch.randn(hidden, cross) * 0.1
        weights[f"ip_adapter.{key}.to_v_ip.weight"] = torch.randn(hidden, cross) * 0.1
        key += 2
    out.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(out / "ip_adapter.safetensors"))
    encoder = CLIPVisionModelWithProjection(CLIPVisionConfig(
        hidden_size=32, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
        image_size=32, patch_size=8, projection_dim=cross))
    encoder.save_pretrained(out / "image_encoder", safe_serialization=True)
    return out


def _cross_attention_widths(unet_config: dict, channels: list[int]) -> list[int]:
    """Hidden width of every cross-attention layer, in the order diffusers lists processors."""
    from diffusers import UNet2DConditionModel

    unet = UNet2DConditionModel.from_config(unet_config)
    widths = []
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue
        if name.startswith("mid_block"):
            widths.append(channels[-1])
        elif name.startswith("up_blocks"):
            widths.append(list(reversed(channels))[int(name[len("up_blocks.")])])
        else:
            widths.append(channels[int(name[len("down_blocks.")])])
    return widths


def build_tiny_sentiment(out: str | Path, seed: int = 0) -> Path:
    """A tiny random BERT sentiment classifier (NEGATIVE / NEUTRAL / POSITIVE) with the local
    BPE tokenizer, for testing model-based emotion scoring."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    out = Path(out)
    tokenizer = build_tokenizer()
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=64, num_labels=3,
                        id2label={0: "NEGATIVE", 1: "NEUTRAL", 2: "POSITIVE"},
                        label2id={"NEGATIVE": 0, "NEUTRAL": 1, "POSITIVE": 2},
                        pad_token_id=tokenizer.pad_token_id, initializer_range=0.5)
    BertForSequenceClassification(config).eval().save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    return out
