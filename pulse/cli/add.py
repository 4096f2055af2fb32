"""`pulse add`: add items without touching anything else in the file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from pulse.cli.common import ConfigOption, DataOption, complete_theme, emit, note, open_project
from pulse.errors import PulseError, UsageError, display_path

if TYPE_CHECKING:
    from pulse.model import ThemeRegistry

app = typer.Typer(rich_markup_mode=None)

ADD_EPILOG = """Examples:

  pulse add --title "Nscale secures $2B Series C" --theme funding --entity Nscale --amount 2B

  pulse add --from-json - < items.json

  pulse add                       (on a terminal: asks for the title and themes)

The item goes to the file of its ISO week (digests/2026/2026-W12.yaml), created when
missing, or to --file. It is validated like 'pulse check' first; an invalid item
changes no file. The new id is printed on stdout."""

TextList = Optional[list[str]]


@app.command(short_help="Add an item (flags, JSON on stdin, or prompts).", epilog=ADD_EPILOG)
def add(
    title: Annotated[Optional[str], typer.Option(help="The headline (required).")] = None,
    theme: Annotated[
        TextList, typer.Option("--theme", "-t", help="A theme (repeat; required).", autocompletion=complete_theme)
    ] = None,
    summary: Annotated[Optional[str], typer.Option(help="The sentence the digest prints.")] = None,
    date: Annotated[Optional[str], typer.Option(help="The day it was reported [default: today].")] = None,
    entity: Annotated[TextList, typer.Option(help="A company, person or product (repeat).")] = None,
    amount: Annotated[Optional[str], typer.Option(help="Money raised: 2B, $300M, €2 billion.")] = None,
    valuation: Annotated[Optional[str], typer.Option(help="A valuation, like --amount.")] = None,
    round_: Annotated[Optional[str], typer.Option("--round", help="The funding round: Series C.")] = None,
    region: Annotated[Optional[str], typer.Option(help="Where: UK, France.")] = None,
    sector: Annotated[Optional[str], typer.Option(help="The sector lead-in: Healthcare.")] = None,
    label: Annotated[Optional[str], typer.Option(help="A bold lead-in for the bullet.")] = None,
    importance: Annotated[Optional[int], typer.Option(min=1, max=5, help="1 to 5 [default: 3].")] = None,
    source: Annotated[TextList, typer.Option(help="An http(s) URL (repeat).")] = None,
    tag: Annotated[TextList, typer.Option(help="A tag (repeat).")] = None,
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
    project = open_project(data, config)
    if from_json is not None:
        entries = read_json_items(from_json.read())
    else:
        if stdin_is_interactive():
            title, theme = prompt_missing(project.settings.themes, title, theme)
        fields: dict[str, object] = {
            "id": item_id, "title": title, "summary": summary, "date": date, "themes": theme,
            "entities": entity, "amount": amount, "valuation": valuation, "round": round_, "region": region,
            "sector": sector, "label": label, "importance": importance, "sources": source, "tags": tag,
        }  # fmt: skip
        entries = [{**flag_item(fields), "date": project.parse_date(date)}]
    for added in project.add(entries, file):
        emit(added.id + "\n")
        note(f"added {added.id} to {display_path(added.path)}")


def flag_item(fields: dict[str, object]) -> dict[str, object]:
    """The item the flags give; a missing title or theme is a usage error."""
    missing = [flag for flag, key in (("--title", "title"), ("--theme", "themes")) if not fields[key]]
    if missing:
        raise UsageError(f"missing {' and '.join(missing)} (or run pulse add on a terminal to be asked)")
    return {key: value for key, value in fields.items() if value not in (None, [])}


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


def stdin_is_interactive() -> bool:
    """True when a person can answer prompts."""
    return sys.stdin.isatty()


def prompt_missing(themes: ThemeRegistry, title: str | None, theme: list[str] | None) -> tuple[str, list[str]]:
    """Ask for the title and themes when they were not given, checking each answer."""
    from pulse.core.select import theme_keys

    def themes_answer(answer: str) -> list[str]:
        names = [name for name in answer.replace(",", " ").split() if name]
        try:
            return theme_keys(themes, names) if names else []
        except UsageError as exc:
            raise typer.BadParameter(exc.message) from None

    while not title or not title.strip():
        title = typer.prompt("Title")
    while not theme:
        theme = typer.prompt(f"Themes ({', '.join(themes.keys())})", value_proc=themes_answer)
    return title, list(theme)
