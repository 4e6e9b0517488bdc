from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is in the test extra")
def test_code_is_ruff_clean():
    r = subprocess.run(["ruff", "check", "src", "tests", "examples", "benchmarks", "models"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout
