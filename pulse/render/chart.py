"""Trend charts as SVG or PNG with matplotlib, an optional extra: the only matplotlib user.

The same data gives the same file: text stays text in SVG (no embedded glyphs), the
SVG ids are salted with a constant, and the date and software metadata are fixed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from pulse.core.kinds import Metric
from pulse.core.trends import Trends
from pulse.errors import PulseError

CHART_FORMATS = ("svg", "png")
MAX_LINES = 8


def render_chart(trends: Trends, chart_format: str, colours: Mapping[str, str]) -> bytes:
    """The weekly series of the first keys (at most 8) as a line chart."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise PulseError("charts need matplotlib: pip install 'pulse[charts]'") from None
    style: Any = {
        "svg.hashsalt": "pulse",
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(style):
        figure = Figure(figsize=(8, 4.2), dpi=100)
        axes = figure.add_subplot()
        weeks = range(len(trends.weeks))
        for n, trend in enumerate(trends.keys[:MAX_LINES]):
            colour = colours.get(trend.key, f"C{n}")
            axes.plot(weeks, trend.series, label=trend.key, color=colour, marker="o", linewidth=2)
        axes.set_xticks(list(weeks), labels=list(trends.weeks), rotation=45, ha="right", fontsize=8)
        unit = "items" if trends.metric is Metric.items else f"amount ({trends.currency})"
        axes.set_ylabel(f"{unit} per week")
        axes.set_title(f"By {trends.by.value}, {trends.weeks[0]} to {trends.weeks[-1]}", loc="left")
        axes.set_ylim(bottom=0)
        if trends.keys:
            axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        figure.tight_layout()
        buffer = io.BytesIO()
        metadata = {"Date": None, "Creator": "pulse"} if chart_format == "svg" else {"Software": "pulse"}
        figure.savefig(buffer, format=chart_format, metadata=metadata)
    return buffer.getvalue()
