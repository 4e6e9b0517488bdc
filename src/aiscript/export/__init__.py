"""Exports: Fountain, JSON, shot list CSV, contact sheets (HTML and PDF)."""

from aiscript.export.contact_sheet import contact_sheet_html, contact_sheet_pdf
from aiscript.export.fountain import to_fountain
from aiscript.export.shotlist import SHOTLIST_COLUMNS, shotlist_rows, write_shotlist

__all__ = [
    "SHOTLIST_COLUMNS", "contact_sheet_html", "contact_sheet_pdf", "shotlist_rows", "to_fountain",
    "write_shotlist",
]

from aiscript.callable_package import answer_calls  # noqa: E402

answer_calls(__name__, "aiscript.api:export")  # aiscript.export(folder, to): the library call
