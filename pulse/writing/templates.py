"""Copying a built-in template into a project, to edit it there."""

from __future__ import annotations

from pathlib import Path

from pulse.errors import UsageError, did_you_mean, display_path
from pulse.render.templates import builtin_templates, list_templates
from pulse.writing.output import write_atomic


def copy_template(name: str, folder: Path, *, force: bool = False) -> Path:
    """Copy a built-in template into `folder` (created) and return the copy's path."""
    names = [info.name for info in list_templates(None)]
    if name not in names:
        raise UsageError(f"no built-in template '{name}'{did_you_mean(name, names)}; see 'pulse templates'")
    source = builtin_templates() / name
    target = folder / name
    if target.resolve() == source.resolve():
        raise UsageError(f"{display_path(target)} is the built-in template itself")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(target, source.read_text(encoding="utf-8"), force=force)
    return target
