"""`pulse digest`: the sample issue against golden files and the source article, and every edge a user meets."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

Write = Callable[[str, str], Path]
Golden = Callable[[str, str], None]
ARTICLE = (Path(__file__).parent / "data" / "tech-innovation-pulse-2026-03-16.txt").read_text(encoding="utf-8")
pytestmark = pytest.mark.usefixtures("sample_project")


def test_markdown_golden(run: Run, golden: Golden) -> None:
    result = run("digest", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    golden("sample.md", result.stdout)


def test_terminal_golden_at_width_100_without_colour(run: Run, golden: Golden) -> None:
    result = run("digest", "--format", "terminal", "--width", "100")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    golden("sample.txt", result.stdout)


def test_hugo_front_matter_golden(run: Run, golden: Golden) -> None:
    golden("sample-hugo.md", run("digest", "--front-matter", "hugo", "--draft").stdout)


def test_piped_digest_is_markdown_without_escape_codes(run: Run) -> None:
    result = run("digest")
    assert result.stdout.startswith("**Tech Innovation Pulse** · Foundational model funding")
    assert "\n# AI Infrastructure, Chips & Mega Funding\n" in result.stdout
    assert "\x1b" not in result.stdout


def test_week_of_the_issue_gives_the_same_issue(run: Run) -> None:
    assert run("digest", "--week", "2026-W12").stdout == run("digest").stdout


def article_paragraphs() -> list[str]:
    """The article's editorial paragraphs and bullets, without its page furniture."""
    body = ARTICLE.split("AI Infrastructure, Chips & Mega Funding\n", 1)[1].split("\nSources (17)")[0]
    return [line.strip().lstrip("•").strip() for line in body.splitlines() if line.strip()]


@pytest.mark.parametrize("fmt", ["markdown", "terminal"])
def test_every_figure_and_heading_of_the_article_is_in_the_issue(run: Run, fmt: str) -> None:
    output = " ".join(run("digest", "--format", fmt, "--width", "400").stdout.split())
    for figure in re.findall(r"\$[\d.]+ (?:million|billion)", ARTICLE):
        assert figure in output
    headings = [p for p in article_paragraphs() if len(p) < 80 and not p.endswith((".", ":"))]
    assert len(headings) == 6
    positions = [output.index(heading) for heading in headings]
    assert positions == sorted(positions), "headings out of the article's order"


def test_every_editorial_paragraph_of_the_article_is_in_the_issue(run: Run) -> None:
    output = run("digest", "--format", "markdown").stdout
    editorial = [
        p for p in article_paragraphs() if p.startswith(("The AI landscape", "Additionally", "In sum", "2026 is"))
    ]
    assert len(editorial) == 4
    for paragraph in editorial:
        assert paragraph in output


def test_every_company_the_article_names_is_in_the_issue(run: Run) -> None:
    output = run("digest", "--format", "markdown").stdout
    for name in (
        "Together AI", "AMI", "Nscale", "PixVerse", "Saudi Arabia", "Ryzen AI", "Amber Semiconductor",
        "Nemotron 3 Super", "Gemini Flash-Lite", "Qwen 3.5", "Voxtral", "Sandbar", "Sectra", "Oxipit", "RadNet",
        "Gleamer", "GE Healthcare", "Portkey", "AgentMail", "Kai", "Sunday", "Mind Robotics", "AgentRE-Bench",
        "JetStream Security", "regulators", "Nvidia",
    ):  # fmt: skip
        assert name in output


def test_empty_window_is_a_note_and_success(run: Run) -> None:
    result = run("digest", "--week", "2026-W02")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "no items in the window 2026-01-05 to 2026-01-11 (24 items in the corpus)\n"


def test_empty_window_fails_with_fail_empty(run: Run) -> None:
    assert run("digest", "--week", "2026-W02", "--fail-empty").exit_code == 1


def test_output_writes_markdown_atomically(run: Run, tmp_path: Path) -> None:
    result = run("digest", "--output", "issue.md")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "wrote issue.md\n")
    assert (tmp_path / "issue.md").read_text(encoding="utf-8") == run("digest").stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".issue.md")] == []


def test_output_refuses_to_overwrite_without_force(run: Run, write: Write) -> None:
    target = write("issue.md", "my edits\n")
    result = run("digest", "--output", "issue.md")
    assert (result.exit_code, result.stderr) == (2, "error: issue.md exists; pass --force to overwrite it\n")
    assert target.read_text(encoding="utf-8") == "my edits\n"
    assert run("digest", "--output", "issue.md", "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("**Tech Innovation Pulse**")


def test_output_into_a_missing_folder(run: Run) -> None:
    result = run("digest", "--output", "nowhere/issue.md")
    assert (result.exit_code, result.stderr) == (1, "error: cannot write nowhere/issue.md: nowhere does not exist\n")


def test_broken_template_names_its_file_and_line_with_jinja_detail(run: Run, write: Write) -> None:
    write("templates/digest.md.j2", "# {{ issue.title }}\n\n{% for x in %}\n")
    result = run("digest")
    assert result.exit_code == 1
    first, last = result.stderr.splitlines()
    prefix = "templates/digest.md.j2:3: template syntax error: "
    assert first.startswith(prefix) and first[len(prefix) :].strip()  # the detail is Jinja2's
    assert last == "error: the template does not parse"


def test_template_runtime_error_names_its_line_with_jinja_detail(run: Run, write: Write) -> None:
    write("bad.md.j2", "# {{ issue.title }}\n\n{{ issue.nothing }}\n")
    result = run("digest", "--template", "bad.md.j2")
    assert result.exit_code == 1
    first, second = result.stderr.splitlines()
    assert first.startswith("bad.md.j2:3: template error: ") and "'nothing'" in first  # the detail is Jinja2's
    assert second == "error: the template failed"


@pytest.mark.parametrize(
    ("body", "detail"),
    [("{{ 1/0 }}", "ZeroDivisionError: "), ("{% for i in range(10**7) %}{% endfor %}", "OverflowError: ")],
)
def test_any_runtime_error_in_a_template_names_its_line(run: Run, write: Write, body: str, detail: str) -> None:
    write("bad.md.j2", "# {{ issue.title }}\n" + body + "\n")
    result = run("digest", "--template", "bad.md.j2")
    assert result.exit_code == 1
    first, second = result.stderr.splitlines()
    assert first.startswith(f"bad.md.j2:2: template error: {detail}")
    assert second == "error: the template failed"


def test_missing_template(run: Run) -> None:
    result = run("digest", "--template", "nope.md.j2")
    assert (result.exit_code, result.stderr) == (1, "error: template not found: nope.md.j2\n")


def test_a_project_template_extends_the_builtin_one(run: Run, write: Write) -> None:
    write(
        "templates/digest.md.j2",
        '{% extends "builtin/digest.md.j2" %}\n{% block footer %}Thanks for reading!\n{% endblock %}\n',
    )
    result = run("digest")
    assert result.stdout.endswith(
        "## Sources (1)\n\n1. Tech Innovation Pulse (nbot.ai), Mar 16, 2026\n\nThanks for reading!\n"
    )


def test_template_syntax_in_item_text_is_printed_not_run(run: Run, write: Write) -> None:
    write(
        "digests/2026/extra.yaml",
        'items:\n  - id: tricky\n    title: "{{ 7*7 }} {% if true %}yes{% endif %}"\n'
        '    summary: "{{ issue.__class__ }} and {{ config }}"\n    date: 2026-03-16\n    themes: [safety]\n',
    )
    output = run("digest").stdout
    assert "{{ issue.\\_\\_class\\_\\_ }} and {{ config }}" in output
    assert "49" not in output


def test_markdown_syntax_in_item_text_is_escaped(run: Run, write: Write) -> None:
    write(
        "digests/2026/extra.yaml",
        'items:\n  - id: tricky\n    title: t\n    summary: "# Not a heading *or* [a link](x) | <b>"\n'
        "    date: 2026-03-16\n    themes: [safety]\n",
    )
    assert "- \\# Not a heading \\*or\\* \\[a link\\](x) \\| \\<b\\>\n" in run("digest").stdout


def test_top_keeps_the_first_n_of_each_section(run: Run) -> None:
    output = run("digest", "--top", "1", "--sort", "score").stdout
    assert output.count("\n- ") == 5 + 3 + 5  # one per theme section, the note's three, "In numbers"


def test_theme_filter_applies_to_the_digest(run: Run) -> None:
    output = run("digest", "--theme", "edge").stdout
    assert "Sandbar" in output and "Nscale" not in output


def test_a_window_without_an_editorial_block_gets_a_plain_issue(run: Run, write: Write) -> None:
    write(
        "digests/2026/w13.yaml",
        "items:\n  - id: later\n    title: A later item\n    date: 2026-03-24\n    themes: [funding]\n    amount: $5M\n",
    )
    assert run("digest", "--week", "2026-W13").stdout == (
        "**Tech Innovation Pulse**\n\n"
        "# Week 2026-W13\n\n"
        "## Funding & Deals\n\n"
        "- A later item ($5 million)\n\n"
        "Updated Mar 29, 2026\n"
    )


def test_templates_lists_and_copies(run: Run, tmp_path: Path) -> None:
    listing = run("templates").stdout.splitlines()
    assert [line.split()[:2] for line in listing] == [
        ["NAME", "SOURCE"],
        ["digest.html.j2", "built-in"],
        ["digest.md.j2", "built-in"],
        ["digest.txt.j2", "built-in"],
    ]
    result = run("templates", "copy", "digest.md.j2")
    assert (result.exit_code, result.stderr) == (0, "copied digest.md.j2 to templates/digest.md.j2\n")
    assert run("templates").stdout.splitlines()[2].split() == ["digest.md.j2", "project", "templates/digest.md.j2"]
    again = run("templates", "copy", "digest.md.j2")
    assert (again.exit_code, again.stderr) == (
        2,
        "error: templates/digest.md.j2 exists; pass --force to overwrite it\n",
    )
    assert run("digest").stdout == run("digest", "--template", str(tmp_path / "templates" / "digest.md.j2")).stdout


def test_templates_copy_unknown_name(run: Run) -> None:
    result = run("templates", "copy", "digest.md")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: no built-in template 'digest.md' (did you mean 'digest.md.j2'?); see 'pulse templates'\n",
    )
