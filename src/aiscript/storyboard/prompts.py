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
    """(name, text) pieces of a frame's prompt, most important first: the frame's staging
    (who is where, in what pose, touching whom, holding what: the shot's blocking) leads, then
    the characters' fixed looks, so a text encoder's token limit cuts the style notes before
    it cuts what this frame shows or a face. A card is a plain title card."""
    if shot.card:
        return [("card", f"plain black title card with white text \"{shot.card}\""),
                ("composition", SAFE_AREA)]
    camera = ", ".join(
        w for w in (SIZE_WORDS[shot.size], ANGLE_WORDS[shot.angle], MOVE_WORDS[shot.movement],
                    f"{shot.lens_mm}mm lens") if w
    )
    place = bible.place_prompts.get(scene.heading.place, scene.heading.place)
    where = f"{'interior' if scene.heading.setting == 'INT' else 'exterior'} {place}"
    parts = [
        ("staging", staging_words(shot, cast)),
        ("characters", "; ".join(c.visual_prompt or c.visual for c in cast)),
        ("camera", camera),
        ("setting", where),
        ("light", LIGHT_WORDS[scene.heading.time]),
        ("style", bible.image_style or bible.visual_style),
        ("composition", SAFE_AREA),
        ("medium", "cinematic micro-drama still"),
    ]
    return [(k, v) for k, v in parts if v]


POSE_WORDS = {"standing": "standing", "sitting": "sitting", "lying": "lying in bed",
              "kneeling": "kneeling", "fallen": "fallen on the floor",
              "held": "held from behind"}
CONTACT_WORDS = {"slap": "slapping", "grab": "grabbing", "knife_at_throat":
                 "holding a knife to the throat of", "embrace": "embracing", "push": "pushing",
                 "kiss": "kissing", "gun_at": "pointing a gun at", "choke": "choking",
                 "support": "helping up", "throw_at": "throwing something in the face of",
                 "behind": "standing right behind"}


def staging_words(shot: Shot, cast: Sequence[Character]) -> str:
    """The shot's blocking in few English words, each person named by the first words of
    their look (image encoders read no names): pose, side of frame, facing, contact, props.

    >>> from aiscript.schema import Blocking, Placement, Prop
    >>> c = Character(id="a", name="陆远", role="ally", visual="v", visual_prompt="man, 28, grey suit",
    ...               color="#000000", seed=0)
    >>> shot = Shot(id="1", size=ShotSize.medium, duration_s=1, characters=["陆远"],
    ...             blocking=Blocking(people=[Placement(name="陆远", x=0.3, facing="right")],
    ...                               props=[Prop(kind="document", label="遗嘱", held_by="陆远")]))
    >>> staging_words(shot, [c])
    'man standing on the left facing right holding a document'
    """
    b = shot.blocking
    if b is None:
        return ""
    looks = {c.name: (c.visual_prompt or "person").split(",")[0].strip() for c in cast}
    if len(set(looks.values())) < len(looks):  # two "man"s: tell them apart by a second word
        looks = {c.name: " ".join(p.strip() for p in (c.visual_prompt or "person").split(",")[:2])
                 for c in cast}
    who = {p.name: looks.get(p.name, "person") for p in b.people}
    bits = []
    for p in b.people:
        if p.foreground:
            bits.append(f"back of {who[p.name]}'s head and shoulder in the foreground")
            continue
        side = "on the left" if p.x < 0.45 else "on the right" if p.x > 0.55 else "in the centre"
        face = f" facing {p.facing}" if p.facing in ("left", "right") else ""
        held = [pr.kind for pr in b.props if pr.held_by == p.name and
                not any(c.by == p.name and c.kind in ("knife_at_throat", "gun_at")
                        for c in b.contacts)]
        hold = f" holding a {' and a '.join(held)}" if held else ""
        bits.append(f"{who[p.name]} {POSE_WORDS[p.pose]} {side}{face}{hold}")
    for c in b.contacts:
        if c.by in who and c.to in who:
            bits.append(f"{who[c.by]} {CONTACT_WORDS[c.kind]} {who[c.to]}")
    loose = [pr.kind for pr in b.props if pr.held_by not in who]
    if loose:
        bits.append(f"a {' and a '.join(loose)} in frame")
    return ", ".join(bits)


def build_prompt(
    bible: SeriesBible, scene: Scene, shot: Shot, cast: Sequence[Character]
) -> str:
    """One comma-separated prompt; character descriptions come first so no encoder cuts them."""
    return ", ".join(text for _, text in prompt_parts(bible, scene, shot, cast))


def fit_prompt(parts: list[tuple[str, str]], count, limit: int = 75) -> tuple[str, list[str]]:
    """Drop the least important parts until ``count(prompt) <= limit``; never the staging
    or the characters.

    Returns the prompt and the names of the parts that were cut, so the cut can be reported.
    """
    kept = list(parts)
    cut: list[str] = []
    keep = sum(1 for name, _ in kept[:2] if name in ("staging", "characters", "card")) or 1
    while len(kept) > keep and count(", ".join(t for _, t in kept)) > limit:
        cut.insert(0, kept.pop()[0])
    return ", ".join(t for _, t in kept), cut
