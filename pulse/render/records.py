"""Ranked items as records: JSON, CSV, Markdown and plain-text tables (no third-party code)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pulse.core.issues import IssueInfo
from pulse.core.kinds import Metric
from pulse.core.rank import Ranked
from pulse.core.select import ThemeCount
from pulse.core.trends import Trends, sparkline
from pulse.model import Item, Source, ThemeRegistry
from pulse.model.items import ITEM_FIELDS
from pulse.model.money import Money
from pulse.render.mdtext import escape_markdown

if TYPE_CHECKING:
    from pulse.core.compose import Issue

PART_NAMES = ("importance", "recency", "money", "sources", "theme", "boost")


def _money(money: Money | None) -> dict[str, object] | None:
    return money.as_json() if money else None


def _sources(sources: Sequence[Source]) -> list[dict[str, str | None]]:
    return [{"title": s.title, "url": s.link} for s in sources]


RECORD_KINDS: dict[str, Callable[[Any], object]] = {
    "date": lambda day: day.isoformat(),
    "themes": list,
    "texts": list,
    "money": _money,
    "sources": _sources,
}
"""How a value of each kind of field is written as JSON-ready data (any other kind: as it is)."""
_RECORD_FIELDS = [(name, RECORD_KINDS.get(spec.kind)) for name, spec in ITEM_FIELDS.items()]


def item_record(item: Item) -> dict[str, object]:
    """Every field of an item (in the documented order), and where it is written, as JSON-ready data."""
    record: dict[str, object] = {}
    for name, encode in _RECORD_FIELDS:
        value = getattr(item, name)
        record[name] = value if encode is None else encode(value)
    record["path"], record["line"] = item.path, item.line
    return record


def ranked_record(ranked: Ranked) -> dict[str, object]:
    """An item's record with its score and the score's parts."""
    base = ranked.base_amount.as_json() if ranked.base_amount else None
    return {
        **item_record(ranked.item),
        "amount_base": base,
        "score": ranked.score.total,
        "score_parts": ranked.score.parts(),
    }


def json_text(data: object) -> str:
    """Indented JSON; `<`, `>` and `&` written as escapes, so no markup survives even in a page."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def to_json(ranked: Sequence[Ranked]) -> str:
    """A JSON list of item records."""
    return json_text([ranked_record(r) for r in ranked])


def issue_record(issue: Issue) -> dict[str, object]:
    """The composed issue as data: what `pulse digest --format json` prints."""
    sections = [
        {
            "key": s.key,
            "heading": s.heading,
            "intro": list(s.intro),
            "outro": list(s.outro),
            "items": [ranked_record(r) for r in s.items],
        }
        for s in issue.sections
    ]
    notes = [
        {"heading": n.heading, "body": list(n.body), "lead": n.lead, "bullets": list(n.bullets), "after": n.after}
        for n in issue.notes
    ]
    return {
        "name": issue.name,
        "title": issue.title,
        "topic": issue.topic,
        "date": issue.date.isoformat(),
        "window": {
            "since": issue.window.since.isoformat() if issue.window.since else None,
            "until": issue.window.until.isoformat() if issue.window.until else None,
        },
        "intro": list(issue.intro),
        "sections": sections,
        "notes": notes,
        "outlook_heading": issue.outlook_heading,
        "outlook": list(issue.outlook),
        "sources": [{"title": s.title, "url": s.link} for s in issue.sources],
        "numbers": [{"key": line.key, "title": line.title, "text": line.text} for line in issue.numbers],
        "item_count": issue.item_count,
    }


def _row(ranked: Ranked, explain: bool) -> list[str]:
    item = ranked.item
    row = [
        item.date.isoformat(),
        ", ".join(item.themes),
        item.title,
        ", ".join(item.entities),
        item.amount.short() if item.amount else "",
        f"{ranked.score.total:.2f}",
    ]
    if explain:
        row += [f"{value:.2f}" for value in ranked.score.parts().values()]
        row.append("pinned" if ranked.score.pinned else "")
    return row


def _header(explain: bool) -> list[str]:
    header = ["date", "themes", "title", "entities", "amount", "score"]
    return [*header, *PART_NAMES, "pin"] if explain else header


def to_csv(ranked: Sequence[Ranked], explain: bool = False) -> str:
    """CSV with a header row, plus the id and file position of each item."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *_header(explain), "path", "line"])
    for r in ranked:
        writer.writerow([r.item.id, *_row(r, explain), r.item.path, r.item.line])
    return out.getvalue()


def to_markdown_table(ranked: Sequence[Ranked], explain: bool = False) -> str:
    """A Markdown (GFM) table, ready to paste into a post."""
    header = [name.capitalize() for name in _header(explain)]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for r in ranked:
        lines.append("| " + " | ".join(escape_markdown(cell) for cell in _row(r, explain)) + " |")
    return "\n".join(lines) + "\n"


def to_plain_table(ranked: Sequence[Ranked], explain: bool = False, encoding: str = "utf-8") -> str:
    """Aligned columns without colour or borders: for pipes, grep and cut."""
    rows = [[name.upper() for name in _header(explain)], *(_row(r, explain) for r in ranked)]
    return plain_columns(rows, encoding)


def plain_columns(rows: Sequence[Sequence[str]], encoding: str = "utf-8") -> str:
    """Left-aligned columns separated by two spaces, no trailing blanks; cells in what `encoding` holds."""
    from pulse.render.encoding import fit_encoding, holds_all

    if not holds_all(encoding):
        rows = [[fit_encoding(cell, encoding) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def item_fields(item: Item, themes: ThemeRegistry) -> list[tuple[str, str]]:
    """The fields `pulse show` prints, as (label, text); empty fields are left out."""
    fields = [
        ("id", item.id),
        ("title", item.title),
        ("date", item.date.isoformat()),
        ("themes", ", ".join(f"{key} ({themes[key].title})" if themes.resolve(key) else key for key in item.themes)),
        ("summary", item.summary or ""),
        ("entities", ", ".join(item.entities)),
        ("label", item.label or ""),
        ("amount", str(item.amount) if item.amount else ""),
        ("valuation", str(item.valuation) if item.valuation else ""),
        ("round", item.round or ""),
        ("region", item.region or ""),
        ("sector", item.sector or ""),
        ("importance", str(item.importance)),
        ("tags", ", ".join(item.tags)),
        ("pin", "yes" if item.pin else ""),
        ("boost", f"{item.boost:g}" if item.boost else ""),
        ("prose", "yes (told in the section's editorial text)" if item.prose else ""),
    ]
    return [(label, value) for label, value in fields if value]


def source_lines(item: Item) -> list[str]:
    """ "1. Title <url>" per source."""
    lines = []
    for number, source in enumerate(item.sources, 1):
        if source.title and source.link:
            lines.append(f"{number}. {source.title} <{source.link}>")
        else:
            lines.append(f"{number}. {source.label}")
    return lines


def to_plain_item(item: Item, themes: ThemeRegistry) -> str:
    """`pulse show` without a terminal: one `label: value` line per field."""
    fields = item_fields(item, themes)
    sources = source_lines(item)
    width = max(len(label) for label, _ in [*fields, ("sources", "")]) + 1
    lines = [f"{label + ':':<{width}} {value}" for label, value in fields]
    for index, line in enumerate(sources):
        lines.append(f"{'sources:' if index == 0 else '':<{width}} {line}")
    lines.append(f"{'file:':<{width}} {item.path}:{item.line}")
    return "\n".join(lines) + "\n"


def theme_rows(counts: Sequence[ThemeCount]) -> list[list[str]]:
    """`pulse themes` as rows, with a header row."""
    rows = [["KEY", "TITLE", "ALIASES", "ITEMS", "LATEST", "DESCRIPTION"]]
    for c in counts:
        latest = c.latest.isoformat() if c.latest else "-"
        rows.append([c.key, c.title, ", ".join(c.aliases), str(c.count), latest, c.description])
    return rows


def themes_json(counts: Sequence[ThemeCount]) -> str:
    """`pulse themes --format json`."""
    data = [
        {
            "key": c.key,
            "title": c.title,
            "description": c.description or None,
            "aliases": list(c.aliases),
            "items": c.count,
            "latest": c.latest.isoformat() if c.latest else None,
        }
        for c in counts
    ]
    return json_text(data)


def issue_rows(issues: Sequence[IssueInfo]) -> list[list[str]]:
    """`pulse issues` as rows, with a header row."""
    rows = [["DATE", "WEEK", "TITLE", "SINCE", "UNTIL", "ITEMS"]]
    for i in issues:
        rows.append([i.date.isoformat(), i.week, i.title, i.since.isoformat(), i.until.isoformat(), str(i.items)])
    return rows


def issues_json(issues: Sequence[IssueInfo]) -> str:
    """`pulse issues --format json`: exactly date, week, title, since, until and items."""
    return json_text(
        [
            {
                "date": i.date.isoformat(),
                "week": i.week,
                "title": i.title,
                "since": i.since.isoformat(),
                "until": i.until.isoformat(),
                "items": i.items,
            }
            for i in issues
        ]
    )


def _number(value: Decimal | float) -> int | float:
    return int(value) if value == int(value) else float(value)


def trend_value(value: float, trends: Trends) -> str:
    """A metric value as shown: a count, or money in the trends' currency ("$4.3B")."""
    if trends.metric is Metric.items:
        return f"{value:g}"
    return Money(Decimal(str(value)), trends.currency).short() if value else "0"


def _signed(value: float, trends: Trends) -> str:
    shown = trend_value(abs(value), trends)
    return f"+{shown}" if value > 0 else f"-{shown}" if value < 0 else "0"


def trend_rows(trends: Trends) -> list[list[str]]:
    """One row per key: key, sparkline, total, last week, change, momentum with its arrow."""
    rows = [["KEY", "WEEKS", "TOTAL", "LAST", "CHANGE", "MOMENTUM"]]
    for t in trends.keys:
        rows.append(
            [
                t.key,
                sparkline(t.series),
                ("≈ " if trends.approximate and t.total and trends.metric is Metric.money else "")
                + trend_value(t.total, trends),
                trend_value(t.series[-1], trends),
                _signed(t.change, trends),
                f"{t.arrow} {_signed(t.momentum, trends)}",
            ]
        )
    return rows


def trends_json(trends: Trends) -> str:
    """The weekly rows and the per-key summary as JSON."""
    data = {
        "weeks": list(trends.weeks),
        "by": trends.by.value,
        "metric": trends.metric.value,
        "currency": trends.currency,
        "approximate": trends.approximate,
        "k": trends.k,
        "rows": [
            {
                "week": row.week,
                "key": row.key,
                "count": row.count,
                "amounts": {code: _number(value) for code, value in row.amounts.items()},
                "mean_importance": row.mean_importance,
            }
            for row in trends.rows
        ],
        "summary": [
            {
                "key": t.key,
                "series": [_number(v) for v in t.series],
                "total": _number(t.total),
                "recent": _number(t.recent),
                "earlier": _number(t.earlier),
                "change": _number(t.change),
                "momentum": _number(t.momentum),
                "trend": {"↑": "rising", "↓": "falling", "→": "flat"}[t.arrow],
                "amounts": {code: _number(value) for code, value in t.amounts.items()},
            }
            for t in trends.keys
        ],
    }
    return json_text(data)


def trends_csv(trends: Trends) -> str:
    """The weekly rows as CSV, one column per currency seen."""
    currencies = sorted({code for row in trends.rows for code in row.amounts})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["week", "key", "count", *(f"amount_{code}" for code in currencies), "mean_importance"])
    for row in trends.rows:
        amounts = [str(_number(row.amounts[code])) if code in row.amounts else "0" for code in currencies]
        mean = "" if row.mean_importance is None else f"{row.mean_importance:g}"
        writer.writerow([row.week, row.key, row.count, *amounts, mean])
    return out.getvalue()


def trends_markdown(trends: Trends) -> str:
    """The per-key table in Markdown, ready for a post."""
    rows = trend_rows(trends)
    header = [trends.by.value.capitalize(), f"{trends.weeks[0]} to {trends.weeks[-1]}", "Total", "Last week"]
    header += ["Change", f"Momentum ({trends.k} weeks)"]
    lines = ["| " + " | ".join(header) + " |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    lines += ["| " + " | ".join(escape_markdown(cell) for cell in row) + " |" for row in rows[1:]]
    return "\n".join(lines) + "\n"
