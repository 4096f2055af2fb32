"""`pulse list`, `pulse show`, `pulse themes` as a user runs them, on the sample and on small corpora."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pulse.core.select import find_item
from pulse.model.rates import Rates
from pulse.model.themes import builtin_registry
from pulse.render.terminal import Screen, item_panel, list_table
from tests.conftest import Run, sample_line
from tests.factories import make_item

Write = Callable[[str, str], Path]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
pytestmark = pytest.mark.usefixtures("sample_project")


def ids_of(result_stdout: str) -> list[str]:
    return [row["id"] for row in json.loads(result_stdout)]


def test_list_funding_shows_the_four_funding_deals(run: Run) -> None:
    result = run("list", "--theme", "funding")
    assert result.exit_code == 0
    for name in ("Together AI", "AMI", "Nscale", "PixVerse"):
        assert name in result.stdout


def test_list_plain_table_when_piped(run: Run) -> None:
    result = run("list", "--theme", "funding", "--limit", "3")
    assert result.stdout == (
        "DATE        THEMES   TITLE                                                               ENTITIES         AMOUNT  SCORE\n"
        "2026-03-16  funding  Nscale secures $2B Series C, Europe's largest AI VC deal            Nscale           $2B     9.90\n"
        "2026-03-16  funding  AMI, co-founded by Yann LeCun, raises $1B for reasoning-capable AI  AMI, Yann LeCun  $1B     9.75\n"
        "2026-03-16  funding  Together AI eyes $1B round at $7.5B valuation                       Together AI      $1B     9.75\n"
    )
    assert "\x1b" not in result.stdout


def test_search_smart_ring_finds_sandbar(run: Run) -> None:
    result = run("list", "--search", "smart ring", "--format", "json")
    assert ids_of(result.stdout) == ["sandbar-smart-ring-series-a"]


def test_min_amount_1b_holds_exactly_the_billion_dollar_items(run: Run) -> None:
    result = run("list", "--min-amount", "1B", "--format", "json")
    rows = json.loads(result.stdout)
    assert {row["id"] for row in rows} == {
        "saudi-arabia-ai-data-centers",
        "nscale-series-c",
        "ami-raises-1b",
        "together-ai-funding-round",
    }
    assert all(row["amount"]["value"] >= 1_000_000_000 and row["amount"]["currency"] == "USD" for row in rows)


def test_list_json_has_the_documented_fields(run: Run) -> None:
    (row,) = json.loads(run("list", "--entity", "nscale", "--format", "json").stdout)
    assert row["id"] == "nscale-series-c"
    assert row["amount"] == {"value": 2_000_000_000, "currency": "USD"}
    assert (row["date"], row["themes"], row["entities"], row["importance"]) == (
        "2026-03-16",
        ["funding"],
        ["Nscale"],
        3,
    )
    assert (row["path"], row["line"]) == ("digests/2026/2026-W12.yaml", sample_line("nscale-series-c"))
    assert row["score"] == pytest.approx(sum(row["score_parts"].values()))
    for key in ("title", "summary", "sources"):
        assert key in row


def test_entity_is_case_insensitive(run: Run) -> None:
    assert ids_of(run("list", "--entity", "amd", "--format", "json").stdout) == ["amd-ryzen-ai-processors"]


def test_theme_alias_selects_the_sector_theme(run: Run) -> None:
    assert ids_of(run("list", "-t", "m&a", "-f", "json").stdout) == ids_of(
        run("list", "-t", "sector", "-f", "json").stdout
    )


def test_empty_selection_is_a_note_and_success(run: Run) -> None:
    result = run("list", "--week", "2026-W01")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no items match the selection (24 items in the corpus)\n"


def test_empty_selection_as_json_is_an_empty_list(run: Run) -> None:
    assert run("list", "--week", "2026-W01", "--format", "json").stdout == "[]\n"


def test_unknown_theme_is_a_usage_error(run: Run) -> None:
    result = run("list", "--theme", "fundng")
    assert (result.exit_code, result.stderr) == (2, "error: unknown theme 'fundng' (did you mean 'funding'?)\n")


def test_bad_date_is_a_usage_error(run: Run) -> None:
    result = run("list", "--since", "yesteryear")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: 'yesteryear' is not a date; use an ISO date (2026-03-16), today, yesterday, -7d, -2w, "
        "last-week or this-week\n"
    )


def test_relative_dates_use_pulse_today(run: Run) -> None:
    assert run("list", "--days", "7", env={"PULSE_TODAY": "2026-03-20"}).stdout.count("2026-03-16") == 24
    assert run("list", "--since", "-2d", env={"PULSE_TODAY": "2026-03-20"}).stdout == ""


def test_list_csv(run: Run) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("list", "--theme", "edge", "--format", "csv", "--sort", "editorial").stdout))
    )
    assert [row["id"] for row in rows] == [
        "gemini-flash-lite-on-device",
        "qwen-3-5-iphone-17-pro",
        "voxtral-webgpu-speech",
        "sandbar-smart-ring-series-a",
    ]
    assert rows[3]["amount"] == "$23M"


def test_list_markdown_table(run: Run) -> None:
    result = run("list", "--theme", "edge", "--format", "markdown", "--limit", "2")
    assert result.stdout == (
        "| Date | Themes | Title | Entities | Amount | Score |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 2026-03-16 | edge | Sandbar's AI smart ring secures a $23M Series A | Sandbar | $23M | 8.94 |\n"
        "| 2026-03-16 | edge | Gemini Flash-Lite brings on-device multimodal reasoning | Gemini Flash-Lite |  | 8.25 |\n"
    )


def test_explain_shows_each_part(run: Run) -> None:
    result = run("list", "--search", "smart ring", "--explain")
    assert result.stdout == (
        "DATE        THEMES  TITLE                                            ENTITIES  AMOUNT  SCORE  "
        "IMPORTANCE  RECENCY  MONEY  SOURCES  THEME  BOOST  PIN\n"
        "2026-03-16  edge    Sandbar's AI smart ring secures a $23M Series A  Sandbar   $23M    8.94   "
        "3.00        5.00     0.69   0.25     0.00   0.00\n"
    )


def test_ranking_weights_come_from_pulse_yaml(run: Run, sample_project: Path) -> None:
    config = sample_project / "pulse.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  themes: {}", "  themes: {safety: 10}"), encoding="utf-8")
    first = json.loads(run("list", "--format", "json", "--limit", "1").stdout)[0]
    assert (first["themes"], first["score_parts"]["theme"]) == (["safety"], 10.0)


def test_show_prints_every_field_and_the_file(run: Run) -> None:
    result = run("show", "nscale-series-c")
    assert result.exit_code == 0
    assert result.stdout == (
        "id:         nscale-series-c\n"
        "title:      Nscale secures $2B Series C, Europe's largest AI VC deal\n"
        "date:       2026-03-16\n"
        "themes:     funding (Funding & Deals)\n"
        "summary:    Nscale, a UK-based AI infrastructure company, secured $2 billion in Series C funding, making it "
        "Europe's largest AI VC deal, aimed at expanding AI hardware and data center capabilities.\n"
        "entities:   Nscale\n"
        "amount:     $2 billion\n"
        "round:      Series C\n"
        "region:     UK\n"
        "importance: 3\n"
        "tags:       data-centers\n"
        "sources:    1. Tech Innovation Pulse (nbot.ai), Mar 16, 2026\n"
        f"file:       digests/2026/2026-W12.yaml:{sample_line('nscale-series-c')}\n"
    )


def test_show_json(run: Run) -> None:
    data = json.loads(run("show", "sandbar-smart-ring-series-a", "--format", "json").stdout)
    assert (data["amount"], data["round"]) == ({"value": 23_000_000, "currency": "USD"}, "Series A")


def test_show_unknown_id_suggests_the_closest(run: Run) -> None:
    result = run("show", "nscale")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: no item with id 'nscale' (did you mean 'nscale-series-c'?)\n",
    )


def test_themes_table(run: Run) -> None:
    assert run("themes").stdout == (
        "KEY       TITLE                      ALIASES   ITEMS  LATEST      DESCRIPTION\n"
        "funding   Funding & Deals                      5      2026-03-16  "
        "Funding rounds, valuations and strategic deals for model labs and infrastructure.\n"
        "hardware  Hardware & Infrastructure            4      2026-03-16  "
        "Chips, data centres, cloud capacity and the compute buildout.\n"
        "edge      Edge & On-Device AI                  4      2026-03-16  "
        "Models that run locally: phones, browsers, wearables and embedded systems.\n"
        "sector    Sector M&A                 mna, m&a  9      2026-03-16  "
        "Sector-specific deployments, mergers, acquisitions and investments.\n"
        "safety    Safety & Governance                  2      2026-03-16  "
        "Safety, trust, security and regulation of AI systems.\n"
    )


def test_themes_json(run: Run) -> None:
    data = json.loads(run("themes", "--format", "json").stdout)
    assert data[3] == {
        "key": "sector",
        "title": "Sector M&A",
        "description": "Sector-specific deployments, mergers, acquisitions and investments.",
        "aliases": ["mna", "m&a"],
        "items": 9,
        "latest": "2026-03-16",
    }


def test_commands_refuse_an_invalid_corpus(run: Run, write: Write) -> None:
    write("digests/bad.yaml", "items:\n  - id: x\n")
    result = run("list")
    assert result.exit_code == 1
    assert result.stderr == (
        "digests/bad.yaml:2:5: item 'x' is missing the required key 'title'\n"
        "digests/bad.yaml:2:5: item 'x' is missing the required key 'date'\n"
        "digests/bad.yaml:2:5: item 'x' is missing the required key 'themes'\n"
        "error: 3 errors in 1 of 2 files\n"
    )


def test_terminal_table_colours_themes_and_fits_the_width() -> None:
    items = [make_item("a", title="A long title " * 5, themes=["safety"], amount="$5M")]
    from pulse.core.rank import rank_items
    from pulse.model.weights import Weights

    ranked = rank_items(items, Weights(), items[0].date, rates=Rates())
    coloured = list_table(ranked, builtin_registry(), Screen(width=60, color=True))
    assert "\x1b[31msafety" in coloured  # red, the safety theme's colour
    plain = ANSI.sub("", coloured)
    assert max(len(line) for line in plain.splitlines()) <= 60
    no_colour = list_table(ranked, builtin_registry(), Screen(width=60, color=False))
    assert "\x1b[31m" not in no_colour


def test_terminal_show_links_the_sources() -> None:
    item = make_item("a", sources=["https://example.com/a"])
    shown = item_panel(find_item([item], "a"), builtin_registry(), Screen(width=80, color=False, links=True))
    assert "\x1b]8;" in shown and "https://example.com/a" in shown  # an OSC 8 hyperlink
