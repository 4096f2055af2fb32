"""Markdown and HTML issues through Jinja2 templates: the only module that imports jinja2.

Templates are searched in order: the folder of `--template FILE`, the project's
`templates/` folder, then the built-in templates, which are also reachable as
`builtin/NAME` so that an override can `{% extends "builtin/digest.md.j2" %}`.
Every `{{ }}` in a Markdown template is escaped as Markdown text unless it is
the editor's own Markdown (`MarkdownText`); HTML templates autoescape everything
and turn the editor's Markdown into HTML with `| markdown`. Item text can never
break the page, and templates run in Jinja2's sandbox.
"""

from __future__ import annotations

import dataclasses
import json
import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from pulse.core.compose import Issue, long_date
from pulse.errors import Problem, TemplateError, display_path
from pulse.model import MarkdownText, safe_url
from pulse.model.themes import css_colour
from pulse.render.inline import inline_runs
from pulse.render.mdtext import escape_markdown
from pulse.resources import bundled

MARKDOWN_TEMPLATE = "digest.md.j2"
HTML_TEMPLATE = "digest.html.j2"
TEXT_TEMPLATE = "digest.txt.j2"
PREHEADER_LENGTH = 140
"""Most characters of the preheader, the line an inbox shows after the subject."""
FRONT_MATTER_KINDS = ("none", "hugo", "jekyll")


@dataclass(frozen=True)
class TemplateInfo:
    """A built-in template and the file that `pulse digest` would use for it."""

    name: str
    path: Path
    overridden: bool


def builtin_templates() -> Path:
    """The folder of the built-in templates."""
    return bundled("templates")


def list_templates(project_templates: Path | None) -> list[TemplateInfo]:
    """Every built-in template, and where it is found (a project override wins)."""
    found = []
    for path in sorted(builtin_templates().glob("*.j2")):
        override = project_templates / path.name if project_templates else None
        if override is not None and override.is_file() and override.resolve() != path.resolve():
            found.append(TemplateInfo(path.name, override, True))
        else:
            found.append(TemplateInfo(path.name, path, False))
    return found


def _finalize_markdown(value: object) -> str:
    if isinstance(value, MarkdownText):
        return value
    return escape_markdown(str(value))


_URL_SAFE = ":/?#[]@!$&'*+,;=%~"
_QUOTED_AS_IS = re.compile(rf"[A-Za-z0-9_.\-{re.escape(_URL_SAFE)}]*\Z")
"""A URL that quote() would give back unchanged."""


def _url(value: str) -> MarkdownText:
    """A URL safe inside Markdown's `(...)`: spaces, parentheses and angle brackets encoded."""
    if _QUOTED_AS_IS.match(value):
        return MarkdownText(value)
    return MarkdownText(quote(value, safe=_URL_SAFE))


def markdown_html(text: str) -> Markup:
    """The editor's inline Markdown as HTML: escaped, then bold, italics and http(s)/mailto links."""
    out = []
    for run in inline_runs(text):
        html = escape(run.text)
        if run.italic:
            html = Markup("<em>%s</em>") % html
        if run.bold:
            html = Markup("<strong>%s</strong>") % html
        if run.link:
            html = Markup('<a href="%s" style="color:#1d4ed8;">%s</a>') % (run.link, html)
        out.append(html)
    return Markup("").join(out)


def plain_text(text: str) -> str:
    """The editor's Markdown as plain text: the markers dropped, a link as "text <url>"."""
    out: list[str] = []
    runs = inline_runs(text)
    for index, run in enumerate(runs):
        out.append(run.text)
        last_of_link = run.link and (index + 1 == len(runs) or runs[index + 1].link != run.link)
        if last_of_link and run.text != run.link:
            out.append(f" <{run.link}>")
    return "".join(out)


def preheader(issue: Issue) -> str:
    """The inbox preview line: the topic, else the intro, as plain text, cut at a word to PREHEADER_LENGTH."""
    text = " ".join(plain_text(issue.topic or (issue.intro[0] if issue.intro else "")).split())
    if len(text) <= PREHEADER_LENGTH:
        return text
    return text[: PREHEADER_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _fill(text: str, width: int = 72, first: str = "", rest: str = "") -> str:
    """Plain text wrapped to `width`, with the first line's and the other lines' indents."""
    import textwrap

    return textwrap.fill(
        " ".join(str(text).split()),
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _finalize_text(value: object) -> str:
    return plain_text(value) if isinstance(value, MarkdownText) else str(value)


def _data_fields(cls: type) -> frozenset[str]:
    """The public data of one of pulse's model types (a NamedTuple's or a dataclass's fields, its properties) or of
    a template loop (`loop.index`); nothing for other types."""
    fields = _DATA_FIELDS.get(cls)
    if fields is None:
        names: list[str] = []
        if cls.__module__.startswith("pulse."):
            if dataclasses.is_dataclass(cls):
                names += [field.name for field in dataclasses.fields(cls)]
            names += getattr(cls, "_fields", ())
            names += [
                name for klass in cls.__mro__ for name, value in vars(klass).items() if isinstance(value, property)
            ]
        elif cls is jinja2.runtime.LoopContext:
            names += [name for name, value in vars(cls).items() if isinstance(value, property)]
        fields = _DATA_FIELDS[cls] = frozenset(name for name in names if not name.startswith("_"))
    return fields


_DATA_FIELDS: dict[type, frozenset[str]] = {}


class _Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, which lets the public data of pulse's own model (an item's title, a source's label) and a
    loop's counters through without inspecting them on every access: a digest of 10,000 items reads a few hundred
    thousand of them. Jinja2 would allow each of them too; anything else gets its full check."""

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        return attr in _data_fields(type(obj)) or super().is_safe_attribute(obj, attr, value)


def _environment(search: Sequence[Path], *, html: bool, text: bool = False) -> SandboxedEnvironment:
    builtin = jinja2.FileSystemLoader(str(builtin_templates()))
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"builtin": builtin}),
            *(jinja2.FileSystemLoader(str(folder)) for folder in search if folder.is_dir()),
            builtin,
        ]
    )
    env = _Sandbox(
        loader=loader,
        autoescape=html,
        finalize=None if html else (_finalize_text if text else _finalize_markdown),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["safe_url"] = safe_url
    env.filters["plain"] = plain_text
    if html:
        env.filters["markdown"] = markdown_html
        env.filters["css_colour"] = css_colour
    elif text:
        env.filters["fill"] = _fill
    else:
        env.filters["url"] = _url
        env.filters["raw"] = MarkdownText
    return env


def front_matter(issue: Issue, kind: str, *, draft: bool = False) -> str:
    """YAML front matter that Hugo or Jekyll read: title, date, tags (the themes), draft.

    Hugo's draft key is `draft: true`; Jekyll ignores `draft` and keeps a post
    unpublished with `published: false`.
    """
    if kind == "none":
        return ""
    lines = ["---"]
    if kind == "jekyll":
        lines.append("layout: post")
    lines += [
        f"title: {json.dumps(str(issue.title), ensure_ascii=False)}",
        f"date: {issue.date.isoformat()}",
        f"tags: {json.dumps(list(issue.tags))}",
    ]
    if issue.topic:
        lines.append(f"description: {json.dumps(str(issue.topic), ensure_ascii=False)}")
    if kind == "jekyll":
        lines.append(f"published: {'false' if draft else 'true'}")
    else:
        lines.append(f"draft: {'true' if draft else 'false'}")
    lines += ["---", "", ""]
    return "\n".join(lines)


def render_markdown(
    issue: Issue,
    *,
    front_matter_kind: str = "none",
    draft: bool = False,
    template: Path | None = None,
    project_templates: Path | None = None,
) -> str:
    """The issue as Markdown; a TemplateError names the template, line and problem."""
    context = {
        "issue": issue,
        "front_matter": MarkdownText(front_matter(issue, front_matter_kind, draft=draft)),
    }
    return _render_template(MARKDOWN_TEMPLATE, context, template, project_templates, html=False)


def render_html(
    issue: Issue,
    *,
    view_online: str | None = None,
    template: Path | None = None,
    project_templates: Path | None = None,
) -> str:
    """The issue as one self-contained, email-ready HTML document, with a preheader and a "view online" link."""
    context = {"issue": issue, "preheader": preheader(issue), "view_online": view_online}
    return _render_template(HTML_TEMPLATE, context, template, project_templates, html=True)


def render_text(
    issue: Issue,
    *,
    view_online: str | None = None,
    template: Path | None = None,
    project_templates: Path | None = None,
) -> str:
    """The issue as plain text: the text/plain alternative of the HTML email."""
    context = {"issue": issue, "preheader": preheader(issue), "view_online": view_online}
    return _render_template(TEXT_TEMPLATE, context, template, project_templates, html=False, text=True)


def _render_template(
    default: str,
    context: dict[str, object],
    template: Path | None,
    project_templates: Path | None,
    *,
    html: bool,
    text: bool = False,
) -> str:
    search = [template.parent] if template else []
    if project_templates is not None:
        search.append(project_templates)
    if template is not None and not template.is_file():
        raise TemplateError(f"template not found: {display_path(template)}")
    return _render(_environment(search, html=html, text=text), template.name if template else default, context)


def _render(env: SandboxedEnvironment, name: str, context: dict[str, object]) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        path = display_path(Path(exc.filename)) if exc.filename else exc.name or name
        raise TemplateError(
            "the template does not parse", [Problem(path, exc.lineno, 0, f"template syntax error: {exc.message}")]
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except Exception as exc:  # anything a template's own code raises is the template's failure
        raise TemplateError("the template failed", [_template_frame(exc, name)]) from None


def _template_problem(exc: BaseException) -> str:
    """A rendering error in pulse's words, keeping Jinja2's or Python's detail where it helps."""
    if isinstance(exc, SecurityError):
        return "template error: the template reaches into Python internals, which pulse's sandbox refuses"
    if isinstance(exc, jinja2.TemplateError):
        return f"template error: {exc}"
    return f"template error: {type(exc).__name__}: {exc}"


def _template_frame(exc: BaseException, name: str) -> Problem:
    """Where in a template a rendering error happened (Jinja2 rewrites tracebacks to template lines)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return Problem(display_path(Path(frame.filename)), frame.lineno or 0, 0, _template_problem(exc))
    return Problem(name, 0, 0, _template_problem(exc))
