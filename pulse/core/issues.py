"""Issues: a `digest:` block and its window; which block frames a window; what `pulse check` warns of (pure).

The framing rule: a block frames a requested window only when its own window
overlaps it; of several, the one with the largest overlap (in days), then the
latest (by date). The window shown is always the one asked for: a block never
pulls in items from outside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pulse.core.select import Window
from pulse.errors import DataError, Problem, UsageError
from pulse.model import Digest, Item, ThemeRegistry
from pulse.model.dates import iso_week

LATEST = "latest"
"""`--issue latest`: the newest issue."""


@dataclass(frozen=True)
class IssueInfo:
    """One issue of the corpus, as `pulse issues` lists it."""

    date: dt.date
    week: str
    title: str
    since: dt.date
    until: dt.date
    items: int


def digest_window(digest: Digest) -> Window:
    """A block's own window: its since/until, or the 7 days ending on its date."""
    return Window(*digest.window)


def overlap_days(a: Window, b: Window) -> int:
    """How many days two windows share (an open end reaches as far as dates go)."""
    since = max(a.since or dt.date.min, b.since or dt.date.min)
    until = min(a.until or dt.date.max, b.until or dt.date.max)
    return max((until - since).days + 1, 0)


def newest_first(digests: Sequence[Digest]) -> list[Digest]:
    """The blocks by date, newest first (dates are unique: `pulse check` refuses two on one day)."""
    return sorted(digests, key=lambda d: d.date, reverse=True)


def framing(digests: Sequence[Digest], window: Window) -> Digest | None:
    """The block that frames `window`: the largest overlap, then the latest; None when none overlaps."""
    best: tuple[int, dt.date] | None = None
    chosen = None
    for digest in digests:
        days = overlap_days(digest_window(digest), window)
        if days and (best is None or (days, digest.date) > best):
            best, chosen = (days, digest.date), digest
    return chosen


def find_issue(digests: Sequence[Digest], text: str) -> Digest:
    """The block dated `text` (an ISO date), or the newest for `latest`."""
    ordered = newest_first(digests)
    if not ordered:
        raise DataError("the corpus has no issues: no file has a digest: block")
    if text.strip().lower() == LATEST:
        return ordered[0]
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--issue '{text}' is not a date; give an issue's date (2026-03-16) or 'latest'") from None
    for digest in ordered:
        if digest.date == day:
            return digest
    nearest = sorted(ordered, key=lambda d: (abs((d.date - day).days), d.date))[:3]
    dates = ", ".join(str(d.date) for d in sorted(nearest, key=lambda d: d.date, reverse=True))
    raise DataError(f"no issue dated {day} (nearest: {dates}); `pulse issues` lists them all")


def list_issues(items: Sequence[Item], digests: Sequence[Digest]) -> list[IssueInfo]:
    """Every issue, newest first, with the number of items its window holds."""
    issues = []
    for digest in newest_first(digests):
        window = digest_window(digest)
        count = sum(1 for item in items if item.date in window)
        assert window.since is not None and window.until is not None
        issues.append(IssueInfo(digest.date, iso_week(digest.date), digest.title, window.since, window.until, count))
    return issues


def issue_warnings(items: Sequence[Item], digests: Sequence[Digest], themes: ThemeRegistry) -> list[Problem]:
    """What an editor would want to know before publishing, in file order.

    A section with editorial text that no item of the block's window fills (its
    heading and intro would never print), and an item of a block's window whose first
    theme has no section text in that block (its section prints with no intro).
    """
    warnings = []
    for digest in sorted(digests, key=lambda d: (d.path, d.line)):
        window = digest_window(digest)
        inside = [item for item in items if item.date in window]
        filled = {item.theme for item in inside}
        for key, text in digest.sections.items():
            if key not in filled and (text.heading or text.intro or text.outro):
                warnings.append(
                    Problem(
                        digest.path,
                        digest.line,
                        1,
                        f"warning: section '{key}' of the issue of {digest.date} has editorial text, but no item "
                        f"from {window} has '{key}' as its first theme, so it never prints; add one or remove the text",
                    )
                )
        for item in inside:
            if digest.sections and item.theme not in digest.sections:
                line, column = item.position("themes")
                title = themes[item.theme].title if themes.resolve(item.theme) else item.theme
                warnings.append(
                    Problem(
                        item.path,
                        line,
                        column,
                        f"warning: item '{item.id}' is in the issue of {digest.date} ({digest.path}:{digest.line}), "
                        f"which has no section text for its first theme '{item.theme}'; it prints under "
                        f"'{title}' with no intro; add sections: {item.theme}: to that block",
                    )
                )
    return sorted(warnings, key=lambda p: (p.path, p.line, p.column))
