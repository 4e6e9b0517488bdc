"""Review pages: a season's scripts, beats and storyboards side by side in a browser.

``write_review(DIR)`` reads an ``aiscript run``, ``write`` or ``storyboard`` output folder and
writes ``DIR/review/index.html`` (one card per episode with its hook and cliffhanger verdicts,
the season plan's paywall and reveals on a timeline, filters, the cast) and one page per
episode (the script in its layout beside the frames, shot by shot, under the beat curve).

The pages are static: they open from ``file://`` with no server and no network. Frames are
linked by relative path; the CJK font is cut once to the characters the pages show and rides
in ``review/assets/font.css`` (a ``data:`` URL, so browsers load it from disk). Script text is
untrusted: every string goes through Jinja's autoescaping, scripts run only from
``assets/review.js`` (no inline code, and the pages' Content-Security-Policy forbids any).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiscript.errors import AiscriptError
from aiscript.files import MAX_JSON_DEPTH, is_owned, read_limited, safe_name, validate_json
from aiscript.schema import BeatReport, Episode, EpisodeOutline, Series, Storyboard

REVIEW_DIR = "review"
_ASSETS = Path(__file__).parent / "templates"
_MAX_JSON = 50_000_000
_FIX = "pass the --out folder of aiscript run, write or storyboard"
_SIZE_WORDS = {"over_the_shoulder": "over the shoulder", "extreme_close_up": "extreme close-up",
               "close_up": "close-up", "medium_close_up": "medium close-up"}


@dataclass
class EpisodeView:
    """One episode as the pages show it."""

    name: str  # the file stem: ep001, or an imported script's name
    page: str  # its page's file name in review/
    episode: Episode
    report: BeatReport
    board: Storyboard | None = None
    board_dir: str | None = None  # the frames' folder, relative to the output folder
    record: dict | None = None  # the writer's record from writing.json
    outline: EpisodeOutline | None = None
    flags: list[str] = field(default_factory=list)
    animatic: str | None = None  # links from review/
    contact_sheet: str | None = None
    clock: _Clock | None = None
    card: dict = field(default_factory=dict)
    digest: str = ""  # sha256 of the episode file


def write_review(root: str | Path, reports: Mapping[str, BeatReport] | None = None) -> Path:
    """Write ``root/review/`` for an aiscript output folder and return its ``index.html``.
    ``reports`` (by episode file stem) are the analyser's reports when the caller has them;
    the analyser reads the other episodes."""
    from aiscript.files import owns_outputs, prepare_output_dir

    root = Path(root)
    if not root.is_dir():
        raise AiscriptError(f"{root} is not a folder", _FIX)
    if not is_owned(root):
        raise AiscriptError(f"{root} was not made by aiscript (no .aiscript.json in it), so "
                            "review will not write into it", _FIX)

    @owns_outputs
    def claimed() -> Path:
        prepare_output_dir(root, resume=True)  # the lock: no run writes while we read
        return _write(root, reports or {})

    return claimed()


def _write(root: Path, reports: Mapping[str, BeatReport]) -> Path:
    from aiscript.analysis import series_report
    from aiscript.files import write_atomic

    series = _load(root / "series.json", Series, "a series file")
    out = root / REVIEW_DIR
    key = _analyser_key()
    views = _views(root, series, reports, _analysis(out / "analysis.json", key))
    season = _season(root, series, views)
    season["report"] = series_report([v.report for v in views],
                                     series.plan.paywall_episode if series else None)
    env = _env()
    pages = {"index.html": env.get_template("season.html.j2").render(**season)}
    for i, v in enumerate(views):
        pages[v.page] = env.get_template("episode.html.j2").render(
            season=season, ep=_episode(v), prev=views[i - 1] if i else None,
            next=views[i + 1] if i + 1 < len(views) else None)
    for name in ("review.css", "review.js"):
        write_atomic(out / "assets" / name, (_ASSETS / name).read_bytes())
    _write_font(out / "assets" / "font.css", "".join(pages.values()))
    for name, text in pages.items():
        write_atomic(out / name, text)
    write_atomic(out / "analysis.json", json.dumps({"analyser": key, "episodes": {
        v.name: {"sha256": v.digest, "report": v.report.model_dump(mode="json")}
        for v in views}}, ensure_ascii=False))
    return out / "index.html"


def _analyser_key() -> str:
    """What the analyser's reports depend on besides the episode: aiscript's code and data
    files (their names, sizes and times), so a report is reused only from the same analyser."""
    import hashlib

    from aiscript.craft import data_dir

    pkg = Path(__file__).resolve().parents[1]  # the package: its code is the version
    h = hashlib.sha256()
    for f in sorted([*pkg.rglob("*.py"), *(pkg / "analysis").glob("*.json"),
                     *data_dir("seeds").glob("*.json")]):
        st = f.stat()
        h.update(f"{f}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _analysis(path: Path, key: str) -> dict[str, dict]:
    """The reports an earlier review kept (``review/analysis.json``), by episode file stem;
    empty when absent, unreadable or from another analyser."""
    from aiscript.files import json_depth_ok

    if not path.is_file():
        return {}
    try:
        raw = read_limited(path, _MAX_JSON, "analysis")
        data = json.loads(raw) if json_depth_ok(raw) else {}
        return data["episodes"] if data.get("analyser") == key else {}
    except (AiscriptError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_font(path: Path, text: str) -> None:
    """The CJK font cut once to every character the pages show (markup included: a few ASCII
    glyphs more), shared by every page. A font already there that was cut for exactly these
    characters from the same font file is kept (the review written again after a run)."""
    import hashlib

    from aiscript.files import write_atomic
    from aiscript.fonts import cjk_font_path, font_face_css, sheet_chars

    source = cjk_font_path()
    stat = source.stat()
    key = hashlib.sha256(f"{source}|{stat.st_size}|{stat.st_mtime_ns}|".encode()
                         + "".join(sorted(sheet_chars(text))).encode()).hexdigest()
    stamp = f"/* aiscript font {key} */\n"
    try:
        with path.open(encoding="utf-8") as fh:
            if fh.readline() == stamp:
                return
    except OSError:
        pass
    write_atomic(path, stamp + font_face_css(text) + "\n")


# --------------------------------------------------------------------------- reading the folder


def _load(path: Path, model: type, what: str):
    if not path.is_file():
        return None
    raw = read_limited(path, _MAX_JSON, what)
    return validate_json(model, raw, path, what, f"rewrite it with aiscript, or remove {path.name}")


def _views(root: Path, series: Series | None, reports: Mapping[str, BeatReport],
           kept: Mapping[str, dict]) -> list[EpisodeView]:
    """Every episode with its storyboard, writer's record and outline, and the analyser's
    report: the caller's, else the one ``kept`` from an earlier review of the same bytes by
    the same analyser, else a new one."""
    import hashlib

    from pydantic import ValidationError

    from aiscript.analysis import analyze

    paths = sorted(p for p in (root / "episodes").glob("*.json")
                   if not p.name.endswith(".report.json")) if (root / "episodes").is_dir() else []
    if not paths:
        raise AiscriptError(f"no episodes in {root / 'episodes'}", _FIX)
    log = _writing_log(root / "writing.json")
    outlines = {o.number: o for o in series.plan.episodes} if series else {}
    views, used = [], {"index"}
    for p in paths:
        raw = read_limited(p, _MAX_JSON, "an Episode")
        ep = validate_json(Episode, raw, p, "an Episode", "rewrite it with aiscript, or remove it")
        digest = hashlib.sha256(raw).hexdigest()
        page = safe_name(p.stem)
        while page in used:
            page += "_"
        used.add(page)
        board, board_dir = _board(root, p.stem)
        found = [n for n in ("animatic.mp4", "animatic.gif", "contact_sheet.html")
                 if board_dir and (root / board_dir / n).is_file()]
        report = reports.get(p.stem)
        old = kept.get(p.stem)
        if report is None and isinstance(old, dict) and old.get("sha256") == digest:
            try:
                report = BeatReport.model_validate(old["report"])
            except (ValidationError, KeyError, TypeError):
                report = None
        report = report or analyze(ep)
        v = EpisodeView(name=p.stem, page=f"{page}.html", episode=ep, report=report, digest=digest,
                        board=board, board_dir=board_dir, record=log.get(ep.number),
                        outline=outlines.get(ep.number), clock=_Clock(ep))
        v.animatic = next((_url(f"{board_dir}/{n}") for n in found if n.startswith("anim")), None)
        if "contact_sheet.html" in found:
            v.contact_sheet = _url(f"{board_dir}/contact_sheet.html")
        v.flags = ([] if report.hook.present else ["weak-hook"]) + (
            [] if report.cliffhanger.present else ["weak-cliff"]) + (
            ["fallback"] if v.record and v.record.get("source") == "fallback" else []) + (
            ["warnings"] if report.warnings else [])
        views.append(v)
    if any(v.episode.number != views[0].episode.number for v in views):  # imported scripts
        views.sort(key=lambda v: v.episode.number)  # keep names' order within a number
    return views


def _board(root: Path, name: str) -> tuple[Storyboard | None, str | None]:
    folder = root / "storyboards" / name
    board = _load(folder / "storyboard.json", Storyboard, "a Storyboard")
    return (board, f"storyboards/{name}") if board else (None, None)


def _writing_log(path: Path) -> dict[int, dict]:
    """The writer's records by episode number; empty without a readable ``writing.json``."""
    from aiscript.files import json_depth_ok

    if not path.is_file():
        return {}
    try:
        raw = read_limited(path, _MAX_JSON, "writing log")
        data = json.loads(raw) if json_depth_ok(raw, MAX_JSON_DEPTH) else {}
        return {int(e["episode"]): e for e in data.get("episodes", []) if isinstance(e, dict)}
    except (AiscriptError, ValueError, KeyError, TypeError, AttributeError):
        return {}


# --------------------------------------------------------------------------- the season page


def _season(root: Path, series: Series | None, views: list[EpisodeView]) -> dict[str, Any]:
    first = views[0].episode
    lang = first.language
    n = len(views)
    paywall = series.plan.paywall_episode if series else None
    numbers = {v.episode.number: i for i, v in enumerate(views)}
    reveals = []
    if series:
        for s in series.plan.secrets:
            if s.reveal_episode in numbers:
                reveals.append({"episode": s.reveal_episode, "text": s.text, "big": s.big,
                                "index": numbers[s.reveal_episode]})
        reveals.sort(key=lambda r: r["episode"])
    for v in views:
        v.card = _card(v)
    cards = [v.card for v in views]
    for r in reveals:
        cards[r["index"]]["reveal"] = True
    total = sum(v.episode.duration_s for v in views)
    counts = {f: sum(f in v.flags for v in views) for f in
              ("weak-hook", "weak-cliff", "fallback", "warnings")}
    return {
        "lang": lang,
        "title": series.bible.title if series else first.series_title,
        "logline": series.bible.logline if series else "",
        "genre": series.bible.genre if series else "",
        "cards": cards, "counts": counts, "episodes": n, "total": _clock(total, 0),
        "paywall": paywall, "paywall_index": numbers.get(paywall) if paywall else None,
        "reveals": reveals, "cast": _cast(root, series),
        "writer": _writer_name(root / "writing.json"),
        "timeline": _season_timeline(views, numbers.get(paywall) if paywall else None, reveals),
        "kind": "run" if series else "storyboard",
    }


def _card(v: EpisodeView) -> dict[str, Any]:
    r, ep, clock = v.report, v.episode, v.clock
    hook_shot = clock.shot_at(r.hook.t if r.hook.t is not None else 0.0)
    frame = _frame(v, hook_shot)
    return {
        "page": v.page, "number": ep.number, "name": v.name, "title": ep.title,
        "duration": _clock(ep.duration_s, 0), "flags": v.flags,
        "hook": _verdict(r.hook, clock), "cliff": _verdict(r.cliffhanger, clock),
        "warnings": r.warnings, "frame": frame, "hook_shot": hook_shot,
        "source": (v.record or {}).get("source"), "record": v.record,
        "plan": v.outline.summary if v.outline else "",
        "paywall": bool(v.outline and v.outline.is_paywall),
    }


def _verdict(v, clock: _Clock) -> dict[str, Any]:
    shot = clock.shot_at(v.t) if v.t is not None else None
    return {"present": v.present, "kind": (v.kind or "").replace("_", " "), "score": v.score,
            "evidence": v.evidence,
            "t": _clock(clock.episode_t(v.t)) if v.t is not None else "",
            "anchor": f"shot-{safe_name(shot)}" if shot else ""}


def _cast(root: Path, series: Series | None) -> list[dict[str, Any]]:
    if series is not None:
        people = [{"id": c.id, "name": c.name, "role": c.role, "look": c.visual,
                   "voice": c.voice} for c in series.bible.characters]
    else:
        people = _cast_file(root / "cast.json")
    from types import SimpleNamespace

    from aiscript.storyboard.consistency import sheet_names

    names = sheet_names([SimpleNamespace(id=p["id"], name=p["name"]) for p in people])
    for p in people:
        sheet = root / "storyboards" / "characters" / names[p["id"]]
        p["sheet"] = _url(f"storyboards/characters/{names[p['id']]}") if sheet.is_file() else None
    return people


def _cast_file(path: Path) -> list[dict[str, Any]]:
    """A storyboard folder's cast (``cast.json``), with the ids its sheets were saved under
    (the casting's, from the names in cast order)."""
    from aiscript.files import json_depth_ok
    from aiscript.shots.casting import _id

    if not path.is_file():
        return []
    try:
        raw = read_limited(path, _MAX_JSON, "cast file")
        entries = json.loads(raw).get("characters", []) if json_depth_ok(raw) else []
        used: set[str] = set()
        return [{"id": _id(str(e["name"]), i, used), "name": str(e["name"]), "role": str(e.get("role", "")),
                 "look": str(e.get("look", "")), "voice": str(e.get("voice", ""))}
                for i, e in enumerate(entries) if isinstance(e, dict) and "name" in e]
    except (AiscriptError, ValueError, KeyError, TypeError, AttributeError):
        return []


def _writer_name(path: Path) -> str:
    if not path.is_file():
        return ""
    try:
        data = json.loads(read_limited(path, _MAX_JSON, "writing log"))
        return " ".join(str(x) for x in (data.get("writer"), data.get("model")) if x)
    except (AiscriptError, ValueError, AttributeError):
        return ""


def _season_timeline(views: list[EpisodeView], paywall: int | None,
                     reveals: list[dict]) -> dict[str, Any]:
    """Bars per episode on a 0..N x axis: hook score above the line, cliffhanger below."""
    bars = []
    for i, v in enumerate(views):
        h, c = v.report.hook, v.report.cliffhanger
        bars.append({"x": i, "page": v.page, "number": v.episode.number,
                     "hook": round(h.score * 44, 2), "cliff": round(c.score * 44, 2),
                     "hook_ok": h.present, "cliff_ok": c.present,
                     "label": f"{v.episode.number}. {v.episode.title}: hook {h.score:.2f}, "
                              f"cliffhanger {c.score:.2f}"})
    n = max(1, len(views))
    near = max(1.5, n / 14)  # columns a label needs on either side at laptop width
    labels = [] if paywall is None else [(paywall, f"{views[paywall].episode.number} paywall",
                                          "tl-pay-label")]
    for i, v in enumerate(views):
        ends = i in (0, n - 1)  # pinned to the edges: they need less room
        if (ends or v.episode.number % 10 == 0) and all(
                abs(i - j) > near * (1 if ends else 2.5 if c else 1) for j, _, c in labels):
            labels.append((i, str(v.episode.number), ""))
    return {"width": n, "bars": bars, "paywall": paywall,
            "reveals": sorted({r["index"] for r in reveals}),
            "labels": [{"left": f"{(i + 0.5) * 100 / n:.3f}%", "text": t,
                        "cls": " ".join(c for c in (cls, "start" if i == 0 else
                                                    "end" if i == n - 1 else "") if c)}
                       for i, t, cls in sorted(labels)]}


# --------------------------------------------------------------------------- an episode page


class _Clock:
    """Maps the analyser's time (its own timeline, with a beat for each scene change) onto the
    cut's time (shots back to back, as the frames and the animatic run), shot by shot."""

    def __init__(self, ep: Episode) -> None:
        from aiscript.analysis.beats import timeline
        from aiscript.analysis.formats import from_episode
        from aiscript.timing import TimingModel

        events = timeline(from_episode(ep), TimingModel())
        self.shots: list[tuple[str, float, float]] = []  # id, start, end on the cut
        src, dst = [0.0], [0.0]
        i, t = 0, 0.0
        for scene in ep.scenes:
            i += 1  # the heading
            for shot in scene.shots:
                n = (1 if shot.action else 0) + len(shot.lines)
                self.shots.append((shot.id, t, t + shot.duration_s))
                if n and i + n <= len(events):
                    src += [events[i].start, events[i + n - 1].end]
                    dst += [t, t + shot.duration_s]
                i += n
                t += shot.duration_s
        self.src, self.dst, self.duration = src, dst, t

    def episode_t(self, t: float) -> float:
        k = bisect.bisect_right(self.src, t) - 1
        if k < 0:
            return 0.0
        if k + 1 >= len(self.src):
            return min(self.duration, self.dst[-1] + (t - self.src[-1]))
        a, b = self.src[k], self.src[k + 1]
        f = (t - a) / (b - a) if b > a else 1.0
        return self.dst[k] + f * (self.dst[k + 1] - self.dst[k])

    def shot_at(self, analyser_t: float) -> str | None:
        t = self.episode_t(analyser_t)
        for sid, a, b in self.shots:
            if a <= t < b:
                return sid
        return self.shots[-1][0] if self.shots else None


def _episode(v: EpisodeView) -> dict[str, Any]:
    ep, r, clock = v.episode, v.report, v.clock
    dur = clock.duration or 1.0
    x = lambda t: round(1000 * min(1.0, max(0.0, t / dur)), 1)  # noqa: E731
    tags: dict[str, list[str]] = {}
    if r.hook.t is not None:
        tags.setdefault(clock.shot_at(r.hook.t), []).append("hook" if r.hook.present else "weak hook")
    for p in r.pivots:
        tags.setdefault(clock.shot_at(p.t), []).append("pivot")
    # the writer's own marks stay apart from what the analyser found in the text: a turn the
    # writer meant but the analyser cannot see is worth a look, not a pivot to count
    marked = [shot.id for _, shot in ep.shots() if shot.beat == "pivot"]
    for sid in marked:
        if "pivot" not in tags.get(sid, []):
            tags.setdefault(sid, []).append("pivot marked by the writer")
    for m in r.twists:
        tags.setdefault(clock.shot_at(m.t), []).append("twist")
    if r.cliffhanger.t is not None:
        tags.setdefault(clock.shot_at(r.cliffhanger.t), []).append(
            "cliffhanger" if r.cliffhanger.present else "weak cliffhanger")
    zh = ep.language == "zh"
    shots, k = [], 0
    for scene in ep.scenes:
        for j, shot in enumerate(scene.shots):
            sid, start, end = clock.shots[k]
            k += 1
            shots.append({
                "id": sid, "anchor": f"shot-{safe_name(sid)}", "start": start, "end": end,
                "tc": _clock(start), "dur": f"{shot.duration_s:.1f}",
                "x": x(start), "w": round(x(end) - x(start), 1),
                "slug": _slug(ep, scene) if j == 0 else None,
                "cast": _scene_cast(scene) if j == 0 else [],
                "action": shot.action.strip(), "card": shot.card,
                "lines": [{"speaker": ln.speaker, "paren": ln.parenthetical or "",
                           "text": ln.text} for ln in shot.lines],
                "specs": [_SIZE_WORDS.get(shot.size.value, shot.size.value.replace("_", " ")),
                          shot.angle.value.replace("_", " "),
                          shot.movement.value.replace("_", " "), f"{shot.lens_mm} mm"],
                "characters": shot.characters,
                "blocking": _blocking(shot.blocking),
                "tags": list(dict.fromkeys(tags.get(sid, []))),
                "frame": _frame(v, sid),
            })
    curve = [(x(clock.episode_t(p.t)), p.valence, p.arousal) for p in r.emotion_curve]
    valence = " ".join(f"{cx},{round(50 - 42 * val, 1)}" for cx, val, _ in curve)
    arousal = (f"0,100 {' '.join(f'{cx},{round(100 - 60 * a, 1)}' for cx, _, a in curve)} 1000,100"
               if curve else "")
    marks = [{"kind": "pivot", "x": x(clock.episode_t(p.t)), "label": f"pivot {_clock(clock.episode_t(p.t))}: {p.evidence}"}
             for p in r.pivots]
    for name, verdict in (("hook", r.hook), ("cliffhanger", r.cliffhanger)):
        if verdict.t is not None:
            t = clock.episode_t(verdict.t)
            marks.append({"kind": name if verdict.present else f"weak-{name}", "x": x(t),
                          "label": f"{name} {_clock(t)}: {verdict.evidence}"})
    ticks = [{"x": x(s), "label": _clock(s, 0)} for s in range(0, int(dur) + 1, 30 if dur > 60 else 15)]
    return {
        "page": v.page, "name": v.name, "number": ep.number, "title": ep.title, "lang": ep.language,
        "layout": "duanju" if zh else "screenplay", "duration": _clock(ep.duration_s, 0),
        "shots": shots, "card": v.card, "valence": valence, "arousal": arousal,
        "marks": marks, "ticks": ticks, "animatic": v.animatic, "contact_sheet": v.contact_sheet,
        "pivots": len(r.pivots), "marked_pivots": len(marked), "twists": len(r.twists),
        "pacing": r.pacing,
        "outline": _outline(v.outline),
        "consistency": [f"{name} {score:.2f}" for name, score in
                        sorted((v.board.consistency if v.board else {}).items())],
    }


def _outline(o: EpisodeOutline | None) -> dict[str, Any] | None:
    """What the season plan asked of the episode: its event, stage, target beats, change."""
    if o is None:
        return None
    return {"summary": o.summary, "stage": o.arc_stage.replace("_", " "), "change": o.change,
            "callback": o.callback,
            "beats": [{"kind": b.kind, "t": _clock(b.t, 0), "note": b.note or b.device}
                      for b in o.beats]}


def _frame(v: EpisodeView, shot_id: str | None) -> dict[str, Any] | None:
    if v.board is None or shot_id is None:
        return None
    for f in v.board.frames:
        if f.shot_id == shot_id:
            if f.image.startswith(("/", "\\")) or ".." in Path(f.image).parts:
                return None  # frames live in their storyboard's folder
            return {"src": _url(f"{v.board_dir}/{f.image}"), "w": f.width, "h": f.height,
                    "alt": f"{f.shot_id} {f.caption}"}
    return None


def _url(rel: str) -> str:
    """A path relative to the output folder, as a link from ``review/``: percent-encoded, so
    no name can become a scheme, a query or a fragment."""
    return "../" + quote(rel.replace("\\", "/"), safe="/")


def _slug(ep: Episode, scene) -> str:
    from aiscript.export.duanju import _SETTING, _TIME

    h = scene.heading
    if ep.language == "zh":
        return f"{ep.number}-{scene.number} {_TIME[h.time]} {_SETTING[h.setting]} {h.place}"
    return f"{h.setting}. {h.place.upper()} - {h.time}"


def _scene_cast(scene) -> list[str]:
    return scene.characters or list(dict.fromkeys(
        c for sh in scene.shots for c in [*sh.characters, *(ln.speaker for ln in sh.lines)]))


def _blocking(b: Any) -> list[str]:
    """A shot's staging in short lines: who stands where, facing and looking at whom, who
    touches whom, the props in play, the line of action. Empty without blocking."""
    if b is None:
        return []
    get = (lambda o, k, d=None: o.get(k, d)) if isinstance(b, dict) else getattr  # noqa: E731
    out = []
    for p in get(b, "people", []) or []:
        x = get(p, "x", None)
        where = ("" if x is None else "left" if x < 0.34 else "right" if x > 0.66 else "centre")
        looks = get(p, "looks_at", None)
        bits = [where, get(p, "pose", ""), f"facing {get(p, 'facing', '')}",
                f"looks at {looks}" if looks else "", "back to camera" if get(p, "foreground", False) else ""]
        out.append(f"{get(p, 'name', '')}: " + ", ".join(str(s) for s in bits if s and s != "facing "))
    for c in get(b, "contacts", []) or []:
        out.append(f"{get(c, 'by', '')} {str(get(c, 'kind', '')).replace('_', ' ')} {get(c, 'to', '')}")
    for pr in get(b, "props", []) or []:
        held = get(pr, "held_by", None)
        out.append(f"{get(pr, 'label', '')} ({get(pr, 'kind', '')})" + (f", held by {held}" if held else ""))
    line = get(b, "line_of_action", []) or []
    if len(line) == 2:
        out.append(f"line of action: {line[0]} left, {line[1]} right")
    return out


def _clock(seconds: float, digits: int = 1) -> str:
    """``m:ss.s`` (or ``m:ss``)."""
    seconds = max(0.0, seconds)
    if digits == 0:
        s = int(round(seconds))
        return f"{s // 60}:{s % 60:02d}"
    m, s = divmod(round(seconds, 1), 60)
    return f"{int(m)}:{s:04.1f}"


def _env():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_ASSETS)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda x: f"{x / 10:.2f}%"
    return env
