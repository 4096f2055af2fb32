"""Clean entries: HTML to plain text, and links resolved and canonicalised (w3lib, used here only).

The text is what a reader sees of the HTML, never markup: script and style contents,
attributes (event handlers, `javascript:` and `data:` links) are dropped with the tags.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

SUMMARY_LIMIT = 600
TITLE_LIMIT = 300
TRACKING = re.compile(
    r"^(utm_[a-z0-9_]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|yclid|_hsenc|_hsmi|mkt_tok|"
    r"ref_src|cmpid|ocid)$",
    re.IGNORECASE,
)
_SKIP = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head", "title"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr"}
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SCHEME_TEXT = re.compile(r"\b(?:java|vb)script\s*:|\bdata\s*:\s*(?=[a-z-]+/[a-z0-9.+-]+[;,])", re.IGNORECASE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(markup: str, limit: int = SUMMARY_LIMIT) -> str:
    """The text of an HTML fragment (or of plain text): tags removed, entities decoded, spaces collapsed, capped."""
    text = markup
    for _ in range(2):  # twice: markup escaped once more in the feed (&lt;script&gt;) is still markup
        if "<" not in text and "&" not in text:
            break
        parser = _Text()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    text = re.sub(r"<[^>]*>", " ", text)
    text = _CONTROL.sub(" ", text)
    text = _SCHEME_TEXT.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    if len(text) > limit:
        cut = text[: limit - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut
        text = cut.rstrip(" ,;:.-") + "…"
    return text


def canonical_url(link: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) link in one spelling: https, lower-case host, no tracking, fragment or trailing slash.

    Anything that is not http(s) after resolving (javascript:, data:, mailto:, ...) gives None.
    """
    if not link:
        return None
    from w3lib.url import canonicalize_url

    link = _CONTROL.sub("", link).strip()
    try:
        absolute = urljoin(base or "", link) if base and base.lower().startswith(("http://", "https://")) else link
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)])
    host = parts.hostname.lower().rstrip(".")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    rebuilt = urlunsplit(("https", host, parts.path or "/", query, ""))
    try:
        canonical = canonicalize_url(rebuilt)
    except ValueError:
        return None
    head, _, tail = canonical.partition("?")
    if head.endswith("/") and head.count("/") > 2:
        head = head.rstrip("/")
    if head.count("/") == 3 and head.endswith("/"):
        head = head[:-1]
    return f"{head}?{tail}" if tail else head


def title_text(markup: str) -> str:
    """A title as plain text on one line."""
    return plain_text(markup, TITLE_LIMIT)
