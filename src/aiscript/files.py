"""Safe files: atomic writes, sanitised names, bounded reads, and output folders that aiscript
owns (a marker written first), locks (one writer per folder) and never clobbers.

An output folder belongs to aiscript only when it carries ``.aiscript.json``; ``--resume``
refuses any other non-empty folder, and only ever removes the temporary files aiscript itself
names (``.<name>.aiscript-<random>.tmp``).
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import functools
import json
import os
import re
import socket
import stat
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aiscript.errors import AiscriptError, invalid_where

_UNSAFE = re.compile(r"[^\w\u3400-\u9fff.-]+")
MARKER = ".aiscript.json"
LOCK = ".aiscript.lock"
TEMP_TAG = ".aiscript-"
_TEMP_NAME = re.compile(r"^\..*\.aiscript-[A-Za-z0-9_]{8}\.tmp$")
_LOCK_NAME = re.compile(r"^\.aiscript(\.[\w-]+)?\.lock$")


def _is_ours(name: str) -> bool:
    """aiscript's marker and lock files (the only files an empty output folder may hold)."""
    return name == MARKER or bool(_LOCK_NAME.match(name))


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


@functools.cache
def _umask() -> int:
    """The process umask, read once (``os.umask`` can only be read by setting it)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_temp_name(name: str) -> bool:
    """True for the temporary names ``write_atomic`` makes, and only those.

    >>> is_temp_name(".ep001.json.aiscript-k2j4_x9q.tmp"), is_temp_name(".notes.tmp")
    (True, False)
    """
    return bool(_TEMP_NAME.match(name))


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file.
    The file gets the mode a plain ``open`` would give (0666 less the umask)."""
    return write_atomic_chunks(path, [data.encode("utf-8") if isinstance(data, str) else data])


def write_atomic_chunks(path: str | Path, chunks) -> Path:
    """``write_atomic`` for data too big to hold in memory: ``chunks`` (an iterable of bytes)
    go to a temporary file beside ``path``, renamed into place only when all were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:80]}{TEMP_TAG}",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------- bounded reads


def read_limited(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; FIFOs, devices, sockets and
    folders are refused before anything is read, and never more than ``limit + 1`` bytes are.

    >>> read_limited("/dev/zero", 100)
    Traceback (most recent call last):
    ...
    aiscript.errors.AiscriptError: /dev/zero: is a device, not a file (give a regular file)
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise AiscriptError(f"{path}: cannot read ({exc.strerror or exc})",
                            path_error(exc, path, what).fix) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)"
                    if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                    else "a device")
            raise AiscriptError(f"{path}: is {kind}, not a file",
                                f"give a regular {what}" if what != "file" else "give a regular file")
        if st.st_size > limit:
            raise too_big(path, st.st_size, limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # grew while reading, or a /proc file that reports size 0
            raise too_big(path, size, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise path_error(exc, path, what) from None
    finally:
        os.close(fd)


def too_big(path: Path, size: int, limit: int) -> AiscriptError:
    return AiscriptError(f"{path}: over the {_human(limit)} limit ({_human(size)} or more)",
                         "split it into smaller files")


def _human(n: int) -> str:
    return f"{n / 1e6:.3g} MB" if n >= 1_000_000 else f"{n / 1000:.3g} kB"


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(raw: bytes, source: str | Path, what: str = "file") -> str:
    """UTF-8 (with or without BOM), or UTF-16/32 with a BOM; anything else named for what it is.

    >>> decode_text("林晚".encode("utf-16"), "a.txt")
    '林晚'
    >>> decode_text("ab".encode("utf-16-le"), "a.txt")
    Traceback (most recent call last):
    ...
    aiscript.errors.AiscriptError: a.txt: UTF-16 text without a byte-order mark (save it as UTF-8)
    """
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is None and raw[:1] != b"\x00" and b"\x00" not in raw[:8192]:
        encoding = "utf-8"
    if encoding is None:
        head = raw[:8192]
        if len(head) >= 2 and head[1::2].count(0) > 0.4 * len(head) // 2 or \
                head[0::2].count(0) > 0.4 * len(head) // 2:
            raise AiscriptError(f"{source}: UTF-16 text without a byte-order mark",
                                "save it as UTF-8")
        raise AiscriptError(f"{source}: binary file, not text", f"give a text {what}")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise AiscriptError(f"{source}: not UTF-8 text", "save it as UTF-8") from None
    if "\x00" in text:
        raise AiscriptError(f"{source}: binary file, not text", f"give a text {what}")
    return text


def read_text_limited(path: str | Path, limit: int, what: str = "file") -> str:
    """``read_limited`` then ``decode_text``: one bounded way to read a user's text file."""
    return decode_text(read_limited(path, limit, what), path, what)


MAX_JSON_DEPTH = 64


def json_depth_ok(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """True when no array/object nests deeper than ``max_depth`` (a linear scan, strings
    skipped), so parsers never recurse without bound.

    >>> json_depth_ok("[" * 65 + "]" * 65), json_depth_ok('{"a": "[[[["}', 2)
    (False, True)
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if text.count("[") + text.count("{") <= max_depth:
        return True
    depth, in_str, esc = 0, False, False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def load_json_or_yaml(text: str, path: Path, what: str) -> Any:
    """A settings file's data: YAML for ``.yaml``/``.yml``, JSON otherwise, errors named
    ("``what`` PATH: invalid YAML (...)")."""
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise AiscriptError(f"{what} {path}: invalid YAML ({str(exc).splitlines()[0]})",
                                "fix the YAML") from None
    return load_json(text, f"{what} {path}", "fix the JSON (or name it .yaml for YAML)")


def load_json(text: str | bytes, source: str | Path, fix: str = "fix the JSON") -> Any:
    """``json.loads`` with the nesting depth and number sizes bounded, errors named."""
    if not json_depth_ok(text):
        raise AiscriptError(f"{source}: JSON nested deeper than {MAX_JSON_DEPTH} levels", fix)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AiscriptError(f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: "
                            f"{exc.msg}", fix) from None
    except (ValueError, RecursionError) as exc:  # a number over Python's digit limit
        raise AiscriptError(f"{source}: invalid JSON ({str(exc)[:80]})", fix) from None


M = TypeVar("M")


def validate_json(model: type[M], raw: str | bytes, source: str | Path, what: str,
                  fix: str) -> M:
    """A pydantic model from JSON text with the depth guard; errors name the file and field."""
    from pydantic import ValidationError

    if not json_depth_ok(raw):
        raise AiscriptError(f"{source}: JSON nested deeper than {MAX_JSON_DEPTH} levels", fix)
    try:
        return model.model_validate_json(raw)  # type: ignore[attr-defined]
    except ValidationError as exc:
        raise AiscriptError(f"{source}: not {what} ({invalid_where(exc)[:160]})", fix) from None


def path_error(exc: OSError, path: str | Path | None = None, what: str = "file") -> AiscriptError:
    """An OSError as one line naming the path, with the fix its errno calls for."""
    where = path if path is not None else (exc.filename or "")
    reason = exc.strerror or type(exc).__name__
    fix = {
        errno.ENOENT: "check the path",
        errno.EACCES: "check the permissions, or choose a path you can read and write",
        errno.EPERM: "check the permissions, or choose a path you can read and write",
        errno.EROFS: "choose a folder on a writable disk",
        errno.ENOSPC: "free some disk space (or choose another disk), then rerun with --resume",
        errno.EDQUOT: "free some disk space (or choose another disk), then rerun with --resume",
        errno.ENAMETOOLONG: "use a shorter name (at most 255 bytes per folder or file name)",
        errno.EISDIR: f"give a {what}, not a folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
        errno.ELOOP: "the path has a symbolic-link loop: check the path",
        errno.EMFILE: "close other programs or raise the open-files limit (ulimit -n)",
    }.get(exc.errno or 0, "check the path and the disk")
    return AiscriptError(f"{where}: {reason}" if where else reason, fix)


# --------------------------------------------------------------------------- output folders


@dataclass
class _Claim:
    """One output folder this process writes: its lock, and the folders it created."""

    key: tuple[Path, str]
    folder: Path
    fd: int
    lock: str
    created: list[Path] = field(default_factory=list)
    depth: int = 1


_HELD: dict[tuple[Path, str], _Claim] = {}
_SCOPE: contextvars.ContextVar[list[_Claim] | None] = contextvars.ContextVar("aiscript_claims",
                                                                             default=None)


def lock_holder(folder: Path, lock: str = LOCK) -> str:
    """Who holds ``folder``'s lock, in words, from the lock file."""
    try:
        info = json.loads((folder / lock).read_text(encoding="utf-8"))
        since = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(float(info["started"])))
        return f"pid {int(info['pid'])} on {str(info['host'])[:64]}, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def _lock(folder: Path, lock: str = LOCK) -> int:
    """Take ``folder/.aiscript.lock``: an flock (released by the kernel when its holder dies, so
    a killed run's stale lock is simply taken over) on a file naming the holder."""
    import fcntl

    path = folder / lock
    for _ in range(20):
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AiscriptError(
                f"{folder} is in use by another aiscript run ({lock_holder(folder, lock)})",
                "wait for it to finish, or choose another --out") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a lock file its last holder unlinked while we were opening it
            info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
            return fd
        os.close(fd)
    raise AiscriptError(f"{folder}: cannot take the lock", "try again")


def _release(claim: _Claim, failed: bool = False) -> None:
    claim.depth -= 1
    if claim.depth > 0:
        return
    _HELD.pop(claim.key, None)
    if failed and claim.created and _only_ours(claim.folder):
        with contextlib.suppress(OSError):
            (claim.folder / MARKER).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        (claim.folder / claim.lock).unlink(missing_ok=True)
    os.close(claim.fd)
    if failed:  # a failed run leaves no empty folder behind
        for d in reversed(claim.created):
            with contextlib.suppress(OSError):
                d.rmdir()


def _only_ours(folder: Path) -> bool:
    try:
        return all(_is_ours(p.name) for p in folder.iterdir())
    except OSError:
        return False


def owns_outputs(fn: Callable) -> Callable:
    """Decorator: output folders claimed during the call are unlocked when it returns, and
    removed again when it fails before writing anything into them."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        claims: list[_Claim] = []
        token = _SCOPE.set(claims)
        failed = True
        try:
            result = fn(*args, **kwargs)
            failed = False
            return result
        finally:
            _SCOPE.reset(token)
            for claim in reversed(claims):
                _release(claim, failed)

    return wrapper


def is_owned(folder: str | Path) -> bool:
    """True when ``folder`` carries aiscript's marker."""
    try:
        return (Path(folder) / MARKER).is_file()
    except OSError:
        return False


def _listing(folder: Path) -> list[str]:
    try:
        return [p.name for p in folder.iterdir()]
    except OSError as exc:
        raise path_error(exc, folder, "folder") from None


def prepare_output_dir(out: str | Path, resume: bool = False, kind: str = "run",
                       lock: str = LOCK) -> Path:
    """Create or claim ``out`` for writing, and lock it for this process.

    A new or empty folder gets aiscript's marker first. A non-empty folder is refused unless
    ``resume`` is set and the folder carries the marker; resuming removes only the temporary
    files aiscript's own atomic writes left behind. Nothing else is ever deleted. The lock
    (``lock``, a file name in ``out``) is released when the enclosing ``owns_outputs`` call
    returns, or at exit.
    """
    out = Path(out)
    if str(out) == "":
        raise AiscriptError("the output folder is empty", "pass a folder name to --out")
    redo = "choose a new --out, or pass --resume to finish a run in it" if kind != "model" \
        else "choose a new folder"
    try:
        key = (out.resolve(), lock)
    except (OSError, RuntimeError) as exc:
        raise AiscriptError(f"{out}: not a usable folder ({exc})", "check the path") from None
    held = _HELD.get(key)
    if held is not None:  # this process already holds it (batch then run in one folder)
        held.depth += 1
        _register(held)
        return out
    created: list[Path] = []
    try:
        if out.exists() and not out.is_dir():
            raise AiscriptError(f"output path {out} exists and is not a folder",
                                "pass a folder to --out")
        _check_claimable(out, resume, redo)
        created = _make_dirs(out)
        fd = _lock(out, lock)
    except (OSError, AiscriptError) as exc:
        for d in reversed(created):
            with contextlib.suppress(OSError):
                d.rmdir()
        if isinstance(exc, AiscriptError):
            raise
        e = path_error(exc, out, "folder")
        raise AiscriptError(f"cannot write to output directory {out}: {exc.strerror or exc}",
                            e.fix if exc.errno != errno.ENOENT else
                            "choose a --out you can write to") from None
    claim = _Claim(key=key, folder=out, fd=fd, lock=lock, created=created)
    _HELD[key] = claim
    try:
        _check_claimable(out, resume, redo)  # again, now that we hold the lock
        if not is_owned(out):
            write_atomic(out / MARKER, json.dumps({"owner": "aiscript", "kind": kind}) + "\n")
        elif resume:
            remove_stale_temp_files(out)
    except BaseException:
        _release(claim, failed=True)
        raise
    _register(claim)
    return out


def _check_claimable(out: Path, resume: bool, redo: str) -> None:
    if not out.is_dir():
        return
    names = [n for n in _listing(out) if not _is_ours(n)]
    if not names:
        return
    if not resume:
        raise AiscriptError(f"output directory {out} already exists and is not empty", redo)
    if not is_owned(out):
        raise AiscriptError(
            f"{out} was not made by aiscript (no {MARKER} in it), so --resume will not touch it",
            "choose a new --out; aiscript only resumes into folders it created")


def _make_dirs(out: Path) -> list[Path]:
    """mkdir -p, returning the folders it created, outermost first."""
    missing = []
    p = out
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    out.mkdir(parents=True, exist_ok=True)
    return list(reversed(missing))


def _register(claim: _Claim) -> None:
    scope = _SCOPE.get()
    if scope is not None:
        scope.append(claim)
    else:  # no owns_outputs around the call: hold it until the process ends
        import atexit

        atexit.register(_release, claim)


def remove_stale_temp_files(folder: Path) -> int:
    """Delete the temporary files a killed run left behind in an aiscript folder: only names
    ``write_atomic`` makes, never through symbolic links, never in sub-folders that belong to
    another owner (another aiscript run's marker, or none when ``folder`` is a batch root)."""
    if not is_owned(folder):
        return 0
    count = 0
    batch_root = _marker_kind(folder) == "batch"
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        dirs[:] = [] if batch_root else [d for d in dirs if not (here / d / MARKER).exists()]
        for name in files:
            p = here / name
            if is_temp_name(name) and p.is_file() and not p.is_symlink():
                p.unlink(missing_ok=True)
                count += 1
    return count


def _marker_kind(folder: Path) -> str:
    try:
        return str(json.loads((folder / MARKER).read_text(encoding="utf-8")).get("kind", ""))
    except (OSError, ValueError, AttributeError):
        return ""
