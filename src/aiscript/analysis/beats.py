"""The beat-structure analyser: a script on a timeline -> ``BeatReport``.

Pure Python (no torch): the timing model places every element, a scorer gives each its valence
and arousal; the story-state evidence of the opening and the ending (``analysis.story``),
weighed by the learned model, decides hook and cliffhanger; story turns give the pivots, cue
lexicons the twists and pushes. Every threshold is a setting in ``AnalyserSettings``.

>>> from aiscript.analysis.formats import read_text
>>> r = analyze_script(read_text("△林晚把辞职信拍在桌上。\\n林晚：这份工作，我不干了！", "a.txt"))
>>> r.hook.present, r.hook.kind, r.hook.evidence
(True, 'conflict', '林晚把辞职信拍在桌上。')
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aiscript.analysis import story
from aiscript.analysis.emotion import EmotionScorer, LexiconScorer, lexicon
from aiscript.analysis.formats import Beat, Script, timeline
from aiscript.analysis.rules import beat_rules
from aiscript.schema import (
    BeatReport,
    Cliffhanger,
    EmotionPoint,
    Hook,
    Marker,
    Model,
    Pacing,
    Pivot,
    _tc,
)
from aiscript.timing import TimingModel


def _rule(name: str):
    """A default taken from the one source of the beat rules."""
    return lambda: getattr(beat_rules(), name)


class AnalyserSettings(Model):
    """Windows and rhythm default to the beat rules (``aiscript.analysis.rules``: hook in 3 s,
    cliffhanger in the last 10 s, a twist about every 15 s, 1 to 3 minute episodes).

    ``judge`` picks how hook and cliffhanger are decided: ``model`` (the learned weighing of
    story-state evidence, default) or ``rules`` (the earlier cue rules, kept for comparison)."""

    timing: TimingModel = TimingModel()
    hook_window_s: float = Field(default_factory=_rule("hook_window_s"), gt=0)
    cliffhanger_window_s: float = Field(default_factory=_rule("cliffhanger_window_s"), gt=0)
    twist_every_s: float = Field(default_factory=_rule("twist_every_s"), gt=0)
    push_every_s: float = Field(default_factory=_rule("push_every_s"), gt=0)
    max_pivot_gap_s: float = Field(25.0, gt=0, description="Warn when no pivot for this long.")
    pivot_min_delta: float = Field(0.5, gt=0, description="Valence swing that counts as a pivot.")
    neutral_band: float = Field(0.15, ge=0)
    hook_threshold: float = Field(0.5, gt=0, le=1)
    cliffhanger_threshold: float = Field(0.5, gt=0, le=1)
    min_duration_s: float = Field(default_factory=_rule("min_duration_s"), ge=0)
    max_duration_s: float = Field(default_factory=_rule("max_duration_s"), gt=0)
    judge: Literal["model", "rules"] = "model"
    unsure_band: float = Field(0.1, ge=0, lt=0.5, description=(
        "A hook or cliffhanger score this close to its threshold is reported as unsure."))


Timed = Beat  # an element on the timeline (``aiscript.analysis.formats.timeline``)


def analyze_script(
    script: Script, settings: AnalyserSettings | None = None, scorer: EmotionScorer | None = None
) -> BeatReport:
    """Analyse one script; see ``aiscript.analyze`` for paths and several files."""
    cfg = settings or AnalyserSettings()
    lang = script.language
    events = timeline(script, cfg.timing)
    body = [e for e in events if e.el.kind != "heading"]
    for e, (v, a) in zip(body, (scorer or LexiconScorer()).score([e.el.text for e in body], lang),
                         strict=True):
        e.valence, e.arousal = v, a
    duration = events[-1].end if events else 0.0

    if cfg.judge == "rules":
        hook, cliff = find_hook(body, cfg, lang), find_cliffhanger(body, duration, cfg, lang)
    else:
        hook, cliff = judge_ends(script, body, cfg)
    pivots = find_pivots(body, cfg) if cfg.judge == "rules" else story_pivots(body, lang)
    twists = _markers(body, lexicon(lang)["twist"], "twist")
    pushes = _markers(body, lexicon(lang)["push"], "push") + [
        Marker(t=e.start, kind="scene change", evidence=e.el.text)
        for i, e in enumerate(events) if e.el.kind == "heading" and i > 0
    ]
    pushes.sort(key=lambda m: m.t)
    dialogue_s = sum(e.end - e.start for e in body if e.el.kind == "dialogue")
    shots = sum(e.el.new_shot for e in body)
    pacing = Pacing(
        lines=sum(e.el.kind == "dialogue" for e in body),
        shots=shots,
        dialogue_ratio=round(dialogue_s / duration, 3) if duration else 0.0,
        mean_shot_s=round(duration / shots, 2) if shots else 0.0,
        max_gap_between_pivots_s=round(_max_gap([p.t for p in pivots], duration)[0], 2),
        max_gap_between_twists_s=round(_max_gap([m.t for m in twists], duration)[0], 2),
    )
    report = BeatReport(
        source=script.source, language=lang, format=script.format, episode=script.episode,
        duration_s=round(duration, 2), hook=hook, pivots=pivots, twists=twists, pushes=pushes,
        cliffhanger=cliff, pacing=pacing,
        emotion_curve=[EmotionPoint(t=round((e.start + e.end) / 2, 2), valence=e.valence,
                                    arousal=e.arousal) for e in body],
    )
    report.warnings = warnings_for(report, body, cfg)
    return report


# --------------------------------------------------------------------------- the learned judgement


def judge_ends(script: Script, body: list[Timed], cfg: AnalyserSettings) -> tuple[Hook, Cliffhanger]:
    """Hook and cliffhanger from the story-state evidence, weighed by the shipped model; the
    verdict names its kind, the line it rests on and the features that moved it."""
    beats = body
    model = story.craft_model()
    opening = story.opening_evidence(script, beats, cfg.hook_window_s)
    p = model["hook"].probability(opening.features)
    present = p >= cfg.hook_threshold
    kind, beat = _named(opening, present, ("calm",))
    if present and kind is None:  # no state cue: the line itself carries it
        kind = "cold_open" if opening.features.get("cold_open") else "charged_line"
    beat = beat or (opening.window[0] if opening.window else None)
    hook = Hook(present=present, t=beat.start if beat else None, kind=kind, score=round(p, 3),
                verdict=_verdict(p, cfg.hook_threshold, cfg.unsure_band),
                evidence=beat.el.text if beat else "",
                signals=story.reasons(model["hook"], opening.features, opening))
    ending = story.ending_evidence(script, beats, cfg.cliffhanger_window_s)
    p = model["cliffhanger"].probability(ending.features)
    present = p >= cfg.cliffhanger_threshold
    kind, beat = _named(ending, present, ("closure", "farewell"))
    if present and kind is None:
        kind = ("question" if ending.features.get("question") else
                "reveal_cut_short" if ending.features.get("cut_short") else "unresolved")
    beat = beat or (ending.window[-1] if ending.window else None)
    cliff = Cliffhanger(present=present, kind=kind, score=round(p, 3),
                        verdict=_verdict(p, cfg.cliffhanger_threshold, cfg.unsure_band),
                        evidence=beat.el.text if beat else "", t=beat.start if beat else None,
                        signals=story.reasons(model["cliffhanger"], ending.features, ending))
    return hook, cliff


def _verdict(p: float, threshold: float, band: float) -> str:
    """``yes`` / ``no``, or ``unsure`` within ``band`` of the threshold.

    >>> _verdict(0.52, 0.5, 0.1), _verdict(0.8, 0.5, 0.1), _verdict(0.2, 0.5, 0.1)
    ('unsure', 'yes', 'no')
    """
    if abs(p - threshold) < band:
        return "unsure"
    return "yes" if p >= threshold else "no"


def _named(ev, present: bool, closed: tuple[str, ...]):
    """The state that names a verdict: the nearest open state when present, the nearest closed
    one when not (transitions name nothing: they are evidence only)."""
    for kind, (beat, _cue) in ev.seen.items():
        if kind in ("to_be_continued", "fade", "black") or beat not in ev.window:
            continue  # (a state read after the hook window is evidence, not the hook)
        if (kind not in closed) == present:
            return kind, beat
    return None, None


# --------------------------------------------------------------------------- hook


def _cue(text: str, cues: list[str]) -> str | None:
    low = text.lower()
    return next((c for c in cues if c in low), None)


def find_hook(body: list[Timed], cfg: AnalyserSettings, lang: str) -> Hook:
    """The strongest cue among elements that start inside the hook window (and at least the
    first one, so a long opening line is still judged)."""
    window = [e for e in body if e.start < cfg.hook_window_s] or body[:1]
    # the opening shot plays whole: lines said over the opening image belong to the hook
    for e in body[len(window):]:
        if e.el.new_shot:
            break
        window.append(e)
    cues = lexicon(lang)["hook"]  # kind -> cue phrases, in order of priority
    best = Hook(present=False, score=0.0)
    for e in window:
        for kind, phrases in cues.items():
            hit = _cue(e.el.text, phrases)
            if not hit:
                continue
            base = {"shock_line": 0.25, "question": 0.35, "conflict": 0.5}.get(kind, 0.6)
            if kind == "question" and e.el.kind == "action":
                base = 0.25  # a question in stage directions is rarely heard
            if kind in ("shock_line", "question") and e.valence < 0:
                base += 0.15  # a charged question or exclamation, not small talk
            score = min(1.0, base + 0.25 * e.arousal + 0.2 * max(0.0, -e.valence) + 0.1 * abs(e.valence))
            if score > best.score:
                best = Hook(present=False, t=e.start, kind=kind, score=round(score, 3),
                            evidence=e.el.text)
    # a cold open: the episode starts on a line said to someone, charged (a question, an
    # exclamation, a "you") and not pleasant small talk: the scene is already under way
    first = body[0] if body else None
    if first is not None and first.el.kind == "dialogue" and first.valence <= 0:
        text = first.el.text.lower()
        addressed = any(w in text for w in ("你", "您", "you")) or text.rstrip().endswith(
            ("?", "？", "!", "！"))
        score = round(min(1.0, 0.5 + 0.25 * first.arousal + 0.2 * -first.valence), 3)
        if addressed and score > best.score:
            best = Hook(present=False, t=first.start, kind="cold_open", score=score,
                        evidence=first.el.text)
    best.present = best.score >= cfg.hook_threshold
    if not best.present and window:
        best.evidence = best.evidence or window[0].el.text
    return best


# --------------------------------------------------------------------------- pivots, markers


def find_pivots(body: list[Timed], cfg: AnalyserSettings) -> list[Pivot]:
    """Valence reversals: a charged element whose sign differs from the last charged one."""
    pivots, last = [], None
    for e in body:
        if abs(e.valence) < cfg.neutral_band:
            continue
        if last is not None and (e.valence > 0) != (last.valence > 0):
            delta = e.valence - last.valence
            if abs(delta) >= cfg.pivot_min_delta:
                pivots.append(Pivot(t=e.start, delta=round(delta, 3), evidence=e.el.text))
        last = e
    return pivots


def story_pivots(body: list[Timed], lang: str, alpha: float = 0.5, band: float = 0.15) -> list[Pivot]:
    """Turns of the story: where the smoothed story valence (the line's valence, lowered by
    danger, conflict, humiliation, threat and distress, raised by closure) changes sign, and
    where an arrival, an interruption or a reveal lands."""
    cues, find_cue = story.cues, story.find_cue
    c = cues(lang)
    pivots, ema, sign, prev = [], None, 0, 0.0
    for e in body:
        v = e.valence
        v -= 0.5 * sum(bool(find_cue(e.el.text, c["opening"][k], lang))
                       for k in ("danger", "conflict", "humiliation", "threat", "distress"))
        v += 0.5 * bool(find_cue(e.el.text, c["ending"]["closure"], lang))
        turn = next((k for k in ("arrival", "interrupt", "reveal")
                     if find_cue(e.el.text, c["ending"][k], lang)), None)
        if ema is None:
            ema = v
            continue
        new = alpha * v + (1 - alpha) * ema
        now = 1 if new > band else -1 if new < -band else 0
        if (now and sign and now != sign) or turn:
            pivots.append(Pivot(t=e.start, delta=round(new - prev, 3), evidence=e.el.text))
        sign, ema, prev = now or sign, new, new
    return pivots


def _markers(body: list[Timed], cues: list[str], kind: str) -> list[Marker]:
    return [Marker(t=e.start, kind=kind, evidence=e.el.text) for e in body if _cue(e.el.text, cues)]


def _max_gap(times: list[float], duration: float) -> tuple[float, float, float]:
    """Longest stretch without a marker, counting from the start and to the end."""
    points = [0.0, *sorted(times), duration]
    gaps = [(b - a, a, b) for a, b in zip(points, points[1:], strict=False)]
    return max(gaps) if gaps else (0.0, 0.0, 0.0)


# --------------------------------------------------------------------------- cliffhanger


def find_cliffhanger(body: list[Timed], duration: float, cfg: AnalyserSettings, lang: str) -> Cliffhanger:
    """The ending: a question left open, a threat, a reveal cut short, an interrupted action;
    a closing note of calm or happiness on the last element weakens it."""
    window = [e for e in body if e.end > duration - cfg.cliffhanger_window_s] or body[-1:]
    window = window[-3:]  # the last beats decide; earlier ones have been answered on screen
    lex = lexicon(lang)
    best = Cliffhanger(present=False, score=0.0)
    for rank, e in enumerate(reversed(window)):
        text = e.el.text.strip()
        recency = 1.0 - 0.15 * rank
        found: list[tuple[str, float]] = []
        if e.el.kind == "dialogue" and text.endswith(("——", "—", "…", "...", "--")):
            found.append(("reveal_cut_short", 0.85))
        if e.el.kind == "dialogue" and text.rstrip("”\"").endswith(("？", "?")):
            found.append(("question", 0.62 if rank <= 1 else 0.45))
        if _cue(text, lex["cliffhanger"]["threat"]):
            found.append(("threat", 0.7))
        if e.el.kind == "action" and _cue(text, lex["cliffhanger"]["interrupted_action"]):
            found.append(("interrupted_action", 0.7))
        if e.el.kind == "action" and _cue(text, lex["hook"]["danger"]):
            found.append(("danger", 0.65))
        if rank == 0 and (e.valence <= -0.3 or e.arousal >= 0.6):
            found.append(("unresolved_tension", 0.5))
        for kind, base in found:
            score = min(1.0, base * recency + 0.2 * e.arousal)
            if score > best.score:
                best = Cliffhanger(present=False, kind=kind, score=round(score, 3), evidence=text)
    last = window[-1] if window else None
    if last and _cue(last.el.text, lex["closure"]) and last.valence >= 0:
        best.score = round(best.score * 0.4, 3)  # resolved: the audience can stop here
    best.present = best.score >= cfg.cliffhanger_threshold
    if not best.present:
        best.kind = best.kind if best.score else None
        best.evidence = best.evidence or (last.el.text if last else "")
    return best


# --------------------------------------------------------------------------- warnings


def warnings_for(r: BeatReport, body: list[Timed], cfg: AnalyserSettings) -> list[str]:
    w = []
    if not r.hook.present:
        opening = body[0].el.text[:40] if body else ""
        w.append(f"no hook before {_tc(cfg.hook_window_s)}: it opens on \"{opening}\"")
    gap, a, b = _max_gap([p.t for p in r.pivots], r.duration_s)
    if gap > cfg.max_pivot_gap_s:
        w.append(f"no pivot between {_tc(a)} and {_tc(b)}")
    gap, a, b = _max_gap([m.t for m in r.twists], r.duration_s)
    if gap > 2 * cfg.twist_every_s:
        w.append(f"no twist between {_tc(a)} and {_tc(b)} (aim for one about every "
                 f"{cfg.twist_every_s:.0f} s)")
    if r.duration_s > cfg.max_duration_s:
        w.append(f"episode runs {_tc(r.duration_s)}, over the {_tc(cfg.max_duration_s)} target")
    elif r.duration_s < cfg.min_duration_s:
        w.append(f"episode runs {_tc(r.duration_s)}, under the {_tc(cfg.min_duration_s)} minimum")
    if not r.cliffhanger.present:
        ending = body[-1].el.text[:40] if body else ""
        w.append(f"no cliffhanger in the last {_tc(cfg.cliffhanger_window_s)}: it ends on \"{ending}\"")
    return w
