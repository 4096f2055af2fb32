"""The editor's inline Markdown (bold, italics, links) as styled runs, parsed by markdown-it-py.

Both the HTML and the terminal renderers draw these runs, so both read the same
Markdown the same way, and both link only URLs that pulse.model.safe_url allows
(http, https, mailto): a `javascript:` link is shown as its text.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from markdown_it import MarkdownIt

from pulse.model import safe_url


class Run(NamedTuple):
    """A stretch of text with one style: bold, italic, and the URL it links to, if any."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


@functools.cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero").enable(["emphasis", "link"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]  # the one URL policy is safe_url, below
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]  # links keep the URL as written
    return parser


def inline_runs(markdown: str) -> list[Run]:
    """The runs of one paragraph of the editor's Markdown; a link whose URL is not safe becomes its text."""
    runs: list[Run] = []
    bold = italic = 0
    links: list[str | None] = []
    for block in _parser().parseInline(markdown):
        for token in block.children or ():
            kind = token.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                links.append(safe_url(str(token.attrGet("href") or "")))
            elif kind == "link_close":
                links.pop()
            elif kind in ("softbreak", "hardbreak"):
                runs.append(Run("\n", bold > 0, italic > 0, links[-1] if links else None))
            else:
                runs.append(Run(token.content, bold > 0, italic > 0, links[-1] if links else None))
    return runs
