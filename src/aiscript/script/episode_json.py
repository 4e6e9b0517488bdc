"""The project's own JSON -> ``EpisodeDraft``s: an ``Episode`` (as ``aiscript run`` writes it),
an ``EpisodeDraft``, or a list of either.

>>> from aiscript.schema import Episode
>>> [d] = read_episode_json(Episode.example().model_dump_json())
>>> d.scenes[0].elements[0].line.text
'这份工作，我不干了。'
"""

from __future__ import annotations

from pydantic import ValidationError

from aiscript.errors import AiscriptError, invalid_where
from aiscript.schema import Episode, EpisodeDraft, SceneDraft, ScriptElement


def load_json_episodes(text: str, source: str = "<json>") -> list[Episode | EpisodeDraft]:
    """Every Episode or EpisodeDraft the JSON holds, validated."""
    from aiscript.files import load_json

    data = load_json(text, source, "fix the JSON, or export the episode again")  # depth-bounded
    items = data if isinstance(data, list) else [data]
    out: list[Episode | EpisodeDraft] = []
    for i, item in enumerate(items):
        model = EpisodeDraft if isinstance(item, dict) and _is_draft(item) else Episode
        try:
            out.append(model.model_validate(item))
        except ValidationError as exc:
            at = f"item {i}: " if isinstance(data, list) else ""
            raise AiscriptError(f"{source}: {at}not an {model.__name__} ({invalid_where(exc)})",
                                "see `aiscript schema Episode` for the expected shape") from None
    if not out:
        raise AiscriptError(f"{source}: an empty list", "give one or more episodes")
    return out


def _is_draft(item: dict) -> bool:
    scenes = item.get("scenes") or [{}]
    return isinstance(scenes[0], dict) and "elements" in scenes[0]


def to_draft(ep: Episode) -> EpisodeDraft:
    """An episode back to scenes of beats: a shot's action goes with its first line, every
    further line is its own element."""
    scenes = []
    for sc in ep.scenes:
        elements = []
        for sh in sc.shots:
            source = sh.source_lines[0] if sh.source_lines else None
            lines = list(sh.lines) or [None]
            for k, line in enumerate(lines):
                action = sh.action if k == 0 else ""
                if not action.strip() and line is None:
                    continue
                elements.append(ScriptElement(action=action, line=line, beat=sh.beat if k == 0
                                              else None, characters=sh.characters,
                                              source_line=source))
        if elements:
            scenes.append(SceneDraft(number=sc.number, heading=sc.heading,
                                     characters=sc.characters, elements=elements))
    return EpisodeDraft(series_title=ep.series_title, number=ep.number, title=ep.title,
                        language=ep.language, scenes=scenes)


def read_episode_json(text: str, source: str = "<json>") -> list[EpisodeDraft]:
    """Episodes from the project's JSON, as drafts; see the module doc."""
    return [e if isinstance(e, EpisodeDraft) else to_draft(e)
            for e in load_json_episodes(text, source)]
