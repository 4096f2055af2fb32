"""Trends: counts, money and momentum on a corpus whose figures are known in advance."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from pulse.core.kinds import Metric, TrendKey
from pulse.core.select import Window
from pulse.core.trends import aggregate, sparkline, week_range
from pulse.model import Item
from pulse.model.money import Money
from pulse.model.themes import builtin_registry
from pulse.render.chart import render_chart
from pulse.render.records import trend_rows
from pulse.render.terminal import Screen, trends_table
from tests.conftest import GOLDEN, Run
from tests.factories import make_item

Write = Callable[[str, str], Path]
Golden = Callable[[str, str], None]

# Weeks 2026-W51 .. 2027-W02 (a year end with a 53-week year). Known in advance:
#   funding: W51 2 items ($1B + €5M, which is $6M at the pinned rate), W52 none, W53 1 item ($500M), 2027-W01 3 items ($2M each), W02 none
#   safety: W52 1 item, 2027-W02 2 items
#   edge: one item outside the range (2026-12-01) that must not count
KNOWN = [
    ("f1", "2026-12-14", "funding", "$1B", 5),
    ("f2", "2026-12-20", "funding", "€5M", 3),
    ("s1", "2026-12-23", "safety", None, 4),
    ("f3", "2026-12-31", "funding", "$500M", 2),
    ("f4", "2027-01-04", "funding", "$2M", 1),
    ("f5", "2027-01-06", "funding", "$2M", 2),
    ("f6", "2027-01-10", "funding", "$2M", 3),
    ("s2", "2027-01-11", "safety", None, 1),
    ("s3", "2027-01-17", "safety", None, 2),
    ("e1", "2026-12-01", "edge", None, 3),
]
WEEKS = ["2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02"]


def known_corpus() -> str:
    lines = ["items:"]
    for item_id, date, theme, amount, importance in KNOWN:
        lines += [f"  - id: {item_id}", f"    title: Item {item_id}", f"    date: {date}", f"    themes: [{theme}]"]
        lines += [f"    importance: {importance}"] + ([f"    amount: {amount}"] if amount else [])
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(write: Write) -> None:
    write("pulse.yaml", "rates:\n  EUR: 1.2  # one euro in dollars, pinned: the figures do not move with the ECB's\n")
    write("digests/known.yaml", known_corpus())


@pytest.mark.usefixtures("corpus")
def test_weekly_rows_are_exactly_the_known_figures(run: Run) -> None:
    result = run("trends", "--since", "2026-12-14", "--until", "2027-01-17", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["weeks"] == WEEKS
    rows = {(row["key"], row["week"]): row for row in data["rows"]}
    assert [rows["funding", week]["count"] for week in WEEKS] == [2, 0, 1, 3, 0]
    assert [rows["safety", week]["count"] for week in WEEKS] == [0, 1, 0, 0, 2]
    assert rows["funding", "2026-W51"]["amounts"] == {"USD": 1_006_000_000}
    assert rows["funding", "2027-W01"]["amounts"] == {"USD": 6_000_000}
    assert rows["funding", "2026-W52"] == {
        "week": "2026-W52",
        "key": "funding",
        "count": 0,
        "amounts": {},
        "mean_importance": None,
    }
    assert rows["funding", "2026-W51"]["mean_importance"] == 4
    assert rows["safety", "2027-W02"]["mean_importance"] == 1.5
    assert "edge" not in {row["key"] for row in data["rows"]}


@pytest.mark.usefixtures("corpus")
def test_momentum_ranks_rising_first(run: Run) -> None:
    data = json.loads(run("trends", "--since", "2026-12-14", "--until", "2027-01-17", "-f", "json").stdout)
    # k = 5 // 2 = 2: recent = the last 2 weeks, earlier = the 2 before them
    assert data["k"] == 2
    summary = {s["key"]: s for s in data["summary"]}
    assert (summary["funding"]["recent"], summary["funding"]["earlier"], summary["funding"]["momentum"]) == (3, 1, 2)
    assert (summary["safety"]["recent"], summary["safety"]["earlier"], summary["safety"]["momentum"]) == (2, 1, 1)
    assert [s["key"] for s in data["summary"]] == ["funding", "safety"]
    assert summary["funding"]["amounts"] == {"USD": 1_512_000_000}
    assert data["approximate"] is True


@pytest.mark.usefixtures("corpus")
def test_weeks_end_with_the_newest_item_by_default(run: Run) -> None:
    data = json.loads(run("trends", "--weeks", "3", "-f", "json").stdout)
    assert data["weeks"] == ["2026-W53", "2027-W01", "2027-W02"]


@pytest.mark.usefixtures("corpus")
def test_amount_metric_converts_every_currency_into_the_base(run: Run) -> None:
    data = json.loads(
        run("trends", "--since", "2026-12-14", "--until", "2027-01-17", "--metric", "amount", "-f", "json").stdout
    )
    funding = next(s for s in data["summary"] if s["key"] == "funding")
    assert funding["series"] == [1_006_000_000, 0, 500_000_000, 6_000_000, 0]


@pytest.mark.usefixtures("corpus")
def test_plain_table_when_piped(run: Run) -> None:
    result = run("trends", "--since", "2026-12-14", "--until", "2027-01-17")
    assert result.stdout == (
        "KEY      WEEKS  TOTAL  LAST  CHANGE  MOMENTUM\n"
        "funding  ▆▁▃█▁  6      0     -3      ↑ +2\n"
        "safety   ▁▅▁▁█  3      2     +2      ↑ +1\n"
    )


@pytest.mark.usefixtures("corpus")
def test_markdown_table(run: Run) -> None:
    result = run(
        "trends", "--since", "2026-12-14", "--until", "2027-01-17", "--format", "markdown", "--metric", "amount"
    )
    assert result.stdout == (
        "| Theme | 2026-W51 to 2027-W02 | Total | Last week | Change | Momentum (2 weeks) |\n"
        "| --- | --- | ---: | ---: | ---: | ---: |\n"
        "| safety | ▁▁▁▁▁ | 0 | 0 | 0 | → 0 |\n"
        "| funding | █▁▄▁▁ | ≈ $1.51B | 0 | \\-$6M | ↓ -$494M |\n"
    )


@pytest.mark.usefixtures("corpus")
def test_csv_has_the_base_currency_column(run: Run) -> None:
    lines = run("trends", "--since", "2026-12-14", "--until", "2027-01-17", "--format", "csv").stdout.splitlines()
    assert lines[0] == "week,key,count,amount_USD,mean_importance"
    assert lines[1] == "2026-W51,funding,2,1006000000,4"
    assert lines[2] == "2026-W52,funding,0,0,"


@pytest.mark.usefixtures("corpus")
def test_by_entity_region_and_limit(run: Run, write: Write) -> None:
    write(
        "digests/more.yaml",
        "items:\n  - id: m1\n    title: M\n    date: 2027-01-12\n    themes: [edge]\n    entities: [AMD, Nvidia]\n"
        "    region: US\n  - id: m2\n    title: N\n    date: 2027-01-13\n    themes: [edge]\n    entities: [AMD]\n",
    )
    data = json.loads(run("trends", "--by", "entity", "--weeks", "2", "-f", "json").stdout)
    assert [(s["key"], s["total"]) for s in data["summary"]] == [("AMD", 2), ("Nvidia", 1)]
    limited = json.loads(run("trends", "--by", "entity", "--weeks", "2", "--limit", "1", "-f", "json").stdout)
    assert [s["key"] for s in limited["summary"]] == ["AMD"]
    assert {row["key"] for row in limited["rows"]} == {"AMD"}
    region = json.loads(run("trends", "--by", "region", "--weeks", "2", "-f", "json").stdout)
    assert [s["key"] for s in region["summary"]] == ["US"]


def test_empty_range_is_a_note(run: Run, write: Write) -> None:
    write("digests/known.yaml", known_corpus())
    result = run("trends", "--since", "2025-01-01", "--until", "2025-01-31")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no items in the weeks 2025-W01 to 2025-W05\n"


def test_trends_of_the_sample(run: Run, sample_project: Path) -> None:
    result = run("trends", "--weeks", "4")
    assert result.stdout.splitlines()[1] == "sector    ▁▁▁█   9      9     +9      ↑ +9"


# --- pure functions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "line"),
    [([0, 1, 2, 4], "▁▃▅█"), ([0, 0], "▁▁"), ([3], "█"), ([], "")],
)
def test_sparkline(values: list[float], line: str) -> None:
    assert sparkline(values) == line


@pytest.mark.parametrize(
    ("window", "weeks", "newest", "expected"),
    [
        (Window(), 3, dt.date(2027, 1, 6), ["2026-W52", "2026-W53", "2027-W01"]),
        (Window(until=dt.date(2026, 3, 16)), 2, None, ["2026-W11", "2026-W12"]),
        (Window(dt.date(2026, 12, 30), dt.date(2027, 1, 4)), 8, None, ["2026-W53", "2027-W01"]),
    ],
)
def test_week_range(window: Window, weeks: int, newest: dt.date | None, expected: list[str]) -> None:
    assert week_range(window, weeks, newest) == expected


def test_items_with_two_themes_count_in_both() -> None:
    items = [make_item("a", themes=["funding", "safety"]), make_item("b", themes=["safety"])]
    trends = aggregate(items, ["2026-W12"], TrendKey.theme)
    assert {t.key: t.total for t in trends.keys} == {"funding": 1.0, "safety": 2.0}


def fixed_trends() -> object:
    items: list[Item] = [
        make_item(f"i{n}", date=str(dt.date(2026, 1, 5) + dt.timedelta(weeks=week)), themes=[theme])
        for n, (week, theme) in enumerate(
            [(0, "funding"), (1, "funding"), (1, "edge"), (2, "funding"), (3, "edge"), (3, "edge")]
        )
    ]
    return aggregate(items, ["2026-W02", "2026-W03", "2026-W04", "2026-W05"], TrendKey.theme, Metric.items)


def test_rich_table_at_a_fixed_width() -> None:
    trends = fixed_trends()
    table = trends_table(trend_rows(trends), builtin_registry(), Screen(width=60, color=False, links=False), True)  # type: ignore[arg-type]
    assert table == (
        "key     ┃ weeks ┃ total ┃ last ┃ change ┃ momentum\n"
        "━━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━╇━━━━━━━━╇━━━━━━━━━\n"
        "edge    │ ▁▅▁█  │     3 │    2 │     +2 │     ↑ +1\n"
        "funding │ ███▁  │     3 │    0 │     -1 │     ↓ -1\n"
    )


GOLDEN_MATPLOTLIB = "3.11"  # the version that drew tests/golden/trends.svg


def svg_skeleton(svg: str) -> list[str]:
    """What a reader sees in a chart, whatever matplotlib drew it: the texts in order and the line colours."""
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    colours = sorted(set(re.findall(r"stroke: (#[0-9a-f]{6})", svg)))
    return [*texts, *colours]


def test_chart_golden_svg(golden: Golden) -> None:
    import matplotlib

    svg = render_chart(fixed_trends(), "svg", {"funding": "#15803d", "edge": "#a21caf"})  # type: ignore[arg-type]
    assert svg == render_chart(fixed_trends(), "svg", {"funding": "#15803d", "edge": "#a21caf"})  # type: ignore[arg-type]
    if matplotlib.__version__.startswith(GOLDEN_MATPLOTLIB + "."):
        golden("trends.svg", svg.decode("utf-8"))  # byte for byte
    else:  # another matplotlib draws the same chart with other path data: compare what it shows
        expected = (GOLDEN / "trends.svg").read_text(encoding="utf-8")
        assert svg_skeleton(svg.decode("utf-8")) == svg_skeleton(expected)


def test_chart_png_is_reproducible() -> None:
    first = render_chart(fixed_trends(), "png", {})  # type: ignore[arg-type]
    assert first.startswith(b"\x89PNG") and first == render_chart(fixed_trends(), "png", {})  # type: ignore[arg-type]


@pytest.mark.usefixtures("corpus")
def test_chart_option_writes_the_file(run: Run, tmp_path: Path) -> None:
    result = run("trends", "--weeks", "4", "--chart", "t.svg", "--format", "json")
    assert result.exit_code == 0 and result.stderr == "wrote t.svg\n"
    assert (tmp_path / "t.svg").read_text(encoding="utf-8").startswith("<?xml")
    bad = run("trends", "--chart", "t.gif")
    assert (bad.exit_code, bad.stderr) == (2, "error: --chart t.gif: the file must end in .svg or .png\n")


@pytest.mark.usefixtures("corpus")
def test_chart_without_matplotlib_says_what_to_install(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run("trends", "--chart", "t.svg")
    assert (result.exit_code, result.stderr) == (1, "error: charts need matplotlib: pip install 'pulse[charts]'\n")


def test_in_numbers_compares_the_issue_with_the_weeks_before(run: Run, write: Write) -> None:
    write("pulse.yaml", "rates: {EUR: 1.5}\n")
    write(
        "digests/issue.yaml",
        "digest:\n  title: T\n  date: 2026-03-16\n  trends: true\n"
        "items:\n"
        "  - {id: a, title: A, date: 2026-03-16, themes: [funding], amount: $1B}\n"
        "  - {id: b, title: B, date: 2026-03-12, themes: [funding], amount: €2M}\n"
        "  - {id: c, title: C, date: 2026-03-01, themes: [funding], amount: $400M}\n"
        "  - {id: d, title: D, date: 2026-02-20, themes: [funding]}\n",
    )
    output = run("digest", "--format", "markdown").stdout
    assert (
        "## In numbers\n\n- **Funding & Deals:** 2 items, ≈ $1 billion (the 4 weeks before: less than 1 item, $100 million a week)\n"
        in output
    )
    assert "- B (€2 million, ≈ $3 million)\n" in output
    assert Money(Decimal("4e8") / 4).__str__() == "$100 million"
