from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aiscript.analysis import AnalyserSettings, analyze, analyze_many, series_report
from aiscript.schema import BeatReport, Episode

DATA = Path(__file__).parents[1] / "data"
LABELLED = DATA / "labelled"
SCREENPLAYS = DATA / "screenplays"
# espeak-ng's Mandarin voice reads about 2.5 characters a second at its default rate (measured
# on a passage outside the set); people read scripts at about 4.5. English needs no scaling.
ESPEAK_ZH_TO_HUMAN = 2.51 / 4.5


def _labels():
    return json.loads((LABELLED / "labels.json").read_text(encoding="utf-8"))


def test_labelled_set_covers_both_languages_all_formats_and_both_answers():
    labels = _labels()
    assert len(labels) >= 30
    assert {lb["format"] for lb in labels} == {"txt", "fountain", "json"}
    assert {lb["lang"] for lb in labels} == {"zh", "en"}
    for key in ("hook", "cliffhanger"):
        assert {lb[key] for lb in labels} == {True, False}


def test_hook_and_cliffhanger_agree_with_the_labels_at_least_80_percent():
    # 85% while the weights were fitted on micro-dramas alone; fitted to hold across sources
    # (strong ridge, balanced classes, analysis/crossval.py) they give up a few points here
    labels = _labels()
    reports = {lb["file"]: analyze(LABELLED / lb["file"]) for lb in labels}
    hook = sum(reports[lb["file"]].hook.present == lb["hook"] for lb in labels) / len(labels)
    cliff = sum(reports[lb["file"]].cliffhanger.present == lb["cliffhanger"]
                for lb in labels) / len(labels)
    print(f"hook agreement {hook:.0%}, cliffhanger agreement {cliff:.0%}")
    assert hook >= 0.80 and cliff >= 0.80


def test_durations_are_within_20_percent_of_a_read_aloud_timing():
    for lb in _labels():
        if "read_aloud_s" not in lb:
            pytest.skip("labels built without espeak-ng")
        expected = lb["read_aloud_s"] * (ESPEAK_ZH_TO_HUMAN if lb["lang"] == "zh" else 1.0)
        got = analyze(LABELLED / lb["file"]).duration_s
        assert abs(got - expected) / expected <= 0.20, (lb["file"], got, expected)


@pytest.mark.parametrize(("name", "pages"), [("Brick-and-Steel.fountain", 3),
                                             ("The-Last-Birthday-Card.fountain", 19)])
def test_standard_screenplays_run_about_a_page_a_minute(name, pages):
    r = analyze(SCREENPLAYS / name)
    assert r.language == "en" and r.format == "fountain"
    assert abs(r.duration_s - pages * 60) / (pages * 60) <= 0.25, r.duration_s


@pytest.mark.parametrize("script_id", ["zh01", "zh04", "en05"])
def test_the_same_script_reads_the_same_in_every_format(script_id, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(LABELLED))
    import build
    from scripts import S

    spec = next(s for s in S if s["id"] == script_id)
    renders = {"json": build.episode_json, "fountain": build.fountain}
    if spec["lang"] == "zh":
        renders["txt"] = build.zh_layout
    reports = []
    for ext, render in renders.items():
        path = tmp_path / f"{script_id}.{ext}"
        path.write_text(render(spec), encoding="utf-8")
        reports.append(analyze(path))
    dialogue = sum(e[0] == "d" for e in spec["elements"])
    assert {r.pacing.lines for r in reports} == {dialogue}
    assert {r.hook.present for r in reports} == {spec["hook"]}
    assert {r.cliffhanger.present for r in reports} == {spec["cliff"]}
    durations = [r.duration_s for r in reports]
    assert max(durations) / min(durations) < 1.1, durations


def test_report_has_the_documented_fields():
    r = analyze(LABELLED / "en01.fountain")
    data = json.loads(r.model_dump_json())
    for key in ("source", "language", "duration_s", "hook", "pivots", "cliffhanger", "pacing",
                "emotion_curve", "warnings"):
        assert key in data
    assert set(data["hook"]) >= {"present", "t", "kind", "score", "evidence"}
    assert set(data["pacing"]) >= {"lines", "dialogue_ratio", "max_gap_between_pivots_s"}
    assert r.hook.present and r.hook.t is not None and r.hook.t < 3
    turns = analyze(LABELLED / "zh03.txt")  # humiliation, then love and laughter
    assert turns.pivots and all(p.evidence for p in turns.pivots)
    assert all(-1 <= p.valence <= 1 and 0 <= p.arousal <= 1 for p in r.emotion_curve)
    assert BeatReport.model_validate_json(r.model_dump_json()) == r


def test_warnings_a_writer_can_act_on():
    calm = analyze(LABELLED / "en02.fountain")
    assert any(w.startswith("no hook before 0:03") for w in calm.warnings)
    assert any(w.startswith("no cliffhanger in the last 0:10") for w in calm.warnings)
    long = analyze(LABELLED / "en01.fountain", AnalyserSettings(max_duration_s=20))
    assert any("over the 0:20 target" in w for w in long.warnings)
    slow = analyze(LABELLED / "zh02.txt", AnalyserSettings(max_pivot_gap_s=5))
    assert any(w.startswith("no pivot between") for w in slow.warnings)


def test_settings_change_the_verdict():
    strict = AnalyserSettings(hook_threshold=1.0, cliffhanger_threshold=1.0)
    r = analyze(LABELLED / "en01.fountain", strict)
    assert not r.hook.present and not r.cliffhanger.present


def test_an_episode_model_is_analysed_directly(zh_season):
    _, eps = zh_season
    r = analyze(eps[0])
    assert r.language == "zh" and r.hook.present and r.cliffhanger.present
    # the analyser reads the text aloud; the template writer holds shots longer to reach the
    # minimum run time of 60 s when its written lines are short (its episode 1 here reads in
    # about 50 s since an action and the line after it became one shot, and is held to 61 s)
    assert r.duration_s == pytest.approx(eps[0].duration_s, rel=0.25)
    assert r.duration_s >= 45


def test_series_report_checks_the_paywall_episode():
    reports, errors = analyze_many([LABELLED / lb["file"] for lb in _labels()])
    assert not errors and len(reports) == len(_labels())
    rows = [r for r in reports if r.source.endswith(".fountain") and "/en" in r.source]
    s = series_report(rows, paywall_episode=2)
    assert len(s.hook_arc) == len(rows) and s.paywall_strong is False  # en02 is the calm one
    assert any("paywall" in w for w in s.warnings)
    strong_first = [analyze(LABELLED / f) for f in
                    ("en01.fountain", "en05.fountain", "en02.fountain", "en06.fountain")]
    assert series_report(strong_first, paywall_episode=1).paywall_strong is True


def _cli(*args):
    return subprocess.run([sys.executable, "-c", "from aiscript.cli import main; main()", *args],
                          capture_output=True, text=True)


def test_cli_prints_json_per_file_and_the_series_report_for_several(tmp_path):
    one = _cli("analyze", str(LABELLED / "zh01.txt"), "--json")
    assert one.returncode == 0 and json.loads(one.stdout)["language"] == "zh"
    plot = tmp_path / "curve.png"
    two = _cli("analyze", str(LABELLED / "zh01.txt"), str(LABELLED / "en01.fountain"), "--json",
               "--plot", str(plot))
    both = json.loads(two.stdout)
    assert two.returncode == 0 and len(both["episodes"]) == 2
    assert len(both["series"]["hook_arc"]) == 2
    assert (tmp_path / "curve_001.png").is_file() and (tmp_path / "curve_002.png").is_file()


def test_bad_files_get_a_clear_error_and_the_others_are_still_reported(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "blob.fountain").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "big.txt").write_text("林晚：好。\n" * 400_000, encoding="utf-8")
    (tmp_path / "wrong.json").write_text('{"title": 3}')
    r = _cli("analyze", *(str(tmp_path / n) for n in
                          ("empty.txt", "bad.json", "blob.fountain", "big.txt", "wrong.json")),
             str(LABELLED / "en01.fountain"), "--json")
    assert r.returncode == 2
    for needle in ("empty.txt: empty script", "bad.json: invalid JSON at line 1",
                   "blob.fountain: binary file", "big.txt:", "over the 2 MB limit",
                   "wrong.json: not an Episode"):
        assert needle in r.stderr.replace("\n", " "), needle
    assert "Traceback" not in r.stderr
    reports = json.loads(r.stdout)
    assert [Path(x["source"]).name for x in reports] == ["en01.fountain"]


def test_the_analyser_imports_no_torch():
    code = ("import sys; from aiscript.analysis import analyze; "
            f"analyze({str(LABELLED / 'zh01.txt')!r}); print('torch' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "False", r.stderr


def test_prose_is_read_as_a_last_resort():
    text = ('She opened the door. "Who are you?" she asked. The stranger smiled.\n'
            '"Your brother sent me," he said.')
    r = analyze(text)
    assert r.format == "prose" and r.pacing.lines == 2


def test_example_episode_round_trip():
    assert analyze(Episode.example()).hook.present


def test_a_local_classifier_can_score_valence(tmp_path):
    pytest.importorskip("torch")
    from aiscript.analysis.emotion import ClassifierScorer, LexiconScorer
    from aiscript.backends.tiny import build_tiny_sentiment

    path = build_tiny_sentiment(tmp_path / "sentiment")
    scorer = ClassifierScorer(str(path))
    texts = ["你给我滚！", "谢谢你，我好开心。", "The lamp goes out."]
    scores = scorer.score(texts, "zh")
    assert all(-1 <= v <= 1 for v, _ in scores)
    assert [a for _, a in scores] == [a for _, a in LexiconScorer().score(texts, "zh")]
    assert [v for v, _ in scores] != [v for v, _ in LexiconScorer().score(texts, "zh")]
    report = analyze(LABELLED / "zh03.txt", scorer=scorer)
    assert [p.valence for p in report.emotion_curve][:3] == [v for v, _ in scorer.score(
        ["一杯红酒当头泼下，宋知夏的白色礼服瞬间染红。", "就凭你，也配进我们周家的门？",
         "满堂宾客哄笑，宋知夏握紧了拳头。"], "zh")]
    r = _cli("analyze", str(LABELLED / "zh03.txt"), "--json", "--scorer", str(path))
    assert r.returncode == 0 and json.loads(r.stdout)["language"] == "zh"
    r = _cli("analyze", str(LABELLED / "zh03.txt"), "--scorer", str(tmp_path / "nope"))
    assert r.returncode == 2 and "cannot load the scorer model" in r.stderr
