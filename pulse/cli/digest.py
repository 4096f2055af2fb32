"""`pulse digest`: render one issue of the newsletter."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from pulse.cli.common import (
    ConfigOption,
    DataOption,
    NoColorOption,
    OutputOption,
    WidthOption,
    deliver,
    emit,
    note,
    open_project,
    output_kind,
    screen,
    with_selection,
)  # fmt: skip
from pulse.core.kinds import SortKey
from pulse.errors import ExitStatus, UsageError, display_path, plural
from pulse.project import SelectionOptions
from pulse.render.formats import DigestFormat, FrontMatter

if TYPE_CHECKING:
    from pulse.project import Project

app = typer.Typer(rich_markup_mode=None)

DIGEST_EPILOG = """Examples:

  pulse digest                                  the newest issue (terminal, or Markdown when piped)

  pulse digest --week 2026-W12 > site/content/posts/2026-w12.md

  pulse digest --format markdown --front-matter hugo --output post.md

  pulse digest --theme funding --top 3 --pager

  pulse digest --format html --output issue.html      (email-ready)

  pulse digest --format text --output issue.txt       (the email's plain-text part)

  pulse digest --issue 2026-03-16                an issue as it was framed (or --issue latest)

  pulse digest --all --output-dir site/content/posts --front-matter hugo

Without --week, --since, --until or --days, the issue is the newest digest: block
of the corpus and the items of its window (else the newest item's ISO week). A
window asked for is framed by the digest: block whose own window overlaps it most
(then the latest); its items stay those of the window asked for."""


@app.command(short_help="Render an issue: Markdown, or a terminal newsletter.", epilog=DIGEST_EPILOG)
@with_selection
def digest(
    selection: SelectionOptions,
    issue: Annotated[
        Optional[str], typer.Option("--issue", help="The issue of this date (a digest: block's), or 'latest'.")
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every issue, one file each, into --output-dir (only changed files).")
    ] = False,
    output_dir: Annotated[
        Optional[Path], typer.Option("--output-dir", help="The folder --all writes into.", file_okay=False)
    ] = None,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Keep the first N items of each section.")] = None,
    sort: Annotated[
        Optional[SortKey],
        typer.Option(help="Order inside sections [default: editorial with a digest: block, else score]."),
    ] = None,
    output_format: Annotated[
        Optional[DigestFormat],
        typer.Option(
            "--format",
            "-f",
            help="terminal, markdown, html, text or json [default: terminal on a terminal, else markdown]",
        ),
    ] = None,
    front_matter: Annotated[
        FrontMatter, typer.Option("--front-matter", help="YAML front matter for a static site.")
    ] = FrontMatter.none,
    draft: Annotated[bool, typer.Option("--draft", help="Mark the post as a draft in the front matter.")] = False,
    view_online: Annotated[
        Optional[str],
        typer.Option(help="The issue's web address, for the email's 'view online' link [default: email: view_online]."),
    ] = None,
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
    if every or output_dir is not None:
        _all_issues(project, selection, every, output_dir, output, issue, output_format, view_online, sort=sort,
                    top=top, front_matter=front_matter, draft=draft, template=template)  # fmt: skip
        return
    chosen_issue = project.issue(selection, sort=sort, top=top, issue=issue)
    if chosen_issue.item_count == 0:
        note(f"no items in the window {chosen_issue.window} ({len(project.corpus().items)} items in the corpus)")
        raise typer.Exit(ExitStatus.ERROR if fail_empty else ExitStatus.OK)
    shown = screen(no_color, width)
    chosen = output_format or (DigestFormat.terminal if shown.terminal and output is None else DigestFormat.markdown)
    online = project.view_online(chosen_issue, view_online)
    text = render_issue(chosen_issue, chosen, shown, front_matter=front_matter, draft=draft, template=template,
                        view_online=online, project_templates=project.templates)  # fmt: skip
    deliver(text, output, force=force, pager=pager and shown.terminal, kind=output_kind(chosen))


def _all_issues(
    project: Project,
    selection: SelectionOptions,
    every: bool,
    output_dir: Path | None,
    output: Path | None,
    issue: str | None,
    output_format: DigestFormat | None,
    view_online: str | None,
    **options: Any,
) -> None:
    """`--all --output-dir DIR`: every issue as a file; each path on stdout, what changed on stderr."""
    from pulse.render import Screen
    from pulse.render.formats import DIGEST_EXTENSIONS, render_issue

    if not every or output_dir is None or output is not None or issue is not None:
        raise UsageError("write every issue with --all --output-dir DIR (without --output or --issue)")
    chosen = output_format or DigestFormat.markdown
    if chosen is DigestFormat.terminal:
        raise UsageError("--all writes files: choose --format markdown, html or json")
    sort, top = options.pop("sort"), options.pop("top")
    shown = Screen(width=100, color=False, links=False)
    written = project.write_archive(
        selection,
        output_dir,
        lambda composed: render_issue(
            composed,
            chosen,
            shown,
            project_templates=project.templates,
            view_online=project.view_online(composed, view_online),
            **options,
        ),
        DIGEST_EXTENSIONS[chosen],
        sort=sort,
        top=top,
    )
    for file in written:
        emit(f"{display_path(file.path)}\n")
    changed, folder = sum(file.changed for file in written), display_path(output_dir)
    if not written:
        note("no issues: no file has a digest: block; nothing written")
    elif changed:
        rest = len(written) - changed
        note(f"wrote {changed} of {plural(len(written), 'file')} in {folder}" + (f"; {rest} unchanged" if rest else ""))
    else:
        note(f"nothing changed: all {plural(len(written), 'file')} in {folder} are up to date")
