"""Plain prose -> one ``EpisodeDraft``: the last resort for text in no script layout. Quoted
speech becomes dialogue (speaker ``?``), every other sentence action.

>>> [ep] = read_prose('She opens the door. "Who are you?" A man steps in.')
>>> [(e.action, e.line.text if e.line else None) for e in ep.scenes[0].elements]
[('She opens the door.', None), ('', 'Who are you?'), ('A man steps in.', None)]
"""

from __future__ import annotations

import re

from aiscript.script.builder import DraftBuilder

_QUOTE = re.compile(r"[“\"「]([^“”\"「」]+)[”\"」]")  # no opener inside: linear
_SENTENCES = re.compile(r"[^。！？!?.\n]+[。！？!?.…—]*[”\"」]?")


def read_prose(text: str, source: str = "<prose>") -> list:
    """Episodes (one) from prose; see the module doc."""
    from aiscript.script.front_matter import set_aside

    builder = DraftBuilder(source)
    for number, para in enumerate(set_aside(text).text.split("\n"), start=1):
        pos = 0
        for m in _QUOTE.finditer(para):
            _sentences(builder, para[pos : m.start()], number)
            builder.line("?", m.group(1).strip(), None, number)
            pos = m.end()
        _sentences(builder, para[pos:], number)
    return builder.build()


def _sentences(builder: DraftBuilder, chunk: str, number: int) -> None:
    for s in _SENTENCES.findall(chunk):
        s = s.strip(" ，,:：")
        if len(s) > 1:
            builder.action(s, number)
