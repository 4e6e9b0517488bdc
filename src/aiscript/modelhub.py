"""The model registry (``models/registry.json``) and what the local Hugging Face cache holds."""

from __future__ import annotations

import json
import os
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


def missing_path(ref: str | Path) -> bool:
    """True when ``ref`` names a local path that does not exist (a hub id, "owner/name" or a
    bare name, is left for the loader to look up in the cache)."""
    text = str(ref)
    hub_id = text.count("/") <= 1 and not text.startswith(("/", ".", "~"))
    return not Path(text).expanduser().exists() and not hub_id
