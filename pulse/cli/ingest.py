"""The ingestion commands: `pulse fetch`, `pulse inbox`, `pulse sources`, `pulse rules test`.

Each body parses, calls one library function in pulse.ingest, and prints. Nothing
heavy is imported at module level (requests, feedparser and sqlite3 load inside the
commands); pulse.cli builds this family's `app` only when one of its commands runs.
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

from pulse.cli.common import RUN, emit, output_kind
from pulse.errors import ExitStatus

if TYPE_CHECKING:
    from pulse.ingest.fetch import FetchReport
    from pulse.ingest.settings import IngestSettings
    from pulse.model import Item
    from pulse.reading.settings import Settings

Data = Annotated[Optional[Path], typer.Option("--data", help="The corpus folder (its items train the suggestions).")]
Config = Annotated[Optional[Path], typer.Option("--config", help="The pulse.yaml with sources, fetch and rules.")]


class TextOrJson(str, Enum):
    text = "text"
    json = "json"


FETCH_EPILOG = (
    "Examples:\n\n  pulse fetch\n\n  pulse fetch --source 'Chip Letter' --format json\n\n"
    "Exit status: 0 every source was read, 1 a source failed (the others are still stored), 2 bad usage."
)
INBOX_EPILOG = (
    "Examples:\n\n  pulse inbox\n\n  pulse inbox --theme funding --search nscale --format json\n\n"
    "  pulse inbox show 1f3a --explain\n\n  pulse inbox accept 1f3a --theme funding\n\n  pulse inbox reject 9c2e"
)


def load_settings(data: Path | None, config: Path | None) -> Settings:
    """The project's settings, from the flags, the environment and the nearest pulse.yaml."""
    from pulse.reading.settings import load_settings as read_settings

    return read_settings(config=config, data=data)


def _settings(data: Path | None, config: Path | None) -> tuple[IngestSettings, list[Item]]:
    """The ingestion settings and the curated items (valid ones; a broken file does not stop a fetch)."""
    from pulse.ingest.settings import read_ingest
    from pulse.project import Project

    project = Project.open(data, config, use_cache=RUN.cache, cache_dir=RUN.cache_dir)
    ingest = read_ingest(project.settings)
    return ingest, list(project.check().items) if project.settings.data.exists() else []


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
    text = _dump(report.as_json()) if output_format is TextOrJson.json else fetch_text(report)
    emit(text, output_kind(output_format))
    if report.failed:
        raise typer.Exit(ExitStatus.ERROR)


inbox_app = typer.Typer(short_help="The stories of the inbox: list, show, accept, reject.", rich_markup_mode=None,
                        invoke_without_command=True, epilog=INBOX_EPILOG)  # fmt: skip


@inbox_app.callback()
def inbox(
    ctx: typer.Context,
    theme: Annotated[Optional[list[str]], typer.Option("--theme", "-t", help="Only stories with this theme.")] = None,
    search: Annotated[Optional[str], typer.Option(help="Words that must all appear in a story.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Decided and covered stories too.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show each part of the score.")] = False,
    output_format: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
    data: Data = None,
    config: Config = None,
) -> None:
    """The undecided stories of the inbox, highest score first (outlets, amount, recency, theme weight)."""
    if ctx.invoked_subcommand is not None:
        return
    from pulse.ingest.review import ranked, story_rows, story_views

    settings = load_settings(data, config)
    if _interactive(ctx):
        from pulse.tui import run_inbox

        run_inbox(settings, theme or [], search, show_all)
        return
    views = story_views(settings, themes=theme or (), search=search, include_all=show_all)
    scored = ranked(views, settings.weights)
    if output_format is TextOrJson.json:
        from pulse.ingest.review import story_json

        emit(_dump([story_json(v.story, v) for v, _ in scored]), "json")
    elif not scored:
        typer.echo("the inbox has no undecided stories; run pulse fetch", err=True)
    else:
        from pulse.render.records import plain_columns

        emit(plain_columns(story_rows(scored, explain)))


def _interactive(ctx: typer.Context) -> bool:
    """The triage app: on a terminal (stdin and stdout), with no --format asked for."""
    source = ctx.get_parameter_source("output_format")
    given = source is not None and source.name != "DEFAULT"
    return not given and sys.stdin.isatty() and sys.stdout.isatty()


def _story_settings(data: Path | None, config: Path | None) -> tuple[Settings, IngestSettings]:
    from pulse.ingest.settings import read_ingest

    settings = load_settings(data, config)
    return settings, read_ingest(settings)


@inbox_app.command("show")
def inbox_show(
    story: Annotated[str, typer.Argument(metavar="STORY", help="The story's id or a unique prefix of it.")],
    explain: Annotated[bool, typer.Option("--explain", help="Why each entry belongs to the story.")] = False,
    output_format: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
    data: Data = None,
    config: Config = None,
) -> None:
    """One story: its fields, sources and entries (with --explain, why they were grouped)."""
    from pulse.ingest.decide import find
    from pulse.ingest.review import show_text, story_json

    found, shown = find(_story_settings(data, config)[1], story)
    text = _dump(story_json(found, shown)) if output_format is TextOrJson.json else show_text(shown, explain)
    emit(text, output_kind(output_format))


@inbox_app.command("accept")
def inbox_accept(
    story: Annotated[str, typer.Argument(metavar="STORY", help="The story's id or a unique prefix of it.")],
    theme: Annotated[Optional[list[str]], typer.Option("--theme", "-t", help="A theme [default: suggested].")] = None,
    title: Annotated[Optional[str], typer.Option(help="The item's title [default: the story's].")] = None,
    summary: Annotated[Optional[str], typer.Option(help="The item's summary [default: the story's].")] = None,
    importance: Annotated[Optional[int], typer.Option(min=1, max=5, help="1 to 5 [default: 3].")] = None,
    file: Annotated[Optional[Path], typer.Option(help="Add to this file instead of the week's file.")] = None,
    update: Annotated[bool, typer.Option("--update", help="Add the story's new sources to its item.")] = False,
    data: Data = None,
    config: Config = None,
) -> None:
    """Write the story as one curated item (like pulse add) with every source; print the item's id."""
    from pulse.errors import display_path
    from pulse.ingest.decide import accept
    from pulse.ingest.decide import update as update_item

    settings, ingest = _story_settings(data, config)
    if update:
        done = update_item(settings, ingest, story)
        typer.echo(f"{done.added_sources} new sources added to {done.item_id}", err=True)
    else:
        done = accept(settings, ingest, story, themes=theme or (), title=title, summary=summary,
                      importance=importance, target=file)  # fmt: skip
        typer.echo(f"story {done.story} accepted as {done.item_id} in {display_path(done.path or Path())}", err=True)
    emit(f"{done.item_id}\n")


@inbox_app.command("reject")
def inbox_reject(
    story: Annotated[str, typer.Argument(metavar="STORY", help="The story's id or a unique prefix of it.")],
    data: Data = None,
    config: Config = None,
) -> None:
    """Mark the story rejected: it never comes back, whatever later fetches bring."""
    from pulse.ingest.decide import reject

    done = reject(_story_settings(data, config)[1], story)
    typer.echo(f"story {done.story} rejected", err=True)


def sources(data: Data = None, config: Config = None) -> None:
    """The sources of pulse.yaml with their last fetch: time, status, entries, validators held."""
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
    emit(plain_columns(rows))


rules_app = typer.Typer(short_help="Rules: what each one matches in the inbox.", no_args_is_help=True,
                        rich_markup_mode=None)  # fmt: skip


@rules_app.command("test")
def rules_test(
    output_format: Annotated[TextOrJson, typer.Option("--format", help="text or json.")] = TextOrJson.text,
    data: Data = None,
    config: Config = None,
) -> None:
    """A dry run: for each rule of pulse.yaml, the inbox entries it matches."""
    from pulse.ingest.review import rule_matches
    from pulse.ingest.settings import read_ingest

    report = rule_matches(read_ingest(load_settings(data, config)))
    if output_format is TextOrJson.json:
        emit(_dump([{"rule": r.rule.name, "match": r.rule.pattern.pattern, "themes": list(r.rule.themes),
                      "drop": r.rule.drop, "matches": [{"story": s, "title": t} for s, t in r.stories]}
                     for r in report]), "json")  # fmt: skip
        return
    lines = []
    for result in report:
        action = "drop" if result.rule.drop else "themes " + ", ".join(result.rule.themes)
        lines.append(f"{result.rule.name} /{result.rule.pattern.pattern}/ ({action}): {len(result.stories)} matches")
        lines.extend(f"  {story}  {title}" for story, title in result.stories)
    emit("\n".join(lines) + "\n" if lines else "")
    if not lines:
        typer.echo("pulse.yaml has no rules", err=True)


app = typer.Typer(rich_markup_mode=None)
app.command(short_help="Read the sources into the inbox.", epilog=FETCH_EPILOG)(fetch)
app.add_typer(inbox_app, name="inbox")
app.command(short_help="The sources and their last fetch.")(sources)
app.add_typer(rules_app, name="rules")
