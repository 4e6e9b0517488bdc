"""The ``aiscript`` command: a thin layer over the library. Each command parses its options
into a ``RunConfig``, makes one library call (``aiscript.run``, ``aiscript.storyboard``,
``aiscript.analyze``, ``aiscript.export``, ...) and prints; one module per command."""

from __future__ import annotations

import sys

import typer

from aiscript.cli import analyze, batch, catalogue, export, models, review, run, storyboard
from aiscript.cli.console import err, safe
from aiscript.errors import AiscriptError, invalid_where
from aiscript.files import owns_outputs

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="AI-assisted micro-drama writing and storyboarding.",
)
# in the order ``aiscript --help`` lists them
app.command()(run.run)
app.command()(run.write)
app.command()(storyboard.storyboard)
app.command()(review.review)
app.command()(export.export)
app.command()(batch.batch)
app.add_typer(models.app, name="models")
app.command()(catalogue.schema)
app.command()(analyze.analyze)
app.command()(catalogue.genres)


@owns_outputs
def _app(argv: list[str]) -> None:
    from aiscript.backends.modelhub import hub_offline
    from aiscript.cli.options import empty_path_values

    empty_path_values(argv)
    with hub_offline():  # the command never downloads: hub ids come from the local cache
        app(args=argv, standalone_mode=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line and exit status 2, never a traceback."""
    try:
        _app(sys.argv[1:] if argv is None else argv)
    except AiscriptError as exc:
        _report(exc)
    except KeyboardInterrupt:
        err.print("interrupted; rerun with --resume to finish")
        raise SystemExit(130) from None
    except Exception as exc:
        user = user_error(exc)
        if user is not None:
            _report(user)
        # usage errors (from click, or the click that typer carries) print their own message
        # and exit code; anything else is a bug and keeps its traceback
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        if type(exc).__name__ == "Abort":
            raise SystemExit(1) from None
        raise


def _report(exc: AiscriptError):
    err.print(f"[red]error:[/] {safe(exc.problem)}", highlight=False, soft_wrap=True)
    if exc.fix:
        err.print(f"  fix: {safe(exc.fix)}", highlight=False, soft_wrap=True)
    raise SystemExit(exc.exit_code) from None


def user_error(exc: BaseException) -> AiscriptError | None:
    """The user-caused exceptions libraries raise, as one line naming the problem and the fix;
    None for anything else (a bug, which keeps its traceback)."""
    from aiscript.errors import first_line
    from aiscript.files import path_error

    name = type(exc).__name__
    module = type(exc).__module__.split(".")[0]
    if isinstance(exc, OSError):
        return path_error(exc)
    if isinstance(exc, RecursionError):
        return AiscriptError("the input is nested too deeply", "simplify the input file")
    if isinstance(exc, MemoryError):
        return AiscriptError("out of memory", "use smaller inputs, --batch-size or --size")
    if name == "ValidationError" and module in ("pydantic", "pydantic_core"):
        return AiscriptError(f"invalid input: {invalid_where(exc)}"[:300],
                             "check the input files and options")
    if module == "jinja2":
        return AiscriptError(f"the model's chat template was refused ({first_line(exc)})",
                             "use a model with a plain chat template")
    if name == "OutOfMemoryError" and module == "torch":
        return AiscriptError("the GPU ran out of memory", "lower --batch-size or --size")
    if isinstance(exc, ValueError) and module == "builtins":
        return AiscriptError(f"invalid value: {first_line(exc)}",
                             "check the options and input files")
    return None


