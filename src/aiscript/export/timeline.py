"""OpenTimelineIO timelines, and through OTIO's adapters FCP7 XML, FCPXML and CMX 3600 EDL.

One video track holds a clip per shot (its storyboard frame as the media, the shot id as the
name, camera notes and the shot's script in metadata); each line of dialogue is a marker on its
shot's clip over the frames it is said; the analyser's beats (hook, pivots, twists, pushes,
cliffhanger) are markers on the timeline with their evidence as the comment. FCP7 XML carries
the 1080x1920 sequence settings; FCPX and EDL have no timeline markers, so there the beats ride
on the clip they fall in.

>>> from aiscript.export.edit_plan import edit_plan
>>> from aiscript.schema import Episode
>>> tl = episode_timeline(edit_plan(Episode.example()))
>>> [c.name for c in tl.find_clips()], tl.duration().to_frames()
(['1-1-1'], 90)
"""

from __future__ import annotations

from pathlib import Path

from aiscript.errors import MissingExtra
from aiscript.export.edit_plan import EditPlan
from aiscript.files import write_atomic

FORMATS = {  # --to name: (OTIO adapter, file suffix)
    "otio": ("otio_json", ".otio"),
    "fcp7": ("fcp_xml", ".xml"),
    "fcpx": ("fcpx_xml", ".fcpxml"),
    "edl": ("cmx_3600", ".edl"),
}
_ADAPTER_PACKAGES = {"fcp_xml": "otio-fcp-adapter", "fcpx_xml": "otio-fcpx-xml-adapter",
                     "cmx_3600": "otio-cmx3600-adapter"}
_BEAT_COLOURS = {"hook": "RED", "pivot": "CYAN", "twist": "MAGENTA", "push": "BLUE",
                 "cliffhanger": "ORANGE"}


def _otio():
    try:
        import opentimelineio as otio
    except ImportError:
        raise MissingExtra("the edit export", "edit", "opentimelineio") from None
    return otio


def episode_timeline(plan: EditPlan):
    """The episode as an ``opentimelineio.schema.Timeline`` at the plan's frame rate."""
    otio = _otio()
    rt, tr = otio.opentime.RationalTime, otio.opentime.TimeRange
    fps = plan.fps
    timeline = otio.schema.Timeline(name=f"{plan.series_title} · {plan.name} {plan.title}",
                                    global_start_time=rt(0, fps))
    timeline.metadata["aiscript"] = {
        "series": plan.series_title, "episode": plan.episode, "title": plan.title,
        "language": plan.language, "width": plan.width, "height": plan.height, "fps": fps,
    }
    track = otio.schema.Track(name="Storyboard", kind=otio.schema.TrackKind.Video)
    sep = "：" if plan.language == "zh" else ": "
    for cut in plan.shots:
        length = tr(rt(0, fps), rt(cut.frames, fps))
        if cut.image:
            media = otio.schema.ExternalReference(target_url=Path(cut.image).as_uri(),
                                                  available_range=length)
        else:  # no frame rendered yet: the editor sees an offline clip with its name
            media = otio.schema.MissingReference()
        clip = otio.schema.Clip(name=cut.shot.id, media_reference=media, source_range=length,
                                metadata={"aiscript": _shot_metadata(cut)})
        for cue in (q for q in plan.cues if q.shot_id == cut.shot.id):
            clip.markers.append(otio.schema.Marker(
                name=f"{cue.speaker}{sep}{cue.text}", color=otio.schema.MarkerColor.YELLOW,
                marked_range=tr(rt(cue.start - cut.start, fps), rt(cue.frames, fps)),
                metadata={"aiscript": {"kind": "dialogue", "speaker": cue.speaker,
                                       "text": cue.text}}))
        track.append(clip)
    timeline.tracks.append(track)
    for beat in plan.beats:
        timeline.tracks.markers.append(otio.schema.Marker(
            name=beat.label, marked_range=tr(rt(beat.frame, fps), rt(0, fps)),
            color=getattr(otio.schema.MarkerColor, _BEAT_COLOURS.get(beat.kind, "WHITE")),
            comment=beat.evidence, metadata={"aiscript": {"kind": beat.kind}}))
    return timeline


def _shot_metadata(cut) -> dict:
    s = cut.shot
    return {
        "shot_id": s.id, "scene": cut.scene, "place": cut.place, "camera": cut.camera,
        "size": s.size.value, "angle": s.angle.value, "movement": s.movement.value,
        "lens_mm": s.lens_mm, "duration_s": s.duration_s, "beat": s.beat or "",
        "characters": list(s.characters), "action": s.action,
        "lines": [{"speaker": ln.speaker, "text": ln.text} for ln in s.lines],
    }


def timeline_for(plan: EditPlan, fmt: str):
    """The timeline as the format ``fmt`` can carry it (see ``FORMATS``)."""
    timeline = episode_timeline(plan)
    if fmt == "fcp7":
        _fcp7_settings(timeline, plan)
    elif fmt in ("fcpx", "edl"):
        _beats_onto_clips(timeline)
    if fmt == "edl":
        _edl_names(timeline, plan)
    return timeline


def _fcp7_settings(timeline, plan: EditPlan) -> None:
    """Vertical sequence settings, camera notes as clip comments, evidence as marker comments:
    the FCP7 adapter writes each item's ``fcp_xml`` metadata as XML."""
    timeline.metadata["fcp_xml"] = {"media": {"video": {"format": {"samplecharacteristics": {
        "width": plan.width, "height": plan.height, "pixelaspectratio": "square",
        "anamorphic": "FALSE", "fielddominance": "none",
        "rate": {"timebase": plan.fps, "ntsc": "FALSE"}}}}}}
    for clip in timeline.find_clips():
        shot = clip.metadata["aiscript"]
        clip.metadata["fcp_xml"] = {"comments": {"mastercomment1": shot["camera"],
                                                 "mastercomment2": shot["action"]}}
    for marker in timeline.tracks.markers:
        if marker.comment:
            marker.metadata["fcp_xml"] = {"comment": marker.comment}


def _edl_names(timeline, plan: EditPlan) -> None:
    """A short TITLE, and a reel per shot that cannot collide (scene and shot number, 8
    characters) where the adapter would squeeze '1-1-11' and '1-11-1' into the same '1111'."""
    timeline.name = plan.name
    count: dict[int, int] = {}
    for clip in timeline.find_clips():
        scene = clip.metadata["aiscript"]["scene"]
        count[scene] = count.get(scene, 0) + 1
        clip.metadata["cmx_3600"] = {"reel": f"S{scene:02d}SH{count[scene]:03d}"}


def _beats_onto_clips(timeline) -> None:
    """Formats without timeline markers: each beat goes onto the clip it falls in."""
    clips = list(timeline.find_clips())
    for marker in list(timeline.tracks.markers):
        frame = marker.marked_range.start_time
        clip = next((c for c in clips if c.trimmed_range_in_parent().end_time_exclusive() > frame),
                    clips[-1])
        offset = frame - clip.trimmed_range_in_parent().start_time
        marker.marked_range = type(marker.marked_range)(offset, marker.marked_range.duration)
        clip.markers.append(marker.clone())
    timeline.tracks.markers[:] = []


def write_timeline(plan: EditPlan, path: str | Path, fmt: str = "otio") -> Path:
    """Write the episode's timeline in ``fmt`` (otio, fcp7, fcpx, edl) to ``path``, atomically."""
    otio = _otio()
    adapter, _ = FORMATS[fmt]
    if adapter in _ADAPTER_PACKAGES and adapter not in {
            a.name for a in otio.plugins.ActiveManifest().adapters}:
        raise MissingExtra(f"the {fmt} export", "edit", _ADAPTER_PACKAGES[adapter])
    text = otio.adapters.write_to_string(timeline_for(plan, fmt), adapter)
    if fmt == "fcpx":
        text = _fcpx_frame_size(text, plan)
    return write_atomic(path, text)


def _fcpx_frame_size(text: str, plan: EditPlan) -> str:
    """The FCPX adapter names a format by probing media with ffprobe (stills give nothing), so
    set the sequence format's frame size on its ``<format>`` element."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text)
    for fmt in root.iter("format"):
        fmt.set("width", str(plan.width))
        fmt.set("height", str(plan.height))
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n{body}\n'
