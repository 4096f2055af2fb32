"""`pulse templates` and `pulse templates copy`: the Jinja2 templates and their overrides."""

from __future__ import annotations

from typing import Annotated

import typer

from pulse.cli.common import ConfigOption, DataOption, emit, note, open_project
from pulse.errors import UsageError, display_path

app = typer.Typer(
    short_help="List the built-in templates, or copy one to edit.", no_args_is_help=False, rich_markup_mode=None
)


@app.callback(
    invoke_without_command=True,
    epilog="Examples:\n\n  pulse templates\n\n  pulse templates copy digest.md.j2",
)
def templates(ctx: typer.Context, data: DataOption = None, config: ConfigOption = None) -> None:
    """List the built-in templates and the file each one is read from (a project override wins)."""
    if ctx.invoked_subcommand is not None:
        return
    from pulse.render.records import plain_columns
    from pulse.render.templates import list_templates

    rows = [["NAME", "SOURCE", "PATH"]]
    for info in list_templates(open_project(data, config).templates):
        rows.append([info.name, "project" if info.overridden else "built-in", display_path(info.path)])
    emit(plain_columns(rows))


@app.command("copy")
def templates_copy(
    name: Annotated[str, typer.Argument(help="The template to copy, e.g. digest.md.j2.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite a copy that exists.")] = False,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Copy a built-in template into the project's templates/ folder, to edit it."""
    from pulse.writing.templates import copy_template

    folder = open_project(data, config).templates
    if folder is None:
        raise UsageError("no pulse project here to copy into; run this inside a project (with pulse.yaml)")
    note(f"copied {name} to {display_path(copy_template(name, folder, force=force))}")
