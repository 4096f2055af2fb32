"""The choices the command line offers, in a module light enough for `pulse --help` to import."""

from __future__ import annotations

from enum import Enum


class SortKey(str, Enum):
    """The orders `--sort` offers."""

    score = "score"
    date = "date"
    amount = "amount"
    editorial = "editorial"


class TrendKey(str, Enum):
    """What `pulse trends --by` groups items by."""

    theme = "theme"
    entity = "entity"
    sector = "sector"
    region = "region"
    tag = "tag"


class Metric(str, Enum):
    """What trend series, totals and momentum count."""

    items = "count"  # (`count` would shadow str.count)
    money = "amount"


MAX_WEEKS = 520
"""The most ISO weeks `pulse trends` shows (ten years): `--weeks` and a `--since`/`--until` range alike."""
