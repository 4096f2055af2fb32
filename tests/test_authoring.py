"""Authoring: `pulse init`, `pulse add` and `pulse schema`, without ever losing a byte of what is there."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from pulse.model.text import slugify
from pulse.writing.add import format_item, insert_entries, unique_id
from tests.conftest import REPO, Run, sample_line

Write = Callable[[str, str], Path]
WEEK_FILE = "digests/2026/2026-W12.yaml"


def pulse_process(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PULSE_DATA", None)
    return subprocess.Popen(
        [sys.executable, "-m", "pulse", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- init -------------------------------------------------------------------


def test_init_creates_a_project_that_checks_and_renders(run: Run, tmp_path: Path) -> None:
    result = run("init", "news")
    assert result.exit_code == 0
    assert result.stderr == (
        "created   news/pulse.yaml\n"
        "created   news/pulse.schema.json\n"
        "created   news/templates/README.md\n"
        "created   news/digests/2026/2026-W12.yaml\n"
        "created   news/.gitignore\n"
        "next: cd news && pulse check && pulse digest\n"
    )
    os.chdir(tmp_path / "news")
    assert run("check").stderr == "ok: 24 items and 1 digest in 1 file\n"
    assert run("digest").stdout.startswith("**Tech Innovation Pulse** · Foundational model funding")
    first_line = (tmp_path / "news" / WEEK_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../pulse.schema.json"


def test_init_empty_with_a_name(run: Run, tmp_path: Path) -> None:
    assert run("init", "--empty", "--name", "Chip Weekly").exit_code == 0
    assert "name: Chip Weekly     # the newsletter's name" in (tmp_path / "pulse.yaml").read_text(encoding="utf-8")
    assert run("check").stderr == "ok: 0 items and 0 digests in 0 files\n"
    result = run("digest")
    assert (result.exit_code, result.stderr) == (0, "no items in the window … to … (0 items in the corpus)\n")


def test_init_refuses_an_existing_project(run: Run, write: Write) -> None:
    write("pulse.yaml", "name: Mine\n")
    result = run("init")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: pulse.yaml exists: this is a pulse project; pass --force to add what is missing\n",
    )


def test_init_force_adds_what_is_missing_and_keeps_changed_files(run: Run, tmp_path: Path) -> None:
    run("init")
    (tmp_path / "pulse.yaml").write_text("name: Mine\n", encoding="utf-8")
    (tmp_path / "templates" / "README.md").unlink()
    result = run("init", "--force")
    assert result.stderr.splitlines()[:4] == [
        "kept (it differs from the scaffold) pulse.yaml",
        "unchanged pulse.schema.json",
        "created   templates/README.md",
        "unchanged .gitignore",
    ]
    assert (tmp_path / "pulse.yaml").read_text(encoding="utf-8") == "name: Mine\n"


# --- add --------------------------------------------------------------------


@pytest.fixture
def project(run: Run, tmp_path: Path) -> Path:
    run("init")
    return tmp_path


def test_add_with_flags_appends_text_and_prints_the_id(run: Run, project: Path) -> None:
    path = project / WEEK_FILE
    before = path.read_bytes()
    result = run(
        "add", "--title", "Nscale opens a data center: Norway", "--theme", "hardware", "-t", "funding",
        "--date", "2026-03-17", "--entity", "Nscale", "--amount", "$500M", "--region", "NO",
        "--source", "https://example.com/nscale", "--importance", "4", "--tag", "data-centers",
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (0, "nscale-opens-a-data-center-norway\n")
    assert result.stderr == f"added nscale-opens-a-data-center-norway to {WEEK_FILE}\n"
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode() == (
        "\n"
        "  - id: nscale-opens-a-data-center-norway\n"
        '    title: "Nscale opens a data center: Norway"\n'
        "    date: 2026-03-17\n"
        "    themes: [hardware, funding]\n"
        "    entities: [Nscale]\n"
        "    amount: $500M\n"
        '    region: "NO"\n'
        "    importance: 4\n"
        "    sources:\n"
        "      - https://example.com/nscale\n"
        "    tags: [data-centers]\n"
    )
    shown = json.loads(run("show", "nscale-opens-a-data-center-norway", "--format", "json").stdout)
    assert (shown["region"], shown["amount"]["value"]) == ("NO", 500_000_000)


def test_add_creates_the_file_of_the_items_iso_week(run: Run, project: Path) -> None:
    result = run("add", "--title", "New year", "--theme", "edge", "--date", "2027-01-01")
    assert result.stderr == "added new-year to digests/2026/2026-W53.yaml\n"
    assert (project / "digests/2026/2026-W53.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../pulse.schema.json\n"
        "# pulse items of 2026-W53, added by `pulse add`.\n\n"
        "items:\n"
        "  - id: new-year\n"
        "    title: New year\n"
        "    date: 2027-01-01\n"
        "    themes: [edge]\n"
    )


def test_add_dates_today_by_default(run: Run, project: Path) -> None:
    result = run("add", "--title", "Today", "--theme", "edge", env={"PULSE_TODAY": "2026-04-01"})
    assert result.stderr == "added today to digests/2026/2026-W14.yaml\n"


def test_add_makes_ids_unique(run: Run, project: Path) -> None:
    ids = [run("add", "--title", "Same title", "-t", "edge", "--date", "2026-03-16").stdout for _ in range(3)]
    assert ids == ["same-title\n", "same-title-2\n", "same-title-3\n"]


def test_add_from_json_reads_one_or_many(run: Run, project: Path) -> None:
    items = [
        {"title": "First", "themes": ["safety"], "date": "2026-03-16", "summary": "One; two: three."},
        {
            "id": "second",
            "title": "Second",
            "themes": ["sector"],
            "date": "2026-03-18",
            "amount": {"value": 5e6, "currency": "EUR"},
        },
    ]
    result = run("add", "--from-json", "-", input=json.dumps(items))
    assert (result.exit_code, result.stdout) == (0, "first\nsecond\n")
    assert json.loads(run("show", "second", "--format", "json").stdout)["amount"] == {
        "value": 5000000,
        "currency": "EUR",
    }
    assert run("add", "--from-json", "-", input=json.dumps(items[0] | {"title": "Third"})).stdout == "third\n"


def test_add_from_json_rejects_what_is_not_json_with_pythons_detail(run: Run, project: Path) -> None:
    result = run("add", "--from-json", "-", input="{not json")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: --from-json: not JSON: ")
    assert result.stderr.endswith(" at line 1, column 2\n")


def test_add_prompts_on_a_terminal_and_checks_each_answer(
    run: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pulse.cli.add.stdin_is_interactive", lambda: True)
    result = run("add", "--date", "2026-03-16", input="Prompted item\nfundng\nfunding, m&a\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("prompted-item\n")
    assert "Error: unknown theme 'fundng' (did you mean 'funding'?)" in result.stdout
    assert json.loads(run("show", "prompted-item", "-f", "json").stdout)["themes"] == ["funding", "sector"]


def test_add_without_a_terminal_needs_the_required_fields(run: Run, project: Path) -> None:
    result = run("add", "--summary", "no title")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: missing --title and --theme (or run pulse add on a terminal to be asked)\n",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--amount", "$1 bilion"],
            "new item: 'amount': '$1 bilion' has an unknown unit 'bilion' (did you mean 'billion'?)",
        ),
        (["--theme", "fundng"], "new item: unknown theme 'fundng' (did you mean 'funding'?)"),
        (
            ["--source", "ftp://x.org"],
            "new item: source 'ftp://x.org' is not an http(s) URL (write it like https://example.com/page)",
        ),
        (
            ["--id", "nscale-series-c"],
            f"new item: id 'nscale-series-c' is taken (by {WEEK_FILE}:{sample_line('nscale-series-c')}); choose another",
        ),
    ],
)
def test_an_invalid_add_changes_no_file(run: Run, project: Path, args: list[str], message: str) -> None:
    files = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    result = run("add", "--title", "Bad", "--theme", "edge", "--date", "2026-03-16", *args)
    assert (result.exit_code, result.stderr) == (1, f"{message}\nerror: nothing was written\n")
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == files


def test_add_keeps_every_byte_before_the_insertion(run: Run, write: Write) -> None:
    original = (
        "\ufeff# my notes, kept as written\r\n"
        "items:   # the list\r\n"
        "- id: a           # odd spacing, kept\r\n"
        "  title: 'single quoted'\r\n"
        "  date: 2026-03-16\r\n"
        "  themes: [edge]\r\n"
        "# a comment about the digest\r\n"
        "digest:\r\n"
        "  title: X\r\n"
        "  date: 2026-03-16\r\n"
    )
    path = write("digests/mine.yaml", original)
    result = run("add", "--title", "B", "-t", "edge", "--date", "2026-03-16", "--file", str(path))
    assert result.exit_code == 0, result.stderr
    cut = original.index("# a comment about the digest")
    expected = original[:cut] + "- id: b\r\n  title: B\r\n  date: 2026-03-16\r\n  themes: [edge]\r\n" + original[cut:]
    assert path.read_bytes() == expected.encode()
    assert run("check").exit_code == 0


@pytest.mark.slow
def test_twenty_concurrent_adds_give_twenty_items(run: Run, project: Path) -> None:
    processes = [
        pulse_process("add", "--title", "Concurrent", "--theme", "edge", "--date", "2026-03-20", cwd=project)
        for _ in range(20)
    ]
    ids = sorted(process.communicate(timeout=120)[0].strip() for process in processes)
    assert all(process.returncode == 0 for process in processes)
    assert ids == sorted(["concurrent"] + [f"concurrent-{n}" for n in range(2, 21)])
    assert run("check").stderr == "ok: 44 items and 1 digest in 1 file\n"


@pytest.mark.slow
def test_a_killed_add_leaves_the_old_file_or_the_new_one(project: Path) -> None:
    path = project / WEEK_FILE
    rng = random.Random(5)
    # Kill times are drawn around one measured add, so a loaded machine still sees both outcomes.
    started = time.perf_counter()
    assert pulse_process("add", "--title", "Timed", "-t", "edge", "--date", "2026-03-16", cwd=project).wait() == 0
    duration = time.perf_counter() - started
    outcomes = set()
    for attempt in range(12):
        before = path.read_bytes()
        process = pulse_process(
            "add", "--title", f"Killed {attempt}", "-t", "edge", "--date", "2026-03-16", cwd=project
        )
        time.sleep(rng.uniform(0.1, 1.6) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = path.read_bytes()
        assert after == before or (
            after.startswith(before) and yaml.safe_load(after)["items"][-1]["id"] == f"killed-{attempt}"
        )
        outcomes.add("old" if after == before else "new")
    assert outcomes == {"old", "new"}


# --- schema -------------------------------------------------------------------


def as_json_data(path: Path) -> object:
    """A YAML file as JSON-like data (dates become text, as editors see them)."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_schema_validates_the_sample_and_rejects_an_unknown_theme(run: Run, tmp_path: Path, write: Write) -> None:
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(as_json_data(REPO / WEEK_FILE))) == []
    bad = write("bad.yaml", "items:\n  - id: x\n    title: X\n    date: 2026-03-16\n    themes: [fundng]\n")
    errors = list(validator.iter_errors(as_json_data(bad)))
    assert [(error.validator, error.instance, list(error.absolute_path)) for error in errors] == [
        ("enum", "fundng", ["items", 0, "themes", 0])
    ]
    assert errors[0].validator_value == ["edge", "funding", "hardware", "m&a", "mna", "safety", "sector"]


def test_schema_describes_every_field(run: Run) -> None:
    properties = json.loads(run("schema").stdout)["properties"]["items"]["items"]["properties"]
    assert all(spec["description"] for spec in properties.values())
    assert list(properties)[:4] == ["id", "title", "summary", "date"]


def test_committed_schema_is_current(run: Run) -> None:
    assert (REPO / "pulse.schema.json").read_text(encoding="utf-8") == run("schema").stdout


# --- pure helpers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Together AI eyes $1B round", "together-ai-eyes-1b-round"),
        ("Café — Übermensch", "cafe-ubermensch"),
        ("???", "item"),
        ("a" * 30 + " " + "b" * 40, "a" * 30),
        ("Ørsted wins €5B offshore deal", "orsted-wins-5b-offshore-deal"),
        ("Straße in Łódź", "strasse-in-lodz"),
        ("Київ startup", "kiiv-startup"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_unique_id() -> None:
    assert unique_id("x", {"x", "x-2"}) == "x-3"


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("plain text", "title: plain text"),
        ("yes", 'title: "yes"'),
        ("2026", 'title: "2026"'),
        ("a: b", 'title: "a: b"'),
        ("#hash", 'title: "#hash"'),
        ("it's", "title: it's"),
        ("- dash", 'title: "- dash"'),
    ],
)
def test_format_item_quotes_only_what_needs_it(value: str, line: str) -> None:
    assert format_item({"id": "x", "title": value}, indent=0).splitlines()[1] == "  " + line


def test_insert_into_an_empty_flow_list_keeps_its_comment() -> None:
    assert insert_entries("items: []  # none yet\n", "  - id: c\n", "f") == "items:  # none yet\n  - id: c\n"
