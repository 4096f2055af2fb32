"""The `pulse` command line: parse, call the library, print, map errors to exit codes.

Heavy modules (yaml, jinja2, rich) are imported inside the commands that need
them, so that `pulse --help` starts about as fast as Python itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import json
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from typer.core import TyperGroup

from pulse import __version__, cli_ingest
from pulse.errors import ExitStatus, PulseError, Terminated, UsageError, display_path
from pulse.kinds import Metric, SortKey, TrendKey
from pulse.render.formats import (
    DigestFormat,
    FrontMatter,
    ListFormat,
    TrendsFormat,
    render_issue,
    render_list,
    render_trends,
)

if TYPE_CHECKING:
    from pulse.cache import ParseCache
    from pulse.config import Settings
    from pulse.corpus import Corpus, Progress
    from pulse.render import Screen
    from pulse.select import Selection
    from pulse.trends import Trends as TrendsResult


class _PulseGroup(TyperGroup):
    """Lists commands main job first; turns expected errors into a message and a named exit status."""

    ORDER = (
        "digest",
        "list",
        "browse",
        "show",
        "themes",
        "trends",
        "feed",
        "add",
        "check",
        "validate",
        "init",
        "schema",
        "templates",
        "cache",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # name -> (short help, builder): subcommands built only when used (see lazy_group).
        self.lazy: dict[str, tuple[str, Callable[[], Any]]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        names = set(super().list_commands(ctx)) | set(self.lazy)
        return sorted(names, key=lambda name: (self.ORDER.index(name) if name in self.ORDER else len(self.ORDER), name))

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in self.lazy:
            self.commands[name] = self.lazy[name][1]()
        return super().get_command(ctx, name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError as ClickUsageError

        try:
            return super().resolve_command(ctx, args)
        except ClickUsageError as exc:
            if args and "Did you mean" not in exc.message:  # typer suggests only among built commands
                import difflib

                matches = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    exc.message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"
            raise

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list, from each command's short help: listing builds no command."""
        from typer._click.utils import make_default_short_help

        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
            else:
                rows.append((name, make_default_short_help(self.lazy[name][0], limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PulseError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_status) from None
        except Terminated:
            typer.echo("terminated; nothing was left half-written", err=True)
            raise typer.Exit(ExitStatus.TERMINATED) from None
        except KeyboardInterrupt:
            typer.echo("interrupted; nothing was left half-written", err=True)
            raise typer.Exit(ExitStatus.INTERRUPTED) from None


app = typer.Typer(
    name="pulse",
    cls=_PulseGroup,
    help="Curate trend items in YAML; check, filter, rank and render them into a newsletter.",
    epilog="Docs and the item format: see README.md. Exit codes: 0 ok, 1 bad data/config/template, 2 bad usage.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DataOption = Annotated[
    Optional[Path],
    typer.Option(
        "--data",
        help="The corpus folder [default: ./digests, or PULSE_DATA, or 'data' in pulse.yaml].",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config",
        help="The pulse.yaml to use [default: the nearest one above the current folder, or PULSE_CONFIG].",
        show_default=False,
    ),
]


NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colour (also: the NO_COLOR variable).")]
WidthOption = Annotated[
    Optional[int], typer.Option("--width", min=20, help="Wrap to N columns [default: the terminal's width].")
]


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


class ShowFormat(str, Enum):
    text = "text"
    json = "json"


class FeedFormat(str, Enum):
    atom = "atom"
    rss = "rss"
    json = "json"


class ThemesFormat(str, Enum):
    table = "table"
    json = "json"


@dataclass(frozen=True)
class SelectionArgs:
    """The selection options as typed on the command line, before they are checked."""

    theme: list[str]
    since: str | None
    until: str | None
    week: str | None
    days: int | None
    entity: list[str]
    search: str | None
    tag: list[str]
    region: list[str]
    sector: list[str]
    min_importance: int | None
    min_amount: str | None

    def build(self, settings: Settings) -> Selection:
        """The checked Selection; a bad value is a usage error."""
        from pulse.select import build_selection

        return build_selection(settings.themes, today(), currency=settings.currency, **vars(self))


def complete_theme(incomplete: str) -> list[str]:
    """Shell completion: theme keys and aliases."""
    from pulse.config import load_settings as load

    try:
        return [name for name in load().themes.names() if name.startswith(incomplete.lower())]
    except PulseError:
        return []


def complete_id(incomplete: str) -> list[str]:
    """Shell completion: item ids."""
    from pulse.config import load_settings as load
    from pulse.corpus import read_corpus

    try:
        settings = load()
        items = read_corpus([settings.data], settings.themes, settings.currency).items
    except PulseError:
        return []
    return sorted(item.id for item in items if item.id.startswith(incomplete))


def _option(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


_SELECTION_PARAMETERS = [
    _option(
        "theme",
        Annotated[
            Optional[list[str]],
            typer.Option(
                "--theme",
                "-t",
                help="Only this theme or alias (repeat for any of several).",
                autocompletion=complete_theme,
            ),
        ],
    ),
    _option(
        "since", Annotated[Optional[str], typer.Option(help="From this date: 2026-03-01, -7d, -2w, last-week, ...")]
    ),
    _option("until", Annotated[Optional[str], typer.Option(help="Up to this date (same forms as --since).")]),
    _option("week", Annotated[Optional[str], typer.Option(help="One ISO week: 2026-W12.")]),
    _option("days", Annotated[Optional[int], typer.Option(help="The N days ending with --until (default: today).")]),
    _option(
        "entity", Annotated[Optional[list[str]], typer.Option(help="Only items naming this entity (case-insensitive).")]
    ),
    _option(
        "search",
        Annotated[Optional[str], typer.Option(help="Words that must all appear in title, summary, entities or tags.")],
    ),
    _option("tag", Annotated[Optional[list[str]], typer.Option(help="Only items with this tag.")]),
    _option("region", Annotated[Optional[list[str]], typer.Option(help="Only items from this region.")]),
    _option("sector", Annotated[Optional[list[str]], typer.Option(help="Only items of this sector.")]),
    _option("min_importance", Annotated[Optional[int], typer.Option(min=1, max=5, help="Only importance N or more.")]),
    _option(
        "min_amount", Annotated[Optional[str], typer.Option(help="Only amounts of at least this much: 100M, $1B.")]
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def with_selection(command: F) -> F:
    """Give a command the shared selection options, gathered into its `selection` argument."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "selection"]
    names = [p.name for p in _SELECTION_PARAMETERS]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in names}
        for name in ("theme", "entity", "tag", "region", "sector"):
            values[name] = values[name] or []
        return command(*args, selection=SelectionArgs(**values), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=own + _SELECTION_PARAMETERS)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in own + _SELECTION_PARAMETERS}
    wrapper.__annotations__["return"] = signature.return_annotation
    return wrapper  # type: ignore[return-value]


def today() -> dt.date:
    """Today, or the date in PULSE_TODAY (for reproducible runs)."""
    fixed = os.environ.get("PULSE_TODAY")
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise UsageError(f"PULSE_TODAY='{fixed}' is not a date like 2026-03-16") from None


def screen(no_color: bool, width: int | None) -> Screen:
    """What stdout can show: colour and links only on a terminal, and never under NO_COLOR."""
    from pulse.render import Screen

    tty = sys.stdout.isatty()
    color = tty and not no_color and not os.environ.get("NO_COLOR")
    return Screen(width=width or shutil.get_terminal_size((100, 24)).columns, color=color, links=tty)


def emit(text: str) -> None:
    """Write the product to stdout."""
    sys.stdout.write(text)
    sys.stdout.flush()


def note(message: str) -> None:
    """A diagnostic on stderr."""
    typer.echo(message, err=True)


def load_corpus(settings: Settings) -> Corpus:
    """The valid corpus of the project, or a DataError listing every problem."""
    return read_corpus(settings).require_valid()


def read_corpus(settings: Settings, paths: list[Path] | None = None) -> Corpus:
    """The corpus with its problems, through the parse cache, with a progress bar on a slow load."""
    from pulse.loader import load

    with progress_bar("Reading the corpus") as progress:
        return load(paths or [settings.data], settings.themes, settings.currency, cache=open_cache(settings),
                    progress=progress)  # fmt: skip


def open_cache(settings: Settings) -> ParseCache | None:
    """The parse cache, unless --no-cache."""
    if not RUN.cache:
        return None
    from pulse.cache import ParseCache, default_cache_dir, fingerprint

    return ParseCache(RUN.cache_dir or default_cache_dir(), fingerprint(settings.themes, settings.currency))


@contextlib.contextmanager
def progress_bar(description: str) -> Iterator[Progress | None]:
    """A progress callback that shows a bar on stderr after half a second, on a terminal only."""
    if not sys.stderr.isatty():
        yield None
        return
    from pulse.render.terminal import DelayedProgress

    with DelayedProgress(description) as bar:
        yield bar.update


def report_error(exc: PulseError) -> None:
    """Print an expected error: each problem on its own line, then the message."""
    for problem in exc.problems:
        typer.echo(str(problem), err=True)
    typer.echo(f"error: {exc.message}", err=True)


def load_settings(data: Path | None, config: Path | None) -> Settings:
    """The project's settings, with a note when the bundled sample stands in for a project."""
    from pulse.config import load_settings as load

    settings = load(config=config, data=data)
    if settings.sample:
        typer.echo(
            "note: no pulse project here (no pulse.yaml or digests/ folder); "
            "using the bundled sample. Pass --data to read your own corpus.",
            err=True,
        )
    return settings


@dataclass
class RunOptions:
    """Options given before the command (`pulse --no-cache list`), for the command to use."""

    cache: bool = True
    cache_dir: Path | None = None


RUN = RunOptions()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pulse {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file, without the parse cache (or PULSE_NO_CACHE=1).")
    ] = False,
    cache_dir: Annotated[
        Optional[Path],
        typer.Option(
            help="The parse cache's folder [default: $PULSE_CACHE_DIR, else $XDG_CACHE_HOME/pulse].", show_default=False
        ),
    ] = None,
) -> None:
    """Curate trend items in YAML; check, filter, rank and render them into a newsletter."""
    RUN.cache = not no_cache and os.environ.get("PULSE_NO_CACHE", "") in ("", "0")
    RUN.cache_dir = cache_dir


@app.command(
    short_help="Validate the corpus: each error with its file, line, column.",
    epilog="Examples:\n\n  pulse check\n\n  pulse check digests/2026 --format json\n\n"
    "Exit status: 0 when clean, 1 when there are errors, 2 for bad usage.",
)
def check(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(help="Files or folders to check [default: the data folder].", show_default=False),
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text: errors on stderr; json: a list on stdout.")
    ] = CheckFormat.text,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Validate the corpus: every error with its file, line and column."""
    from pulse.corpus import summarize
    from pulse.render.records import json_text

    settings = load_settings(data, config)
    corpus = read_corpus(settings, paths)
    if output_format is CheckFormat.json:
        rows = [{"path": p.path, "line": p.line, "column": p.column, "message": p.message} for p in corpus.problems]
        typer.echo(json_text(rows), nl=False)
    else:
        for problem in corpus.problems:
            typer.echo(str(problem), err=True)
    if corpus.problems:
        typer.echo(summarize(corpus.problems, len(corpus.files)), err=True)
        raise typer.Exit(ExitStatus.ERROR)
    typer.echo(f"ok: {corpus.describe()}", err=True)


app.command("validate", help="Alias of 'check'.")(check)


@app.command(
    "list",
    short_help="Filtered, ranked items: a table, JSON, CSV or Markdown.",
    epilog="Examples:\n\n  pulse list --theme funding --since 2026-03-01\n\n"
    "  pulse list --entity AMD --sort date\n\n  pulse list --min-amount 1B --format json\n\n"
    "  pulse list --theme safety --days 90 --limit 10 --explain",
)
@with_selection
def list_items(
    selection: SelectionArgs,
    limit: Annotated[Optional[int], typer.Option("--limit", "--top", "-n", min=1, help="Show the first N.")] = None,
    sort: Annotated[SortKey, typer.Option(help="score, date (newest first), amount, or editorial (file order).")] = (
        SortKey.score
    ),
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the order.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show each part of each score.")] = False,
    output_format: Annotated[ListFormat, typer.Option("--format", "-f", help="table on a terminal, or data.")] = (
        ListFormat.table
    ),
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Filtered, ranked items: a table, or JSON, CSV or Markdown."""
    from pulse.rank import rank_items, reference_date
    from pulse.select import select_items

    settings = load_settings(data, config)
    chosen_selection = selection.build(settings)
    corpus = load_corpus(settings)
    chosen = select_items(corpus.items, chosen_selection)
    reference = reference_date(chosen, chosen_selection.window.until)
    ranked = rank_items(chosen, settings.weights, reference, sort, reverse=reverse)[:limit]
    if not ranked:
        note(f"no items match the selection ({len(corpus.items)} items in the corpus)")
    emit(render_list(ranked, output_format, settings.themes, screen(no_color, width), explain))


@app.command(
    short_help="The terminal app: filter, search and preview the corpus, one key each.",
    epilog="Examples:\n\n  pulse browse\n\n  pulse browse --theme funding --since 2026-03-01\n\n"
    "Keys: 1-9 themes, 0 clear, / search, w window, s sort, enter open, o source, d digest, ? keys, q quit.",
)
@with_selection
def browse(
    selection: SelectionArgs,
    sort: Annotated[SortKey, typer.Option(help="score, date (newest first) or amount; s cycles them.")] = (
        SortKey.score
    ),
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """The terminal app over the corpus: a list, a preview and a status line, one key per filter."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("browse needs a terminal; use pulse list")
    from pulse.tui import run_browse

    settings = load_settings(data, config)
    chosen = selection.build(settings)
    corpus = load_corpus(settings)
    run_browse(settings, corpus.items, corpus.digests, chosen, sort, today())


@app.command(
    short_help="One item in full, with its sources, file and line.",
    epilog="Examples:\n\n  pulse show together-ai-funding-round\n\n  pulse show nscale-series-c --format json",
)
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="The item's id.", autocompletion=complete_id)],
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """One item in full: every field, its sources as links, its file and line."""
    from pulse.render import records
    from pulse.select import find_item

    settings = load_settings(data, config)
    item = find_item(load_corpus(settings).items, item_id)
    shown = screen(no_color, width)
    if output_format is ShowFormat.json:
        emit(records.json_text(records.item_record(item)))
    elif shown.links:
        from pulse.render.terminal import item_panel

        emit(item_panel(item, settings.themes, shown))
    else:
        emit(records.to_plain_item(item, settings.themes))


@app.command(
    short_help="The theme registry, with item counts.",
    epilog="Examples:\n\n  pulse themes\n\n  pulse themes --format json",
)
def themes(
    output_format: Annotated[ThemesFormat, typer.Option("--format", "-f")] = ThemesFormat.table,
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """The theme registry: key, title, aliases, item count and latest item date."""
    from pulse.render import records
    from pulse.select import count_by_theme

    settings = load_settings(data, config)
    counts = count_by_theme(load_corpus(settings).items, settings.themes)
    if output_format is ThemesFormat.json:
        emit(records.themes_json(counts))
        return
    rows = records.theme_rows(counts)
    shown = screen(no_color, width)
    if shown.links:
        from pulse.render.terminal import themes_table

        emit(themes_table(rows, settings.themes, shown))
    else:
        emit(records.plain_columns(rows))


DIGEST_EPILOG = """Examples:

  pulse digest                                  the newest issue (terminal, or Markdown when piped)

  pulse digest --week 2026-W12 > site/content/posts/2026-w12.md

  pulse digest --format markdown --front-matter hugo --output post.md

  pulse digest --theme funding --top 3 --pager

  pulse digest --format html --output issue.html      (email-ready)

Without --week, --since, --until or --days, the issue is the newest digest: block
of the corpus and the items of its window (else the newest item's ISO week)."""


@app.command(short_help="Render an issue: Markdown, or a terminal newsletter.", epilog=DIGEST_EPILOG)
@with_selection
def digest(
    selection: SelectionArgs,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Keep the first N items of each section.")] = None,
    sort: Annotated[
        Optional[SortKey],
        typer.Option(help="Order inside sections [default: editorial with a digest: block, else score]."),
    ] = None,
    output_format: Annotated[
        Optional[DigestFormat],
        typer.Option(
            "--format", "-f", help="terminal, markdown, html or json [default: terminal on a terminal, else markdown]"
        ),
    ] = None,
    front_matter: Annotated[
        FrontMatter, typer.Option("--front-matter", help="YAML front matter for a static site.")
    ] = FrontMatter.none,
    draft: Annotated[bool, typer.Option("--draft", help="Mark the post as a draft in the front matter.")] = False,
    template: Annotated[Optional[Path], typer.Option(help="A Jinja2 template to render with.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE (atomically).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --output file.")] = False,
    pager: Annotated[bool, typer.Option("--pager", help="Page the issue on a terminal ($PAGER, else less).")] = False,
    fail_empty: Annotated[bool, typer.Option("--fail-empty", help="Exit 1 when the window has no items.")] = False,
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Render one issue of the newsletter: Markdown, or a terminal newsletter."""
    from pulse.compose import build_issue

    settings = load_settings(data, config)
    corpus = load_corpus(settings)
    issue = build_issue(
        corpus.items, corpus.digests, selection.build(settings), settings.themes, settings.weights,
        name=settings.name, sort=sort, top=top,
    )  # fmt: skip
    if issue.item_count == 0:
        note(f"no items in the window {issue.window} ({len(corpus.items)} items in the corpus)")
        raise typer.Exit(ExitStatus.ERROR if fail_empty else ExitStatus.OK)
    shown = screen(no_color, width)
    if output_format is None:
        output_format = DigestFormat.terminal if shown.links and output is None else DigestFormat.markdown
    text = render_issue(
        issue, output_format, shown, front_matter=front_matter, draft=draft, template=template,
        project_templates=project_templates(settings),
    )  # fmt: skip
    deliver(text, output, force=force, pager=pager and shown.links)


def project_templates(settings: Settings) -> Path | None:
    """The project's templates/ folder, searched before the built-in templates."""
    return None if settings.sample else settings.root / "templates"


def deliver(text: str, output: Path | None, *, force: bool = False, pager: bool = False) -> None:
    """Write the product to --output, a pager, or stdout."""
    if output is not None:
        from pulse.output import write_atomic

        write_atomic(output, text, force=force)
        note(f"wrote {output}")
    elif pager:
        import shlex
        import subprocess

        command = shlex.split(os.environ.get("PAGER") or "less -R")
        try:
            subprocess.run(command, input=text, text=True, check=False)
        except OSError:
            emit(text)
    else:
        emit(text)


ADD_EPILOG = """Examples:

  pulse add --title "Nscale secures $2B Series C" --theme funding --entity Nscale --amount 2B

  pulse add --from-json - < items.json

  pulse add                       (on a terminal: asks for the title and themes)

The item goes to the file of its ISO week (digests/2026/2026-W12.yaml), created when
missing, or to --file. It is validated like 'pulse check' first; an invalid item
changes no file. The new id is printed on stdout."""


def stdin_is_interactive() -> bool:
    """True when a person can answer prompts."""
    return sys.stdin.isatty()


@app.command(short_help="Add an item (flags, JSON on stdin, or prompts).", epilog=ADD_EPILOG)
def add(
    title: Annotated[Optional[str], typer.Option(help="The headline (required).")] = None,
    theme: Annotated[
        Optional[list[str]],
        typer.Option("--theme", "-t", help="A theme (repeat; required).", autocompletion=complete_theme),
    ] = None,
    summary: Annotated[Optional[str], typer.Option(help="The sentence the digest prints.")] = None,
    date: Annotated[Optional[str], typer.Option(help="The day it was reported [default: today].")] = None,
    entity: Annotated[Optional[list[str]], typer.Option(help="A company, person or product (repeat).")] = None,
    amount: Annotated[Optional[str], typer.Option(help="Money raised: 2B, $300M, €2 billion.")] = None,
    valuation: Annotated[Optional[str], typer.Option(help="A valuation, like --amount.")] = None,
    round_: Annotated[Optional[str], typer.Option("--round", help="The funding round: Series C.")] = None,
    region: Annotated[Optional[str], typer.Option(help="Where: UK, France.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="The sector lead-in: Healthcare.")] = None,
    label: Annotated[Optional[str], typer.Option(help="A bold lead-in for the bullet.")] = None,
    importance: Annotated[Optional[int], typer.Option(min=1, max=5, help="1 to 5 [default: 3].")] = None,
    source: Annotated[Optional[list[str]], typer.Option(help="An http(s) URL (repeat).")] = None,
    tag: Annotated[Optional[list[str]], typer.Option(help="A tag (repeat).")] = None,
    item_id: Annotated[Optional[str], typer.Option("--id", help="The id [default: a slug of the title].")] = None,
    file: Annotated[Optional[Path], typer.Option(help="Add to this file instead of the week's file.")] = None,
    from_json: Annotated[
        Optional[typer.FileText],
        typer.Option("--from-json", help="Read one item or a list of items as JSON ('-' is stdin)."),
    ] = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Add items to the corpus without touching anything else in the file."""
    from pulse.author import add_items

    settings = load_settings(data, config)
    if from_json is not None:
        entries = read_json_items(from_json.read())
    else:
        if stdin_is_interactive():
            title, theme = prompt_missing(settings, title, theme)
        missing = [flag for flag, value in (("--title", title), ("--theme", theme)) if not value]
        if missing:
            raise UsageError(f"missing {' and '.join(missing)} (or run pulse add on a terminal to be asked)")
        fields = {
            "id": item_id, "title": title, "summary": summary, "date": parse_date_flag(date), "themes": theme,
            "entities": entity, "amount": amount, "valuation": valuation, "round": round_, "region": region,
            "sector": sector, "label": label, "importance": importance, "sources": source, "tags": tag,
        }  # fmt: skip
        entries = [{key: value for key, value in fields.items() if value not in (None, [])}]
    for added in add_items(
        entries, data=settings.data, root=settings.root, themes=settings.themes,
        currency=settings.currency, target=file, today=today(),
    ):  # fmt: skip
        emit(added.id + "\n")
        note(f"added {added.id} to {display_path(added.path)}")


def parse_date_flag(text: str | None) -> dt.date:
    """--date: an ISO or relative date, today by default."""
    from pulse.select import parse_day

    return parse_day(text, today()) if text else today()


def read_json_items(text: str) -> list[dict[str, object]]:
    """One item (an object) or a list of them, from JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PulseError(f"--from-json: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    entries = data if isinstance(data, list) else [data]
    if not entries or not all(isinstance(entry, dict) for entry in entries):
        raise PulseError("--from-json: expected an object or a list of objects, one per item")
    return entries


def prompt_missing(settings: Settings, title: str | None, theme: list[str] | None) -> tuple[str, list[str]]:
    """Ask for the title and themes when they were not given, checking each answer."""
    from pulse.select import theme_keys

    def themes_answer(answer: str) -> list[str]:
        names = [name for name in answer.replace(",", " ").split() if name]
        try:
            return theme_keys(settings.themes, names) if names else []
        except UsageError as exc:
            raise typer.BadParameter(exc.message) from None

    while not title or not title.strip():
        title = typer.prompt("Title")
    known = ", ".join(settings.themes.keys())
    while not theme:
        theme = typer.prompt(f"Themes ({known})", value_proc=themes_answer)
    return title, list(theme)


FEED_EPILOG = """Examples:

  pulse feed --format atom --output feed.xml

  pulse feed --theme funding --format rss --base-url https://example.com/pulse

  pulse feed --per-theme public/feeds --force

The feed's title, author and base URL come from pulse.yaml (feed: title, author,
base_url; else name and site_url). Entry ids are the base URL and the item id."""


@app.command(short_help="Atom, RSS or JSON Feed of the corpus or a selection.", epilog=FEED_EPILOG)
@with_selection
def feed(
    selection: SelectionArgs,
    output_format: Annotated[FeedFormat, typer.Option("--format", "-f", help="atom, rss or json.")] = FeedFormat.atom,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="The newest N items.")] = 50,
    base_url: Annotated[Optional[str], typer.Option(help="The feed's base URL [default: from pulse.yaml].")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE (atomically).")] = None,
    per_theme: Annotated[
        Optional[Path], typer.Option("--per-theme", help="Write one feed per theme into DIR.", file_okay=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing feed files.")] = False,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """The corpus, or a selection of it, as a feed: newest first, one entry per item."""
    from pulse.publish import feed_info, feed_items, per_theme_feeds
    from pulse.render.feeds import render_feed

    settings = load_settings(data, config)
    info = feed_info(settings, base_url)
    chosen = feed_items(load_corpus(settings).items, selection.build(settings), limit)
    if per_theme is not None:
        for path in per_theme_feeds(chosen, info, settings.themes, output_format.value, per_theme, force=force):
            note(f"wrote {display_path(path)}")
        return
    if not chosen:
        note("no items match the selection; the feed has no entries")
    deliver(render_feed(chosen, info, settings.themes, output_format.value), output, force=force)


TRENDS_EPILOG = """Examples:

  pulse trends                                  themes over the last 8 weeks of the corpus

  pulse trends --by entity --weeks 12 --limit 10

  pulse trends --metric amount --format markdown

  pulse trends --by sector --chart trends.svg

Momentum compares the last k weeks with the k weeks before (k = half the weeks, at
most 4): momentum = recent total - earlier total. Keys are ranked rising first."""


@app.command(short_help="Which themes, entities or sectors are rising, week by week.", epilog=TRENDS_EPILOG)
@with_selection
def trends(
    selection: SelectionArgs,
    weeks: Annotated[int, typer.Option(min=2, max=520, help="How many ISO weeks, ending with the window's last.")] = 8,
    by: Annotated[TrendKey, typer.Option(help="What to group by.")] = TrendKey.theme,
    metric: Annotated[Metric, typer.Option(help="count of items, or amount of money.")] = Metric.items,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="The first N keys.")] = None,
    output_format: Annotated[TrendsFormat, typer.Option("--format", "-f")] = TrendsFormat.table,
    chart: Annotated[
        Optional[Path], typer.Option(help="Also draw the series as an .svg or .png (pulse[charts]).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --chart file.")] = False,
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Items and money per theme, entity, sector, region or tag, week by week, rising first."""
    from pulse.trends import top, trends_for

    settings = load_settings(data, config)
    chosen = selection.build(settings)
    result = top(trends_for(load_corpus(settings).items, chosen, weeks, by, metric, settings.currency), limit)
    if chart is not None:
        write_chart(result, chart, settings, force=force)
    if not result.keys:
        note(f"no items in the weeks {result.weeks[0]} to {result.weeks[-1]}")
    emit(render_trends(result, output_format, settings.themes, screen(no_color, width)))


def write_chart(result: TrendsResult, path: Path, settings: Settings, *, force: bool) -> None:
    """Draw the chart into an .svg or .png file."""
    from pulse.output import write_atomic
    from pulse.render.chart import CHART_FORMATS, render_chart
    from pulse.themes import css_colour

    chart_format = path.suffix.lower().lstrip(".")
    if chart_format not in CHART_FORMATS:
        raise UsageError(f"--chart {path}: the file must end in .svg or .png")
    colours = {theme.key: css_colour(theme.color) for theme in settings.themes}
    write_atomic(path, render_chart(result, chart_format, colours), force=force)
    note(f"wrote {display_path(path)}")


@app.command(
    short_help="Start a project: pulse.yaml, digests/, templates/.",
    epilog="Examples:\n\n  pulse init newsletter\n\n  pulse init --empty --name 'Chip Weekly'",
)
def init(
    folder: Annotated[Path, typer.Argument(help="Where [default: the current folder].")] = Path("."),
    empty: Annotated[bool, typer.Option("--empty", help="No sample issue in digests/.")] = False,
    name: Annotated[Optional[str], typer.Option(help="The newsletter's name in pulse.yaml.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Add what is missing to an existing project.")] = False,
) -> None:
    """Scaffold a project; a file you changed is never overwritten."""
    from pulse.scaffold import init_project

    for outcome in init_project(folder, empty=empty, force=force, name=name):
        note(f"{outcome.action:<9} {display_path(outcome.path)}")
    note(f"next: cd {display_path(folder)} && pulse check && pulse digest")


@app.command(
    short_help="JSON Schema of an item file, for editors.",
    epilog="Examples:\n\n  pulse schema > pulse.schema.json\n\n"
    "Then start an item file with:\n\n  # yaml-language-server: $schema=../../pulse.schema.json",
)
def schema(
    issue: Annotated[bool, typer.Option("--issue", help="The schema of 'pulse digest --format json' instead.")] = False,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of an item file, with the project's themes."""
    from pulse.schema import issue_schema_json, schema_json

    themes = load_settings(data, config).themes
    emit(issue_schema_json() if issue else schema_json(themes))


templates_app = typer.Typer(
    short_help="List the built-in templates, or copy one to edit.", no_args_is_help=False, rich_markup_mode=None
)
app.add_typer(templates_app, name="templates")


@templates_app.callback(
    invoke_without_command=True,
    epilog="Examples:\n\n  pulse templates\n\n  pulse templates copy digest.md.j2",
)
def templates(
    ctx: typer.Context,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """List the built-in templates and the file each one is read from (a project override wins)."""
    if ctx.invoked_subcommand is not None:
        return
    from pulse.render.records import plain_columns
    from pulse.render.templates import list_templates

    settings = load_settings(data, config)
    rows = [["NAME", "SOURCE", "PATH"]]
    for info in list_templates(project_templates(settings)):
        rows.append([info.name, "project" if info.overridden else "built-in", display_path(info.path)])
    emit(plain_columns(rows))


@templates_app.command("copy")
def templates_copy(
    name: Annotated[str, typer.Argument(help="The template to copy, e.g. digest.md.j2.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite a copy that exists.")] = False,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Copy a built-in template into the project's templates/ folder, to edit it."""
    from pulse.render.templates import copy_template

    settings = load_settings(data, config)
    folder = project_templates(settings)
    if folder is None:
        raise UsageError("no pulse project here to copy into; run this inside a project (with pulse.yaml)")
    note(f"copied {name} to {display_path(copy_template(name, folder, force=force))}")


cache_app = typer.Typer(short_help="Show or clear the parse cache.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


def cache_folder() -> Path:
    """The cache folder in use (--cache-dir, else the default)."""
    from pulse.cache import default_cache_dir

    return RUN.cache_dir or default_cache_dir()


@cache_app.command("info")
def cache_info() -> None:
    """Where the parse cache is, how many files it holds and their size."""
    from pulse.cache import cache_info as info

    found = info(cache_folder())
    emit(f"folder:  {found.folder}\nentries: {found.entries}\nsize:    {found.size / 1e6:.1f} MB\n")


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every entry of the parse cache (the next run parses all files again)."""
    from pulse.cache import clear_cache

    note(f"removed {clear_cache(cache_folder())} cache entries from {cache_folder()}")


cli_ingest.register(app)  # fetch, inbox, sources, rules test


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def lazy_group() -> _PulseGroup:
    """The click group of `app` with every subcommand built on first use.

    typer builds all fourteen commands (every option of every one) before running
    any; building only the one asked for saves that time on every run (about 13 ms
    of `pulse --help`). The tests drive `app` itself, built the usual way, and the
    console script this group; both must give the same output.
    """
    import typer.main as typer_main

    commands, groups = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = [], []
    try:
        group = typer_main.get_command(app)
    finally:
        app.registered_commands, app.registered_groups = commands, groups
    assert isinstance(group, _PulseGroup)
    short_tracebacks, markup = app.pretty_exceptions_short, app.rich_markup_mode
    for info in commands:
        assert info.callback is not None
        name = info.name or typer_main.get_command_name(info.callback.__name__)
        short = info.short_help or (info.help or inspect.getdoc(info.callback) or "").split("\n")[0]
        build_command = functools.partial(
            typer_main.get_command_from_info, info, pretty_exceptions_short=short_tracebacks, rich_markup_mode=markup
        )
        group.lazy[name] = (short, build_command)
    for sub in groups:
        assert sub.typer_instance is not None and isinstance(sub.name, str)
        short = str(sub.typer_instance.info.short_help or "")
        build_group = functools.partial(
            typer_main.get_group_from_info,
            sub,
            pretty_exceptions_short=short_tracebacks,
            suggest_commands=True,
            rich_markup_mode=markup,
        )
        group.lazy[sub.name] = (short, build_group)
    return group


def run() -> None:
    """Entry point of the console script and `python -m pulse`."""
    signal.signal(signal.SIGTERM, _terminate)
    lazy_group().main(prog_name="pulse")
