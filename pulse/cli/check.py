"""`pulse check` (alias `pulse validate`): validate the corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pulse.cli.common import ConfigOption, DataOption, emit, note, open_project
from pulse.errors import ExitStatus, plural
from pulse.render.formats import CheckFormat

app = typer.Typer(rich_markup_mode=None)


@app.command(
    short_help="Validate the corpus: each error with its file, line, column.",
    epilog="Examples:\n\n  pulse check\n\n  pulse check digests/2026 --format json\n\n"
    "Exit status: 0 when clean, 1 when there are errors, 2 for bad usage.",
)
def check(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(help="Files or folders to check [default: the data folder].", show_default=False),
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text: errors on stderr; json: a list on stdout.")
    ] = CheckFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings are errors (exit 1).")] = False,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Validate the corpus: every error with its file, line and column; then what is worth a warning."""
    from pulse.render.formats import render_problems

    project = open_project(data, config)
    corpus = project.validate(paths)
    warnings = [] if corpus.problems else project.issue_warnings(corpus)
    shown = [*corpus.problems, *(warnings if strict else [])]
    on_stderr = [*corpus.problems, *warnings]
    if output_format is CheckFormat.json:
        emit(render_problems(shown), "json")
        on_stderr = [] if strict else warnings
    for problem in on_stderr:
        note(str(problem))
    for hint in (project.config_hint(corpus.problems), project.stale_schema()):
        if hint:
            note(hint)
    if corpus.problems:
        note(corpus.summary())
        raise typer.Exit(ExitStatus.ERROR)
    if strict and warnings:
        note(f"error: {plural(len(warnings), 'warning')}, and --strict makes warnings errors")
        raise typer.Exit(ExitStatus.ERROR)
    note(f"ok: {corpus.describe()}" + (f" ({plural(len(warnings), 'warning')})" if warnings else ""))


app.command("validate", help="Alias of 'check'.")(check)
