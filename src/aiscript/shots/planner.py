"""The shot planner: one layout step from scenes of beats to shots, for written and imported
scripts alike.

Each script element (an action, a line, or both) becomes one shot; its size, angle, move and
lens follow its content: how many characters are in the moment, who speaks and who listens,
its emotional intensity and beat, props it turns on, and where it falls in the scene (a scene
that opens on its place gets an establishing shot). Dialogue between two people cuts between
over-the-shoulder shots and clean singles, tightening as the heat rises. Variety rules keep
two neighbouring shots from sharing a setup and vary hooks and cliffhangers from episode to
episode; over-the-shoulder and two-shots only ever frame two characters or more.

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

import re
from collections.abc import Sequence

from aiscript.schema import (
    Angle,
    Blocking,
    Character,
    Episode,
    EpisodeDraft,
    Movement,
    Scene,
    SceneDraft,
    ScriptElement,
    Shot,
    ShotSize,
)
from aiscript.shots.blocking import block_scene, offscreen, read_action
from aiscript.timing import TimingModel

Setup = tuple[ShotSize, Angle, Movement, int]
TWO_UP = (ShotSize.over_the_shoulder, ShotSize.two_shot)


def needs_two(size: ShotSize, people: int) -> bool:
    """The two-person rule, for every planner: an over-the-shoulder or a two-shot frames two
    characters or more, so with fewer it cannot be used.

    >>> needs_two(ShotSize.two_shot, 1), needs_two(ShotSize.two_shot, 2), needs_two(ShotSize.close_up, 1)
    (True, False, False)
    """
    return size in TWO_UP and people < 2


def plan_episode(draft: EpisodeDraft, timing: TimingModel | None = None) -> Episode:
    """The episode as shots, timed by the timing model; ids are ``episode-scene-shot``."""
    timing = timing or TimingModel()
    scenes = [_plan_scene(draft.number, sc, timing) for sc in draft.scenes]
    return Episode(series_title=draft.series_title, number=draft.number, title=draft.title,
                   language=draft.language, scenes=scenes)


def _plan_scene(episode: int, scene: SceneDraft, timing: TimingModel) -> Scene:
    shots: list[Shot] = []
    previous: Setup | None = None
    titles = bool(_TITLES.search(scene.heading.place))
    elements = [part for el in scene.elements for part in split_long(el, timing)]
    # someone only ever heard from off screen in this scene (a voice on the phone) is not in it
    voices = {el.line.speaker for el in elements if el.line}
    heard = {n for n in voices if all(offscreen(el.line) for el in elements
                                      if el.line and el.line.speaker == n)}
    heard -= {n for el in elements for n in el.characters if el.action and n in el.action}
    if heard:
        elements = [el.model_copy(update={"characters": [c for c in el.characters if c not in heard]})
                    for el in elements]
    for k, element in enumerate(elements, start=1):
        card = card_text(element) or (titles and not element.line and element.action.strip())
        if card:  # a transition or title card: a card frame, no camera, no one in it
            setup, framed = (ShotSize.insert, Angle.eye_level, Movement.static, 35), []
        else:
            element = _with_props(element)
            setup, framed = choose_setup(element, first=k == 1, previous=previous,
                                         episode=episode, index=k)
            if setup[0] is ShotSize.over_the_shoulder and touches(element.action, framed):
                # a blade at the throat or an embrace is staged side by side, not over a shoulder
                setup = (ShotSize.two_shot, *setup[1:])
            previous = setup
        size, angle, move, lens = setup
        shot = Shot(
            id=f"{episode}-{scene.number}-{k}", size=size, angle=angle, movement=move,
            lens_mm=lens, duration_s=1.0, characters=framed, action=element.action,
            lines=[element.line] if element.line else [], beat=None if card else element.beat,
            source_lines=[element.source_line] if element.source_line else [],
            card=" ".join(card.split()) if card else "",
        )
        shots.append(timing.timed_shot(shot) if not card else
                     shot.model_copy(update={"duration_s": card_seconds(shot.card, timing)}))
    cast = scene.characters or list(dict.fromkeys(c for sh in shots for c in sh.characters))
    planned = Scene(number=scene.number, heading=scene.heading, characters=cast, shots=shots)
    stage(planned)
    return planned


# a scene heading that is the titles, not a place: its lines are title cards
_TITLES = re.compile(r"^\W*(?:OPENING |MAIN |END |CLOSING )?(?:TITLES?|TITLE SEQUENCE|CREDITS|"
                     r"SUPER|CHYRON)\W*$|片头|片尾|字幕", re.I)
MAX_SHOT_S = 6.0  # an action that plays longer is cut into shots, a sentence or more each


def split_long(element: ScriptElement, timing: TimingModel, limit: float = MAX_SHOT_S,
               ) -> list[ScriptElement]:
    """An action that plays longer than ``limit`` seconds (by the timing model) cut at its
    sentences into several moments of about ``limit`` or less; the line, if any, goes with the
    last, the beat with the first.

    >>> el = ScriptElement(action="A gorgeous day. The sun is shining. Brick sits alone. "
    ...     "He drinks. He waits. A bird sings. Nothing happens. Still nothing. He sighs.")
    >>> [round(TimingModel().action_seconds(p.action), 1) for p in split_long(el, TimingModel())]
    [6.0, 6.0, 1.5]
    """
    action = element.action.strip()
    if not action or timing.action_seconds(action) <= limit:
        return [element]
    sentences = [s.strip() for s in _SENTENCES.findall(action) if s.strip()]
    if len(sentences) < 2:
        return [element]
    parts, cur = [], ""
    for sent in sentences:
        trial = f"{cur} {sent}".strip() if not _HAN.search(sent) else cur + sent
        if cur and timing.action_seconds(trial) > limit:
            parts.append(cur)
            cur = sent
        else:
            cur = trial
    parts.append(cur)
    if len(parts) == 1:
        return [element]
    end = element.beat == "cliffhanger"  # a cliffhanger ends the moment, anything else opens it
    keep = len(parts) - 1 if end else 0
    return [element.model_copy(update={
        "action": text, "line": element.line if i == len(parts) - 1 else None,
        "beat": element.beat if i == keep else None}) for i, text in enumerate(parts)]


# a sentence ends at 。！？!? or a full stop, never at Mr. Mrs. Ms. Dr. St. Jr.
_SENTENCES = re.compile(r".+?(?:[。！？!?]+[”」』\"]?|(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)"
                        r"(?<!\bJr)\.(?=\s|$)|\n|$)", re.S)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def restage(episode: Episode, cast: Sequence[Character], assumed: Sequence[str] = (),
            lying: Sequence[str] = ()) -> Episode:
    """Stage every scene again knowing the whole cast: a person the action names who is not
    in the scene's list (a patient who never speaks) is found and framed, and pronouns go to
    the cast's genders (not to ``assumed`` ones, which nothing in the script says); ``lying``
    (who keeps to a bed in the story) are drawn lying unless the action gets them up. Changes
    ``episode`` in place and returns it."""
    names = [c.name for c in cast]
    genders = {c.name: c.gender for c in cast
               if c.gender in ("male", "female") and c.name not in assumed}
    for scene in episode.scenes:
        stage(scene, names, genders, lying)
    return episode


def stage(scene: Scene, names: Sequence[str] = (), genders: dict[str, str] | None = None,
          lying: Sequence[str] = ()) -> None:
    """Block the scene's shots: each shot first takes in everyone its action names (and is
    widened to hold them), a wide shot of no one shows the scene's people small in the set;
    an over-the-shoulder with no shoulder to look over (its owner lying, fallen, kneeling or
    seated, a touch, or both on one side of the line) becomes a two-shot."""
    block_scene(scene, reframe=reframe, names=names, genders=genders, lying=lying)
    low = [sh for sh in scene.shots if sh.size is ShotSize.over_the_shoulder and (
        not any(p.foreground for p in sh.blocking.people) or any(
            p.foreground and p.pose in ("lying", "fallen", "kneeling", "sitting")
            for p in sh.blocking.people))]
    for sh in low:
        sh.size = ShotSize.two_shot
    if low:
        block_scene(scene, reframe=reframe, names=names, genders=genders, lying=lying)
    # a size the blocking changed (a two-shot of someone not come in yet is a single) must not
    # leave two shots in a row on one setup, a jump cut: the later one moves the camera's
    # height, which keeps its framing and its staging
    for a, b in zip(scene.shots, scene.shots[1:], strict=False):
        if not a.card and not b.card and _setup_of(a) == _setup_of(b):
            b.angle = Angle.high if b.angle is Angle.eye_level else Angle.eye_level


def _setup_of(shot: Shot) -> Setup:
    return shot.size, shot.angle, shot.movement, shot.lens_mm


TIGHT = (ShotSize.extreme_close_up, ShotSize.close_up, ShotSize.medium_close_up, ShotSize.medium)
WIDE = (ShotSize.wide, ShotSize.extreme_wide, ShotSize.medium_wide)


def reframe(shot: Shot, named: list[str], cast: list[str]) -> None:
    """Everyone the action names in the frame: a single that must hold two becomes a two-shot,
    three or more a medium wide; a wide shot of no one frames the scene's people (a master);
    an insert stays on its prop (the hand that holds it is drawn)."""
    if shot.size in WIDE and not shot.characters and cast:
        shot.characters = list(cast)
    if shot.size is ShotSize.insert:
        return
    missing = [n for n in named if n not in shot.characters]
    if not missing:
        return
    shot.characters = [*shot.characters, *missing]
    n = len(shot.characters)
    if shot.size in TIGHT or (shot.size in TWO_UP and n > 2):
        shot.size, shot.lens_mm = (ShotSize.two_shot, 35) if n == 2 else (ShotSize.medium_wide, 28)


def with_end_card(episode: Episode, text: str) -> Episode:
    """The episode ending on an end card (未完待续, TO BE CONTINUED), unless it already ends on
    a card; the card has no one in it and no beat.

    >>> from aiscript.schema import SceneHeading
    >>> ep = Episode(series_title="t", number=1, title="t", language="en", scenes=[Scene(
    ...     number=1, heading=SceneHeading(setting="INT", place="ROOM", time="DAY"),
    ...     shots=[Shot(id="1-1-1", size=ShotSize.medium, duration_s=2)])])
    >>> [sh.card for _, sh in with_end_card(ep, "TO BE CONTINUED").shots()]
    ['', 'TO BE CONTINUED']
    """
    last_scene = episode.scenes[-1]
    if last_scene.shots[-1].card:
        return episode
    k = len(last_scene.shots) + 1
    card = Shot(id=f"{episode.number}-{last_scene.number}-{k}", size=ShotSize.insert,
                duration_s=card_seconds(text), action=text, card=text,
                blocking=Blocking(place=last_scene.shots[-1].blocking.place
                                  if last_scene.shots[-1].blocking else "room"))
    scene = last_scene.model_copy(update={"shots": [*last_scene.shots, card]})
    return episode.model_copy(update={"scenes": [*episode.scenes[:-1], scene]})


def touches(action: str, framed: list[str]) -> bool:
    """Whether one character framed touches another in ``action`` (a knife at the throat, a
    grab, an embrace)."""
    if len(framed) < 2 or not action:
        return False
    _, contacts, _ = read_action(action, framed)
    return any(c.by in framed and (c.to in framed or not c.to) for c in contacts)


def _with_props(element: ScriptElement) -> ScriptElement:
    """An action naming no one but a prop (the DNA report, the contract) is an insert of it:
    the props are read from its words when the writer or reader listed none."""
    if element.props or _in_moment(element) or not element.action:
        return element
    _, _, props = read_action(element.action, [])
    if not props:
        return element
    return element.model_copy(update={"props": [p.label for p in props]})


_CARD_EN = re.compile(
    r"^\W*((?:to be continued|fade (?:out|in|to black|to white)|(?:smash |match |hard )?cut to"
    r"(?: black)?|the end|end (?:scene|credits|of episode(?: \d+)?)|black(?: screen)?|"
    r"dissolve to|cut to black|continued|end|(?:[a-z]+ )?(?:cut|dissolve|fade|burn|wipe|iris|flash|"
    r"bleed|wash|jump|smash|match|whip pan|pan) (?:to|out|in)(?: [a-z]+){0,2})\b[\w ]{0,30}?)[\W]*$",
    re.I)
_CARD_ZH = re.compile(
    r"^[\W_]*(?:(?:字幕|画面文字|黑屏字幕|标题)[:：]\s*)?"
    r"(未完待续|待续|黑屏|切黑|淡出|渐黑|转黑|剧终|全剧终|切至|切到|转场|闪回结束|回忆结束|本集完|本集终)"
    r"[\W_]*$")
_TITLE_CARD = re.compile(r"^[【\[]?(?:字幕|画面文字|SUPER|TITLE CARD|CHYRON)(?:[】\]]\s*[:：]?|\s*[:：])\s*"
                         r"(\S.{0,39}?)[】\]]?$", re.I)


TRANSITION_S = 0.5  # a transition card (CUT TO, 黑屏) is a beat of black, not a shot
_TRANSITION = re.compile(r"\b(?:cut|dissolve|fade|burn|wipe|iris|flash|bleed|wash|jump|smash|match|"
                         r"pan)\b.*\b(?:to|out|in)\b|^black(?: screen)?$|^cut to|"
                         r"黑屏|切黑|淡出|渐黑|转黑|切至|切到|转场", re.I)


def card_seconds(card: str, timing: TimingModel | None = None) -> float:
    """How long a card holds, the same in the storyboard, the contact sheet, the animatic and
    the shot list: a transition (CUT TO, BURN TO PINK, 黑屏) a beat of ``TRANSITION_S``; a title
    or end card (TO BE CONTINUED, 未完待续, OPENING TITLES lines) as long as it takes to read.

    >>> card_seconds("SMASH CUT TO"), card_seconds("未完待续") >= 1.0
    (0.5, True)
    """
    if _TRANSITION.search(card.strip()):
        return TRANSITION_S
    return (timing or TimingModel()).shot_seconds(card, [])


def card_text(element: ScriptElement) -> str:
    """The card an element is, when it is only a transition or a caption card (``> TO BE
    CONTINUED <``, ``FADE OUT.``, ``【黑屏】``, ``【字幕：一个小时后】``), else "".

    >>> card_text(ScriptElement(action="TO BE CONTINUED")), card_text(ScriptElement(action="【黑屏】"))
    ('TO BE CONTINUED', '黑屏')
    >>> card_text(ScriptElement(action="The end of the table is empty."))
    ''
    """
    if element.line is not None:
        return ""
    text = element.action.strip()
    if not text or len(text) > 60:
        return ""
    shouted = text.isupper() or text.startswith(">")  # transitions are set in capitals
    for rx in (_CARD_ZH, _CARD_EN, _TITLE_CARD):
        if rx is _CARD_EN and not shouted:
            continue
        m = rx.match(text)
        if m:
            return m.group(1).strip().rstrip("】]")
    return ""


def _in_moment(element: ScriptElement) -> list[str]:
    """Who is there: the element's characters and whoever speaks, except a voice from off
    screen (OS, V.O., 画外音, on the phone), which is heard, not seen."""
    names = list(element.characters)
    if element.line and offscreen(element.line):
        return [n for n in names if n != element.line.speaker]
    if element.line and element.line.speaker not in names:
        names.insert(0, element.line.speaker)
    return names


def choose_setup(element: ScriptElement, first: bool = False, previous: Setup | None = None,
                 episode: int = 1, index: int = 1) -> tuple[Setup, list[str]]:
    """Size, angle, move and lens for one moment, by its content, and who is in frame.

    >>> from aiscript.schema import Line
    >>> el = ScriptElement(line=Line(speaker="A", text="Get out!"), characters=["A", "B"],
    ...                    intensity=0.9)
    >>> (size, *_), framed = choose_setup(el)
    >>> size.value, framed
    ('close_up', ['A'])
    """
    people = _in_moment(element)
    speaker = element.line.speaker if element.line and not offscreen(element.line) else None
    listener = next((c for c in people if c != speaker), None)
    setup = _by_beat(element, people, speaker, episode) or \
        _by_content(element, people, speaker, first, index)
    if previous is not None and setup[:3] == previous[:3]:
        setup = _vary(setup, len(people))
    return setup, _framed(setup[0], people, speaker, listener)


def _by_beat(element: ScriptElement, people: list[str], speaker: str | None,
             episode: int) -> Setup | None:
    """Hooks and cliffhangers: framed by what happens, then varied across the season."""
    n, hot = len(people), element.intensity
    if element.beat == "hook":
        options: list[Setup]
        if n >= 3:
            options = [(ShotSize.medium_wide, Angle.low, Movement.push_in, 28),
                       (ShotSize.wide, Angle.high, Movement.dolly, 24)]
        elif n == 2:
            options = [(ShotSize.over_the_shoulder, Angle.low, Movement.push_in, 35),
                       (ShotSize.two_shot, Angle.dutch, Movement.handheld, 35),
                       (ShotSize.medium, Angle.low, Movement.dolly, 35)]
        elif element.props and not speaker:
            options = [(ShotSize.insert, Angle.high, Movement.push_in, 85)]
        else:
            options = [(ShotSize.close_up, Angle.low, Movement.push_in, 50),
                       (ShotSize.medium_close_up, Angle.dutch, Movement.handheld, 50)]
        return options[(episode - 1) % len(options)]
    if element.beat == "cliffhanger":
        if n >= 2 and hot < 0.9:
            return (ShotSize.over_the_shoulder, Angle.low, Movement.push_in, 50)
        options = [(ShotSize.extreme_close_up, Angle.eye_level, Movement.push_in, 85),
                   (ShotSize.close_up, Angle.dutch, Movement.push_in, 85),
                   (ShotSize.extreme_close_up, Angle.low, Movement.static, 100)]
        return options[(episode - 1) % len(options)]
    return None


def _by_content(element: ScriptElement, people: list[str], speaker: str | None, first: bool,
                index: int) -> Setup:
    """Everything else: who is there, who speaks, how hot the moment runs."""
    n, hot = len(people), element.intensity
    if n == 0:  # a place or a thing
        if element.props:
            return (ShotSize.insert, Angle.high, Movement.static, 85)
        return (ShotSize.wide, Angle.high, Movement.pan, 24) if first else \
            (ShotSize.extreme_wide, Angle.eye_level, Movement.static, 24)
    if element.props and not speaker:
        return (ShotSize.insert, Angle.high, Movement.static, 85)
    if element.beat in ("twist", "payoff") and n >= 3:
        return (ShotSize.medium_wide, Angle.eye_level, Movement.dolly, 28)
    if element.beat in ("twist", "payoff"):
        return (ShotSize.two_shot, Angle.eye_level, Movement.pull_out, 35) if n == 2 else \
            (ShotSize.close_up, Angle.low, Movement.push_in, 50)
    if n >= 3 and not speaker:
        return (ShotSize.wide, Angle.eye_level, Movement.static, 24)
    if hot >= 0.75:  # a peak: tight on whoever speaks
        return (ShotSize.close_up, Angle.eye_level, Movement.push_in, 85)
    if n >= 2 and speaker:  # a conversation: over the listener's shoulder, then a clean single
        if hot < 0.35:
            return (ShotSize.two_shot, Angle.eye_level, Movement.static, 35)
        return (ShotSize.over_the_shoulder, Angle.eye_level, Movement.static, 50) if index % 2 \
            else (ShotSize.medium_close_up, Angle.eye_level, Movement.static, 50)
    if n >= 2:
        return (ShotSize.two_shot, Angle.eye_level, Movement.static, 35)
    if hot >= 0.45 or speaker:
        return (ShotSize.medium_close_up, Angle.eye_level, Movement.static, 50)
    return (ShotSize.medium, Angle.eye_level, Movement.static, 35)


def _framed(size: ShotSize, people: list[str], speaker: str | None,
            listener: str | None) -> list[str]:
    """Who the frame holds: a single holds the speaker; an over-the-shoulder the speaker and
    the listener whose shoulder it is; a two-shot two; wider frames everyone in the moment."""
    if size in TWO_UP:
        pair = [speaker, listener] if speaker and listener else people[:2]
        return [c for c in pair if c]
    if size in (ShotSize.close_up, ShotSize.extreme_close_up, ShotSize.medium_close_up):
        return [speaker] if speaker else people[:1]
    if size == ShotSize.insert:
        return []
    return people


def _vary(setup: Setup, people: int) -> Setup:
    """The same subject from a neighbouring setup, so two shots in a row never match; frames
    that need two people only when there are two."""
    size, angle, move, lens = setup
    nearby = {
        ShotSize.medium: ShotSize.medium_close_up, ShotSize.close_up: ShotSize.medium_close_up,
        ShotSize.medium_close_up: ShotSize.close_up, ShotSize.extreme_close_up: ShotSize.close_up,
        ShotSize.wide: ShotSize.medium_wide, ShotSize.medium_wide: ShotSize.medium,
        ShotSize.over_the_shoulder: ShotSize.medium_close_up,
        ShotSize.two_shot: ShotSize.over_the_shoulder, ShotSize.insert: ShotSize.close_up,
        ShotSize.extreme_wide: ShotSize.wide,
    }
    new = nearby.get(size, ShotSize.medium)
    if needs_two(new, people):  # one person: a single, never the size we are moving from
        new = ShotSize.medium if size is ShotSize.medium_close_up else ShotSize.medium_close_up
    lens = {ShotSize.close_up: 85, ShotSize.medium_close_up: 50, ShotSize.medium: 35,
            ShotSize.medium_wide: 28, ShotSize.wide: 24}.get(new, lens)
    return new, angle, move, lens
