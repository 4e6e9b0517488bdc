"""The emotion curve as a PNG, drawn with Pillow: valence and arousal over time, the hook
window, pivots and the cliffhanger window marked."""

from __future__ import annotations

from pathlib import Path

from aiscript.fonts import pil_font
from aiscript.schema import BeatReport, _tc


def plot_report(report: BeatReport, path: str | Path, hook_s: float | None = None,
                cliff_s: float | None = None, size: tuple[int, int] = (1000, 420)) -> Path:
    """The curve with the hook and cliffhanger windows (by default those of the beat rules)."""
    from PIL import Image, ImageDraw

    from aiscript.analysis.rules import beat_rules

    hook_s = hook_s if hook_s is not None else beat_rules().hook_window_s
    cliff_s = cliff_s if cliff_s is not None else beat_rules().cliffhanger_window_s

    from aiscript.files import write_atomic

    w, h = size
    left, right, top, bottom = 60, 20, 40, 50
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    font = pil_font(13)
    dur = max(report.duration_s, 1.0)

    def x(t: float) -> float:
        return left + (w - left - right) * t / dur

    def y(v: float) -> float:  # v in [-1, 1]
        return top + (h - top - bottom) * (1 - v) / 2

    d.rectangle([x(0), top, x(min(hook_s, dur)), h - bottom], fill=(255, 236, 200))
    d.rectangle([x(max(0, dur - cliff_s)), top, x(dur), h - bottom], fill=(220, 230, 255))
    d.line([x(0), y(0), x(dur), y(0)], fill=(160, 160, 160))
    for t in range(0, int(dur) + 1, 15):
        d.line([x(t), h - bottom, x(t), h - bottom + 5], fill="black")
        d.text((x(t) - 10, h - bottom + 8), _tc(t), font=font, fill="black")
    pts = report.emotion_curve
    if len(pts) > 1:
        d.line([(x(p.t), y(p.valence)) for p in pts], fill=(200, 40, 60), width=3)
        d.line([(x(p.t), y(2 * p.arousal - 1)) for p in pts], fill=(60, 90, 200), width=2)
    for p in report.pivots:
        d.line([x(p.t), top, x(p.t), h - bottom], fill=(120, 120, 120), width=1)
        d.ellipse([x(p.t) - 4, y(0) - 4, x(p.t) + 4, y(0) + 4], fill=(30, 30, 30))
    hook = "hook ✓" if report.hook.present else "no hook"
    cliff = "cliffhanger ✓" if report.cliffhanger.present else "no cliffhanger"
    d.text((left, 10), f"{Path(report.source).name}  {_tc(report.duration_s)}  {hook}  "
           f"{len(report.pivots)} pivots  {cliff}   red: valence  blue: arousal",
           font=font, fill="black")
    import io

    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return write_atomic(path, buf.getvalue())
