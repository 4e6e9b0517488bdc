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
from collections.abc import Iterable
from pathlib import Path

from aiscript.errors import AiscriptError
from aiscript.schema import EpisodeDraft

MAX_BYTES = 2_000_000  # one limit for every caller: storyboard, analyser, library
# the script files every caller reads, in the order a folder prefers them when several share a
# name (ep001.json over ep001.fountain over ep001.txt)
SUFFIXES = (".json", ".fountain", ".spmd", ".fdx", ".txt", ".md")

_ZH_SIGNS = re.compile(
    r"^[^\S\n]*(?:#*[^\S\n]*EP\s*\d+\s*[-_]\s*SC\s*\d+|第?[^\S\n]*\d+[^\S\n]*[-－—–][^\S\n]*\d+(?=[\s日夜内外]|$)|[△▲]|"
    r"(?:出场人物|人物)\s*[:：]|第\s*[0-9一二三四五六七八九十百]+\s*集|【)", re.M | re.I)
_ZH_LINE = re.compile(r"^[^\S\n]*[\u4e00-\u9fff]{1,6}[^\S\n]*(?:[（(][^）)\n]{0,16}[）)][^\S\n]*)?(?:(?:OS|VO)[^\S\n]*)?[:：][^\S\n]*\S", re.M)
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
    from aiscript.files import decode_text, read_limited

    path = Path(path)
    raw = read_limited(path, MAX_BYTES + 1, "script")  # FIFOs and devices refused, reads bounded
    if len(raw) > MAX_BYTES:
        raise AiscriptError(f"{path}: {len(raw) // 1024} KiB is over the "
                            f"{MAX_BYTES // 1_000_000} MB limit for a script",
                            "split it into one file per episode")
    # UTF-8 (BOM or not) or UTF-16/32 with a BOM; UTF-16 without one and binaries named
    text = decode_text(raw, path, "script (.fountain, .txt/.md 短剧, .fdx or .json)")
    if not text.strip():
        raise AiscriptError(f"{path}: empty script", "give a file with a script in it")
    return text


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders become their script files (``SUFFIXES``), sorted by name, each
    episode once: of files that share a name (``ep001.json``, ``ep001.fountain``,
    ``ep001.txt``) the JSON is read, then the Fountain, then the rest. What aiscript writes
    beside the scripts (review/, writing.json, cast.json, series.json, storyboards, the batch
    manifest) and a folder's README or LICENSE are not scripts.

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> for n in ("ep001.json", "ep001.fountain", "ep002.fountain", "series.json", "README.md"): _ = (d / n).write_text("x")
    >>> [p.name for p in expand_paths([d])]
    ['ep001.json', 'ep002.fountain']
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file()
                           and f.suffix.lower() in SUFFIXES
                           and not f.name.startswith(("series", "storyboard", "."))
                           and f.name not in ("writing.json", "cast.json")
                           and not re.match(r"(?:readme|license|licence|changelog)\b", f.name, re.I)
                           and not re.fullmatch(r"manifest(\.\d+of\d+)?\.json", f.name)
                           and "review" not in f.relative_to(p).parts[:-1])
            best: dict[Path, Path] = {}
            for f in found:
                key = f.with_suffix("")
                if key not in best or _rank(f) < _rank(best[key]):
                    best[key] = f
            out += sorted(best.values())
        else:
            out.append(p)
    return out


def _rank(path: Path) -> int:
    return SUFFIXES.index(path.suffix.lower())


def script_format(text: str, source: str = "") -> str:
    """``fountain``, ``duanju``, ``transcript``, ``fdx`` or ``json``: by extension, then by content.

    >>> script_format("## EP001-SC001 内 · 咖啡馆 · 夜\\n林晚：走。", "a.md")
    'duanju'
    >>> script_format("EXT. PATIO - DAY\\n\\nSTEEL\\nBeer's ready!\\n", "notes.txt")
    'fountain'

    A text file that opens with a bracket is JSON only if it parses as JSON objects; otherwise
    it is a script whose first line is a bracketed stage direction:

    >>> script_format("[Jon walks out into the snow.]\\nJON: Ghost!", "e10.txt")
    ''
    """
    suffix = Path(source).suffix.lower()
    head = text.lstrip()[:2000]
    if suffix == ".fdx" or head.startswith("<?xml") or "<FinalDraft" in head:
        return "fdx"
    if suffix == ".json" or (head[:1] in ("{", "[") and _episode_json(text)):
        return "json"
    if suffix in (".fountain", ".spmd"):
        return "fountain"
    chinese = re.search(r"[\u4e00-\u9fff]", text) is not None
    if not chinese:
        from aiscript.script.transcript import is_transcript

        if is_transcript(text):
            return "transcript"
    said = len(_ZH_LINE.findall(text)) if chinese else 0
    if chinese and (_ZH_SIGNS.search(text) or said >= 2
                    or (said and said > 0.3 * sum(1 for ln in text.splitlines() if ln.strip()))):
        return "duanju"
    if _FOUNTAIN_SIGNS.search(text):
        return "fountain"
    return ""


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise(text: str) -> str:
    """Zero-width characters dropped and the Kangxi radicals some editors type for characters
    (⽇ for 日, ⼈ for 人) read as the characters, so headings and cues match.

    >>> normalise("场1-1 \u2f47 内 飞机头等舱\u200b")
    '场1-1 日 内 飞机头等舱'
    """
    import unicodedata

    text = text.translate(_INVISIBLE)
    if re.search(r"[\u2e80-\u2fdf]", text):
        text = re.sub(r"[\u2e80-\u2fdf]", lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return text


def _episode_json(text: str) -> bool:
    """Whether text parses as JSON objects (an object, or a list of them): the project's
    episode JSON, or JSON that its reader will name the problem of. A bracketed stage direction
    at the top of a text script is no JSON."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    items = data if isinstance(data, list) else [data]
    return all(isinstance(it, dict) for it in items)


def read_text(text: str, source: str = "<script>", prose: bool = False) -> list[EpisodeDraft]:
    """Read script text; ``source`` names it in errors and its extension picks the reader.
    ``prose``: text in no script layout is read as prose (quoted speech, sentences of action)
    rather than refused (the analyser reads anything; the storyboard wants a script)."""
    if not text.strip():
        raise AiscriptError(f"{source}: empty script", "give a file with a script in it")
    text = normalise(text)
    kind = script_format(text, source)
    if kind == "fdx":
        from aiscript.script.fdx import read_fdx

        return read_fdx(text, source)
    if kind == "json":
        from aiscript.script.episode_json import read_episode_json

        return read_episode_json(text, source)
    from aiscript.script.front_matter import set_aside

    if not set_aside(text).text.strip():
        raise AiscriptError(f"{source}: only a title, synopsis or notes, no scenes",
                            "give the script itself (scenes, action, dialogue)")
    if kind == "transcript":
        from aiscript.script.transcript import read_transcript

        return read_transcript(text, source)
    if kind == "fountain":
        from aiscript.script.fountain import read_fountain

        return read_fountain(text, source)
    if kind == "duanju":
        from aiscript.script.duanju import read_duanju

        return read_duanju(text, source)
    if prose:
        from aiscript.script.prose import read_prose

        return read_prose(text, source)
    raise AiscriptError(
        f"{source}: unknown script layout (no scene headings, cues or 短剧 markers found)",
        "give Fountain (INT. PLACE - DAY, CHARACTER cues), a 短剧 layout "
        "(1-1 日 内 地点 / 名字：台词), Final Draft .fdx or Episode JSON")


__all__ = ["MAX_BYTES", "SUFFIXES", "expand_paths", "load_text", "read_script", "read_text", "script_format"]
