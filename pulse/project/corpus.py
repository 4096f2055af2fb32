"""A project's corpus as the commands read it: whole, checked, through the manifest, or a window of it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pulse.errors import DataError, Problem, UsageError

if TYPE_CHECKING:
    from pulse.model import Item
    from pulse.model.rates import Rates
    from pulse.reading.cache import ParseCache
    from pulse.reading.corpus import Corpus, Progress
    from pulse.reading.loader import Snapshot
    from pulse.reading.settings import Settings


def today() -> dt.date:
    """Today, or the date in PULSE_TODAY (for reproducible runs)."""
    fixed = os.environ.get("PULSE_TODAY")
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise UsageError(f"PULSE_TODAY='{fixed}' is not a date like 2026-03-16") from None


ProgressBar = Callable[[str], contextlib.AbstractContextManager["Progress | None"]]
"""Given what is being done, a context that gives a progress callback (or None) for as long as it lasts."""


@contextlib.contextmanager
def no_progress(description: str) -> Iterator[Progress | None]:
    """No progress shown."""
    yield None


@dataclass
class ProjectCorpus:
    """A project's settings, parse cache and manifest, and its corpus (read on first use, or a window of it)."""

    settings: Settings
    cache: ParseCache | None = None
    progress: ProgressBar = no_progress
    _corpus: Corpus | None = field(default=None, repr=False)
    _rates: Rates | None = field(default=None, repr=False)
    _snapshot: Snapshot | None = field(default=None, repr=False)

    def check(self, paths: Sequence[Path] | None = None) -> Corpus:
        """The corpus (or the given files and folders) with every problem found, read afresh."""
        self._snapshot = None
        snapshot = self.snapshot() if not paths else None
        if snapshot is not None:
            return self._with_rates(self._read(snapshot, lambda snap: snap.corpus(whole=True)))
        from pulse.reading.loader import load

        s = self.settings
        with self.progress("Reading the corpus") as progress:
            corpus = load(list(paths or [s.data]), s.themes, s.currency, cache=self.cache, progress=progress)
        return self._with_rates(corpus)

    def validate(self, paths: Sequence[Path] | None = None) -> Corpus:
        """Every problem of the corpus and its counts (its items only when it had to be read): `pulse check`.

        On an unchanged corpus the manifest answers without decoding a file.
        """
        snapshot = self.snapshot() if not paths else None
        if snapshot is None:
            return self.check(paths)
        return self._with_rates(self._read(snapshot, lambda snap: snap.summary()))

    def snapshot(self) -> Snapshot | None:
        """The data folder through the manifest beside the parse cache (None without the cache)."""
        if self.cache is None:
            return None
        if self._snapshot is None:
            from pulse.reading.loader import Snapshot

            s = self.settings
            with self.progress("Reading the corpus") as progress:
                self._snapshot = Snapshot(
                    s.data, s.themes, s.currency, self.cache, known_rate=self._known_rate, progress=progress
                )
        return self._snapshot

    def _read(self, snapshot: Snapshot, how: Callable[[Snapshot], Corpus]) -> Corpus:
        with self.progress("Reading the corpus") as progress:
            snapshot.progress = progress
            return how(snapshot)

    def _known_rate(self, currency: str, day: dt.date) -> bool:
        try:
            self.rates.rate(currency, day)
        except DataError:
            return False
        return True

    def _with_rates(self, corpus: Corpus) -> Corpus:
        missing = self._missing_rates(corpus.items)
        return replace(corpus, problems=(*corpus.problems, *missing)) if missing else corpus

    def _missing_rates(self, items: Sequence[Item]) -> list[Problem]:
        """An item whose amount is in a currency with no exchange rate into the base currency, as a problem."""
        problems = []
        for item in items:
            for money in (item.amount, item.valuation):
                if money is not None and money.currency != self.settings.currency:
                    try:
                        self.rates.value(money, item.date)
                    except DataError as exc:
                        problems.append(Problem(item.path, item.line, item.column, exc.message))
        self.remember_rates()
        return problems

    def corpus(self) -> Corpus:
        """The valid corpus, or a DataError listing every problem."""
        if self._corpus is None:
            corpus = self.check()
            hint = self.config_hint(corpus.problems)
            if hint:
                raise DataError(f"{corpus.summary()}\n{hint}", corpus.problems)
            self._corpus = corpus.require_valid()
        return self._corpus

    def config_hint(self, problems: Sequence[Problem]) -> str | None:
        """How to point at a project's pulse.yaml, when items name unknown themes and none governs the data folder."""
        s = self.settings
        if not s.data_given or not any(p.message.startswith("unknown theme ") for p in problems):
            return None
        data = s.data.resolve()
        if s.config_path is not None and (data == s.root or s.root in data.parents):
            return None
        from pulse.errors import display_path

        used = f"the settings of {display_path(s.config_path)}" if s.config_path else "the built-in themes"
        return (
            f"hint: no pulse.yaml in {display_path(s.data)} or a folder above it, so pulse used {used}; "
            "if a project's pulse.yaml defines these themes, pass --config PATH/pulse.yaml"
        )

    def stale_schema(self) -> str | None:
        """A warning when the project's pulse.schema.json does not describe its themes (editors flag good items)."""
        from pulse.model.schema import SCHEMA_FILE, item_file_schema

        s = self.settings
        path = s.root / SCHEMA_FILE
        if s.sample or s.config_path is None or not path.is_file():
            return None
        import json

        try:
            written = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            written = None
        if written == item_file_schema(s.themes):
            return None
        from pulse.errors import display_path

        return (
            f"warning: {display_path(path)} does not match the themes and fields of "
            f"{display_path(s.config_path)}; update it: pulse schema > {display_path(path)}"
        )

    def window(self, since: dt.date | None, until: dt.date | None, words: Sequence[str] = ()) -> Corpus:
        """The valid corpus, or a DataError listing every problem; through the manifest, only the files
        that hold something dated since..until and (through the search index) may hold an item with
        every one of the folded `words`: the items that come along do no harm, every caller selects
        them again. With neither, or no usable manifest, the whole corpus."""
        snapshot = self.snapshot() if self._corpus is None and (since or until or words) else None
        if snapshot is None or snapshot.summaries is None:
            return self.corpus()
        return self._read(snapshot, lambda snap: snap.corpus(since, until, words=words)).require_valid()

    @property
    def rates(self) -> Rates:
        """Exchange rates into the base currency; the ECB's tables load only when an amount needs them."""
        if self._rates is None:
            from pulse.model.rates import Rates

            s = self.settings
            self._rates = Rates(s.currency, s.rates, s.show_converted)
            if self.cache is not None:
                import json

                from pulse.reading.cache import RATES_MEMO

                with contextlib.suppress(OSError, ValueError):
                    self._rates.remember(json.loads((self.cache.folder / RATES_MEMO).read_text(encoding="utf-8")))
        return self._rates

    def remember_rates(self) -> None:
        """Store the exchange rates this run looked up, so that the next run need not load the tables."""
        memo = self._rates.remembered() if self._rates is not None else None
        if memo is None or self.cache is None:
            return
        import json

        from pulse.reading.cache import RATES_MEMO
        from pulse.writing.output import write_atomic

        with contextlib.suppress(Exception):  # a cache: failing to write it only costs the next run the load
            self.cache.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.cache.folder / RATES_MEMO, json.dumps(memo, sort_keys=True), force=True)

    def _issue_span(self, since: dt.date | None, until: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
        """The dates an issue reads: its window, and the weeks before it when its digest block has "In numbers"."""
        from pulse.core.trends import NUMBERS_WEEKS
        from pulse.model.dates import shift, week_bounds

        snapshot = self.snapshot()
        if since is None and until is None:  # the newest issue: its block's window, or the newest item's week
            digest, newest = snapshot.newest() if snapshot else (None, None)
            if digest is None and newest is None:
                return None, None
            since, until = (
                (dt.date.fromordinal(digest[1]), dt.date.fromordinal(digest[2])) if digest else week_bounds(newest)  # type: ignore[arg-type]
            )
        # Any block that may frame the window (not only the one picked here) decides: a tie in overlap
        # is broken by the whole corpus's blocks, which only the full load sees.
        if since is not None and snapshot is not None and snapshot.numbers_near(since, until or dt.date.max):
            since = shift(since, weeks=-NUMBERS_WEEKS)
        return since, until
