"""The editor's inline Markdown: one parser (markdown-it-py) and one URL policy for every renderer."""

from __future__ import annotations

import pytest

from pulse.render.inline import Run, inline_runs
from pulse.render.templates import markdown_html
from pulse.render.terminal import editorial_text


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
