"""pulse fetch / inbox / sources / rules test against a real HTTP server on 127.0.0.1 and a real SQLite file."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulse.ingest.clean import canonical_url, plain_text
from pulse.ingest.suggest import ThemeClassifier, cross_validate, deal_amount, find_entities
from tests.conftest import SAMPLE, Run
from tests.feed_server import FEEDS, FeedServer

FEED_PATHS = {
    "Old School": "/feeds/rss091.xml",
    "Governance Wire": "/feeds/rss10.rdf",
    "Deal Flow": "/feeds/rss20.xml",
    "Chip Letter": "/typed/atom.xml?type=text/plain",  # a wrong Content-Type
    "Edge Notes": "/feeds/feed10.json",
    "Health Deals": "/feeds/feed11.json",
    "Energie": "/feeds/latin1.xml",
    "Sloppy": "/feeds/malformed.xml",
    "Undated": "/feeds/nodates.xml",
}
FAULT_PATHS = {
    "Broken": "/fault/500",
    "Loop": "/fault/loop",
    "Moved": "/fault/moved/rss20.xml",
    "Slow": "/fault/slow",
    "Big": "/fault/big",
    "Bomb": "/fault/bomb",
    "Page": "/fault/html",
}
# Every readable entry once: 2+2+3+2+2+2+1+1+2 entries, less the shared guid (Atom = Deal Flow),
# the undated copy of Deal Flow's link, the sponsored one (dropped), and the data: link entry kept.
EXPECTED_ENTRIES = 14
TIMEOUT = 1.0


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer(slow=3 * TIMEOUT) as running:
        yield running


def project(folder: Path, server: FeedServer, sources: dict[str, str], extra: str = "") -> Path:
    """A pulse project with the sample corpus and the given sources."""
    shutil.copytree(SAMPLE, folder / "digests", dirs_exist_ok=True)
    lines = ["name: Test Pulse", "site_url: https://pulse.example.com", "sources:"]
    for name, path in sources.items():
        lines.append(f"  - {{name: {name}, url: '{server.url(path)}'}}")
    lines += [
        f"fetch: {{timeout: {TIMEOUT}, max_bytes: 1000000}}",
        "rules:",
        r"  - {match: '\b(raises?|raised|series [a-f]|funding round)\b', themes: [funding]}",
        r"  - {match: '\bsponsored\b', drop: true}",
    ]
    (folder / "pulse.yaml").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return folder / "pulse.yaml"


def entries(folder: Path) -> list[tuple[str, str, str | None, str]]:
    with sqlite3.connect(folder / ".pulse" / "inbox.sqlite3") as db:
        return db.execute("SELECT ident, source, url, title FROM entries ORDER BY ident").fetchall()


# Cleaning -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "base", "expected"),
    [
        ("HTTP://Example.COM/a/b/?utm_source=x&id=3&fbclid=9#frag", None, "https://example.com/a/b?id=3"),
        ("/x/?gclid=1&b=2&a=1", "http://Ex.com/feed", "https://ex.com/x?a=1&b=2"),
        ("http://ex.com/", None, "https://ex.com"),
        ("javascript:alert(1)", "https://ex.com/", None),
        ("data:text/html,hi", None, None),
        ("mailto:a@b.c", None, None),
        ("", None, None),
    ],
)
def test_links_are_canonical(link: str, base: str | None, expected: str | None) -> None:
    assert canonical_url(link, base) == expected


def test_summaries_become_safe_plain_text() -> None:
    text = plain_text(
        '<p onclick="x()">Hello &amp; <b>bye</b></p><script>alert(1)</script><style>p{}</style>'
        '&lt;script&gt;bad()&lt;/script&gt; <a href="javascript:go()">link</a> javascript:alert(2) '
        "data:text/html;base64,AAAA"
    )
    assert text == "Hello & bye link alert(2) text/html;base64,AAAA"
    assert plain_text("word " * 500).endswith("…")
    assert len(plain_text("word " * 500)) <= 600


# Suggestions ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Together AI eyes $1B round at $7.5B valuation", "$1 billion"),
        ("Nscale raises $2bn at a valuation of $14.6 billion", "$2 billion"),
        ("Startup valued at $3 billion raises $300 million Series B", "$300 million"),
        ("RadNet acquires Gleamer for €200 million", "€200 million"),
        ("Mistral closes EUR 600 million round", "€600 million"),
        ("Shares rose 40% in 2026", None),
        ("A $10B valuation for the lab", None),
    ],
)
def test_the_deal_amount_not_the_valuation(text: str, expected: str | None) -> None:
    amount = deal_amount(text)
    assert (str(amount) if amount else None) == expected


def test_entities_from_the_corpus_and_the_headline() -> None:
    assert find_entities("UK's Nscale secures $2 billion Series C", "", ["AMD"]) == ("Nscale",)
    assert find_entities("AMD and Nvidia ship chips", "", ["Nvidia", "AMD"]) == ("Nvidia", "AMD")


def test_classifier_learns_themes_from_examples() -> None:
    model = ThemeClassifier.train(
        [("raises series funding round", "funding"), ("chip accelerator gpu", "hardware"), ("safety rules", "safety")]
    )
    assert model.predict("a new gpu accelerator") == "hardware"
    assert model.predict("zzz qqq") is None
    assert cross_validate([("aa bb", "x"), ("aa cc", "x"), ("dd ee", "y"), ("dd ff", "y")], folds=4) == 1.0


# Fetching -------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_acceptance_feeds_and_faults(server: FeedServer, run: Run, tmp_path: Path) -> None:
    project(tmp_path, server, {**FEED_PATHS, **FAULT_PATHS})
    started = time.monotonic()
    result = run("fetch", "--format", "json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert elapsed < 3 * TIMEOUT + 1.5
    report = json.loads(result.stdout)
    statuses = {source["name"]: (source["status"], source["new"]) for source in report["sources"]}
    for name in ("Broken", "Loop", "Slow", "Big", "Bomb", "Page"):
        assert statuses[name] == ("error", 0), name
        assert next(s for s in report["sources"] if s["name"] == name)["error"]
    assert statuses["Moved"] == ("ok", 0)  # read through the 301; its entries are Deal Flow's
    assert report["new"] == EXPECTED_ENTRIES
    stored = entries(tmp_path)
    assert len(stored) == EXPECTED_ENTRIES
    assert len({ident for ident, *_ in stored}) == EXPECTED_ENTRIES
    assert len({url for _, _, url, _ in stored if url}) == len([url for _, _, url, _ in stored if url])
    assert "warning: Sloppy: malformed" in result.stderr

    before = len(server.requests)
    again = run("fetch", "--format", "json")
    assert again.exit_code == 1
    assert json.loads(again.stdout)["new"] == 0
    assert len(entries(tmp_path)) == EXPECTED_ENTRIES
    for name, path in FEED_PATHS.items():
        conditional = server.requests_for(path)[-1]
        assert conditional.get("if-none-match", "").startswith('"'), name
        assert conditional["if-modified-since"] == "Mon, 16 Mar 2026 12:00:00 GMT"
        assert next(s for s in json.loads(again.stdout)["sources"] if s["name"] == name)["status"] == "not-modified"
    assert len(server.requests) > before


def test_entries_are_clean_and_dated(server: FeedServer, run: Run, tmp_path: Path) -> None:
    project(tmp_path, server, {k: FEED_PATHS[k] for k in ("Deal Flow", "Health Deals", "Energie", "Undated")})
    assert run("fetch").exit_code == 0
    stories = json.loads(run("inbox", "--all", "--format", "json").stdout)
    dump = json.dumps(stories)
    for bad in ("<script", "onclick", "onerror", "javascript:", "data:text", "utm_", "gclid"):
        assert bad not in dump
    by_title = {story["title"]: story for story in stories}
    nscale = by_title["Nscale raises $2bn in Europe's biggest AI round"]
    assert nscale["amount"] == {"value": 2000000000, "currency": "USD"}
    assert nscale["themes"] == ["funding"]
    assert nscale["entities"][0] == "Nscale"
    assert nscale["date"] == "2026-03-16"
    assert nscale["covered_by"] == "nscale-series-c"  # the sample corpus tells it already
    assert nscale["id"] not in run("inbox").stdout  # hidden unless --all
    assert nscale["entries"] == [
        {
            "source": server.url("/feeds/rss20.xml"),
            "guid": "urn:pulse:shared-1",
            "url": "https://dealflow.example.com/nscale-series-c",
            "title": "Nscale raises $2bn in Europe's biggest AI round",
            "summary": "Nscale secured $2 billion in a Series C round at a $14.6 billion valuation. more",
            "date": "2026-03-16",
        }
    ]
    assert "Mistral lève 600 millions déuros" in by_title  # Latin-1 declared in the XML
    assert by_title["A link that must not survive"]["entries"][0]["url"] is None
    portkey = by_title["Portkey lands $15M to govern AI agents"]
    assert portkey["date"] == time.strftime("%Y-%m-%d", time.gmtime())  # no date: the fetch date
    assert "Duplicate of a Deal Flow story by link" not in by_title  # same canonical link


def test_opml_lists_flatten_and_file_urls_work(tmp_path: Path, run: Run, server: FeedServer) -> None:
    for name in ("subscriptions.opml", "rss091.xml", "rss10.rdf", "feed10.json"):
        shutil.copy(FEEDS / name, tmp_path / name)
    shutil.copytree(SAMPLE, tmp_path / "digests")
    (tmp_path / "pulse.yaml").write_text(
        "sources:\n  - opml: subscriptions.opml\n  - name: Deal Flow\n"
        f"    url: {(FEEDS / 'rss20.xml').as_uri()}\n    themes: [hardware]\n",
        encoding="utf-8",
    )
    result = run("fetch")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Old School Chips  2 new\n"
        "Governance Wire   2 new\n"
        "Edge Notes        2 new\n"
        "Deal Flow         3 new\n"
        "9 new entries from 4 sources\n"
    )
    sources = run("sources")
    assert sources.exit_code == 0
    lines = sources.stdout.splitlines()
    assert lines[0].split() == ["NAME", "LAST", "FETCH", "STATUS", "NEW", "STORED", "VALIDATORS", "URL"]
    assert len(lines) == 5
    assert all(" ok " in line for line in lines[1:])


def test_one_source_and_usage_errors(server: FeedServer, run: Run, tmp_path: Path) -> None:
    project(tmp_path, server, {"Deal Flow": FEED_PATHS["Deal Flow"], "Busy": "/fault/busy"})
    result = run("fetch", "--source", "Busy")
    assert result.exit_code == 1
    assert result.stdout == (
        "Busy  error: HTTP 429: the server asks to retry after 120 s; skipped this run\n"
        "0 new entries from 1 source, 1 failed\n"
    )
    assert server.requests_for("/fault/busy")  # asked once, not retried
    assert run("fetch", "--source", "Dael Flow").exit_code == 2
    assert run("fetch", "--format", "yaml").exit_code == 2
    ok = run("fetch", "--source", "Deal Flow")
    assert ok.exit_code == 0
    assert ok.stdout == "Deal Flow  2 new, 1 dropped by rules\n2 new entries from 1 source, 1 dropped by rules\n"
    assert "user-agent" in server.requests_for("/feeds/rss20.xml")[0]
    agent = server.requests_for("/feeds/rss20.xml")[0]["user-agent"]
    assert agent.startswith("pulse/") and "https://pulse.example.com" in agent


def test_inbox_text_theme_search_and_rules_test(server: FeedServer, run: Run, tmp_path: Path) -> None:
    project(tmp_path, server, {"Deal Flow": FEED_PATHS["Deal Flow"], "Health Deals": FEED_PATHS["Health Deals"]})
    assert run("fetch").exit_code == 0
    assert run("inbox", "--theme", "funding").stdout == ""  # both funding stories are in the sample corpus
    listing = run("inbox", "--theme", "funding", "--all")
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["ID", "SCORE", "DATE", "SOURCES", "THEMES", "AMOUNT", "TITLE"]
    assert [line.split("  ")[-1].strip() for line in lines[1:]] == [
        "Nscale raises $2bn in Europe's biggest AI round [covered by nscale-series-c]",
        "Together AI eyes $1B round at $7.5B valuation [covered by together-ai-funding-round]",
    ]
    found = json.loads(run("inbox", "--search", "gleamer", "--format", "json").stdout)
    assert [story["title"] for story in found] == ["RadNet acquires Gleamer for €200 million"]
    assert found[0]["amount"] == {"value": 200000000, "currency": "EUR"}
    assert run("inbox", "--theme", "fundng").exit_code == 2
    rules = run("rules", "test")
    assert rules.exit_code == 0
    first, *rest = rules.stdout.splitlines()
    assert first.startswith("rule 1 /") and first.endswith("(themes funding): 2 matches")
    assert rest[-1].startswith("rule 2 /") and rest[-1].endswith("(drop): 0 matches")


def test_config_errors_have_positions(run: Run, tmp_path: Path) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "pulse.yaml").write_text(
        "sources:\n  - {name: X, url: 'ftp://x.example/feed'}\n  - {name: Y}\n"
        "fetch: {timeout: -1, max_byts: 5}\nrules:\n  - {match: '(unclosed', themes: [funding]}\n"
        "  - {match: 'x', themes: [fundng]}\n",
        encoding="utf-8",
    )
    result = run("fetch")
    assert result.exit_code == 1
    located = [line.split(": ", 1)[0] for line in result.stderr.splitlines()[:-1]]
    assert located == [
        "pulse.yaml:2:20",
        "pulse.yaml:3:5",
        "pulse.yaml:4:22",
        "pulse.yaml:4:18",
        "pulse.yaml:6:13",
        "pulse.yaml:7:26",
    ]
    assert result.stderr.splitlines()[-1] == "error: pulse.yaml is not valid"


def test_init_ignores_the_inbox(run: Run, tmp_path: Path) -> None:
    assert run("init", "proj", "--empty").exit_code == 0
    assert (tmp_path / "proj" / ".gitignore").read_text(encoding="utf-8") == ".pulse/\n"
    (tmp_path / "proj" / ".gitignore").write_text("*.tmp", encoding="utf-8")
    assert run("init", "proj", "--force").exit_code == 0
    assert (tmp_path / "proj" / ".gitignore").read_text(encoding="utf-8") == "*.tmp\n.pulse/\n"
