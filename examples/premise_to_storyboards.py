"""Premise -> episode scripts and storyboards from Python, with the embedded defaults.

    python examples/premise_to_storyboards.py "Ava Lin marries a stranger, Ethan Gu." out/ava
"""

from __future__ import annotations

import sys

import aiscript


def main(premise: str, out: str) -> None:
    prod = aiscript.run(premise, episodes=3, out=out)
    bible = prod.series.bible
    print(f"{bible.title}: {', '.join(c.name for c in bible.characters)}")
    for ep, board in zip(prod.episodes, prod.storyboards, strict=True):
        hook = ep.scenes[0].shots[0]
        print(f"  ep {ep.number}: {ep.duration_s:5.1f}s, {len(board.frames)} frames, "
              f"hook: {hook.lines[0].text if hook.lines else hook.action}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
