"""`pulse issues`: the issues of the corpus, newest first, with their windows."""

from __future__ import annotations

from typing import Annotated

import typer

from pulse.cli.common import ConfigOption, DataOption, NoColorOption, WidthOption, emit, note, open_project, screen
from pulse.render.formats import IssuesFormat

app = typer.Typer(rich_markup_mode=None)


@app.command(
    short_help="The issues of the corpus, newest first, with their windows.",
    epilog="Examples:\n\n  pulse issues\n\n  pulse issues --format json\n\n"
    "An issue is a digest: block and its window (since/until, default the 7 days ending on its date);\n"
    "ITEMS counts the items of that window. Render one with pulse digest --issue DATE.",
)
def issues(
    output_format: Annotated[IssuesFormat, typer.Option("--format", "-f", help="table, or json.")] = (
        IssuesFormat.table
    ),
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """The issues of the corpus, newest first: date, ISO week, title, window and item count."""
    from pulse.render.formats import render_issues

    project = open_project(data, config)
    found = project.issues()
    if not found:
        note("no issues: no file of the corpus has a digest: block")
    emit(render_issues(found, output_format, screen(no_color, width)))
