"""`pulse check` (alias `pulse validate`): validate the corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pulse.cli.common import ConfigOption, DataOption, emit, note, open_project
from pulse.errors import ExitStatus
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

    report = open_project(data, config).check_report(paths)
    as_json = output_format is CheckFormat.json
    if as_json:  # errors (with warnings under --strict) on stdout; the rest stays on stderr
        emit(render_problems([*report.problems, *(report.warnings if strict else [])]), "json")
    told = [*([] if as_json else report.problems), *([] if as_json and strict else report.warnings)]
    for line in [*map(str, told), *report.hints]:
        note(line)
    note(report.verdict(strict))
    if report.failed(strict):
        raise typer.Exit(ExitStatus.ERROR)


app.command("validate", help="Alias of 'check'.")(check)
