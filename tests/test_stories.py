"""Story grouping measured on a labelled set, its hard cases, order independence, and the whole inbox loop."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from pulse.ingest.clean import canonical_url
from pulse.ingest.features import Doc
from pulse.ingest.stories import Stored, assign, explain, group, pairwise
from pulse.ingest.suggest import deal_amount, find_entities
from tests.conftest import Run
from tests.feed_server import FeedServer
from tests.test_ingest import FEED_PATHS, TIMEOUT

LABELLED = Path(__file__).resolve().parent / "data" / "stories" / "labelled.yaml"
HELDOUT = Path(__file__).resolve().parent / "data" / "stories" / "heldout.yaml"
"""Written independently of the method and of labelled.yaml, before reading either's code."""


def labelled(path: Path = LABELLED) -> tuple[list[Doc], dict[str, str], dict[str, str]]:
    """The labelled entries as grouping sees them (entities and amount by the fetch's own extractors)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    docs: list[Doc] = []
    truth: dict[str, str] = {}
    titles: dict[str, str] = {}
    for number, entry in enumerate(data["entries"]):
        url = canonical_url(entry.get("link") or f"https://{entry['outlet']}.example.com/{number}", None)
        ident = f"guid:{entry['guid']}" if entry.get("guid") else f"url:{url}"
        if ident in truth:
            continue  # the same entry twice: the inbox stores it once
        title, summary = entry["title"], entry["summary"]
        docs.append(Doc(ident, url, title, summary, entry["date"], find_entities(title, summary, []),
                        deal_amount(f"{title}\n{summary}")))  # fmt: skip
        truth[ident] = entry["story"]
        titles[title] = ident
    return docs, truth, titles


@pytest.mark.parametrize(("path", "entries", "outlets"), [(LABELLED, 120, 6), (HELDOUT, 150, 8)],
                         ids=["labelled", "heldout"])  # fmt: skip
def test_precision_and_recall(path: Path, entries: int, outlets: int, capsys: pytest.CaptureFixture[str]) -> None:
    docs, truth, _ = labelled(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(data["entries"]) >= entries and len(set(data["outlets"])) >= outlets
    stories = group(docs)
    precision, recall = pairwise(stories, truth)
    with capsys.disabled():
        print(f"\nstory grouping on {path.name}: precision {precision:.3f}, recall {recall:.3f}, "
              f"{len(stories)} stories for {len(docs)} entries ({len(set(truth.values()))} labelled)")  # fmt: skip
    assert precision >= 0.92
    assert recall >= 0.92


def together(titles: dict[str, str], stories: list[list[str]], *names: str) -> bool:
    wanted = {titles[name] for name in names}
    return any(wanted <= set(story) for story in stories)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (
            "Nvidia unveils Rubin Ultra accelerator at GTC",
            "Commerce tightens export rules on Nvidia chips to China",
            False,
        ),
        (
            "Nscale raises $2bn in Europe's biggest AI round",
            "Nscale signs $14bn data-centre deal with Microsoft",
            False,
        ),
        ("Helix Bio raises $20M Series A for protein design", "Helix Bio raises $85M Series B", False),
        ("Kestrel raises $50M Series B", "Vireo raises $50M Series B", False),
        ("Vireo raises $50M Series B", "Tamarin raises $50M Series B", False),
        ("Mistral closes EUR 600 million round", "Mistral launches Magistral 2, an open reasoning model", False),
        ("Nscale raises $2bn in Europe's biggest AI round", "Nscale confirms Series C details", True),
        ("Nscale raises $2bn in Europe's biggest AI round", "UK's Nscale Secures $2 Billion Series C", True),
        ("Nscale raises $2bn in Europe's biggest AI round", "Exclusive: Nscale closes record Series C", True),
        ("Portkey lands $15M to govern AI agents", "Gateway Startup Portkey Raises $15 Million", True),
    ],
)
def test_hard_cases(first: str, second: str, same: bool) -> None:
    docs, _, titles = labelled()
    assert together(titles, group(docs), first, second) is same


def test_the_order_of_fetching_does_not_matter() -> None:
    docs, _, _ = labelled()
    reference = group(docs)
    assert group(list(reversed(docs))) == reference
    # Incremental: outlet by outlet, in reverse, each batch joining the stories stored so far.
    by_outlet: dict[str, list[Doc]] = {}
    for doc in docs:
        by_outlet.setdefault(doc.url.split("/")[2] if doc.url else "", []).append(doc)
    stored: dict[str, Stored] = {}
    for batch in reversed(list(by_outlet.values())):
        moved = assign(batch, list(stored.values()))
        for doc in [*batch, *(s.doc for s in stored.values())]:
            story = moved.get(doc.ident) or stored[doc.ident].story
            stored[doc.ident] = Stored(doc, story, False)
    stories: dict[str, list[str]] = {}
    for ident, entry in stored.items():
        stories.setdefault(entry.story, []).append(ident)
    assert sorted(sorted(s) for s in stories.values()) == sorted(sorted(s) for s in reference)


def test_explanations_name_the_features() -> None:
    day = dt.date(2026, 3, 16)
    a = Doc("url:a", "https://a.example/1", "Nscale raises $2bn", "Nscale raised $2 billion in a Series C.", day,
            ("Nscale",), deal_amount("$2bn"))  # fmt: skip
    b = Doc("url:b", "https://b.example/1", "UK's Nscale secures $2 billion Series C", "", day, ("Nscale",),
            deal_amount("$2 billion"))  # fmt: skip
    c = Doc("url:c", "https://c.example/1", "Nscale signs $14bn data-centre deal", "", day, ("Nscale",),
            deal_amount("$14bn"))  # fmt: skip
    match = explain(a, b)
    assert match.linked
    assert "both name nscale" in match.reasons and "the same amount ($2 billion)" in match.reasons
    assert explain(a, c).conflict == "different amounts ($2 billion and $14 billion)"


# The whole loop through the CLI -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer(slow=3 * TIMEOUT) as running:
        yield running


def loop_project(folder: Path, server: FeedServer) -> None:
    (folder / "digests").mkdir()
    lines = ["name: Loop", "sources:"]
    for name in ("Deal Flow", "Chip Letter", "Health Deals", "Undated", "Edge Notes"):
        lines.append(f"  - {{name: {name}, url: '{server.url(FEED_PATHS[name])}'}}")
    lines += ["rules:", r"  - {match: '\b(raises?|series [a-f])\b', themes: [funding]}"]
    (folder / "pulse.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_fetch_accept_reject_refetch(server: FeedServer, run: Run, tmp_path: Path) -> None:
    loop_project(tmp_path, server)
    assert run("fetch").exit_code == 0
    listing = json.loads(run("inbox", "--format", "json").stdout)
    assert all(story["covered_by"] is None for story in listing)
    chosen = next(story for story in listing if story["title"].startswith("Nscale"))
    other = next(story for story in listing if story["id"] != chosen["id"])
    accepted = run("inbox", "accept", chosen["id"][:6], "--theme", "funding")
    assert accepted.exit_code == 0, accepted.stderr
    item_id = accepted.stdout.strip()
    assert re.fullmatch(r"[a-z0-9-]+", item_id)
    year, week, _ = dt.date.fromisoformat(chosen["date"]).isocalendar()
    written = (tmp_path / "digests" / str(year) / f"{year}-W{week:02d}.yaml").read_text(encoding="utf-8")
    for entry in chosen["entries"]:
        assert entry["url"] is None or entry["url"] in written
    assert run("check").exit_code == 0
    assert "Nscale" in run("digest", "--week", f"{year}-W{week:02d}", "--format", "markdown").stdout
    assert run("inbox", "reject", other["id"]).exit_code == 0
    assert run("inbox", "accept", chosen["id"]).exit_code == 2  # already accepted
    assert run("inbox", "show", "ffffffffff").exit_code == 1
    shown = run("inbox", "show", chosen["id"], "--explain")
    assert shown.exit_code == 0 and shown.stdout.startswith(f"story {chosen['id']} (accepted)\n")
    (tmp_path / ".pulse" / "inbox.sqlite3").touch()
    assert run("fetch").exit_code == 0
    again = {story["id"] for story in json.loads(run("inbox", "--format", "json").stdout)}
    assert chosen["id"] not in again and other["id"] not in again
    assert len(again) == len(listing) - 2
    update = run("inbox", "accept", "--update", chosen["id"])
    assert update.exit_code == 0 and update.stdout == f"{item_id}\n"


def test_retry_after_is_remembered(server: FeedServer, run: Run, tmp_path: Path) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "pulse.yaml").write_text(f"sources:\n  - {{name: Busy, url: '{server.url('/fault/busy')}'}}\n",
                                         encoding="utf-8")  # fmt: skip
    assert run("fetch").exit_code == 1
    asked = len(server.requests_for("/fault/busy"))
    later = run("fetch")
    assert later.exit_code == 1
    assert re.fullmatch(r"Busy  error: the server asked to wait until \S+Z; skipped\n.*\n", later.stdout)
    assert len(server.requests_for("/fault/busy")) == asked  # not asked again before that time


def test_guid_is_the_link_as_written(server: FeedServer, run: Run, tmp_path: Path) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "pulse.yaml").write_text(f"sources:\n  - {{name: U, url: '{server.url(FEED_PATHS['Undated'])}'}}\n",
                                         encoding="utf-8")  # fmt: skip
    assert run("fetch").exit_code == 0
    entries = [e for s in json.loads(run("inbox", "--all", "--format", "json").stdout) for e in s["entries"]]
    assert {e["guid"] for e in entries} >= {"https://undated.example.com/portkey"}
