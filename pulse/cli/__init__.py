"""The `pulse` command line: a module per command family, each command built only when it runs.

Every command parses its options, makes one call to the library (pulse.project),
prints the result and leaves errors to the group, which maps a PulseError to its
exit status. Heavy modules (yaml, jinja2, rich) are imported inside the calls that
need them, and a family's module only when one of its commands runs, so that
`pulse --help` starts about as fast as a one-command click program.
"""

from __future__ import annotations

import importlib
import signal
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from pulse import __version__
from pulse.cli.common import RUN, report_error, use_cache
from pulse.cli.stdout import guard_stdout
from pulse.errors import ExitStatus, OutputError, PulseError, Terminated

COMMANDS: dict[str, tuple[str, str]] = {
    "digest": ("digest", "Render an issue: Markdown, or a terminal newsletter."),
    "issues": ("issues", "The issues of the corpus, newest first, with their windows."),
    "list": ("items", "Filtered, ranked items: a table, JSON, CSV or Markdown."),
    "browse": ("browse", "The terminal app: filter and preview the corpus by key."),
    "show": ("items", "One item in full, with its sources, file and line."),
    "themes": ("items", "The theme registry, with descriptions and item counts."),
    "trends": ("trends", "Which themes, entities or sectors are rising, week by week."),
    "feed": ("feed", "Atom, RSS or JSON Feed of the corpus or a selection."),
    "fetch": ("ingest", "Read the sources into the inbox."),
    "inbox": ("ingest", "The stories of the inbox: list, show, accept, reject."),
    "sources": ("ingest", "The sources and their last fetch."),
    "rules": ("ingest", "Rules: what each one matches in the inbox."),
    "add": ("add", "Add an item (flags, JSON on stdin, or prompts)."),
    "check": ("check", "Validate the corpus: each error with its file, line, column."),
    "validate": ("check", "Alias of 'check'."),
    "init": ("setup", "Start a project: pulse.yaml, digests/, templates/."),
    "schema": ("setup", "JSON Schema of an item file, for editors."),
    "templates": ("templates", "List the built-in templates, or copy one to edit."),
    "cache": ("cache", "Show or clear the parse cache."),
}
"""Each command, in the order `pulse --help` lists them: the module of its family and its short help."""


def build_command(name: str) -> Any:
    """The click command `name`, from its family's Typer app (typer.main.get_command, typer's public API)."""
    family = importlib.import_module(f"pulse.cli.{COMMANDS[name][0]}")
    command = typer.main.get_command(family.app)
    if isinstance(command, TyperGroup) and name in command.commands:  # a family of commands, not a group
        return command.commands[name]
    return command


def short_help(text: str, limit: int) -> str:
    """The help text, cut at a word with '...' when longer than `limit`."""
    if len(text) <= limit:
        return text
    return text[: max(text.rfind(" ", 0, limit - 3), 0)] + "..."


class PulseGroup(TyperGroup):
    """Lists commands main job first, builds only the one that runs, and maps errors to exit statuses."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in self.commands and name in COMMANDS:
            self.commands[name] = build_command(name)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib

            matches = difflib.get_close_matches(name, list(COMMANDS))
            hint = f" Did you mean {', '.join(map(repr, matches))}?" if matches else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list, from the short helps above: listing builds no command."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        with formatter.section("Commands"):
            formatter.write_dl([(name, short_help(text, limit)) for name, (_, text) in COMMANDS.items()])

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
        except typer.Abort:  # Ctrl-C or Ctrl-D (the end of input) at a prompt, which click turns into Abort
            typer.echo("\ninterrupted at the prompt; nothing was written", err=True)
            raise typer.Exit(ExitStatus.INTERRUPTED) from None


app = typer.Typer(
    name="pulse",
    cls=PulseGroup,
    help="Curate trend items in YAML; check, filter, rank and render them into a newsletter.",
    epilog="Docs and the item format: see README.md. Exit codes: 0 ok, 1 bad data/config/template or a failed "
    "source, 2 bad usage, 130 interrupted.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
    RUN.cache = use_cache(no_cache)
    RUN.cache_dir = cache_dir


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def run() -> None:
    """Entry point of `python -m pulse` and of programs that embed the command line."""
    signal.signal(signal.SIGTERM, _terminate)
    guard_stdout()
    try:
        typer.main.get_command(app).main(prog_name="pulse")
    except OutputError as exc:  # writing help or --version, outside a command
        report_error(exc)
        sys.exit(exc.exit_status)


def console() -> None:
    """Entry point of the `pulse` console script: run(), then, after a command that succeeded, end the
    process without tearing down what it loaded (freeing a 100,000-item corpus object by object
    costs about a tenth of a warm run). stdout and stderr are flushed first; nothing else is left
    to clean up. Any other ending (an error, an interrupt, a failed flush) exits as usual. A load
    freezes what it made out of the garbage collector's sight (pulse.reading.FREEZE_LOADS): this
    process ends with the command."""
    import pulse.reading

    pulse.reading.FREEZE_LOADS = True
    try:
        run()
    except SystemExit as exc:
        if exc.code in (0, None):
            _exit_at_once()
        raise


def _exit_at_once() -> None:
    import os
    import sys

    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: closed before pulse started (2>&-)
                stream.flush()
    except (OSError, ValueError):
        return  # the usual exit reports it
    os._exit(0)


__all__ = ["COMMANDS", "app", "console", "run"]
