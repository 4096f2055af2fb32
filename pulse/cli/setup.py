"""`pulse init` and `pulse schema`: starting a project, and the schema editors use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pulse.cli.common import ConfigOption, DataOption, emit, note, open_project
from pulse.errors import display_path

app = typer.Typer(rich_markup_mode=None)


@app.command(
    short_help="Start a project: pulse.yaml, digests/, templates/.",
    epilog="Examples:\n\n  pulse init newsletter\n\n  pulse init --empty --name 'Chip Weekly'",
)
def init(
    folder: Annotated[Path, typer.Argument(help="Where [default: the current folder].")] = Path("."),
    empty: Annotated[bool, typer.Option("--empty", help="No sample issue in digests/.")] = False,
    name: Annotated[Optional[str], typer.Option(help="The newsletter's name in pulse.yaml.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Add what is missing to an existing project.")] = False,
) -> None:
    """Scaffold a project; a file you changed is never overwritten."""
    from pulse.writing.init import init_project

    for outcome in init_project(folder, empty=empty, force=force, name=name):
        note(f"{outcome.action:<9} {display_path(outcome.path)}")
    note(f"next: cd {display_path(folder)} && pulse check && pulse digest")


@app.command(
    short_help="JSON Schema of an item file, for editors.",
    epilog="Examples:\n\n  pulse schema > pulse.schema.json\n\n"
    "Then start an item file with:\n\n  # yaml-language-server: $schema=../../pulse.schema.json",
)
def schema(
    issue: Annotated[bool, typer.Option("--issue", help="The schema of 'pulse digest --format json' instead.")] = False,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of an item file, with the project's themes."""
    emit(open_project(data, config).schema(issue=issue), "json")
