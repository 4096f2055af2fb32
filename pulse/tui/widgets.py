"""The app's modal screens (full text, theme picker, editor) and its list."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, ClassVar, Union

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, SelectionList, Static


class TextScreen(ModalScreen[None]):
    """A scrolling page of text: an item in full, the digest, the keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", "back"),
    ]
    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > VerticalScroll { width: 100%; height: 100%; border: round $accent; padding: 0 1; }
    """

    def __init__(self, body: Text, title: str) -> None:
        super().__init__()
        self.body = body
        self.heading = title

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = self.heading
            scroll.border_subtitle = "escape: back"
            yield Static(self.body, id="page")

    def action_close(self) -> None:
        self.dismiss(None)


class ThemePicker(ModalScreen[Union[list[str], None]]):
    """The theme registry with the story's suggested themes ticked: space or 1-9 toggles, enter accepts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "accept", priority=True),
        Binding("escape", "cancel", "cancel"),
        *[Binding(str(n), f"flip({n})", show=False) for n in range(1, 10)],
    ]
    DEFAULT_CSS = """
    ThemePicker { align: center middle; }
    ThemePicker > SelectionList { width: 60; max-width: 100%; height: auto; border: round $accent; }
    """

    def __init__(self, choices: list[tuple[Text, str, bool]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        picker: SelectionList[str] = SelectionList(*self.choices, id="themes")
        picker.border_title = "themes: space or 1-9 toggles, enter accepts, escape cancels"
        yield picker

    def action_flip(self, number: int) -> None:
        picker = self.query_one(SelectionList)
        if number <= len(self.choices):
            picker.toggle(self.choices[number - 1][1])

    def action_done(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)


class EditScreen(ModalScreen[Union[tuple[str, str], None]]):
    """The story's title and summary, to edit before accepting: enter saves, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]
    DEFAULT_CSS = """
    EditScreen { align: center middle; }
    EditScreen > Vertical { width: 100%; height: auto; border: round $accent; padding: 0 1; }
    """

    def __init__(self, title: str, summary: str) -> None:
        super().__init__()
        self.values = (title, summary)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "title and summary: enter saves, escape cancels"
            yield Input(self.values[0], placeholder="title", id="title")
            yield Input(self.values[1], placeholder="summary", id="summary")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "title":
            self.query_one("#summary", Input).focus()
            return
        title = self.query_one("#title", Input).value.strip()
        summary = self.query_one("#summary", Input).value.strip()
        self.dismiss((title, summary) if title else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ListTable(DataTable[Union[str, Text]]):
    """The list, whose jump to the bottom first adds the rows not drawn yet."""

    def __init__(self, add_rows: Callable[[int], None], **options: Any) -> None:
        super().__init__(**options)
        self.draw_rows_up_to = add_rows

    def action_scroll_bottom(self) -> None:
        self.draw_rows_up_to(sys.maxsize)
        super().action_scroll_bottom()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling (the wheel, the scroll bar) near the end of what is drawn draws the next page."""
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - self.size.height:
            self.draw_rows_up_to(self.row_count + 1)
