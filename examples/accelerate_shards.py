"""One node, several GPUs, no Ray: ``accelerate launch`` starts one process per GPU and each
runs its shard of the premises file.

    pip install torch==2.13.0 && pip install accelerate "aiscript[llm,constrained,diffusion]"
    accelerate launch --num_processes 4 examples/accelerate_shards.py premises.jsonl out/ \
        --model Qwen/Qwen2.5-1.5B-Instruct --image-model stabilityai/sd-turbo
"""

from __future__ import annotations

import argparse

from aiscript.batch import BackendSpec, run_batch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("premises")
    ap.add_argument("out")
    ap.add_argument("--model")
    ap.add_argument("--image-model")
    args = ap.parse_args()

    from accelerate import PartialState  # one process per GPU, each with its own device

    state = PartialState()
    spec = BackendSpec(
        writer="llm" if args.model else "template", model=args.model,
        renderer="diffusers" if args.image_model else "sketch", image_model=args.image_model,
        device=str(state.device),
    )
    shard = f"{state.process_index + 1}/{state.num_processes}"
    result = run_batch(args.premises, args.out, shard=shard, spec=spec)
    print(f"[{shard}] done {result.done}, failed {result.failed}, invalid {result.invalid}")


if __name__ == "__main__":
    main()
