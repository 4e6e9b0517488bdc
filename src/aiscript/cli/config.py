"""From the command line's options to a ``RunConfig``: every number in range, every path and
model present and every backend name known, before any heavy work."""

from __future__ import annotations

from pathlib import Path

from aiscript.errors import AiscriptError


def config(preset: str | None, kind: type | None = None, **given):
    """The named preset (offline by default) with the options given on the command line on top;
    numbers are checked first, so a bad one gets the option's name, and backend names are
    looked up in the registry (plugins included)."""
    from aiscript import registry
    from aiscript.cli import options
    from aiscript.config import RunConfig

    options.at_least("--batch-size", given.get("episode_batch"))
    options.at_least("--frame-batch", given.get("frame_batch"))
    options.at_least("--steps", given.get("steps"))
    options.at_least("--threads", given.get("threads"))
    options.at_least("--n-ctx", given.get("n_ctx"), 512)
    options.at_least("--parallel", given.get("parallel"))
    if given.get("reader") not in (None, "rules", "model"):
        raise AiscriptError(f"unknown reader {given['reader']!r}", "pass --reader rules or "
                            "--reader model")
    for flag, key in (("--n-ctx", "n_ctx"), ("--parallel", "parallel"), ("--reader", "reader")):
        if given.get(key) is not None and given.get("writer") != "llamacpp":
            raise AiscriptError(f"{flag} is an option of the llamacpp writer, not of the "
                                f"{given.get('writer') or 'template'} writer",
                                f"pass --writer llamacpp --model FILE.gguf, or leave {flag} out")
    options.guidance(given.get("guidance"))
    if given.get("max_new_tokens") is not None and given["max_new_tokens"] < 16:
        raise AiscriptError(f"--max-new-tokens {given['max_new_tokens']} is too small",
                            "pass 256 or more")
    given["size"] = options.parse_size(given.get("size"))
    given["references"] = options.references(given.get("references"))
    given["clip_model"] = str(given["clip_model"]) if given.get("clip_model") else None
    cfg = (kind or RunConfig).preset(preset or "offline",
                                     **{k: v for k, v in given.items() if v is not None})
    for what, name in (("writer", cfg.writer), ("renderer", cfg.renderer)):
        if name != "none" and name not in registry.available(what):
            raise AiscriptError(f"unknown {what} {name!r}",
                                f"choose one of: {', '.join(registry.available(what))}")
    if given.get("device") is None and cfg.device is not None:  # the preset's device
        try:
            options.device(cfg.device)
        except AiscriptError as exc:
            raise AiscriptError(f"--preset {preset} runs on {cfg.device}: {exc.problem}",
                                f"pass --device cpu as well, or run --preset {preset} on a "
                                "machine with a GPU") from None
    return cfg


def check_options(out: Path | None = None, batch_size: int | None = None,
                  device: str | None = None, steps: int | None = None,
                  guidance: float | None = None, size: str | None = None,
                  clip: Path | None = None, ip_adapter: str | None = None,
                  model: str | None = None, image_model: str | None = None) -> None:
    """Every option in range and every path and model present, before any heavy work."""
    from aiscript.backends import modelcheck
    from aiscript.cli import options

    options.out_path(out)
    options.at_least("--batch-size", batch_size)
    options.at_least("--steps", steps)
    options.guidance(guidance)
    options.parse_size(size)
    options.device(device)
    options.ip_adapter(ip_adapter)
    modelcheck.model_ref("--clip", clip)
    modelcheck.model_ref("--model", model)
    modelcheck.model_ref("--image-model", image_model, "model_index.json")
