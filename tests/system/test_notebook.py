from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_quickstart_notebook_cells_run_and_what_they_show_renders_as_html():
    """The notebook's code, cell by cell, as a kernel would run it (no Jupyter needed): every
    cell runs, and the values cells end on render as the notebook shows them."""
    nb = json.loads((EXAMPLES / "quickstart.ipynb").read_text(encoding="utf-8"))
    scope: dict = {}
    html = []
    for cell in (c for c in nb["cells"] if c["cell_type"] == "code"):
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "cell", "exec"), scope)  # noqa: S102 - the project's own notebook
        if last is not None:
            shown = eval(compile(ast.Expression(last.value), "cell", "eval"), scope)  # noqa: S307
            if hasattr(shown, "_repr_html_"):
                html.append(shown._repr_html_())
    assert any("<table>" in h for h in html), "the Episode should render as a table"
    assert any("<img" in h for h in html), "the Storyboard should render its frames"


def test_quickstart_notebook_runs_and_shows_models_inline():
    """The same notebook in a real kernel (the `full` extra: nbclient, nbformat, ipykernel)."""
    nbformat = pytest.importorskip("nbformat", reason="Jupyter is in the full extra")
    nbclient = pytest.importorskip("nbclient", reason="Jupyter is in the full extra")
    pytest.importorskip("ipykernel", reason="Jupyter is in the full extra")
    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3").execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<table>" in h for h in html), "the Episode should render as a table"
    assert any("<img" in h for h in html), "the Storyboard should render its frames"
