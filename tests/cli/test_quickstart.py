"""The README's quick start, pasted into a fresh shell: clone, cd, venv, install, run.

The block runs as written, in a temporary clone of this repository (its committed state), with
two stand-ins a test needs: ``<repository-url>`` is this checkout, and ``python3 -m venv``
makes its venv with the dependencies already installed here visible (system site packages plus
this environment's), so ``pip install -e`` has nothing to download but its build backend."""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def quick_start_block() -> str:
    """The first ```bash block under '## Quick start'."""
    section = README.read_text(encoding="utf-8").split("## Quick start", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def _python3_shim(bin_dir: Path) -> None:
    """``python3`` as this interpreter; ``python3 -m venv DIR`` adds --system-site-packages and
    a .pth naming this environment's site-packages (a venv made from a venv sees only the base
    interpreter's packages otherwise)."""
    here = [p for p in site.getsitepackages() if Path(p).is_dir()]
    rel = Path(sysconfig.get_path("purelib")).relative_to(sysconfig.get_path("data"))
    pth = "\\n".join(here)
    bin_dir.mkdir()
    shim = bin_dir / "python3"
    shim.write_text(f"""#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  shift 2
  {sys.executable} -m venv --system-site-packages "$@" || exit $?
  for last in "$@"; do :; done
  printf '{pth}\\n' > "$last/{rel}/_test_parent_env.pth"
  exit 0
fi
exec {sys.executable} "$@"
""")
    shim.chmod(0o755)


# pip's words when it cannot reach an index: the install cannot run here, which is no failure
NO_INDEX = ("No matching distribution found", "Could not find a version that satisfies",
            "Failed to establish a new connection", "Network is unreachable",
            "Temporary failure in name resolution")


def test_the_readme_quick_start_runs_pasted_into_a_fresh_shell(tmp_path):
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("git and bash are needed to clone and run the quick start")
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"],
                      capture_output=True).returncode != 0:
        pytest.skip("not a git checkout: nothing to clone")
    block = quick_start_block()
    assert "<repository-url>" in block and "python3 -m venv" in block
    _python3_shim(tmp_path / "bin")
    script = "set -e\n" + block.replace("<repository-url>", str(ROOT))
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path),
           "LANG": "C.UTF-8", "OMP_NUM_THREADS": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           **{k: v for k, v in os.environ.items() if k.startswith("PIP_")}}
    work = tmp_path / "shell"
    work.mkdir()
    r = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True,
                       text=True, timeout=900)
    if r.returncode != 0 and any(s in r.stderr for s in NO_INDEX):
        pytest.skip("pip cannot reach a package index for the build backend (hatchling) here")
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-4000:])
    clone = work / "aiscript"
    assert (clone / ".venv/bin/aiscript").is_file(), "aiscript is installed in the venv"
    out = clone / "out"  # the README says where output goes
    for rel in ("series.json", "episodes/ep001.json", "episodes/ep003.txt",
                "storyboards/ep001/contact_sheet.html", "storyboards/ep001/contact_sheet.pdf",
                "storyboards/ep001/1-1-1.png", "shotlist.csv"):
        assert (out / rel).is_file(), rel
    # the summary line the README shows
    assert re.search(r": 3 episodes, \d+ frames -> out\n", r.stdout), r.stdout
    assert "闪婚" in r.stdout


def readme_test_command() -> str:
    section = README.read_text(encoding="utf-8").split("### Tests", 1)[1]
    return re.search(r"```bash\n(.*?)\n```", section, re.S).group(1).strip()


def test_ci_runs_the_readmes_test_command():
    command = readme_test_command()
    assert command.startswith("pip install torch==2.13.0 && ")
    assert command in (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()


def test_every_install_line_in_the_readme_pins_torch_first():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    commands = [ln for b in blocks for ln in b.splitlines()] + re.findall(r"`([^`\n]+)`", text)
    for line in (c for c in commands if "pip install" in c):
        if "torch" in line or re.search(r"\[(test|full|llm|diffusion|constrained|edit)", line):
            assert "pip install torch==2.13.0 && " in line, line


def test_the_readmes_batch_example_is_a_valid_premises_file(tmp_path):
    from aiscript.batch import read_jobs

    section = README.read_text(encoding="utf-8").split("### Many series", 1)[1]
    example = re.search(r"```json\n(.*?)```", section, re.S).group(1)
    (tmp_path / "premises.jsonl").write_text(example, encoding="utf-8")
    lines = read_jobs(tmp_path / "premises.jsonl")
    assert [ln.error for ln in lines] == [None] * 3
