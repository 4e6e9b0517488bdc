"""The library API the CLI calls: aiscript.run/storyboard/analyze/export/read_script with a
RunConfig, backends built by name through the registry, no process-wide side effects."""

from __future__ import annotations

import pytest

import aiscript
from aiscript import registry
from aiscript.config import RunConfig
from aiscript.storyboard.sketch import SketchRenderer

from .conftest import EN_PREMISE

SCRIPT = "1-1 日 内 办公室\n林晚：我不干了。\n顾言：你说什么？\n"


class StampRenderer(SketchRenderer):
    """A plugin renderer: the sketch renderer, counting the frames it draws."""

    drawn = 0

    def render(self, *args, **kwargs):
        type(self).drawn += 1
        return super().render(*args, **kwargs)


@pytest.fixture
def stamp_renderer():
    registry.register("renderer", "stamp", f"{__name__}:StampRenderer")
    StampRenderer.drawn = 0
    yield
    registry.BUILTIN["renderer"].pop("stamp")


def test_storyboard_and_export_are_library_calls_and_still_packages(tmp_path):
    script = tmp_path / "ep1.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    result = aiscript.storyboard([script], out=tmp_path / "boards")
    assert result.names == ["ep1"] and result.storyboards[0].frames
    assert aiscript.storyboard.sketch.SketchRenderer is SketchRenderer  # the package is intact
    written = aiscript.export(tmp_path / "boards", ["srt"], episodes=[
        tmp_path / "boards/episodes/ep1.json"])
    assert written and all(p.suffix in (".srt", ".vtt") for p in written)
    assert aiscript.export.to_fountain(result.episodes[0]).startswith("Title:")


def test_a_plugin_renderer_reaches_the_storyboard_command(tmp_path, stamp_renderer):
    from aiscript.cli import main

    script = tmp_path / "ep1.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    main(["storyboard", str(script), "--renderer", "stamp", "--out", str(tmp_path / "b")])
    assert StampRenderer.drawn > 0 and (tmp_path / "b/storyboards/ep1/storyboard.json").is_file()


def test_an_unknown_renderer_names_the_registered_ones(tmp_path, capsys):
    from aiscript.cli import main

    script = tmp_path / "ep1.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["storyboard", str(script), "--renderer", "oil", "--out", str(tmp_path / "b")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "unknown renderer 'oil'" in err and "sketch" in err
    assert not (tmp_path / "b").exists()


def test_run_takes_a_config_and_its_older_keywords_set_the_config(tmp_path, stamp_renderer):
    prod = aiscript.run(EN_PREMISE, RunConfig(renderer="stamp"), episodes=1, lang="en",
                        out=tmp_path / "o")
    assert StampRenderer.drawn > 0 and prod.storyboards[0].renderer
    assert prod.board(1).folder.startswith(str(tmp_path))  # absolute, for a notebook
    # the keywords run took before RunConfig still work, and anything else is refused
    prod = aiscript.run(EN_PREMISE, episodes=1, lang="en", storyboards=False, batch_size=2)
    assert prod.episodes and not prod.storyboards
    with pytest.raises(TypeError, match="frame_bach"):
        aiscript.run(EN_PREMISE, episodes=1, frame_bach=2)


def test_threads_are_set_for_the_call_only():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    cfg = RunConfig(threads=before + 1)
    with cfg.cpu_threads():
        assert torch.get_num_threads() == before + 1
    assert torch.get_num_threads() == before
    aiscript.run(EN_PREMISE, cfg, episodes=1, lang="en", storyboards=False)
    assert torch.get_num_threads() == before


def test_analyze_takes_one_script_or_many(tmp_path, zh_run):
    from aiscript.schema import BeatReport

    one = aiscript.analyze(zh_run.episodes[0])
    assert isinstance(one, BeatReport)
    many = aiscript.analyze([zh_run.out, tmp_path / "missing.fountain"])
    assert len(many.reports) == len(zh_run.episodes) and len(many.errors) == 1
    assert many.series is not None
    assert many.series.paywall_episode == zh_run.series.plan.paywall_episode  # series.json


def test_read_script_is_the_one_reader(tmp_path):
    script = tmp_path / "ep1.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    [draft] = aiscript.read_script(script)
    assert [e.line.text for s in draft.scenes for e in s.elements if e.line] == [
        "我不干了。", "你说什么？"]


def test_every_backend_kind_is_built_by_name_and_a_missing_model_is_named():
    from aiscript.errors import AiscriptError

    assert RunConfig().build_shot_planner() is None and RunConfig().build_judge() is None
    assert RunConfig(renderer="none").build_renderer() is None
    with pytest.raises(AiscriptError, match="shot planner needs a model"):
        RunConfig(shot_planner="llm").build_shot_planner()
    with pytest.raises(AiscriptError, match="unknown shot planner 'dice'"):
        RunConfig(shot_planner="dice", shot_model="m").build_shot_planner()
    with pytest.raises(AiscriptError, match="judge needs a model"):
        RunConfig(judge="llm").build_judge()
