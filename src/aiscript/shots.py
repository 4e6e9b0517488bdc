"""The shot planner: one layout step from scenes of beats to shots, for written and imported
scripts alike.

Each script element (an action, a line, or both) becomes one shot; its size, angle, move and
lens follow its content: how many characters are in the moment, whether someone speaks,
its emotional intensity, props it turns on, and where it falls in the scene. Variety rules keep
two neighbouring shots from sharing a setup; over-the-shoulder and two-shots only frame two
characters or more.

>>> from aiscript.schema import EpisodeDraft, SceneDraft, SceneHeading, ScriptElement, Line
>>> draft = EpisodeDraft(series_title="示例", number=1, title="辞职", language="zh", scenes=[
...     SceneDraft(number=1, heading=SceneHeading(setting="INT", place="办公室", time="DAY"),
...                characters=["林晚"], elements=[ScriptElement(
...                    action="林晚把辞职信拍在桌上。", characters=["林晚"], beat="hook",
...                    line=Line(speaker="林晚", text="这份工作，我不干了。"))])])
>>> ep = plan_episode(draft)
>>> ep.scenes[0].shots[0].id, ep.scenes[0].shots[0].size.value
('1-1-1', 'close_up')
"""

from __future__ import annotations

from aiscript.schema import (
    Angle,
    Episode,
    EpisodeDraft,
    Movement,
    Scene,
    SceneDraft,
    ScriptElement,
    Shot,
    ShotSize,
)
from aiscript.timing import TimingModel

Setup = tuple[ShotSize, Angle, Movement, int]


def plan_episode(draft: EpisodeDraft, timing: TimingModel | None = None) -> Episode:
    """The episode as shots, timed by the timing model; ids are ``episode-scene-shot``."""
    timing = timing or TimingModel()
    scenes = [_plan_scene(draft.number, sc, timing) for sc in draft.scenes]
    return Episode(series_title=draft.series_title, number=draft.number, title=draft.title,
                   language=draft.language, scenes=scenes)


def _plan_scene(episode: int, scene: SceneDraft, timing: TimingModel) -> Scene:
    shots: list[Shot] = []
    previous: Setup | None = None
    for k, element in enumerate(scene.elements, start=1):
        setup = choose_setup(element, first=k == 1, previous=previous)
        previous = setup
        size, angle, move, lens = setup
        shot = Shot(
            id=f"{episode}-{scene.number}-{k}", size=size, angle=angle, movement=move,
            lens_mm=lens, duration_s=1.0, characters=_in_frame(element), action=element.action,
            lines=[element.line] if element.line else [], beat=element.beat,
            source_lines=[element.source_line] if element.source_line else [],
        )
        shots.append(timing.timed_shot(shot))
    cast = scene.characters or list(dict.fromkeys(c for sh in shots for c in sh.characters))
    return Scene(number=scene.number, heading=scene.heading, characters=cast, shots=shots)


def _in_frame(element: ScriptElement) -> list[str]:
    names = list(element.characters)
    if element.line and element.line.speaker not in names:
        names.insert(0, element.line.speaker)
    return names


def choose_setup(element: ScriptElement, first: bool, previous: Setup | None) -> Setup:
    """Size, angle, move and lens for one moment, by its content."""
    people = len(_in_frame(element))
    speaks = element.line is not None
    hot = element.intensity
    if element.props and not speaks:
        setup: Setup = (ShotSize.insert, Angle.high, Movement.static, 85)
    elif people == 0:
        setup = (ShotSize.wide, Angle.high, Movement.pan, 24) if first else \
            (ShotSize.medium_wide, Angle.eye_level, Movement.static, 28)
    elif people >= 3:
        setup = (ShotSize.wide, Angle.eye_level, Movement.static, 24) if first else \
            (ShotSize.medium_wide, Angle.eye_level, Movement.dolly, 28)
    elif people == 2:
        setup = (ShotSize.over_the_shoulder, Angle.eye_level, Movement.static, 50) if speaks else \
            (ShotSize.two_shot, Angle.eye_level, Movement.static, 35)
    elif hot >= 0.75:
        setup = (ShotSize.extreme_close_up, Angle.eye_level, Movement.push_in, 85)
    elif hot >= 0.45 or speaks:
        setup = (ShotSize.close_up, Angle.eye_level, Movement.static, 50)
    else:
        setup = (ShotSize.medium, Angle.eye_level, Movement.static, 35)
    if previous is not None and setup[:3] == previous[:3]:
        setup = _vary(setup)
    return setup


def _vary(setup: Setup) -> Setup:
    """The same subject from a neighbouring setup, so two shots in a row never match."""
    size, angle, move, lens = setup
    tighter = {
        ShotSize.medium: ShotSize.medium_close_up, ShotSize.close_up: ShotSize.medium_close_up,
        ShotSize.medium_close_up: ShotSize.close_up, ShotSize.extreme_close_up: ShotSize.close_up,
        ShotSize.wide: ShotSize.medium_wide, ShotSize.medium_wide: ShotSize.medium,
        ShotSize.over_the_shoulder: ShotSize.two_shot, ShotSize.two_shot: ShotSize.over_the_shoulder,
        ShotSize.insert: ShotSize.close_up,
    }
    return tighter.get(size, ShotSize.medium), angle, move, lens
