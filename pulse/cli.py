"""The `pulse` command line: parse, call the library, print, map errors to exit codes.

Heavy modules (yaml, jinja2, rich) are imported inside the commands that need
them, so that `pulse --help` starts about as fast as Python itself.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from pulse import __version__
from pulse.errors import ExitStatus, PulseError

if TYPE_CHECKING:
    from pulse.config import Settings


class _PulseGroup(TyperGroup):
    """Turns expected errors into a message on stderr and a named exit status."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PulseError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_status) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
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


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


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
) -> None:
    """Curate trend items in YAML; check, filter, rank and render them into a newsletter."""


@app.command(
    epilog="Examples:\n\n  pulse check\n\n  pulse check digests/2026 --format json\n\n"
    "Exit status: 0 when clean, 1 when there are errors, 2 for bad usage."
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
    from pulse.corpus import read_corpus, summarize

    settings = load_settings(data, config)
    corpus = read_corpus(paths or [settings.data], settings.themes, settings.currency)
    if output_format is CheckFormat.json:
        rows = [{"path": p.path, "line": p.line, "column": p.column, "message": p.message} for p in corpus.problems]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for problem in corpus.problems:
            typer.echo(str(problem), err=True)
    if corpus.problems:
        typer.echo(summarize(corpus.problems, len(corpus.files)), err=True)
        raise typer.Exit(ExitStatus.ERROR)
    typer.echo(f"ok: {corpus.describe()}", err=True)


app.command("validate", help="Alias of 'check'.")(check)


def run() -> None:
    """Entry point of the console script and `python -m pulse`."""
    app(prog_name="pulse")
