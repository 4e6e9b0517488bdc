"""User-facing errors: one line naming the problem, one naming the fix.

The CLI prints ``error: <problem>`` and ``  fix: <fix>`` and exits with status 2; the library
raises them so notebooks see the same words.
"""

from __future__ import annotations


class AiscriptError(Exception):
    """Bad input or environment that the user can fix."""

    exit_code = 2

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.problem} ({self.fix})" if self.fix else self.problem


class MissingExtra(AiscriptError):
    """An optional dependency group is not installed."""

    def __init__(self, what: str, extra: str, module: str) -> None:
        super().__init__(
            f"{what} needs the '{module}' package, which is not installed",
            f'install it with: pip install "aiscript[{extra}]"',
        )


def first_line(exc: BaseException, limit: int = 200) -> str:
    """The first line of an exception's message (libraries' messages run long), or its type."""
    lines = str(exc).strip().splitlines()
    return lines[0][:limit] if lines else type(exc).__name__


def invalid_where(exc: BaseException) -> str:
    """Where a pydantic ``ValidationError`` found its first problem, and what: ``a.b: msg``
    (just ``msg`` at the top level)."""
    first = exc.errors()[0]  # type: ignore[attr-defined]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]
