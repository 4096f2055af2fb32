"""`pulse cache info` and `pulse cache clear`: the parse cache."""

from __future__ import annotations

import typer

from pulse.cli.common import RUN, emit, note

app = typer.Typer(short_help="Show or clear the parse cache.", no_args_is_help=True, rich_markup_mode=None)


@app.callback()
def cache() -> None:
    """Show or clear the parse cache."""


@app.command("info")
def cache_info() -> None:
    """Where the parse cache is, how many files it holds and their size."""
    from pulse.reading.cache import cache_info as info
    from pulse.reading.cache import default_cache_dir

    found = info(RUN.cache_dir or default_cache_dir())
    emit(f"folder:  {found.folder}\nentries: {found.entries}\nsize:    {found.size / 1e6:.1f} MB\n")


@app.command("clear")
def cache_clear() -> None:
    """Remove every entry of the parse cache (the next run parses all files again)."""
    from pulse.reading.cache import clear_cache, default_cache_dir

    folder = RUN.cache_dir or default_cache_dir()
    note(f"removed {clear_cache(folder)} cache entries from {folder}")
