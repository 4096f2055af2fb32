"""`pulse check`: one bad file per kind of mistake, each with its exact message and position."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pulse.reading.checks import is_web_url
from tests.conftest import SAMPLE, Run

Write = Callable[[str, "str | bytes"], Path]

VALID = """\
items:
  - id: together-ai
    title: Together AI eyes $1B round
    date: 2026-03-16
    themes: [funding]
"""


def item(extra: str = "", **fields: str) -> str:
    """A one-item file; `fields` replace the valid item's keys, `extra` adds lines."""
    values = {"id": "x", "title": "T", "date": "2026-03-16", "themes": "[funding]", **fields}
    lines = [f"    {key}: {value}" for key, value in values.items() if value != "-"]
    lines[0] = "  - " + lines[0].lstrip()
    return "items:\n" + "\n".join(lines) + "\n" + extra


ALIAS_BOMB = "items:\n  - a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"    {name}: &{name} [{', '.join(['*' + prev] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)

BAD_FILES = [
    ("tab", "items:\n\t- id: x\n", "2:1: YAML syntax error: a tab character; YAML indents with spaces only"),
    (
        "unclosed-quote-libyaml-hint",
        'items:\n  - id: "x\n    title: y\n',
        "2:9: YAML syntax error: the file ends inside a quoted string; close the quote",
    ),
    (
        "duplicate-key",
        item(extra="    title: U\n"),
        "6:5: duplicate key 'title' (first at line 3); keep one of them",
    ),
    (
        "unknown-key",
        item(extra="    titel: U\n"),
        "6:5: unknown key 'titel' in item 'x' (did you mean 'title'?)",
    ),
    ("missing-field", item(title="-"), "2:5: item 'x' is missing the required key 'title'"),
    (
        "boolean-as-text",
        item(title="NO"),
        "3:12: 'title' must be text, not a yes/no value (NO); put it in quotes if it is text: \"NO\"",
    ),
    (
        "number-as-text",
        item(region="2026"),
        "6:13: 'region' must be text, not a number (2026); put it in quotes if it is text: \"2026\"",
    ),
    ("themes-not-a-list", item(themes="funding"), "5:13: 'themes' must be a list, e.g. themes: [funding]"),
    (
        "empty-themes",
        item(themes="[]"),
        "5:13: 'themes' must name at least one theme, e.g. themes: [funding]",
    ),
    ("impossible-date", item(date="2026-02-30"), "4:11: impossible date '2026-02-30'"),
    ("text-date", item(date="March 16"), "4:11: 'date' must be a date like 2026-03-16, not text"),
    (
        "bad-money",
        item(amount="$1 bilion"),
        "6:13: 'amount': '$1 bilion' has an unknown unit 'bilion' (did you mean 'billion'?)",
    ),
    (
        "money-mapping-without-currency",
        item(amount="{value: 5}"),
        "6:13: 'amount' is missing the required key 'currency'",
    ),
    ("importance-too-high", item(importance="7"), "6:17: 'importance' must be from 1 to 5, not 7"),
    (
        "importance-not-a-number",
        item(importance="high"),
        "6:17: 'importance' must be a whole number from 1 to 5, not text",
    ),
    (
        "source-not-http",
        item(sources="[ftp://example.com/a]"),
        "6:15: source 'ftp://example.com/a' is not an http(s) URL (write it like https://example.com/page)",
    ),
    ("unknown-theme", item(themes="[fundng]"), "5:14: unknown theme 'fundng' (did you mean 'funding'?)"),
    (
        "items-not-a-list",
        "items:\n  id: x\n",
        "2:3: 'items' must be a list of items (each starting with '- '), not a mapping",
    ),
    (
        "top-level-list",
        "- id: x\n",
        "1:1: a pulse file must be a mapping with 'items:' (and optionally 'digest:'), not a list",
    ),
    (
        "python-tag",
        item(title='!!python/object/apply:os.system ["touch pwned"]'),
        "3:12: tag '!!python/object/apply:os.system' is not allowed; "
        "pulse reads plain YAML values only (remove the tag)",
    ),
    (
        "alias-bomb",
        ALIAS_BOMB,
        "7:12: aliases expand this file to more than 100,000 values (an alias bomb?); write the values out instead",
    ),
    ("deep-nesting", "items: " + "[" * 10_000 + "]" * 10_000 + "\n", "1:71: nesting deeper than 64 levels"),
    (
        "not-utf8",
        "items:\n  - id: café\n".encode("latin-1"),
        "2:12: byte 0xe9 is not UTF-8; save the file as UTF-8",
    ),
    (
        "nul-byte",
        "items:\n  - id: a\x00b\n",
        "2:10: the control character U+0000 is not allowed in YAML; remove it",
    ),
    (
        "two-documents",
        VALID + "---\nitems: []\n",
        "6:1: a second YAML document ('---'); a pulse file holds one document, split it into two files",
    ),
    ("unknown-top-level-key", "itmes: []\n", "1:1: unknown key 'itmes' in the file (did you mean 'items'?)"),
]


@pytest.mark.parametrize(("content", "message"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_check_reports_each_kind_of_mistake(run: Run, write: Write, content: str | bytes, message: str) -> None:
    write("digests/bad.yaml", content)
    result = run("check")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"digests/bad.yaml:{message}\n1 error in 1 of 1 file\n"


def test_python_tags_are_never_executed(run: Run, write: Write, tmp_path: Path) -> None:
    write("digests/bad.yaml", item(title='!!python/object/apply:os.system ["touch pwned"]'))
    run("check")
    assert not (tmp_path / "pwned").exists()


def test_every_error_of_the_corpus_is_reported(run: Run, write: Write) -> None:
    write("digests/a.yaml", item(themes="[fundng]", importance="9"))
    write("digests/b/c.yml", VALID)
    write("digests/b/d.yaml", "items:\n  - id: [x]\n    title: T\n    date: 2026-03-16\n    themes: [edge]\n")
    write("digests/notes.txt", "not yaml: [")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "digests/a.yaml:5:14: unknown theme 'fundng' (did you mean 'funding'?)\n"
        "digests/a.yaml:6:17: 'importance' must be from 1 to 5, not 9\n"
        "digests/b/d.yaml:2:9: 'id' must be text, not a list\n"
        "3 errors in 2 of 3 files\n"
    )


def test_duplicate_ids_name_both_places(run: Run, write: Write) -> None:
    write("digests/2026/a.yaml", VALID)
    write("digests/2026/b.yaml", "# a comment\n" + VALID)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "digests/2026/b.yaml:3:9: duplicate id 'together-ai' (also at digests/2026/a.yaml:2:9); ids must be unique\n"
        "1 error in 1 of 2 files\n"
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bom", "\ufeff" + VALID),
        ("crlf", VALID.replace("\n", "\r\n")),
        ("bom-and-crlf", "\ufeff" + VALID.replace("\n", "\r\n")),
        ("empty", ""),
        ("comments-only", "# nothing yet\n"),
        ("empty-items", "items:\n"),
    ],
)
def test_harmless_files_load_without_complaint(run: Run, write: Write, name: str, content: str) -> None:
    write(f"digests/{name}.yaml", content)
    result = run("check")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("ok: ")


def test_check_json_lists_errors_on_stdout(run: Run, write: Write) -> None:
    write("digests/bad.yaml", item(importance="0"))
    result = run("check", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": "digests/bad.yaml",
            "line": 6,
            "column": 17,
            "message": "'importance' must be from 1 to 5, not 0",
        }
    ]
    assert result.stderr == "1 error in 1 of 1 file\n"


def test_check_json_is_an_empty_list_when_clean(run: Run, write: Write) -> None:
    write("digests/ok.yaml", VALID)
    result = run("check", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


def test_check_accepts_files_and_folders(run: Run, write: Write) -> None:
    write("digests/ok.yaml", VALID)
    write("elsewhere/bad.yaml", item(importance="0"))
    assert run("check", "digests/ok.yaml").exit_code == 0
    result = run("check", "elsewhere")
    assert result.exit_code == 1
    assert result.stderr.endswith("1 error in 1 of 1 file\n")


def test_check_on_a_missing_path_is_a_usage_error(run: Run, write: Write) -> None:
    write("digests/ok.yaml", VALID)
    result = run("check", "nowhere")
    assert result.exit_code == 2
    assert result.stderr == "error: no such file or folder: nowhere\n"


def test_validate_is_an_alias_of_check(run: Run, write: Write) -> None:
    write("digests/bad.yaml", item(importance="0"))
    assert run("validate").stderr == run("check").stderr


def test_the_sample_corpus_passes(run: Run) -> None:
    result = run("check", "--data", str(SAMPLE))
    assert result.exit_code == 0
    assert result.stderr == "ok: 24 items and 1 digest in 1 file\n"


def test_aliases_within_the_limit_load(run: Run, write: Write) -> None:
    write(
        "digests/a.yaml",
        "items:\n  - id: a\n    title: A\n    date: 2026-03-16\n    themes: &t [funding]\n"
        "  - id: b\n    title: B\n    date: 2026-03-16\n    themes: *t\n",
    )
    assert run("check").stderr == "ok: 2 items and 0 digests in 1 file\n"


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://example.com/page", True),
        ("http://example.com", True),
        ("https://example.com/café?q=北京", True),
        ("https://example.com/ ", False),
        ("https://example.com/a\u00a0b", False),
        ("https://example.com/a\u3000b", False),
        ("https://example.com/a\tb", False),
        ("ftp://example.com/a", False),
        ("javascript:alert(1)", False),
        ("https:///path-without-host", False),
        ("example.com/page", False),
        ("https://[::1", False),
    ],
)
def test_web_url_policy(url: str, accepted: bool) -> None:
    assert is_web_url(url) is accepted
