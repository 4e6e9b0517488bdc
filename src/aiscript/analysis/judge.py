"""An LLM judge for hooks and cliffhangers: any local instruct model, through the project's
transformers backend, reads the opening and the ending of each script with the labelling rubric
and a few labelled examples, and answers in schema-constrained JSON (present, kind, the quoted
evidence, a confidence). All scripts go in batches; the verdicts join the analyser's report
(``BeatReport.judge``), next to the analyser's own.

The verdict is only as good as the model: a tiny random model (as in the tests) answers at
random; its answers prove the plumbing, not the judgement.

>>> judge = LLMJudge.from_pretrained("models/qwen2.5-1.5b-instruct")     # doctest: +SKIP
>>> reports = judge.judge([analyze("ep01.fountain")], [read_path("ep01.fountain")])  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from aiscript.analysis.formats import Script
from aiscript.schema import BeatReport, JudgeVerdict

if TYPE_CHECKING:
    from aiscript.backends.chat import ChatGenerator

HERE = Path(__file__).resolve().parent
HOOK_KINDS = ["danger", "conflict", "humiliation", "threat", "reveal", "question",
              "shocking_image", "calm", "establishing", "mood", "other"]
CLIFF_KINDS = ["reveal", "new_information", "threat", "arrival", "interrupted_action", "danger",
               "power_shift", "imminent_confrontation", "resolution", "rescue", "farewell",
               "punchline", "warm_image", "calm_image", "other"]
RUBRIC = {
    "hook": (
        "You are a script editor of vertical micro-dramas. Judge the HOOK: do the first ~3 "
        "seconds (the first beat: the first action paragraph, and a line said over it) already "
        "carry stakes? Present when the first beat shows or states danger, a fight under way, "
        "humiliation, a threat or deadline, a shocking reveal, an urgent question, or a shocking "
        "image. Absent when it is establishing, calm, comic or mood alone, even if stakes come "
        "later. Quote the words your verdict rests on."),
    "cliffhanger": (
        "You are a script editor of vertical micro-dramas. Judge the CLIFFHANGER: do the last "
        "beats leave an urgent open question? Present (open): a reveal whose consequence is "
        "unseen, new information, a threat or ultimatum, an arrival, an interrupted action, "
        "danger at the cut, a power-shifting taunt, a walk into a fight. Absent (closed): "
        "resolution, rescue, reconciliation, farewell, punchline, a warm or calm image. "
        "Transitions such as TO BE CONTINUED or 未完待续 are evidence, not the verdict. Quote "
        "the words your verdict rests on."),
}


def answer_schema(question: str) -> str:
    """The JSON Schema every answer is constrained to. Evidence first: the model quotes the
    beat and says whether its conflict is already under way (hook) or closed (cliffhanger)
    before it gives the verdict, so the verdict rests on what it has just written."""
    kinds = HOOK_KINDS if question == "hook" else CLIFF_KINDS
    state = ({"stakes_now": {"type": "boolean"}} if question == "hook"
             else {"conflict_closed": {"type": "boolean"}})
    return json.dumps({
        "type": "object",
        "properties": {
            "evidence": {"type": "string", "maxLength": 80},
            **state,
            "present": {"type": "boolean"},
            "kind": {"type": "string", "enum": kinds},
            "confidence": {"type": "string", "enum": ["low", "medium", "high"]},
        },
        "required": ["evidence", *state, "present", "kind", "confidence"],
        "additionalProperties": False,
    })


CONFIDENCE = {"low": 0.25, "medium": 0.5, "high": 0.85}


@cache
def examples() -> list[dict]:
    """The labelled few-shot examples shipped with the package."""
    return json.loads((HERE / "judge_examples.json").read_text(encoding="utf-8"))["examples"]


def excerpt(script: Script, question: str, lines: int = 6) -> str:
    """What the judge reads: the first lines for a hook, the last lines for a cliffhanger."""
    els = [e for e in script.elements if e.kind != "heading"]
    part = els[:lines] if question == "hook" else els[-lines:]
    return "\n".join(f"{e.speaker}: {e.text}" if e.kind == "dialogue" else e.text for e in part)


def prompt(script: Script, question: str) -> tuple[str, str]:
    """System and user text for one script and one question: the rubric and the labelled
    examples in the system text (the same for every script, so a prompt cache computes it
    once), the excerpt in the user text."""
    shots = [ex for ex in examples() if ex["question"] == question]
    demo = "\n\n".join(f"Script:\n{ex['script']}\nAnswer: {json.dumps(ex['answer'], ensure_ascii=False)}"
                       for ex in shots)
    where = "OPENING" if question == "hook" else "ENDING"
    step = ("First quote the first beat, then say whether a threat, loss or confrontation is "
            "already under way in it (stakes_now)" if question == "hook" else
            "First quote the last beat, then say whether its conflict is closed "
            "(conflict_closed: an exit, an apology accepted, a rescue done, a calm image)")
    system = f"{RUBRIC[question]} {step}; then give the verdict.\n\nExamples:\n\n{demo}"
    return system, f"Script ({where}):\n{excerpt(script, question)}\nAnswer:"


def parse(text: str, question: str, model: str) -> JudgeVerdict | None:
    """A verdict from the model's JSON, or None when the answer is not valid JSON."""
    try:
        raw = json.loads(text, strict=False)  # a weak model may put control characters in strings
        present = bool(raw["present"])
        if question == "cliffhanger" and raw.get("conflict_closed") is True:
            present = False  # a closed conflict is no cliffhanger, whatever the verdict says
        return JudgeVerdict(present=present, kind=raw.get("kind"),
                            evidence=str(raw.get("evidence", ""))[:200],
                            confidence=CONFIDENCE.get(raw.get("confidence"), 0.5), model=model)
    except (ValueError, KeyError, TypeError):
        return None


class LLMJudge:
    """Hook and cliffhanger verdicts from a local instruct model (see the module docstring),
    through any ``ChatGenerator`` (``aiscript.backends.chat``): llama.cpp for a GGUF, the
    transformers backend for a model folder."""

    def __init__(self, chat: ChatGenerator, name: str = "", batch_size: int = 8,
                 max_new_tokens: int = 160) -> None:
        self.chat, self.name = chat, name or chat.name
        self.batch_size, self.max_new_tokens = batch_size, max_new_tokens

    @classmethod
    def from_pretrained(cls, path: str | Path, threads: int | None = None, **kw) -> LLMJudge:
        """A GGUF file through llama.cpp (``threads`` CPU threads), a folder through
        transformers."""
        path = Path(path)
        if path.suffix.lower() == ".gguf":
            from aiscript.backends.llamacpp import LlamaCppChat

            chat = LlamaCppChat.open(path, threads=threads, parallel=1, n_ctx=4096)
            chat.sampling = {}  # the judge decodes greedily: the writer's DRY is for prose
            return cls(chat, name=path.stem, **kw)
        from aiscript.backends.chat import LocalChat
        from aiscript.backends.hf_text import TransformersGenerator

        return cls(LocalChat(TransformersGenerator.from_pretrained(path)), name=path.name, **kw)

    def verdicts(self, scripts: Sequence[Script]) -> list[dict[str, JudgeVerdict]]:
        """Both questions for every script, decoded in batches, schema-constrained."""
        jobs = [(i, q) for i in range(len(scripts)) for q in ("hook", "cliffhanger")]
        out: list[dict[str, JudgeVerdict]] = [{} for _ in scripts]
        for start in range(0, len(jobs), self.batch_size):
            batch = jobs[start : start + self.batch_size]
            gens = self.chat.chat([prompt(scripts[i], q) for i, q in batch], self.max_new_tokens,
                                  [answer_schema(q) for _, q in batch], 0.0, [0] * len(batch))
            for (i, q), g in zip(batch, gens, strict=True):
                verdict = parse(g.text, q, self.name)
                if verdict is not None:
                    out[i][q] = verdict
        return out

    def judge(self, reports: Sequence[BeatReport], scripts: Sequence[Script]) -> list[BeatReport]:
        """The reports with the judge's verdicts added; a question the model did not answer in
        valid JSON (cut off by the token budget) is named in the report's warnings."""
        out = []
        for report, verdict in zip(reports, self.verdicts(scripts), strict=True):
            report = report.model_copy(update={"judge": verdict})
            for q in ("hook", "cliffhanger"):
                if q not in verdict:
                    report.warnings.append(f"the judge {self.name} gave no valid {q} answer")
            out.append(report)
        return out


def analyzer_for(chat: ChatGenerator | None, use_judge: bool = True) -> Callable:
    """``analyze`` for the LLM writer's revision loop: with the writer's chat model and
    ``use_judge``, an episode counts as having a hook (cliffhanger) only when the analyser and
    the judge both find one, and the report carries both verdicts.

    >>> from aiscript.schema import Episode
    >>> analyzer_for(None)(Episode.example()).judge
    {}
    """
    from aiscript.analysis import analyze
    from aiscript.analysis.formats import from_episode

    if not use_judge or chat is None:
        return analyze
    judge = LLMJudge(chat, batch_size=2)

    def run(episode):
        report = judge.judge([analyze(episode)], [from_episode(episode)])[0]
        update = {}
        if (v := report.judge.get("hook")) is not None and not v.present and report.hook.present:
            update["hook"] = report.hook.model_copy(update={"present": False})
        if ((v := report.judge.get("cliffhanger")) is not None and not v.present
                and report.cliffhanger.present):
            update["cliffhanger"] = report.cliffhanger.model_copy(update={"present": False})
        return report.model_copy(update=update) if update else report

    return run
