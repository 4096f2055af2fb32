"""Grouping inbox entries into stories: transparent features, measured on a labelled set.

Two entries report the same story when they share their identity (guid) or canonical
link, or when what they say agrees closely enough:

- they were published within `NEAR_DAYS` days of each other (within `WINDOW_DAYS` when they name the
  same organisation and amount: a rumour and its confirmation, an analysis piece days later);
- nothing contradicts: no different amounts, no different funding rounds, no disjoint
  kinds of event (a funding round is not a chip launch, an export rule or a supply deal),
  no disjoint sets of organisations;
- and there is evidence: an organisation both name, plus the same amount, the same round,
  or the same kind of event with words in common; or, without shared names, many words in
  common.

Stories are the connected groups of these links, with one more guard: two groups never
merge when any entry of one contradicts any entry of the other (so one vague entry cannot
chain two different stories). Links are taken in a fixed order (strongest first, then by
entry), so the same entries give the same stories whatever order they were fetched in.
Grouping is incremental: new entries join stored stories or start their own; a decided
story keeps its id and never merges with another stored story.

Amounts are read here ("$1.1 BLN", "Rs 3,300 crore", "1,8 Mrd. Euro", hedged "nearly $2 billion" within 10%);
an ALL-CAPS entry names whatever it mentions that the other entry names. Only entries sharing a blocking key
(guid, link, or a word in at most 1% of entries) are compared, so 10,000 entries group in about a second.

Every feature is something a person can check; `explain` says which ones linked two
entries. tests/test_stories.py measures pairwise precision and recall on
tests/data/stories/labelled.yaml. Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pulse.ingest.features import Doc, Features, features, funding_round, name_key
from pulse.model import Item
from pulse.model.money import Money

WINDOW_DAYS = 7
"""Entries further apart than this are different stories (the same company's next round, say)."""
NEAR_DAYS = 3
"""Beyond this (up to `WINDOW_DAYS`) a link needs a shared organisation and the same amount: a rumour
and its confirmation, an analysis piece days later."""
SAME_AMOUNT = Decimal("0.03")
"""Amounts within 3% of each other are the same amount ($2bn and $1.98bn as two outlets round it)."""
HEDGED_AMOUNT = Decimal("0.10")
"""Within 10% when either is hedged ("nearly $2 billion", "about $1.9bn")."""
TEXT_WITH_NAME = 0.34
"""Words in common needed, with a shared organisation and the same kind of event, but no amount or round."""
TEXT_ALONE = 0.5
"""Words in common needed when the entries share no organisation."""
TEXT_WITH_NAMES = 0.25
"""Words in common needed when the entries share two organisations or more (a follow-up, an analysis piece)."""


@dataclass(frozen=True)
class Match:
    """Why two entries are, or are not, the same story."""

    linked: bool
    strength: float  # for ordering links: identity 3, else the evidence
    reasons: tuple[str, ...]
    conflict: str | None = None


def _same_amount(a: tuple[Decimal, str, bool], b: tuple[Decimal, str, bool]) -> bool:
    margin = HEDGED_AMOUNT if a[2] or b[2] else SAME_AMOUNT
    return a[1] == b[1] and abs(a[0] - b[0]) <= margin * max(a[0], b[0])


def _common_amount(a: Features, b: Features) -> tuple[Decimal, str, bool] | None:
    """An amount both entries mention (the largest), or None."""
    same = [x for x in a.amounts for y in b.amounts if _same_amount(x, y)]
    return max(same) if same else None


def _amounts_differ(a: Features, b: Features) -> bool:
    """Both mention amounts in one currency, and none of them agree."""
    currencies = {x[1] for x in a.amounts} & {y[1] for y in b.amounts}
    return bool(currencies) and _common_amount(a, b) is None


def shared_names(a: Features, b: Features) -> frozenset[str]:
    """Organisations both name; an ALL-CAPS entry names whatever it mentions that the other names."""
    shared = a.names & b.names
    if a.shouting:
        shared |= b.names & a.words
    if b.shouting:
        shared |= a.names & b.words
    return shared


def conflict(a: Features, b: Features) -> str | None:
    """What makes two entries different stories whatever else they share (None when nothing does)."""
    if abs(a.day - b.day) > WINDOW_DAYS:
        return f"{abs(a.day - b.day)} days apart (more than {WINDOW_DAYS})"
    if _amounts_differ(a, b):
        return f"different amounts ({_money(a)} and {_money(b)})"
    if a.round and b.round and a.round != b.round:
        return f"different rounds ({a.round} and {b.round})"
    if a.kinds and b.kinds and not a.kinds & b.kinds:
        return f"different events ({', '.join(sorted(a.kinds))} vs {', '.join(sorted(b.kinds))})"
    if a.names and b.names and not shared_names(a, b) and not (a.shouting or b.shouting):
        return f"different organisations ({', '.join(sorted(a.names)[:3])} vs {', '.join(sorted(b.names)[:3])})"
    return None


def _show(amount: tuple[Decimal, str, bool]) -> str:
    return str(Money(amount[0], amount[1]))


def _money(f: Features) -> str:
    return ", ".join(_show(x) for x in sorted(f.amounts, key=lambda x: (x[1], x[0]))) or "-"


def similarity(a: Features, b: Features) -> float:
    """Words in common: the overlap coefficient of the two entries' word sets (0..1)."""
    if not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / min(len(a.words), len(b.words))


def compare(a: Features, b: Features) -> Match:
    """Whether two entries are the same story, and why."""
    if a.doc.ident == b.doc.ident:
        return Match(True, 3.0, ("the same guid",))
    if a.doc.url is not None and a.doc.url == b.doc.url:
        return Match(True, 3.0, ("the same canonical link",))
    why = conflict(a, b)
    if why is not None:
        return Match(False, 0.0, (), why)
    gap = abs(a.day - b.day)
    shared = sorted(shared_names(a, b))
    text = similarity(a, b)
    reasons = [f"{gap} day{'s' if gap != 1 else ''} apart"]
    if shared:
        reasons.append("both name " + ", ".join(shared))
    common = _common_amount(a, b)
    if common:
        reasons.append(f"the same amount ({_show(common)})")
    same_round = bool(a.round and a.round == b.round)
    if same_round:
        reasons.append(f"the same round ({a.round})")
    kinds = sorted(a.kinds & b.kinds)
    if kinds:
        reasons.append("the same kind of event (" + ", ".join(kinds) + ")")
    reasons.append(f"words in common {text:.2f}")
    if gap > NEAR_DAYS:
        linked = bool(shared and common)
        if linked:
            reasons.append(f"more than {NEAR_DAYS} days apart, but the same organisation and amount")
    elif shared:
        linked = (bool(common) or same_round or (bool(kinds) and text >= TEXT_WITH_NAME) or text >= TEXT_ALONE
                  or (len(shared) > 1 and text >= TEXT_WITH_NAMES))  # fmt: skip
    else:
        linked = text >= TEXT_ALONE and not (a.names and b.names)
    strength = len(shared) * 0.5 + bool(common) + same_round * 0.5 + len(kinds) * 0.25 + text
    return Match(linked, round(strength, 6), tuple(reasons))


def explain(a: Doc, b: Doc) -> Match:
    return compare(features(a), features(b))


# Grouping ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    """An entry already in the inbox: its story, and whether that story is decided."""

    doc: Doc
    story: str
    decided: bool


def new_story_id(ident: str) -> str:
    """A short, stable id: the same first entry always gives the same story id."""
    return hashlib.sha1(ident.encode("utf-8")).hexdigest()[:10]


class _Groups:
    """Union-find over entries, each group remembering its members, stored stories and decided story."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, list[Features]] = {}
        self.stored: dict[str, set[str]] = {}
        self.decided: dict[str, str | None] = {}

    def add(self, f: Features, story: str | None = None, decided: bool = False) -> None:
        ident = f.doc.ident
        self.parent[ident] = ident
        self.members[ident] = [f]
        self.stored[ident] = {story} if story else set()
        self.decided[ident] = story if decided else None

    def find(self, ident: str) -> str:
        root = ident
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[ident] != root:
            self.parent[ident], ident = root, self.parent[ident]
        return root

    def union(self, a: str, b: str, check: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if check:
            if self.decided[ra] and (self.decided[rb] or self.stored[rb]):
                return False
            if self.decided[rb] and self.stored[ra]:
                return False
            if any(conflict(x, y) for x in self.members[ra] for y in self.members[rb]):
                return False
        if (min(m.doc.key for m in self.members[rb])) < min(m.doc.key for m in self.members[ra]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.stored[ra] |= self.stored.pop(rb)
        self.decided[ra] = self.decided[ra] or self.decided.pop(rb)
        return True


BLOCK_CAP = 50
"""Blocking: a word in more entries than this (or 1% of them, if more) is too common to make two entries candidates
("microsoft", "raises"); an entry whose words are all that common keeps its rarest one as a key."""


def _blocks(f: Features, frequency: Mapping[str, int], cap: int) -> set[str]:
    """Keys two entries must share one of to be compared at all: identity, link, or a word that is not too common.

    Every link needs one: the same guid or link, an organisation both name (names are words of both; an
    ALL-CAPS entry's too), or many words in common (which include rare ones).
    """
    keys = {"i:" + f.doc.ident}
    if f.doc.url:
        keys.add("u:" + f.doc.url)
    words = sorted(f.words | f.names, key=lambda word: (frequency[word], word))
    keys.update("w:" + word for index, word in enumerate(words) if index == 0 or frequency[word] <= cap)
    return keys


def assign(new: Sequence[Doc], stored: Sequence[Stored] = ()) -> dict[str, str]:
    """The story of every new entry, and of every stored entry whose undecided story merged into another.

    `stored` needs only the entries that could be linked to the new ones (those within
    `WINDOW_DAYS` of them); passing more is correct, only slower. Entries are compared only with those
    sharing a blocking key (`_blocks`) and published within `WINDOW_DAYS`; word frequencies for blocking
    are counted over `new` and `stored` together.
    """
    groups = _Groups()
    old = sorted(stored, key=lambda s: s.doc.key)
    known = {s.doc.ident for s in old}
    fresh = sorted({doc.ident: doc for doc in new if doc.ident not in known}.values(), key=lambda d: d.key)
    feats: dict[str, Features] = {s.doc.ident: features(s.doc) for s in old}
    feats.update((doc.ident, features(doc)) for doc in fresh)
    frequency: dict[str, int] = defaultdict(int)
    for f in feats.values():
        for word in f.words | f.names:
            frequency[word] += 1
    cap = max(BLOCK_CAP, len(feats) // 100)
    index: dict[str, list[str]] = defaultdict(list)
    by_story: dict[str, str] = {}
    for entry in old:
        f = feats[entry.doc.ident]
        groups.add(f, entry.story, entry.decided)
        if entry.story in by_story:
            groups.union(by_story[entry.story], entry.doc.ident, check=False)
        by_story.setdefault(entry.story, entry.doc.ident)
        for key in _blocks(f, frequency, cap):
            index[key].append(entry.doc.ident)
    links: list[tuple[float, tuple[dt.date, str], tuple[dt.date, str], str, str]] = []
    for doc in fresh:
        f = feats[doc.ident]
        groups.add(f)
        keys = _blocks(f, frequency, cap)
        candidates = {other for key in keys for other in index.get(key, ())}
        for other in sorted(candidates):
            g = feats[other]
            if abs(g.day - f.day) > WINDOW_DAYS:
                continue
            match = compare(f, g)
            if match.linked:
                first, second = sorted((doc.key, g.doc.key))
                links.append((-match.strength, first, second, first[1], second[1]))
        for key in keys:
            index[key].append(doc.ident)
    for *_, one, two in sorted(links):
        groups.union(one, two)
    result: dict[str, str] = {}
    stored_story = {s.doc.ident: s.story for s in old}
    roots: dict[str, str] = {}
    for ident in [*(s.doc.ident for s in old), *(d.ident for d in fresh)]:
        root = groups.find(ident)
        if root not in roots:
            roots[root] = _story_of(groups, root, stored)
        story = roots[root]
        if stored_story.get(ident) != story:
            result[ident] = story
    return result


def _story_of(groups: _Groups, root: str, stored: Sequence[Stored]) -> str:
    decided = groups.decided[root]
    if decided:
        return decided
    if groups.stored[root]:
        first: dict[str, tuple[dt.date, str]] = {}
        for s in stored:
            if s.story in groups.stored[root]:
                first[s.story] = min(first.get(s.story, s.doc.key), s.doc.key)
        return min(groups.stored[root], key=lambda story: (first[story], story))
    return new_story_id(min(m.doc.key for m in groups.members[root])[1])


def group(docs: Iterable[Doc]) -> list[list[str]]:
    """Entries grouped into stories from scratch: lists of idents, each in entry order, oldest story first."""
    docs = list(docs)
    stories: dict[str, list[Doc]] = defaultdict(list)
    assigned = assign(docs)
    for doc in docs:
        stories[assigned[doc.ident]].append(doc)
    ordered = sorted(stories.values(), key=lambda members: min(d.key for d in members))
    return [[d.ident for d in sorted(members, key=lambda d: d.key)] for members in ordered]


def pairwise(predicted: Iterable[Iterable[str]], truth: Mapping[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of a grouping against labels (ident -> true story)."""
    found = {(a, b) for members in predicted for a in members for b in members if a < b}
    by_label: dict[str, list[str]] = defaultdict(list)
    for ident, label in truth.items():
        by_label[label].append(ident)
    true = {(a, b) for members in by_label.values() for a in members for b in members if a < b}
    right = len(found & true)
    return (right / len(found) if found else 1.0, right / len(true) if true else 1.0)


# Already covered by the curated corpus ---------------------------------------------------------------------------


class Coverage:
    """Which curated item already tells a story: a shared canonical link, or the same organisations, amount and
    (within `WINDOW_DAYS`) date, with no different round."""

    def __init__(self, items: Sequence[Item], canonical: Callable[[str], str | None]) -> None:
        self.by_url: dict[str, str] = {}
        self.by_name: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            for source in item.sources:
                url = canonical(source.url) if source.url else None
                if url:
                    self.by_url.setdefault(url, item.id)
            for entity in item.entities:
                for part in entity.split():
                    key = name_key(part)
                    if key:
                        self.by_name[key].append(item)

    def covered_by(self, docs: Sequence[Doc]) -> str | None:
        for doc in sorted(docs, key=lambda d: d.key):
            if doc.url and doc.url in self.by_url:
                return self.by_url[doc.url]
        feats = [features(doc) for doc in docs]
        names = set().union(*(f.names for f in feats))
        amounts = [amount for f in feats for amount in f.amounts]
        rounds = {f.round for f in feats if f.round}
        first = min(f.day for f in feats)
        candidates = sorted({item.id: item for key in names for item in self.by_name.get(key, ())}.values(),
                            key=lambda item: (item.date, item.id))  # fmt: skip
        for item in candidates:
            if item.amount is None or abs(item.date.toordinal() - first) > WINDOW_DAYS:
                continue
            own = (item.amount.value, item.amount.currency, False)
            if not any(_same_amount(own, amount) for amount in amounts):
                continue
            if item.round and rounds and funding_round(item.round) not in rounds:
                continue
            return item.id
        return None
