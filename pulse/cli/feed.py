"""`pulse feed`: Atom, RSS or JSON Feed of the corpus or a selection."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pulse.cli.common import (
    ConfigOption,
    DataOption,
    OutputOption,
    deliver,
    note,
    open_project,
    output_kind,
    with_selection,
)
from pulse.errors import display_path
from pulse.project import SelectionOptions
from pulse.render.formats import FeedFormat

app = typer.Typer(rich_markup_mode=None)

FEED_EPILOG = """Examples:

  pulse feed --format atom --output feed.xml

  pulse feed --theme funding --format rss --base-url https://example.com/pulse

  pulse feed --per-theme public/feeds --force

The feed's title, author and base URL come from pulse.yaml (feed: title, author,
base_url; else name and site_url). Entry ids are the base URL and the item id."""


@app.command(short_help="Atom, RSS or JSON Feed of the corpus or a selection.", epilog=FEED_EPILOG)
@with_selection
def feed(
    selection: SelectionOptions,
    output_format: Annotated[FeedFormat, typer.Option("--format", "-f", help="atom, rss or json.")] = FeedFormat.atom,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="The newest N items.")] = 50,
    base_url: Annotated[Optional[str], typer.Option(help="The feed's base URL [default: from pulse.yaml].")] = None,
    output: OutputOption = None,
    per_theme: Annotated[
        Optional[Path], typer.Option("--per-theme", help="Write one feed per theme into DIR.", file_okay=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing feed files.")] = False,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """The corpus, or a selection of it, as a feed: newest first, one entry per item."""
    from pulse.render.feeds import render_feed

    project = open_project(data, config)
    info, chosen = project.feed(selection, limit, base_url)
    if per_theme is not None:
        for path in project.write_theme_feeds(info, chosen, output_format.value, per_theme, force=force):
            note(f"wrote {display_path(path)}")
        return
    if not chosen:
        note("no items match the selection; the feed has no entries")
    text = render_feed(chosen, info, project.settings.themes, output_format.value)
    deliver(text, output, force=force, kind=output_kind(output_format))
