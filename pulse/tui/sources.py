"""What the app shows, through the library calls the CLI makes (no textual here).

`BrowseSource` is `pulse list` and `pulse digest` over the corpus: select_items,
rank_items and build_issue with the selection the keys change. `InboxSource` is
`pulse inbox` and its subcommands: story_views, ranked, accept, reject, and undo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from pulse.core.kinds import SortKey
from pulse.core.rank import Ranked, Score, rank_items, reference_date
from pulse.core.select import Selection, Window, resolve_window, select_items
from pulse.errors import display_path
from pulse.model import Digest, Item, ThemeRegistry
from pulse.model.text import search_words
from pulse.render import Screen

if TYPE_CHECKING:
    from pulse.ingest.decide import Decided
    from pulse.ingest.review import StoryView
    from pulse.reading.settings import Settings

SORTS = (SortKey.score, SortKey.date, SortKey.amount)


@dataclass(frozen=True)
class Row:
    """One line of the list."""

    key: str
    date: str
    themes: tuple[str, ...]
    title: str
    amount: str
    score: float
    note: str = ""  # the inbox: outlets, state, covered


def theme_text(keys: Sequence[str], themes: ThemeRegistry) -> Text:
    """Theme keys, each in its theme's colour (as `pulse list` prints them)."""
    from pulse.render.terminal import theme_text as coloured

    return coloured(keys, themes)


def score_text(score: Score) -> Text:
    parts = " + ".join(f"{name} {value:.2f}" for name, value in score.parts().items())
    return Text.assemble(("score ", "bold"), f"{score.total:.2f} = {parts}", style="")


def sources_text(sources: Sequence[tuple[str, str | None]]) -> Text:
    """Numbered sources, each a link where it has a URL."""
    text = Text()
    for number, (label, url) in enumerate(sources, 1):
        text.append(f"\n  {number}. ")
        text.append(label, style=f"link {url}" if url else "")
        if url and url != label:
            text.append(f" <{url}>", style=f"dim link {url}")
    return text


class BrowseSource:
    """The curated corpus, filtered and ranked as `pulse list` does it."""

    kind = "browse"
    noun = "item"

    def __init__(
        self,
        settings: Settings,
        items: Sequence[Item],
        digests: Sequence[Digest],
        selection: Selection,
        sort: SortKey,
        today: dt.date,
    ) -> None:
        self.settings = settings
        self.items = list(items)
        self.digests = list(digests)
        self.base = selection
        self.themes = set(selection.themes)
        self.search = " ".join(selection.words)
        self.sort = sort if sort in SORTS else SortKey.score
        given = selection.window
        self.windows: list[tuple[str, Window]] = [
            ("all", Window()),
            ("this week", resolve_window(today, since="this-week", until="this-week")),
            ("last week", resolve_window(today, since="last-week", until="last-week")),
            ("last 30 days", resolve_window(today, days=30)),
        ]
        if given != Window():
            self.windows.insert(0, (str(given), given))
        self.window = 0
        self.ranked: dict[str, Ranked] = {}
        self.message = ""

    def selection(self) -> Selection:
        """The command line's selection with the app's theme filter, search and window."""
        return replace(
            self.base,
            themes=frozenset(self.themes),
            words=search_words(self.search),
            window=self.windows[self.window][1],
        )

    def rows(self) -> list[Row]:
        chosen_selection = self.selection()
        chosen = select_items(self.items, chosen_selection)
        reference = reference_date(chosen, chosen_selection.window.until)
        ranked = rank_items(chosen, self.settings.weights, reference, self.sort, rates=chosen_selection.rates)
        self.ranked = {r.item.id: r for r in ranked}
        return [
            Row(
                r.item.id,
                r.item.date.isoformat(),
                r.item.themes,
                r.item.title,
                r.item.amount.short() if r.item.amount else "",
                r.score.total,
            )
            for r in ranked
        ]

    def toggle_theme(self, key: str) -> None:
        self.themes ^= {key}

    def cycle_window(self) -> None:
        self.window = (self.window + 1) % len(self.windows)

    def cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    def status(self, shown: int) -> str:
        themes = ", ".join(t.key for t in self.settings.themes if t.key in self.themes) or "all"
        parts = [f"{shown} of {len(self.items)} items", f"themes: {themes}", f"window: {self.windows[self.window][0]}"]
        if self.search:
            parts.append(f"search: {self.search}")
        parts.append(f"sort: {self.sort.value}")
        return " · ".join(parts)

    def preview(self, key: str) -> RenderableType:
        ranked = self.ranked[key]
        item = ranked.item
        head = Text(item.title, style="bold")
        facts = Text(f"{item.date.isoformat()}  ")
        facts.append_text(theme_text(item.themes, self.settings.themes))
        if item.amount:
            facts.append(f"  {item.amount}", style="bold green")
        facts.append(f"  importance {item.importance}")
        lines: list[RenderableType] = [head, facts]
        if item.summary:
            lines.append(Text(item.summary))
        if item.entities:
            lines.append(Text.assemble(("entities ", "bold"), ", ".join(item.entities)))
        if item.sources:
            lines.append(Text.assemble(("sources", "bold"), sources_text([(s.label, s.link) for s in item.sources])))
        lines.append(score_text(ranked.score))
        return Group(*lines)

    def first_link(self, key: str) -> str | None:
        return next((s.link for s in self.ranked[key].item.sources if s.link), None)

    def full(self, key: str, screen: Screen) -> str:
        """The item as `pulse show` prints it on a terminal."""
        from pulse.render.terminal import item_panel

        return item_panel(self.ranked[key].item, self.settings.themes, screen)

    def digest(self, screen: Screen) -> str:
        """The selection as `pulse digest` renders it on a terminal (the issue its window picks)."""
        from pulse.core.compose import build_issue
        from pulse.render.formats import DigestFormat, render_issue

        settings = self.settings
        issue = build_issue(self.items, self.digests, self.selection(), settings.themes, settings.weights,
                            name=settings.name)  # fmt: skip
        if issue.item_count == 0:
            return f"no items in the window {issue.window} ({len(self.items)} items in the corpus)\n"
        return render_issue(issue, DigestFormat.terminal, screen)


class InboxSource:
    """The inbox's stories, listed as `pulse inbox` does and decided as its subcommands do."""

    kind = "inbox"
    noun = "story"

    def __init__(self, settings: Settings, themes: Sequence[str], search: str | None, show_all: bool) -> None:
        from pulse.core.select import theme_keys
        from pulse.ingest.settings import read_ingest

        self.settings = settings
        self.ingest = read_ingest(settings)
        self.themes = set(theme_keys(settings.themes, themes))
        self.search = search or ""
        self.show_all = show_all
        self.views: dict[str, tuple[StoryView, Score]] = {}
        self.edits: dict[str, tuple[str, str]] = {}  # story -> (title, summary) typed with `e`
        self.done: list[Decided] = []  # decisions, for `u`
        self.message = ""

    def rows(self) -> list[Row]:
        from pulse.ingest.review import ranked, story_views

        views = story_views(self.settings, themes=sorted(self.themes), search=self.search or None,
                            include_all=self.show_all)  # fmt: skip
        scored = ranked(views, self.settings.weights)
        self.views = {v.story.id: (v, s) for v, s in scored}
        rows = []
        for shown, score in scored:
            story = shown.story
            note = f"{shown.outlets} src" + ("" if story.state == "undecided" else f" {story.state}")
            note += " covered" if story.covered_by else ""
            title = self.edits.get(story.id, (shown.title, ""))[0]
            amount = shown.amount.short() if shown.amount else ""
            rows.append(Row(story.id, shown.date, shown.themes, title, amount, score.total, note))
        return rows

    def toggle_theme(self, key: str) -> None:
        self.themes ^= {key}

    def status(self, shown: int) -> str:
        themes = ", ".join(t.key for t in self.settings.themes if t.key in self.themes) or "all"
        parts = [f"{shown} stories", f"themes: {themes}"]
        if self.search:
            parts.append(f"search: {self.search}")
        parts.append("decided and covered shown" if self.show_all else "undecided only")
        return " · ".join(parts)

    def preview(self, key: str) -> RenderableType:
        shown, score = self.views[key]
        story = shown.story
        title, summary = self.edits.get(key, (shown.title, shown.summary))
        facts = Text(f"{shown.date}  ")
        facts.append_text(theme_text(shown.themes, self.settings.themes) if shown.themes else Text("no theme"))
        if shown.amount:
            facts.append(f"  {shown.amount}", style="bold green")
        facts.append(f"  story {story.id} ({story.state})")
        lines: list[RenderableType] = [Text(title, style="bold"), facts]
        if key in self.edits:
            lines.append(Text("edited: a or t accepts with this title and summary", style="italic"))
        if summary:
            lines.append(Text(summary))
        if story.covered_by:
            lines.append(Text.assemble(("covered by ", "bold"), story.covered_by))
        if story.item_id:
            lines.append(Text.assemble(("item ", "bold"), story.item_id))
        if shown.entities:
            lines.append(Text.assemble(("entities ", "bold"), ", ".join(shown.entities)))
        lines.append(Text.assemble(("sources", "bold"), sources_text(list(shown.sources))))
        lines.append(score_text(score))
        return Group(*lines)

    def suggested(self, key: str) -> tuple[str, ...]:
        return self.views[key][0].themes

    def first_link(self, key: str) -> str | None:
        return next((url for _, url in self.views[key][0].sources if url), None)

    def full(self, key: str, screen: Screen) -> str:
        """The story as `pulse inbox show --explain` prints it."""
        from pulse.ingest.review import show_text

        return show_text(self.views[key][0], explain=True)

    def edit(self, key: str, title: str, summary: str) -> None:
        self.edits[key] = (title, summary)
        self.message = f"edited story {key}; a accepts it with the new title and summary (nothing written yet)"

    def accept(self, key: str, themes: Sequence[str] = ()) -> None:
        """`pulse inbox accept STORY [--theme T]... [--title ...] [--summary ...]`."""
        from pulse.ingest.decide import accept

        title, summary = self.edits.get(key, (None, None))
        done = accept(self.settings, self.ingest, key, themes=themes, title=title, summary=summary)
        self.done.append(done)
        self.edits.pop(key, None)
        self.message = f"accepted story {done.story} as {done.item_id} in {display_path(done.path or Path())}"

    def reject(self, key: str) -> None:
        """`pulse inbox reject STORY`."""
        from pulse.ingest.decide import reject

        done = reject(self.ingest, key)
        self.done.append(done)
        self.message = f"rejected story {done.story} (in {display_path(self.ingest.inbox_path)})"

    def undo(self) -> None:
        """Take the last decision back (an accept's item leaves its file byte for byte)."""
        from pulse.ingest.decide import undo

        if not self.done:
            self.message = "nothing to undo"
            return
        done = undo(self.settings, self.ingest, self.done[-1])
        self.done.pop()
        if done.item_id:
            where = display_path(done.path or Path())
            self.message = f"undone: removed {done.item_id} from {where}; story {done.story} is undecided again"
        else:
            self.message = f"undone: story {done.story} is undecided again"
