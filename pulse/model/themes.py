"""The built-in theme registry."""

from __future__ import annotations

from pulse.model import Theme, ThemeRegistry

BUILTIN_THEMES = (
    Theme(
        key="funding",
        title="Funding & Deals",
        description="Funding rounds, valuations and strategic deals for model labs and infrastructure.",
        order=10,
        color="green",
    ),
    Theme(
        key="hardware",
        title="Hardware & Infrastructure",
        description="Chips, data centres, cloud capacity and the compute buildout.",
        order=20,
        color="cyan",
    ),
    Theme(
        key="edge",
        title="Edge & On-Device AI",
        description="Models that run locally: phones, browsers, wearables and embedded systems.",
        order=30,
        color="magenta",
    ),
    Theme(
        key="sector",
        title="Sector M&A",
        description="Sector-specific deployments, mergers, acquisitions and investments.",
        order=40,
        color="yellow",
        aliases=("mna", "m&a"),
    ),
    Theme(
        key="safety",
        title="Safety & Governance",
        description="Safety, trust, security and regulation of AI systems.",
        order=50,
        color="red",
    ),
)


def builtin_registry() -> ThemeRegistry:
    """A registry holding only the built-in themes."""
    return ThemeRegistry(list(BUILTIN_THEMES))


CSS_COLOURS = {
    "black": "#111827",
    "red": "#b91c1c",
    "green": "#15803d",
    "yellow": "#a16207",
    "blue": "#1d4ed8",
    "magenta": "#a21caf",
    "cyan": "#0e7490",
    "white": "#6b7280",
}


def css_colour(name: str) -> str:
    """A theme colour for HTML and charts: a terminal colour name as a readable hex, or #rrggbb as it is."""
    if name.startswith("#"):
        return name
    return CSS_COLOURS.get(name.removeprefix("bright_"), CSS_COLOURS["black"])
