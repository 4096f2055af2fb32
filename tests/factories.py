"""Small builders for model objects in tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pulse.model import Item, Source
from pulse.model.money import parse_money


def make_item(item_id: str = "x", **fields: Any) -> Item:
    """An Item with sensible defaults; money may be given as text ("$1B")."""
    for name in ("amount", "valuation"):
        if isinstance(fields.get(name), str):
            fields[name] = parse_money(fields[name])
    if isinstance(fields.get("date"), str):
        fields["date"] = dt.date.fromisoformat(fields["date"])
    if "sources" in fields:
        fields["sources"] = tuple(Source(url=url) for url in fields["sources"])
    for name in ("themes", "entities", "tags"):
        if name in fields:
            fields[name] = tuple(fields[name])
    defaults: dict[str, Any] = {"title": item_id.title(), "date": dt.date(2026, 3, 16), "themes": ("funding",)}
    return Item(id=item_id, **{**defaults, **fields})
