"""Atom 1.0 and RSS 2.0 through feedgen, and JSON Feed 1.1 (plain JSON): the only feedgen user.

feedgen builds the XML with lxml, so escaping, namespaces and date formats (RFC 3339
for Atom, RFC 822 for RSS) are a well-kept library's job, not ours. Every date in a
feed comes from the items, never from the clock, so the same corpus gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

from pulse import __version__
from pulse.model import Item, Theme, ThemeRegistry
from pulse.render.records import json_text

FEED_FORMATS = ("atom", "rss", "json")
EXTENSIONS = {"atom": "atom.xml", "rss": "rss.xml", "json": "json"}


@dataclass(frozen=True)
class FeedInfo:
    """The feed's own fields, from pulse.yaml (`feed:` and `site_url`) or the command line."""

    title: str
    base_url: str
    author: str | None = None
    description: str | None = None
    feed_id: str | None = None  # the feed's own id [default: the base URL]
    self_url: str | None = None  # where the feed itself is published (Atom rel="self")


def entry_id(info: FeedInfo, item: Item) -> str:
    """A stable entry id: the base URL and the item id."""
    return f"{info.base_url.rstrip('/')}/{item.id}"


def theme_feed_info(info: FeedInfo, theme: Theme, file_name: str) -> FeedInfo:
    """A theme's feed: its own stable id (the base URL and the theme key), title, description and self link."""
    base = info.base_url.rstrip("/")
    return replace(
        info,
        title=f"{info.title}: {theme.title}",
        description=theme.description or None,
        feed_id=f"{base}/themes/{theme.key}",
        self_url=f"{base}/{file_name}",
    )


def _when(item: Item) -> dt.datetime:
    return dt.datetime.combine(item.date, dt.time(0, 0), tzinfo=dt.timezone.utc)


def _link(info: FeedInfo, item: Item) -> str:
    """Where the entry points: its first source URL, else its id URL."""
    return next((s.link for s in item.sources if s.link), entry_id(info, item))


def content_html(item: Item) -> str:
    """The summary and the sources as HTML, every item field escaped."""
    parts = [f"<p>{escape(item.summary or item.title)}</p>"]
    links = [
        f'<li><a href="{escape(s.link)}">{escape(s.label)}</a></li>' if s.link else f"<li>{escape(s.label)}</li>"
        for s in item.sources
    ]
    if links:
        parts.append(f"<ul>{''.join(links)}</ul>")
    return "".join(parts)


def newest_first(items: Sequence[Item]) -> list[Item]:
    """Items by date, newest first; ties by id."""
    return sorted(sorted(items, key=lambda item: item.id), key=lambda item: item.date, reverse=True)


def render_feed(items: Sequence[Item], info: FeedInfo, themes: ThemeRegistry, feed_format: str) -> str:
    """The items (already selected and ordered) as an Atom, RSS or JSON feed."""
    if feed_format == "json":
        return _json_feed(items, info, themes)
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(info.feed_id or info.base_url)
    feed.title(info.title)
    feed.link(href=info.base_url, rel="alternate")
    if info.self_url:
        feed.link(href=info.self_url, rel="self")
    feed.description(info.description or info.title)
    feed.language("en")
    feed.generator("pulse", version=__version__)
    if info.author:
        feed.author({"name": info.author})
    newest = max((_when(item) for item in items), default=dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    feed.updated(newest)
    feed.lastBuildDate(newest)
    for item in items:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(info, item))
        entry.guid(entry_id(info, item), permalink=False)
        entry.title(item.title)
        entry.link(href=_link(info, item), rel="alternate")
        for source in item.sources[1:]:
            if source.link:
                entry.link(href=source.link, rel="related")
        entry.published(_when(item))
        entry.updated(_when(item))
        entry.content(content_html(item), type="html")
        entry.summary(item.summary or item.title)
        for key in item.themes:
            theme = themes.resolve(key)
            entry.category(term=key, label=theme.title if theme else key)
    xml: bytes = feed.atom_str(pretty=True) if feed_format == "atom" else feed.rss_str(pretty=True)
    return xml.decode("utf-8")


def _json_feed(items: Sequence[Item], info: FeedInfo, themes: ThemeRegistry) -> str:
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": info.base_url,
        **({"feed_url": info.self_url} if info.self_url else {}),
        "description": info.description or info.title,
        "language": "en",
        "items": [
            {
                "id": entry_id(info, item),
                "url": _link(info, item),
                "title": item.title,
                "content_html": content_html(item),
                "summary": item.summary or item.title,
                "date_published": _when(item).isoformat(),
                "tags": [themes[key].title if themes.resolve(key) else key for key in item.themes],
                **({"external_url": item.sources[0].link} if item.sources and item.sources[0].link else {}),
            }
            for item in items
        ],
    }
    if info.author:
        feed["authors"] = [{"name": info.author}]
    return json_text(feed)
