"""Writes that lose nothing and fork nothing (issue 16): symlinks, another program editing the file, init in a project.

Each test names the case, and checks the exit status, pulse's message and the bytes left on disk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pulse.reading.settings import read_config
from tests.conftest import Run

Write = Callable[[str, "str | bytes"], Path]

ITEMS = "items:\n  - id: first\n    title: First\n    date: 2026-03-16\n    themes: [edge]\n"


# --- pulse init ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Climate Tech: Weekly #1",
        "Weekly #1",
        "It's #1",
        '"Quoted" name',
        "yes",
        "1e3",
        "null",
        "- a dash",
        "@at",
        "%percent",
        "*star",
        "&anchor",
        "!tag",
        "{braces}",
        "[brackets]",
        "# hash",
        "  padded  ",
        "Ünïcödé Wöchentlich 😀",
        "back\\slash",
        "tab\there",
    ],
)
def test_init_writes_any_name_so_that_it_reads_back_as_written(run: Run, tmp_path: Path, name: str) -> None:
    result = run("init", "proj", "--empty", "--name", name)
    assert result.exit_code == 0, result.stderr
    assert read_config(tmp_path / "proj" / "pulse.yaml").name == name
    os.chdir(tmp_path / "proj")
    assert run("check").stderr == "ok: 0 items and 0 digests in 0 files\n"


def test_init_with_a_name_keeps_the_comment_of_its_line(run: Run, tmp_path: Path) -> None:
    assert run("init", "--empty", "--name", "Climate Tech: Weekly #1").exit_code == 0
    lines = (tmp_path / "pulse.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[3].startswith('name: "Climate Tech: Weekly #1"     # the newsletter\'s name')


def test_init_force_in_an_existing_project_never_copies_the_sample_items(run: Run, write: Write, tmp_path: Path) -> None:
    write("pulse.yaml", "name: Climate\ndata: digests\nthemes:\n  grid: {title: The Grid}\n")
    write("digests/2025/w1.yaml", ITEMS.replace("[edge]", "[grid]"))
    result = run("init", ".", "--force")
    assert result.exit_code == 0
    assert result.stderr == (
        "kept (it differs from the scaffold) pulse.yaml\n"
        "created   pulse.schema.json\n"
        "created   templates/README.md\n"
        "created   .gitignore\n"
        "next: cd . && pulse check && pulse digest\n"
    )
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "digests").rglob("*")) == [
        "digests/2025",
        "digests/2025/w1.yaml",
    ]
    assert run("check").stderr == "ok: 1 item and 0 digests in 1 file\n"


def test_init_force_restores_a_deleted_schema_with_the_projects_own_themes(run: Run, write: Write) -> None:
    write("pulse.yaml", "name: Climate\nthemes:\n  grid: {title: The Grid, aliases: [power]}\n  safety: false\n")
    result = run("init", "--force")
    assert result.exit_code == 0 and "created   pulse.schema.json\n" in result.stderr
    assert run("schema").stdout == (Path("pulse.schema.json")).read_text(encoding="utf-8")
    themes = json.loads(Path("pulse.schema.json").read_text(encoding="utf-8"))
    assert "grid" in json.dumps(themes) and '"safety"' not in json.dumps(themes)
