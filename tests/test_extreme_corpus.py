"""Property: item files with extreme but valid values go through every command without a traceback (issue 16).

Dates from 0001-01-01 to 9999-12-31, amounts up to the money ceiling (pulse.model.money.CEILING)
in several currencies and base currencies, boosts at their limits, unicode in every text
field, an editorial block dated at the edges: `check`, `list` in every format, `show`,
`digest` in every format, `trends`, `themes` and `feed` in every format all exit 0, and
every JSON they print parses. A long run multiplies the examples:

    PULSE_FUZZ_SCALE=20 .venv/bin/python -m pytest tests/test_extreme_corpus.py
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pulse.model.money import CEILING
from tests import test_properties as properties
from tests.conftest import examples

FIRST, LAST = dt.date.min, dt.date.max
EDGE_DATES = [FIRST, FIRST + dt.timedelta(days=6), dt.date(1, 12, 31), dt.date(1970, 1, 1), dt.date(9999, 12, 27), LAST]
DATES = st.one_of(st.sampled_from(EDGE_DATES), st.dates(FIRST, LAST))

# Unicode everywhere, but not what pulse refuses in item text (control and format characters).
CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Cn"))
PIECES = st.one_of(
    st.text(CHARACTERS, min_size=1, max_size=6),
    st.sampled_from(["€", "₹", "👩‍💻", "e\u0301", "مرحبا", "北京", "Ørsted", "<b>", "{{ x }}", "**", "|", "#", "$1B"]),
)
TEXT = st.lists(PIECES, min_size=1, max_size=6).map("".join).filter(lambda text: text.strip() != "")
IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CHF"]
TOP = int(CEILING) - 1
MONEY = st.one_of(
    st.builds(
        lambda value, currency: {"value": value, "currency": currency},
        st.one_of(st.sampled_from([1, TOP, TOP // 1000, 10**12]), st.integers(1, TOP)),
        st.sampled_from(CURRENCIES),
    ),
    st.sampled_from(["$999.999T", "€999 trillion", "¥999,999,999,999,999", "1e14 GBP", "CHF 1", "$0.01"]),
)
# A URL's path is any text but whitespace, which no URL holds (pulse refuses it).
URL_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Zs", "Cn"))
URLS = st.builds(lambda path: f"https://example.com/{path}", st.text(URL_CHARACTERS, max_size=8))


@st.composite
def extreme_item(draw: st.DrawFn, item_id: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": item_id,
        "title": draw(TEXT),
        "date": draw(DATES),
        "themes": draw(st.lists(st.sampled_from(["funding", "hardware", "edge", "sector", "safety"]), min_size=1)),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "summary": TEXT,
        "entities": st.lists(TEXT, max_size=3),
        "amount": MONEY,
        "valuation": MONEY,
        "round": TEXT,
        "region": TEXT,
        "sector": TEXT,
        "label": TEXT,
        "importance": st.sampled_from([1, 5]),
        "sources": st.lists(st.one_of(URLS, st.builds(lambda t, u: {"title": t, "url": u}, TEXT, URLS)), max_size=2),
        "tags": st.lists(TEXT, max_size=2),
        "pin": st.booleans(),
        "boost": st.sampled_from([-1_000_000, -0.5, 0, 1e-9, 1_000_000]),
        "prose": st.booleans(),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            item[key] = draw(strategy)
    return item


@st.composite
def extreme_corpus(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    corpus: dict[str, Any] = {"items": [draw(extreme_item(item_id)) for item_id in ids]}
    if draw(st.booleans()):
        corpus["digest"] = {
            "title": draw(TEXT),
            "date": draw(DATES),
            "topic": draw(TEXT),
            "intro": draw(TEXT),
            "trends": draw(st.booleans()),
        }
    return corpus


def write_project(folder: Path, corpus: dict[str, Any], currency: str) -> None:
    (folder / "pulse.yaml").write_text(f"name: Extreme € Weekly\ncurrency: {currency}\n", encoding="utf-8")
    (folder / "digests").mkdir()
    text = yaml.safe_dump(corpus, allow_unicode=True, sort_keys=False, width=1000)
    (folder / "digests" / "items.yaml").write_text(text, encoding="utf-8")


def pulse(folder: Path, *args: str) -> str:
    """Run a command; it must exit 0 without a traceback. Returns its stdout."""
    result = properties.pulse(folder, *args)
    assert result.exit_code == 0, f"pulse {' '.join(args)}: exit {result.exit_code}: {result.stderr}"
    return str(result.stdout)


def as_json(text: str, *, may_be_empty: bool = False) -> Any:
    """The JSON a command printed, which must parse (no NaN or Infinity); `pulse digest` prints nothing for an
    empty window."""
    if may_be_empty and text == "":
        return None
    return json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(f"{name} in JSON")))


@settings(max_examples=examples(15), deadline=None, suppress_health_check=list(HealthCheck))
@given(corpus=extreme_corpus(), currency=st.sampled_from(CURRENCIES))
@example(
    corpus={
        "items": [
            {"id": "last", "title": "€ 9999", "date": LAST, "themes": ["funding"], "amount": {"value": TOP, "currency": "EUR"}},
            {"id": "first", "title": "Year one", "date": FIRST, "themes": ["edge"], "amount": "$999.999T"},
        ],
        "digest": {"title": "Edges", "date": FIRST, "trends": True},
    },
    currency="JPY",
)  # fmt: skip
def test_every_command_takes_extreme_valid_items_without_a_traceback(corpus: dict[str, Any], currency: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        write_project(folder, corpus, currency)
        pulse(folder, "check")
        for fmt in ("table", "csv", "markdown"):
            pulse(folder, "list", "--format", fmt, "--explain")
        records = as_json(pulse(folder, "list", "--format", "json", "--sort", "amount"))
        assert sorted(record["id"] for record in records) == sorted(item["id"] for item in corpus["items"])
        for record in records:
            base = record["amount_base"]
            assert base is None or (Decimal(str(base["value"])).is_finite() and base["currency"] == currency)
        for item in corpus["items"][:: max(len(corpus["items"]) - 1, 1)]:  # the first and the last
            pulse(folder, "show", item["id"])
            as_json(pulse(folder, "show", item["id"], "--format", "json"))
        for fmt in ("terminal", "markdown", "html"):
            pulse(folder, "digest", "--format", fmt)
        as_json(pulse(folder, "digest", "--format", "json"), may_be_empty=True)
        newest = max(item["date"] for item in corpus["items"])
        as_json(pulse(folder, "digest", "--week", f"{newest.isocalendar()[0]:04d}-W{newest.isocalendar()[1]:02d}",
                      "--format", "json"), may_be_empty=True)  # fmt: skip
        for metric in ("count", "amount"):
            for fmt in ("table", "csv", "markdown"):
                pulse(folder, "trends", "--metric", metric, "--format", fmt)
            as_json(pulse(folder, "trends", "--metric", metric, "--by", "entity", "--format", "json"))
        pulse(folder, "themes")
        as_json(pulse(folder, "themes", "--format", "json"))
        for fmt in ("atom", "rss"):
            pulse(folder, "feed", "--base-url", "https://example.com", "--format", fmt)
        as_json(pulse(folder, "feed", "--base-url", "https://example.com", "--format", "json"))
        as_json(pulse(folder, "list", "--days", "100000000", "--format", "json"))
        as_json(pulse(folder, "list", "--since", "-99999999d", "--until", "9999-12-31", "--format", "json"))
