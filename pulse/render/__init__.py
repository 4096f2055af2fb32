"""Renderers: each returns a string; writing it somewhere is the caller's job."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    """What the output terminal can do (light: deciding must not import rich)."""

    width: int = 100
    color: bool = True  # ANSI colours and styles
    links: bool = True  # OSC 8 hyperlinks
    terminal: bool = True  # a terminal: tables and the newsletter layout (else plain columns, Markdown)
    encoding: str = "utf-8"  # what the stream holds: plain columns degrade their cells to it before aligning
