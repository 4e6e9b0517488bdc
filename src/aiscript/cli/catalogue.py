"""``aiscript schema`` and ``aiscript genres``: what the data model and the genre catalogue
hold. Neither writes a file."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from aiscript.cli.console import AsJson, out, table
from aiscript.errors import AiscriptError


def schema(
    name: Annotated[str, typer.Argument(help="A model name, e.g. Episode; 'list' for all.")],
) -> None:
    """Print a model's JSON Schema (to stdout; writes no file)."""
    from aiscript.schema import MODELS

    if name == "list":
        out.print("\n".join(MODELS))
        return
    if name not in MODELS:
        raise AiscriptError(f"unknown model {name!r}", f"choose one of: {', '.join(MODELS)}")
    sys.stdout.write(json.dumps(MODELS[name].model_json_schema(), ensure_ascii=False, indent=2) + "\n")


def genres(as_json: AsJson = False) -> None:
    """List the genre catalogue (--json: every field of each genre). Writes no file."""
    from aiscript.craft import load_genres

    if as_json:
        body = [g.model_dump(mode="json") for g in load_genres().values()]
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        return
    table(["id", "中文", "English", "tropes"],
          [[g.id, g.name.zh, g.name.en, "; ".join(g.tropes.en[:2])] for g in load_genres().values()])
