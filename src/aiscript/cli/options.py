"""The command line's options, checked at its edge: in range, paths and models that exist, all
before any heavy work, each failure one ``AiscriptError`` naming the option and the fix.
(``aiscript.drafting.checks`` is another thing: the checks on generated text.)

>>> parse_size("512x896")
(512, 896)
>>> at_least("--steps", 0)
Traceback (most recent call last):
...
aiscript.errors.AiscriptError: --steps must be at least 1, not 0 (pass --steps 1 or more)
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from pathlib import Path

from aiscript.errors import AiscriptError
from aiscript.files import path_error

MAX_SIDE = 4096
NAME_MAX = 255
PATH_OPTIONS = ("--out", "-o", "--plot", "--series", "--clip", "--scorer", "--model",
                "--image-model", "--ip-adapter")


def at_least(option: str, value: int | None, minimum: int = 1) -> None:
    """``value`` (when given) is an integer of at least ``minimum``."""
    if value is not None and value < minimum:
        raise AiscriptError(f"{option} must be at least {minimum}, not {value}",
                            f"pass {option} {minimum} or more")


def guidance(value: float | None) -> None:
    """A finite guidance scale, 0 or more (0 turns guidance off)."""
    if value is not None and not (math.isfinite(value) and 0 <= value <= 100):
        raise AiscriptError(f"--guidance must be a number from 0 to 100, not {value}",
                            "pass e.g. --guidance 7 (or 0 for turbo models)")


def parse_size(text: str | None) -> tuple[int, int] | None:
    """'WxH' -> (W, H), both multiples of 8 between 8 and 4096 (what the diffusion VAEs take).

    >>> parse_size("100000x100000")
    Traceback (most recent call last):
    ...
    aiscript.errors.AiscriptError: --size 100000x100000: each side must be from 8 to 4096 pixels (pass e.g. --size 512x896)
    """
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{1,9})\s*[x×X]\s*(\d{1,9})\s*", text)
    if not m:
        raise AiscriptError(f"--size {text!r} is not WxH", "pass e.g. --size 512x896")
    w, h = int(m.group(1)), int(m.group(2))
    if not (8 <= w <= MAX_SIDE and 8 <= h <= MAX_SIDE):
        raise AiscriptError(f"--size {text}: each side must be from 8 to {MAX_SIDE} pixels",
                            "pass e.g. --size 512x896")
    if w % 8 or h % 8:
        raise AiscriptError(f"--size {text}: both sides must be multiples of 8",
                            "pass e.g. --size 512x896")
    return w, h


def references(items: Sequence[str] | None) -> dict[str, str] | None:
    """``--reference NAME=IMAGE`` (repeated) -> {name: image}; None when none are given.

    >>> references(["林晚=refs/linwan.png"])
    {'林晚': 'refs/linwan.png'}
    """
    refs = {}
    for item in items or []:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise AiscriptError(f"--reference {item!r} is not NAME=IMAGE",
                                "pass e.g. --reference 林晚=refs/linwan.png")
        refs[name] = path
    return refs or None


def device(name: str | None) -> None:
    """``--device`` names a device this machine has (cpu, cuda, cuda:N, mps)."""
    if name is None or name == "cpu":
        return
    m = re.fullmatch(r"(cuda|mps)(?::(\d{1,3}))?", name)
    if not m:
        raise AiscriptError(f"--device {name!r} is not a device aiscript can use",
                            "pass --device cpu, cuda, cuda:N or mps")
    import torch

    if m.group(1) == "cuda":
        if not torch.cuda.is_available():
            raise AiscriptError(f"--device {name}: CUDA is not available on this machine "
                                f"(torch {torch.__version__})",
                                "use --device cpu, or install a CUDA build of torch")
        count = torch.cuda.device_count()
        if m.group(2) is not None and int(m.group(2)) >= count:
            raise AiscriptError(f"--device {name}: this machine has {count} CUDA device(s)",
                                f"pass --device cuda:0 ... cuda:{count - 1}")
    elif not torch.backends.mps.is_available():
        raise AiscriptError(f"--device {name}: MPS is not available on this machine",
                            "use --device cpu")


def out_path(path: Path | None, option: str = "--out") -> None:
    """An output path with no component over the file system's name limit."""
    if path is None:
        return
    for part in Path(path).parts:
        if len(os.fsencode(part)) > NAME_MAX:
            raise AiscriptError(
                f"{option}: the name {part[:40]}... is {len(os.fsencode(part))} bytes, too long "
                f"(at most {NAME_MAX})", "use a shorter folder name")


def empty_path_values(argv: Sequence[str]) -> None:
    """``--out ''`` would mean the current folder: refuse an empty value for a path option."""
    for i, arg in enumerate(argv):
        name, eq, value = arg.partition("=")
        if name not in PATH_OPTIONS:
            continue
        if (eq and not value) or (not eq and i + 1 < len(argv) and argv[i + 1] == ""):
            raise AiscriptError(f"{name} is empty", f"pass a path to {name}")


def existing_file(option: str, path: Path | None) -> None:
    """``path`` (when given) is a file that exists."""
    if path is None:
        return
    try:
        if not path.exists():
            raise AiscriptError(f"{option} {path} does not exist", "check the path")
        if path.is_dir():
            raise AiscriptError(f"{option} {path} is a folder", f"pass a file to {option}")
    except OSError as exc:
        raise path_error(exc, path) from None


def not_a_folder(option: str, path: Path | None) -> None:
    """An output file path that is not an existing folder."""
    if path is not None and path.is_dir():
        raise AiscriptError(f"{option} {path} is a folder", f"pass a file name to {option}, "
                            "e.g. curve.png")


def ip_adapter(path: str | None) -> None:
    if path is None:
        return
    if not Path(path).expanduser().exists():
        raise AiscriptError(f"--ip-adapter {path} does not exist",
                            "pass an IP-Adapter folder or .safetensors file")


def empty_folders(paths: Sequence[Path]) -> None:
    """A folder given to ``analyze`` must hold at least one script."""
    from aiscript.script import SUFFIXES, expand_paths

    for p in paths:
        if p.is_dir() and not expand_paths([p]):
            raise AiscriptError(f"no scripts in {p} ({', '.join(SUFFIXES)})",
                                "pass a folder with scripts, or the script files")


def episode_numbers(paths: Sequence[Path], numbers: Sequence[int]) -> None:
    """Episodes storyboarded together have distinct numbers (their frames share a folder)."""
    seen: dict[int, Path] = {}
    for p, n in zip(paths, numbers, strict=False):
        if n in seen:
            raise AiscriptError(f"{seen[n]} and {p} are both numbered {n}: their frames would "
                                "overwrite each other", "storyboard them into separate --out folders")
        seen[n] = p


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: object) -> str:
    r"""Text for the terminal: rich markup escaped, control characters shown, not sent.

    >>> print(terminal_safe("\x1b[31mred [bold]"))
    \x1b[31mred \[bold]
    """
    from rich.markup import escape

    return escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text)))
