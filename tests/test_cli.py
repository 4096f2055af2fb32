"""The command line as a user meets it: version, help, start-up cost, the bundled sample."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pulse import __version__
from tests.conftest import REPO, Run


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PULSE_DATA", None)
    return subprocess.run(
        [sys.executable, "-m", "pulse", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_version(run: Run) -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"pulse {__version__}\n")


def test_python_dash_m_pulse(tmp_path: Path) -> None:
    result = run_module("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"pulse {__version__}\n")


def test_help_lists_the_commands(run: Run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert (
        "Commands:\n"
        "  digest     Render an issue: Markdown, or a terminal newsletter.\n"
        "  issues     The issues of the corpus, newest first, with their windows.\n"
        "  list       Filtered, ranked items: a table, JSON, CSV or Markdown.\n"
        "  browse     The terminal app: filter and preview the corpus by key.\n"
        "  show       One item in full, with its sources, file and line.\n"
        "  themes     The theme registry, with descriptions and item counts.\n"
        "  trends     Which themes, entities or sectors are rising, week by week.\n"
        "  feed       Atom, RSS or JSON Feed of the corpus or a selection.\n"
        "  fetch      Read the sources into the inbox.\n"
        "  inbox      The stories of the inbox: list, show, accept, reject.\n"
        "  sources    The sources and their last fetch.\n"
        "  rules      Rules: what each one matches in the inbox.\n"
        "  add        Add an item (flags, JSON on stdin, or prompts).\n"
        "  check      Validate the corpus: each error with its file, line, column.\n"
        "  validate   Alias of 'check'.\n"
        "  init       Start a project: pulse.yaml, digests/, templates/.\n"
        "  schema     JSON Schema of an item file, for editors.\n"
        "  templates  List the built-in templates, or copy one to edit.\n"
        "  cache      Show or clear the parse cache.\n"
    ) in result.stdout
    assert "Exit codes: 0 ok, 1 bad" in result.stdout


def test_check_help_has_examples(run: Run) -> None:
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "pulse check digests/2026 --format json" in result.stdout


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "sys.argv = ['pulse', '--help']\n"
        "from pulse.cli import run\n"
        "try:\n    run()\n"
        "except SystemExit:\n    pass\n"
        "heavy = ['yaml', 'jinja2', 'rich', 'pulse.reading.yaml_tree', 'pulse.reading.corpus']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", "import json\n" + probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def test_without_a_project_the_bundled_sample_is_used(tmp_path: Path) -> None:
    result = run_module("check", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == (
        "note: no pulse project here (no pulse.yaml or digests/ folder); using the bundled sample. "
        "Pass --data to read your own corpus.\n"
        "ok: 24 items and 1 digest in 1 file\n"
    )


def test_a_missing_data_folder_is_a_usage_error(run: Run) -> None:
    result = run("check", "--data", "nowhere")
    assert (result.exit_code, result.stderr) == (2, "error: no such data folder: nowhere\n")


def test_an_unknown_option_is_a_usage_error_in_clicks_words(run: Run) -> None:
    result = run("check", "--colour")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "--colour" in result.stderr.splitlines()[-1]


def test_pulse_data_environment_variable(run: Run, write: Callable[[str, str], Path]) -> None:
    write("corpus/a.yaml", "items: []\n")
    result = run("check", env={"PULSE_DATA": "corpus"})
    assert (result.exit_code, result.stderr) == (0, "ok: 0 items and 0 digests in 1 file\n")


@pytest.mark.parametrize("args", [["--help"], ["list", "--help"], ["cache", "--help"], ["--version"]])
def test_the_console_script_builds_commands_lazily_and_says_the_same(run: Run, tmp_path: Path, args: list[str]) -> None:
    result = run_module(*args, cwd=tmp_path)
    # The same words; where lines wrap depends on the terminal width each one sees.
    assert (result.returncode, result.stdout.split()) == (0, run(*args).stdout.split())


def test_the_console_script_suggests_a_command_it_has_not_built_in_clicks_words(tmp_path: Path) -> None:
    result = run_module("lst", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    last = result.stderr.splitlines()[-1]
    assert "'lst'" in last and last.endswith("'list'?")
