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
