"""Issues are first-class: the framing rule, `pulse issues`, `digest --issue`, the archive, check warnings.

Most tests run on tests/data/yearend: a climate newsletter in EUR with renamed themes
and a theme of its own, whose digest blocks overlap and cross the 2026/2027 year end.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulse.core.issues import framing, overlap_days
from pulse.core.select import Window
from pulse.model import Digest
from tests.conftest import Run

Write = Callable[[str, "str | bytes"], Path]

YEAREND = Path(__file__).resolve().parent / "data" / "yearend"
W50 = "digests/2026/2026-W50.yaml"
W01 = "digests/2027/2027-W01.yaml"


@pytest.fixture
def yearend(tmp_path: Path) -> Path:
    """A copy of the year-end project in the folder `run` works in."""
    shutil.copytree(YEAREND, tmp_path, dirs_exist_ok=True)
    return tmp_path


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def block(date: str, since: str | None = None, until: str | None = None) -> Digest:
    return Digest(title=date, date=day(date), since=day(since) if since else None, until=day(until) if until else None)


# --- the framing rule ---------------------------------------------------------

A = block("2026-12-14")  # 2026-12-08 .. 2026-12-14
B = block("2026-12-21", "2026-12-07", "2026-12-20")
C = block("2026-12-28", "2026-12-07", "2026-12-13")  # the same overlap with W50 as B, and later


@pytest.mark.parametrize(
    ("blocks", "since", "until", "framed"),
    [
        ([A, B], "2026-12-21", "2026-12-27", None),  # W52: B is dated in it, but its window ends before
        ([A, B], "2026-12-14", "2026-12-20", B),  # W51: 7 days of B against 1 of A
        ([A, B], "2026-12-07", "2026-12-13", B),  # W50: 7 days of B against 6 of A
        ([A, C], "2026-12-08", "2026-12-13", C),  # 6 days each: the latest
        ([A], "2026-12-14", "2026-12-14", A),  # one day is an overlap
        ([A], "2026-12-15", "2026-12-31", None),
        ([A, B], "2026-12-10", None, B),  # an open end
        ([], "2026-12-10", "2026-12-20", None),
    ],
)
def test_framing_rule(blocks: list[Digest], since: str, until: str | None, framed: Digest | None) -> None:
    assert framing(blocks, Window(day(since), day(until) if until else None)) is framed


dates = st.dates(dt.date(2026, 11, 1), dt.date(2027, 2, 28))


@st.composite
def windows(draw: st.DrawFn) -> Window:
    first, last = sorted((draw(dates), draw(dates)))
    return Window(first, last)


@given(st.lists(windows(), max_size=6, unique_by=lambda w: w.until), windows())
def test_framing_picks_the_largest_overlap_then_the_latest(own: list[Window], asked: Window) -> None:
    blocks = [Digest(title="t", date=w.until, since=w.since, until=w.until) for w in own if w.until]
    chosen = framing(blocks, asked)
    overlaps = [overlap_days(Window(*b.window), asked) for b in blocks]
    if not any(overlaps):
        assert chosen is None
        return
    assert chosen is not None
    best = max(overlaps)
    assert overlap_days(Window(*chosen.window), asked) == best
    assert chosen.date == max(b.date for b, o in zip(blocks, overlaps, strict=True) if o == best)


# --- pulse issues --------------------------------------------------------------


@pytest.mark.usefixtures("yearend")
def test_issues_lists_every_issue_newest_first(run: Run) -> None:
    result = run("issues")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "DATE        WEEK      TITLE                                    SINCE       UNTIL       ITEMS\n"
        "2027-01-04  2027-W01  Gigafactories & grids: l'année commence  2026-12-28  2027-01-03  2\n"
        "2026-12-21  2026-W52  Investors came back to cells             2026-12-07  2026-12-20  5\n"
        "2026-12-14  2026-W51  Storage takes the lead                   2026-12-08  2026-12-14  2\n"
    )


@pytest.mark.usefixtures("yearend")
def test_issues_as_json_has_exactly_the_documented_keys(run: Run) -> None:
    result = run("issues", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "date": "2027-01-04",
            "week": "2027-W01",
            "title": "Gigafactories & grids: l'année commence",
            "since": "2026-12-28",
            "until": "2027-01-03",
            "items": 2,
        },
        {
            "date": "2026-12-21",
            "week": "2026-W52",
            "title": "Investors came back to cells",
            "since": "2026-12-07",
            "until": "2026-12-20",
            "items": 5,
        },
        {
            "date": "2026-12-14",
            "week": "2026-W51",
            "title": "Storage takes the lead",
            "since": "2026-12-08",
            "until": "2026-12-14",
            "items": 2,
        },
    ]


def test_issues_without_digest_blocks(run: Run, write: Write) -> None:
    write("digests/a.yaml", "items:\n  - {id: a, title: A, date: 2026-03-16, themes: [funding]}\n")
    table, data = run("issues"), run("issues", "--format", "json")
    assert (table.exit_code, table.stdout, table.stderr) == (
        0,
        "",
        "no issues: no file of the corpus has a digest: block\n",
    )
    assert (data.exit_code, data.stdout) == (0, "[]\n")


# --- which block frames a week ---------------------------------------------------


@pytest.mark.usefixtures("yearend")
def test_a_block_dated_in_a_week_does_not_frame_it_when_its_window_ends_before(run: Run) -> None:
    result = run("digest", "--week", "2026-W52", "--format", "markdown")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "**Climate Capital Weekly**\n\n"
        "# Week 2026-W52\n\n"
        "## Climate Finance\n\n"
        "- Quiet holiday week for deals\n\n"
        "Updated Dec 27, 2026\n"
    )


@pytest.mark.usefixtures("yearend")
def test_the_block_whose_window_overlaps_most_frames_the_week_and_keeps_its_window(run: Run) -> None:
    result = run("digest", "--week", "2026-W51", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout == (
        "**Climate Capital Weekly**\n\n"
        "# Investors came back to cells\n\n"
        "Two weeks of money for cell makers, after a quiet autumn.\n\n"
        "## In numbers\n\n"
        "- **Climate Finance:** 2 items, €1.22 billion (the 4 weeks before: none)\n"
        "- **Grid & Storage:** 1 item (the 4 weeks before: less than 1 item, ≈ €162 million a week)\n"
        "- **Cells & Chemistry:** 1 item, €120 million (the 4 weeks before: less than 1 item a week)\n\n"
        "## Where the money went\n\n"
        "- A climate fund closes at €1.1 billion\n\n"
        "- Transformer shortage eases \\| lead times fall # to 80 weeks\n\n"
        "## Cells & Chemistry\n\n"
        "Investors came back to cells:\n\n"
        "- Solid-state startup \\***Voltis**\\* raises €120 million; see \\[the filing\\](javascript:alert(1)) "
        "and {{ 7\\*7 }} \\<script\\>x\\</script\\>.\n\n"
        "## Future Outlook\n\n"
        "Expect a quiet holiday week.\n\n"
        "Updated Dec 21, 2026\n"
    )


# --- digest --issue ---------------------------------------------------------------

ISSUE_2026_12_21 = (
    "**Climate Capital Weekly**\n\n"
    "# Investors came back to cells\n\n"
    "Two weeks of money for cell makers, after a quiet autumn.\n\n"
    "## In numbers\n\n"
    "- **Climate Finance:** 2 items, €1.22 billion in 2 weeks: 1 item, €610 million a week "
    "(the 4 weeks before: none)\n"
    "- **Grid & Storage:** 2 items, ≈ €450 million in 2 weeks: 1 item, ≈ €225 million a week "
    "(the 4 weeks before: less than 1 item, €50 million a week)\n"
    "- **Cells & Chemistry:** 2 items, €120 million in 2 weeks: 1 item, €60 million a week "
    "(the 4 weeks before: none)\n\n"
    "## Where the money went\n\n"
    "- A climate fund closes at €1.1 billion\n\n"
    "- A **Baltic storage** plant secures $500 million from a consortium of pension funds.\n"
    "- Transformer shortage eases \\| lead times fall # to 80 weeks\n\n"
    "## Cells & Chemistry\n\n"
    "Investors came back to cells:\n\n"
    "- A sodium-ion pilot line opens in **Lyon**\n"
    "- Solid-state startup \\***Voltis**\\* raises €120 million; see \\[the filing\\](javascript:alert(1)) "
    "and {{ 7\\*7 }} \\<script\\>x\\</script\\>.\n\n"
    "## Future Outlook\n\n"
    "Expect a quiet holiday week.\n\n"
    "Updated Dec 21, 2026\n"
)


@pytest.mark.usefixtures("yearend")
def test_an_issue_renders_as_it_was_framed(run: Run) -> None:
    result = run("digest", "--issue", "2026-12-21", "--format", "markdown")
    assert (result.exit_code, result.stdout, result.stderr) == (0, ISSUE_2026_12_21, "")


@pytest.mark.usefixtures("yearend")
def test_the_latest_issue_across_the_year_end(run: Run) -> None:
    result = run("digest", "--issue", "latest", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout == (
        "**Climate Capital Weekly**\n\n"
        "# Gigafactories & grids: l'année commence\n\n"
        "## Grid & Storage\n\n"
        "The year opened with orders:\n\n"
        "- A utility orders 40 transformers\n\n"
        "## Cells & Chemistry\n\n"
        "- An LFP gigafactory starts production ($2 billion, ≈ €1.8 billion)\n\n"
        "Updated Jan 4, 2027\n"
    )
    assert run("digest", "--format", "markdown").stdout == result.stdout  # no window: the newest issue


@pytest.mark.usefixtures("yearend")
@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ["--issue", "2026-12-22"],
            1,
            "error: no issue dated 2026-12-22 (nearest: 2027-01-04, 2026-12-21, 2026-12-14); "
            "`pulse issues` lists them all\n",
        ),
        (
            ["--issue", "yesterday"],
            2,
            "error: --issue 'yesterday' is not a date; give an issue's date (2026-03-16) or 'latest'\n",
        ),
        (["--issue", "latest", "--week", "2026-W52"], 2, "error: --issue renders each issue's own window; leave out --week\n"),
        (["--all", "--output-dir", "out", "--since", "-7d"], 2, "error: --all renders each issue's own window; leave out --since\n"),
        (["--all"], 2, "error: write every issue with --all --output-dir DIR (without --output or --issue)\n"),
        (["--output-dir", "out"], 2, "error: write every issue with --all --output-dir DIR (without --output or --issue)\n"),
        (["--all", "--output-dir", "out", "--format", "terminal"], 2, "error: --all writes files: choose --format markdown, html or json\n"),
    ],
)  # fmt: skip
def test_issue_and_archive_refusals(run: Run, args: list[str], status: int, message: str) -> None:
    result = run("digest", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (status, "", message)


# --- the archive --------------------------------------------------------------------

ARCHIVE = [
    "out/posts/2027-01-04-gigafactories-grids-l-annee-commence.md",
    "out/posts/2026-12-21-investors-came-back-to-cells.md",
    "out/posts/2026-12-14-storage-takes-the-lead.md",
]


def test_the_archive_writes_every_issue_then_only_what_changed(run: Run, yearend: Path) -> None:
    first = run("digest", "--all", "--output-dir", "out/posts", "--front-matter", "hugo")
    assert (first.exit_code, first.stdout, first.stderr) == (
        0,
        "".join(f"{path}\n" for path in ARCHIVE),
        "wrote 3 of 3 files in out/posts\n",
    )
    page = (yearend / ARCHIVE[1]).read_text(encoding="utf-8")
    assert page.startswith('---\ntitle: "Investors came back to cells"\ndate: 2026-12-21\n')
    assert page.endswith(ISSUE_2026_12_21.split("\n\n", 2)[2])  # the body, after the masthead and title
    before = {path: (yearend / path).stat() for path in ARCHIVE}

    second = run("digest", "--all", "--output-dir", "out/posts", "--front-matter", "hugo")
    assert (second.exit_code, second.stdout, second.stderr) == (
        0,
        first.stdout,
        "nothing changed: all 3 files in out/posts are up to date\n",
    )
    for path, stat in before.items():
        after = (yearend / path).stat()
        assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)

    (yearend / ARCHIVE[2]).write_text("edited by hand\n", encoding="utf-8")
    third = run("digest", "--all", "--output-dir", "out/posts", "--front-matter", "hugo")
    assert third.stderr == "wrote 1 of 3 files in out/posts; 2 unchanged\n"
    assert (yearend / ARCHIVE[2]).read_text(encoding="utf-8").startswith('---\ntitle: "Storage takes the lead"')
    assert sorted(p.name for p in (yearend / "out" / "posts").iterdir()) == sorted(Path(p).name for p in ARCHIVE)


@pytest.mark.usefixtures("yearend")
@pytest.mark.parametrize(("fmt", "extension"), [("html", "html"), ("json", "json")])
def test_the_archive_in_other_formats(run: Run, yearend: Path, fmt: str, extension: str) -> None:
    result = run("digest", "--all", "--output-dir", "site", "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        path.replace("out/posts", "site").replace(".md", f".{extension}") for path in ARCHIVE
    ]
    if fmt == "json":
        data = json.loads((yearend / "site" / "2026-12-21-investors-came-back-to-cells.json").read_text("utf-8"))
        assert (data["window"], data["item_count"]) == ({"since": "2026-12-07", "until": "2026-12-20"}, 5)


# --- sections you can predict ---------------------------------------------------------


def test_a_run_on_section_whose_predecessor_is_absent_gets_its_title(run: Run) -> None:
    edge = run("digest", "--theme", "edge", "--format", "markdown").stdout  # the sample: edge runs on under hardware
    assert "## In numbers\n\n- **Edge & On-Device AI:** 4 items, $23 million\n\n## Edge & On-Device AI\n\n" in edge
    both = run("digest", "--theme", "hardware", "--theme", "edge", "--format", "markdown").stdout
    assert [line for line in both.splitlines() if line.startswith("## ")] == [
        "## In numbers",
        "## Hardware, Cloud, and Data Center Buildout for Next-Gen AI",  # edge runs on under it
        "## The Rise of Autonomous AI Workers",
        "## Future Outlook",
        "## Sources (1)",
    ]


@pytest.mark.usefixtures("yearend")
def test_a_run_on_section_of_the_year_end_issue(run: Run) -> None:
    result = run("digest", "--issue", "2026-12-21", "--theme", "hardware", "--format", "markdown")
    assert "\n## Grid & Storage\n\n- A **Baltic storage** plant" in result.stdout
    assert "Where the money went" not in result.stdout


# --- check warnings -------------------------------------------------------------------

WARNINGS = (
    f"{W50}:2:1: warning: section 'safety' of the issue of 2026-12-14 has editorial text, but no item from "
    "2026-12-08 to 2026-12-14 has 'safety' as its first theme, so it never prints; add one or remove the text\n"
    f"{W50}:23:13: warning: item 'sodium-ion-pilot-line' is in the issue of 2026-12-14 ({W50}:2), which has no "
    "section text for its first theme 'cells'; it prints under 'Cells & Chemistry' with no intro; "
    "add sections: cells: to that block\n"
    f"{W01}:17:13: warning: item 'lfp-gigafactory' is in the issue of 2027-01-04 ({W01}:2), which has no "
    "section text for its first theme 'cells'; it prints under 'Cells & Chemistry' with no intro; "
    "add sections: cells: to that block\n"
)


@pytest.mark.usefixtures("yearend")
def test_check_warns_on_stderr_and_exits_0(run: Run) -> None:
    result = run("check")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == WARNINGS + "ok: 9 items and 3 digests in 5 files (3 warnings)\n"


@pytest.mark.usefixtures("yearend")
def test_check_strict_makes_warnings_errors(run: Run) -> None:
    result = run("check", "--strict")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == WARNINGS + "error: 3 warnings, and --strict makes warnings errors\n"
    data = run("check", "--strict", "--format", "json")
    assert data.exit_code == 1
    assert [(p["path"], p["line"]) for p in json.loads(data.stdout)] == [(W50, 2), (W50, 23), (W01, 17)]
    plain = run("check", "--format", "json")
    assert (plain.exit_code, plain.stdout) == (0, "[]\n")


@pytest.mark.usefixtures("yearend")
def test_check_warnings_are_remembered_for_an_unchanged_corpus_and_follow_an_edit(
    run: Run, yearend: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_manifest import decoded

    run("list")  # the manifest exists
    assert run("check").stderr == WARNINGS + "ok: 9 items and 3 digests in 5 files (3 warnings)\n"
    seen = decoded(monkeypatch)
    assert run("check").stderr == WARNINGS + "ok: 9 items and 3 digests in 5 files (3 warnings)\n"
    assert seen == []  # the manifest and the remembered warnings answered
    week = yearend / W01
    week.write_text(week.read_text(encoding="utf-8").replace("themes: [cells]", "themes: [hardware]"), "utf-8")
    assert (
        run("check").stderr
        == WARNINGS.split(f"{W01}:", maxsplit=1)[0] + "ok: 9 items and 3 digests in 5 files (2 warnings)\n"
    )


@pytest.mark.usefixtures("yearend")
def test_remembered_warnings_follow_a_renamed_theme_and_the_folder_pulse_runs_from(
    run: Run, yearend: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("list")
    run("check")
    config = yearend / "pulse.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("Cells & Chemistry", "Battery Cells"), "utf-8")
    assert "it prints under 'Battery Cells'" in run("check").stderr
    assert run("check").stderr == run("--no-cache", "check").stderr
    monkeypatch.chdir(yearend / "digests")
    seen_from_digests = run("check", "--config", "../pulse.yaml").stderr
    assert seen_from_digests == run("--no-cache", "check", "--config", "../pulse.yaml").stderr
    assert seen_from_digests.startswith("2026/2026-W50.yaml:2:1: warning:")


def test_the_sample_checks_clean(run: Run) -> None:
    result = run("check", "--strict")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (0, "ok: 24 items and 1 digest in 1 file")


# --- numbers that agree ----------------------------------------------------------------


@pytest.mark.usefixtures("yearend")
def test_in_numbers_counts_as_trends_does(run: Run) -> None:
    trends = json.loads(run("trends", "--since", "2026-12-07", "--until", "2026-12-20", "--format", "json").stdout)
    totals = {row["key"]: row["total"] for row in trends["summary"]}
    assert totals == {"funding": 2, "hardware": 2, "cells": 2}  # the 14 days of the 2026-12-21 issue
    themes = {t["key"]: t["items"] for t in json.loads(run("themes", "--format", "json").stdout)}
    assert themes == {"funding": 3, "hardware": 4, "safety": 0, "cells": 3}  # an item counts under each theme


# --- feeds and themes ---------------------------------------------------------------------


@pytest.mark.usefixtures("yearend")
def test_theme_feeds_have_their_own_id_self_link_and_description(run: Run, yearend: Path) -> None:
    assert run("feed", "--per-theme", "feeds").exit_code == 0
    feeds = {
        key: feedparser.parse((yearend / "feeds" / f"{key}.atom.xml").read_text(encoding="utf-8"))
        for key in ("funding", "hardware", "cells")
    }
    assert {key: f.feed.id for key, f in feeds.items()} == {
        key: f"https://news.example.org/climate/themes/{key}" for key in feeds
    }
    assert {key: [link.href for link in f.feed.links if link.rel == "self"] for key, f in feeds.items()} == {
        key: [f"https://news.example.org/climate/{key}.atom.xml"] for key in feeds
    }
    # renamed without a description: none (the subtitle falls back to the title), not the built-in AI one
    assert feeds["funding"].feed.subtitle == "Climate Capital Weekly: Climate Finance"
    assert feeds["hardware"].feed.subtitle == "Batteries, grids and the hardware of the transition."
    assert run("feed", "--per-theme", "again").exit_code == 0
    assert (yearend / "again" / "cells.atom.xml").read_bytes() == (yearend / "feeds" / "cells.atom.xml").read_bytes()


@pytest.mark.usefixtures("yearend")
def test_themes_show_descriptions(run: Run) -> None:
    assert run("themes").stdout == (
        "KEY       TITLE              ALIASES  ITEMS  LATEST      DESCRIPTION\n"
        "funding   Climate Finance             3      2026-12-23\n"
        "hardware  Grid & Storage              4      2026-12-30  Batteries, grids and the hardware of the transition.\n"
        "safety    Policy                      0      -\n"
        "cells     Cells & Chemistry           3      2027-01-02  Battery cells, chemistries and who makes them.\n"
    )


def test_in_numbers_says_nothing_of_earlier_weeks_that_hold_no_item(run: Run, tmp_path: Path) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "items.yaml").write_text(
        "digest: {title: Spring, date: 2026-03-16, trends: true}\n"
        "items:\n"
        "  - {id: old, title: Old round, date: 2026-01-05, themes: [funding], amount: $5M}\n"
        "  - {id: new, title: New round, date: 2026-03-12, themes: [funding], amount: $7M}\n",
        encoding="utf-8",
    )
    expected = "## In numbers\n\n- **Funding & Deals:** 1 item, $7 million\n\n"
    assert expected in run("--no-cache", "digest", "--format", "markdown").stdout
    run("list")  # the manifest exists: the issue reads its window and the four weeks before, no further
    assert expected in run("digest", "--format", "markdown").stdout
