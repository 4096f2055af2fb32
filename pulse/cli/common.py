"""What the commands share: the common options, opening the project, printing the product and notes."""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from pulse.errors import PulseError

if TYPE_CHECKING:
    from pulse.project import Project
    from pulse.reading.corpus import Progress
    from pulse.render import Screen

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
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the output file.")]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE (atomically).")]


@dataclass
class RunOptions:
    """Options given before the command (`pulse --no-cache list`), for the command to use."""

    cache: bool = True
    cache_dir: Path | None = None


RUN = RunOptions()


def use_cache(no_cache: bool) -> bool:
    """Whether to read through the parse cache: not with --no-cache or PULSE_NO_CACHE=1."""
    return not no_cache and os.environ.get("PULSE_NO_CACHE", "") in ("", "0")


def open_project(data: Path | None, config: Path | None) -> Project:
    """The project, with a note when the bundled sample stands in for one."""
    from pulse.project import Project

    project = Project.open(data, config, use_cache=RUN.cache, cache_dir=RUN.cache_dir, progress=progress_bar)
    if project.settings.sample:
        note(
            "note: no pulse project here (no pulse.yaml or digests/ folder); "
            "using the bundled sample. Pass --data to read your own corpus."
        )
    return project


@contextlib.contextmanager
def progress_bar(description: str) -> Iterator[Progress | None]:
    """A progress callback that shows a bar on stderr after half a second, on a terminal only."""
    if sys.stderr is None or not sys.stderr.isatty():  # None: stderr was closed (2>&-)
        yield None
        return
    from pulse.render.terminal import DelayedProgress

    with DelayedProgress(description) as bar:
        yield bar.update


def screen(no_color: bool, width: int | None) -> Screen:
    """What stdout can show: colours and OSC 8 links only on a terminal that takes escape sequences.

    --no-color, NO_COLOR and TERM=dumb get the terminal layout without any escape sequence.
    """
    from pulse.render import Screen

    tty = sys.stdout.isatty()
    plain = no_color or bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    columns = width or shutil.get_terminal_size((100, 24)).columns
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    return Screen(width=columns, color=tty and not plain, links=tty and not plain, terminal=tty, encoding=encoding)


def emit(text: str, kind: str = "text") -> None:
    """Write the product to stdout.

    Characters the stream's encoding lacks are degraded for the `kind` of output
    ("text", "json", or "xml" for XML and HTML; see pulse.render.encoding). A failure
    to write is an OutputError from the guarded stdout (pulse.cli.stdout).
    """
    from pulse.render.encoding import fit_encoding

    sys.stdout.write(fit_encoding(text, getattr(sys.stdout, "encoding", None), kind))
    sys.stdout.flush()


def output_kind(output_format: object) -> str:
    """How `emit` degrades a format for a narrow encoding: "json", "xml" (Atom, RSS, HTML) or "text"."""
    value = str(getattr(output_format, "value", output_format))
    return "json" if value == "json" else "xml" if value in ("atom", "rss", "html") else "text"


def note(message: str) -> None:
    """A diagnostic on stderr."""
    typer.echo(message, err=True)


def report_error(exc: PulseError) -> None:
    """Print an expected error: each problem on its own line, then the message."""
    for problem in exc.problems:
        typer.echo(str(problem), err=True)
    typer.echo(f"error: {exc.message}", err=True)


def deliver(text: str, output: Path | None, *, force: bool = False, pager: bool = False, kind: str = "text") -> None:
    """Write the product to --output (atomically), a pager, or stdout."""
    if output is not None:
        from pulse.writing.output import write_atomic

        write_atomic(output, text, force=force)
        note(f"wrote {output}")
        return
    if pager:
        import shlex
        import subprocess

        command = shlex.split(os.environ.get("PAGER") or "less -R")
        with contextlib.suppress(OSError):
            subprocess.run(command, input=text, text=True, check=False)
            return
    emit(text, kind)


def complete_theme(incomplete: str) -> list[str]:
    """Shell completion: theme keys and aliases."""
    from pulse.reading.settings import load_settings

    try:
        return [name for name in load_settings().themes.names() if name.startswith(incomplete.lower())]
    except PulseError:
        return []


def complete_id(incomplete: str) -> list[str]:
    """Shell completion: item ids."""
    from pulse.project import Project

    try:
        items = Project.open(use_cache=False).check().items
    except PulseError:
        return []
    return sorted(item.id for item in items if item.id.startswith(incomplete))


def _option(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)


_TEXTS = Optional[list[str]]
_SELECTION_PARAMETERS = [
    _option(
        "theme",
        Annotated[
            _TEXTS,
            typer.Option(
                "--theme", "-t", help="Only this theme or alias (repeat for any of several).",
                autocompletion=complete_theme,
            ),
        ],
    ),
    _option("since", Annotated[Optional[str], typer.Option(help="From this date: 2026-03-01, -7d, -2w, last-week, ...")]),  # noqa: E501
    _option("until", Annotated[Optional[str], typer.Option(help="Up to this date (same forms as --since).")]),
    _option("week", Annotated[Optional[str], typer.Option(help="One ISO week: 2026-W12.")]),
    _option("days", Annotated[Optional[int], typer.Option(help="The N days ending with --until (default: today).")]),
    _option("entity", Annotated[_TEXTS, typer.Option(help="Only items naming this entity (case-insensitive).")]),
    _option(
        "search",
        Annotated[Optional[str], typer.Option(help="Words that must all appear in title, summary, entities or tags.")],
    ),
    _option("tag", Annotated[_TEXTS, typer.Option(help="Only items with this tag.")]),
    _option("region", Annotated[_TEXTS, typer.Option(help="Only items from this region.")]),
    _option("sector", Annotated[_TEXTS, typer.Option(help="Only items of this sector.")]),
    _option("min_importance", Annotated[Optional[int], typer.Option(min=1, max=5, help="Only importance N or more.")]),
    _option("min_amount", Annotated[Optional[str], typer.Option(help="Only amounts of at least this much, in any currency: 100M, €1B.")]),  # noqa: E501
    _option("max_amount", Annotated[Optional[str], typer.Option(help="Only amounts of at most this much, in any currency.")]),  # noqa: E501
]  # fmt: skip

F = TypeVar("F", bound=Callable[..., Any])


def with_selection(command: F) -> F:
    """Give a command the shared selection options, gathered into its `selection` argument."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "selection"]
    names = [p.name for p in _SELECTION_PARAMETERS]

    from pulse.project import SelectionOptions  # when a command is built: `pulse --help` does without it

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values: dict[str, Any] = {name: kwargs.pop(name) for name in names}
        values.update({name: values[name] or () for name in _LISTS})
        return command(*args, selection=SelectionOptions(**values), **kwargs)

    wrapper.__signature__ = signature.replace(parameters=own + _SELECTION_PARAMETERS)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in own + _SELECTION_PARAMETERS}
    wrapper.__annotations__["return"] = signature.return_annotation
    return wrapper  # type: ignore[return-value]


_LISTS = ("theme", "entity", "tag", "region", "sector")
