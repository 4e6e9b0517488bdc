"""Character consistency: a reference sheet per character, and, where a local CLIP model is at
hand, how alike each character's frames look (mean pairwise cosine similarity of CLIP image
embeddings across the frames the character leads)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

from aiscript.schema import (
    Character,
    Scene,
    SceneHeading,
    SeriesBible,
    Shot,
    ShotSize,
    Storyboard,
)
from aiscript.storyboard.prompts import prompt_parts
from aiscript.storyboard.renderer import FrameRenderer, FrameSpec


def character_sheet_specs(bible: SeriesBible) -> list[FrameSpec]:
    """One full-figure frame per character, from that character's own seed."""
    specs = []
    for c in bible.characters:
        scene = Scene(number=1, heading=SceneHeading(setting="INT", place="studio", time="DAY"),
                      shots=[Shot(id=f"sheet-{c.id}", size=ShotSize.medium_wide, duration_s=1.0,
                                  characters=[c.name])])
        parts = prompt_parts(bible, scene, scene.shots[0], (c,))
        parts = [parts[0], ("sheet", "character sheet, full body, front view, plain background"),
                 *parts[1:]]
        specs.append(FrameSpec(scene=scene, shot=scene.shots[0], cast=(c,),
                               prompt=", ".join(t for _, t in parts), parts=tuple(parts),
                               seed=c.seed, start_s=0.0, caption=f"{c.name}: {c.visual}"))
    return specs


def render_character_sheets(bible: SeriesBible, renderer: FrameRenderer,
                            folder: str | Path) -> list[Path]:
    import io

    from aiscript.files import write_atomic

    folder = Path(folder)
    paths = []
    for spec, image in zip(character_sheet_specs(bible), renderer.render(
            character_sheet_specs(bible)), strict=True):
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        paths.append(write_atomic(folder / sheet_names(bible.characters)[spec.cast[0].id],
                                  buf.getvalue()))
    return paths


def sheet_names(characters) -> dict[str, str]:
    """Character id -> the file name of its reference sheet: a safe file name of the
    character's name (``陆远.png``, ``JULIAN.png``), distinct within the cast.

    >>> from aiscript.schema import Character
    >>> cs = [Character(id="c01", name="陆远", role="ally", visual="v", color="#000000", seed=0),
    ...       Character(id="c02", name="../x", role="ally", visual="v", color="#000000", seed=0)]
    >>> sheet_names(cs)
    {'c01': '陆远.png', 'c02': 'x.png'}
    """
    from aiscript.files import safe_name

    out, taken = {}, set()
    for c in characters:
        stem = safe_name(c.name, max_len=60, default=c.id)
        name, k = f"{stem}.png", 2
        while name.lower() in taken:
            name, k = f"{stem}_{k}.png", k + 1
        taken.add(name.lower())
        out[c.id] = name
    return out


class ConsistencyScorer:
    """CLIP image embeddings, loaded once for a run: how alike a character looks across the
    frames where it leads."""

    def __init__(self, clip_path: str | Path) -> None:
        from transformers import CLIPImageProcessor, CLIPModel

        self.model = CLIPModel.from_pretrained(str(clip_path), use_safetensors=True,
                                               local_files_only=True).eval()
        self.processor = CLIPImageProcessor.from_pretrained(str(clip_path),
                                                            local_files_only=True)

    def scores(self, board: Storyboard, images: Sequence, cast: Sequence[Character],
               shot_cast: dict[str, list[str]]) -> dict[str, float]:
        """Per character (by name), the mean pairwise cosine similarity of the embeddings of
        the frames it leads (``images``: the board's frames, in memory); characters with one
        frame are left out. The frames are embedded in one batch."""
        import torch

        leads = [(shot_cast.get(f.shot_id) or [None])[0] for f in board.frames]
        scored = [c.name for c in cast if leads.count(c.name) >= 2]
        if not scored:
            return {}
        keep = [i for i, lead in enumerate(leads) if lead in scored]
        with torch.inference_mode():
            pixels = self.processor(images=[images[i].convert("RGB") for i in keep],
                                    return_tensors="pt")["pixel_values"]
            emb = self.model.get_image_features(pixel_values=pixels)
            emb = getattr(emb, "pooler_output", emb)
            emb = torch.nn.functional.normalize(emb, dim=-1)
        out: dict[str, float] = {}
        for name in scored:
            rows = [k for k, i in enumerate(keep) if leads[i] == name]
            sims = [float(emb[i] @ emb[j]) for i, j in itertools.combinations(rows, 2)]
            out[name] = round(sum(sims) / len(sims), 4)
        return out


def consistency_scores(board: Storyboard, folder: str | Path, cast: Sequence[Character],
                       clip_path: str | Path, shot_cast: dict[str, list[str]]) -> dict[str, float]:
    """:meth:`ConsistencyScorer.scores` for one board whose frames are read from ``folder``
    (loads CLIP each call: a run keeps one :class:`ConsistencyScorer`)."""
    from PIL import Image

    images = [Image.open(Path(folder) / f.image) for f in board.frames]
    return ConsistencyScorer(clip_path).scores(board, images, cast, shot_cast)
