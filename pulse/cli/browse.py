"""`pulse browse`: the terminal app over the corpus (Textual loads only when it starts)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pulse.cli.common import ConfigOption, DataOption, open_project, with_selection
from pulse.core.kinds import SortKey
from pulse.errors import UsageError
from pulse.project import SelectionOptions, today

app = typer.Typer(rich_markup_mode=None)


@app.command(
    short_help="The terminal app: filter and preview the corpus by key.",
    epilog="Examples:\n\n  pulse browse\n\n  pulse browse --theme funding --since 2026-03-01\n\n"
    "Keys: 1-9 themes, 0 clear, / search, w window, s sort, enter open, o source, d digest, ? keys, q quit.",
)
@with_selection
def browse(
    selection: SelectionOptions,
    sort: Annotated[SortKey, typer.Option(help="score, date (newest first) or amount; s cycles them.")] = (
        SortKey.score
    ),
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """The terminal app over the corpus: a list, a preview and a status line, one key per filter."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("browse needs a terminal; use pulse list")
    from pulse.tui import run_browse

    project = open_project(data, config)
    corpus = project.corpus()
    run_browse(project.settings, corpus.items, corpus.digests, project.selection(selection), sort, today())
