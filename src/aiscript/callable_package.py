"""Packages that are also library calls: ``aiscript.storyboard(paths)`` and
``aiscript.export(folder, to)`` sit on the names of the ``storyboard`` and ``export`` packages.

Once a subpackage is imported Python binds its name on the parent package, so a function of
that name could not stay reachable as ``aiscript.storyboard``; the package itself answers the
call instead, by handing it to the function in ``aiscript.api``. Its modules stay where they
are (``aiscript.storyboard.sketch``, ``aiscript.export.to_fountain``).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class CallablePackage(types.ModuleType):
    """A package whose call is a library function, named as ``module:attr``."""

    _call_target: str

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        module, _, attr = self._call_target.partition(":")
        return getattr(importlib.import_module(module), attr)(*args, **kwargs)


def answer_calls(package: str, target: str) -> None:
    """Make the imported package ``package`` callable as the function ``target``."""
    module = sys.modules[package]
    module.__class__ = CallablePackage
    module._call_target = target
