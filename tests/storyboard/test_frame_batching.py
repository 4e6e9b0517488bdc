"""The one batching place for frames: grouping, padding to compiled sizes, halving on OOM."""

from __future__ import annotations

from aiscript.drafting.template import TemplateWriter
from aiscript.schema import Premise
from aiscript.storyboard import frame_specs
from aiscript.storyboard.frames import render_in_batches
from aiscript.storyboard.renderer import FrameRenderer, PreparedFrame


class OutOfMemoryError(RuntimeError):
    """Named like torch's, which the batching place recognises by name."""


class Fake(FrameRenderer):
    """A renderer with batches (prepare/render_batch): the group key is the parity of the shot
    id's last digit."""

    name, width, height = "fake", 9, 16

    def __init__(self, pad: bool = False, fail_above: int | None = None) -> None:
        self.pad_batches, self.fail_above = pad, fail_above
        self.batches = self
        self.calls: list[list[str]] = []
        self.freed = 0

    def prepare(self, specs):
        return [PreparedFrame(s, s.shot.id, None, (int(s.shot.id[-1]) % 2,)) for s in specs]

    def render_batch(self, frames):
        self.calls.append([f.prompt for f in frames])
        if self.fail_above and len(frames) > self.fail_above:
            raise OutOfMemoryError("simulated")
        return [f.prompt for f in frames]

    def free_memory(self):
        self.freed += 1


def _specs(n=13):
    series, eps = TemplateWriter().write(Premise(text="Ava Lin marries Ethan Gu.",
                                                 language="en", episodes=1))
    return frame_specs(series.bible, eps[0])[:n]


def _run(renderer, specs, batch):
    out = [None] * len(specs)
    for idx, images in render_in_batches(renderer, specs, batch):
        for i, im in zip(idx, images, strict=True):
            out[i] = im
    return out


def test_every_frame_comes_back_in_place_and_batches_share_a_key():
    specs = _specs()
    r = Fake()
    assert _run(r, specs, 4) == [s.shot.id for s in specs]
    assert {int(s.shot.id[-1]) % 2 for s in specs} == {0, 1}  # two groups to keep apart
    for call in r.calls:
        assert len({int(p[-1]) % 2 for p in call}) == 1 and len(call) <= 4


def test_short_batches_are_padded_to_the_compiled_size():
    specs = _specs()
    r = Fake(pad=True)
    assert _run(r, specs, 4) == [s.shot.id for s in specs]
    assert {len(c) for c in r.calls} == {4}


def test_out_of_memory_halves_the_batch_and_goes_on():
    specs = _specs(8)
    r = Fake(fail_above=2)
    assert _run(r, specs, 8) == [s.shot.id for s in specs]
    assert r.freed == 2 and max(len(c) for c in r.calls[2:]) <= 2
