"""Which renderer draws each output format: a light choice, the heavy renderers imported only when chosen."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from pulse.core.kinds import TrendKey
from pulse.render import Screen

if TYPE_CHECKING:
    from pulse.core.compose import Issue
    from pulse.core.issues import IssueInfo
    from pulse.core.rank import Ranked
    from pulse.core.select import ThemeCount
    from pulse.core.trends import Trends
    from pulse.errors import Problem
    from pulse.model import Item, ThemeRegistry


class CheckFormat(str, Enum):
    """`pulse check --format`: errors on stderr, or a JSON list on stdout."""

    text = "text"
    json = "json"


class ShowFormat(str, Enum):
    """`pulse show --format`."""

    text = "text"
    json = "json"


class ThemesFormat(str, Enum):
    """`pulse themes --format`."""

    table = "table"
    json = "json"


class IssuesFormat(str, Enum):
    """`pulse issues --format`."""

    table = "table"
    json = "json"


class FeedFormat(str, Enum):
    """`pulse feed --format`: Atom 1.0, RSS 2.0 or JSON Feed 1.1."""

    atom = "atom"
    rss = "rss"
    json = "json"


class ListFormat(str, Enum):
    """`pulse list --format`."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class DigestFormat(str, Enum):
    """`pulse digest --format`."""

    terminal = "terminal"
    markdown = "markdown"
    html = "html"
    text = "text"
    json = "json"


DIGEST_EXTENSIONS = {DigestFormat.markdown: "md", DigestFormat.html: "html", DigestFormat.json: "json"}
"""The file name extension of each format `pulse digest --all` writes."""


class FrontMatter(str, Enum):
    """`pulse digest --front-matter`."""

    none = "none"
    hugo = "hugo"
    jekyll = "jekyll"


class TrendsFormat(str, Enum):
    """`pulse trends --format`."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def render_list(
    ranked: list[Ranked], output_format: ListFormat, themes: ThemeRegistry, screen: Screen, explain: bool
) -> tuple[str, list[str]]:
    """The list in the asked format (the rich table only on a terminal), and notes on what the table left out."""
    from pulse.render import records

    if output_format is ListFormat.json:
        return records.to_json(ranked), []
    if output_format is ListFormat.csv:
        return records.to_csv(ranked, explain), []
    if not ranked:
        return "", []
    if output_format is ListFormat.markdown:
        return records.to_markdown_table(ranked, explain), []
    if not screen.terminal:
        return records.to_plain_table(ranked, explain, screen.encoding), []
    from pulse.render.terminal import list_columns, list_table

    _, dropped = list_columns(ranked, screen.width, explain)
    notes = []
    if dropped:
        notes.append(
            f"note: {screen.width} columns leave out {', '.join(dropped)}; "
            "widen the terminal, pass --width, or use --format csv for every column"
        )
    return list_table(ranked, themes, screen, explain), notes


def render_issue(
    issue: Issue,
    output_format: DigestFormat,
    screen: Screen,
    *,
    front_matter: FrontMatter = FrontMatter.none,
    draft: bool = False,
    view_online: str | None = None,
    template: Path | None = None,
    project_templates: Path | None = None,
) -> str:
    """The issue in the asked format."""
    if output_format is DigestFormat.terminal:
        from pulse.render.terminal import issue_text

        return issue_text(issue, screen)
    if output_format is DigestFormat.json:
        from pulse.render.records import issue_record, json_text

        return json_text(issue_record(issue))
    from pulse.render.templates import render_html, render_markdown, render_text

    if output_format is DigestFormat.html:
        return render_html(issue, view_online=view_online, template=template, project_templates=project_templates)
    if output_format is DigestFormat.text:
        return render_text(issue, view_online=view_online, template=template, project_templates=project_templates)
    return render_markdown(
        issue,
        front_matter_kind=front_matter.value,
        draft=draft,
        template=template,
        project_templates=project_templates,
    )


def render_trends(result: Trends, output_format: TrendsFormat, themes: ThemeRegistry, screen: Screen) -> str:
    """The trends in the asked format; the rich table only on a terminal."""
    from pulse.render import records

    if output_format is TrendsFormat.json:
        return records.trends_json(result)
    if output_format is TrendsFormat.csv:
        return records.trends_csv(result)
    if not result.keys:
        return ""
    if output_format is TrendsFormat.markdown:
        return records.trends_markdown(result)
    rows = records.trend_rows(result)
    if not screen.terminal:
        return records.plain_columns(rows, screen.encoding)
    from pulse.render.terminal import trends_table

    return trends_table(rows, themes, screen, colour_keys=result.by is TrendKey.theme)


def render_problems(problems: Sequence[Problem]) -> str:
    """`pulse check --format json`: the problems as a list of {path, line, column, message}."""
    from pulse.render.records import json_text

    return json_text([{"path": p.path, "line": p.line, "column": p.column, "message": p.message} for p in problems])


def render_item(item: Item, output_format: ShowFormat, themes: ThemeRegistry, screen: Screen) -> str:
    """One item in full: JSON, a panel on a terminal, else plain lines."""
    from pulse.render import records

    if output_format is ShowFormat.json:
        return records.json_text(records.item_record(item))
    if not screen.terminal:
        return records.to_plain_item(item, themes)
    from pulse.render.terminal import item_panel

    return item_panel(item, themes, screen)


def render_themes(
    counts: Sequence[ThemeCount], output_format: ThemesFormat, themes: ThemeRegistry, screen: Screen
) -> str:
    """The theme registry with counts: JSON, a table on a terminal, else plain columns."""
    from pulse.render import records

    if output_format is ThemesFormat.json:
        return records.themes_json(counts)
    rows = records.theme_rows(counts)
    if not screen.terminal:
        return records.plain_columns(rows, screen.encoding)
    from pulse.render.terminal import themes_table

    return themes_table(rows, themes, screen)


def render_issues(issues: Sequence[IssueInfo], output_format: IssuesFormat, screen: Screen) -> str:
    """The issues of the corpus: JSON, a table on a terminal, else plain columns."""
    from pulse.render import records

    if output_format is IssuesFormat.json:
        return records.issues_json(issues)
    if not issues:
        return ""
    rows = records.issue_rows(issues)
    if not screen.links:
        return records.plain_columns(rows)
    from pulse.render.terminal import issues_table

    return issues_table(rows, screen)
