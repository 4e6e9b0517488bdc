"""Shot -> image prompt: camera language, each character's fixed look, setting, light, style.

Prompts are written in English whatever the script's language, since the common image models'
text encoders are English CLIP models; character looks are kept verbatim.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiscript.schema import Angle, Character, Movement, Scene, SeriesBible, Shot, ShotSize

SIZE_WORDS = {
    ShotSize.extreme_close_up: "extreme close-up",
    ShotSize.close_up: "close-up",
    ShotSize.medium_close_up: "medium close-up",
    ShotSize.medium: "medium shot",
    ShotSize.medium_wide: "medium wide cowboy shot",
    ShotSize.wide: "wide shot",
    ShotSize.extreme_wide: "extreme wide establishing shot",
    ShotSize.over_the_shoulder: "over-the-shoulder shot",
    ShotSize.two_shot: "two-shot",
    ShotSize.insert: "insert shot of an object",
}
ANGLE_WORDS = {
    Angle.eye_level: "eye level",
    Angle.high: "high angle",
    Angle.low: "low angle",
    Angle.birds_eye: "bird's-eye view",
    Angle.dutch: "dutch angle",
}
MOVE_WORDS = {
    Movement.static: "",
    Movement.push_in: "slow push-in",
    Movement.pull_out: "pull-out",
    Movement.pan: "panning",
    Movement.tilt: "tilting",
    Movement.dolly: "dolly shot",
    Movement.handheld: "handheld camera",
}
LIGHT_WORDS = {"DAY": "daylight", "NIGHT": "night, low-key light", "DAWN": "dawn light",
               "DUSK": "golden-hour dusk"}
SAFE_AREA = "vertical 9:16 composition, subject in upper two-thirds, empty lower fifth for subtitles"


def prompt_parts(
    bible: SeriesBible, scene: Scene, shot: Shot, cast: Sequence[Character]
) -> list[tuple[str, str]]:
    """(name, text) pieces of a frame's prompt, most important first: the characters' fixed
    looks lead, so a text encoder's token limit cuts the style notes before it cuts a face."""
    camera = ", ".join(
        w for w in (SIZE_WORDS[shot.size], ANGLE_WORDS[shot.angle], MOVE_WORDS[shot.movement],
                    f"{shot.lens_mm}mm lens") if w
    )
    place = bible.place_prompts.get(scene.heading.place, scene.heading.place)
    where = f"{'interior' if scene.heading.setting == 'INT' else 'exterior'} {place}"
    parts = [
        ("characters", "; ".join(c.visual_prompt or c.visual for c in cast)),
        ("camera", camera),
        ("setting", where),
        ("light", LIGHT_WORDS[scene.heading.time]),
        ("style", bible.image_style or bible.visual_style),
        ("composition", SAFE_AREA),
        ("medium", "cinematic micro-drama still"),
    ]
    return [(k, v) for k, v in parts if v]


def build_prompt(
    bible: SeriesBible, scene: Scene, shot: Shot, cast: Sequence[Character]
) -> str:
    """One comma-separated prompt; character descriptions come first so no encoder cuts them."""
    return ", ".join(text for _, text in prompt_parts(bible, scene, shot, cast))


def fit_prompt(parts: list[tuple[str, str]], count, limit: int = 75) -> tuple[str, list[str]]:
    """Drop the least important parts until ``count(prompt) <= limit``; never the characters.

    Returns the prompt and the names of the parts that were cut, so the cut can be reported.
    """
    kept = list(parts)
    cut: list[str] = []
    while len(kept) > 1 and count(", ".join(t for _, t in kept)) > limit:
        cut.insert(0, kept.pop()[0])
    return ", ".join(t for _, t in kept), cut
