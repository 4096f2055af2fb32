"""Suggestions for an entry: themes (source, rules, a classifier trained on the curated corpus), money, entities.

The classifier is a multinomial naive Bayes over the words of titles and summaries,
written here (about 40 lines) rather than pulled in with scikit-learn: the corpus is
small, the model must train in milliseconds on every fetch, and it is easy to explain.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pulse.ingest.settings import Rule
from pulse.model import Item
from pulse.model.money import Money, amount_spans
from pulse.model.text import fold

_WORD = re.compile(r"[a-z0-9][a-z0-9&+-]*")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "after",
        "over",
        "new",
        "more",
        "than",
        "about",
        "up",
        "out",
        "it's",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case, accent-free words without stop words."""
    return [word for word in _WORD.findall(fold(text)) if word not in STOPWORDS and len(word) > 1]


@dataclass
class ThemeClassifier:
    """Multinomial naive Bayes with Laplace smoothing: P(theme) × Π P(word | theme)."""

    priors: dict[str, float]
    counts: dict[str, Counter[str]]
    totals: dict[str, int]
    vocabulary: int
    alpha: float = 0.5

    @classmethod
    def train(cls, examples: Iterable[tuple[str, str]], alpha: float = 0.5) -> ThemeClassifier:
        """Train on (text, theme) pairs."""
        counts: dict[str, Counter[str]] = {}
        documents: Counter[str] = Counter()
        vocabulary: set[str] = set()
        for text, theme in examples:
            tokens = words(text)
            counts.setdefault(theme, Counter()).update(tokens)
            documents[theme] += 1
            vocabulary.update(tokens)
        total = sum(documents.values()) or 1
        priors = {theme: math.log(count / total) for theme, count in documents.items()}
        totals = {theme: sum(counter.values()) for theme, counter in counts.items()}
        return cls(priors, counts, totals, len(vocabulary) + 1, alpha)

    def scores(self, text: str) -> dict[str, float]:
        tokens = [token for token in words(text) if any(token in c for c in self.counts.values())]
        result = {}
        for theme, prior in self.priors.items():
            denominator = math.log(self.totals[theme] + self.alpha * self.vocabulary)
            counter = self.counts[theme]
            result[theme] = prior + sum(math.log(counter[token] + self.alpha) - denominator for token in tokens)
        return result

    def predict(self, text: str) -> str | None:
        """The most likely theme; None without training data or without a known word in the text."""
        if not self.priors or not any(any(token in c for c in self.counts.values()) for token in words(text)):
            return None
        scores = self.scores(text)
        return min(scores, key=lambda theme: (-scores[theme], theme))


def item_text(item: Item) -> str:
    return f"{item.title} {item.summary or ''}"


def train_on_corpus(items: Sequence[Item]) -> ThemeClassifier:
    """A classifier of the curated items: text -> first theme."""
    return ThemeClassifier.train((item_text(item), item.theme) for item in items)


def cross_validate(examples: Sequence[tuple[str, str]], folds: int = 10) -> float:
    """Accuracy of k-fold cross-validation (leave-one-out when there are fewer examples than folds)."""
    if not examples:
        return 0.0
    folds = min(folds, len(examples))
    right = 0
    for part in range(folds):
        train = [example for index, example in enumerate(examples) if index % folds != part]
        model = ThemeClassifier.train(train)
        for text, theme in examples[part::folds]:
            right += model.predict(text) == theme
    return right / len(examples)


@dataclass(frozen=True)
class Suggestion:
    themes: tuple[str, ...]
    rules: tuple[str, ...]  # names of the rules that matched, in order
    drop: bool


def suggest_themes(
    text: str, source_themes: Sequence[str], rules: Sequence[Rule], classifier: ThemeClassifier | None
) -> Suggestion:
    """The source's themes, then every matching rule's (in order), then the classifier's when no rule matched."""
    themes = list(source_themes)
    matched: list[str] = []
    drop = False
    for rule in rules:
        if rule.pattern.search(text):
            matched.append(rule.name)
            drop = drop or rule.drop
            themes.extend(rule.themes)
    if not matched and classifier is not None:
        guess = classifier.predict(text)
        if guess is not None:
            themes.append(guess)
    return Suggestion(tuple(dict.fromkeys(themes)), tuple(matched), drop)


# Money in free text ------------------------------------------------------------------------------------------
_PAID = re.compile(
    r"\b(rais\w*|secur\w*|clos\w*|land\w*|bag\w*|fund\w*|round|series|seed|invest\w*|acqui\w*|buy\w*|bought|"
    r"purchas\w*|paid|pay\w*|deal|financ\w*|backing|injection|for)\b",
    re.IGNORECASE,
)
_VALUATION_BEFORE = re.compile(r"\b(valu\w*|worth|market cap\w*)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
_VALUATION_AFTER = re.compile(r"^\W*(?:\w+\W+){0,1}(valu\w*|market cap\w*)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    money: Money
    start: int
    valuation: bool
    score: int


def money_mentions(text: str) -> list[Mention]:
    """Every amount of money written in the text with a symbol or a scale, as pulse.model.money reads it."""
    found = []
    for start, end, money in amount_spans(text, marked=True):
        before, after = text[max(0, start - 40) : start], text[end : end + 25]
        valuation = bool(_VALUATION_BEFORE.search(before) or _VALUATION_AFTER.search(after))
        score = (-3 if valuation else 0) + (2 if _PAID.search(before[-30:] + " " + after[:15]) else 0)
        found.append(Mention(money, start, valuation, score))
    return found


def deal_amount(text: str) -> Money | None:
    """The amount raised or paid: the best-placed mention that is not a valuation (else none)."""
    candidates = [mention for mention in money_mentions(text) if not mention.valuation]
    if not candidates:
        return None
    return max(candidates, key=lambda mention: (mention.score, -mention.start)).money


# Entities ----------------------------------------------------------------------------------------------------
_ACTOR = re.compile(
    r"((?:[A-Z][\w&.'-]*|AI)(?:\s+(?:[A-Z][\w&.-]*|AI|of|de|for)){0,3})\s+"
    r"(?:raises|raised|secures|secured|closes|lands|bags|acquires|acquired|buys|bought|launches|unveils|"
    r"announces|introduces|releases|debuts|opens|signs|partners|eyes|targets|nabs|snaps)\b"
)


def known_entities(items: Sequence[Item]) -> list[str]:
    """The curated corpus's entity names, longest first."""
    names = {entity for item in items for entity in item.entities if len(entity) > 1}
    return sorted(names, key=lambda name: (-len(name), name))


def find_entities(title: str, summary: str, known: Sequence[str]) -> tuple[str, ...]:
    """Organisations the entry names: curated entities found in the text, then the subject of a deal verb."""
    text = f"{title} {summary}"
    found: list[str] = []
    for name in known:
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) and not any(name in f for f in found):
            found.append(name)
    for match in _ACTOR.finditer(title):
        phrase = match.group(1).split()
        while phrase and (phrase[0].endswith(("'s", "’s")) or phrase[0] in ("The", "A", "An", "Exclusive:")):
            phrase = phrase[1:]
        name = " ".join(phrase).rstrip(".,:'")
        if len(name) > 1 and name not in found and not any(name in f for f in found):
            found.append(name)
    return tuple(found)
