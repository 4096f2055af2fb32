"""`pulse list`, `pulse show` and `pulse themes`: the items and themes of the corpus."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pulse.cli.common import (
    ConfigOption,
    DataOption,
    NoColorOption,
    WidthOption,
    complete_id,
    emit,
    note,
    open_project,
    output_kind,
    screen,
    with_selection,
)  # fmt: skip
from pulse.core.kinds import SortKey
from pulse.project import SelectionOptions
from pulse.render.formats import ListFormat, ShowFormat, ThemesFormat

app = typer.Typer(rich_markup_mode=None)


@app.command(
    "list",
    short_help="Filtered, ranked items: a table, JSON, CSV or Markdown.",
    epilog="Examples:\n\n  pulse list --theme funding --since 2026-03-01\n\n"
    "  pulse list --entity AMD --sort date\n\n  pulse list --min-amount 1B --format json\n\n"
    "  pulse list --theme safety --days 90 --limit 10 --explain",
)
@with_selection
def list_items(
    selection: SelectionOptions,
    limit: Annotated[Optional[int], typer.Option("--limit", "--top", "-n", min=1, help="Show the first N.")] = None,
    sort: Annotated[SortKey, typer.Option(help="score, date (newest first), amount, or editorial (file order).")] = (
        SortKey.score
    ),
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the order.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show each part of each score.")] = False,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f", help="table on a terminal, or data.")] = (
        ListFormat.table
    ),
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Filtered, ranked items: a table, or JSON, CSV or Markdown."""
    from pulse.render.formats import render_list

    project = open_project(data, config)
    listing = project.select(selection, sort, reverse=reverse, limit=limit)
    if not listing.ranked:
        note(f"no items match the selection ({listing.corpus_size} items in the corpus)")
        for hint in listing.hints:
            note(hint)
    text, notes = render_list(listing.ranked, output_format, project.settings.themes, screen(no_color, width), explain)
    for line in notes:
        note(line)
    emit(text, output_kind(output_format))


@app.command(
    short_help="One item in full, with its sources, file and line.",
    epilog="Examples:\n\n  pulse show together-ai-funding-round\n\n  pulse show nscale-series-c --format json",
)
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The item's id.", autocompletion=complete_id)],
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """One item in full: every field, its sources as links, its file and line."""
    from pulse.render.formats import render_item

    project = open_project(data, config)
    text = render_item(project.find(item_id), output_format, project.settings.themes, screen(no_color, width))
    emit(text, output_kind(output_format))


@app.command(
    short_help="The theme registry, with descriptions and item counts.",
    epilog="Examples:\n\n  pulse themes\n\n  pulse themes --format json",
)
def themes(
    output_format: Annotated[ThemesFormat, typer.Option("--format", "-f")] = ThemesFormat.table,
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """The theme registry: key, title, aliases, item count, latest item date and description."""
    from pulse.render.formats import render_themes

    project = open_project(data, config)
    text = render_themes(project.theme_counts(), output_format, project.settings.themes, screen(no_color, width))
    emit(text, output_kind(output_format))
