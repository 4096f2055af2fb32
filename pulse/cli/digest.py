"""`pulse digest`: render one issue of the newsletter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pulse.cli.common import (
    ConfigOption,
    DataOption,
    NoColorOption,
    OutputOption,
    WidthOption,
    deliver,
    note,
    open_project,
    output_kind,
    screen,
    with_selection,
)  # fmt: skip
from pulse.core.kinds import SortKey
from pulse.errors import ExitStatus
from pulse.project import SelectionOptions
from pulse.render.formats import DigestFormat, FrontMatter

app = typer.Typer(rich_markup_mode=None)

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
    selection: SelectionOptions,
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
    output: OutputOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --output file.")] = False,
    pager: Annotated[bool, typer.Option("--pager", help="Page the issue on a terminal ($PAGER, else less).")] = False,
    fail_empty: Annotated[bool, typer.Option("--fail-empty", help="Exit 1 when the window has no items.")] = False,
    no_color: NoColorOption = False,
    width: WidthOption = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Render one issue of the newsletter: Markdown, or a terminal newsletter."""
    from pulse.render.formats import render_issue

    project = open_project(data, config)
    issue = project.issue(selection, sort=sort, top=top)
    if issue.item_count == 0:
        note(f"no items in the window {issue.window} ({len(project.corpus().items)} items in the corpus)")
        raise typer.Exit(ExitStatus.ERROR if fail_empty else ExitStatus.OK)
    shown = screen(no_color, width)
    chosen = output_format or (DigestFormat.terminal if shown.links and output is None else DigestFormat.markdown)
    text = render_issue(issue, chosen, shown, front_matter=front_matter, draft=draft, template=template,
                        project_templates=project.templates)  # fmt: skip
    deliver(text, output, force=force, pager=pager and shown.links, kind=output_kind(chosen))
