from __future__ import annotations

from aiscript.craft import (
    genre,
    guess_genre,
    load_beat_template,
    load_cast_pools,
    load_genres,
    load_premises,
    load_season_arc,
)


def test_catalogue_has_at_least_eight_bilingual_genres():
    genres = load_genres()
    assert len(genres) >= 8
    for g in genres.values():
        assert g.name.zh and g.name.en
        assert len(g.hooks) >= 2 and len(g.cliffhangers) >= 2 and len(g.pivots) >= 2


def test_beat_template_numbers_are_the_craft_defaults():
    b = load_beat_template()
    assert (b.hook_window_s, b.twist_every_s, b.push_every_s, b.cliffhanger_window_s) == (
        3.0, 15.0, 30.0, 10.0)


def test_paywall_is_a_setting_of_the_arc():
    arc = load_season_arc()
    assert arc.paywall_episode(60) == 9
    assert arc.model_copy(update={"paywall_fraction": 0.25}).paywall_episode(60) == 15
    assert arc.paywall_episode(1) == 1


def test_example_premises_in_each_language_are_classified_as_labelled():
    premises = load_premises()
    for lang in ("zh", "en"):
        assert len(premises[lang]) >= 10
        labelled = [p for p in premises[lang] if p.genre]
        hits = sum(guess_genre(p.text, lang).id == p.genre for p in labelled)
        assert hits / len(labelled) >= 0.75, (lang, hits, len(labelled))


def test_genre_lookup_by_id_or_name():
    assert genre("复仇打脸").id == "revenge"
    assert genre("Rebirth").id == "rebirth"
    assert len(load_cast_pools().colors) >= 5
