"""Feed readers: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed 1.0/1.1 and OPML of our own.

feedparser is used here and nowhere else. Every reader returns raw entries (text as
the feed has it); pulse.ingest.clean makes them safe.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from pulse.ingest.http import FetchError


@dataclass(frozen=True)
class RawEntry:
    """One entry as the feed states it."""

    guid: str | None
    link: str | None
    title: str
    summary: str  # HTML or text
    published: dt.datetime | None
    base: str  # the URL relative links are resolved against
    written_link: str | None = None  # the link exactly as the feed wrote it (feedparser resolves `link`)


@dataclass(frozen=True)
class Feed:
    title: str
    entries: tuple[RawEntry, ...]
    warning: str | None = None  # the feed is malformed but was read


@dataclass(frozen=True)
class Outline:
    """One feed of an OPML subscription list; `tags` are the categories and folders it sits in."""

    name: str
    url: str
    tags: tuple[str, ...]


_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S)


def read_feed(body: bytes, headers: dict[str, str], url: str) -> Feed:
    """The entries of a feed; FetchError when the body is no feed at all."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise FetchError("the response is empty")
    content_type = headers.get("content-type", "").lower()
    if stripped[:1] in (b"{", b"[") or "json" in content_type:
        return read_json_feed(stripped, url)
    if _HTML.match(stripped[:4096]):
        raise FetchError("an HTML page, not a feed (the feed's own URL is often in the page's <link rel=alternate>)")
    return _read_xml_feed(body, headers, url)


def _read_xml_feed(body: bytes, headers: dict[str, str], url: str) -> Feed:
    import feedparser

    parsed = feedparser.parse(body, response_headers={**headers, "content-location": url})
    if not parsed.get("version") and not parsed.entries:
        raise FetchError("not a feed pulse can read (RSS, Atom or JSON Feed)")
    warning = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        kind = "encoding" if exc is not None and "encoding" in type(exc).__name__.lower() else "XML"
        warning = f"malformed {kind}; read leniently"
    written = _written_links(body, len(parsed.entries))
    entries = []
    for index, entry in enumerate(parsed.entries):
        summary = ""
        for content in entry.get("content") or ():
            if content.get("value"):
                summary = str(content["value"])
                break
        summary = summary or str(entry.get("summary") or "")
        entries.append(
            RawEntry(
                guid=_text(entry.get("id")),
                link=_text(entry.get("link")),
                title=str(entry.get("title") or ""),
                summary=summary,
                published=_struct_date(entry.get("published_parsed") or entry.get("updated_parsed")),
                base=url,
                written_link=written[index] if written is not None else _text(entry.get("link")),
            )
        )
    return Feed(title=str(parsed.feed.get("title") or ""), entries=tuple(entries), warning=warning)


_ATOM = "{http://www.w3.org/2005/Atom}"


def _written_links(body: bytes, count: int) -> list[str | None] | None:
    """Each entry's link as written in the XML (None when the XML is too broken to tell, or counts differ)."""
    import xml.etree.ElementTree as ET

    if b"<!ENTITY" in body[:65536]:
        return None
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    links: list[str | None] = []
    for node in root.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        local = tag.rsplit("}", 1)[-1]
        if local == "entry" and tag.startswith(_ATOM):
            alternates = [child for child in node if child.tag == _ATOM + "link"]
            chosen = next((c for c in alternates if c.get("rel", "alternate") == "alternate"), None)
            links.append(_text(chosen.get("href")) if chosen is not None else None)
        elif local == "item":
            link = next((child for child in node if str(child.tag).rsplit("}", 1)[-1] == "link"), None)
            links.append(_text(link.text if link is not None else None))
    return links if len(links) == count else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _struct_date(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.timezone.utc)
    except (OverflowError, ValueError, TypeError):
        return None


def read_json_feed(body: bytes, url: str) -> Feed:
    """A JSON Feed 1.0 or 1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise FetchError("not valid JSON (a JSON Feed must be UTF-8 JSON)") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FetchError("JSON, but not a JSON Feed (no 'version': 'https://jsonfeed.org/version/1.1')")
    items = data.get("items")
    if not isinstance(items, list):
        raise FetchError("a JSON Feed without an 'items' list")
    base = str(data.get("home_page_url") or url)
    entries = []
    skipped = 0
    for item in items:
        if not isinstance(item, dict):
            skipped += 1
            continue
        guid = item.get("id")
        summary = item.get("content_html") or item.get("summary") or item.get("content_text") or ""
        entries.append(
            RawEntry(
                guid=str(guid).strip() or None if isinstance(guid, (str, int)) else None,
                link=_text(item.get("url")) or _text(item.get("external_url")),
                title=str(item.get("title") or ""),
                summary=str(summary),
                published=_iso_date(item.get("date_published") or item.get("date_modified")),
                base=base,
            )
        )
    warning = f"{skipped} items that are not objects were skipped" if skipped else None
    return Feed(title=str(data.get("title") or ""), entries=tuple(entries), warning=warning)


def _iso_date(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            when = dt.datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def read_opml(body: bytes, url: str) -> list[Outline]:
    """The feeds of an OPML list: nested outlines flatten, their folders and categories become tags."""
    import xml.etree.ElementTree as ET

    if b"<!ENTITY" in body[:65536]:
        raise FetchError("an OPML file must not declare entities")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FetchError(f"not a readable OPML file (line {exc.position[0]})") from None
    found = root.find("body")
    if root.tag != "opml" or found is None:
        raise FetchError("not an OPML file (no <opml><body>)")
    outlines: list[Outline] = []
    seen: set[str] = set()

    def walk(node: ET.Element, folders: tuple[str, ...]) -> None:
        for child in node.findall("outline"):
            name = (child.get("title") or child.get("text") or "").strip()
            feed = (child.get("xmlUrl") or "").strip()
            if feed:
                categories = [
                    part.strip().strip("/")
                    for part in (child.get("category") or "").split(",")
                    if part.strip().strip("/")
                ]
                tags = tuple(dict.fromkeys((*folders, *categories)))
                absolute = urljoin(url, feed)
                if absolute not in seen:
                    seen.add(absolute)
                    outlines.append(Outline(name or absolute, absolute, tags))
            walk(child, (*folders, name) if not feed and name else folders)

    walk(found, ())
    return outlines
