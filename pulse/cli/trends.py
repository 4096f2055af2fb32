"""`pulse trends`: which themes, entities or sectors are rising, week by week."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pulse.cli.common import (
    ConfigOption,
    DataOption,
    NoColorOption,
    WidthOption,
    emit,
    note,
    open_project,
    output_kind,
    screen,
    with_selection,
)  # fmt: skip
from pulse.core.kinds import MAX_WEEKS, Metric, TrendKey
from pulse.errors import display_path
from pulse.project import SelectionOptions
from pulse.render.formats import TrendsFormat

app = typer.Typer(rich_markup_mode=None)

TRENDS_EPILOG = """Examples:

  pulse trends                                  themes over the last 8 weeks of the corpus

  pulse trends --by entity --weeks 12 --limit 10

  pulse trends --metric amount --format markdown

  pulse trends --by sector --chart trends.svg

Momentum compares the last k weeks with the k weeks before (k = half the weeks, at
most 4): momentum = recent total - earlier total. Keys are ranked rising first."""


@app.command(short_help="Which themes, entities or sectors are rising, week by week.", epilog=TRENDS_EPILOG)
@with_selection
def trends(
    selection: SelectionOptions,
    weeks: Annotated[
        int, typer.Option(min=2, max=MAX_WEEKS, help="How many ISO weeks, ending with the window's last.")
    ] = 8,
    by: Annotated[TrendKey, typer.Option(help="What to group by.")] = TrendKey.theme,
    metric: Annotated[Metric, typer.Option(help="count of items, or amount of money.")] = Metric.items,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="The first N keys.")] = None,
    output_format: Annotated[TrendsFormat, typer.Option("--format", "-f")] = TrendsFormat.table,
    chart: Annotated[
        Optional[Path], typer.Option(help="Also draw the series as an .svg or .png (pulse[charts]).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --chart file.")] = False,
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Items and money per theme, entity, sector, region or tag, week by week, rising first."""
    from pulse.render.formats import render_trends

    project = open_project(data, config)
    result = project.trends(selection, weeks, by, metric, limit)
    if chart is not None:
        project.write_chart(result, chart, force=force)
        note(f"wrote {display_path(chart)}")
    if not result.keys:
        note(f"no items in the weeks {result.weeks[0]} to {result.weeks[-1]}")
    text = render_trends(result, output_format, project.settings.themes, screen(no_color, width))
    emit(text, output_kind(output_format))
