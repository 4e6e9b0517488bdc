"""Checks a model for the writer before any weights load: a GGUF file given where a folder is
expected, a GGUF that cannot be read, a tokenizer without a chat template (a base model, not an
instruct one). Each failure is one line naming the problem and the fix.

>>> check_chat_model("no/such/dir/model.gguf")
Traceback (most recent call last):
aiscript.errors.AiscriptError: model file no/such/dir/model.gguf does not exist (check the path)
"""

from __future__ import annotations

from pathlib import Path

from aiscript.backends.modelhub import local_only, missing_path
from aiscript.errors import AiscriptError, first_line

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
