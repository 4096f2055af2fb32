"""How much each part of an item's score counts (the `ranking:` settings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Weights:
    """How much each part counts; `ranking:` in pulse.yaml overrides these defaults."""

    importance: float = 1.0
    recency: float = 1.0
    half_life_days: float = 7.0
    money: float = 0.5
    sources: float = 0.25
    boost: float = 1.0
    themes: Mapping[str, float] = field(default_factory=dict)
