"""The terminal app (`pulse browse`, and `pulse inbox` on a terminal), built with Textual.

Only this package imports textual, and the commands import it only when they start the
app, so no other command pays for it. The app is a thin view: what it lists, filters,
ranks, renders and writes comes from the same library calls the CLI makes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pulse.core.kinds import SortKey
    from pulse.core.select import Selection
    from pulse.model import Digest, Item
    from pulse.reading.settings import Settings


def run_browse(
    settings: Settings,
    items: Sequence[Item],
    digests: Sequence[Digest],
    selection: Selection,
    sort: SortKey,
    today: dt.date,
) -> None:
    """Run the app over the curated corpus until the user quits."""
    from pulse.tui.app import PulseApp
    from pulse.tui.sources import BrowseSource

    PulseApp(BrowseSource(settings, items, digests, selection, sort, today)).run()


def run_inbox(settings: Settings, themes: list[str], search: str | None, show_all: bool) -> None:
    """Run the app over the inbox's stories until the user quits."""
    from pulse.tui.app import PulseApp
    from pulse.tui.sources import InboxSource

    PulseApp(InboxSource(settings, themes, search, show_all)).run()
