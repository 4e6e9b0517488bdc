from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from aiscript.export.edit import export_edit, plan_episode_edit
from aiscript.export.edit_plan import edit_plan, frame_cuts
from aiscript.schema import Episode, Storyboard

from ..cli.test_cli import aiscript

otio = pytest.importorskip("opentimelineio")
srt = pytest.importorskip("srt")
webvtt = pytest.importorskip("webvtt")


@pytest.fixture(scope="module", params=["zh_run", "en_run"])
def exported(request, tmp_path_factory):
    """A copy of a 3-episode run (template writer + sketch frames), exported to every format."""
    prod = request.getfixturevalue(request.param)
    root = tmp_path_factory.mktemp("edit") / "season"
    shutil.copytree(prod.out, root)
    written = export_edit(root, ["all"], fps=30)
    plans = {}
    for ep in prod.episodes:
        folder = root / f"storyboards/ep{ep.number:03d}"
        board = Storyboard.model_validate_json((folder / "storyboard.json").read_bytes())
        plans[ep.number] = (ep, plan_episode_edit(ep, board, folder, fps=30))
    return root, written, plans


def test_every_format_is_written_for_every_episode(exported):
    root, written, plans = exported
    names = {p.relative_to(root / "edit").as_posix() for p in written}
    for n in plans:
        for suffix in (".otio", ".xml", ".fcpxml", ".edl", ".srt", ".vtt"):
            assert f"ep{n:03d}{suffix}" in names
        assert (root / f"edit/jianying/ep{n:03d}/draft_content.json").is_file()


@pytest.mark.parametrize("fps", [24, 25, 30, 60])
def test_clip_frames_add_up_to_the_episode_duration_at_any_frame_rate(zh_season, fps):
    for ep in zh_season[1]:
        plan = edit_plan(ep, fps=fps)
        assert sum(c.frames for c in plan.shots) == plan.total_frames
        assert abs(plan.total_frames - ep.duration_s * fps) <= 0.5 + 1e-9  # the duration, to the frame
        # each cut sits within half a frame of the timing model's running time
        t = 0.0
        for cut, (_, shot) in zip(plan.shots, ep.shots(), strict=True):
            assert abs(cut.start - t * fps) <= 0.5 + 1e-9
            t += shot.duration_s


def test_frame_cuts_never_drift_and_never_drop_a_clip():
    cuts = frame_cuts([1.01] * 100 + [0.001], 30)
    assert sum(n for _, n in cuts) == 3030 + 1  # 101 s, and the 1 ms shot still gets a frame
    assert all(n >= 1 for _, n in cuts) and cuts[-1][0] == round(101 * 30)


def test_one_cue_per_line_inside_its_shot(exported):
    _, _, plans = exported
    for ep, plan in plans.values():
        assert [(q.speaker, q.text) for q in plan.cues] == [(ln.speaker, ln.text) for ln in ep.lines()]
        cuts = {c.shot.id: c for c in plan.shots}
        for q in plan.cues:
            assert cuts[q.shot_id].start <= q.start < q.end <= cuts[q.shot_id].end
        assert all(a.end <= b.start for a, b in zip(plan.cues, plan.cues[1:], strict=False))


def _read(root: Path, n: int, suffix: str, adapter: str, **kw):
    return otio.adapters.read_from_file(str(root / f"edit/ep{n:03d}{suffix}"), adapter, **kw)


@pytest.mark.parametrize("suffix,adapter", [(".otio", "otio_json"), (".xml", "fcp_xml"),
                                            (".edl", "cmx_3600")])
def test_timelines_read_back_to_the_same_clips_and_durations(exported, suffix, adapter):
    root, _, plans = exported
    for n, (_, plan) in plans.items():
        kw = {"rate": plan.fps} if adapter == "cmx_3600" else {}
        tl = _read(root, n, suffix, adapter, **kw)
        clips = list(tl.find_clips())
        assert [c.name for c in clips] == [c.shot.id for c in plan.shots]
        assert [c.duration().to_frames() for c in clips] == [c.frames for c in plan.shots]
        assert [c.range_in_parent().start_time.to_frames() for c in clips] == \
            [c.start for c in plan.shots]
        assert tl.duration().to_frames() == plan.total_frames
        urls = [c.media_reference.target_url for c in clips]
        assert urls == [Path(c.image).as_uri() for c in plan.shots]
        assert all(Path(c.image).is_file() for c in plan.shots)
        # every line of dialogue is a marker on its shot's clip (EDL locators are upper case)
        for clip, cut in zip(clips, plan.shots, strict=True):
            said = [m.name.upper() for m in clip.markers]
            for q in (q for q in plan.cues if q.shot_id == cut.shot.id):
                assert any(q.text.upper() in name for name in said), q.text


def test_fcpxml_holds_the_exact_cuts_and_reads_back_within_the_adapters_rounding(exported):
    import xml.etree.ElementTree as ET
    from fractions import Fraction

    root, _, plans = exported
    for n, (_, plan) in plans.items():
        spine = ET.parse(root / f"edit/ep{n:03d}.fcpxml").getroot().find(".//spine")
        seconds = [(Fraction(c.get("offset").rstrip("s")), Fraction(c.get("duration").rstrip("s")))
                   for c in spine.iter("clip")]
        assert [(o * plan.fps, d * plan.fps) for o, d in seconds] == \
            [(c.start, c.frames) for c in plan.shots]  # exact, to the frame
        # OTIO's FCPX reader truncates seconds x rate to whole frames (41/10 s x 30 -> 122)
        tl = _read(root, n, ".fcpxml", "fcpx_xml")
        clips = list(tl.find_clips())
        assert [c.name for c in clips] == [c.shot.id for c in plan.shots]
        assert all(abs(c.duration().to_frames() - cut.frames) <= 1
                   for c, cut in zip(clips, plan.shots, strict=True))
        assert sum(len(c.markers) for c in clips) == len(plan.cues) + len(plan.beats)


def test_otio_keeps_shot_metadata_dialogue_ranges_and_beats_with_evidence(exported):
    from aiscript.analysis import analyze

    root, _, plans = exported
    seen: set[str] = set()
    for n, (ep, plan) in plans.items():
        tl = _read(root, n, ".otio", "otio_json")
        clips = list(tl.find_clips())
        for clip, (_, shot) in zip(clips, ep.shots(), strict=True):
            meta = clip.metadata["aiscript"]
            assert meta["shot_id"] == shot.id and meta["size"] == shot.size.value
            assert meta["camera"].endswith(f"{shot.lens_mm}mm") and meta["action"] == shot.action
        ranges = [(m.marked_range.start_time.to_frames() + c.range_in_parent().start_time.to_frames(),
                   m.marked_range.duration.to_frames())
                  for c in clips for m in c.markers]
        assert ranges == [(q.start, q.frames) for q in plan.cues]
        beats = [(m.metadata["aiscript"]["kind"], m.marked_range.start_time.to_frames(), m.comment)
                 for m in tl.tracks.markers]
        assert beats == [(b.kind, b.frame, b.evidence) for b in plan.beats]
        kinds = {k for k, _, _ in beats}
        report = analyze(ep)
        assert ("hook" in kinds) == report.hook.present
        assert ("cliffhanger" in kinds) == report.cliffhanger.present
        assert sum(k == "pivot" for k, _, _ in beats) == len(report.pivots)
        seen |= kinds
    assert {"hook", "pivot", "cliffhanger"} <= seen  # the season has each kind somewhere


def test_fcp7_xml_carries_a_vertical_sequence_and_camera_notes(exported):
    root, _, plans = exported
    n, (_, plan) = next(iter(plans.items()))
    tl = _read(root, n, ".xml", "fcp_xml")
    fmt = tl.metadata["fcp_xml"]["media"]["video"]["format"]["samplecharacteristics"]
    assert (int(fmt["width"]), int(fmt["height"])) == (1080, 1920)
    first = next(iter(tl.find_clips()))
    assert first.metadata["fcp_xml"]["comments"]["mastercomment1"] == plan.shots[0].camera
    assert [m.name for m in tl.tracks.markers] == [b.label for b in plan.beats]


def test_subtitles_parse_back_to_the_dialogue_on_the_cue_frames(exported):
    root, _, plans = exported
    for n, (ep, plan) in plans.items():
        subs = list(srt.parse((root / f"edit/ep{n:03d}.srt").read_text(encoding="utf-8")))
        assert [s.content for s in subs] == [ln.text for ln in ep.lines()]
        for s, q in zip(subs, plan.cues, strict=True):
            assert abs(s.start.total_seconds() - q.start / plan.fps) < 0.001
            assert abs(s.end.total_seconds() - q.end / plan.fps) < 0.001
        vtt = webvtt.read(str(root / f"edit/ep{n:03d}.vtt"))
        assert [(c.voice, c.text) for c in vtt] == [(ln.speaker, ln.text) for ln in ep.lines()]
        assert [c.start for c in vtt] == [s.start for s in vtt.captions]


def test_jianying_draft_loads_back_in_template_mode(exported):
    jy = pytest.importorskip("pyJianYingDraft")
    from aiscript.export.jianying import TEXT_TRACK, VIDEO_TRACK, load_draft

    root, _, plans = exported
    for _, plan in plans.values():
        draft = load_draft(root / "edit/jianying", plan.name)
        assert (draft.width, draft.height, draft.fps) == (1080, 1920, 30)
        us = [round(f * 1_000_000 / plan.fps) for f in [c.start for c in plan.shots] + [plan.total_frames]]
        assert draft.duration == us[-1]
        video = draft.get_imported_track(jy.TrackType.video, name=VIDEO_TRACK)
        spans = [(s.target_timerange.start, s.target_timerange.duration) for s in video.segments]
        assert spans == [(a, b - a) for a, b in zip(us, us[1:], strict=False)]
        names = [m["material_name"] for m in draft.imported_materials["videos"]]
        assert names == [c.shot.id for c in plan.shots]
        text = draft.get_imported_track(jy.TrackType.text, name=TEXT_TRACK)
        assert len(text.segments) == len(plan.cues)
        said = [json.loads(m["content"])["text"] for m in draft.imported_materials["texts"]]
        assert said == [q.text for q in plan.cues]


def test_exporting_again_replaces_our_drafts_and_files(exported):
    root, _, plans = exported
    before = (root / "edit/ep001.srt").read_bytes()
    export_edit(root, ["srt,jianying"], fps=30)
    assert (root / "edit/ep001.srt").read_bytes() == before
    leftovers = [p.name for p in (root / "edit/jianying").iterdir() if p.name.startswith(".")]
    assert leftovers == [] and (root / "edit/jianying/ep001/draft_content.json").is_file()


def test_run_writes_otio_and_srt_by_default(en_run):
    edit = Path(en_run.out) / "edit"
    for ep in en_run.episodes:
        tl = otio.adapters.read_from_file(str(edit / f"ep{ep.number:03d}.otio"))
        assert len(list(tl.find_clips())) == len(ep.shots())
        assert (edit / f"ep{ep.number:03d}.srt").is_file()
    assert not (edit / "jianying").exists()  # the rest only on `aiscript export`


def test_storyboard_command_writes_the_edit_beside_its_frames(tmp_path, zh_run):
    script = Path(__file__).parents[1] / "data/labelled/en01.fountain"
    r = aiscript("storyboard", str(script), "--out", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "b/edit/en01.otio").is_file() and (tmp_path / "b/edit/en01.srt").is_file()
    r = aiscript("export", str(tmp_path / "b"), "--to", "edl,jianying", "--fps", "25")
    assert r.returncode == 0, r.stderr
    episode = Episode.model_validate_json((tmp_path / "b/episodes/en01.json").read_bytes())
    tl = otio.adapters.read_from_file(str(tmp_path / "b/edit/en01.edl"), "cmx_3600", rate=25)
    assert abs(tl.duration().to_frames() - episode.duration_s * 25) <= 0.5
    assert (tmp_path / "b/edit/jianying/en01/draft_content.json").is_file()
    # episode JSON from elsewhere: named by its file, offline clips where no frames were drawn
    ep = Path(zh_run.out) / "episodes/ep001.json"
    r = aiscript("export", str(tmp_path / "b"), "--to", "otio", "--episode", str(ep))
    assert r.returncode == 0, r.stderr
    tl = otio.adapters.read_from_file(str(tmp_path / "b/edit/ep001.otio"))
    assert len(list(tl.find_clips())) == len(zh_run.episodes[0].shots())


def test_export_errors_are_one_problem_and_one_fix(tmp_path, en_run):
    unrendered = tmp_path / "written"
    shutil.copytree(Path(en_run.out) / "episodes", unrendered / "episodes")
    for args, words in ((["export", str(tmp_path / "none"), "--to", "otio"], "is not a folder"),
                        (["export", str(tmp_path), "--to", "avid"], "unknown edit format avid"),
                        (["export", str(tmp_path), "--to", "otio"], "no episodes in"),
                        (["export", str(unrendered), "--fps", "0"], "frame rate 0"),
                        (["export", str(unrendered)], "no storyboard for ep001")):
        r = aiscript(*args)
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert "fix:" in r.stderr
    assert not (unrendered / "edit").exists()  # refused before anything was written


def test_episodes_without_frames_export_as_offline_clips(tmp_path, en_run):
    shutil.copytree(Path(en_run.out) / "episodes", tmp_path / "episodes")
    export_edit(tmp_path, ["otio,srt"])
    tl = otio.adapters.read_from_file(str(tmp_path / "edit/ep001.otio"))
    assert {type(c.media_reference).__name__ for c in tl.find_clips()} == {"MissingReference"}
    assert len(list(tl.find_clips())) == len(en_run.episodes[0].shots())


def test_edl_reels_are_unique_per_shot(exported):
    root, _, plans = exported
    for n, (_, plan) in plans.items():
        tl = _read(root, n, ".edl", "cmx_3600", rate=plan.fps)
        reels = [c.metadata["cmx_3600"]["reel"] for c in tl.find_clips()]
        assert len(set(reels)) == len(reels) == len(plan.shots)


def test_a_missing_extra_names_the_pip_install_that_fixes_it(tmp_path, zh_run):
    import subprocess
    import sys

    code = ("import sys; sys.modules['opentimelineio'] = None; sys.modules['otio_fcp_adapter'] = None; "
            "from aiscript.cli import main; main()")
    r = subprocess.run([sys.executable, "-c", code, "export", str(zh_run.out), "--to", "fcp7"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert 'pip install "aiscript[edit]"' in r.stderr and "otio-fcp-adapter" in r.stderr
    assert not (Path(zh_run.out) / "edit/ep001.xml").exists()


def test_subtitles_are_burnt_into_the_mp4_animatic_during_their_cues(tmp_path, zh_run):
    iio = pytest.importorskip("imageio.v2")
    np = pytest.importorskip("numpy")
    from PIL import Image

    from aiscript.export.animatic import animatic_mp4
    from aiscript.export.subtitles import caption_times

    ep, root = zh_run.episodes[0], Path(zh_run.out) / "storyboards/ep001"
    board = Storyboard.model_validate_json((root / "storyboard.json").read_bytes())
    board.frames = board.frames[:3]  # three shots are enough, and fast
    ep = ep.model_copy(update={"scenes": [ep.scenes[0].model_copy(
        update={"shots": ep.scenes[0].shots[:3]})]})
    plan = edit_plan(ep, fps=12)
    path = animatic_mp4(board, root, tmp_path / "a.mp4", fps=12, max_width=270,
                        captions=caption_times(plan))
    video = [f.astype(float) for f in iio.mimread(path, memtest=False)]
    assert len(video) == plan.total_frames
    cue, cut = plan.cues[0], plan.shots[0]
    assert cut.start < cue.start  # the action plays before the line: a frame without caption
    with Image.open(root / board.frames[0].image) as im:
        still = np.asarray(im.convert("RGB").resize((270, 480))).astype(float)
    bottom = slice(int(480 * 0.8), 480)
    clean = np.abs(video[cue.start - 1][bottom] - still[bottom]).mean()
    burnt = np.abs(video[(cue.start + cue.end) // 2][bottom] - still[bottom]).mean()
    assert clean < 3 < burnt, (clean, burnt)


def test_run_without_the_edit_extra_writes_no_edit_and_still_succeeds(tmp_path):
    import subprocess
    import sys

    from ..conftest import EN_PREMISE

    code = ("import sys; sys.modules['opentimelineio'] = None; "
            "from aiscript.cli import main; main()")
    r = subprocess.run([sys.executable, "-c", code, "run", EN_PREMISE, "-n", "1", "--lang", "en",
                        "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "o/episodes/ep001.json").is_file() and not (tmp_path / "o/edit").exists()


def test_beat_markers_sit_on_the_cue_or_shot_their_evidence_quotes(exported):
    _, _, plans = exported
    placed = 0
    for _, plan in plans.values():
        starts: dict[str, set[int]] = {}
        for text, frame in [(c.shot.action, c.start) for c in plan.shots] + \
                [(q.text, q.start) for q in plan.cues]:
            starts.setdefault(text.strip(), set()).add(frame)
        for beat in plan.beats:
            if beat.kind != "cliffhanger" and beat.evidence.strip() in starts:
                assert beat.frame in starts[beat.evidence.strip()], beat
                placed += 1
    assert placed > 0
