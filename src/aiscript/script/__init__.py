"""Script readers: a finished script in any format the project knows -> ``EpisodeDraft``s
(scenes of beats), ready for the one shot planner (``aiscript.shots.planner.plan_episode``).

One module per format: ``fountain`` (.fountain/.spmd), ``duanju`` (the two 短剧 layouts,
.txt/.md), ``fdx`` (Final Draft) and ``episode_json`` (the project's JSON). Every action and
dialogue line keeps its speaker, parenthetical and 1-based source line; a file holding several
episodes (``第1集``, ``EP001``, ``Episode 1``) splits into episodes.

>>> [ep] = read_text("1-1 日 内 总裁办公室\\n△林晚推门而入。\\n林晚：我不干了。", "ep1.txt")
>>> ep.number, [e.line.text for s in ep.scenes for e in s.elements if e.line]
(1, ['我不干了。'])
"""

from __future__ import annotations

import re
from pathlib import Path

from aiscript.errors import AiscriptError
from aiscript.schema import EpisodeDraft

MAX_BYTES = 4_000_000
SUFFIXES = (".fountain", ".spmd", ".txt", ".md", ".fdx", ".json")

_ZH_SIGNS = re.compile(
    r"^[^\S\n]*(?:#*[^\S\n]*EP\s*\d+\s*[-_]\s*SC\s*\d+|第?[^\S\n]*\d+[^\S\n]*[-－—–][^\S\n]*\d+(?=[\s日夜内外]|$)|[△▲]|"
    r"(?:出场人物|人物)\s*[:：]|第\s*[0-9一二三四五六七八九十百]+\s*集|【)", re.M | re.I)
_ZH_LINE = re.compile(r"^[^\S\n]*[\u4e00-\u9fff]{1,6}[^\S\n]*(?:[（(][^）)\n]{0,16}[）)][^\S\n]*)?[:：][^\S\n]*\S", re.M)
_FOUNTAIN_SIGNS = re.compile(
    r"^[^\S\n]*(?:(?:INT|EXT|EST|INT\./EXT|I/E)[ .]|\.[A-Z\u4e00-\u9fff]|@\S|Title[^\S\n]*:|"
    r"[A-Z][A-Z .'\-]{1,30}(?:[^\S\n]*\([^)\n]*\))?[^\S\n]*\n\S)", re.M)  # never across lines: linear


def read_script(path: str | Path) -> list[EpisodeDraft]:
    """Read a script file into episodes, by its extension and, failing that, its content.

    Bad files (missing, empty, binary, not UTF-8, an unknown layout) raise ``AiscriptError``
    with one line naming the file and the problem.
    """
    return read_text(load_text(path), str(path))


def load_text(path: str | Path) -> str:
    """A script file's text, with the checks every format shares (size, binary, UTF-8)."""
    from aiscript.files import read_limited

    path = Path(path)
    raw = read_limited(path, MAX_BYTES + 1, "script")  # FIFOs and devices refused, reads bounded
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        from aiscript.files import decode_text

        raw = decode_text(raw, path, "script").encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise AiscriptError(f"{path}: {len(raw) // 1024} KiB is over the "
                            f"{MAX_BYTES // 1_000_000} MB limit for a script",
                            "split it into one file per episode")
    if b"\x00" in raw[:8192]:
        raise AiscriptError(f"{path}: a binary file, not a script",
                            "give a .fountain, .txt/.md (短剧), .fdx or .json script")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AiscriptError(f"{path}: not UTF-8 text", "save the script as UTF-8") from None
    if not text.strip():
        raise AiscriptError(f"{path}: empty script", "give a file with a script in it")
    return text


def script_format(text: str, source: str = "") -> str:
    """``fountain``, ``duanju``, ``fdx`` or ``json``: by extension, then by content.

    >>> script_format("## EP001-SC001 内 · 咖啡馆 · 夜\\n林晚：走。", "a.md")
    'duanju'
    >>> script_format("EXT. PATIO - DAY\\n\\nSTEEL\\nBeer's ready!\\n", "notes.txt")
    'fountain'
    """
    suffix = Path(source).suffix.lower()
    head = text.lstrip()[:2000]
    if suffix == ".fdx" or head.startswith("<?xml") or "<FinalDraft" in head:
        return "fdx"
    if suffix == ".json" or head[:1] in ("{", "["):
        return "json"
    if suffix in (".fountain", ".spmd"):
        return "fountain"
    chinese = re.search(r"[\u4e00-\u9fff]", text) is not None
    if chinese and (_ZH_SIGNS.search(text) or len(_ZH_LINE.findall(text)) >= 2):
        return "duanju"
    if _FOUNTAIN_SIGNS.search(text):
        return "fountain"
    return ""


def read_text(text: str, source: str = "<script>") -> list[EpisodeDraft]:
    """Read script text; ``source`` names it in errors and its extension picks the reader."""
    if not text.strip():
        raise AiscriptError(f"{source}: empty script", "give a file with a script in it")
    kind = script_format(text, source)
    if kind == "fdx":
        from aiscript.script.fdx import read_fdx

        return read_fdx(text, source)
    if kind == "json":
        from aiscript.script.episode_json import read_episode_json

        return read_episode_json(text, source)
    if kind == "fountain":
        from aiscript.script.fountain import read_fountain

        return read_fountain(text, source)
    if kind == "duanju":
        from aiscript.script.duanju import read_duanju

        return read_duanju(text, source)
    raise AiscriptError(
        f"{source}: unknown script layout (no scene headings, cues or 短剧 markers found)",
        "give Fountain (INT. PLACE - DAY, CHARACTER cues), a 短剧 layout "
        "(1-1 日 内 地点 / 名字：台词), Final Draft .fdx or Episode JSON")


__all__ = ["SUFFIXES", "load_text", "read_script", "read_text", "script_format"]
