"""The model registry (``models/registry.json``) and what the local Hugging Face cache holds."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from aiscript.craft import data_dir


@cache
def registry() -> dict[str, list[dict]]:
    return json.loads((data_dir("models") / "registry.json").read_text(encoding="utf-8"))


def cached_ids() -> set[str]:
    """Repo ids in the local hub cache; empty when huggingface_hub is absent or the cache is."""
    try:
        from huggingface_hub import scan_cache_dir

        return {r.repo_id for r in scan_cache_dir().repos}
    except Exception:  # no cache folder yet, or the hub library is not installed
        return set()


def local_only(path: Path) -> bool:
    """Load without touching the network: the model is a local folder, or HF_HUB_OFFLINE is on."""
    return path.exists() or os.environ.get("HF_HUB_OFFLINE", "0").lower() not in ("0", "", "false")


@contextlib.contextmanager
def hub_offline() -> Iterator[None]:
    """Hub ids resolve from the local cache only while inside (aiscript never downloads a
    model); the process's setting is restored on the way out.

    >>> with hub_offline():
    ...     os.environ["HF_HUB_OFFLINE"]
    '1'
    """
    before = os.environ.get("HF_HUB_OFFLINE")
    constants = sys.modules.get("huggingface_hub.constants")  # read once, at its import
    was = getattr(constants, "HF_HUB_OFFLINE", None)
    os.environ["HF_HUB_OFFLINE"] = "1"
    if constants is not None:
        constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = before
        constants = sys.modules.get("huggingface_hub.constants")  # maybe imported inside
        if constants is not None:
            constants.HF_HUB_OFFLINE = was if was is not None else (
                (before or "0").lower() not in ("0", "", "false"))


def missing_path(ref: str | Path) -> bool:
    """True when ``ref`` names a local path that does not exist (a hub id, "owner/name" or a
    bare name, is left for the loader to look up in the cache)."""
    text = str(ref)
    hub_id = text.count("/") <= 1 and not text.startswith(("/", ".", "~"))
    return not Path(text).expanduser().exists() and not hub_id
