"""Progress as plain lines, for output that is not a terminal (a log file, CI, a pipe).

rich's live bars draw nothing useful there; this prints one line per finished item of a
counted task and, for open-ended counts such as tokens, a line at most every ``every_s``
seconds. It answers the part of ``rich.progress.Progress`` the pipeline uses.

>>> import io
>>> buf = io.StringIO()
>>> with PlainProgress(buf, every_s=0) as p:
...     t = p.add_task("writing episodes", total=2)
...     p.advance(t)
>>> buf.getvalue().splitlines()[0]
'writing episodes: 1/2'
"""

from __future__ import annotations

import time
from typing import TextIO


class PlainProgress:
    def __init__(self, stream: TextIO, every_s: float = 10.0) -> None:
        self.stream, self.every_s = stream, every_s
        self.tasks: dict[int, dict] = {}

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc) -> None:
        for task in self.tasks.values():
            if task["total"] is None and task["done"]:
                self._print(task, force=True)

    def add_task(self, description: str, total: float | None = None, **_) -> int:
        key = len(self.tasks)
        self.tasks[key] = {"name": description, "total": total, "done": 0,
                           "start": time.perf_counter(), "last": 0.0}
        return key

    def advance(self, key: int, n: float = 1) -> None:
        task = self.tasks[key]
        task["done"] += n
        self._print(task, force=task["total"] is not None)

    def update(self, key: int, advance: float = 0, **_) -> None:
        self.advance(key, advance)

    def _print(self, task: dict, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - task["last"] < self.every_s:
            return
        task["last"] = now
        done, total = task["done"], task["total"]
        if total is not None:
            text = f"{task['name']}: {done:g}/{total:g}"
        else:
            rate = done / max(now - task["start"], 1e-9)
            text = f"{task['name']}: {done:g} ({rate:.1f}/s)"
        print(text, file=self.stream, flush=True)
