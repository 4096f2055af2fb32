"""Publishing feeds: which items, with which feed fields, into which files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pulse.core.select import Selection, select_items
from pulse.errors import PulseError
from pulse.model import Item, ThemeRegistry
from pulse.reading.checks import is_web_url
from pulse.reading.settings import CONFIG_NAME, Settings
from pulse.render.feeds import EXTENSIONS, FeedInfo, newest_first, render_feed, theme_feed_info
from pulse.writing.output import ensure_folder, write_atomic


def feed_info(settings: Settings, base_url: str | None = None) -> FeedInfo:
    """The feed's title, base URL and author; a base URL is required."""
    url = base_url or settings.feed_base_url
    if url is None:
        raise PulseError(
            f"the feed needs a base URL for its entry ids: set site_url (or feed: base_url) in {CONFIG_NAME}, "
            "or pass --base-url"
        )
    if not is_web_url(url):
        raise PulseError(f"--base-url '{url}' is not an http(s) URL")
    return FeedInfo(title=settings.feed_title or settings.name, base_url=url, author=settings.feed_author)


def feed_items(items: Sequence[Item], selection: Selection, limit: int) -> list[Item]:
    """The selected items, newest first, at most `limit`."""
    return newest_first(select_items(items, selection))[:limit]


def per_theme_feeds(
    items: Sequence[Item], info: FeedInfo, themes: ThemeRegistry, feed_format: str, folder: Path, *, force: bool
) -> list[Path]:
    """One feed per theme in `folder` (created): funding.atom.xml, hardware.atom.xml, ..."""
    ensure_folder(folder)
    written = []
    for theme in themes:
        path = folder / f"{theme.key}.{EXTENSIONS[feed_format]}"
        themed = [item for item in items if theme.key in item.themes]
        theme_info = theme_feed_info(info, theme, path.name)
        write_atomic(path, render_feed(themed, theme_info, themes, feed_format), force=force)
        written.append(path)
    return written
