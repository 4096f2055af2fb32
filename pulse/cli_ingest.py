"""The ingestion commands: `pulse fetch`, `pulse inbox`, `pulse sources`, `pulse rules test`.

Each body parses, calls one library function in pulse.ingest, and prints. Nothing
heavy is imported at module level (requests, feedparser and sqlite3 load inside the
commands), and nothing from pulse.cli either: `pulse.cli` registers these commands
with `register(app)`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from pulse.errors import ExitStatus

if TYPE_CHECKING:
    from pulse.ingest.fetch import FetchReport
    from pulse.ingest.settings import IngestSettings
    from pulse.model import Item

Data = Annotated[Optional[Path], typer.Option("--data", help="The corpus folder (its items train the suggestions).")]
Config = Annotated[Optional[Path], typer.Option("--config", help="The pulse.yaml with sources, fetch and rules.")]


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


FETCH_EPILOG = (
    "Examples:\n\n  pulse fetch\n\n  pulse fetch --source 'Chip Letter' --format json\n\n"
    "Exit status: 0 every source was read, 1 a source failed (the others are still stored), 2 bad usage."
)
INBOX_EPILOG = "Examples:\n\n  pulse inbox\n\n  pulse inbox --theme funding --search nscale --format json"


def _settings(data: Path | None, config: Path | None) -> tuple[IngestSettings, list[Item]]:
    """The ingestion settings and the curated items (valid ones; a broken file does not stop a fetch)."""
    from pulse.cli import load_settings, read_corpus
    from pulse.ingest.settings import read_ingest

    settings = load_settings(data, config)
    ingest = read_ingest(settings)
    return ingest, list(read_corpus(settings).items) if settings.data.exists() else []


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr, on a terminal only, advancing as each source is read."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("Fetching"), BarColumn(), MofNCompleteColumn(), TextColumn("sources"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("fetch", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def fetch_text(report: FetchReport) -> str:
    """One line per source, then the total."""
    width = max((len(result.name) for result in report.sources), default=0)
    lines = []
    for result in report.sources:
        if result.status == "error":
            what = f"error: {result.error}"
        elif result.status == "not-modified":
            what = "not modified"
        else:
            what = f"{result.new} new" + (f", {result.dropped} dropped by rules" if result.dropped else "")
        lines.append(f"{result.name:<{width}}  {what}")
    from pulse.errors import plural

    entries = "1 new entry" if report.new == 1 else f"{report.new} new entries"
    total = f"{entries} from {plural(len(report.sources), 'source')}"
    if report.dropped:
        total += f", {report.dropped} dropped by rules"
    if report.failed:
        total += f", {report.failed} failed"
    return "\n".join([*lines, total]) + "\n"


def fetch(
    source: Annotated[Optional[list[str]], typer.Option("--source", help="Only this source (name or URL).")] = None,
    output_format: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
    data: Data = None,
    config: Config = None,
) -> None:
    """Read every source of pulse.yaml at once and store the new entries in the inbox."""
    from pulse.ingest.fetch import fetch_sources

    ingest, items = _settings(data, config)
    with _progress() as step:
        report = fetch_sources(ingest, names=source or (), items=items, progress=step)
    for result in report.sources:
        if result.warning:
            typer.echo(f"warning: {result.name}: {result.warning}", err=True)
    _emit(_dump(report.as_json()) if output_format is TextOrJson.json else fetch_text(report))
    if report.failed:
        raise typer.Exit(ExitStatus.ERROR)


def inbox(
    theme: Annotated[Optional[list[str]], typer.Option("--theme", "-t", help="Only stories with this theme.")] = None,
    search: Annotated[Optional[str], typer.Option(help="Words that must all appear in a story.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Decided and covered stories too.")] = False,
    output_format: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
    data: Data = None,
    config: Config = None,
) -> None:
    """The undecided stories of the inbox, newest first."""
    from pulse.cli import load_settings
    from pulse.errors import UsageError
    from pulse.ingest.review import list_stories, story_json
    from pulse.ingest.settings import read_ingest

    settings = load_settings(data, config)
    keys = []
    for name in theme or ():
        found = settings.themes.resolve(name)
        if found is None:
            raise UsageError(settings.themes.unknown(name))
        keys.append(found.key)
    stories = list_stories(read_ingest(settings), themes=keys, search=search, include_all=show_all)
    if output_format is TextOrJson.json:
        _emit(_dump([story_json(story) for story in stories]))
        return
    if not stories:
        typer.echo("the inbox has no undecided stories; run pulse fetch", err=True)
        return
    rows = [["ID", "DATE", "THEMES", "AMOUNT", "TITLE"]]
    for story in stories:
        amount = next((e.amount for e in story.entries if e.amount), None)
        themes = ",".join(dict.fromkeys(t for e in story.entries for t in e.themes))
        rows.append([story.id, story.date[:10], themes, amount.short() if amount else "", story.lead.title])
    from pulse.render.records import plain_columns

    _emit(plain_columns(rows))


def sources(data: Data = None, config: Config = None) -> None:
    """The sources of pulse.yaml with their last fetch: time, status, entries, validators held."""
    from pulse.cli import load_settings
    from pulse.ingest.fetch import expand_sources
    from pulse.ingest.inbox import Inbox
    from pulse.ingest.settings import read_ingest
    from pulse.render.records import plain_columns

    ingest = read_ingest(load_settings(data, config))
    feeds, failed = expand_sources(ingest)
    with Inbox(ingest.inbox_path) as store:
        states = {state.url: state for state in store.sources()}
    rows = [["NAME", "LAST FETCH", "STATUS", "NEW", "STORED", "VALIDATORS", "URL"]]
    for spec in feeds:
        state = states.get(spec.url)
        held = "ETag, Last-Modified" if state and state.etag and state.last_modified else ""
        held = held or ("ETag" if state and state.etag else "Last-Modified" if state and state.last_modified else "-")
        status = (state.status or "-") if state else "never fetched"
        if state and state.error:
            status += f": {state.error}"
        when = (state.fetched_at or "-") if state else "-"
        rows.append([spec.name, when, status, str(state.new_entries if state else 0),
                     str(state.stored if state else 0), held, spec.url])  # fmt: skip
    for result in failed:
        rows.append([result.name, "-", f"error: {result.error}", "0", "0", "-", result.url])
    _emit(plain_columns(rows))


rules_app = typer.Typer(short_help="Rules: what each one matches in the inbox.", no_args_is_help=True,
                        rich_markup_mode=None)  # fmt: skip


@rules_app.command("test")
def rules_test(
    output_format: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
    data: Data = None,
    config: Config = None,
) -> None:
    """A dry run: for each rule of pulse.yaml, the inbox entries it matches."""
    from pulse.cli import load_settings
    from pulse.ingest.review import rule_matches
    from pulse.ingest.settings import read_ingest

    report = rule_matches(read_ingest(load_settings(data, config)))
    if output_format is TextOrJson.json:
        _emit(_dump([{"rule": r.rule.name, "match": r.rule.pattern.pattern, "themes": list(r.rule.themes),
                      "drop": r.rule.drop, "matches": [{"story": s, "title": t} for s, t in r.stories]}
                     for r in report]))  # fmt: skip
        return
    lines = []
    for result in report:
        action = "drop" if result.rule.drop else "themes " + ", ".join(result.rule.themes)
        lines.append(f"{result.rule.name} /{result.rule.pattern.pattern}/ ({action}): {len(result.stories)} matches")
        lines.extend(f"  {story}  {title}" for story, title in result.stories)
    _emit("\n".join(lines) + "\n" if lines else "")
    if not lines:
        typer.echo("pulse.yaml has no rules", err=True)


def register(app: typer.Typer) -> None:
    """Add the ingestion commands to the `pulse` app."""
    app.command(short_help="Read the sources into the inbox.", epilog=FETCH_EPILOG)(fetch)
    app.command(short_help="The undecided stories of the inbox.", epilog=INBOX_EPILOG)(inbox)
    app.command(short_help="The sources and their last fetch.")(sources)
    app.add_typer(rules_app, name="rules")
