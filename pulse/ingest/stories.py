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
import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pulse.model import Item
from pulse.model.money import Money, amount_spans
from pulse.model.text import fold

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

# Capitalised words that are not organisations: headline furniture, places, months, units.
_GENERIC_WORDS = """
a about after ai an and another as at back backed based billion bn breaking british brussels but by ceo
    chief china chinese coo cto ex europe european eu exclusive for france french from gb german germany gpu gw hbm
    hbm4 how in inc india ipo is it its japan last ltd london march million mn new next no nasdaq of on or our paris
    q1 q2 q3 q4 report reports series so sources startup tb texas that the their these this to uk us usa update
    washington we what when who why with world monday tuesday wednesday thursday friday saturday sunday january
    february april may june july august september october november december investors insurance robotics protein
    battery radiology healthcare humanoid legal cloud clinical swedish tokyo's elon british
    can will did does do should could would is are was has have ok another inside here why
    led over under worth plans says said after amid as
    bio therapeutics pharmaceuticals pharma systems energy global general company management research capital
    ventures venture partners labs technologies group holdings semiconductor semiconductors corp co
    commission county phase unit euro euros dollar dollars yen pound pounds rs mrd mio mln bln eur gbp usd jpy
    inr mw indian japanese american german chinese korean start-up us-start-up"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_WORD = re.compile(r"[^\W_][\w&'’.-]*", re.UNICODE)
_STOP_WORDS = """
a an and are as at be by for from has have in into is it its of on or that the their this to was were will
    with after over new more than about up out says said say per via us uk eu ai its it's who what which while
    this next last first one two three could would may might also"""
_STOP = frozenset(_STOP_WORDS.split())
_HEDGE = re.compile(
    r"(?:nearly|about|around|approximately|roughly|almost|some|up to|more than|over|close to|"
    r"equivalent of|valued at)\s*$",
    re.IGNORECASE,
)
_PER_SHARE = re.compile(r"^\s*(?:per|a|each)\s+share", re.IGNORECASE)
_ROUND = re.compile(r"\b(?:series\s+([a-h])\b|(pre-seed)\b|(seed)\b)", re.IGNORECASE)
KINDS: dict[str, tuple[str, ...]] = {
    "funding": ("raise", "raises", "raised", "raising", "secure", "secures", "secured", "round", "series", "seed",
                "funding", "lands", "landed", "bags", "bagged", "lève", "levé", "lever", "invests", "investment",
                "seeks", "nears", "pulls", "financing", "backs", "valued", "valuation"),
    "acquisition": ("acquire", "acquires", "acquired", "acquisition", "takeover",
                    "merger", "sells", "rachète"),
    "deal": ("contract", "supply", "agreement", "signs", "partnership", "partners", "taps", "wins",
             "gigawatt", "gigawatts", "gw", "capacity", "order"),
    "launch": ("launch", "launches", "launched", "unveil", "unveils", "unveiled", "debut", "debuts", "debuted",
               "release", "releases", "released", "introduces", "shows", "details", "announces", "samples",
               "ships", "out", "enters", "brings", "roadmap", "production"),
    "policy": ("export", "exports", "rule", "rules", "curbs", "curb", "ban", "bans", "licence", "license", "law",
               "act", "regulation", "regulator", "delays", "delay", "postpones", "code", "consultation", "institute",
               "evaluations", "government", "probe", "antitrust", "investigation", "fine", "fines", "fined",
               "subsidy", "aid"),
    "results": ("forecast", "forecasts", "revenue", "earnings", "results", "beats", "estimates", "guides",
                "shares", "quarter"),
    "people": ("hires", "hired", "names", "appoints", "appointed", "ceo", "cto", "coo", "chief"),
    "listing": ("ipo", "files", "refiles", "listing", "filed"),
}  # fmt: skip
_KIND_OF = {word: kind for kind, wordlist in KINDS.items() for word in wordlist}


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Doc:
    """What grouping looks at in one entry."""

    ident: str  # 'guid:...' or 'url:...'
    url: str | None  # canonical link
    title: str
    summary: str
    published: dt.date
    entities: tuple[str, ...] = ()
    amount: Money | None = None

    @property
    def key(self) -> tuple[dt.date, str]:
        """The fixed order entries are taken in: oldest first, then by identity."""
        return (self.published, self.ident)


@dataclass(frozen=True)
class Features:
    doc: Doc
    day: int
    names: frozenset[str]
    words: frozenset[str]
    amounts: frozenset[tuple[Decimal, str, bool]]  # value, currency, hedged ("nearly $2 billion")
    round: str | None
    kinds: frozenset[str]
    shouting: bool  # an ALL-CAPS entry: its names are any of its words another entry names


def _tokens(text: str) -> list[str]:
    return [token.strip(".'’-") for token in _WORD.findall(text)]


def _name_key(token: str) -> str | None:
    key = fold(token).removesuffix("'s").removesuffix("’s").strip(".'’-")
    if len(key) < 2 or key in _GENERIC or key.isdigit() or key[0].isdigit() or "$" in key:
        return None
    return key


def _shouting(doc: Doc) -> bool:
    letters = "".join(filter(str.isalpha, doc.title))
    return len(letters) > 8 and sum(map(str.isupper, letters)) > 0.9 * len(letters)


def _amounts(text: str) -> frozenset[tuple[Decimal, str, bool]]:
    """Every amount of money written in the text with a symbol or a scale ("$1.1 BLN", "Rs 3,300 crore",
    "1,8 Mrd. Euro"), not prices per share."""
    if not any(ch.isdigit() for ch in text):
        return frozenset()
    return frozenset(
        (money.value.normalize(), money.currency, bool(_HEDGE.search(text[max(0, start - 20) : start])))
        for start, end, money in amount_spans(text, marked=True)
        if not _PER_SHARE.match(text[end:])
    )


def _names(doc: Doc) -> frozenset[str]:
    """Organisations named: the entry's entities, and capitalised words of title and summary that look like names."""
    names: set[str] = set()
    for entity in doc.entities:
        names.update(k for k in (_name_key(part) for part in entity.split()) if k)
    if _shouting(doc):
        return frozenset(names)
    title_tokens = _tokens(doc.title)
    title_words = {fold(t).removesuffix("'s").removesuffix("’s") for t in title_tokens}
    letters = [t for t in title_tokens if t[:1].isalpha()]
    capitalised = [t for t in letters if t[:1].isupper()]
    # Sentence case, not Title Case: a longer word after the first is in lower case ("SoftBank orders ...").
    sentence_case = any(t[:1].islower() and len(t) > 3 for t in letters[1:]) or len(letters) <= 2
    if sentence_case:
        names.update(k for k in (_name_key(t) for t in capitalised) if k)
    for sentence in _SENTENCE.split(doc.summary):
        for index, token in enumerate(_tokens(sentence)):
            if not token[:1].isupper() or (token.isupper() and len(token) > 5):
                continue
            key = _name_key(token)
            possessive = token.endswith(("'s", "’s"))  # "Gridlane's new VPP ..." opens with a name
            if key and (index > 0 or key in title_words or possessive):
                names.add(key)
    return frozenset(names)


def _kinds(text: str) -> frozenset[str]:
    return frozenset(_KIND_OF[w] for w in (fold(t) for t in _tokens(text)) if w in _KIND_OF)


def _round(text: str) -> str | None:
    match = _ROUND.search(text)
    if match is None:
        return None
    return f"series {match[1].lower()}" if match[1] else (match[2] or match[3]).lower()


_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _number(token: str) -> str | None:
    """A number worth comparing ("4,000", "4000" and "10.000" alike), not a year or a small count."""
    if not token[:1].isdigit():
        return None
    digits = _THOUSANDS.sub("", token)
    if not digits.isdigit() or len(digits) < 3 or (len(digits) == 4 and digits.startswith("20")):
        return None
    return "#" + digits


def features(doc: Doc) -> Features:
    text = f"{doc.title}\n{doc.summary}"
    tokens = [fold(t).removesuffix("'s").removesuffix("’s") for t in _tokens(text)]
    words = {_stem(w) for w in tokens if w not in _STOP and len(w) > 1 and not w[0].isdigit()}
    words.update(n for n in (_number(t) for t in tokens) if n)
    amounts = _amounts(text)
    if not amounts and doc.amount is not None:
        amounts = frozenset({(doc.amount.value.normalize(), doc.amount.currency, False)})
    return Features(
        doc=doc,
        day=doc.published.toordinal(),
        names=_names(doc),
        words=frozenset(words),
        amounts=amounts,
        round=_round(doc.title) or _round(doc.summary),
        kinds=_kinds(doc.title),
        shouting=_shouting(doc),
    )


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
                    key = _name_key(part)
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
            if item.round and rounds and _round(item.round) not in rounds:
                continue
            return item.id
        return None
