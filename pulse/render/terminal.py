"""The terminal renderer: rich tables and panels, returned as strings (the only rich user)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pulse.model import Item, ThemeRegistry
from pulse.rank import Ranked
from pulse.render.records import PART_NAMES, item_fields


@dataclass(frozen=True)
class Screen:
    """What the output terminal can do."""

    width: int = 100
    color: bool = True
    links: bool = True


def _console(screen: Screen, buffer: io.StringIO) -> Console:
    return Console(
        file=buffer,
        width=screen.width,
        force_terminal=screen.color or screen.links,
        no_color=not screen.color,
        color_system="truecolor" if screen.color or screen.links else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


def _render(screen: Screen, *renderables: object) -> str:
    buffer = io.StringIO()
    console = _console(screen, buffer)
    for renderable in renderables:
        console.print(renderable)
    return buffer.getvalue()


def theme_text(keys: Sequence[str], themes: ThemeRegistry) -> Text:
    """Theme keys, each in its theme's colour."""
    text = Text()
    for index, key in enumerate(keys):
        if index:
            text.append(", ")
        theme = themes.resolve(key)
        text.append(key, style=theme.color if theme else "")
    return text


def list_table(ranked: Sequence[Ranked], themes: ThemeRegistry, screen: Screen, explain: bool = False) -> str:
    """`pulse list` on a terminal: a table with themes in their colours."""
    table = Table(show_edge=False, header_style="bold", pad_edge=False, expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("themes", no_wrap=True)
    table.add_column("title", ratio=3, min_width=20)
    table.add_column("entities", ratio=1)
    table.add_column("amount", justify="right", no_wrap=True, style="bold green")
    table.add_column("score", justify="right", no_wrap=True)
    if explain:
        for name in PART_NAMES:
            table.add_column(name[:5], justify="right", no_wrap=True, style="dim")
    for r in ranked:
        item = r.item
        row: list[Text | str] = [
            item.date.isoformat(),
            theme_text(item.themes, themes),
            Text(("📌 " if r.score.pinned else "") + item.title),
            ", ".join(item.entities),
            item.amount.short() if item.amount else "",
            f"{r.score.total:.2f}",
        ]
        if explain:
            row += [f"{value:.2f}" for value in r.score.parts().values()]
        table.add_row(*row)
    return _render(screen, table)


def item_panel(item: Item, themes: ThemeRegistry, screen: Screen) -> str:
    """`pulse show` on a terminal: every field, sources as clickable links."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in item_fields(item, themes):
        if label == "themes":
            grid.add_row(label, theme_text(item.themes, themes))
        elif label in ("amount", "valuation"):
            grid.add_row(label, Text(value, style="bold green"))
        else:
            grid.add_row(label, Text(value))
    for number, source in enumerate(item.sources, 1):
        text = Text(f"{number}. {source.label}")
        if source.url:
            text.stylize(f"link {source.url}")
            if source.title:
                text.append(f" <{source.url}>", style=f"dim link {source.url}")
        grid.add_row("sources" if number == 1 else "", text)
    grid.add_row("file", Text(f"{item.path}:{item.line}", style="dim"))
    return _render(screen, grid)


def themes_table(rows: Sequence[Sequence[str]], themes: ThemeRegistry, screen: Screen) -> str:
    """`pulse themes` on a terminal."""
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name in rows[0]:
        table.add_column(name.lower(), justify="right" if name == "ITEMS" else "left")
    for row in rows[1:]:
        theme = themes.resolve(row[0])
        table.add_row(Text(row[0], style=theme.color if theme else ""), *row[1:])
    return _render(screen, table)
