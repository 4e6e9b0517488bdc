"""The episode laid out in frames: the one layout every edit format is written from.

Shots become clips whose frame counts add up to the episode's duration from the timing model
(each cut is rounded once, on the running total, so no rounding error piles up); each line of
dialogue becomes a cue inside its shot (the action plays first, then the lines, as the timing
model times a shot); the analyser's beats become markers. OTIO, FCP XML, EDL, SRT, VTT and
剪映 drafts are all written from this plan, so their timings agree to the frame.

>>> from aiscript.schema import Episode
>>> plan = edit_plan(Episode.example(), fps=30)
>>> plan.total_frames, [(c.start, c.frames) for c in plan.shots]
(90, [(0, 90)])
>>> [(q.start, q.frames, q.text) for q in plan.cues]
[(24, 66, '这份工作，我不干了。')]
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from pydantic import Field

from aiscript.errors import AiscriptError
from aiscript.schema import BeatReport, Episode, Model, Scene, Shot, Storyboard
from aiscript.timing import TimingModel

SEQUENCE_WIDTH, SEQUENCE_HEIGHT = 1080, 1920  # vertical 9:16, the format's delivery size


class Span(Model):
    """Where something starts on the timeline and how long it runs, in frames."""

    start: int = Field(ge=0)
    frames: int = Field(ge=1)

    @property
    def end(self) -> int:
        return self.start + self.frames


class CutShot(Span):
    """One shot as a clip."""

    shot: Shot
    scene: int
    place: str
    image: str = Field(default="", description="Absolute path of the shot's frame, if rendered.")

    @property
    def camera(self) -> str:
        """The camera notes an editor reads: size, angle, movement, lens."""
        s = self.shot
        return f"{s.size.value}, {s.angle.value}, {s.movement.value}, {s.lens_mm}mm"


class Cue(Span):
    """One line of dialogue on screen, inside its shot."""

    shot_id: str
    speaker: str
    text: str


class BeatMark(Model):
    """A beat the analyser found (hook, pivot, twist, push, cliffhanger), at a frame."""

    kind: str
    frame: int = Field(ge=0)
    label: str
    evidence: str = ""


class EditPlan(Model):
    """An episode as the edit sees it: clips, cues and beat markers, all in frames at ``fps``."""

    series_title: str
    episode: int
    title: str
    language: str
    fps: int = Field(ge=1, le=120)
    width: int = SEQUENCE_WIDTH
    height: int = SEQUENCE_HEIGHT
    shots: list[CutShot]
    cues: list[Cue] = []
    beats: list[BeatMark] = []
    stem: str = Field("", description="File name stem; epNNN when empty (imported scripts keep theirs).")

    @property
    def name(self) -> str:
        return self.stem or f"ep{self.episode:03d}"

    @property
    def total_frames(self) -> int:
        return self.shots[-1].end if self.shots else 0

    def seconds(self, frames: int) -> float:
        return frames / self.fps

    def shot_at(self, frame: int) -> CutShot:
        """The clip playing at ``frame`` (the last one past the end)."""
        for cut in self.shots:
            if frame < cut.end:
                return cut
        return self.shots[-1]


def frame_cuts(durations: list[float], fps: int) -> list[tuple[int, int]]:
    """(start, frames) per duration: every cut is the running total rounded to a frame, so the
    frames add up to the rounded total and no clip drifts.

    >>> frame_cuts([1.01, 1.01, 1.01], 30)
    [(0, 30), (30, 31), (61, 30)]
    """
    bounds, us = [0], 0
    for d in durations:
        us += round(d * 1_000_000)  # exact running total, in microseconds
        cut = (2 * us * fps + 1_000_000) // 2_000_000  # nearest frame, halves up
        bounds.append(max(cut, bounds[-1] + 1))  # a clip is at least one frame
    return [(a, b - a) for a, b in pairwise(bounds)]


def check_fps(fps: int) -> int:
    """A timeline frame rate: a whole number of frames a second, 1 to 120."""
    if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= 120:
        raise AiscriptError(f"frame rate {fps!r} is not a whole number of frames a second "
                            "from 1 to 120", "pass e.g. --fps 30 (or 24, 25, 60)")
    return fps


def edit_plan(
    episode: Episode, storyboard: Storyboard | None = None, folder: str | Path | None = None,
    report: BeatReport | None = None, fps: int = 30, timing: TimingModel | None = None,
) -> EditPlan:
    """Lay the episode out in frames: clips from its shots (with the storyboard's frames when
    given: ``folder`` is where its images are), cues from its lines, markers from ``report``."""
    check_fps(fps)
    timing = timing or TimingModel()
    pairs = episode.shots()
    images = _images(storyboard, folder)
    cuts = [
        CutShot(shot=sh, scene=sc.number, place=sc.heading.place, start=start, frames=n,
                image=images.get(sh.id, ""))
        for (sc, sh), (start, n) in zip(pairs, frame_cuts([sh.duration_s for _, sh in pairs], fps),
                                        strict=True)
    ]
    plan = EditPlan(series_title=episode.series_title, episode=episode.number, title=episode.title,
                    language=episode.language, fps=fps, shots=cuts)
    plan.cues = [cue for cut in cuts for cue in _cues(cut, fps, timing)]
    plan.beats = _beats(report, plan, pairs) if report else []
    return plan


def _images(storyboard: Storyboard | None, folder: str | Path | None) -> dict[str, str]:
    if storyboard is None:
        return {}
    base = Path(folder) if folder is not None else Path(storyboard.folder or ".")
    return {f.shot_id: str((base / f.image).resolve()) for f in storyboard.frames}


def _cues(cut: CutShot, fps: int, timing: TimingModel) -> list[Cue]:
    """The shot's lines after its action, as the timing model plays a shot; squeezed to fit
    when a shot was cut shorter than its lines, and always inside the clip."""
    lines = cut.shot.lines
    if not lines:
        return []
    said = [ln.duration_s or timing.line_seconds(ln.text) for ln in lines]
    length = cut.frames / fps
    lead = min(timing.action_seconds(cut.shot.action), max(0.0, length - sum(said)))
    scale = min(1.0, (length - lead) / sum(said)) if sum(said) else 1.0
    cues, t = [], cut.start / fps + lead
    for ln, d in zip(lines, said, strict=True):
        start = min(max(round(t * fps), cut.start), cut.end - 1)
        t += d * scale
        end = min(max(round(t * fps), start + 1), cut.end)
        cues.append(Cue(shot_id=cut.shot.id, speaker=ln.speaker, text=ln.text, start=start,
                        frames=end - start))
    return cues


def _beats(report: BeatReport, plan: EditPlan, pairs: list[tuple[Scene, Shot]]) -> list[BeatMark]:
    """Each beat at the cue or shot its evidence quotes (the analyser times the script on its
    own clock, which can fall a few frames off the cut), else at the analyser's time."""
    last = max(0, plan.total_frames - 1)
    quoted: dict[str, list[int]] = {}
    for text, frame in [(c.shot.action, c.start) for c in plan.shots] + \
            [(q.text, q.start) for q in plan.cues]:
        quoted.setdefault(text.strip(), []).append(frame)

    def at(t: float, evidence: str = "") -> int:
        frame = min(max(0, round(t * plan.fps)), last)
        places = quoted.get(evidence.strip(), []) if evidence.strip() else []
        return min(places, key=lambda f: abs(f - frame)) if places else frame

    marks = []
    if report.hook.present and report.hook.t is not None:
        marks.append(BeatMark(kind="hook", frame=at(report.hook.t, report.hook.evidence),
                              label=f"hook: {report.hook.kind or ''} ({report.hook.score:.2f})",
                              evidence=report.hook.evidence))
    for p in report.pivots:
        marks.append(BeatMark(kind="pivot", frame=at(p.t, p.evidence), label=f"pivot {p.delta:+.2f}",
                              evidence=p.evidence))
    for kind, items in (("twist", report.twists), ("push", report.pushes)):
        marks += [BeatMark(kind=kind, frame=at(m.t, m.evidence), label=f"{kind}: {m.kind}",
                           evidence=m.evidence) for m in items]
    if report.cliffhanger.present:
        # the cliffhanger is the ending: mark where the last shot begins
        marks.append(BeatMark(kind="cliffhanger", frame=plan.shots[-1].start,
                              label=f"cliffhanger: {report.cliffhanger.kind or ''} "
                                    f"({report.cliffhanger.score:.2f})",
                              evidence=report.cliffhanger.evidence))
    return sorted(marks, key=lambda m: m.frame)
