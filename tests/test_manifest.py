"""The manifest beside the parse cache: windowed commands read only their window, with identical output.

The corpus here differs from the sample on purpose: a euro base currency, themes of its
own, weeks across a year end, amounts in three currencies, hostile text, digest blocks
with and without "In numbers".
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgpack
import pytest

from pulse.project import Project
from pulse.reading import cache as cache_module
from pulse.reading import loader
from pulse.reading.cache import ParseCache
from pulse.reading.manifest import Manifest, manifest_path, read_manifest
from tests.conftest import REPO, Run

CONFIG = """\
name: "Grid Weekly: €-edition"
data: notes
currency: EUR
themes:
  capital: {title: Capital, color: green}
  grid: {title: The Grid, color: cyan, aliases: [power]}
  policy: {title: Policy & Rules, color: red}
"""
THEMES = ("capital", "grid", "policy")
AMOUNTS = ("€5M", "£12M", "$300M", None)
FIRST_MONDAY = dt.date(2025, 11, 24)  # 2025-W48; the weeks run past the year end to 2026-W05
WEEKS = 11


def item(number: int, day: dt.date, theme: str, title: str | None = None) -> str:
    lines = [
        f"  - id: item-{number}",
        f'    title: "{title or f"Übergröße <b>{number}</b> & “quotes” {theme}"}"',
        f'    summary: "Café {number} said: «ok» — the grid\'s {theme} line"',
        f"    date: {day.isoformat()}",
        f"    themes: [{theme}]",
        f"    entities: [Ørsted, Grid{number % 3}]",
        f"    tags: [t{number % 4}]",
        f"    sources: [https://example.com/{number}]",
    ]
    amount = AMOUNTS[number % 4]
    if amount:
        lines.append(f"    amount: {amount}")
    return "\n".join(lines) + "\n"


def digest_block(day: dt.date, trends: bool) -> str:
    return (
        f"digest:\n  title: Issue of {day.isoformat()}\n  date: {day.isoformat()}\n"
        f"  trends: {'true' if trends else 'false'}\n  intro: Hello from {day.isoformat()}.\n"
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Eleven weekly files (three items each), two digest blocks, and a file of items from all over."""
    (tmp_path / "pulse.yaml").write_text(CONFIG, encoding="utf-8")
    number = 0
    for week in range(WEEKS):
        monday = FIRST_MONDAY + dt.timedelta(weeks=week)
        year, iso, _ = monday.isocalendar()
        body = ""
        if week == 4:
            body += digest_block(monday + dt.timedelta(days=6), trends=False)
        if week == 7:
            body += digest_block(monday + dt.timedelta(days=6), trends=True)
        body += "items:\n"
        for n in range(3):
            body += item(number, monday + dt.timedelta(days=n * 2), THEMES[(number + week) % 3])
            number += 1
        path = tmp_path / "notes" / str(year) / f"{year}-W{iso:02d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    spread = "items:\n" + "".join(
        item(500 + n, FIRST_MONDAY + dt.timedelta(days=n * 25), THEMES[n % 3]) for n in range(4)
    )
    (tmp_path / "notes" / "spread.yaml").write_text(spread, encoding="utf-8")
    return tmp_path


WINDOWED = [
    ["digest", "--week", "2026-W02", "--format", "markdown"],
    ["digest", "--week", "2026-W03", "--format", "markdown"],
    ["digest", "--since", "2026-01-13", "--until", "2026-01-20", "--format", "markdown"],
    ["digest", "--format", "markdown"],
    ["digest", "--since", "2025-12-20", "--until", "2026-01-10", "--format", "json"],
    ["digest", "--until", "2025-12-25", "--format", "markdown"],
    ["list", "--week", "2026-W01", "--format", "json"],
    ["list", "--since", "2025-12-29", "--format", "csv", "--sort", "amount"],
    ["list", "--until", "2025-12-31", "--theme", "power", "--format", "json"],
    ["list", "--week", "2030-W01"],
    ["trends", "--since", "2025-12-01", "--until", "2026-01-25", "--format", "json"],
    ["trends", "--until", "2026-01-11", "--weeks", "4", "--format", "json", "--metric", "amount"],
    ["trends", "--since", "2026-01-05", "--by", "entity", "--format", "json"],
    ["feed", "--since", "2026-01-01", "--base-url", "https://example.com", "--format", "json"],
    ["list", "--search", "ÜBERGROSSE cafe", "--format", "json"],
    ["list", "--search", "grid1 orsted", "--week", "2026-W01", "--format", "json"],
    ["list", "--search", "b> 1", "--format", "csv"],
    ["list", "--search", "nowhere-to-be-found"],
    ["check"],
]


def same(run: Run, command: list[str]) -> None:
    """The command's output through the manifest (written by an earlier run) equals a run without any cache."""
    without = run("--no-cache", *command)
    warm = run(*command)
    assert (warm.exit_code, warm.stdout, warm.stderr) == (without.exit_code, without.stdout, without.stderr)


def manifests(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.manifest"))


def current(project: Path) -> Manifest | None:
    """The project's manifest as pulse reads it (None: missing, corrupt or foreign)."""
    cache = Project.open(config=project / "pulse.yaml").cache
    assert cache is not None
    folder = str((project / "notes").absolute())
    return read_manifest(manifest_path(cache.folder, cache.fingerprint, folder), cache.fingerprint, folder)


@pytest.mark.parametrize("command", WINDOWED, ids=" ".join)
def test_windowed_output_is_identical_with_and_without_the_manifest(
    run: Run, project: Path, command: list[str], isolated_cache: Path
) -> None:
    run("list")  # a full load writes the manifest
    assert len(manifests(isolated_cache)) == 1
    cold = run(*command)
    assert cold.exit_code == 0, cold.stderr
    same(run, command)


def decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files that the parse cache decodes from now on."""
    seen: list[str] = []
    real = ParseCache.get

    def get(self: ParseCache, path: Path, stat: os.stat_result, shown: str) -> object:
        seen.append(shown)
        return real(self, path, stat, shown)

    monkeypatch.setattr(ParseCache, "get", get)
    return seen


def test_a_window_decodes_only_the_files_that_overlap_it(
    run: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("list")
    seen = decoded(monkeypatch)
    run("list", "--week", "2026-W01")
    assert sorted(seen) == ["notes/2026/2026-W01.yaml", "notes/spread.yaml"]
    seen.clear()
    # An issue whose digest block has "In numbers" compares with the four weeks before it: those are read too.
    run("digest", "--week", "2026-W03")
    assert sorted(seen) == [
        "notes/2025/2025-W51.yaml", "notes/2025/2025-W52.yaml", "notes/2026/2026-W01.yaml",
        "notes/2026/2026-W02.yaml", "notes/2026/2026-W03.yaml", "notes/spread.yaml",
    ]  # fmt: skip
    seen.clear()
    run("digest", "--week", "2026-W02")  # no block, no "In numbers": the week alone
    assert sorted(seen) == ["notes/2026/2026-W02.yaml", "notes/spread.yaml"]
    assert run("check").stderr == "ok: 37 items and 2 digests in 12 files\n"  # warnings need the blocks: remembered
    seen.clear()
    assert run("check").stderr == "ok: 37 items and 2 digests in 12 files\n"
    assert seen == []  # answered from the manifest and the remembered warnings


def test_a_cold_run_parses_every_file_and_decodes_only_its_window(
    run: Run, project: Path, monkeypatch: pytest.MonkeyPatch, isolated_cache: Path
) -> None:
    decodes: list[str] = []
    for module in (cache_module, loader):
        real = module.decode_content

        def spy(payload: bytes, shown: str, real: Any = real) -> Any:
            decodes.append(shown)
            return real(payload, shown)

        monkeypatch.setattr(module, "decode_content", spy)
    command = ["digest", "--week", "2026-W02", "--format", "markdown"]
    cold = run(*command)  # no cache, no manifest: every file is parsed, then the window read
    assert cold.exit_code == 0, cold.stderr
    assert sorted(decodes) == ["notes/2026/2026-W02.yaml", "notes/spread.yaml"]
    assert len(manifests(isolated_cache)) == 1
    assert len(list(isolated_cache.glob("*.msgpack"))) == 12
    assert (cold.stdout, cold.stderr) == (run("--no-cache", *command).stdout, "")


def test_check_on_an_unchanged_corpus_reports_its_problems_from_the_manifest(
    run: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = project / "notes" / "2025" / "2025-W50.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("date: 2025-12-08", "date: 2025-13-08"), "utf-8")
    expected = run("--no-cache", "check")
    assert expected.exit_code == 1
    assert run("check").stderr == expected.stderr
    seen = decoded(monkeypatch)
    again = run("check")
    assert (again.exit_code, again.stderr) == (1, expected.stderr)
    assert seen == []


WEEK = ["list", "--week", "2026-W01", "--format", "json"]


def warmed(run: Run) -> None:
    run("list")
    run(*WEEK)


def in_window(project: Path) -> Path:
    return project / "notes" / "2026" / "2026-W01.yaml"


def test_a_manifest_made_stale_by_an_edit(run: Run, project: Path) -> None:
    warmed(run)
    path = in_window(project)
    path.write_text(path.read_text(encoding="utf-8").replace("Übergröße", "Edited"), encoding="utf-8")
    same(run, WEEK)
    assert "Edited" in run(*WEEK).stdout


def test_a_manifest_made_stale_by_a_new_file(run: Run, project: Path) -> None:
    warmed(run)
    (project / "notes" / "new.yaml").write_text("items:\n" + item(900, dt.date(2026, 1, 1), "grid"), "utf-8")
    same(run, WEEK)
    assert "item-900" in run(*WEEK).stdout


def test_a_manifest_made_stale_by_a_deleted_file(run: Run, project: Path) -> None:
    warmed(run)
    in_window(project).unlink()
    same(run, WEEK)
    assert run("check").stderr == "ok: 34 items and 2 digests in 11 files\n"


def test_a_manifest_made_stale_by_a_renamed_file(run: Run, project: Path) -> None:
    warmed(run)
    in_window(project).rename(project / "notes" / "renamed.yaml")
    same(run, WEEK)
    assert '"notes/renamed.yaml"' in run(*WEEK).stdout


def test_a_same_size_same_mtime_rewrite_is_not_served_from_the_cache(run: Run, project: Path) -> None:
    """Issue 16: rsync -a, tar and cp -p keep the size and pin the mtime; the ctime still moves."""
    warmed(run)
    path = in_window(project)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "amount: €5M" in text
    path.write_text(text.replace("amount: €5M", "amount: €9M"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    same(run, WEEK)
    assert "€9 million" in run("show", "item-16").stdout
    assert "€5 million" not in run("show", "item-16").stdout


def test_an_item_moved_from_a_file_outside_the_window_into_it(run: Run, project: Path) -> None:
    warmed(run)
    outside = project / "notes" / "2025" / "2025-W48.yaml"
    text = outside.read_text(encoding="utf-8")
    moved = text[text.index("  - id: item-2\n") :]
    outside.write_text(text.replace(moved, ""), encoding="utf-8")
    inside = in_window(project)
    moved = moved.replace("date: 2025-11-28", "date: 2026-01-02")
    inside.write_text(inside.read_text(encoding="utf-8") + moved, encoding="utf-8")
    same(run, WEEK)
    assert '"id": "item-2"' in run(*WEEK).stdout


def test_a_duplicate_id_made_by_one_changed_file_is_reported_in_full(run: Run, project: Path) -> None:
    warmed(run)
    inside = in_window(project)
    inside.write_text(inside.read_text(encoding="utf-8") + item(0, dt.date(2026, 1, 2), "grid"), "utf-8")
    same(run, WEEK)
    result = run(*WEEK)
    assert result.exit_code == 1
    assert "duplicate id 'item-0' (also at notes/2025/2025-W48.yaml:" in result.stderr
    same(run, ["check"])


def test_a_duplicate_in_another_case_stays_reported_after_an_unrelated_edit(run: Run, project: Path) -> None:
    extra = project / "notes" / "extra.yaml"
    extra.write_text("items:\n" + item(999, dt.date(2026, 1, 2), "grid").replace("item-999", "ITEM-0"), "utf-8")
    assert run("check").exit_code == 1  # ITEM-0 and item-0: ids that differ only in case
    spread = project / "notes" / "spread.yaml"
    spread.write_text(spread.read_text(encoding="utf-8").replace("Übergröße", "Edited"), encoding="utf-8")
    same(run, ["check"])
    same(run, WEEK)
    assert run("check").exit_code == 1


def test_a_corrupt_manifest_is_rebuilt(run: Run, project: Path, isolated_cache: Path) -> None:
    warmed(run)
    (path,) = manifests(isolated_cache)
    for garbage in (b"", b"\x93garbage", path.read_bytes()[:100]):
        path.write_bytes(garbage)
        same(run, WEEK)
        assert path.read_bytes() != garbage
        assert current(project) is not None


def lie(path: Path, *, version: str | None = None) -> None:
    """Make the manifest say that no file holds anything (and, with `version`, that another pulse wrote it)."""
    header, clashes, rows, names = msgpack.unpackb(path.read_bytes(), raw=False)
    if version:
        header[2] = version
    for row in rows:
        row[2] = row[3] = None
    path.write_bytes(msgpack.packb([header, clashes, rows, names], use_bin_type=True))


def test_a_foreign_version_manifest_is_not_trusted(run: Run, project: Path, isolated_cache: Path) -> None:
    warmed(run)
    (path,) = manifests(isolated_cache)
    lie(path, version="0.0.1")
    same(run, WEEK)
    assert '"id": "item-16"' in run(*WEEK).stdout
    lie(path)  # the same lie in this version's own words is believed: the test above can fail
    assert run(*WEEK).stdout == "[]\n"


def test_two_processes_writing_the_manifest_at_once(project: Path, isolated_cache: Path) -> None:
    env = {**os.environ, "PULSE_CACHE_DIR": str(isolated_cache), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "pulse", *WEEK]
    expected = subprocess.run([sys.executable, "-m", "pulse", "--no-cache", *WEEK], cwd=project, env=env,
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
    subprocess.run([sys.executable, "-m", "pulse", "list"], cwd=project, env=env, capture_output=True, check=True)
    for round_ in range(3):
        # Each round changes two files, so that every process has a new manifest to write.
        for name in ("2025/2025-W50.yaml", "2026/2026-W03.yaml"):
            path = project / "notes" / name
            path.write_text(path.read_text(encoding="utf-8") + f"# round {round_}\n", encoding="utf-8")
        processes = [
            subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, text=True) for _ in range(4)
        ]
        outputs = [process.communicate()[0] for process in processes]
        assert outputs == [expected] * 4
        manifest = current(project)
        assert manifest is not None  # whole: one writer's, never a mix
        assert len(manifest.files) == 12
    assert not list(isolated_cache.glob(".*.tmp"))


def test_a_symlinked_sub_folder_is_followed_once(run: Run, project: Path) -> None:
    """Issue 16: `notes/archive -> ../archive` is read like a symlinked file; loops and second links are not."""
    archive = project / "archive"
    archive.mkdir()
    (archive / "old.yaml").write_text("items:\n" + item(700, dt.date(2024, 6, 3), "policy"), encoding="utf-8")
    os.symlink("../archive", project / "notes" / "archive")
    os.symlink("../archive", project / "notes" / "zz-again")
    os.symlink("../notes", archive / "back")  # a loop through the link
    result = run("check")
    assert result.stderr == "ok: 38 items and 2 digests in 13 files\n"
    assert "notes/archive/old.yaml" in run("show", "item-700").stdout


def test_search_reads_only_the_files_the_index_names_and_stays_fresh(
    run: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("list")  # writes the manifest
    run("list", "--search", "the first search builds the index")
    seen = decoded(monkeypatch)
    found = run("list", "--search", "übergröße <b>20</b>", "--format", "json").stdout
    assert found.count('"id": "item-20"') == found.count('"id": ') == 1
    assert seen == ["notes/2026/2026-W02.yaml"]
    path = in_window(project)
    path.write_text(path.read_text(encoding="utf-8").replace("Übergröße <b>16", "Gebäude <b>16"), encoding="utf-8")
    same(run, ["list", "--search", "GEBAUDE", "--format", "json"])
    assert '"id": "item-16"' in run("list", "--search", "GEBAUDE", "--format", "json").stdout
    seen.clear()
    assert "no items match" in run("list", "--search", "zeppelin").stderr
    assert seen == []


def test_a_damaged_search_index_is_rebuilt(run: Run, project: Path, isolated_cache: Path) -> None:
    run("list")
    command = ["list", "--search", "grid2 übergröße", "--format", "json"]
    expected = run("--no-cache", *command).stdout
    assert run(*command).stdout == expected
    (index,) = isolated_cache.glob("*.search.sqlite")
    index.write_bytes(b"not a database" * 100)
    assert run(*command).stdout == expected  # scanned, and the damaged file removed
    assert run(*command).stdout == expected  # rebuilt
    assert index.read_bytes().startswith(b"SQLite format 3")
