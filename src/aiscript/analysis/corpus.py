"""Labelled corpora for training and measuring the craft judgement.

Two shapes of labels folder are read:

- a JSONL of DramaBench-style records (``dev.jsonl``: ``id``, ``context``, ``continuation``)
  with ``labels.json`` holding ``{"id", "hook": {"present", "kind", "why"},
  "cliffhanger": {...}, "pivots": [...]}`` per record; the script is
  ``context + "\\n\\n" + continuation``;
- script files with ``labels.json`` holding ``{"file", "hook", "cliffhanger"}`` per file
  (booleans or the objects above), and optionally ``"id"`` naming the script a file renders
  (two layouts of one script share an id, and a cross-validation fold).

>>> items = load_labels(Path(__file__).parents[3] / "tests" / "data" / "labelled")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aiscript.analysis.formats import Script, read_path, read_text
from aiscript.errors import AiscriptError


@dataclass
class Labelled:
    """One labelled script."""

    name: str
    group: str  # scripts with one group are one story (kept in one fold)
    script: Script
    hook: bool
    cliffhanger: bool
    hook_kind: str | None = None
    cliffhanger_kind: str | None = None
    pivots: list[dict] | None = None
    extra: dict = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.script.language


def _verdict(value) -> tuple[bool, str | None]:
    if isinstance(value, dict):
        return bool(value["present"]), value.get("kind")
    return bool(value), None


def dramabench_script(record: dict) -> str:
    """The script text of a DramaBench record."""
    return record["context"] + "\n\n" + record["continuation"]


def load_labels(folder: str | Path) -> list[Labelled]:
    """Every labelled script in a folder (see the module docstring for the shapes)."""
    folder = Path(folder)
    labels_path = folder / "labels.json"
    if not labels_path.is_file():
        raise AiscriptError(f"{folder}: no labels.json", "give a folder with labels.json")
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    records = {}
    for jsonl in sorted(folder.glob("*.jsonl")):
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                records[rec["id"]] = rec
    out = []
    for lb in labels:
        if "file" in lb:
            script = read_path(folder / lb["file"])
            name = lb["file"]
        else:
            if lb["id"] not in records:
                raise AiscriptError(f"{labels_path}: {lb['id']} has no record in a .jsonl",
                                    "add the record or remove the label")
            name = lb["id"]
            script = read_text(dramabench_script(records[lb["id"]]), f"{lb['id']}.fountain")
        hook, hook_kind = _verdict(lb["hook"])
        cliff, cliff_kind = _verdict(lb["cliffhanger"])
        out.append(Labelled(name, str(lb.get("id", name)), script, hook, cliff, hook_kind,
                            cliff_kind, lb.get("pivots"), lb))
    return out


def default_corpora(root: str | Path | None = None) -> dict[str, Path]:
    """The labelled sets kept in a source checkout, by name."""
    base = Path(root) if root else Path(__file__).resolve().parents[3] / "tests" / "data"
    sets = {"dramabench-en": base / "dramabench", "dramabench-zh": base / "dramabench" / "zh",
            "labelled": base / "labelled"}
    return {k: v for k, v in sets.items() if (v / "labels.json").is_file()}


# --------------------------------------------------------------------------- the split

SPLIT = Path(__file__).resolve().parents[3] / "tests" / "data" / "split.json"


def load_split(path: Path = SPLIT) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def part(tagged: Sequence[tuple[str, Labelled]], split: dict, which: str,
         ) -> list[tuple[str, Labelled]]:
    """``dev``, ``test`` (held-out stories of the sets the cues were written on), ``unseen``
    (whole sets added after the cues were frozen) or ``retired`` (unseen sets scored once and
    read for development after that)."""
    test, unseen = set(split["test"]), set(split.get("unseen", []))
    retired = set(split.get("retired", {}))
    out = []
    for name, it in tagged:
        where = ("retired" if name in retired else "unseen" if name in unseen
                 else "test" if it.group in test else "dev")
        if where == which:
            out.append((name, it))
    return out
