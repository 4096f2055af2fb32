"""Reading the inbox back: the undecided stories as the JSON contract has them, and what each rule matches."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pulse.ingest.inbox import Inbox, StoredEntry, Story
from pulse.ingest.settings import IngestSettings, Rule


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def list_stories(
    settings: IngestSettings, *, themes: Sequence[str] = (), search: str | None = None, include_all: bool = False
) -> list[Story]:
    """Undecided stories (every story with `include_all`), newest first, filtered by theme and words."""
    if not settings.inbox_path.exists():
        return []
    states = ("undecided", "accepted", "rejected") if include_all else ("undecided",)
    with Inbox(settings.inbox_path) as inbox:
        stories = inbox.stories(states=states, include_covered=include_all)
    if themes:
        stories = [s for s in stories if any(t in e.themes for e in s.entries for t in themes)]
    if search:
        needed = _fold(search).split()
        stories = [
            s
            for s in stories
            if all(any(w in _fold(f"{e.title} {e.summary} {' '.join(e.entities)}") for e in s.entries) for w in needed)
        ]
    return stories


def story_json(story: Story) -> dict[str, object]:
    """One story as `pulse inbox --format json` has it."""
    lead = story.lead
    themes = list(dict.fromkeys(theme for entry in story.entries for theme in entry.themes))
    entities = list(dict.fromkeys(name for entry in story.entries for name in entry.entities))
    amount = next((entry.amount for entry in story.entries if entry.amount is not None), None)
    return {
        "id": story.id,
        "title": lead.title,
        "summary": lead.summary,
        "date": story.date[:10],
        "themes": themes,
        "entities": entities,
        "amount": amount.as_json() if amount else None,
        "covered_by": story.covered_by,
        "entries": [_entry_json(entry) for entry in story.entries],
    }


def _entry_json(entry: StoredEntry) -> dict[str, object]:
    return {
        "source": entry.source,
        "guid": entry.guid,
        "url": entry.url,
        "title": entry.title,
        "summary": entry.summary,
        "date": entry.published[:10],
    }


@dataclass(frozen=True)
class RuleMatches:
    rule: Rule
    stories: tuple[tuple[str, str], ...]  # (story id, title) of every inbox entry the rule matches


def rule_matches(settings: IngestSettings) -> list[RuleMatches]:
    """For every rule, the entries of the inbox (any state) whose title or summary it matches."""
    stories = list_stories(settings, include_all=True) if settings.rules else []
    report = []
    for rule in settings.rules:
        hits = tuple(
            (story.id, entry.title)
            for story in stories
            for entry in story.entries
            if rule.pattern.search(f"{entry.title}\n{entry.summary}")
        )
        report.append(RuleMatches(rule, hits))
    return report
