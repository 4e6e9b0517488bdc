"""Checks a model before any weights load: a folder or cached hub id that exists and holds what
the loader needs (``model_ref``), a text classifier rather than a causal LM (``classifier``), a
GGUF file given where a folder is expected, a GGUF that cannot be read, a tokenizer without a
chat template (a base model, not an instruct one). Each failure is one line naming the problem
and the fix.

>>> check_chat_model("no/such/dir/model.gguf")
Traceback (most recent call last):
aiscript.errors.AiscriptError: model file no/such/dir/model.gguf does not exist (check the path)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from aiscript.backends.modelhub import local_only, missing_path
from aiscript.errors import AiscriptError, first_line
from aiscript.files import path_error, read_limited

CONVERT = "convert it first: aiscript models gguf FILE DIR (or aiscript models smollm2 DIR)"


def check_gguf(path: str | Path) -> None:
    """A GGUF file that exists and whose header ``gguf`` can read."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise AiscriptError(f"model file {path} does not exist", "check the path")
    try:
        from gguf import GGUFReader
    except ImportError:
        from aiscript.errors import MissingExtra

        raise MissingExtra("reading GGUF files", "llm", "gguf") from None
    try:
        GGUFReader(str(path))
    except Exception as exc:  # truncated or foreign files raise many kinds of errors
        raise AiscriptError(f"{path} is not a readable GGUF file ({first_line(exc)})",
                            "download it again, or pass a transformers model folder") from None


def check_chat_model(model: str | Path) -> None:
    """Refuse, before the weights load, a model the writer cannot chat with."""
    text = str(model)
    if text.lower().endswith(".gguf"):
        check_gguf(text)
        raise AiscriptError(f"{text} is a GGUF file; the writer loads transformers folders",
                            CONVERT)
    if missing_path(text):
        return  # the loader says the path does not exist
    local = Path(text).expanduser()
    try:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(local) if local.exists() else text,
                                                  local_files_only=local_only(local))
    except Exception:  # noqa: BLE001 - the loader reports unreadable models with its own fix
        return
    if not getattr(tokenizer, "chat_template", None):
        raise AiscriptError(
            f"model {text} has no chat template: it looks like a base model, not an instruct "
            "(chat) model", "pass an instruct model, e.g. one written by "
            "`aiscript models smollm2 DIR`, or add a chat_template to its tokenizer_config.json")


def model_ref(option: str, ref: str | Path | None, needs: str = "config.json") -> None:
    """A model given by local folder or hub id: the folder exists and holds ``needs`` and no
    shard index naming files outside it; a hub id is in the local cache (looked up there only:
    the process's hub settings are left as they were)."""
    if ref is None:
        return
    from aiscript.backends.modelhub import missing_path

    text = str(ref)
    local = Path(text).expanduser()
    try:
        exists = local.exists()
    except OSError as exc:
        raise path_error(exc, text) from None
    if not exists and missing_path(text):
        raise AiscriptError(f"{option} {text} does not exist",
                            f"pass a local model folder (with {needs}) or a cached hub id")
    if exists:
        if local.is_file() and local.suffix.lower() == ".gguf":
            return  # a GGUF file: its loader reads and checks it
        if not local.is_dir():
            raise AiscriptError(f"{option} {text} is a file, not a folder",
                                f"pass the model's folder (the one with {needs})")
        if needs and not (local / needs).is_file():
            raise AiscriptError(f"{option} {text} has no {needs}",
                                f"pass the model's folder (the one with {needs})")
        shards_inside(option, local)
        return
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(text, needs or "config.json")
    except Exception:  # noqa: BLE001 - an id the hub library rejects is not cached either
        found = None
    if not isinstance(found, str):
        raise AiscriptError(f"{option} {text} is not in the local cache (and aiscript does not "
                            "download models)",
                            f"download it once (hf download {text}) or pass a local folder")


def shards_inside(option: str, folder: Path) -> None:
    """Every weight file a shard index names lies inside the model folder."""
    root = folder.resolve()
    for index in [*folder.glob("*.index.json"), *folder.glob("*/*.index.json")]:
        try:
            data = json.loads(read_limited(index, 50_000_000))
            files = set(data.get("weight_map", {}).values())
        except (AiscriptError, ValueError, AttributeError, RecursionError):
            raise AiscriptError(f"{option}: {index} is not a readable shard index",
                                "check the model folder") from None
        for name in files:
            target = (index.parent / str(name)).resolve()
            if not target.is_relative_to(root) or os.path.isabs(str(name)):
                raise AiscriptError(f"{option}: {index.name} names a weight file outside the "
                                    f"model folder ({str(name)[:80]})",
                                    "use a model whose files are all inside its folder")


def classifier(option: str, path: Path | None) -> None:
    """A text classifier for ``--scorer``, not a causal LM: read from its config."""
    if path is None:
        return
    try:
        model_ref(option, path)
    except AiscriptError as exc:
        raise AiscriptError(f"cannot load the scorer model: {exc.problem}", exc.fix) from None
    local = Path(path).expanduser()
    if not local.is_dir():
        return  # a cached hub id: the loader checks the head
    try:
        archs = json.loads(read_limited(local / "config.json", 5_000_000)).get("architectures")
    except (ValueError, AttributeError, RecursionError):
        raise AiscriptError(f"{option} {path}: config.json is not readable",
                            "pass a text-classification model folder") from None
    if archs and not any(str(a).endswith("ForSequenceClassification") for a in archs):
        raise AiscriptError(f"{option} {path} is a {archs[0]}, not a text classifier",
                            "pass a sentiment (sequence-classification) model folder")
