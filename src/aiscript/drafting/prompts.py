"""Prompt templates (Jinja2) from ``prompts/``, rendered with the project's models."""

from __future__ import annotations

from functools import cache

from aiscript.craft import data_dir


@cache
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(data_dir("prompts"))),
                       undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)


def render(name: str, **values) -> str:
    """Render ``prompts/<name>``; a missing variable is an error, never a silent blank."""
    return _env().get_template(name).render(**values)
