"""What an entry says, read for grouping: organisations, amounts, round, kind of event, words (pure)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from pulse.model.money import Money, amount_spans
from pulse.model.text import fold

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


def name_key(token: str) -> str | None:
    """How an organisation's name is compared ("Nscale's" and "NSCALE" alike), or None for headline words."""
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
        names.update(k for k in (name_key(part) for part in entity.split()) if k)
    if _shouting(doc):
        return frozenset(names)
    title_tokens = _tokens(doc.title)
    title_words = {fold(t).removesuffix("'s").removesuffix("’s") for t in title_tokens}
    letters = [t for t in title_tokens if t[:1].isalpha()]
    capitalised = [t for t in letters if t[:1].isupper()]
    # Sentence case, not Title Case: a longer word after the first is in lower case ("SoftBank orders ...").
    sentence_case = any(t[:1].islower() and len(t) > 3 for t in letters[1:]) or len(letters) <= 2
    if sentence_case:
        names.update(k for k in (name_key(t) for t in capitalised) if k)
    for sentence in _SENTENCE.split(doc.summary):
        for index, token in enumerate(_tokens(sentence)):
            if not token[:1].isupper() or (token.isupper() and len(token) > 5):
                continue
            key = name_key(token)
            possessive = token.endswith(("'s", "’s"))  # "Gridlane's new VPP ..." opens with a name
            if key and (index > 0 or key in title_words or possessive):
                names.add(key)
    return frozenset(names)


def _kinds(text: str) -> frozenset[str]:
    return frozenset(_KIND_OF[w] for w in (fold(t) for t in _tokens(text)) if w in _KIND_OF)


def funding_round(text: str) -> str | None:
    """The funding round a text names ("series c", "seed"), or None."""
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
        round=funding_round(doc.title) or funding_round(doc.summary),
        kinds=_kinds(doc.title),
        shouting=_shouting(doc),
    )
