"""The terminal renderer: rich tables and panels, returned as strings (the only rich user)."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from pulse.core.compose import Issue, NoteBlock, Section, Span, long_date
from pulse.core.rank import Ranked
from pulse.model import Item, ThemeRegistry
from pulse.render import Screen
from pulse.render.inline import inline_runs
from pulse.render.records import PART_NAMES, item_fields


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
    if screen.color or screen.links:
        return buffer.getvalue()
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def theme_text(keys: Sequence[str], themes: ThemeRegistry) -> Text:
    """Theme keys, each in its theme's colour."""
    text = Text()
    for index, key in enumerate(keys):
        if index:
            text.append(", ")
        theme = themes.resolve(key)
        text.append(key, style=theme.color if theme else "")
    return text


_LIST_MIN = {"title": 20, "entities": 10}  # the wrapping columns' narrowest widths
_GAP = 3  # " │ " between two columns
_LIST_COLUMNS = ("date", "themes", "title", "entities", "amount", "score", *PART_NAMES)
_RIGHT: dict[str, Any] = {"justify": "right", "no_wrap": True}
_COLUMN_OPTIONS: dict[str, dict[str, Any]] = {
    "date": {"no_wrap": True},
    "themes": {"no_wrap": True},
    "title": {"ratio": 3, "min_width": _LIST_MIN["title"]},
    "entities": {"ratio": 1, "min_width": _LIST_MIN["entities"]},
    "amount": {**_RIGHT, "style": "bold green"},
    "score": _RIGHT,
    **{name: {**_RIGHT, "style": "dim"} for name in PART_NAMES},
}


def list_columns(ranked: Sequence[Ranked], width: int, explain: bool = False) -> tuple[list[str], list[str]]:
    """The columns of `pulse list` that fit in `width`, in table order, and the ones left out.

    Columns are kept by importance (title, score, the score's parts when asked for, amount,
    date, themes, entities) while they fit; the title is always kept.
    """
    order = _LIST_COLUMNS if explain else _LIST_COLUMNS[: -len(PART_NAMES)]
    rows = [_list_cells(r) for r in ranked]
    need: dict[str, int] = {}
    for index, name in enumerate(order):
        header = name[:5] if name in PART_NAMES else name
        need[name] = _LIST_MIN.get(name) or max([len(header), *(len(row[index]) for row in rows)])
    priority = ["title", "score", *(PART_NAMES if explain else ()), "amount", "date", "themes", "entities"]
    kept: list[str] = []
    used = 0
    for name in priority:
        cost = need[name] + (_GAP if kept else 0)
        if name == "title" or used + cost <= width:
            kept.append(name)
            used += cost
    return [name for name in order if name in kept], [name for name in order if name not in kept]


def _list_cells(r: Ranked) -> list[str]:
    item = r.item
    return [
        item.date.isoformat(),
        ", ".join(item.themes),
        item.title,
        ", ".join(item.entities),
        item.amount.short() if item.amount else "",
        f"{r.score.total:.2f}",
        *(f"{value:.2f}" for value in r.score.parts().values()),
    ]


def list_table(ranked: Sequence[Ranked], themes: ThemeRegistry, screen: Screen, explain: bool = False) -> str:
    """`pulse list` on a terminal: a table with themes in their colours, of the columns that fit (list_columns)."""
    kept, _ = list_columns(ranked, screen.width, explain)
    table = Table(show_edge=False, header_style="bold", pad_edge=False, expand=False)
    for name in kept:
        table.add_column(name[:5] if name in PART_NAMES else name, **_COLUMN_OPTIONS[name])
    for r in ranked:
        cells = dict(zip(_LIST_COLUMNS, _list_cells(r), strict=True))
        row: list[Text | str] = []
        for name in kept:
            if name == "themes":
                row.append(theme_text(r.item.themes, themes))
            elif name == "title":
                row.append(Text(("📌 " if r.score.pinned else "") + r.item.title))
            else:
                row.append(cells[name])
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
        if source.link:
            text.stylize(f"link {source.link}")
            if source.title:
                text.append(f" <{source.link}>", style=f"dim link {source.link}")
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


_SPAN_STYLES = {"": "", "strong": "bold", "money": "bold green"}


def issues_table(rows: Sequence[Sequence[str]], screen: Screen) -> str:
    """`pulse issues` on a terminal."""
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name in rows[0]:
        table.add_column(name.lower(), justify="right" if name == "ITEMS" else "left", no_wrap=name != "TITLE")
    for row in rows[1:]:
        table.add_row(Text(row[0], style="bold"), *row[1:])
    return _render(screen, table)


def editorial_text(markdown: str, style: str = "") -> Text:
    """The editor's Markdown for a terminal: bold, italics and safe links styled, the markers dropped."""
    text = Text(style=style)
    for run in inline_runs(markdown):
        styles = ["bold"] * run.bold + ["italic"] * run.italic + ([f"underline link {run.link}"] if run.link else [])
        text.append(run.text, style=" ".join(styles))
    return text


def _spans_text(spans: Sequence[Span]) -> Text:
    text = Text()
    for span in spans:
        text.append(span.text, style=_SPAN_STYLES.get(span.style, ""))
    return text


class Bullet:
    """A bullet with a hanging indent: wrapped lines start under the text, not under the bullet."""

    INDENT = "  • "

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Wrapped by hand rather than laid out as a table: table layout changed between rich releases.
        lines = self.text.wrap(console, max(options.max_width - len(self.INDENT), 1))
        bullet = Text(no_wrap=True, overflow="ignore")
        for number, line in enumerate(lines):
            bullet.append("\n    " if number else self.INDENT)
            bullet.append_text(line)
        yield bullet


def _bullet(text: Text) -> Bullet:
    return Bullet(text)


def _heading(text: str, color: str) -> Text:
    return editorial_text(text, style=f"bold {color}".strip())


def _section(section: Section) -> list[RenderableType]:
    parts: list[RenderableType] = []
    if section.heading:
        parts += [_heading(section.heading, section.color), ""]
    for paragraph in section.intro:
        parts += [editorial_text(paragraph), ""]
    for bullet in section.bullets:
        parts.append(_bullet(_spans_text(bullet.spans)))
    if section.bullets:
        parts.append("")
    for paragraph in section.outro:
        parts += [editorial_text(paragraph), ""]
    return parts


def _note(note: NoteBlock) -> list[RenderableType]:
    parts: list[RenderableType] = [_heading(note.heading, "bold"), ""]
    for paragraph in note.body:
        parts += [editorial_text(paragraph), ""]
    if note.lead:
        parts += [editorial_text(note.lead), ""]
    for bullet in note.bullets:
        parts.append(_bullet(editorial_text(bullet)))
    if note.bullets:
        parts.append("")
    return parts


def issue_text(issue: Issue, screen: Screen) -> str:
    """The issue as a terminal newsletter: a title rule, sections in their theme colours, linked sources."""
    parts: list[RenderableType] = [Rule(Text(issue.name, style="bold"), style="dim")]
    if issue.topic:
        parts.append(editorial_text(issue.topic, style="italic"))
    parts += ["", _heading(issue.title, "bold"), ""]
    for paragraph in issue.intro:
        parts += [editorial_text(paragraph), ""]
    if issue.numbers:
        parts += [_heading("In numbers", "bold"), ""]
        for numbers in issue.numbers:
            text = editorial_text(numbers.title, style=f"bold {numbers.color}")
            text.append(": " + numbers.text, style="")
            parts.append(_bullet(text))
        parts.append("")
    for block in issue.blocks:
        parts += _section(block) if isinstance(block, Section) else _note(block)
    if issue.outlook:
        parts += [_heading(issue.outlook_heading, "bold"), ""]
        for paragraph in issue.outlook:
            parts += [editorial_text(paragraph), ""]
    if issue.sources:
        parts += [_heading(f"Sources ({len(issue.sources)})", "bold"), ""]
        for number, source in enumerate(issue.sources, 1):
            line = Text(f"{number}. ")
            line.append(source.label, style=f"link {source.link}" if source.link else "")
            if source.link and source.title:
                line.append(f" <{source.link}>", style="dim")
            parts.append(line)
        parts.append("")
    parts.append(Text(f"Updated {long_date(issue.date)}", style="dim"))
    return _render(screen, Group(*parts))


def trends_table(rows: Sequence[Sequence[str]], themes: ThemeRegistry, screen: Screen, colour_keys: bool) -> str:
    """`pulse trends` on a terminal: theme colours, green for rising, red for falling."""
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for name in rows[0]:
        table.add_column(name.lower(), justify="left" if name in ("KEY", "WEEKS") else "right", no_wrap=name != "KEY")
    for row in rows[1:]:
        theme = themes.resolve(row[0]) if colour_keys else None
        momentum = row[-1]
        style = "green" if momentum.startswith("↑") else "red" if momentum.startswith("↓") else "dim"
        table.add_row(
            Text(row[0], style=theme.color if theme else ""),
            Text(row[1], style=theme.color if theme else "cyan"),
            *row[2:-1],
            Text(momentum, style=style),
        )
    return _render(screen, table)


class DelayedProgress:
    """A progress bar on stderr that appears only when the work has already taken `delay` seconds."""

    def __init__(self, description: str, delay: float = 0.5) -> None:
        self.description = description
        self.delay = delay
        self.started = time.monotonic()
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> DelayedProgress:
        return self

    def update(self, done: int, total: int) -> None:
        """Record that `done` of `total` steps are done."""
        if self.progress is None:
            if time.monotonic() - self.started < self.delay:
                return
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task(self.description, total=total)
        assert self.task is not None
        self.progress.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()
