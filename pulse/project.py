"""The library's front door: a Project opened from its settings, with one call per command.

Each command of the CLI parses its options, makes one call here and prints what it
gets back; the same calls serve any other program (a notebook, a web hook, a test).
"""

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
    from pulse.core.compose import Issue
    from pulse.core.issues import IssueInfo
    from pulse.core.kinds import Metric, SortKey, TrendKey
    from pulse.core.rank import Ranked
    from pulse.core.select import Selection, ThemeCount
    from pulse.core.trends import Trends
    from pulse.model import Digest, Item
    from pulse.model.rates import Rates
    from pulse.reading.cache import ParseCache
    from pulse.reading.corpus import Corpus, Progress
    from pulse.reading.loader import Snapshot
    from pulse.reading.settings import Settings
    from pulse.render.feeds import FeedInfo
    from pulse.writing.add import Added
    from pulse.writing.output import Written


RATES_MEMO = "rates.json"
"""The exchange rates earlier runs looked up, in the cache folder."""


def today() -> dt.date:
    """Today, or the date in PULSE_TODAY (for reproducible runs)."""
    fixed = os.environ.get("PULSE_TODAY")
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise UsageError(f"PULSE_TODAY='{fixed}' is not a date like 2026-03-16") from None


@dataclass(frozen=True)
class SelectionOptions:
    """The selection options as a person types them, before they are checked."""

    theme: Sequence[str] = ()
    since: str | None = None
    until: str | None = None
    week: str | None = None
    days: int | None = None
    entity: Sequence[str] = ()
    search: str | None = None
    tag: Sequence[str] = ()
    region: Sequence[str] = ()
    sector: Sequence[str] = ()
    min_importance: int | None = None
    min_amount: str | None = None
    max_amount: str | None = None


def _no_window(options: SelectionOptions, flag: str) -> None:
    """An issue brings its own window: --week, --since, --until and --days are usage errors beside `flag`."""
    given = [name for name in ("week", "since", "until", "days") if getattr(options, name) is not None]
    if given:
        raise UsageError(f"{flag} renders each issue's own window; leave out --{given[0]}")


@dataclass(frozen=True)
class Listing:
    """The ranked items of a selection, and how many items the corpus holds."""

    ranked: list[Ranked]
    corpus_size: int
    hints: tuple[str, ...] = ()  # why an empty selection is empty, when pulse can tell


ProgressBar = Callable[[str], contextlib.AbstractContextManager["Progress | None"]]
"""Given what is being done, a context that gives a progress callback (or None) for as long as it lasts."""


@contextlib.contextmanager
def no_progress(description: str) -> Iterator[Progress | None]:
    """No progress shown."""
    yield None


@dataclass
class Project:
    """A pulse project: its settings, its parse cache, and the corpus read on first use."""

    settings: Settings
    cache: ParseCache | None = None
    progress: ProgressBar = no_progress
    _corpus: Corpus | None = field(default=None, repr=False)
    _rates: Rates | None = field(default=None, repr=False)
    _snapshot: Snapshot | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        data: Path | None = None,
        config: Path | None = None,
        *,
        use_cache: bool = True,
        cache_dir: Path | None = None,
        progress: ProgressBar = no_progress,
    ) -> Project:
        """The project found from the flags, the environment and the nearest pulse.yaml."""
        from pulse.reading.settings import load_settings

        settings = load_settings(config=config, data=data)
        cache = None
        if use_cache:
            from pulse.reading.cache import ParseCache, default_cache_dir, fingerprint

            cache = ParseCache(cache_dir or default_cache_dir(), fingerprint(settings.themes, settings.currency))
        return cls(settings, cache, progress)

    # --- reading ---------------------------------------------------------------

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

    def selection(self, options: SelectionOptions) -> Selection:
        """The checked selection; a value that makes no sense is a usage error."""
        from pulse.core.select import build_selection

        fields = {name: getattr(options, name) for name in SelectionOptions.__dataclass_fields__}
        return build_selection(self.settings.themes, today(), rates=self.rates, **fields)

    @property
    def rates(self) -> Rates:
        """Exchange rates into the base currency; the ECB's tables load only when an amount needs them."""
        if self._rates is None:
            from pulse.model.rates import Rates

            s = self.settings
            self._rates = Rates(s.currency, s.rates, s.show_converted)
            if self.cache is not None:
                import json

                with contextlib.suppress(OSError, ValueError):
                    self._rates.remember(json.loads((self.cache.folder / RATES_MEMO).read_text(encoding="utf-8")))
        return self._rates

    def remember_rates(self) -> None:
        """Store the exchange rates this run looked up, so that the next run need not load the tables."""
        memo = self._rates.remembered() if self._rates is not None else None
        if memo is None or self.cache is None:
            return
        import json

        from pulse.writing.output import write_atomic

        with contextlib.suppress(Exception):  # a cache: failing to write it only costs the next run the load
            self.cache.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.cache.folder / RATES_MEMO, json.dumps(memo, sort_keys=True), force=True)

    # --- the commands' calls ---------------------------------------------------

    def select(
        self, options: SelectionOptions, sort: SortKey, *, reverse: bool = False, limit: int | None = None
    ) -> Listing:
        """The selected items, ranked: `pulse list`."""
        from pulse.core.rank import rank_window
        from pulse.core.select import entity_hints, select_items

        selection = self.selection(options)
        corpus = self.window(selection.window.since, selection.window.until, selection.words)
        chosen = select_items(corpus.items, selection)
        weights = self.settings.weights
        ranked = rank_window(chosen, selection.window.until, weights, sort, rates=self.rates, reverse=reverse)
        self.remember_rates()
        hints = (
            tuple(entity_hints(self.corpus().items, selection.entities)) if not ranked and selection.entities else ()
        )
        return Listing(ranked[:limit], corpus.item_count, hints)

    def find(self, item_id: str) -> Item:
        """One item by id: `pulse show`."""
        from pulse.core.select import find_item

        return find_item(self.corpus().items, item_id)

    def theme_counts(self) -> list[ThemeCount]:
        """Each theme with its item count and latest date: `pulse themes`."""
        from pulse.core.select import count_by_theme

        return count_by_theme(self.corpus().items, self.settings.themes)

    def issue(
        self,
        options: SelectionOptions,
        *,
        sort: SortKey | None = None,
        top: int | None = None,
        issue: str | None = None,
    ) -> Issue:
        """One composed issue: `pulse digest`; `issue` (a block's date, or "latest") renders it as it was framed."""
        from pulse.core.issues import find_issue

        framed = None
        if issue is not None:
            _no_window(options, "--issue")
            framed = find_issue(self.corpus().digests, issue)
        composed = self._compose(self.selection(options), sort, top, framed)
        self.remember_rates()
        return composed

    def _compose(self, selection: Selection, sort: SortKey | None, top: int | None, framed: Digest | None) -> Issue:
        from pulse.core.compose import build_issue
        from pulse.core.issues import digest_window

        s = self.settings
        window = digest_window(framed) if framed else selection.window
        corpus = self.window(*self._issue_span(window.since, window.until))
        return build_issue(
            corpus.items, corpus.digests, selection, s.themes, s.weights, name=s.name, sort=sort, top=top, issue=framed
        )

    def issues(self) -> list[IssueInfo]:
        """Every issue of the corpus, newest first: `pulse issues`."""
        from pulse.core.issues import list_issues

        corpus = self.corpus()
        return list_issues(corpus.items, corpus.digests)

    def write_archive(
        self,
        options: SelectionOptions,
        folder: Path,
        render: Callable[[Issue], str],
        extension: str,
        *,
        sort: SortKey | None = None,
        top: int | None = None,
    ) -> list[Written]:
        """Every issue rendered into `folder`, one file each, rewriting only what changed: `pulse digest --all`."""
        from pulse.core.issues import newest_first
        from pulse.writing.output import archive_name, write_changed

        _no_window(options, "--all")
        selection = self.selection(options)
        files = []
        for digest in newest_first(self.corpus().digests):
            issue = self._compose(selection, sort, top, digest)
            files.append((archive_name(digest.date, digest.title, extension), render(issue)))
        self.remember_rates()
        return write_changed(folder, files)

    def issue_warnings(self, corpus: Corpus) -> list[Problem]:
        """What `pulse check` warns of in a valid corpus: editorial text no item fills, items with no section text."""
        from pulse.core.issues import issue_warnings

        snapshot = self._snapshot
        if corpus.counts is None or not corpus.counts[1] or corpus.digests or snapshot is None:
            return issue_warnings(corpus.items, corpus.digests, self.settings.themes)
        # The manifest answered the check: warnings need every block and its items, so they are
        # remembered for this state of the files, and computed from the whole corpus when it changed.
        remembered = snapshot.remembered("warnings")
        if remembered is not None:
            return remembered
        whole = self.corpus()
        warnings = issue_warnings(whole.items, whole.digests, self.settings.themes)
        snapshot.remember("warnings", warnings)
        return warnings

    def view_online(self, issue: Issue, url: str | None = None) -> str | None:
        """The issue's address for the email's "view online" link: `url`, else `email: view_online` of pulse.yaml."""
        from pulse.core.select import iso_week

        if url is not None:
            from pulse.reading.checks import is_web_url

            if not is_web_url(url):
                raise UsageError(f"--view-online '{url}' is not an http(s) URL")
            return url
        pattern = self.settings.view_online
        if pattern is None:
            return None
        return pattern.format(date=issue.date.isoformat(), week=iso_week(issue.date), year=issue.date.year)

    def _issue_span(self, since: dt.date | None, until: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
        """The dates an issue reads: its window, and the weeks before it when its digest block has "In numbers"."""
        from pulse.core.select import week_bounds
        from pulse.core.trends import NUMBERS_WEEKS

        snapshot = self.snapshot()
        digest, newest = snapshot.issue(since, until) if snapshot else (None, None)
        if since is None and until is None:  # the newest issue: its block's window, or the newest item's week
            if digest is None and newest is None:
                return None, None
            since, until = (
                (dt.date.fromordinal(digest[1]), dt.date.fromordinal(digest[2])) if digest else week_bounds(newest)  # type: ignore[arg-type]
            )
        # Any block that may frame the window (not only the one picked here) decides: a tie in overlap
        # is broken by the whole corpus's blocks, which only the full load sees.
        if since is not None and snapshot is not None and snapshot.numbers_near(since, until or dt.date.max):
            since = max(since, dt.date.min + dt.timedelta(weeks=NUMBERS_WEEKS)) - dt.timedelta(weeks=NUMBERS_WEEKS)
        return since, until

    def trends(
        self, options: SelectionOptions, weeks: int, by: TrendKey, metric: Metric, limit: int | None = None
    ) -> Trends:
        """Counts and money per key and week, rising first: `pulse trends`."""
        from pulse.core.trends import top, trend_span, trends_for

        selection = self.selection(options)
        corpus = self.window(*trend_span(selection.window, weeks))
        trends = top(trends_for(corpus.items, selection, weeks, by, metric), limit)
        self.remember_rates()
        return trends

    def feed(self, options: SelectionOptions, limit: int, base_url: str | None = None) -> tuple[FeedInfo, list[Item]]:
        """The feed's fields and its items, newest first: `pulse feed`."""
        from pulse.writing.feeds import feed_info, feed_items

        info, selection = feed_info(self.settings, base_url), self.selection(options)
        corpus = self.window(selection.window.since, selection.window.until)
        return info, feed_items(corpus.items, selection, limit)

    def write_theme_feeds(
        self, info: FeedInfo, items: Sequence[Item], feed_format: str, folder: Path, *, force: bool = False
    ) -> list[Path]:
        """One feed per theme in `folder`: `pulse feed --per-theme`."""
        from pulse.writing.feeds import per_theme_feeds

        return per_theme_feeds(items, info, self.settings.themes, feed_format, folder, force=force)

    def write_chart(self, trends: Trends, path: Path, *, force: bool = False) -> None:
        """Draw the trends into an .svg or .png file: `pulse trends --chart`."""
        from pulse.model.themes import css_colour
        from pulse.render.chart import CHART_FORMATS, render_chart
        from pulse.writing.output import write_atomic

        chart_format = path.suffix.lower().lstrip(".")
        if chart_format not in CHART_FORMATS:
            raise UsageError(f"--chart {path}: the file must end in .svg or .png")
        colours = {theme.key: css_colour(theme.color) for theme in self.settings.themes}
        write_atomic(path, render_chart(trends, chart_format, colours), force=force)

    def add(self, entries: Sequence[dict[str, object]], target: Path | None = None) -> list[Added]:
        """Validate and append items without touching anything else: `pulse add`."""
        from pulse.writing.add import add_items

        s = self.settings
        return add_items(
            entries, data=s.data, root=s.root, themes=s.themes, currency=s.currency, target=target, today=today()
        )

    def schema(self, *, issue: bool = False) -> str:
        """The JSON Schema of an item file (or of the JSON issue): `pulse schema`."""
        from pulse.model.schema import issue_schema_json, schema_json

        return issue_schema_json() if issue else schema_json(self.settings.themes)

    @property
    def templates(self) -> Path | None:
        """The project's templates/ folder, searched before the built-in templates."""
        return None if self.settings.sample else self.settings.root / "templates"

    def parse_date(self, text: str | None) -> dt.date:
        """An ISO or relative date (`-7d`, `last-week`), today when absent."""
        from pulse.core.select import parse_day

        return parse_day(text, today()) if text else today()
