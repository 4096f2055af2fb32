"""Compose an issue: pick its window and editorial frame, group items into sections, in order (pure)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pulse.core.issues import digest_window, framing
from pulse.core.kinds import SortKey
from pulse.core.rank import Ranked, rank_items, reference_date
from pulse.core.select import Selection, Window, matches
from pulse.core.trends import ThemeNumbers, theme_numbers
from pulse.errors import plural
from pulse.model import Digest, Item, MarkdownText, Note, SectionText, Source, ThemeRegistry
from pulse.model.dates import iso_week, week_bounds
from pulse.model.money import Money, amount_spans
from pulse.model.rates import Rates, Total
from pulse.model.weights import Weights

SECTOR_THEME = "sector"
"""Items of this theme are grouped into one bullet per sector, led by the sector's name."""


@dataclass(frozen=True)
class Span:
    """A run of item text; `style` is "" (plain), "strong" (a lead-in or entity) or "money"."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class Bullet:
    """One bullet of a section: styled text made from one item, or from several of one sector."""

    spans: tuple[Span, ...]
    items: tuple[Ranked, ...]


@dataclass(frozen=True)
class Section:
    """A theme's part of the issue."""

    key: str
    heading: str | None  # None: the section runs on under the previous heading
    color: str
    intro: tuple[str, ...]
    bullets: tuple[Bullet, ...]
    outro: tuple[str, ...]
    items: tuple[Ranked, ...]  # every item of the section, bulleted or told in the prose
    kind: str = "section"


@dataclass(frozen=True)
class NoteBlock:
    """An editorial section that is not a theme."""

    heading: str
    body: tuple[str, ...]
    lead: str | None
    bullets: tuple[str, ...]
    after: str | None = None  # the theme whose section it follows
    kind: str = "note"


@dataclass(frozen=True)
class NumbersLine:
    """A line of "In numbers": a theme's count and money in this issue against the weeks before."""

    key: str
    title: MarkdownText
    color: str
    text: str


@dataclass(frozen=True)
class Issue:
    """Everything a renderer needs, in the order it is shown."""

    name: str
    title: str
    topic: str | None
    date: dt.date
    window: Window
    intro: tuple[str, ...]
    blocks: tuple[Section | NoteBlock, ...]
    outlook_heading: str
    outlook: tuple[str, ...]
    sources: tuple[Source, ...]
    tags: tuple[str, ...] = field(default=())  # the themes present, for front matter
    editorial: bool = False
    numbers: tuple[NumbersLine, ...] = ()

    @property
    def sections(self) -> tuple[Section, ...]:
        """The theme sections, without the notes."""
        return tuple(block for block in self.blocks if isinstance(block, Section))

    @property
    def notes(self) -> tuple[NoteBlock, ...]:
        """The editorial sections that are not a theme."""
        return tuple(block for block in self.blocks if isinstance(block, NoteBlock))

    @property
    def item_count(self) -> int:
        """How many items the issue holds."""
        return sum(len(section.items) for section in self.sections)


def paragraphs(text: str | None) -> tuple[MarkdownText, ...]:
    """Editorial text split on blank lines, each paragraph on one line."""
    if not text:
        return ()
    parts = re.split(r"\n\s*\n", text.strip())
    return tuple(MarkdownText(" ".join(part.split())) for part in parts if part.strip())


def _editorial(text: str | None) -> MarkdownText | None:
    return None if text is None else MarkdownText(text)


def pick_issue(digests: Sequence[Digest], items: Sequence[Item], window: Window) -> tuple[Digest | None, Window]:
    """The editorial block and window of the issue to render.

    With no window asked for, the newest digest block and its own window; without
    any block, the ISO week of the newest item. With a window, the block that frames
    it (see pulse.core.issues): the window stays the one asked for.
    """
    if window.since is None and window.until is None:
        if digests:
            newest = max(digests, key=lambda d: d.date)
            return newest, digest_window(newest)
        if not items:
            return None, window
        return None, Window(*week_bounds(max(item.date for item in items)))
    return framing(digests, window), window


def build_issue(
    items: Sequence[Item],
    digests: Sequence[Digest],
    selection: Selection,
    themes: ThemeRegistry,
    weights: Weights,
    *,
    name: str,
    sort: SortKey | None = None,
    top: int | None = None,
    issue: Digest | None = None,
) -> Issue:
    """Pick the issue (its editorial block and window, or `issue` as it was framed) and compose it."""
    digest, window = (issue, digest_window(issue)) if issue else pick_issue(digests, items, selection.window)
    chosen = replace(selection, window=window)
    return compose_issue(items, digest, chosen, themes, weights, name=name, sort=sort, top=top)


def compose_issue(
    items: Sequence[Item],
    digest: Digest | None,
    selection: Selection,
    themes: ThemeRegistry,
    weights: Weights,
    *,
    name: str,
    sort: SortKey | None = None,
    top: int | None = None,
) -> Issue:
    """Select the window's items, group them by first theme, rank them and place the editorial parts."""
    window = selection.window
    chosen = [item for item in items if matches(item, selection)]
    reference = reference_date(chosen, window.until)
    order = sort or (SortKey.editorial if digest else SortKey.score)
    by_theme: dict[str, list[Item]] = {}
    for item in chosen:
        by_theme.setdefault(item.theme, []).append(item)
    sections: list[Section] = []
    for theme in themes:
        if theme.key not in by_theme:
            continue
        ranked = rank_items(by_theme[theme.key], weights, reference, order, rates=selection.rates)
        text = digest.sections.get(theme.key, SectionText()) if digest else SectionText()
        bulleted = [r for r in ranked if not r.item.prose][:top]
        told = [r for r in ranked if r.item.prose]
        sections.append(
            Section(
                key=theme.key,
                heading=MarkdownText(text.heading or theme.title),
                color=theme.color,
                intro=paragraphs(text.intro),
                bullets=tuple(_bullets(bulleted, selection.rates, group_by_sector=theme.key == SECTOR_THEME)),
                outro=paragraphs(text.outro),
                items=tuple(bulleted + told),
            )
        )
    blocks = _run_on(_place_notes(sections, digest.notes if digest else (), themes), digest)
    numbers: tuple[NumbersLine, ...] = ()
    if digest and digest.trends:
        unwindowed = replace(selection, window=Window())
        eligible = [item for item in items if matches(item, unwindowed)]
        keys = [theme.key for theme in themes if not selection.themes or theme.key in selection.themes]
        numbers = _numbers(theme_numbers(eligible, keys, window, selection.rates), themes)
    issue_date = digest.date if digest else (window.until or reference)
    return Issue(
        name=MarkdownText(name),
        title=MarkdownText(digest.title if digest else _window_title(window)),
        topic=_editorial(digest.topic) if digest else None,
        date=issue_date,
        window=window,
        intro=paragraphs(digest.intro) if digest else (),
        blocks=tuple(blocks),
        outlook_heading=MarkdownText(digest.outlook_heading if digest else "Future Outlook"),
        outlook=paragraphs(digest.outlook) if digest else (),
        sources=_distinct_sources(r.item for s in sections for r in s.items),
        tags=tuple(s.key for s in sections),
        editorial=digest is not None,
        numbers=numbers,
    )


def _run_on(blocks: list[Section | NoteBlock], digest: Digest | None) -> list[Section | NoteBlock]:
    """`heading: null` runs a section on under the previous section of the block's editorial order
    only when that section is printed just before it; otherwise the section keeps its heading."""
    if digest is None:
        return blocks
    order = list(digest.sections)
    out: list[Section | NoteBlock] = []
    for block in blocks:
        text = digest.sections.get(block.key) if isinstance(block, Section) else None
        before = out[-1] if out else None
        run_on = (
            isinstance(block, Section)
            and text is not None
            and not text.show_heading
            and isinstance(before, Section)
            and order.index(block.key) > 0
            and before.key == order[order.index(block.key) - 1]
        )
        out.append(replace(block, heading=None) if run_on and isinstance(block, Section) else block)
    return out


def _numbers(lines: Sequence[ThemeNumbers], themes: ThemeRegistry) -> tuple[NumbersLine, ...]:
    """ "6 items, $3 billion in 2 weeks: 3 items, $1.5 billion a week (the 4 weeks before: about 1 item a week)"."""
    out = []
    for line in lines:
        text = _count_and_money(plural(line.count, "item"), line.amounts)
        if line.days > 7:
            span = f"{line.days // 7} weeks" if line.days % 7 == 0 else f"{line.days} days"
            text += f" in {span}: {_per_week(line.count, line.amounts, Decimal(line.days) / 7)} a week"
        if line.count_before == 0:
            text += f" (the {line.weeks_before} weeks before: none)"
        elif line.count_before is not None:
            earlier = _per_week(line.count_before, line.amounts_before, Decimal(line.weeks_before))
            text += f" (the {line.weeks_before} weeks before: {earlier} a week)"
        theme = themes[line.key]
        out.append(NumbersLine(line.key, MarkdownText(theme.title), theme.color, text))
    return tuple(out)


def _count_and_money(count: str, total: Total) -> str:
    return f"{count}, {total}" if total.money else count


def _per_week(count: int, total: Total, weeks: Decimal) -> str:
    """A weekly rate in whole counts, said in words: "3 items", "about 2 items", "less than 1 item"."""
    rate = Decimal(count) / weeks
    if rate == rate.to_integral_value():
        words = plural(int(rate), "item")
    elif rate < 1:
        words = "less than 1 item"
    else:
        words = f"about {plural(int(rate + Decimal('0.5')), 'item')}"
    money = Total(Money(total.money.value / weeks, total.money.currency), total.approximate) if total.money else total
    return _count_and_money(words, money)


def _window_title(window: Window) -> str:
    since, until = window.since, window.until
    if since and until and (since, until) == week_bounds(since):
        return f"Week {iso_week(since)}"
    if since and until:
        return f"{long_date(since)} to {long_date(until)}"
    return f"Up to {long_date(until)}" if until else "All items"


def long_date(day: dt.date) -> str:
    """ "Mar 16, 2026", as the article writes its date."""
    return f"{day:%b} {day.day}, {day.year}"


def _place_notes(sections: list[Section], notes: Sequence[Note], themes: ThemeRegistry) -> list[Section | NoteBlock]:
    """Sections in theme order, each note after the section of its `after` theme (or at the end)."""
    position = {theme.key: index for index, theme in enumerate(themes)}
    keyed: list[tuple[float, int, Section | NoteBlock]] = []
    for index, section in enumerate(sections):
        keyed.append((position[section.key], index, section))
    for index, note in enumerate(notes):
        where = position.get(note.after, len(position)) if note.after else len(position)
        block = NoteBlock(
            MarkdownText(note.heading),
            paragraphs(note.body),
            _editorial(note.lead),
            tuple(MarkdownText(b) for b in note.bullets),
            note.after,
        )
        keyed.append((where + 0.5, index, block))
    return [block for _, _, block in sorted(keyed, key=lambda k: (k[0], k[1]))]


def _bullets(ranked: Sequence[Ranked], rates: Rates, *, group_by_sector: bool) -> list[Bullet]:
    if not group_by_sector:
        return [Bullet(item_spans(r.item, rates), (r,)) for r in ranked]
    groups: dict[str, list[Ranked]] = {}
    bullets: list[Bullet | str] = []
    for r in ranked:
        if r.item.sector is None:
            bullets.append(Bullet(item_spans(r.item, rates), (r,)))
        elif r.item.sector not in groups:
            groups[r.item.sector] = [r]
            bullets.append(r.item.sector)
        else:
            groups[r.item.sector].append(r)
    return [b if isinstance(b, Bullet) else _sector_bullet(b, groups[b], rates) for b in bullets]


def _sector_bullet(sector: str, members: list[Ranked], rates: Rates) -> Bullet:
    spans: list[Span] = [Span(f"{sector}:", "strong")]
    for r in members:
        spans.append(Span(" "))
        spans.extend(_money_spans(r.item.summary or r.item.title, r.item, rates))
    return Bullet(tuple(spans), tuple(members))


def item_spans(item: Item, rates: Rates) -> tuple[Span, ...]:
    """An item's bullet text: the label (or an entity it names) in bold, the money highlighted.

    An entity is bolded where the text names it as a whole word (never `**Intel**ligence`);
    a text that names none of its entities is led by the first one, so that the bullet
    says who it is about.
    """
    text = item.summary or item.title
    lead = item.label or (item.entities[0] if item.entities and not _entity_at(text, item.entities) else None)
    if lead:
        return (Span(f"{lead}:", "strong"), Span(" "), *_money_spans(text, item, rates))
    found = _entity_at(text, item.entities)
    if found:
        start, end = found
        return (
            *_money_spans(text[:start], item, rates, append=False),
            Span(text[start:end], "strong"),
            *_money_spans(text[end:], item, rates, append=False),
            *_missing_money(text, item, rates),
        )
    return _money_spans(text, item, rates)


def _entity_at(text: str, entities: Sequence[str]) -> tuple[int, int] | None:
    """Where the text first names one of the entities (in their order) as whole words, any case."""
    for entity in entities:
        match = _whole_words(entity.strip()).search(text) if entity.strip() else None
        if match:
            return match.span()
    return None


@functools.lru_cache(maxsize=4096)
def _whole_words(text: str) -> re.Pattern[str]:
    """`text` as whole words, any case."""
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)


def _money_spans(text: str, item: Item, rates: Rates, *, append: bool = True) -> tuple[Span, ...]:
    """The text with the item's amount and valuation highlighted wherever it states them, in any spelling."""
    mine = {money for money in (item.amount, item.valuation) if money}
    spans: list[Span] = []
    last = 0
    for start, end, money in _amounts_in(text, rates.base) if mine else ():
        if money in mine:
            if start > last:
                spans.append(Span(text[last:start]))
            spans.append(Span(text[start:end], "money"))
            last = end
    if last < len(text):
        spans.append(Span(text[last:]))
    if append:
        spans.extend(_missing_money(text, item, rates))
    return tuple(spans)


@functools.lru_cache(maxsize=1024)
def _amounts_in(text: str, base: str) -> tuple[tuple[int, int, Money], ...]:
    """Where `text` states amounts (a bullet asks twice: to highlight them and to see whether its amount is there)."""
    return tuple(amount_spans(text, base))


def _missing_money(text: str, item: Item, rates: Rates) -> tuple[Span, ...]:
    """The amount, when the text does not already state it (whatever the spelling), and its converted value."""
    if item.amount is None:
        return ()
    stated = any(money == item.amount for _, _, money in _amounts_in(text, rates.base))
    beside = rates.beside(item.amount, item.date, stated=stated)
    if stated:
        return (Span(" ("), Span(beside, "money"), Span(")")) if beside else ()
    shown = [Span(" ("), Span(str(item.amount), "money")]
    if beside:
        shown += [Span(", "), Span(beside, "money")]
    return (*shown, Span(")"))


def _distinct_sources(items: Iterable[Item]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for item in items:
        for source in item.sources:
            seen.setdefault(source.url or source.label, source)
    return tuple(seen.values())
