"""Safe writing: atomic files, sanitised names, output folders that are never clobbered."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from aiscript.errors import AiscriptError

_UNSAFE = re.compile(r"[^\w\u3400-\u9fff.-]+")


def safe_name(text: str, max_len: int = 60, default: str = "untitled") -> str:
    """A file-name stem from generated text: no separators, no dot-files, no control chars.

    >>> safe_name("../../etc/passwd")
    'etc_passwd'
    >>> safe_name("顾总的秘密：第一集")
    '顾总的秘密_第一集'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _UNSAFE.sub("_", text).strip("._")
    text = re.sub(r"_+", "_", text)[:max_len].strip("._")
    return text or default


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def prepare_output_dir(out: str | Path, resume: bool = False) -> Path:
    """Create ``out``; refuse a non-empty one unless resuming into it. Never deletes anything."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise AiscriptError(f"output path {out} exists and is a file", "pass a folder to --out")
    if out.is_dir() and any(out.iterdir()) and not resume:
        raise AiscriptError(
            f"output directory {out} already exists and is not empty",
            "choose a new --out, or pass --resume to finish a run in it",
        )
    if resume and out.is_dir():
        remove_stale_temp_files(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".aiscript-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise AiscriptError(
            f"cannot write to output directory {out}: {exc.strerror or exc}",
            "choose a --out you can write to",
        ) from None
    return out


def remove_stale_temp_files(folder: Path) -> int:
    """Delete the temporary files a killed run left behind (``.<name>.<random>.tmp``)."""
    count = 0
    for path in folder.rglob(".*.tmp"):
        if path.is_file():
            path.unlink(missing_ok=True)
            count += 1
    return count
