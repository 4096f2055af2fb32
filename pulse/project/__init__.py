"""The library's front door: a Project opened from its settings, with one call per command.

Each command of the CLI parses its options, makes one call here and prints what it
gets back; the same calls serve any other program (a notebook, a web hook, a test).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pulse.errors import Problem, UsageError, plural
from pulse.project.corpus import ProgressBar as ProgressBar
from pulse.project.corpus import ProjectCorpus
from pulse.project.corpus import no_progress as no_progress
from pulse.project.corpus import today as today

if TYPE_CHECKING:
    from pulse.core.compose import Issue
    from pulse.core.issues import IssueInfo
    from pulse.core.kinds import Metric, SortKey, TrendKey
    from pulse.core.rank import Ranked
    from pulse.core.select import Selection, ThemeCount
    from pulse.core.trends import Trends
    from pulse.model import Digest, Item
    from pulse.reading.corpus import Corpus
    from pulse.render.feeds import FeedInfo
    from pulse.writing.add import Added
    from pulse.writing.output import Written


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


@dataclass(frozen=True)
class CheckReport:
    """What `pulse check` found: the corpus's problems, the warnings of a valid one, and hints on settings."""

    corpus: Corpus
    warnings: list[Problem]
    hints: list[str]

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.corpus.problems

    def failed(self, strict: bool) -> bool:
        """Whether the check fails: any problem, or any warning under --strict."""
        return bool(self.problems or (strict and self.warnings))

    def verdict(self, strict: bool) -> str:
        """The closing line: the summary of the problems, the warnings made errors, or ok."""
        if self.problems:
            return self.corpus.summary()
        count = plural(len(self.warnings), "warning")
        if strict and self.warnings:
            return f"error: {count}, and --strict makes warnings errors"
        return f"ok: {self.corpus.describe()}" + (f" ({count})" if self.warnings else "")


class Project(ProjectCorpus):
    """A pulse project: its settings, its parse cache, the corpus read on first use, and one call per command."""

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

    def selection(self, options: SelectionOptions) -> Selection:
        """The checked selection; a value that makes no sense is a usage error."""
        from pulse.core.select import build_selection

        fields = {name: getattr(options, name) for name in SelectionOptions.__dataclass_fields__}
        return build_selection(self.settings.themes, today(), rates=self.rates, **fields)

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

    def check_report(self, paths: Sequence[Path] | None = None) -> CheckReport:
        """`pulse check`: every problem (from the manifest when nothing changed), then warnings and hints."""
        corpus = self.validate(paths)
        warnings = [] if corpus.problems else self.issue_warnings(corpus)
        hints = [hint for hint in (self.config_hint(corpus.problems), self.stale_schema()) if hint]
        return CheckReport(corpus, warnings, hints)

    def issue_warnings(self, corpus: Corpus) -> list[Problem]:
        """What `pulse check` warns of in a valid corpus: editorial text no item fills, items with no section text."""
        from pulse.core.issues import issue_warnings

        snapshot = self._snapshot
        if corpus.counts is None or not corpus.counts[1] or corpus.digests or snapshot is None:
            return issue_warnings(corpus.items, corpus.digests, self.settings.themes)
        # The manifest answered the check: warnings need every block and its items, so they are
        # remembered for this state of the files, and computed from the whole corpus when it changed.
        context = repr(list(self.settings.themes))  # warnings name themes by their titles
        remembered = snapshot.remembered("warnings", context)
        if remembered is not None:
            return remembered
        whole = self.corpus()
        warnings = issue_warnings(whole.items, whole.digests, self.settings.themes)
        snapshot.remember("warnings", warnings, context)
        return warnings

    def view_online(self, issue: Issue, url: str | None = None) -> str | None:
        """The issue's address for the email's "view online" link: `url`, else `email: view_online` of pulse.yaml."""
        from pulse.model.dates import iso_week

        if url is not None:
            from pulse.reading.checks import is_web_url

            if not is_web_url(url):
                raise UsageError(f"--view-online '{url}' is not an http(s) URL")
            return url
        pattern = self.settings.view_online
        if pattern is None:
            return None
        return pattern.format(date=issue.date.isoformat(), week=iso_week(issue.date), year=issue.date.year)

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
