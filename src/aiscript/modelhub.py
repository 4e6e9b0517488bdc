"""The model registry (``models/registry.json``) and what the local Hugging Face cache holds."""

from __future__ import annotations

import json
from functools import cache

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
