"""Property-based tests of the whole pipeline: generated corpora, valid and invalid, through every command.

CI runs a few thousand examples in all; a long run multiplies them:

    PULSE_FUZZ_SCALE=20 .venv/bin/python -m pytest tests/test_properties.py
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import feedparser
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from pulse.cli import app
from pulse.model.text import INVISIBLE
from tests.conftest import examples

THEMES = ["funding", "hardware", "edge", "sector", "safety", "mna", "m&a"]
PROBLEM_LINE = re.compile(r"^[^:]+\.yaml:\d+:\d+: \S.*$")

# Any text a curator or a feed script might produce: right-to-left scripts, emoji,
# combining marks, markup and template syntax (control characters and invisible bidi
# controls are corruptions below).
PIECES = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=4),
    st.sampled_from(
        [
            "\u200c",
            "مرحبا",
            "שלום",
            "👩‍💻",
            "e\u0301",
            "<script>",
            "{{ x }}",
            "{% if %}",
            "&amp;",
            "\t",
        ]
    ),
)
TEXT = (
    st.lists(PIECES, min_size=1, max_size=8)
    .map(lambda pieces: INVISIBLE.sub("", "".join(pieces)))
    .filter(lambda text: text.strip() != "")
)
IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
MONEY = st.one_of(
    st.sampled_from(["$1B", "$300 million", "€2 billion", "1.15e9 USD", "£40M", "5K"]),
    st.builds(lambda v, c: {"value": v, "currency": c}, st.integers(1, 10**12), st.sampled_from(["USD", "EUR", "$"])),
)


@st.composite
def valid_item(draw: st.DrawFn, item_id: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": item_id,
        "title": draw(TEXT),
        "date": draw(st.dates(dt.date(2025, 12, 20), dt.date(2026, 1, 10))).isoformat(),
        "themes": draw(st.lists(st.sampled_from(THEMES), min_size=1, max_size=3)),
    }
    optional = {
        "summary": TEXT,
        "entities": st.lists(TEXT, max_size=3),
        "amount": MONEY,
        "importance": st.integers(1, 5),
        "sources": st.lists(st.sampled_from(["https://example.com/a?b=1&c=<d>", "http://x.example/é"]), max_size=2),
        "tags": st.lists(TEXT, max_size=2),
        "sector": TEXT,
        "label": TEXT,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            item[key] = draw(strategy)
    return item


@st.composite
def valid_corpus(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    return [draw(valid_item(item_id)) for item_id in ids]


NESTED = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(TEXT, children, max_size=3)),
    max_leaves=8,
)
CORRUPTIONS = [
    ("unknown key", lambda item, draw: item.update(titel="x")),
    (
        "wrong type",
        lambda item, draw: item.update(title=draw(st.one_of(st.integers(), st.lists(TEXT, min_size=1), st.booleans()))),
    ),
    ("random nesting", lambda item, draw: item.update(entities=draw(st.dictionaries(TEXT, NESTED, min_size=1)))),
    ("impossible date", lambda item, draw: item.update(date="2026-02-30")),
    ("importance", lambda item, draw: item.update(importance=draw(st.integers(6, 10**6)))),
    ("unknown theme", lambda item, draw: item.update(themes=["fundng"])),
    ("bad money", lambda item, draw: item.update(amount="lots of money")),
    ("bad source", lambda item, draw: item.update(sources=["javascript:alert(1)"])),
    ("control character", lambda item, draw: item.update(title="bell \x07 here")),
    ("bidi override", lambda item, draw: item.update(title="Safe \u202eexe.gnp")),
    (
        "id against the id rule",
        lambda item, draw: item.update(id=draw(st.sampled_from(["<script>", "../../etc", "a/b"]))),
    ),
    ("missing title", lambda item, draw: item.pop("title")),
]


def write_corpus(folder: Path, items: list[dict[str, Any]]) -> None:
    (folder / "digests").mkdir()
    text = yaml.safe_dump({"items": items}, allow_unicode=True, sort_keys=False)
    (folder / "digests" / "items.yaml").write_text(text, encoding="utf-8")


def pulse(folder: Path, *args: str) -> Any:
    old = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, ["--no-cache", *args], catch_exceptions=True)
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback for {args}: {result.exception!r}"
    )
    return result


WINDOW = ["--since", "2025-12-20", "--until", "2026-01-10"]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(items=valid_corpus())
def test_every_valid_corpus_renders_in_every_format(items: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_corpus(folder, items)
        assert pulse(folder, "check").exit_code == 0
        for fmt in ("table", "json", "csv", "markdown"):
            assert pulse(folder, "list", "--format", fmt).exit_code == 0
        assert pulse(folder, "show", items[0]["id"]).exit_code == 0
        outputs = {
            fmt: pulse(folder, "digest", *WINDOW, "--format", fmt) for fmt in ("markdown", "terminal", "html", "json")
        }
        assert all(result.exit_code == 0 for result in outputs.values())
        json.loads(outputs["json"].stdout)

        # Markdown: the same section structure whatever the text.
        tokens = MarkdownIt("commonmark").parse(outputs["markdown"].stdout)
        headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
        assert headings[0].startswith("Week ") or " to " in headings[0]
        assert all(not h.startswith("#") for h in headings)
        issue = json.loads(outputs["json"].stdout)
        expected = 1 + sum(section["heading"] is not None for section in issue["sections"]) + bool(issue["sources"])
        assert len(headings) == expected  # the title, one per section, the sources

        # HTML: no markup from item text; the text itself is there, escaped.
        page = outputs["html"].stdout
        assert "<script>" not in page
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        for item in items:
            assert (item.get("summary") or item["title"]) in text

        # Feeds parse, and carry no markup from item text.
        for fmt in ("atom", "rss"):
            feed = pulse(folder, "feed", "--base-url", "https://example.com", "--format", fmt)
            assert feed.exit_code == 0
            assert "<script>" not in feed.stdout
            assert not feedparser.parse(feed.stdout).bozo
        assert pulse(folder, "trends", "--format", "json", *WINDOW).exit_code == 0

        # The same input gives the same bytes.
        assert pulse(folder, "digest", *WINDOW, "--format", "markdown").stdout == outputs["markdown"].stdout


@settings(max_examples=examples(400), deadline=None, suppress_health_check=list(HealthCheck))
@given(items=valid_corpus(), corruption=st.sampled_from(CORRUPTIONS), data=st.data())
def test_every_invalid_corpus_is_exit_1_with_positions(
    items: list[dict[str, Any]], corruption: tuple[str, Any], data: st.DataObject
) -> None:
    corruption[1](items[data.draw(st.integers(0, len(items) - 1))], data.draw)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_corpus(folder, items)
        result = pulse(folder, "check")
        assert result.exit_code == 1, corruption[0]
        lines = result.stderr.splitlines()
        assert lines and all(PROBLEM_LINE.match(line) for line in lines[:-1]), lines
        for command in (["list"], ["digest", *WINDOW], ["feed", "--base-url", "https://e.com"], ["trends"]):
            refused = pulse(folder, *command)
            assert refused.exit_code == 1 and refused.stdout == ""


RAW_FAULTS = st.sampled_from(
    ["\t", "\x00", "\xff", ": :", "- [", "'", '"', "&a", "*a", "!!python/object:os.system", "\ufeff", "\r", "---\n"]
)


@settings(max_examples=examples(400), deadline=None, suppress_health_check=list(HealthCheck))
@given(items=valid_corpus(), fault=RAW_FAULTS, where=st.floats(0, 1))
def test_no_damaged_file_ever_gives_a_traceback(items: list[dict[str, Any]], fault: str, where: float) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_corpus(folder, items)
        path = folder / "digests" / "items.yaml"
        text = path.read_text(encoding="utf-8")
        at = int(where * len(text))
        damaged = (text[:at] + fault + text[at:]).encode("utf-8", "surrogateescape")
        if fault == "\xff":
            damaged = text[:at].encode() + b"\xff" + text[at:].encode()
        path.write_bytes(damaged)
        result = pulse(folder, "check")
        assert result.exit_code in (0, 1)
        if result.exit_code == 1:
            lines = result.stderr.splitlines()
            assert all(re.match(r"^[^:]+\.yaml:\d+(:\d+)?: \S", line) for line in lines[:-1]), lines
        for command in (["list", "--format", "json"], ["digest", *WINDOW, "--format", "html"]):
            assert pulse(folder, *command).exit_code in (0, 1)
