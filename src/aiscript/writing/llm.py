"""The LLM episode writer: a local model fills the template planner's beat skeleton.

premise -> (template planner) bible + season plan -> for each chunk of episodes, one batched,
schema-constrained generation -> validated drafts -> Episodes -> the analyser checks hook and
cliffhanger and weak episodes are rewritten (bounded passes).

    writer = LLMWriter(TransformersGenerator.from_pretrained("Qwen/Qwen2.5-1.5B-Instruct"))
    series = writer.plan(premise)
    episodes = writer.write_episodes(series)
"""

from __future__ import annotations

import itertools
import json
import re
import warnings
from collections.abc import Callable, Sequence
from typing import Protocol

from pydantic import Field, ValidationError

from aiscript.craft import Device
from aiscript.craft import genre as find_genre
from aiscript.schema import Beat, Episode, L10n, Model, Premise, Series, SeriesBible
from aiscript.writing.prompts import render
from aiscript.writing.template import TemplateWriter

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class TextGenerator(Protocol):
    """What the writer needs from a model backend."""

    name: str

    def chat_ids(self, system: str, user: str) -> list[int]: ...

    def generate_ids(self, prompts: Sequence[list[int]], max_new_tokens: int = ...,
                     schema: str | Sequence[str] | None = ..., share_prefix: bool = ...,
                     temperature: float = ..., seeds: Sequence[int] | None = ...,
                     on_token: Callable[[int], None] | None = ...) -> list: ...


# --------------------------------------------------------------------------- drafts


class DraftBeat(Model):
    action: str = Field(min_length=1)
    speaker: str = Field(min_length=1)
    line: str = Field(min_length=1)


class EpisodeDraft(Model):
    """What the model writes for one episode: one entry per outline beat."""

    title: str = Field(min_length=1)
    beats: list[DraftBeat]


class PlanDraft(Model):
    """What the model writes over the planner's season: title, logline, looks, summaries."""

    title: str = Field(min_length=1)
    logline: str = Field(min_length=1)
    looks: list[str]
    summaries: list[str]


def _text_schema(max_chars: int) -> dict:
    """Printable text without quotes or backslashes, at most ``max_chars`` characters: a
    pattern, since xgrammar takes no length bounds beside one."""
    return {"type": "string", "pattern": f'^[^\\\\"\\x00-\\x1f]{{1,{max_chars}}}$'}


def plan_schema(characters: int, episodes: int, max_chars: int) -> str:
    """JSON Schema for a season draft: one look per character, one summary per episode."""
    text = _text_schema(max_chars)

    def exactly(n: int) -> dict:
        return {"type": "array", "items": text, "minItems": n, "maxItems": n}

    return json.dumps({
        "type": "object",
        "properties": {"title": text, "logline": text, "looks": exactly(characters),
                       "summaries": exactly(episodes)},
        "required": ["title", "logline", "looks", "summaries"], "additionalProperties": False,
    }, ensure_ascii=False)


def parse_plan(text: str, characters: int, episodes: int) -> PlanDraft:
    """Validate a season draft; raise ValueError naming what is wrong."""
    draft = PlanDraft.model_validate_json(repair_json(text))
    if len(draft.looks) != characters or len(draft.summaries) != episodes:
        raise ValueError(f"{len(draft.looks)} looks and {len(draft.summaries)} summaries, "
                         f"expected {characters} and {episodes}")
    draft.title, draft.logline = _clean(draft.title), _clean(draft.logline)
    draft.looks = [_clean(x) for x in draft.looks]
    draft.summaries = [_clean(x) for x in draft.summaries]
    if not (draft.title and draft.logline and all(draft.looks) and all(draft.summaries)):
        raise ValueError("an empty title, logline, look or summary")
    return draft


def draft_schema(beats: int, cast: Sequence[str], max_chars: int) -> str:
    """JSON Schema for one episode's draft: exactly ``beats`` beats, speakers from the cast,
    strings of printable text with a length cap (a pattern, since xgrammar takes no length
    bounds beside one)."""
    text = _text_schema(max_chars)
    beat = {
        "type": "object",
        "properties": {"action": text, "speaker": {"enum": list(cast)}, "line": text},
        "required": ["action", "speaker", "line"], "additionalProperties": False,
    }
    return json.dumps({
        "type": "object",
        "properties": {"title": text, "beats": {"type": "array", "items": beat,
                                                "minItems": beats, "maxItems": beats}},
        "required": ["title", "beats"], "additionalProperties": False,
    }, ensure_ascii=False)


def parse_draft(text: str, beats: int, cast: Sequence[str]) -> EpisodeDraft:
    """Validate a model's answer; raise ValueError naming what is wrong."""
    draft = EpisodeDraft.model_validate_json(repair_json(text))
    if len(draft.beats) != beats:
        raise ValueError(f"{len(draft.beats)} beats, expected {beats}")
    for b in draft.beats:
        if b.speaker not in cast:
            raise ValueError(f"unknown speaker {b.speaker!r}")
        b.action, b.line = _clean(b.action), _clean(b.line)
        if not b.action or not b.line:
            raise ValueError("an empty action or line")
    draft.title = _clean(draft.title) or "?"
    return draft


def repair_json(text: str) -> str:
    """Best-effort repair of unconstrained output: the outermost object, no trailing commas,
    unclosed brackets closed."""
    start = text.find("{")
    if start < 0:
        return text
    body = re.sub(r",\s*([}\]])", r"\1", text[start:])
    end = body.rfind("}")
    candidate = body[: end + 1] if end >= 0 else body
    try:
        json.loads(candidate)
        return candidate
    except json.JSONDecodeError:
        pass
    stack = []
    in_str = esc = False
    for ch in body:
        if in_str:
            esc, in_str = (not esc and ch == "\\"), (in_str and not (ch == '"' and not esc))
            continue
        if ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
    return body + ('"' if in_str else "") + "".join(reversed(stack))


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


# --------------------------------------------------------------------------- continuity


class LedgerFact(Model):
    episode: int
    kind: str  # secret | injury | relationship | costume
    who: list[str]
    what: str


class Ledger(Model):
    """What later episodes must stay consistent with; updated after every chunk."""

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


# --------------------------------------------------------------------------- the writer


def series_key(series: Series) -> str:
    """A short id for a season (``Series.key``)."""
    return series.key


class Revision(Model):
    series: str = Field(description="series_key of the season the episode belongs to.")
    episode: int
    before: dict[str, float]
    after: dict[str, float]
    passes: int
    grafted: list[str] = []


class LLMWriter:
    """Writes episodes with a local model, in batches, checked and revised by the analyser."""

    name = "llm"

    def __init__(
        self,
        generator: TextGenerator,
        planner: TemplateWriter | None = None,
        batch_size: int = 8,
        max_new_tokens: int | None = None,
        max_chars: int = 60,
        max_beats: int | None = None,
        retries: int = 2,
        revise_passes: int = 1,
        constrained: bool | None = None,
        share_prefix: bool = True,
        on_tokens: Callable[[int], None] | None = None,
        draft_plan: bool = True,
    ) -> None:
        self.gen = generator
        self.draft_plan = draft_plan
        self.plan_fallback = False  # True when the season draft never validated
        self.planner = planner or TemplateWriter()
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.max_beats = max_beats
        self.max_new_tokens = max_new_tokens
        self.retries = retries
        self.revise_passes = revise_passes
        self.share_prefix = share_prefix
        self.on_tokens = on_tokens
        if constrained is None:
            try:
                import xgrammar  # noqa: F401

                constrained = True
            except ImportError:
                warnings.warn("xgrammar is not installed: generating without a schema, then "
                              'repairing and validating (pip install "aiscript[constrained]")',
                              stacklevel=2)
                constrained = False
        self.constrained = constrained
        self.ledgers: dict[str, Ledger] = {}  # one continuity ledger per season
        self.revisions: list[Revision] = []
        self.fallbacks: list[tuple[str, int]] = []  # (series_key, episode) the planner wrote

    @classmethod
    def from_options(cls, model: str | None = None, device: str | None = None,
                     batch_size: int = 8, on_tokens: Callable[[int], None] | None = None,
                     fast: bool = False, **_: object) -> LLMWriter:
        """Built by name (``--writer llm --model ...``): loads the model once. ``fast`` turns
        on the static KV cache and the compiled decode step (CUDA graphs on a GPU)."""
        from aiscript.backends.hf_text import TransformersGenerator
        from aiscript.errors import AiscriptError

        if not model:
            raise AiscriptError("the llm writer needs a model", "pass --model PATH_OR_ID")
        if batch_size < 1:
            raise AiscriptError(f"batch size must be at least 1, not {batch_size}",
                                "pass --batch-size 8")
        gen = TransformersGenerator.from_pretrained(model, device=device, static_cache=fast,
                                                    compile=fast)
        return cls(gen, batch_size=batch_size, on_tokens=on_tokens)

    # -- plan: the template planner's skeleton --------------------------------------------

    def plan(self, premise: Premise) -> Series:
        """The planner's season, then the model's title, logline, character looks and episode
        summaries over it (schema-constrained, validated, bounded retries; the planner's own
        text stays where the model's never validates)."""
        series = self.planner.plan(premise)
        if not self.draft_plan:
            return series
        bible, plan = series.bible, series.plan
        n_cast, n_eps = len(bible.characters), len(plan.episodes)
        prompt = self.gen.chat_ids(
            render(f"plan.{bible.language}.j2", bible=bible, plan=plan,
                   genre=find_genre(bible.genre)), bible.premise.text)
        schema = plan_schema(n_cast, n_eps, self.max_chars * 2)
        error = ""
        for attempt in range(self.retries + 1):
            res = self.gen.generate_ids(
                [prompt], max_new_tokens=64 + (n_cast + n_eps + 2) * (self.max_chars * 2 + 8),
                schema=schema if self.constrained else None, temperature=0.0 if attempt == 0 else 0.8,
                seeds=[premise.seed * 100 + attempt], on_token=self.on_tokens)[0]
            try:
                return self._apply_plan(series, parse_plan(res.text, n_cast, n_eps))
            except (ValidationError, ValueError) as exc:
                error = str(exc).splitlines()[0]
        self.plan_fallback = True
        warnings.warn(f"the season draft did not validate ({error}); the planner's text stays",
                      stacklevel=2)
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

    def write_episode(self, series: Series, number: int) -> Episode:
        return self.write_episodes(series, [number])[0]

    def ledger(self, series: Series) -> Ledger:
        return self.ledgers.setdefault(series_key(series), Ledger())

    def write_episodes(self, series: Series, numbers: Sequence[int] | None = None,
                       on_episode: Callable[[Episode], None] | None = None) -> list[Episode]:
        """Episodes in chunks of ``batch_size``, each chunk one batched generation."""
        if numbers is None:
            numbers = range(1, len(series.plan.episodes) + 1)
        return self.write_across([(series, n) for n in numbers], on_episode)

    def write_across(self, items: Sequence[tuple[Series, int]],
                     on_episode: Callable[[Episode], None] | None = None) -> list[Episode]:
        """Episodes of one or several seasons, ``batch_size`` to a generation: a batch runner
        fills the GPU with episodes of different series. Each season keeps its own ledger."""
        out: list[Episode] = []
        for start in range(0, len(items), self.batch_size):
            chunk = list(items[start : start + self.batch_size])
            written = self._write_items(chunk, {})
            by_series: dict[str, list[int]] = {}
            for k, (series, _) in enumerate(chunk):
                by_series.setdefault(series_key(series), []).append(k)
            for rows in by_series.values():
                series = chunk[rows[0]][0]
                revised = self._revise(series, [written[k] for k in rows])
                for k, ep in zip(rows, revised, strict=True):
                    written[k] = ep
                    self.ledger(series).update(
                        series.bible, series.plan.episodes[ep.number - 1].arc_stage, ep)
            for ep in written:
                if on_episode:
                    on_episode(ep)
            out += written
        return out

    # -- one batched chunk ------------------------------------------------------------------

    def _beats(self, series: Series, n: int) -> list[tuple[int, Beat]]:
        """The outline beats the model writes: all, or ``max_beats`` evenly chosen keeping the
        hook first and the cliffhanger last."""
        beats = list(enumerate(series.plan.episodes[n - 1].beats))
        k = self.max_beats
        if k is None or k >= len(beats):
            return beats
        if k < 2:
            return beats[:1]
        step = (len(beats) - 1) / (k - 1)
        return [beats[round(i * step)] for i in range(k)]

    def _prompt(self, series: Series, n: int, revision: list[str]) -> list[int]:
        lang, bible, plan = series.bible.language, series.bible, series.plan
        system = render(f"episode_system.{lang}.j2", bible=bible, plan=plan,
                        genre=find_genre(bible.genre))
        user = render(
            f"episode_user.{lang}.j2", outline=plan.episodes[n - 1],
            previous=plan.episodes[max(0, n - 6) : n - 1], ledger=self.ledger(series).recent(),
            beats=[b for _, b in self._beats(series, n)], revision=revision,
        )
        return self.gen.chat_ids(system, user)

    def _write_chunk(self, series: Series, numbers: list[int],
                     revision: dict[int, list[str]], attempt_seed: int = 0) -> list[Episode]:
        key = series_key(series)
        return self._write_items([(series, n) for n in numbers],
                                 {(key, n): r for n, r in revision.items()}, attempt_seed)

    def _write_items(self, items: list[tuple[Series, int]],
                     revision: dict[tuple[str, int], list[str]],
                     attempt_seed: int = 0) -> list[Episode]:
        """One batched, schema-constrained generation for these episodes, validated, with
        bounded retries; the planner writes what never validates."""
        casts = [[c.name for c in s.bible.characters] for s, _ in items]
        beats = [len(self._beats(s, n)) for s, n in items]
        drafts: dict[int, EpisodeDraft] = {}
        errors: dict[int, str] = {}
        todo = list(range(len(items)))
        for attempt in range(self.retries + 1):
            prompts = {k: self._prompt(*items[k], revision.get((series_key(items[k][0]),
                                                                 items[k][1]), []))
                       for k in todo}
            # one generation for the whole chunk, each row under its own schema (its own cast
            # and beat count), so episodes of different series share the batch
            results = self.gen.generate_ids(
                [prompts[k] for k in todo], max_new_tokens=max(self._budget(*items[k]) for k in todo),
                schema=[draft_schema(beats[k], casts[k], self.max_chars) for k in todo]
                if self.constrained else None,
                share_prefix=self.share_prefix, temperature=0.0 if attempt == 0 else 0.8,
                seeds=[attempt_seed * 1000 + attempt * 100 + items[k][1] for k in todo],
                on_token=self.on_tokens,
            )
            for k, res in zip(todo, results, strict=True):
                try:
                    drafts[k] = parse_draft(res.text, beats[k], casts[k])
                except (ValidationError, ValueError) as exc:
                    errors[k] = str(exc).splitlines()[0]
            todo = [k for k in todo if k not in drafts]
            if not todo:
                break
        failed = [(series_key(items[k][0]), items[k][1]) for k in todo]
        self.fallbacks += failed
        if failed:
            warnings.warn(f"episodes {[n for _, n in failed]} did not validate after "
                          f"{self.retries + 1} tries ({errors[todo[0]]}); the planner wrote them",
                          stacklevel=3)
        return [self._episode(s, n, drafts.get(k)) for k, (s, n) in enumerate(items)]

    def _budget(self, series: Series, n: int) -> int:
        if self.max_new_tokens:
            return self.max_new_tokens
        # every string at its cap, a few tokens of JSON around each
        return 32 + len(self._beats(series, n)) * (3 * self.max_chars + 24)

    def _episode(self, series: Series, n: int, draft: EpisodeDraft | None) -> Episode:
        if draft is None:
            return self.planner.write_episode(series, n)
        roles = {c.name: c.role for c in series.bible.characters}
        devices = {}
        for (i, beat), b in zip(self._beats(series, n), draft.beats, strict=True):
            role = roles[b.speaker] if roles[b.speaker] != "rival" else "antagonist"
            devices[i] = Device(kind=beat.kind, speaker=role, action=L10n(zh=b.action, en=b.action),
                                line=L10n(zh=b.line, en=b.line))
        ep = self.planner.write_episode(series, n, devices=devices)
        return ep.model_copy(update={"title": draft.title[:40]})

    # -- revision ---------------------------------------------------------------------------

    def _revise(self, series: Series, episodes: list[Episode]) -> list[Episode]:
        """Rewrite episodes the analyser finds without a hook or a cliffhanger; after the
        bounded passes, graft the planner's hook or cliffhanger beat into what is still weak."""
        from aiscript.analysis.judge import analyzer_for

        # with ``use_judge`` set, the writer's own model also judges (aiscript.analysis.judge)
        analyze = analyzer_for(self.gen, getattr(self, "use_judge", False))

        reports = {ep.number: analyze(ep) for ep in episodes}
        before = {n: _scores(r) for n, r in reports.items()}
        current = {ep.number: ep for ep in episodes}
        passes = dict.fromkeys(current, 0)
        for p in range(self.revise_passes):
            weak = {n: _problems(r) for n, r in reports.items() if _problems(r)}
            if not weak:
                break
            for ep in self._write_chunk(series, list(weak), weak, attempt_seed=p + 1):
                passes[ep.number] += 1
                report = analyze(ep)
                if sum(_scores(report).values()) > sum(_scores(reports[ep.number]).values()):
                    current[ep.number], reports[ep.number] = ep, report
        for n, report in reports.items():
            grafted = []
            if _problems(report):
                template = self.planner.write_episode(series, n)
                current[n], grafted = _graft(current[n], template, report)
                reports[n] = analyze(current[n])
            if passes[n] or grafted or before[n] != _scores(reports[n]):
                self.revisions.append(Revision(series=series_key(series), episode=n,
                                               before=before[n],
                                               after=_scores(reports[n]), passes=passes[n],
                                               grafted=grafted))
        return [current[ep.number] for ep in episodes]


def _scores(report) -> dict[str, float]:
    return {"hook": report.hook.score, "cliffhanger": report.cliffhanger.score}


def _problems(report) -> list[str]:
    out = []
    if not report.hook.present:
        out.append("no hook in the first 3 seconds")
    if not report.cliffhanger.present:
        out.append("no cliffhanger at the end")
    return out


def _graft(ep: Episode, template: Episode, report) -> tuple[Episode, list[str]]:
    """The template's opening or closing shot in place of a weak one."""
    ep = ep.model_copy(deep=True)
    grafted = []
    if not report.hook.present:
        first = template.scenes[0].shots[0].model_copy(update={"id": ep.scenes[0].shots[0].id})
        ep.scenes[0].shots[0] = first
        grafted.append("hook")
    if not report.cliffhanger.present:
        last = template.scenes[-1].shots[-1].model_copy(update={"id": ep.scenes[-1].shots[-1].id})
        ep.scenes[-1].shots[-1] = last
        grafted.append("cliffhanger")
    return ep, grafted
