"""Themes: the registry a project knows, and the built-in themes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pulse.errors import did_you_mean


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme of the registry: `funding`, `hardware`, ... or a project's own."""

    key: str
    title: str
    description: str = ""
    order: int = 0
    color: str = "white"
    aliases: tuple[str, ...] = ()


class ThemeRegistry:
    """The themes a project knows, in order, looked up by key or alias."""

    def __init__(self, themes: list[Theme]) -> None:
        self._themes = sorted(themes, key=lambda theme: (theme.order, theme.key))
        self._by_name: dict[str, Theme] = {}
        for theme in self._themes:
            self._by_name[theme.key.lower()] = theme
            for alias in theme.aliases:
                self._by_name[alias.lower()] = theme

    def __iter__(self) -> Iterator[Theme]:
        return iter(self._themes)

    def __len__(self) -> int:
        return len(self._themes)

    def resolve(self, name: str) -> Theme | None:
        """The theme a key or alias names (case-insensitive), or None."""
        return self._by_name.get(name.strip().lower())

    def __getitem__(self, key: str) -> Theme:
        theme = self.resolve(key)
        if theme is None:
            raise KeyError(key)
        return theme

    def unknown(self, name: str) -> str:
        """The message for a name that is no theme: "unknown theme 'fundng' (did you mean 'funding'?)"."""
        hint = did_you_mean(name.strip().lower(), self.names()) or f" (known themes: {', '.join(self.keys())})"
        return f"unknown theme '{name}'{hint}"

    def names(self) -> list[str]:
        """Every key and alias, for suggestions."""
        return list(self._by_name)

    def keys(self) -> list[str]:
        """The theme keys in order."""
        return [theme.key for theme in self._themes]


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
