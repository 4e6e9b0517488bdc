"""The layout holds: no import cycle, no module importing a later stage of the pipeline, no
backend probed with hasattr/getattr, and the premise going down through the stages without
coming back to a module it has left."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "aiscript"

# the stages in the order the pipeline runs them: a module may import its own stage and the
# ones before it, never a later one
STAGES = [
    {"errors", "files", "fonts", "callable_package", "segment"},
    {"schema", "timing", "craft", "registry"},
    {"config"},
    {"script", "story", "analysis", "backends"},
    {"shots", "drafting"},
    {"storyboard"},
    {"export"},
    {"pipeline", "importing"},
    {"batch"},
    {"api"},
    {"cli"},
    {"__init__", "__main__"},
]
RANK = {name: i for i, stage in enumerate(STAGES) for name in stage}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module's aiscript imports, at the top or inside functions."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                    node.module.startswith("aiscript"):
                subs = {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
                deps |= subs or {node.module}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("aiscript")}
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_module_belongs_to_a_stage():
    assert {_stage(m) for m in _imports()} <= RANK.keys()


def test_no_import_cycle():
    graph = _imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    assert cycles == []


def test_no_module_imports_a_later_stage():
    upward = sorted(f"{m} -> {d}" for m, deps in _imports().items() for d in deps
                    if _stage(d) != "__init__" and RANK[_stage(d)] > RANK[_stage(m)])
    assert upward == []


PROBE = re.compile(r"\b(?:hasattr|getattr)\(\s*(?:self\.)?(?:renderer|writer|generator|gen|"
                   r"chat|planner|judge|backend|cls|factory)\b")


def test_no_backend_is_probed_with_hasattr_or_getattr():
    found = [f"{p.relative_to(SRC)}:{i}" for p in PACKAGE.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if PROBE.search(line)]
    assert found == []


PREMISE = "A night-shift nurse discovers the billionaire patient she's been caring for faked his coma."


def _carries(value, depth: int = 0) -> bool:
    """The premise text itself, or a model holding it (a Premise, a Brief), not the season."""
    from pydantic import BaseModel

    if isinstance(value, str):
        return PREMISE[:40] in value
    if isinstance(value, BaseModel) and depth < 2:
        return any(_carries(getattr(value, k), depth + 1) for k in ("text", "premise", "brief")
                   if k in type(value).model_fields)
    return False


def _chain(frame) -> list[str]:
    """The aiscript modules on the stack, outermost first, a run of one module counted once."""
    mods: list[str] = []
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("aiscript") and (not mods or mods[-1] != name):
            mods.append(name)
        frame = frame.f_back
    return mods[::-1]


def _chains_carrying(needle_in, call) -> set[tuple[str, ...]]:
    """Every chain of aiscript modules on the stack at a call whose arguments hold what
    ``needle_in`` recognises, while ``call()`` runs."""
    chains: set[tuple[str, ...]] = set()

    def tracer(frame, event, arg):
        if event == "call" and frame.f_globals.get("__name__", "").startswith("aiscript"):
            code = frame.f_code
            names = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
            if any(needle_in(frame.f_locals.get(n)) for n in names):
                chains.add(tuple(_chain(frame)))
        return None

    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(None)
    return chains


def _come_back(chains: set[tuple[str, ...]]) -> list[str]:
    return sorted(" > ".join(c) for c in chains if len(set(c)) < len(c))


def test_the_premise_goes_down_the_stages_without_coming_back():
    """Every call chain the premise travels from ``aiscript.run`` visits each module once: no
    module is called back by one it called (the planner asking the drafter to read, say)."""
    import aiscript

    chains = _chains_carrying(
        _carries, lambda: aiscript.run(PREMISE, episodes=1, lang="en", storyboards=False))
    assert any("aiscript.story.season" in c for c in chains)  # the walk reached the planner
    assert _come_back(chains) == []


def test_a_script_file_goes_down_the_stages_without_coming_back(tmp_path):
    """The same for a script file through ``aiscript.storyboard``: read, planned, rendered and
    exported with no stage calling back into one above it (a finished storyboard is handed up
    by a generator, not a callback)."""
    import aiscript

    script = tmp_path / "ward_ep1.txt"
    script.write_text("1-1 夜 内 病房\n人物：林晚、顾言\n△林晚推门进来，顾言躺在病床上。\n"
                      "林晚：你醒了？\n顾言：别出声。\n", encoding="utf-8")

    def names_it(value) -> bool:
        return isinstance(value, (str, Path)) and "ward_ep1" in str(value)

    chains = _chains_carrying(
        names_it, lambda: aiscript.storyboard([script], out=tmp_path / "boards"))
    assert any("aiscript.storyboard.frames" in c for c in chains)  # the walk reached the frames
    assert _come_back(chains) == []
