"""The editor's inline Markdown: one parser (markdown-it-py) and one URL policy for every renderer."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulse.model import safe_url
from pulse.render.inline import Run, inline_runs
from pulse.render.mdtext import SPACES_BUT_SPACE, escape_markdown
from pulse.render.templates import markdown_html
from pulse.render.terminal import editorial_text
from tests.conftest import examples


def test_bold_italics_and_links_become_runs() -> None:
    assert inline_runs("a **b** _c_ [d](https://e.example)") == [
        Run("a "), Run("b", bold=True), Run(" "), Run("c", italic=True), Run(" "), Run("d", link="https://e.example"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "JAVASCRIPT:alert(1)", "file:///etc/passwd"]
)
def test_no_renderer_links_an_unsafe_url(url: str) -> None:
    text = f"see [this]({url}) now"
    assert "href" not in markdown_html(text)
    assert all("link" not in str(span.style) for span in editorial_text(text).spans)
    assert editorial_text(text).plain == "see this now"


@pytest.mark.parametrize("url", ["https://example.com/a?b=1&c=2", "http://example.com", "mailto:ed@example.com"])
def test_every_renderer_links_a_safe_url(url: str) -> None:
    text = f"[there]({url})"
    assert markdown_html(text).startswith('<a href="')
    assert [str(span.style) for span in editorial_text(text).spans] == [f"underline link {url}"]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Nscale raises $2 billion", "Nscale raises $2 billion"),
        ("a*b_c", "a\\*b\\_c"),
        ("[link](x) <b> `c` |t| ~s~ \\", "\\[link\\](x) \\<b\\> \\`c\\` \\|t\\| \\~s\\~ \\\\"),
        ("AT&T &amp; co", "AT&T \\&amp; co"),
        ("two  spaces\tand\na line", "two spaces and a line"),
        ("no\u00a0break", "no break"),
        ("# not a heading", "\\# not a heading"),
        (" - not a list", " \\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("2026 was a year", "2026 was a year"),
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def _escaped_the_long_way(text: str) -> str:
    """escape_markdown's definition, step by step (it skips the steps for text with nothing to escape)."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", re.sub(r"([\\`*_\[\]<>|~])", r"\\\1", text))
    match = re.match(r"^ ?([#+\-=]|\d{1,9}(?=[.)](?:\s|$)))", text)
    if match is None:
        return text
    at = match.end() if match[1][0].isdigit() else match.start(1)
    return text[:at] + "\\" + text[at:]


@settings(max_examples=examples(500), deadline=None)
@given(st.text(st.sampled_from(list("ab1. #-+=*_[]<>|~&;\\`\t\n\u00a0\u3000")) | st.characters(), max_size=12))
def test_escape_markdown_takes_its_shortcut_only_when_nothing_changes(text: str) -> None:
    assert escape_markdown(text) == _escaped_the_long_way(text)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.com/a?b=1&c=2", True),
        ("http://example.com", True),
        ("mailto:ed@example.com", True),
        ("HTTPS://EXAMPLE.COM/", True),
        ("  https://example.com/x", True),
        ("https://example.com/café", True),
        ("https://[::1]:8080/", True),
        ("https://[::1/", False),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("ftp://example.com", False),
        ("example.com/page", False),
        ("", False),
    ],
)
def test_safe_url(url: str, kept: bool) -> None:
    assert safe_url(url) == (url if kept else None)


def test_the_whitespace_that_escape_markdown_looks_for_is_every_whitespace_but_the_space() -> None:
    found = re.compile(f"[{SPACES_BUT_SPACE}]")
    every = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert {char for char in every if found.match(char)} == every - {" "}
    assert not any(found.match(chr(code)) for code in range(sys.maxunicode + 1) if not chr(code).isspace())
