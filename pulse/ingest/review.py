"""Reading the inbox back: stories with their fields and score, the JSON contract, and what each rule matches."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pulse.core.rank import MONEY_UNIT, Score
from pulse.ingest.features import features
from pulse.ingest.inbox import Inbox, StoredEntry, Story, as_doc
from pulse.ingest.settings import IngestSettings, Rule
from pulse.ingest.stories import Match
from pulse.model.money import Money
from pulse.model.text import fold
from pulse.model.weights import Weights
from pulse.reading.settings import Settings


def list_stories(
    settings: IngestSettings, *, themes: Sequence[str] = (), search: str | None = None, include_all: bool = False
) -> list[Story]:
    """Undecided, uncovered stories (every story with `include_all`), newest first, filtered by theme and words."""
    if not settings.inbox_path.exists():
        return []
    states = ("undecided", "accepted", "rejected") if include_all else ("undecided",)
    with Inbox(settings.inbox_path) as inbox:
        stories = inbox.stories(states=states, include_covered=include_all)
    if themes:
        stories = [s for s in stories if any(t in e.themes for e in s.entries for t in themes)]
    if search:
        needed = fold(search).split()
        stories = [
            s
            for s in stories
            if all(any(w in fold(f"{e.title} {e.summary} {' '.join(e.entities)}") for e in s.entries) for w in needed)
        ]
    return stories


@dataclass(frozen=True)
class StoryView:
    """A story's fields, drawn from its entries."""

    story: Story
    title: str
    summary: str
    date: str
    themes: tuple[str, ...]
    entities: tuple[str, ...]
    amount: Money | None
    sources: tuple[tuple[str, str], ...]  # (outlet name, canonical link), once each
    outlets: int


def _informative(entry: StoredEntry) -> tuple[float, ...]:
    """How much a title says: amount, round, names and words; shouting and scoops count less."""
    f = features(as_doc(entry))
    title = entry.title
    shouting = title.isupper()
    words = len([w for w in title.split() if len(w) > 2])
    return (
        (entry.amount is not None and any(ch.isdigit() for ch in title))
        + (f.round is not None)
        + min(len(f.names), 2)
        - shouting
        - title.lower().startswith("exclusive")
        + min(words, 10) / 10,
    )


def view(story: Story, rule_themes: Mapping[str, Sequence[str]] | None = None) -> StoryView:
    """The story's best title, a summary, earliest date, themes by support, entities, agreed amount, sources."""
    entries = story.entries  # oldest first
    best = max(entries, key=lambda e: (_informative(e), -entries.index(e)))
    summary = max((e.summary for e in entries), key=len) if any(e.summary for e in entries) else ""
    support: Counter[str] = Counter()
    order: dict[str, int] = {}
    for entry in entries:
        for theme in entry.themes:
            order.setdefault(theme, len(order))
            support[theme] += 1 + sum(theme in (rule_themes or {}).get(rule, ()) for rule in entry.rules)
    themes = tuple(sorted(support, key=lambda t: (-support[t], order[t])))
    named: Counter[str] = Counter(name for e in entries for name in dict.fromkeys(e.entities))
    first_named = {name: i for i, name in reversed(list(enumerate(n for e in entries for n in e.entities)))}
    entities = tuple(sorted(named, key=lambda n: (-named[n], first_named[n])))
    amounts = [e.amount for e in entries if e.amount is not None]
    votes = Counter((a.value, a.currency) for a in amounts)
    amount = max(amounts, key=lambda a: (votes[(a.value, a.currency)], -amounts.index(a))) if amounts else None
    sources: dict[str, str] = {}
    for entry in entries:
        if entry.url:
            sources.setdefault(entry.url, entry.outlet)
    return StoryView(
        story=story,
        title=best.title,
        summary=summary,
        date=story.date[:10],
        themes=themes,
        entities=entities,
        amount=amount,
        sources=tuple((outlet, url) for url, outlet in sources.items()),
        outlets=len({e.outlet for e in entries}),
    )


def score_story(story: StoryView, weights: Weights, reference: dt.date) -> Score:
    """The curated score's parts that a story has: outlets (as sources), amount, recency and theme weight."""
    age = max((reference - dt.date.fromisoformat(story.date)).days, 0)
    recency = 5 * 0.5 ** (age / weights.half_life_days) if weights.half_life_days > 0 else 0.0
    money = math.log10(1 + float(story.amount.value) / MONEY_UNIT) if story.amount else 0.0
    return Score(
        importance=0.0,
        recency=weights.recency * recency,
        money=weights.money * money,
        sources=weights.sources * story.outlets,
        theme=sum(weights.themes.get(theme, 0.0) for theme in story.themes[:1]),
        boost=0.0,
    )


def ranked(views: Sequence[StoryView], weights: Weights) -> list[tuple[StoryView, Score]]:
    """Stories by score, then newest, then id; recency counts from the newest story's date."""
    reference = max((dt.date.fromisoformat(v.date) for v in views), default=dt.date(1970, 1, 1))
    scored = [(v, score_story(v, weights, reference)) for v in views]
    scored.sort(key=lambda pair: pair[0].story.id)
    scored.sort(key=lambda pair: pair[0].date, reverse=True)
    scored.sort(key=lambda pair: pair[1].total, reverse=True)
    return scored


def story_json(story: Story, shown: StoryView | None = None) -> dict[str, object]:
    """One story as `pulse inbox --format json` has it."""
    shown = shown or view(story)
    return {
        "id": story.id,
        "title": shown.title,
        "summary": shown.summary,
        "date": shown.date,
        "themes": list(shown.themes),
        "entities": list(shown.entities),
        "amount": shown.amount.as_json() if shown.amount else None,
        "covered_by": story.covered_by,
        "entries": [_entry_json(entry) for entry in story.entries],
    }


def why_grouped(story: Story) -> list[tuple[StoredEntry, StoredEntry | None, Match | None]]:
    """For each entry after the first, the earlier entry it matches best and why (the story's links)."""
    from pulse.ingest.stories import compare

    feats = [features(as_doc(entry)) for entry in story.entries]
    result: list[tuple[StoredEntry, StoredEntry | None, Match | None]] = [(story.entries[0], None, None)]
    for index in range(1, len(feats)):
        matches = [(compare(feats[index], feats[other]), other) for other in range(index)]
        linked = [m for m in matches if m[0].linked] or matches
        match, other = max(linked, key=lambda m: (m[0].linked, m[0].strength, -m[1]))
        result.append((story.entries[index], story.entries[other], match))
    return result


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


def story_views(
    settings: Settings, *, themes: Sequence[str] = (), search: str | None = None, include_all: bool = False
) -> list[StoryView]:
    """The inbox's stories with their fields, filtered (theme names are resolved, an unknown one is a UsageError)."""
    from pulse.errors import UsageError
    from pulse.ingest.settings import read_ingest

    keys = []
    for name in themes:
        found = settings.themes.resolve(name)
        if found is None:
            raise UsageError(settings.themes.unknown(name))
        keys.append(found.key)
    ingest = read_ingest(settings)
    rule_themes = {rule.name: rule.themes for rule in ingest.rules}
    stories = list_stories(ingest, themes=keys, search=search, include_all=include_all)
    return [view(story, rule_themes) for story in stories]


def story_rows(scored: Sequence[tuple[StoryView, Score]], explain: bool = False) -> list[list[str]]:
    """The inbox table: one row per story (with --explain, each part of the score)."""
    parts = ["RECENCY", "MONEY", "OUTLETS", "THEME"] if explain else []
    rows = [["ID", "SCORE", *parts, "DATE", "SOURCES", "THEMES", "AMOUNT", "TITLE"]]
    for shown, score in scored:
        numbers = [f"{score.recency:.2f}", f"{score.money:.2f}", f"{score.sources:.2f}", f"{score.theme:.2f}"]
        state = "" if shown.story.state == "undecided" else f" [{shown.story.state}]"
        covered = f" [covered by {shown.story.covered_by}]" if shown.story.covered_by else ""
        amount = shown.amount.short() if shown.amount else ""
        title = shown.title + state + covered
        head = [shown.story.id, f"{score.total:.2f}", *(numbers if explain else []), shown.date]
        rows.append([*head, str(len(shown.story.entries)), ",".join(shown.themes), amount, title])
    return rows


def show_text(shown: StoryView, explain: bool = False) -> str:
    """One story in full, as `pulse inbox show` prints it."""
    story = shown.story
    lines = [f"story {story.id} ({story.state})", f"title: {shown.title}", f"date: {shown.date}"]
    if shown.summary:
        lines.append(f"summary: {shown.summary}")
    lines.append("themes: " + (", ".join(shown.themes) or "-"))
    lines.append("entities: " + (", ".join(shown.entities) or "-"))
    lines.append("amount: " + (str(shown.amount) if shown.amount else "-"))
    if story.covered_by:
        lines.append(f"covered by: {story.covered_by}")
    if story.item_id:
        lines.append(f"item: {story.item_id}")
    lines.append("sources:")
    lines.extend(f"  {outlet}: {url}" for outlet, url in shown.sources)
    lines.append("entries:")
    links = why_grouped(story) if explain else [(entry, None, None) for entry in story.entries]
    for entry, other, match in links:
        lines.append(f"  {entry.published[:10]}  {entry.outlet}: {entry.title}")
        if explain and other is None:
            lines.append("    the story's first entry")
        elif explain and other is not None and match is not None:
            verdict = (
                "; ".join(match.reasons)
                if match.linked
                else f"joined through other entries ({match.conflict or 'weak link'})"
            )
            lines.append(f'    with "{other.title}" ({other.outlet}): {verdict}')
    return "\n".join(lines) + "\n"
