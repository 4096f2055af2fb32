"""Inputs a real curator's machine produces that used to print a traceback (issue 16): each test names the case.

Dates at the calendar's edges, windows wider than the calendar, a full disk or a closed
pipe on stdout, a stream that cannot encode the output: each ends with pulse's own
message and exit status, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pulse.model.dates import FIRST, LAST, iso_week, shift, week_bounds, weeks_between
from tests.conftest import REPO, Run

Write = Callable[[str, "str | bytes"], Path]
D = dt.date.fromisoformat

EDGES = """\
items:
  - id: last-day
    title: The last day of 9999 € deal
    date: 9999-12-31
    themes: [funding]
    amount: €999B
  - id: first-day
    title: The first day of year one
    date: 0001-01-01
    themes: [funding]
    amount: $1M
"""


# --- the date arithmetic layer (pure) ---------------------------------------------


@pytest.mark.parametrize(
    ("day", "days", "weeks", "expected"),
    [
        ("2026-03-16", -7, 0, "2026-03-09"),
        ("2026-12-28", 0, 1, "2027-01-04"),
        ("9999-12-30", 7, 0, "9999-12-31"),
        ("0001-01-03", -6, 0, "0001-01-01"),
        ("2026-03-16", -100_000_000, 0, "0001-01-01"),
        ("2026-03-16", 10**30, 0, "9999-12-31"),
        ("2026-03-16", 0, -(10**30), "0001-01-01"),
    ],
)
def test_shift_stops_at_the_edges_of_the_calendar(day: str, days: int, weeks: int, expected: str) -> None:
    assert shift(D(day), days, weeks=weeks) == D(expected)


@pytest.mark.parametrize(
    ("day", "monday", "sunday", "week"),
    [
        ("0001-01-01", "0001-01-01", "0001-01-07", "0001-W01"),
        ("0001-01-07", "0001-01-01", "0001-01-07", "0001-W01"),
        ("9999-12-31", "9999-12-27", "9999-12-31", "9999-W52"),
        ("2026-12-31", "2026-12-28", "2027-01-03", "2026-W53"),
        ("0999-06-01", "0999-05-27", "0999-06-02", "0999-W22"),
    ],
)
def test_week_bounds_and_labels_at_the_edges(day: str, monday: str, sunday: str, week: str) -> None:
    assert week_bounds(D(day)) == (D(monday), D(sunday))
    assert iso_week(D(day)) == week


def test_the_calendar_holds_every_iso_week_from_year_one_to_9999() -> None:
    assert (FIRST.weekday(), iso_week(FIRST), iso_week(LAST)) == (0, "0001-W01", "9999-W52")
    assert weeks_between(FIRST, LAST) == 521_723


# --- dates on the command line ------------------------------------------------------


@pytest.mark.parametrize("command", ["digest", "trends", "list", "themes", "check"])
def test_items_dated_9999_12_31_and_0001_01_01_work_in_every_command(run: Run, write: Write, command: str) -> None:
    write("digests/edges.yaml", EDGES)
    result = run(command, "--format", "json") if command not in ("check",) else run(command)
    assert result.exit_code == 0, result.stderr
    if command != "check":
        json.loads(result.stdout)


def test_digest_of_the_last_week_of_9999_is_clipped_at_its_last_day(run: Run, write: Write) -> None:
    write("digests/edges.yaml", EDGES)
    issue = json.loads(run("digest", "--format", "json").stdout)
    assert issue["window"] == {"since": "9999-12-27", "until": "9999-12-31"}
    assert issue["item_count"] == 1


def test_digest_of_the_first_week_of_year_one_has_no_weeks_before_it(run: Run, write: Write) -> None:
    write("digests/edges.yaml", EDGES)
    write(
        "digests/issue.yaml",
        "digest:\n  title: Year one\n  date: 0001-01-03\n  trends: true\nitems: []\n",
    )
    result = run("digest", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "Week 0001-W01" in result.stdout or "Year one" in result.stdout
    assert "the 4 weeks before: 0 items a week" in result.stdout


@pytest.mark.parametrize(
    "args",
    [("--days", "100000000"), ("--since", "-99999999d"), ("--since", "-99999999w"), ("--days", "10" * 20)],
)
def test_a_window_wider_than_the_calendar_starts_at_year_one(run: Run, write: Write, args: tuple[str, ...]) -> None:
    write("digests/edges.yaml", EDGES)
    result = run("list", "--format", "json", *args, "--until", "today", env={"PULSE_TODAY": "2026-03-20"})
    assert result.exit_code == 0, result.stderr
    assert [item["id"] for item in json.loads(result.stdout)] == ["first-day"]


def test_trends_of_year_one_labels_its_weeks_as_valid_iso_weeks(run: Run, write: Write) -> None:
    write("digests/edges.yaml", EDGES)
    result = run("trends", "--since", "0001-01-01", "--until", "0001-03-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    weeks = json.loads(result.stdout)["weeks"]
    assert weeks[0] == "0001-W01" and weeks[-1] == "0001-W09" and len(weeks) == 9
    assert run("list", "--week", "0001-W01").exit_code == 0


def test_trends_refuses_a_range_of_more_than_520_weeks_saying_how_to_narrow_it(run: Run, write: Write) -> None:
    write("digests/edges.yaml", EDGES)
    result = run("trends", "--since", "0001-01-01", "--until", "9999-12-31")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: 0001-W01 to 9999-W52 is 521723 weeks; pulse trends shows at most 520: "
        "narrow --since/--until, or use --weeks N\n"
    )


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("0000-W01", "error: '0000-W01': the year must be from 0001 to 9999\n"),
        ("9999-W53", "error: '9999-W53': 9999 has ISO weeks 1 to 52\n"),
    ],
)
def test_a_week_outside_the_calendar_is_a_usage_error(run: Run, write: Write, week: str, message: str) -> None:
    write("digests/edges.yaml", EDGES)
    result = run("list", "--week", week)
    assert (result.exit_code, result.stderr) == (2, message)


def test_relative_dates_at_the_edges_of_the_calendar_stop_there(run: Run, write: Write) -> None:
    write("digests/edges.yaml", EDGES)
    late = run("list", "--since", "last-week", "--until", "this-week", env={"PULSE_TODAY": "9999-12-31"})
    early = run("list", "--since", "yesterday", "--format", "csv", env={"PULSE_TODAY": "0001-01-01"})
    assert late.exit_code == 0 and "last-day" not in late.stderr and "9999-12-31" in late.stdout
    assert early.exit_code == 0 and "0001-01-01" in early.stdout
