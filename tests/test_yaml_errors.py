"""YAML mistakes reported in pulse's words, whatever libyaml version is installed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

Write = Callable[[str, "str | bytes"], Path]

DEEP = [
    ("flow-1000", "items: " + "[" * 1_000 + "]" * 1_000 + "\n", "1:71"),
    ("flow-100000", "items: " + "[" * 100_000 + "]" * 100_000 + "\n", "1:71"),
    ("flow-mappings-2000", "items: " + "{a: " * 2_000 + "}" * 2_000 + "\n", "1:260"),
    ("flow-after-block", "items:\n  - - - " + "[" * 5_000 + "]" * 5_000 + "\n", "2:69"),
    ("block-lists-2000", "items:\n" + "".join(" " * i + "-\n" for i in range(2_000)), "65:64"),
    ("block-mappings-1200", "items:\n" + "".join("  " * i + "k:\n" for i in range(1, 1_200)), "65:129"),
]


@pytest.mark.parametrize(("content", "where"), [case[1:] for case in DEEP], ids=[case[0] for case in DEEP])
def test_nesting_past_the_limit_is_reported_where_it_is_crossed(
    run: Run, write: Write, content: str, where: str
) -> None:
    write("digests/deep.yaml", content)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == f"digests/deep.yaml:{where}: nesting deeper than 64 levels\n1 error in 1 of 1 file\n"


# These hints are chosen by matching libyaml's wording: a libyaml release that rewords a
# problem makes pulse fall back to "YAML syntax error: <libyaml's words>" and fails here.
LIBYAML_HINTS = [
    (
        "open-list",
        "items: [x\n",
        "2:1",
        "a list opened with '[' is not closed; end it with ']', or quote text starting with '['",
    ),
    (
        "open-map",
        "items: {x\n",
        "2:1",
        "a mapping opened with '{' is not closed; end it with '}', or quote text starting with '{'",
    ),
    (
        "colon-in-title",
        "items:\n  - title: Nscale: the $2B round\n",
        "2:18",
        "a ':' inside a value; quote text that contains ': '",
    ),
    (
        "reserved-start",
        "items:\n  - title: @nscale\n",
        "2:12",
        "a value starts with a character YAML reserves ('@', '`', '%'); quote the value",
    ),
    (
        "misaligned-key",
        "items: []\n- x\n",
        "2:1",
        "a line that does not line up with the keys above it; indent it as they are",
    ),
    (
        "bad-escape",
        'items:\n  - title: "a\\qb"\n',
        "2:14",
        "an unknown escape in a double-quoted string; use single quotes",
    ),
]


@pytest.mark.parametrize(
    ("content", "where", "hint"), [case[1:] for case in LIBYAML_HINTS], ids=[case[0] for case in LIBYAML_HINTS]
)
def test_libyaml_syntax_errors_get_pulse_hints(run: Run, write: Write, content: str, where: str, hint: str) -> None:
    write("digests/bad.yaml", content)
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == f"digests/bad.yaml:{where}: YAML syntax error: {hint}\n1 error in 1 of 1 file\n"


def test_a_syntax_error_without_a_hint_keeps_its_position_and_pulse_prefix(run: Run, write: Write) -> None:
    write("digests/bad.yaml", "%YAML 1.1\n%YAML 1.1\n---\nitems: []\n")
    result = run("check")
    assert result.exit_code == 1
    first, last = result.stderr.splitlines()
    assert first.startswith("digests/bad.yaml:2:1: YAML syntax error: ")
    assert last == "1 error in 1 of 1 file"
