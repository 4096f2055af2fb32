"""Inputs a real curator's machine produces that used to print a traceback (issue 16): each test names the case.

Dates at the calendar's edges, windows wider than the calendar, a full disk or a closed
pipe on stdout, a stream that cannot encode the output: each ends with pulse's own
message and exit status, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pulse.model.dates import FIRST, LAST, iso_week, shift, week_bounds, weeks_between
from tests.conftest import REPO, Run

Write = Callable[[str, "str | bytes"], Path]
D = dt.date.fromisoformat
SLOW = pytest.mark.slow  # each starts pulse as a separate process

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
    assert "- **Funding & Deals:** 1 item, $1 million\n" in result.stdout  # nothing before year one: no comparison


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


# --- templates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("{{ 1/0 }}", "ZeroDivisionError: "),
        ("{% for i in range(10**6) %}{% endfor %}", "OverflowError: "),
        ('{{ "%d" % "x" }}', "TypeError: "),
        ("{{ issue.title[10**9] }}", "template error: "),
    ],
)
def test_any_runtime_error_in_an_html_template_names_its_line(run: Run, write: Write, body: str, detail: str) -> None:
    write("digests/edges.yaml", EDGES)
    write("bad.html.j2", "<h1>{{ issue.title }}</h1>\n" + body + "\n")
    result = run("digest", "--format", "html", "--template", "bad.html.j2")
    assert (result.exit_code, result.stdout) == (1, "")
    first, second = result.stderr.splitlines()
    assert first.startswith("bad.html.j2:2: template error: ") and detail in first
    assert second == "error: the template failed"


# --- writing stdout: a full disk, a closed pipe ------------------------------------------


def pulse(*args: str, cwd: Path, env: dict[str, str] | None = None, **popen: object) -> subprocess.Popen[bytes]:
    """`pulse ARGS` as a separate process, with a real stdout (a file, a device or a pipe)."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    environment.pop("PULSE_DATA", None)
    return subprocess.Popen(
        [sys.executable, "-m", "pulse", *args], cwd=cwd, env=environment, stderr=subprocess.PIPE, **popen
    )  # type: ignore[call-overload]


def big_corpus(folder: Path, count: int = 1500) -> None:
    items = "".join(
        f"  - id: item-{n}\n    title: Item {n}, a title long enough to fill the pipe\n    date: 2026-03-16\n"
        f"    themes: [funding]\n    amount: €{n + 1}M\n"
        for n in range(count)
    )
    (folder / "digests").mkdir()
    (folder / "digests" / "items.yaml").write_text("items:\n" + items, encoding="utf-8")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        *(pytest.param(a, marks=SLOW) for a in [("digest",), ("list", "--format", "json"), ("trends",), ("schema",)]),
    ],
)
def test_a_full_disk_on_stdout_exits_1_with_one_message(tmp_path: Path, args: tuple[str, ...]) -> None:
    big_corpus(tmp_path, 40)
    with open("/dev/full", "wb") as full:
        process = pulse(*args, cwd=tmp_path, stdout=full)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.decode() == "error: cannot write the output: No space left on device; it is incomplete\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("args", "encoding"),
    [(("--help",), "utf-8"), *(pytest.param(*case, marks=SLOW) for case in [
        (("--help",), "ascii"), (("--version",), "utf-8"), (("list", "--help"), "utf-8")])],
)  # fmt: skip
def test_help_and_version_on_a_full_disk_exit_1_with_one_message(
    tmp_path: Path, args: tuple[str, ...], encoding: str
) -> None:
    with open("/dev/full", "wb") as full:
        process = pulse(*args, cwd=tmp_path, stdout=full, env={"PYTHONIOENCODING": encoding})
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.decode() == "error: cannot write the output: No space left on device; it is incomplete\n"


def test_a_closed_stdout_exits_1_with_one_message_and_writes_into_no_file(tmp_path: Path) -> None:
    big_corpus(tmp_path, 40)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    process = pulse("list", cwd=tmp_path, stdout=subprocess.DEVNULL, pass_fds=(), close_fds=True,
                    preexec_fn=lambda: os.close(1))  # fmt: skip
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.decode() == "error: cannot write the output: Bad file descriptor; it is incomplete\n"
    assert {path: path.read_bytes() for path in before} == before


@pytest.mark.parametrize("unbuffered", ["", pytest.param("1", marks=SLOW)])
def test_a_pipe_closed_by_its_reader_exits_1_with_one_message(tmp_path: Path, unbuffered: str) -> None:
    big_corpus(tmp_path)
    process = pulse(
        "list", "--format", "json", cwd=tmp_path, env={"PYTHONUNBUFFERED": unbuffered}, stdout=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stdout.read(10) == b"[\n  {\n    "
    process.stdout.close()  # like `pulse list | head -c 10`
    assert process.wait(timeout=60) == 1
    assert process.stderr is not None
    assert process.stderr.read().decode() == "error: cannot write the output: Broken pipe; it is incomplete\n"


@SLOW
def test_the_whole_output_reaches_a_slow_reader_on_an_unbuffered_stdout(tmp_path: Path) -> None:
    big_corpus(tmp_path)
    process = pulse("list", "--format", "json", cwd=tmp_path, env={"PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, b"")
    assert len(json.loads(out)) == 1500


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_feed_per_theme_into_a_path_that_is_not_a_folder_exits_1(run: Run, write: Write) -> None:
    write("digests/edges.yaml", EDGES)
    write("feeds", "a file, not a folder\n")
    args = ("feed", "--base-url", "https://example.com", "--per-theme")
    device = run(*args, "/dev/full")
    inside_a_file = run(*args, "feeds/funding")
    assert (device.exit_code, device.stderr) == (
        1,
        "error: cannot write into /dev/full: it is not a folder; give a folder's path\n",
    )
    assert (inside_a_file.exit_code, inside_a_file.stderr) == (
        1,
        "error: cannot create the folder feeds/funding: Not a directory\n",
    )


# --- a stream that cannot hold the output's characters ------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "kind", "expected"),
    [
        ("€2.5B — café “Ørsted” ↑ ▁█", "ascii", "text", 'EUR2.5B -- cafe "Orsted" ^ 18'),
        ("€ café", "latin-1", "text", "EUR café"),
        ("北京 😀\u200b", "ascii", "text", "?? ?"),
        ("┌─┬┐│", "ascii", "text", "+--+|"),
        ('"€ 😀"', "ascii", "json", '"\\u20ac \\ud83d\\ude00"'),
        ("<t>€</t>", "ascii", "xml", "<t>&#8364;</t>"),
        ("€ café 😀", "utf-8", "text", "€ café 😀"),
    ],
)
def test_output_degrades_to_what_the_stream_can_hold(text: str, encoding: str, kind: str, expected: str) -> None:
    from pulse.render.encoding import fit_encoding

    assert fit_encoding(text, encoding, kind) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("list",), "The last day of 9999 EUR deal"),
        *(
            pytest.param(*case, marks=SLOW)
            for case in [
                (("list", "--format", "csv"), "last-day,9999-12-31,funding,The last day of 9999 EUR deal,,EUR999B,"),
                (("show", "last-day"), "EUR999 billion"),
                (("digest", "--format", "markdown"), "The last day of 9999 EUR deal"),
                (("trends", "--metric", "amount"), "funding"),
            ]
        ),
    ],
)
def test_an_ascii_stdout_gets_text_without_the_characters_it_lacks(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "edges.yaml").write_text(EDGES, encoding="utf-8")
    process = pulse(*args, cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"}, stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, b"")
    assert expected in out.decode("ascii")


@pytest.mark.parametrize(
    "args",
    [("list", "--format", "json"), *(pytest.param(a, marks=SLOW) for a in [("show", "last-day", "--format", "json"),
     ("digest", "--format", "json"), ("feed", "--format", "json", "--base-url", "https://example.com")])],
)  # fmt: skip
def test_json_on_an_ascii_stdout_is_the_same_data_escaped(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "edges.yaml").write_text(EDGES, encoding="utf-8")
    ascii_run = pulse(*args, cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"}, stdout=subprocess.PIPE)
    utf8_run = pulse(*args, cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8"}, stdout=subprocess.PIPE)
    ascii_out, _ = ascii_run.communicate(timeout=60)
    utf8_out, _ = utf8_run.communicate(timeout=60)
    assert ascii_run.returncode == 0 and ascii_out.isascii()
    assert json.loads(ascii_out) == json.loads(utf8_out) and "€" in utf8_out.decode()


@SLOW
def test_an_atom_feed_on_an_ascii_stdout_keeps_its_characters_as_references(tmp_path: Path) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "edges.yaml").write_text(EDGES, encoding="utf-8")
    process = pulse("feed", "--base-url", "https://example.com", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"},
                    stdout=subprocess.PIPE)  # fmt: skip
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, b"")
    from xml.etree import ElementTree

    titles = [e.text for e in ElementTree.fromstring(out).iter("{http://www.w3.org/2005/Atom}title")]
    assert "The last day of 9999 € deal" in titles


def test_plain_columns_stay_aligned_on_an_ascii_stdout(tmp_path: Path) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "edges.yaml").write_text(EDGES, encoding="utf-8")
    (tmp_path / "pulse.yaml").write_text("rates: {EUR: 1.1}\n", encoding="utf-8")  # the score, whatever the ECB data
    process = pulse("list", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"}, stdout=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (0, b"")
    assert out.decode("ascii") == (
        "DATE        THEMES   TITLE                          ENTITIES  AMOUNT   SCORE\n"
        "9999-12-31  funding  The last day of 9999 EUR deal            EUR999B  11.02\n"
        "0001-01-01  funding  The first day of year one                $1M      3.15\n"
    )


@pytest.mark.parametrize("args", [["list"], ["check"], ["digest", "--format", "markdown"]])
def test_a_closed_stderr_changes_nothing_on_stdout(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "digests").mkdir()
    (tmp_path / "digests" / "edges.yaml").write_text(EDGES, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PULSE_DATA", None)
    command = " ".join([shlex.quote(sys.executable), "-m", "pulse", *args])
    closed = subprocess.run(["sh", "-c", f"{command} 2>&-"], cwd=tmp_path, env=env, capture_output=True, check=False)
    opened = subprocess.run(
        [sys.executable, "-m", "pulse", *args], cwd=tmp_path, env=env, capture_output=True, check=False
    )
    assert (closed.returncode, closed.stdout) == (opened.returncode, opened.stdout)
