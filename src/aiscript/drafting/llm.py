"""The LLM episode writer: a language model writes the scenes of the planner's beat plan.

premise -> (planner) bible + season plan -> the model's title, logline, looks and summaries ->
for each chunk of episodes, one batched, schema-constrained generation of scenes of beats ->
schema validation and degenerate-text checks (``writing.checks``), retries with sampling, the
planner's episode as a recorded fallback -> the shot planner lays the beats out as shots ->
the analyser checks hook and cliffhanger; the model rewrites a weak opening or ending, the
planner's beat is grafted only as a last resort. Every episode is handed to ``on_episode`` as
soon as it is final, and ``records`` says where its text came from.

    writer = LLMWriter(LocalChat(TransformersGenerator.from_pretrained("models/smollm2")))
    series = writer.plan(premise)
    episodes = writer.write_episodes(series, on_episode=save)
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aiscript.backends.chat import ChatGenerator, LocalChat
from aiscript.craft import genre as find_genre
from aiscript.drafting import checks
from aiscript.drafting.prompts import render
from aiscript.drafting.records import PlanRecord, WritingRecord
from aiscript.drafting.shapes import (
    CAPS,
    CHARS_PER_TOKEN,
    INTENSITY,
    MAX_LINES,
    ModelBeat,
    ModelEpisode,
    PlanDraft,
    beat_problems,
    beat_schema,
    episode_example,
    episode_problems,
    episode_schema,
    parse_beat,
    parse_episode,
    parse_plan,
    plan_example,
    plan_problems,
    plan_schema,
    repair_json,
)
from aiscript.drafting.template import TemplateWriter
from aiscript.schema import (
    Beat,
    Brief,
    Episode,
    EpisodeDraft,
    Line,
    Model,
    Premise,
    SceneDraft,
    SceneHeading,
    ScriptElement,
    Series,
    SeriesBible,
)
from aiscript.shots.planner import plan_episode
from aiscript.timing import TimingModel

__all__ = ["LLMWriter", "LocalChat", "ChatGenerator", "Drafter", "Ledger", "parse_episode",
           "parse_plan",
           "repair_json", "episode_schema", "plan_schema"]


class Drafter(Protocol):
    """Anything that drafts an episode from a season without a model: the writer's fallback,
    the source of scene places and of grafted hooks and cliffhangers."""

    def write_episode(self, series: Series, number: int) -> Episode: ...


# --------------------------------------------------------------------------- continuity


class LedgerFact(Model):
    episode: int
    kind: str  # secret | injury | relationship | costume
    who: list[str]
    what: str


class Ledger(Model):
    """What later episodes must stay consistent with; updated as each episode is final."""

    facts: list[LedgerFact] = []

    def update(self, bible: SeriesBible, outline_stage: str, ep: Episode) -> None:
        names = [c.name for c in bible.characters]
        present = [n for n in names if any(n in sh.characters for _, sh in ep.shots())]
        if outline_stage in ("paywall", "reveal"):
            self.facts.append(LedgerFact(episode=ep.number, kind="secret", who=present,
                                         what=bible.tropes[-1]))
        for _, sh in ep.shots():
            if re.search(r"血|受伤|伤口|bleed|blood|injur|wound", sh.action, re.I):
                who = [n for n in names if n in sh.action] or sh.characters
                self.facts.append(LedgerFact(episode=ep.number, kind="injury", who=who,
                                             what=sh.action[:80]))
        speakers = list(dict.fromkeys(ln.speaker for ln in ep.lines()))
        for a, b in itertools.pairwise(speakers):
            self.facts.append(LedgerFact(episode=ep.number, kind="relationship", who=[a, b],
                                         what="face to face"))
        if ep.number == 1:
            for c in bible.characters:
                self.facts.append(LedgerFact(episode=1, kind="costume", who=[c.name],
                                             what=c.visual))

    def recent(self, n: int = 12) -> list[LedgerFact]:
        costume = [f for f in self.facts if f.kind == "costume"]
        rest = [f for f in self.facts if f.kind != "costume"]
        return costume + rest[-n:]


def series_key(series: Series) -> str:
    """Alias of ``Series.key`` for older callers."""
    return series.key


# --------------------------------------------------------------------------- one episode in flight


@dataclass
class _Job:
    """One episode being written: its plan, prompt, draft and record."""

    series: Series
    number: int
    beats: list[tuple[int, Beat]]
    prompt: tuple[str, str] = ("", "")
    parts: list[list[ScriptElement]] = field(default_factory=list)  # elements per beat
    title: str = ""
    episode: Episode | None = None
    record: WritingRecord | None = None
    draft: ModelEpisode | None = None  # the model's beats as taken, for rewrites to check

    @property
    def key(self) -> tuple[str, int]:
        return self.series.key, self.number


def _seed(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode()) & 0x7FFFFFFF


# --------------------------------------------------------------------------- the writer


class LLMWriter:
    """Writes episodes with a language model, in batches, checked, revised and recorded."""

    name = "llm"

    def __init__(
        self,
        chat: ChatGenerator,
        drafter: Drafter | None = None,
        plan_season: Callable[[Premise], Series] | None = None,
        batch_size: int = 8,
        max_new_tokens: int | None = None,
        max_beats: int | None = None,
        retries: int = 2,
        beat_retries: int = 2,
        revise_passes: int = 1,
        draft_plan: bool = True,
        window: int = 2,
        timing: TimingModel | None = None,
        unit: Literal["episode", "beat"] = "episode",
        reader: Callable[[Premise], Brief] | None = None,
    ) -> None:
        """``chat`` writes; ``drafter`` drafts an episode where the model's never passes (the
        template writer by default); ``plan_season`` turns a premise into the season the
        model writes over (the template writer's planner by default); ``reader``, when given,
        reads a premise that has no brief yet (``writing.model_reader.ModelReader``: the
        model's reading, checked, the rules' as its fallback) before it is planned."""
        self.chat = chat
        self.reader = reader
        # what one answer holds: a whole episode (its refused beats then written again one by
        # one), or one beat from the first try, against its own note (a small model's size)
        self.unit = unit
        if drafter is None or plan_season is None:
            template = TemplateWriter()
            drafter = drafter or template
            plan_season = plan_season or template.plan
        self.drafter: Drafter = drafter
        self.plan_season = plan_season
        self.timing = timing or TimingModel()
        self.batch_size = batch_size
        # episodes per generation: batch_size decode at once and, as each ends, a waiting one
        # takes its slot (continuous batching); a static cache keeps every row in its slot
        self.window = 1 if chat.static_cache else max(1, window)
        self.max_beats = max_beats
        self.max_new_tokens = max_new_tokens
        self.retries = retries
        self.beat_retries = beat_retries  # rounds after the last whole try that mend beats only
        self.revise_passes = revise_passes
        self.draft_plan = draft_plan
        self.constrained = chat.constrained
        self.ledgers: dict[str, Ledger] = {}  # one continuity ledger per season
        self.records: list[WritingRecord] = []
        self.plan_record: PlanRecord | None = None
        self._skeletons: dict[tuple[str, int], Episode] = {}
        self.use_judge = False  # the writer's model judges hooks and cliffhangers too
        self._analyze = None

    @property
    def model_name(self) -> str:
        return self.chat.name

    @property
    def generation_stats(self):
        """The tokens the model generated and how fast."""
        return self.chat.stats

    class Options(BaseModel):
        """What ``--writer llm`` takes; anything else is an error, not dropped."""

        model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

        model: str | None = None  # local folder or cached hub id
        device: str | None = None
        batch_size: int = Field(8, ge=1)  # episodes decoding at once
        on_tokens: Callable[[int], None] | None = None  # progress: tokens as they come
        fast: bool = False  # static KV cache + compiled decode step (CUDA graphs on a GPU)
        threads: int | None = Field(None, ge=1)  # torch's CPU threads
        max_new_tokens: int | None = Field(None, ge=16)  # per episode (default: from its beats)

    @classmethod
    def from_options(cls, **options: Any) -> LLMWriter:
        """Built by name (``--writer llm --model ...``) from ``Options``: checks the model
        before loading it, then loads it once."""
        from aiscript.backends.modelcheck import check_chat_model
        from aiscript.errors import AiscriptError
        from aiscript.registry import parse_options

        o = parse_options(cls.Options, options, "llm writer")
        if not o.model:
            raise AiscriptError("the llm writer needs a model", "pass --model PATH_OR_ID")
        check_chat_model(o.model)
        from aiscript.backends.hf_text import TransformersGenerator

        gen = TransformersGenerator.from_pretrained(o.model, device=o.device,
                                                    static_cache=o.fast, compile=o.fast)
        chat = LocalChat(gen, on_tokens=o.on_tokens, threads=o.threads, name=str(o.model))
        return cls(chat, batch_size=o.batch_size, max_new_tokens=o.max_new_tokens)

    # -- plan ---------------------------------------------------------------------------

    def plan(self, premise: Premise) -> Series:
        """The planner's season, then the model's title, logline, character looks and episode
        summaries over it (schema-constrained, checked, bounded retries; the planner's own
        text stays where the model's never passes, and ``plan_record`` says so)."""
        if self.reader is not None and premise.brief is None:
            premise = premise.model_copy(update={"brief": self.reader(premise)})
        series = self.plan_season(premise)
        if not self.draft_plan:
            self.plan_record = PlanRecord(source="template")
            return series
        bible, plan = series.bible, series.plan
        lang = bible.language
        n_cast, n_eps = len(bible.characters), len(plan.episodes)
        system = render(f"plan.{lang}.j2", bible=bible, plan=plan, genre=find_genre(bible.genre),
                        example=plan_example(bible))
        prompt = (system, bible.premise.text)
        schema = plan_schema(n_cast, n_eps, lang)
        ctx = checks.Context(language=lang,
                             prompt=checks.instructions_only(
                                 system, checks.story_strings(bible, plan)),
                             cast=[c.name for c in bible.characters],
                             ignore={checks._norm(bible.premise.text)})
        caps = CAPS[lang]
        budget = self.max_new_tokens or int(64 + (caps["title"] + caps["logline"] + n_cast *
                                                  caps["look"] + n_eps * caps["summary"])
                                            / CHARS_PER_TOKEN[lang] * 0.6)
        problems: list[str] = []
        refusals: list[str] = []
        for attempt in range(self.retries + 1):
            res = self.chat.chat([prompt], budget, [schema] if self.constrained else None,
                                 0.0 if attempt == 0 else 0.8,
                                 [_seed(series.key, "plan", attempt)])[0]
            try:
                draft = _unlabelled(parse_plan(res.text, n_cast, n_eps),
                                    [c.name for c in bible.characters])
            except (ValidationError, ValueError) as exc:
                problems = [_invalid(exc, res)]
            else:
                problems = plan_problems(draft, ctx)
            if not problems:
                self.plan_record = PlanRecord(source="model", attempts=attempt + 1,
                                              refusals=refusals)
                return self._apply_plan(series, draft)
            refusals += [f"try {attempt + 1}: {p}" for p in problems[:8]]
        self.plan_record = PlanRecord(source="fallback", attempts=self.retries + 1,
                                      rejected=problems[:8], refusals=refusals)
        warnings.warn(f"the season draft was refused ({problems[0] if problems else '?'}); "
                      "the planner's text stays", stacklevel=2)
        return series

    @staticmethod
    def _apply_plan(series: Series, draft: PlanDraft) -> Series:
        bible = series.bible
        english = bible.language == "en"
        cast = [c.model_copy(update={"visual": look, **({"visual_prompt": look} if english else {})})
                for c, look in zip(bible.characters, draft.looks, strict=True)]
        episodes = [o.model_copy(update={"summary": s})
                    for o, s in zip(series.plan.episodes, draft.summaries, strict=True)]
        return Series(
            bible=bible.model_copy(update={"title": draft.title, "logline": draft.logline,
                                           "characters": cast}),
            plan=series.plan.model_copy(update={"episodes": episodes}),
        )

    # -- episodes -----------------------------------------------------------------------

    def ledger(self, series: Series) -> Ledger:
        return self.ledgers.setdefault(series.key, Ledger())

    def write_episode(self, series: Series, number: int) -> Episode:
        return self.write_episodes(series, [number])[0]

    def write_episodes(self, series: Series, numbers: Sequence[int] | None = None,
                       on_episode: Callable[[Episode], None] | None = None) -> list[Episode]:
        """Episodes in chunks of ``batch_size``, each chunk one batched generation; each
        episode goes to ``on_episode`` as soon as it is final."""
        if numbers is None:
            numbers = range(1, len(series.plan.episodes) + 1)
        return self.write_across([(series, n) for n in numbers], on_episode)

    def write_across(self, items: Sequence[tuple[Series, int]],
                     on_episode: Callable[[Episode], None] | None = None,
                     on_item: Callable[[Series, Episode], None] | None = None) -> list[Episode]:
        """Episodes of one or several seasons, ``batch_size`` to a generation (a batch runner
        fills batches across series); ``on_episode`` gets each episode, ``on_item`` each
        (series, episode), as soon as it is final."""
        if on_episode and not on_item:
            on_item = lambda _, ep: on_episode(ep)  # noqa: E731
        out: list[Episode] = []
        chunk = self.batch_size * self.window
        for start in range(0, len(items), chunk):
            jobs = [self._job(s, n) for s, n in items[start : start + chunk]]
            self._write_jobs(jobs, on_item)
            out += [j.episode for j in jobs]
        return out

    def _job(self, series: Series, n: int) -> _Job:
        job = _Job(series, n, self._beats(series, n))
        job.prompt = self._prompt(job)
        return job

    def _beats(self, series: Series, n: int) -> list[tuple[int, Beat]]:
        """The outline beats the model writes: all, or ``max_beats`` evenly chosen keeping the
        hook first and the cliffhanger last."""
        beats = list(enumerate(series.plan.episodes[n - 1].beats))
        k = self.max_beats
        if k is not None and k < len(beats):
            if k < 2:
                beats = beats[:1]
            else:
                step = (len(beats) - 1) / (k - 1)
                beats = [beats[round(i * step)] for i in range(k)]
        beats = _distinct_notes(beats, series.bible.language)
        if beats and len(beats) > 1 and beats[-1][1].kind == "cliffhanger":
            i, last = beats[-1]
            beats[-1] = (i, last.model_copy(update={"note": _cliff_note(series, n, last.note)}))
        return beats

    def _prompt(self, job: _Job) -> tuple[str, str]:
        series = job.series
        bible, plan, lang = series.bible, series.plan, series.bible.language
        system = render(f"episode_system.{lang}.j2", bible=bible, plan=plan,
                        genre=find_genre(bible.genre), example=episode_example(bible))
        user = render(
            f"episode_user.{lang}.j2", outline=plan.episodes[job.number - 1], bible=bible,
            previous=plan.episodes[max(0, job.number - 6) : job.number - 1],
            ledger=self.ledger(series).recent(), beats=[b for _, b in job.beats],
        )
        return system, user

    def _context(self, job: _Job, prompt: tuple[str, str] | None = None) -> checks.Context:
        """What a draft is checked against: copying is measured against the prompt's
        instructions and slots only; the story's names, places, events and notes are the
        writer's to use."""
        bible = job.series.bible
        names = [c.name for c in bible.characters]
        story = checks.story_strings(bible, job.series.plan, self.ledger(job.series).recent(),
                                     [b.note for _, b in job.beats])
        return checks.Context(language=bible.language,
                              prompt=checks.instructions_only("\n".join(prompt or job.prompt),
                                                              story),
                              cast=names, title=bible.title,
                              ignore={checks._norm(n) for n in names})

    def _budget(self, job: _Job) -> int:
        if self.max_new_tokens:
            return self.max_new_tokens
        lang = job.series.bible.language
        caps = CAPS[lang]
        # JSON around each beat, an action and two lines at half their caps: real text ends
        # well short of the caps, and a draft cut at the budget is refused and retried
        per_beat = 24 + (caps["action"] + 2 * caps["line"]) / CHARS_PER_TOKEN[lang] * 0.5
        return int(48 + len(job.beats) * per_beat)

    def _write_jobs(self, jobs: list[_Job], on_item) -> None:
        """1. draft every episode (batched, checked, retried), 2. lay out and judge each,
        3. rewrite weak openings and endings, graft as a last resort, 4. hand each on."""
        drafts = self._draft(jobs)
        weak = []
        for job in jobs:
            if job.key in drafts:
                self._take_draft(job, drafts[job.key])
                if self._problems(job.episode) and self.revise_passes:
                    weak.append(job)
                    continue
            self._finish(job, on_item)
        if weak:
            self._revise(weak)
            for job in weak:
                self._finish(job, on_item)

    def _draft(self, jobs: list[_Job]) -> dict[tuple[str, int], ModelEpisode]:
        """One batched generation per attempt for the episodes still without a clean draft:
        greedy first, then sampling with per-row seeds; a draft must validate and pass the
        checks. A draft refused for some of its beats only keeps the others: the model writes
        just those beats again, each on its own against the plan (a small model writes one
        beat well more often than a whole episode). Episodes that never pass fall back to the
        planner, recorded with every refusal on the way."""
        drafts: dict[tuple[str, int], ModelEpisode] = {}
        partial: dict[tuple[str, int], tuple[ModelEpisode, dict[int, list[str]]]] = {}
        rejected: dict[tuple[str, int], list[str]] = {}
        refusals: dict[tuple[str, int], list[str]] = {j.key: [] for j in jobs}
        repaired: dict[tuple[str, int], set[int]] = {j.key: set() for j in jobs}
        todo = list(jobs)
        if self.unit == "beat":  # every beat written on its own from the first try
            for j in jobs:
                empty = ModelEpisode.model_construct(
                    title=j.series.plan.episodes[j.number - 1].title, beats=[None] * len(j.beats))
                partial[j.key] = (empty, {k: [] for k in range(len(j.beats))})
        for attempt in range(self.retries + 1 + self.beat_retries):
            if attempt > self.retries:  # past the whole-episode tries: only beats to mend
                todo = [j for j in todo if j.key in partial]
                if not todo:
                    break
            asks: list[tuple[_Job, int | None]] = []  # (job, None): a whole episode
            for j in todo:
                if j.key in partial:
                    asks += [(j, k) for k in sorted(partial[j.key][1])]
                else:
                    asks.append((j, None))
            prompts, budgets, schemas = [], [], []
            for j, k in asks:
                lang = j.series.bible.language
                if k is None:
                    prompts.append(j.prompt)
                    budgets.append(self._budget(j))
                    schemas.append(episode_schema(len(j.beats), self._cast(j), lang))
                else:
                    prompts.append(self._beat_prompt(j, partial[j.key][0], k,
                                                     partial[j.key][1][k]))
                    budgets.append(self._beat_budget(j))
                    schemas.append(json.dumps(beat_schema(self._cast(j), lang),
                                              ensure_ascii=False))
            results = self.chat.chat(prompts, budgets, schemas if self.constrained else None,
                                     0.0 if attempt == 0 else 0.8,
                                     [_seed(*j.key, attempt, k) for j, k in asks],
                                     slots=self.batch_size)
            for (job, k), res in zip(asks, results, strict=True):
                if k is None:
                    self._take_whole(job, res, attempt, partial, drafts, rejected, refusals)
                else:
                    self._take_beat(job, k, res, attempt, partial, rejected, refusals,
                                    repaired)
            for job in todo:
                if job.key in partial and not partial[job.key][1]:
                    draft, _ = partial.pop(job.key)
                    problems = (episode_problems(draft, self._context(job))
                                + [p for ps in self._bad_beats(job, draft).values() for p in ps])
                    if problems:  # the beats repeat one another: ask again for those
                        partial[job.key] = (draft, self._bad_beats(job, draft))
                        rejected[job.key] = problems
                        refusals[job.key] += [f"try {attempt + 1}: {p}" for p in problems[:8]]
                        if not partial[job.key][1]:
                            partial.pop(job.key)
                    else:
                        drafts[job.key] = draft
                job.record = WritingRecord(series=job.key[0], episode=job.number,
                                           source="model", attempts=attempt + 1,
                                           rejected=[] if job.key in drafts
                                           else rejected.get(job.key, [])[:8],
                                           refusals=refusals[job.key],
                                           repaired=sorted(k + 1 for k in repaired[job.key]))
            todo = [j for j in todo if j.key not in drafts]
            if not todo:
                break
        for job in [j for j in jobs if j.key not in drafts]:
            job.record = job.record.model_copy(update={"source": "fallback"})
            job.episode = self._skeleton(job.series, job.number)
            warnings.warn(f"episode {job.number}: no clean draft in {job.record.attempts} tries "
                          f"({rejected[job.key][0]}); the planner wrote it", stacklevel=4)
        return drafts

    def _take_whole(self, job: _Job, res, attempt: int, partial, drafts, rejected,
                    refusals) -> None:
        """A whole episode's answer: clean, or refused for some beats (kept, with those beats
        to write again), or refused outright. A bad title alone takes the planner's."""
        try:
            draft = parse_episode(res.text, len(job.beats), self._cast(job))
            draft.beats = [_whole_sentences(b, job.series.bible.language) for b in draft.beats]
        except (ValidationError, ValueError) as exc:
            problems = [_invalid(exc, res)]
            rejected[job.key] = problems
            refusals[job.key] += [f"try {attempt + 1}: {p}" for p in problems]
            return
        ctx = self._context(job)
        caps = CAPS[ctx.language]
        title = checks.text_problems(draft.title, ctx, cap=caps["title"])
        if title:
            refusals[job.key] += [f"try {attempt + 1}, title: {p}" for p in title]
            draft.title = job.series.plan.episodes[job.number - 1].title
        bad = self._bad_beats(job, draft)
        if not bad:
            problems = episode_problems(draft, ctx)
            if not problems:
                drafts[job.key] = draft
                return
            rejected[job.key] = problems
            refusals[job.key] += [f"try {attempt + 1}: {p}" for p in problems[:8]]
            return
        problems = [p for k in sorted(bad) for p in bad[k]]
        rejected[job.key] = problems
        refusals[job.key] += [f"try {attempt + 1}, beat {k + 1}: {p}"
                              for k in sorted(bad) for p in bad[k]]
        if len(bad) * 2 > len(job.beats):  # most beats bad: write the whole episode again
            return
        partial[job.key] = (draft, bad)

    def _take_beat(self, job: _Job, k: int, res, attempt: int, partial, rejected, refusals,
                   repaired) -> None:
        """One beat written again: it replaces the refused one when it parses and is clean."""
        draft, bad = partial[job.key]
        try:
            beat = _whole_sentences(parse_beat(res.text, self._cast(job)),
                                    job.series.bible.language)
            problems = beat_problems([beat], self._context(job))
        except (ValidationError, ValueError) as exc:
            problems = [_invalid(exc, res)]
        if problems:
            bad[k] = problems
            rejected[job.key] = problems
            refusals[job.key] += [f"try {attempt + 1}, beat {k + 1}: {p}" for p in problems]
            return
        old = draft.beats[k]
        draft.beats[k] = beat
        after = self._bad_beats(job, draft)  # against the other beats too
        again = after.get(k)
        if again:
            draft.beats[k] = old
            bad[k] = again
            rejected[job.key] = again
            refusals[job.key] += [f"try {attempt + 1}, beat {k + 1}: {p}" for p in again]
            return
        repaired[job.key].add(k)
        del bad[k]
        for j, problems in after.items():  # a kept beat that strayed into this beat's event
            if j not in bad:
                bad[j] = problems
                refusals[job.key] += [f"try {attempt + 1}, beat {j + 1}: {p}" for p in problems]

    def draft_problems(self, series: Series, number: int, draft: ModelEpisode) -> list[str]:
        """Every reason this writer would refuse ``draft`` as episode ``number`` (the bar a
        benchmark holds any other recipe's answers to): degenerate text, repetition across
        beats, dialogue inside an action, glued names."""
        job = self._job(series, number)
        bad = self._bad_beats(job, draft)
        return episode_problems(draft, self._context(job)) + [
            f"beat {k + 1}: {p}" for k in sorted(bad) for p in bad[k]]

    def _bad_beats(self, job: _Job, draft: ModelEpisode) -> dict[int, list[str]]:
        """Index -> problems of each beat refused on its own, and of a beat that repeats or
        nearly repeats (a loop with a word changed) a line or action of an earlier beat, holds
        dialogue inside its action, says one phrase twice in its action, gives a line to the
        wrong character, or glues a name together ("AvaLin")."""
        ctx = self._context(job)
        bad = {k: p for k, b in enumerate(draft.beats)
               if b is not None and (p := beat_problems([b], ctx))}
        names = self._cast(job)
        notes = [checks._norm(beat.note) for _, beat in job.beats]
        look_words = {w for c in job.series.bible.characters
                      for w in re.findall(r"[a-z]+", c.visual.lower())}
        # who does what: the plan's notes and the written actions, for lines given to the
        # wrong character
        events = [beat.note for _, beat in job.beats] + [b.action for b in draft.beats if b]
        seen: list[tuple[str, int]] = []
        spoken: dict[str, tuple[int, int]] = {}  # a line's clause -> (beat, line) that said it
        told: list[tuple[str, int]] = []  # an action's clauses, with the beat that told each
        # names, places and props may come back in every beat ("holds the transfer record")
        story_words = [*names, *job.series.bible.places,
                       *(e.prop for e in job.series.plan.events if e.prop)]
        for k, b in enumerate(draft.beats):
            if b is None:  # not written yet
                continue
            for text in [b.action, *(ln.text for ln in b.lines)]:
                key = checks._norm(text)
                twin = next((j for other, j in seen if _near(key, other)), None)
                if twin is not None and twin != k and _echoes(key, notes[k]) and not any(
                        _echoes(other, notes[twin]) for other, j in seen if j == twin
                        and _near(key, other)):
                    # this beat tells its own plan note; the earlier one had strayed into it
                    bad.setdefault(twin, []).append(
                        f'tells beat {k + 1}\'s event instead of its own: "{text[:40]}"')
                elif twin is not None:
                    bad.setdefault(k, []).append(
                        f'{"repeats" if twin != k else "repeats itself in"} beat {twin + 1}: '
                        f'"{text[:40]}"')
                seen.append((key, k))
            for n_line, ln in enumerate(b.lines):
                for clause in checks._CLAUSE.split(ln.text):  # a line's clause said again
                    c = checks._norm(clause)
                    if len(c) >= (8 if checks._CJK.search(c) else 18):
                        if c in spoken and spoken[c] != (k, n_line):
                            bad.setdefault(k, []).append(
                                f'says again what beat {spoken[c][0] + 1} said: "{clause[:40]}"')
                        spoken.setdefault(c, (k, n_line))
                for problem in checks.line_voice_problems(ln.speaker, ln.text, names):
                    bad.setdefault(k, []).append(problem)
                if label := checks.label_line(ln.text, sorted(look_words)):
                    bad.setdefault(k, []).append(label)  # "Ava Lin: shock", 「林晚：震惊」
                if checks.tells_the_action(ln.text, b.action, names):
                    bad.setdefault(k, []).append(f'the action told as a line: "{ln.text[:40]}"')
                if owner := checks.wrong_speaker(ln.speaker, ln.text, events, names):
                    bad.setdefault(k, []).append(
                        f'{owner}\'s deed said by {ln.speaker}: "{ln.text[:40]}"')
                said = checks._norm(ln.text)
                words = re.findall(r"[a-z]+", ln.text.lower())
                if (len(said) >= 6 and any(said in checks._norm(c.visual) for c in
                                           job.series.bible.characters)) or (
                        len(words) >= 3 and sum(w in look_words for w in words)
                        >= 0.8 * len(words)):
                    bad.setdefault(k, []).append(f'a look as a line: "{ln.text[:40]}"')
            whole = any(p.startswith(("repeats", "tells beat")) for p in bad.get(k, []))
            for key, clause in checks.action_clauses(b.action, story_words):
                said = checks.clause_told_before(key, [c for c, j in told if j != k])
                if said is not None and not whole:  # (a whole action told again is named so)
                    twin = next(j for c, j in told if c == said and j != k)
                    # this beat tells its own note; the earlier one had strayed into it
                    stray = _echoes(key, notes[k]) and not _echoes(said, notes[twin])
                    bad.setdefault(twin if stray else k, []).append(
                        f'tells again what the action of beat {(k if stray else twin) + 1} '
                        f'told: "{clause[:40]}"')
                told.append((key, k))
            if twice := checks.phrase_twice(b.action, [*names, *job.series.bible.places]):
                bad.setdefault(k, []).append(f'a phrase said twice in the action: "{twice}"')
            if speech := checks.speech_in_action(b.action):
                bad.setdefault(k, []).append(f'a line inside the action: "{speech}"')
            for name in names:
                glued = name.replace(" ", "")
                texts = [b.action, *(ln.text for ln in b.lines)]
                if glued != name and any(re.search(rf"(?i){re.escape(glued)}|\w{re.escape(name)}"
                                                   rf"|{re.escape(name)}(?=[^\W's])", t)
                                         for t in texts):
                    bad.setdefault(k, []).append(f'a name glued to a word: "{name}"')
        return bad

    def _beat_prompt(self, job: _Job, draft: ModelEpisode, k: int,
                     problems: list[str]) -> tuple[str, str]:
        """One beat against its own note only. The beats before it are listed as what has
        already happened (their plan notes, never their written text: the model copies any
        written text it is shown); the beats after it are not shown at all, since a small
        model writes the most vivid note in its prompt whichever beat it belongs to. A
        refusal is named without its quote, which the model would copy back."""
        lang = job.series.bible.language
        beats = [b for _, b in job.beats]
        names = _KIND_NAME.get(lang, _KIND_NAME["en"])
        user = render(f"beat.{lang}.j2", outline=job.series.plan.episodes[job.number - 1],
                      bible=job.series.bible, index=k, count=len(beats),
                      kind=names.get(beats[k].kind, beats[k].kind), note=beats[k].note,
                      earlier=[b.note for b in beats[:k]
                               if b.note and b.note not in _FRESH_NOTE.get(lang, {}).values()],
                      previous_kind=names.get(beats[k - 1].kind, "") if k else "",
                      problems=_unquoted(problems[:2]))
        return job.prompt[0], user

    def _beat_budget(self, job: _Job) -> int:
        lang = job.series.bible.language
        caps = CAPS[lang]
        own = int(40 + (caps["action"] + MAX_LINES * caps["line"]) / CHARS_PER_TOKEN[lang] * 0.7)
        # a budget given for an episode bounds each of its beats too
        return min(own, self.max_new_tokens) if self.max_new_tokens else own

    def _cast(self, job: _Job) -> list[str]:
        return [c.name for c in job.series.bible.characters]

    def _take_draft(self, job: _Job, draft: ModelEpisode) -> None:
        job.title = draft.title
        job.draft = draft
        job.parts = [self._elements(job, beat.kind, b) for (_, beat), b in
                     zip(job.beats, draft.beats, strict=True)]
        self._layout(job)

    def _elements(self, job: _Job, kind: str, b: ModelBeat) -> list[ScriptElement]:
        """One beat as script elements: its action with its first line, then the rest."""
        names = self._cast(job)
        first, *rest = b.lines
        in_action = [n for n in names if n in b.action]
        head = ScriptElement(
            action=b.action, line=Line(speaker=first.speaker, text=first.text), beat=kind,
            characters=list(dict.fromkeys([*in_action, first.speaker])),
            intensity=INTENSITY.get(kind, 0.3))
        return [head] + [ScriptElement(line=Line(speaker=ln.speaker, text=ln.text),
                                       characters=[ln.speaker], intensity=INTENSITY.get(kind, 0.3))
                         for ln in rest]

    def _layout(self, job: _Job) -> None:
        """Scenes of beats (a plot push opens a new scene, at the planner's place and time),
        then the shot planner."""
        series, n = job.series, job.number
        skeleton = self._skeleton(series, n)
        groups: list[list[ScriptElement]] = [[]]
        for (_, beat), part in zip(job.beats, job.parts, strict=True):
            if beat.kind == "push" and groups[-1]:
                groups.append([])
            groups[-1] += part
        scenes = [SceneDraft(number=s, heading=self._heading(skeleton, series, s),
                             elements=elements)
                  for s, elements in enumerate(groups, start=1)]
        outline = series.plan.episodes[n - 1]
        draft = EpisodeDraft(series_title=series.bible.title, number=n,
                             title=(job.title or outline.title)[:40],
                             language=series.bible.language, scenes=scenes)
        job.episode = plan_episode(draft, self.timing)

    @staticmethod
    def _heading(skeleton: Episode, series: Series, s: int) -> SceneHeading:
        if s <= len(skeleton.scenes):
            return skeleton.scenes[s - 1].heading
        places = series.bible.places
        return SceneHeading(setting="INT", place=places[(s - 1) % len(places)], time="DAY")

    def _skeleton(self, series: Series, n: int) -> Episode:
        """The planner's own episode: scene places, fallback text and grafts come from it."""
        key = (series.key, n)
        if key not in self._skeletons:
            self._skeletons[key] = self.drafter.write_episode(series, n)
        return self._skeletons[key]

    def _finish(self, job: _Job, on_item) -> None:
        after = _scores(self.analyze(job.episode))
        record = job.record or WritingRecord(series=job.key[0], episode=job.number,
                                             source="model")
        job.record = record.model_copy(update={"before": record.before or after, "after": after})
        self.records.append(job.record)
        outline = job.series.plan.episodes[job.number - 1]
        self.ledger(job.series).update(job.series.bible, outline.arc_stage, job.episode)
        if on_item:
            on_item(job.series, job.episode)

    # -- rewrites -----------------------------------------------------------------------

    def analyze(self, ep: Episode):
        """The analyser's report; with ``use_judge`` the writer's own model judges too (a
        hook or cliffhanger counts only when both find it)."""
        if self._analyze is None:
            from aiscript.analysis.judge import analyzer_for

            self._analyze = analyzer_for(self.chat, self.use_judge)
        return self._analyze(ep)

    def _problems(self, ep: Episode) -> list[str]:
        return _problems(self.analyze(ep))

    def _revise(self, jobs: list[_Job]) -> None:
        """Ask the model for a new opening or ending where the analyser finds no hook or no
        cliffhanger (one batched generation per pass); graft the planner's beat only where
        rewrites did not fix it."""
        reports = {j.key: self.analyze(j.episode) for j in jobs}
        for job in jobs:
            job.record = job.record.model_copy(update={"before": _scores(reports[job.key])})
        for p in range(self.revise_passes):
            asks = [(j, part) for j in jobs for part in _weak_parts(reports[j.key])]
            if not asks:
                break
            prompts = [self._rewrite_prompt(j, part, reports[j.key]) for j, part in asks]
            schema = [json.dumps(beat_schema(self._cast(j), j.series.bible.language),
                                 ensure_ascii=False) for j, _ in asks]
            results = self.chat.chat(prompts, self.max_new_tokens or 320, schema,
                                     0.7, [_seed(*j.key, part, p) for j, part in asks],
                                     slots=self.batch_size)
            for (job, part), prompt, res in zip(asks, prompts, results, strict=True):
                self._try_rewrite(job, part, prompt, res.text, reports)
        for job in jobs:
            grafted = [part for part in _weak_parts(reports[job.key])]
            for part in grafted:
                self._graft(job, part)
            rewrites = job.record.rewrites
            source = "graft" if grafted else "rewrite" if rewrites else "model"
            job.record = job.record.model_copy(update={
                "source": source, "grafted": ["hook" if g == "opening" else "cliffhanger"
                                              for g in grafted]})

    def _rewrite_prompt(self, job: _Job, part: str, report) -> tuple[str, str]:
        lang = job.series.bible.language
        index = 0 if part == "opening" else len(job.beats) - 1
        beat = job.beats[index][1]
        finding = next((w for w in report.warnings
                        if ("hook" if part == "opening" else "cliffhanger") in w), "")
        weak = [e for e in job.parts[index]]
        user = render(f"rewrite.{lang}.j2", part=part, beat=beat, finding=finding,
                      weak=weak, evidence=(report.hook if part == "opening"
                                           else report.cliffhanger).evidence,
                      outline=job.series.plan.episodes[job.number - 1],
                      beats=[b for _, b in job.beats], parts=job.parts, index=index)
        return job.prompt[0], user

    def _try_rewrite(self, job: _Job, part: str, prompt, text: str, reports) -> None:
        """Keep a rewritten beat when it is clean and the analyser scores the episode
        higher."""
        index = 0 if part == "opening" else len(job.beats) - 1
        try:
            beat = parse_beat(text, self._cast(job))
        except (ValidationError, ValueError):
            return
        if beat_problems([beat], self._context(job, prompt)):
            return
        if job.draft is not None:  # the episode's own checks with the new beat in place
            draft = job.draft.model_copy(update={"beats": [
                beat if i == index else b for i, b in enumerate(job.draft.beats)]})
            if self._bad_beats(job, draft):
                return
        old_parts, old_episode = list(job.parts), job.episode
        job.parts[index] = self._elements(job, job.beats[index][1].kind, beat)
        self._layout(job)
        report = self.analyze(job.episode)
        if sum(_scores(report).values()) > sum(_scores(reports[job.key]).values()):
            reports[job.key] = report
            if job.draft is not None:
                job.draft = draft
            job.record = job.record.model_copy(
                update={"rewrites": [*job.record.rewrites, part]})
        else:
            job.parts, job.episode = old_parts, old_episode

    def _graft(self, job: _Job, part: str) -> None:
        """The planner's hook or cliffhanger beat in place of the model's."""
        skeleton = self._skeleton(job.series, job.number)
        shots = [sh for _, sh in skeleton.shots()]
        kind = "hook" if part == "opening" else "cliffhanger"
        shot = next((sh for sh in (shots if kind == "hook" else reversed(shots))
                     if sh.beat == kind), shots[0] if kind == "hook" else shots[-1])
        element = ScriptElement(action=shot.action, line=shot.lines[0] if shot.lines else None,
                                beat=kind, characters=shot.characters,
                                intensity=INTENSITY[kind])
        index = 0 if part == "opening" else len(job.beats) - 1
        job.parts[index] = [element]
        self._layout(job)


# What a beat whose plan note repeats an earlier beat's note is asked for instead: a model that
# follows two identical notes writes the same beat twice, and is then refused for repeating.
_FRESH_NOTE = {
    "zh": {"hook": "冲突一开场就爆发，一句狠话甩到对方脸上",
           "pivot": "一个新的人或一条新的消息出现，局势变了",
           "twist": "一件观众没想到的事被当场揭开",
           "push": "人物为下一步做出一个具体的行动",
           "payoff": "受气的人当场扳回一局",
           "cliffhanger": "一个新的威胁突然出现，什么都没有解决"},
    "en": {"hook": "the conflict bursts open with a sharp line thrown at someone",
           "pivot": "a new person or a new piece of news changes the situation",
           "twist": "something the audience did not see coming comes out on the spot",
           "push": "someone takes one concrete step towards what comes next",
           "payoff": "the one who was humiliated wins this round on the spot",
           "cliffhanger": "a new threat appears out of nowhere and nothing is resolved"},
}


# How a beat's kind is named to the model in a beat prompt.
_KIND_NAME = {
    "zh": {"hook": "开场钩子", "pivot": "转折", "twist": "反转", "push": "推进",
           "payoff": "爽点", "cliffhanger": "结尾悬念", "beat": "一个节拍"},
    "en": {"hook": "the hook", "pivot": "a turn", "twist": "a twist", "push": "a push forward",
           "payoff": "a payoff", "cliffhanger": "the closing cliffhanger", "beat": "a beat"},
}


# The closing beat's own note: the plan ends an episode on the next episode's event (a
# resolution, which a small model told to "stop short of it" writes out anyway); the last beat
# instead shows a threat, a discovery or a summons that the next episode answers, built from the
# next event's instigator, target, place and prop. The season's last episode ends on the
# villain's threat left open.
_CLIFF_NOTE = {
    "zh": {"threat": "{mover}暗中盯上了{target}，在{place}准备好了{prop}，{target}还不知道",
           "find": "{mover}发现了{prop}，脸色一变，意识到{place}要出事",
           "call": "{mover}派人叫{target}立刻去{place}，却不说为什么",
           "open": "{mover}还没有认输，暗中对{target}发出新的威胁"},
    "en": {"threat": "{mover} quietly gets the {prop} ready for {target} at {place}, and "
                     "{target} does not know yet",
           "find": "{mover} finds the {prop} and goes pale: something is coming at {place}",
           "call": "{mover} summons {target} to {place} at once and will not say why",
           "open": "{mover} is not finished and sends {target} a new threat from the shadows"},
}


def _cliff_note(series: Series, n: int, note: str) -> str:
    """The last beat's note of episode ``n``: a threat, a discovery or a summons pointing at the
    next episode's event (who moves next, against whom, where, with what), never the event
    itself; ``note`` when the plan names no one to move."""
    lang = series.bible.language
    names = {c.id: c.name for c in series.bible.characters}
    nxt = next((e for e in series.plan.events if e.episode == n + 1), None)
    if nxt is None:
        kind, mover, target, place, prop = "open", "villain", "hero", "", ""
    else:
        mover, target, place, prop = nxt.instigator, nxt.target, nxt.place, nxt.prop
        kind = "find" if mover == "hero" else "call" if mover == "elder" else "threat"
        if kind == "threat" and mover != "villain":  # a quiet episode next: the danger stays
            mover, target = "villain", "hero"
        if not (place and prop):
            kind = "open" if kind == "threat" else kind
    if mover not in names or target not in names or mover == target:
        return note
    return _CLIFF_NOTE.get(lang, _CLIFF_NOTE["en"])[kind].format(
        mover=names[mover], target=names[target], place=place, prop=prop)


def _unquoted(problems: Sequence[str]) -> list[str]:
    """Refusals as the model is told them: the reason without the quoted text ('repeats beat
    1: "Chloe Hart throws…"' -> 'repeats beat 1')."""
    return list(dict.fromkeys(re.sub(r'\s*:?\s*"[^"]*"?\s*$', "", p).strip() or p
                              for p in problems))


def _distinct_notes(beats: list[tuple[int, Beat]], lang: str) -> list[tuple[int, Beat]]:
    """The beats with no two notes alike: a note that repeats (or nearly repeats) an earlier
    beat's note is replaced by what its kind of beat does, so the model is never asked to
    write one event twice."""
    fresh = _FRESH_NOTE.get(lang, _FRESH_NOTE["en"])
    seen: list[str] = []
    out = []
    for i, beat in beats:
        key = checks._norm(beat.note)
        if key and any(_near(key, other) for other in seen):
            beat = beat.model_copy(update={"note": fresh.get(beat.kind, fresh["push"])})
        else:
            seen.append(key)
        out.append((i, beat))
    return out


def _echoes(text: str, note: str) -> bool:
    """A normalised text that restates a normalised plan note (most of its words, in
    order)."""
    if not text or not note:
        return False
    if _near(text, note):
        return True
    short, long_ = sorted((text, note), key=len)
    return len(short) >= 8 and difflib.SequenceMatcher(None, text, note).find_longest_match(
        0, len(text), 0, len(note)).size >= 0.6 * len(short)


_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s)")


def _whole_sentences(beat: ModelBeat, lang: str) -> ModelBeat:
    """An action the length cap cut mid-sentence, back to its last whole sentence when one
    of some length is left ("沈宴站在电梯口。电梯门缓缓打开，沈宴看到林…" -> "沈宴站在电梯口。"):
    what is kept is whole; a cut action with no whole sentence stays cut, and is refused."""
    cap = CAPS[lang]["action"]
    action = beat.action.strip()
    if len(action) < cap - 1:
        return beat
    ends = [m.end() for m in _SENTENCE_END.finditer(action + " ")]
    keep = max((e for e in ends if e >= (12 if lang == "zh" else 30)), default=None)
    if keep is None or keep >= len(action):
        return beat
    return beat.model_copy(update={"action": action[:keep].strip()})


def _near(a: str, b: str) -> bool:
    """Two normalised texts that are one text: equal, one holding the other (a long one), or
    alike but for a word or two."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 12 and short in long_:
        return True
    if len(short) >= 30 and short[:30] == long_[:30]:
        return True  # the same opening, a different ending
    matcher = difflib.SequenceMatcher(None, short, long_)
    run = matcher.find_longest_match(0, len(short), 0, len(long_)).size
    if (len(short) >= 20 and run >= 0.8 * len(short)) or (len(short) >= 30
                                                          and run >= 0.6 * len(short)):
        return True  # the shorter one told again inside the longer, a word changed
    return min(len(a), len(b)) >= 10 and matcher.ratio() >= 0.75


_EPISODE_LABEL = re.compile(r"^\s*(第\s*\d+\s*集|ep(isode)?\.?\s*\d+)\s*[:：.,，、-]?\s*", re.I)


def _unlabelled(draft: PlanDraft, names: Sequence[str]) -> PlanDraft:
    """Labels a model puts before each item, taken off: a look that opens with its
    character's name ("林晚：25岁，长发"), a summary that opens with its number ("第1集：")."""
    looks = []
    for name, look in zip(names, draft.looks, strict=False):
        m = re.match(rf"^\s*{re.escape(name)}\s*[:：,，]\s*(.+)$", look)
        looks.append(m.group(1) if m else look)
    draft.looks = looks + draft.looks[len(looks):]
    draft.summaries = [_EPISODE_LABEL.sub("", s) or s for s in draft.summaries]
    return draft


def _invalid(exc: Exception, res) -> str:
    """Why an answer did not parse: cut at the token budget, or the first schema error."""
    if getattr(res, "finished", True) is False:
        return "invalid: the answer ran past the token budget" + (
            f" ({len(res.tokens)} tokens)" if res.tokens else "")
    if isinstance(exc, ValidationError):
        e = exc.errors()[0]
        return f"invalid: {'.'.join(map(str, e['loc']))}: {e['msg']}"
    return f"invalid: {str(exc).splitlines()[0]}"


def _scores(report) -> dict[str, float]:
    return {"hook": report.hook.score, "cliffhanger": report.cliffhanger.score}


def _problems(report) -> list[str]:
    return [w for w in report.warnings if w.startswith(("no hook", "no cliffhanger"))] or (
        (["no hook"] if not report.hook.present else [])
        + (["no cliffhanger"] if not report.cliffhanger.present else []))


def _weak_parts(report) -> list[str]:
    return ((["opening"] if not report.hook.present else [])
            + (["ending"] if not report.cliffhanger.present else []))
