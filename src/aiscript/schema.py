"""The data model every stage takes and returns.

premise -> SeriesBible + SeasonPlan -> Episode -> Scene -> Shot -> Storyboard -> Frame,
and BeatReport from the analyser. Every model forbids unknown fields, round-trips through
JSON and exports a JSON Schema (``aiscript schema NAME``).

>>> ep = Episode.model_validate_json(Episode.example().model_dump_json())
>>> ep.duration_s > 0
True
"""

from __future__ import annotations

import html
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Language = Literal["zh", "en"]


class Model(BaseModel):
    """Base of every aiscript model: strict about unknown fields, JSON round-trip safe."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class L10n(Model):
    """One text in both working languages."""

    zh: str
    en: str

    def __call__(self, lang: Language) -> str:
        return self.zh if lang == "zh" else self.en


# --------------------------------------------------------------------------- camera language


class ShotSize(str, Enum):
    extreme_close_up = "extreme_close_up"
    close_up = "close_up"
    medium_close_up = "medium_close_up"
    medium = "medium"
    medium_wide = "medium_wide"  # cowboy
    wide = "wide"
    extreme_wide = "extreme_wide"
    over_the_shoulder = "over_the_shoulder"
    two_shot = "two_shot"
    insert = "insert"


class Angle(str, Enum):
    eye_level = "eye_level"
    high = "high"
    low = "low"
    birds_eye = "birds_eye"
    dutch = "dutch"


class Movement(str, Enum):
    static = "static"
    push_in = "push_in"
    pull_out = "pull_out"
    pan = "pan"
    tilt = "tilt"
    dolly = "dolly"
    handheld = "handheld"


BeatKind = Literal["hook", "pivot", "twist", "push", "payoff", "cliffhanger", "beat"]


# --------------------------------------------------------------------------- series level


MAX_PREMISE_CHARS = 4000  # a paragraph: the writer builds the rest
MAX_EPISODES = 120  # the longest seasons the format runs
Slot = Literal["hero", "love", "villain", "ally", "elder"]


class BriefRole(Model):
    """Someone the premise names or implies: the story slot they fill, a name when given, a
    gender when the premise says (a role word, a pronoun), and how the premise calls them."""

    slot: Slot
    name: str | None = None
    gender: Literal["female", "male", "unknown"] = "unknown"
    label: str = Field(default="", description="How the premise names them: 'the heir', '继承人'.")


class Subplot(Model):
    """A further device the premise names, and who carries it; with its planned beats
    (episode -> setup, clue, near, reveal, payoff) once the season is planned."""

    device: str = Field(description="Id in seeds/devices.json.")
    holder: Slot = "hero"
    beats: dict[int, str] = {}


class Block(Model):
    """About ten episodes of the season outline: what the block does to the story (setup,
    escalation, midpoint reversal, paywall turn, dark moment, finale), the step the device
    takes, and the lead's own question in it."""

    first: int = Field(ge=1)
    last: int = Field(ge=1)
    movement: str
    device_step: str = ""
    question: str = ""


class Brief(Model):
    """What a premise asks for, read before a word is written: the lead, the lead's job and
    situation, the other roles, the setting and its places, the device, the lead's want.
    Read by rules by default; a model writer may fill the same schema; the user may correct it
    (``--brief FILE``)."""

    lead: BriefRole
    job: str = Field(default="", description="The lead's job as the season names it.")
    job_id: str | None = Field(default=None, description="Id in seeds/brief.json (places, props).")
    situation: str = ""
    roles: list[BriefRole] = []
    setting: str = ""
    places: list[str] = []
    device: str | None = Field(default=None, description="Id in seeds/devices.json.")
    device_holder: Slot = Field(default="hero", description="Who carries the device's secret.")
    subplots: list[Subplot] = Field(
        default=[], description="The premise's other devices (真千金 beside 失忆), each its thread.")
    want: str = ""
    backstory: list[str] = Field(
        default=[], description="The losses the premise names before the story starts, in its "
        "order (ids in seeds/backstory.json: parent_death, evicted, divorce, fired, fire, "
        "framed): episode 1 shows them, later episodes recall them.")
    source: Literal["rules", "model", "user"] = "rules"
    guessed: list[str] = Field(
        default=[], description="What the reader could not read and guessed or inferred: "
        "'gender' (nothing says; the genre's default), 'device' (implied, not named), 'job' "
        "(not in the catalogue).")


class Premise(Model):
    """What the user asked for."""

    text: str = Field(min_length=1, max_length=MAX_PREMISE_CHARS)
    language: Language
    genre: str | None = None
    episodes: int = Field(ge=1, le=MAX_EPISODES)
    seed: int = 0
    brief: Brief | None = Field(default=None, description="The user's reading of the premise.")


class Character(Model):
    """A person in the series. ``visual`` is fixed: every frame of this character reuses it."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1)
    role: Literal["protagonist", "love_interest", "antagonist", "ally", "rival", "elder"]
    visual: str = Field(min_length=1, description="Fixed visual description used in every frame.")
    visual_prompt: str = Field(
        default="", description="The same look in English, for image models' text encoders."
    )
    voice: str = ""
    gender: Literal["female", "male", "unknown"] = "unknown"
    color: str = Field(pattern=r"^#[0-9a-f]{6}$", description="Figure colour in sketches.")
    seed: int = Field(ge=0, description="Per-character seed for consistent rendering.")


class SeriesBible(Model):
    title: str
    logline: str
    language: Language
    genre: str
    premise: Premise
    characters: list[Character] = Field(min_length=1)
    places: list[str] = Field(min_length=1)
    place_prompts: dict[str, str] = Field(
        default={}, description="Place -> English, for image models' text encoders."
    )
    visual_style: str
    image_style: str = Field(default="", description="The visual style in English, for image models.")
    tropes: list[str] = []

    def character(self, ref: str) -> Character:
        """Look a character up by id or name."""
        for c in self.characters:
            if ref in (c.id, c.name):
                return c
        raise KeyError(f"no character {ref!r} in the bible")


class Beat(Model):
    kind: BeatKind
    t: float = Field(ge=0, description="Target time in seconds from the episode start.")
    device: str = ""
    note: str = ""


class EpisodeOutline(Model):
    number: int = Field(ge=1)
    title: str
    summary: str
    arc_stage: str
    beats: list[Beat]
    is_paywall: bool = False
    events: list[str] = Field(default=[], description="Ids of the story events it plays.")
    change: str = Field(default="", description="How the story state differs after it.")
    callback: int | None = Field(default=None, ge=1, description="An earlier episode it recalls.")


# --------------------------------------------------------------------------- story state


class Goal(Model):
    """What a character wants this season, and how they stand to the others (by character id)."""

    character: str
    goal: str
    relations: dict[str, str] = {}


class Secret(Model):
    """Something one character hides: who knows it, and the one episode it comes out."""

    id: str
    text: str
    owner: str = Field(description="Character id of whoever hides it.")
    known_by: list[str] = Field(default=[], description="Character ids who know it from the start.")
    reveal_episode: int = Field(ge=1)
    big: bool = Field(default=False, description="The season's big reveal.")


class StoryEvent(Model):
    """One thing that happens, once: its episode, who drives it, who it hits, where, with what,
    and what it sets up."""

    id: str
    episode: int = Field(ge=1)
    stage: Literal["setup", "escalation", "paywall", "reveal", "counter", "climax", "resolution"]
    kind: str
    summary: str
    instigator: str = Field(description="Character id.")
    target: str = Field(description="Character id.")
    place: str
    prop: str = ""
    secret: str | None = Field(default=None, description="Id of the secret it reveals.")
    variant: int = Field(default=0, ge=0, description="Which telling of its kind the writer plays.")


class Thread(Model):
    """A set-up and where it pays off: a cliffhanger and the next episode's opening that answers
    it, a device beat and its payoff, or an object planted and the scene it turns."""

    kind: Literal[
        "cliffhanger", "device", "secret", "consequence",
        "state", "paywall",  # an ending on a state change, the paywall's bang
        "prop",  # an object planted on screen before the event scene it turns
    ]
    setup_episode: int = Field(ge=1)
    payoff_episode: int = Field(ge=1)
    what: str = ""


class EpisodeState(Model):
    """Where the story stands as an episode opens: what has happened gates what may happen."""

    episode: int = Field(ge=1)
    villain: Literal["hidden", "suspected", "exposed", "arrested"] = Field(
        default="hidden", description="hidden; suspected once the big secret is out; exposed "
        "once her crime is public (she is cornered: no more public schemes, no ear of the "
        "elder); arrested from the showdown on (gone).")
    elder: Literal["against", "with_lead"] = Field(
        default="against", description="with_lead once the elder has come round: she does not "
        "scorn, summon or threaten the lead again.")
    hurt: str = Field(default="", description="Character id hurt in the last episode's attack: "
                      "this episode deals with it (hospital, police).")
    evicted: bool = Field(
        default=False, description="The lead lives outside the family house (the premise threw "
        "her out) until the plan brings her back: she is summoned there, she does not live there.")
    custody: Literal["free", "held", "bailed", "wanted", "caught", "charged", "sentenced"] = Field(
        default="free", description="The villain and the police: held after her arrest, out "
        "on bail, wanted once she runs, caught, charged, sentenced (aiscript.story.custody).")


class SeasonPlan(Model):
    episodes: list[EpisodeOutline] = Field(min_length=1)
    paywall_episode: int = Field(ge=1)
    target_duration_s: float = Field(gt=0)
    goals: list[Goal] = []
    secrets: list[Secret] = []
    events: list[StoryEvent] = []
    device: str | None = Field(default=None, description="The premise's device (seeds/devices.json).")
    device_beats: dict[int, str] = Field(
        default={}, description="Episode -> the device beat it plays: setup, clue, near, reveal, "
                                "payoff or echo.")
    threads: list[Thread] = Field(default=[], description="Set-ups and their payoffs.")
    subplots: list[Subplot] = Field(default=[], description="The premise's other devices' beats.")
    blocks: list[Block] = Field(default=[], description="The season outline, ~10 episodes a block.")
    states: list[EpisodeState] = Field(default=[], description="Episode by episode, where the "
                                       "story stands as it opens.")

    @model_validator(mode="after")
    def _paywall_in_range(self) -> SeasonPlan:
        if self.paywall_episode > len(self.episodes):
            raise ValueError(
                f"paywall_episode {self.paywall_episode} is past the last episode "
                f"({len(self.episodes)})"
            )
        return self

    @model_validator(mode="after")
    def _story_holds_together(self) -> SeasonPlan:
        """A plan with story state: every episode has its own events, none repeats, the
        inciting event opens episode 1 only, each secret comes out once, where planned."""
        if not self.events:
            return self  # an older series.json: outlines only
        n = len(self.episodes)
        ids = [e.id for e in self.events]
        if len(set(ids)) != len(ids):
            raise ValueError("an event id is used twice")
        plays = {(e.kind, e.instigator, e.target, e.place, e.prop) for e in self.events}
        if len(plays) != len(self.events):
            raise ValueError("the same event happens twice")
        if any(e.episode > n for e in self.events):
            raise ValueError("an event falls after the last episode")
        if {e.episode for e in self.events} != set(range(1, n + 1)):
            raise ValueError("every episode needs an event of its own")
        if [e.episode for e in self.events if e.kind == "inciting"] != [1]:
            raise ValueError("the inciting event belongs to episode 1, once")
        for s in self.secrets:
            shown = [e.episode for e in self.events if e.secret == s.id]
            if shown != [s.reveal_episode]:
                raise ValueError(f"secret {s.id} must come out once, in episode "
                                 f"{s.reveal_episode} (found {shown})")
        return self


class Series(Model):
    """What ``series.json`` holds: the bible and the season plan."""

    bible: SeriesBible
    plan: SeasonPlan
    brief: Brief | None = Field(default=None, description="The premise as the writer read it.")

    @property
    def key(self) -> str:
        """A short id for a season: its premise, language, episode count and seed."""
        import hashlib

        p = self.bible.premise
        return hashlib.sha1(f"{p.text}|{p.language}|{p.episodes}|{p.seed}".encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- episode level


class Line(Model):
    speaker: str = Field(min_length=1)
    text: str = Field(min_length=1)
    parenthetical: str | None = None
    duration_s: float = Field(ge=0, default=0.0)


Pose = Literal["standing", "sitting", "lying", "kneeling", "fallen", "held"]
Facing = Literal["left", "right", "camera", "away"]


class Placement(Model):
    """Where one character is in a shot: across the frame (0 left .. 1 right), which way they
    face on screen, whom they look at, their pose, and whether their back is to the camera
    (the foreground shoulder of an over-the-shoulder)."""

    name: str
    x: float = Field(ge=0, le=1)
    facing: Facing = "camera"
    looks_at: str | None = None
    pose: Pose = "standing"
    foreground: bool = False


class Prop(Model):
    """An object in play: its kind (the icon drawn), its label as the script names it, and
    who holds it, if anyone."""

    kind: Literal["document", "knife", "phone", "ring", "glass", "cash", "photo", "gun", "bag",
                  "jewel", "key", "object", "wheel"]
    label: str = Field(min_length=1)
    held_by: str | None = None


class Contact(Model):
    """A touch between two characters: a slap or blow, a grab, a knife at the throat, an
    embrace, a push or slam, a kiss, a gun aimed, a choke, helping someone up (support),
    something thrown in the face; or ``behind``: one right behind the other. ``by`` does it
    to ``to``."""

    kind: Literal["slap", "grab", "knife_at_throat", "embrace", "push", "kiss", "gun_at",
                  "choke", "support", "throw_at", "behind"]
    by: str
    to: str


class Blocking(Model):
    """The staging of one shot, computed from its action and lines (``aiscript.shots.blocking``):
    people, contacts, props in play, and the scene's line of action (who holds screen left),
    so every shot of a scene keeps screen direction and reverse shots match eyelines."""

    people: list[Placement] = []
    contacts: list[Contact] = []
    props: list[Prop] = []
    line_of_action: list[str] = Field(
        default=[], description="The scene's two principals: screen left, screen right.")
    place: str = Field(default="room", description="Set type drawn behind the people.")
    view: str = Field(default="", description="A point of view drawn over the frame: 'scope' "
                      "(a rifle scope's reticle), 'pov' (someone's eyes), or '' (the camera).")


class Shot(Model):
    id: str = Field(description="episode-scene-shot, e.g. '1-2-3'.")
    size: ShotSize
    angle: Angle = Angle.eye_level
    movement: Movement = Movement.static
    lens_mm: int = Field(ge=8, le=300, default=35)
    duration_s: float = Field(gt=0)
    characters: list[str] = []
    action: str = ""
    lines: list[Line] = []
    beat: BeatKind | None = None
    source_lines: list[int] = Field(
        default=[], description="1-based line numbers in the source script (imported scripts)."
    )
    blocking: Blocking | None = None
    card: str = Field(default="", description="A transition or title card (TO BE CONTINUED, "
                      "【黑屏】): drawn as a card, never as a shot.")


class SceneHeading(Model):
    setting: Literal["INT", "EXT", "INT/EXT"]
    place: str = Field(min_length=1)
    time: Literal["DAY", "NIGHT", "DAWN", "DUSK"]


class Scene(Model):
    number: int = Field(ge=1)
    heading: SceneHeading
    characters: list[str] = []
    shots: list[Shot] = Field(min_length=1)

    @property
    def duration_s(self) -> float:
        return sum(s.duration_s for s in self.shots)


class Episode(Model):
    series_title: str
    number: int = Field(ge=1)
    title: str
    language: Language
    scenes: list[Scene] = Field(min_length=1)

    @property
    def duration_s(self) -> float:
        return sum(s.duration_s for s in self.scenes)

    def shots(self) -> list[tuple[Scene, Shot]]:
        """Every shot with its scene, in screen order."""
        return [(sc, sh) for sc in self.scenes for sh in sc.shots]

    def lines(self) -> list[Line]:
        return [ln for _, sh in self.shots() for ln in sh.lines]

    def _repr_html_(self) -> str:
        rows = []
        t = 0.0
        for _, sh in self.shots():
            said = "<br>".join(
                f"<b>{html.escape(ln.speaker)}</b>: {html.escape(ln.text)}" for ln in sh.lines
            )
            rows.append(
                f"<tr><td>{_tc(t)}</td><td>{sh.id}</td><td>{sh.size.value}</td>"
                f"<td>{html.escape(sh.action)}</td><td>{said}</td></tr>"
            )
            t += sh.duration_s
        return (
            f"<h4>{html.escape(self.series_title)} · {self.number}. {html.escape(self.title)}"
            f" ({_tc(self.duration_s)})</h4><table><tr><th>t</th><th>shot</th><th>size</th>"
            f"<th>action</th><th>dialogue</th></tr>{''.join(rows)}</table>"
        )

    @classmethod
    def example(cls) -> Episode:
        """A two-shot episode, for docs and tests."""
        shot = Shot(
            id="1-1-1", size=ShotSize.close_up, duration_s=3.0, characters=["林晚"],
            action="林晚把辞职信拍在桌上。",
            lines=[Line(speaker="林晚", text="这份工作，我不干了。", duration_s=2.2)], beat="hook",
        )
        scene = Scene(
            number=1, heading=SceneHeading(setting="INT", place="总裁办公室", time="DAY"),
            characters=["林晚"], shots=[shot],
        )
        return cls(series_title="示例", number=1, title="辞职", language="zh", scenes=[scene])


# --------------------------------------------------------------------------- scenes of beats
# What writers produce and script readers import, before the shot planner lays it out as shots.


class ScriptElement(Model):
    """One unit of a scene as written: an action paragraph, a dialogue line, or both (an action
    that goes with the line that follows it). ``beat`` marks the beat it carries, if any."""

    action: str = ""
    line: Line | None = None
    beat: BeatKind | None = None
    characters: list[str] = Field(default=[], description="Who is in the moment (in frame).")
    props: list[str] = Field(default=[], description="Objects the moment turns on (inserts).")
    intensity: float = Field(0.0, ge=0, le=1, description="Emotional intensity, 0 calm .. 1 peak.")
    source_line: int | None = Field(default=None, ge=1, description="1-based line in the source.")

    @model_validator(mode="after")
    def _not_empty(self) -> ScriptElement:
        if not self.action.strip() and self.line is None:
            raise ValueError("a script element needs an action or a line")
        return self


class SceneDraft(Model):
    number: int = Field(ge=1)
    heading: SceneHeading
    characters: list[str] = []
    elements: list[ScriptElement] = Field(min_length=1)


class EpisodeDraft(Model):
    """An episode as scenes of beats: the shot planner's input (``aiscript.shots.planner``)."""

    series_title: str
    number: int = Field(ge=1)
    title: str
    language: Language
    scenes: list[SceneDraft] = Field(min_length=1)


# --------------------------------------------------------------------------- storyboard level


class Frame(Model):
    shot_id: str
    prompt: str
    seed: int = Field(ge=0)
    image: str = Field(description="Image path, relative to the storyboard folder.")
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    start_s: float = Field(ge=0)
    duration_s: float = Field(gt=0)
    caption: str = ""
    cut: list[str] = Field(default=[], description="Prompt parts dropped to fit the text encoder.")
    blocking: Blocking | None = None
    card: str = ""

    @field_validator("image")
    @classmethod
    def _relative(cls, v: str) -> str:
        if v.startswith("/") or ".." in v.split("/"):
            raise ValueError("frame image paths are relative to the storyboard folder")
        return v


class Storyboard(Model):
    series_title: str
    episode: int = Field(ge=1)
    renderer: str
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    frames: list[Frame] = []
    folder: str | None = Field(default=None, description="Where the frames were written.")
    consistency: dict[str, float] = Field(
        default={}, description="Per character: mean CLIP image similarity across its frames."
    )

    def _repr_html_(self) -> str:
        base = (self.folder.rstrip("/") + "/") if self.folder else ""
        cells = "".join(
            f'<figure style="display:inline-block;margin:4px;width:135px">'
            f'<img src="{html.escape(base + f.image)}" width="135">'
            f"<figcaption style='font-size:10px'>{f.shot_id} {_tc(f.start_s)}"
            f"<br>{html.escape(f.caption)}</figcaption></figure>"
            for f in self.frames
        )
        return f"<h4>{html.escape(self.series_title)} · ep {self.episode}</h4><div>{cells}</div>"


# --------------------------------------------------------------------------- analysis


class Hook(Model):
    present: bool
    t: float | None = None
    kind: str | None = None
    score: float = Field(ge=0, le=1)
    verdict: Literal["yes", "no", "unsure"] | None = Field(
        None, description="yes / no, or unsure when the score is within the analyser's unsure "
        "band of its threshold (present still says which side it fell on).")
    evidence: str = ""
    signals: list[str] = Field([], description="The features that moved the verdict, with cue and line.")


class Pivot(Model):
    t: float = Field(ge=0)
    delta: float = Field(description="Change of valence, signed.")
    evidence: str = ""


class Marker(Model):
    """A twist or plot push on the timeline."""

    t: float = Field(ge=0)
    kind: str
    evidence: str = ""


class Cliffhanger(Model):
    present: bool
    kind: str | None = None
    score: float = Field(ge=0, le=1)
    verdict: Literal["yes", "no", "unsure"] | None = Field(
        None, description="yes / no, or unsure when the score is within the analyser's unsure "
        "band of its threshold (present still says which side it fell on).")
    evidence: str = ""
    t: float | None = None
    signals: list[str] = Field([], description="The features that moved the verdict, with cue and line.")

    @field_validator("kind", mode="before")
    @classmethod
    def _renamed_kind(cls, v):
        """Reports stored under a kind's old name still read, under its new one."""
        return RENAMED_CLIFFHANGER_KINDS.get(v, v)


# an open ending's old name -> its name now ("resolve" read as "resolved" on a villain's threat)
RENAMED_CLIFFHANGER_KINDS = {"resolve": "vow"}


class JudgeVerdict(Model):
    """An LLM judge's answer for the hook or the cliffhanger of one script."""

    present: bool
    kind: str | None = None
    evidence: str = Field("", description="The words of the script the verdict rests on.")
    confidence: float = Field(0.5, ge=0, le=1)
    model: str = ""


class Pacing(Model):
    lines: int = Field(ge=0)
    shots: int = Field(ge=0)
    dialogue_ratio: float = Field(ge=0, le=1)
    mean_shot_s: float = Field(ge=0)
    max_gap_between_pivots_s: float = Field(ge=0)
    max_gap_between_twists_s: float = Field(ge=0)


class EmotionPoint(Model):
    t: float = Field(ge=0)
    valence: float = Field(ge=-1, le=1)
    arousal: float = Field(ge=0, le=1)


class BeatReport(Model):
    """What the analyser finds in one script."""

    source: str
    language: Language
    format: str = ""
    episode: int | None = None
    duration_s: float = Field(ge=0)
    hook: Hook
    pivots: list[Pivot] = []
    twists: list[Marker] = []
    pushes: list[Marker] = []
    cliffhanger: Cliffhanger
    pacing: Pacing
    emotion_curve: list[EmotionPoint] = []
    warnings: list[str] = []
    judge: dict[str, JudgeVerdict] = Field({}, description="An LLM judge's verdicts, when asked for.")


class SeriesRow(Model):
    source: str
    episode: int | None
    duration_s: float
    hook_score: float
    cliffhanger_score: float
    pivots: int
    warnings: int


class SeriesReport(Model):
    """Several episodes at once: per-episode rows, the arc of hook and cliffhanger strength,
    and whether the paywall episode and the one after it are among the strongest."""

    episodes: list[SeriesRow]
    hook_arc: list[float]
    cliffhanger_arc: list[float]
    paywall_episode: int | None = None
    paywall_strong: bool | None = None
    warnings: list[str] = []
    errors: list[str] = []


def _tc(seconds: float) -> str:
    """Timecode m:ss."""
    s = int(round(seconds))
    return f"{s // 60}:{s % 60:02d}"


MODELS: dict[str, type[Model]] = {
    m.__name__: m
    for m in (
        Premise, Character, SeriesBible, Beat, EpisodeOutline, SeasonPlan, Series, Line, Shot,
        Blocking,
        Goal, Secret, StoryEvent, EpisodeDraft,
        SceneHeading, Scene, Episode, Frame, Storyboard, BeatReport, SeriesReport,
    )
}
