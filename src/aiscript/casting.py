"""Casting an imported script: its characters from the cues, each with a fixed look drawn as
the writers draw them, or from a cast file the user gives (names, looks, reference images,
seeds), so every frame keeps their faces and costumes.

A cast file is JSON or YAML: a list of entries, or ``{"characters": [...]}``. Each entry needs
a ``name``; ``look`` (the look in the script's language), ``look_en`` (for image models),
``reference`` (an image, relative to the cast file), ``seed``, ``role``, ``gender``, ``color``
and ``voice`` are optional. ``aiscript storyboard`` writes the cast it used as ``cast.json``
in that shape, ready to edit and pass back with ``--cast``.

>>> from aiscript.readers import read_text
>>> drafts = read_text("1-1 日 内 办公室\\n林晚：我不干了。\\n顾言：她说什么？\\n林晚：再见。", "ep.txt")
>>> [(c.name, c.role) for c in cast_from_drafts(drafts).characters]
[('林晚', 'protagonist'), ('顾言', 'love_interest')]
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from aiscript.errors import AiscriptError
from aiscript.schema import Character, EpisodeDraft, Language, Model

ROLES_BY_RANK = ("protagonist", "love_interest", "antagonist")  # then everyone is an ally
_DEFAULT_GENDER = {"protagonist": "female", "love_interest": "male", "antagonist": "female"}


class CastEntry(Model):
    """One character in a cast file."""

    name: str = Field(min_length=1)
    look: str = ""
    look_en: str = ""
    reference: str | None = None
    seed: int | None = Field(default=None, ge=0)
    role: Literal["protagonist", "love_interest", "antagonist", "ally", "rival", "elder"] | None = None
    gender: Literal["female", "male", "unknown"] | None = None
    color: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    voice: str = ""


class Cast(Model):
    """The characters of a storyboard, and the reference image each one has (name -> path)."""

    characters: list[Character]
    references: dict[str, str] = {}

    def entries(self) -> list[dict]:
        """The cast as cast-file entries (what ``--cast`` reads back)."""
        return [{"name": c.name, "role": c.role, "gender": c.gender, "look": c.visual,
                 "look_en": c.visual_prompt, "seed": c.seed, "color": c.color, "voice": c.voice,
                 **({"reference": self.references[c.name]} if c.name in self.references else {})}
                for c in self.characters]


def read_cast_file(path: str | Path) -> list[CastEntry]:
    """Entries of a JSON or YAML cast file; reference paths made absolute and checked."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AiscriptError(f"cast file {path}: cannot read ({exc.strerror})",
                            "check the --cast path") from None
    except UnicodeDecodeError:
        raise AiscriptError(f"cast file {path}: not UTF-8 text", "save it as UTF-8") from None
    data = _load_mapping(text, path)
    items = data.get("characters") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise AiscriptError(f"cast file {path}: no characters listed",
                            'give a list of {"name": ..., "look": ...} entries')
    entries = []
    for i, item in enumerate(items):
        try:
            entry = CastEntry.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise AiscriptError(f"cast file {path}: entry {i + 1} ({where}: {first['msg']})",
                                "each entry needs a name; see `aiscript storyboard --help`") from None
        if entry.reference:
            ref = (path.parent / entry.reference).resolve()
            if not ref.is_file():
                raise AiscriptError(f"cast file {path}: reference image {entry.reference} of "
                                    f"{entry.name} not found", "fix the path (relative to the cast file)")
            entry.reference = str(ref)
        entries.append(entry)
    return entries


def _load_mapping(text: str, path: Path):
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise AiscriptError(f"cast file {path}: invalid YAML ({str(exc).splitlines()[0]})",
                                "fix the YAML") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AiscriptError(f"cast file {path}: invalid JSON at line {exc.lineno}: {exc.msg}",
                            "fix the JSON (or name it .yaml for YAML)") from None


def cast_from_drafts(drafts: list[EpisodeDraft], entries: list[CastEntry] | None = None) -> Cast:
    """Everyone who speaks or is listed in a scene's cast, ranked by how many lines they have;
    a cast-file entry fixes what it gives, generated looks fill the rest."""
    lang: Language = drafts[0].language
    given = {e.name: e for e in entries or []}
    counts = Counter(el.line.speaker for d in drafts for sc in d.scenes for el in sc.elements
                     if el.line)
    listed = [n for d in drafts for sc in d.scenes for n in sc.characters]
    names = sorted(dict.fromkeys([*counts, *listed]), key=lambda n: -counts[n])
    names += [n for n in given if n not in names]
    if not names:
        raise AiscriptError(f"{drafts[0].series_title}: no characters found (no cues, no cast lists)",
                            "give a --cast file naming the characters")
    text = "\n".join(el.action for d in drafts for sc in d.scenes for el in sc.elements)
    characters, used_ids = [], set()
    for rank, name in enumerate(names):
        entry = given.get(name) or CastEntry(name=name)
        role = entry.role or (ROLES_BY_RANK[rank] if rank < len(ROLES_BY_RANK) else "ally")
        gender = entry.gender or guess_gender(name, text, lang) or _DEFAULT_GENDER.get(role, "unknown")
        taken = frozenset(c.visual_prompt for c in characters)
        characters.append(_character(entry, _id(name, rank, used_ids), role, gender, lang, rank,
                                     taken))
    refs = {e.name: e.reference for e in given.values() if e.reference}
    return Cast(characters=characters, references=refs)


def _character(entry: CastEntry, cid: str, role: str, gender: str, lang: Language,
               rank: int, taken: frozenset[str]) -> Character:
    from aiscript.craft import load_cast_pools
    from aiscript.writing.cast import dress_character

    # the same name gets the same look in every run and every file
    rng = random.Random(zlib.crc32(entry.name.encode()))
    colors = load_cast_pools().colors
    color = (entry.color or (colors[rank] if rank < len(colors) else
                             "#%06x" % (zlib.crc32(entry.name.encode()) & 0xFFFFFF))).lower()
    c = dress_character(cid, entry.name, role, gender, lang, rng, color, taken)
    update: dict = {}
    if entry.look:
        update |= {"visual": entry.look, "visual_prompt": entry.look_en or
                   (entry.look if lang == "en" else "")}
    elif entry.look_en:
        update["visual_prompt"] = entry.look_en
    if entry.seed is not None:
        update["seed"] = entry.seed
    if entry.voice:
        update["voice"] = entry.voice
    return c.model_copy(update=update)


def _id(name: str, rank: int, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or f"c{rank + 1:02d}"
    cid, k = base, 2
    while cid in used:
        cid, k = f"{base}_{k}", k + 1
    used.add(cid)
    return cid


_MALE_WORDS = {"man", "boy", "mr", "sir", "father", "dad", "brother", "king", "prince", "uncle",
               "husband", "guy", "grandpa", "lord", "monsieur"}
_FEMALE_WORDS = {"woman", "girl", "mrs", "ms", "miss", "madam", "mother", "mom", "sister",
                 "queen", "princess", "aunt", "wife", "lady", "grandma"}


def guess_gender(name: str, text: str, lang: Language) -> str | None:
    """From words in the name (``MAN``, ``小姐``), else the pronouns in the sentences that name
    the character; None when neither tells.

    >>> guess_gender("BRICK", "Brick sits. He drinks his beer.", "en")
    'male'
    """
    words = set(re.findall(r"[a-z]+", name.lower()))
    if words & _MALE_WORDS or re.search(r"[先哥爷叔伯父兄弟]生?$|^老?[爸爹]", name):
        return "male"
    if words & _FEMALE_WORDS or re.search(r"[姐妹妈娘婶姑嫂奶婆]$|小姐$|太太$|夫人$", name):
        return "female"
    sentences = re.split(r"(?<=[。！？.!?])\s*", text)
    near = []
    for i, s in enumerate(sentences):
        if (name in s) if lang == "zh" else re.search(rf"\b{re.escape(name)}\b", s, re.I):
            near.append(s + " " + (sentences[i + 1] if i + 1 < len(sentences) else ""))
    blob = " ".join(near).lower()
    if lang == "zh":
        he, she = blob.count("他"), blob.count("她")
    else:
        he = len(re.findall(r"\b(?:he|him|his|himself)\b", blob))
        she = len(re.findall(r"\b(?:she|her|hers|herself)\b", blob))
    if he > she:
        return "male"
    if she > he:
        return "female"
    return None
