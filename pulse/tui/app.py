"""The Textual app: a list, a preview of the highlighted row, a status line, one key per action."""

from __future__ import annotations

import os
import webbrowser
from collections.abc import Callable
from typing import ClassVar, Union

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Static

from pulse.errors import PulseError
from pulse.render import Screen
from pulse.tui.sources import BrowseSource, InboxSource, Row, theme_text
from pulse.tui.widgets import EditScreen, ListTable, TextScreen, ThemePicker

Source = Union[BrowseSource, InboxSource]

# (key, action, what it does, the modes it works in)
KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("1-9", "theme", "toggle the filter on the n-th theme (any of those on matches)", "browse inbox"),
    ("0", "clear_themes", "clear the theme filters", "browse inbox"),
    ("/", "search", "search as --search does, live (enter or escape: back to the list)", "browse inbox"),
    ("w", "cycle_window", "cycle the window: all, this week, last week, last 30 days", "browse"),
    ("s", "cycle_sort", "cycle the sort: score, date, amount", "browse"),
    ("enter", "open", "open the highlighted row in full", "browse inbox"),
    ("o", "open_source", "open its first source in the system's browser", "browse inbox"),
    ("d", "digest", "preview the selection as pulse digest renders it", "browse"),
    ("a", "accept", "accept the story with its suggested themes (pulse inbox accept)", "inbox"),
    ("t", "accept_themes", "pick its themes, then accept it", "inbox"),
    ("e", "edit", "edit its title and summary (used when it is accepted)", "inbox"),
    ("r", "reject", "reject the story (pulse inbox reject)", "inbox"),
    ("u", "undo", "undo the last decision (an accept's item leaves its file byte for byte)", "inbox"),
    ("c", "toggle_covered", "show or hide decided and covered stories (--all)", "inbox"),
    ("?", "help", "show every key", "browse inbox"),
    ("q", "quit", "quit", "browse inbox"),
)


KEY_NAMES = {"/": "slash", "?": "question_mark"}
PAGE = 200
"""Rows added to the list at a time: the first screen shows at once however large the corpus."""


class PulseApp(App[None]):
    """`pulse browse` over the corpus, or `pulse inbox` over the stories."""

    TITLE = "pulse"
    CSS = """
    #list { height: 3fr; }
    #preview { height: 2fr; min-height: 5; border-top: solid $accent; padding: 0 1; }
    #search { display: none; }
    #search.shown { display: block; }
    #status { height: auto; max-height: 3; background: $boost; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"theme({n})", show=False) for n in range(1, 10)],
        *[
            Binding(KEY_NAMES.get(key, key), action, show=False)
            for key, action, _, _ in KEYS
            if key not in ("1-9", "enter")
        ],
        Binding("escape", "end_search", show=False),
    ]

    def __init__(self, source: Source, opener: Callable[[str], object] = webbrowser.open) -> None:
        if os.environ.get("TERM") == "dumb":
            os.environ["NO_COLOR"] = "1"  # Textual reads NO_COLOR when the app is made
        super().__init__()
        self.source = source
        self.opener = opener  # the system browser; tests pass a recorder
        self.rows: list[Row] = []
        self.shown_preview: RenderableType = Text()  # what the preview and the status line show
        self.shown_status = ""
        self.drawn_width = 0  # the width the table was last drawn for
        self.drawn_rows = 0  # the table holds the first `drawn_rows` rows; more are added as the cursor nears the end
        self.title_width = 12
        self.title = f"pulse {source.kind}"

    def compose(self) -> ComposeResult:
        yield ListTable(self.add_rows, id="list", cursor_type="row", zebra_stripes=True)
        yield Input(placeholder="search: words that must all appear", id="search")
        with VerticalScroll(id="preview"):
            yield Static(id="preview-body")
        yield Static(id="status")

    def on_mount(self) -> None:
        self.query_one("#search", Input).value = self.source.search
        self.reload()
        self.query_one("#list", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        modes = {name: mode for _, name, _, mode in KEYS}
        return action not in modes or self.source.kind in modes[action].split()

    # -- drawing ---------------------------------------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Ask the library for the rows again and redraw, keeping the highlighted row where it can."""
        current = keep or self.current_key()
        try:
            self.rows = self.source.rows()
        except PulseError as exc:
            self.source.message = f"error: {exc.message}"
            self.rows = []
        self.redraw(current)

    def redraw(self, current: str | None) -> None:
        """Draw the rows at the present width and highlight `current` when it is there."""
        table: DataTable[Union[str, Text]] = self.query_one("#list", DataTable)
        self.draw_table()
        keys = [row.key for row in self.rows]
        if current in keys:
            self.add_rows(keys.index(current) + 1)
            table.move_cursor(row=keys.index(current))
        self.show_preview()

    def draw_table(self) -> None:
        table: DataTable[Union[str, Text]] = self.query_one("#list", DataTable)
        table.clear(columns=True)
        self.drawn_width = self.size.width
        self.drawn_rows = 0
        note = 12 if self.source.kind == "inbox" else 0
        fixed = 10 + 16 + 8 + 6 + note + 2 * (5 + bool(note)) + 2
        self.title_width = max(self.size.width - fixed, 12)
        table.add_column("date", width=10)
        table.add_column("themes", width=16)
        table.add_column("title", width=self.title_width)
        table.add_column("amount", width=8)
        table.add_column("score", width=6)
        if note:
            table.add_column("", width=note)
        self.add_rows(PAGE)

    def add_rows(self, upto: int) -> None:
        """Add rows to the table up to `upto`, a page at a time (a table of 10,000 rows takes seconds to build)."""
        upto = min(len(self.rows), upto + -upto % PAGE)
        if upto <= self.drawn_rows:
            return
        table: DataTable[Union[str, Text]] = self.query_one("#list", DataTable)
        themes, width, note = self.source.settings.themes, self.title_width, self.source.kind == "inbox"
        for row in self.rows[self.drawn_rows : upto]:
            title = row.title if len(row.title) <= width else row.title[: width - 1] + "…"
            cells: list[Union[str, Text]] = [
                row.date,
                theme_text(row.themes, themes),
                title,
                Text(row.amount, style="bold green", justify="right"),
                Text(f"{row.score:.2f}", justify="right"),
            ]
            if note:
                cells.append(Text(row.note, style="dim"))
            table.add_row(*cells, key=row.key)
        self.drawn_rows = upto

    def current_key(self) -> str | None:
        table: DataTable[Union[str, Text]] = self.query_one("#list", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row].key

    def show_preview(self) -> None:
        key = self.current_key()
        body = self.query_one("#preview-body", Static)
        if key is None:
            self.shown_preview = Text(
                f"no {self.source.noun} matches; 0 clears the theme filters, / changes the search"
            )
        else:
            self.shown_preview = self.source.preview(key)
        body.update(self.shown_preview)
        status = self.source.status(len(self.rows))
        if self.source.message:
            status = f"{self.source.message} · {status}"
        self.shown_status = status + " · ? keys"
        self.query_one("#status", Static).update(Text(self.shown_status))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.drawn_rows - PAGE // 4:
            self.add_rows(self.drawn_rows + PAGE)
        self.show_preview()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def on_resize(self, event: events.Resize) -> None:
        if self.query("#list") and event.size.width != self.drawn_width:
            self.call_after_refresh(self.redraw, self.current_key())

    def screen_for_text(self) -> Screen:
        return Screen(width=max(min(self.size.width - 8, 100), 20), color=not self.no_color, links=False)

    # -- keys --------------------------------------------------------------------------------------------------------

    def action_theme(self, number: int) -> None:
        registry = list(self.source.settings.themes)
        if number > len(registry):
            self.source.message = f"there are {len(registry)} themes"
        else:
            self.source.toggle_theme(registry[number - 1].key)
            self.source.message = ""
        self.reload()

    def action_clear_themes(self) -> None:
        self.source.themes.clear()
        self.source.message = ""
        self.reload()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("shown")
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search" and event.value != self.source.search:
            self.source.search = event.value
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.action_end_search()

    def action_end_search(self) -> None:
        search = self.query_one("#search", Input)
        if not search.value:
            search.remove_class("shown")
        self.query_one("#list", DataTable).focus()

    def action_cycle_window(self) -> None:
        if isinstance(self.source, BrowseSource):
            self.source.cycle_window()
            self.reload()

    def action_cycle_sort(self) -> None:
        if isinstance(self.source, BrowseSource):
            self.source.cycle_sort()
            self.reload()

    def action_open(self) -> None:
        key = self.current_key()
        if key is not None:
            text = Text.from_ansi(self.source.full(key, self.screen_for_text()))
            self.push_screen(TextScreen(text, f"{self.source.noun} {key}"))

    def action_open_source(self) -> None:
        key = self.current_key()
        url = self.source.first_link(key) if key else None
        if url is None:
            self.source.message = "no source link to open"
        else:
            self.opener(url)
            self.source.message = f"opened {url}"
        self.show_preview()

    def action_digest(self) -> None:
        if isinstance(self.source, BrowseSource):
            text = Text.from_ansi(self.source.digest(self.screen_for_text()))
            self.push_screen(TextScreen(text, "pulse digest: the selection as the issue renders it"))

    def action_help(self) -> None:
        text = Text()
        for key, _, what, modes in KEYS:
            if self.source.kind in modes.split():
                text.append(f"{key:>6}  ", style="bold")
                text.append(f"{what}\n")
        self.push_screen(TextScreen(text, "keys"))

    def decide(self, step: Callable[[], None], keep: str | None = None) -> None:
        """Run one decision through the library; an expected error becomes the status line."""
        try:
            step()
        except PulseError as exc:
            self.source.message = f"error: {exc.message}"
        self.reload(keep)

    def next_key(self) -> str | None:
        """The row after the highlighted one, to stay on after a decision removes it."""
        table: DataTable[Union[str, Text]] = self.query_one("#list", DataTable)
        index = table.cursor_row + 1
        return self.rows[index].key if 0 <= index < len(self.rows) else None

    def action_accept(self) -> None:
        key = self.current_key()
        if key is not None and isinstance(self.source, InboxSource):
            source = self.source
            self.decide(lambda: source.accept(key), self.next_key())

    def action_accept_themes(self) -> None:
        key = self.current_key()
        if key is None or not isinstance(self.source, InboxSource):
            return
        source = self.source
        suggested = set(source.suggested(key))
        choices = [
            (Text.assemble((f"{n} ", "dim"), (t.key, t.color), f"  {t.title}"), t.key, t.key in suggested)
            for n, t in enumerate(source.settings.themes, 1)
        ]
        after = self.next_key()

        def chosen(themes: list[str] | None) -> None:
            if themes is None:
                return
            if not themes:
                source.message = "no theme picked; nothing was written"
                self.show_preview()
                return
            self.decide(lambda: source.accept(key, themes), after)

        self.push_screen(ThemePicker(choices), chosen)

    def action_edit(self) -> None:
        key = self.current_key()
        if key is None or not isinstance(self.source, InboxSource):
            return
        source = self.source
        shown = source.views[key][0]
        title, summary = source.edits.get(key, (shown.title, shown.summary))

        def edited(values: tuple[str, str] | None) -> None:
            if values is not None:
                source.edit(key, *values)
                self.reload(key)

        self.push_screen(EditScreen(title, summary), edited)

    def action_reject(self) -> None:
        key = self.current_key()
        if key is not None and isinstance(self.source, InboxSource):
            source = self.source
            self.decide(lambda: source.reject(key), self.next_key())

    def action_undo(self) -> None:
        if isinstance(self.source, InboxSource):
            source = self.source
            back = source.done[-1].story if source.done else None
            self.decide(source.undo, back)

    def action_toggle_covered(self) -> None:
        if isinstance(self.source, InboxSource):
            self.source.show_all = not self.source.show_all
            self.source.message = ""
            self.reload()
