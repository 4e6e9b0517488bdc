from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from aiscript.schema import MODELS, Episode, Frame, Series, Shot, ShotSize


def test_every_model_exports_a_json_schema():
    for name, model in MODELS.items():
        schema = model.model_json_schema()
        assert schema["type"] == "object", name
        assert schema.get("additionalProperties") is False, f"{name} must forbid extra fields"


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationError, match="extra"):
        Shot(id="1-1-1", size=ShotSize.close_up, duration_s=2.0, colour="red")


def test_season_round_trips_through_json(zh_season):
    series, episodes = zh_season
    assert Series.model_validate_json(series.model_dump_json()) == series
    for ep in episodes:
        again = Episode.model_validate_json(ep.model_dump_json())
        assert again == ep
        assert again.duration_s == pytest.approx(ep.duration_s)


def test_frame_paths_must_stay_inside_the_storyboard_folder():
    with pytest.raises(ValidationError, match="relative"):
        Frame(shot_id="1", prompt="p", seed=1, image="../x.png", width=9, height=16,
              start_s=0, duration_s=1)


def test_paywall_episode_must_exist(zh_season):
    series, _ = zh_season
    with pytest.raises(ValidationError, match="paywall"):
        series.plan.model_validate({**json.loads(series.plan.model_dump_json()),
                                    "paywall_episode": 99})


def test_episode_renders_inline_in_a_notebook(zh_season):
    html = zh_season[1][0]._repr_html_()
    assert "<table>" in html and zh_season[1][0].title in html
