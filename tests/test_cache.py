"""The parse cache and the parallel loader: invisible in the output, never trusted when in doubt."""

from __future__ import annotations

import datetime as dt
import gc
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pulse.model.themes import builtin_registry
from pulse.reading import loader
from pulse.reading.cache import ParseCache, cache_info, clear_cache, fingerprint
from pulse.reading.corpus import read_corpus
from tests.conftest import REPO, Run

Write = Callable[[str, str], Path]


def item_file(prefix: str, count: int, theme: str = "funding") -> str:
    lines = ["items:"]
    for n in range(count):
        lines += [
            f"  - id: {prefix}-{n}",
            f"    title: {prefix} item {n}",
            "    date: 2026-03-16",
            f"    themes: [{theme}]",
        ]
        lines += [f"    amount: ${n + 1}M", f"    sources: [https://example.com/{prefix}/{n}]"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(write: Write, sample_project: Path) -> Path:
    for n in range(6):
        write(f"digests/extra/file-{n}.yaml", item_file(f"f{n}", 20, ("edge", "safety", "sector")[n % 3]))
    return sample_project


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.msgpack"))


COMMANDS = [
    ["check"],
    ["list", "--format", "json"],
    ["digest", "--format", "markdown"],
    ["digest", "--format", "json"],
    ["trends", "--format", "json"],
    ["feed", "--base-url", "https://example.com", "--format", "atom"],
]


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_output_is_identical_with_and_without_the_cache(run: Run, command: list[str], isolated_cache: Path) -> None:
    without = run("--no-cache", *command)
    assert entries(isolated_cache) == []
    cold = run(*command)
    assert entries(isolated_cache) != []
    warm = run(*command)
    assert without.stdout == cold.stdout == warm.stdout
    assert without.stderr == cold.stderr == warm.stderr


@pytest.mark.usefixtures("corpus")
def test_a_corrupt_or_truncated_entry_is_ignored_and_rebuilt(run: Run, isolated_cache: Path) -> None:
    expected = run("list", "--format", "json").stdout
    files = entries(isolated_cache)
    files[0].write_bytes(b"\x93garbage")
    files[1].write_bytes(files[1].read_bytes()[:20])
    files[2].write_bytes(b"")
    assert run("list", "--format", "json").stdout == expected
    assert all(path.stat().st_size > 20 for path in entries(isolated_cache))


@pytest.mark.usefixtures("corpus")
def test_a_foreign_entry_is_not_trusted(run: Run, isolated_cache: Path) -> None:
    import msgpack

    expected = run("list", "--format", "json").stdout
    for path in entries(isolated_cache):
        header, payload = msgpack.unpackb(path.read_bytes())
        header[2] = "0.0.0-other"  # written by another pulse version
        path.write_bytes(msgpack.packb([header, payload]))
    assert run("list", "--format", "json").stdout == expected


def test_a_changed_file_is_parsed_again(run: Run, write: Write, corpus: Path) -> None:
    run("list")
    write("digests/extra/file-0.yaml", item_file("changed", 2))
    ids = run("list", "--format", "csv").stdout
    assert "changed-0" in ids and "f0-0" not in ids


def test_a_deleted_file_leaves_the_corpus(run: Run, corpus: Path) -> None:
    run("list")
    (corpus / "digests" / "extra" / "file-1.yaml").unlink()
    assert "f1-0" not in run("list", "--format", "csv").stdout


def test_errors_are_reported_from_the_cache_too(run: Run, write: Write, corpus: Path) -> None:
    write("digests/extra/bad.yaml", "items:\n  - id: b\n    title: B\n    date: 2026-02-30\n    themes: [edge]\n")
    first = run("check")
    second = run("check")
    assert first.exit_code == second.exit_code == 1
    assert (
        first.stderr
        == second.stderr
        == ("digests/extra/bad.yaml:4:11: impossible date '2026-02-30'\n1 error in 1 of 8 files\n")
    )


@pytest.mark.slow
@pytest.mark.usefixtures("corpus")
def test_two_processes_writing_the_cache_at_once(isolated_cache: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PULSE_CACHE_DIR": str(isolated_cache)}
    command = [sys.executable, "-m", "pulse", "list", "--format", "json"]
    processes = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert len(set(outputs)) == 1
    after = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, check=True).stdout
    assert after == outputs[0]
    assert list(isolated_cache.glob(".*.tmp")) == []


def test_cache_info_and_clear(run: Run, corpus: Path, isolated_cache: Path) -> None:
    run("list")
    info = run("cache", "info").stdout.splitlines()
    assert info[0] == f"folder:  {isolated_cache}"
    assert info[1] == "entries: 7"
    assert run("cache", "clear").stderr == f"removed 7 cache entries from {isolated_cache}\n"
    assert cache_info(isolated_cache).entries == 0


def test_cache_dir_option(run: Run, corpus: Path, tmp_path: Path) -> None:
    run("--cache-dir", "elsewhere", "list")
    assert cache_info(tmp_path / "elsewhere").entries == 7


def test_clear_removes_only_cache_entries(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    (tmp_path / "x.msgpack").write_bytes(b"")
    assert clear_cache(tmp_path) == 1
    assert (tmp_path / "keep.txt").exists()


def test_clear_removes_what_pulse_keeps_beside_the_entries(run: Run, corpus: Path, isolated_cache: Path) -> None:
    run("list", "--search", "chip")  # entries, the manifest and the search index
    run("check")  # the remembered warnings
    (isolated_cache / "rates.json").write_text("{}")
    (isolated_cache / "notes.txt").write_text("mine")
    assert run("cache", "clear").exit_code == 0
    assert sorted(path.name for path in isolated_cache.iterdir()) == ["notes.txt"]


def test_the_cache_key_depends_on_the_themes_and_currency() -> None:
    themes = builtin_registry()
    assert fingerprint(themes, "USD") != fingerprint(themes, "EUR")


@pytest.mark.parametrize("workers", [1, 2])
def test_the_loader_gives_the_reference_corpus(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)
    themes = builtin_registry()
    data = corpus / "digests"
    reference = read_corpus([data], themes)
    cache = ParseCache(tmp_path / "c", fingerprint(themes, "USD"))
    assert loader.load([data], themes, workers=workers) == reference
    assert loader.load([data], themes, cache=cache, workers=workers) == reference
    assert loader.load([data], themes, cache=cache, workers=workers) == reference  # from the cache


def test_the_progress_bar_waits_before_it_shows() -> None:
    from pulse.render.terminal import DelayedProgress

    with DelayedProgress("Reading", delay=60) as slow:
        slow.update(1, 10)
        assert slow.progress is None  # a quick load shows nothing
    with DelayedProgress("Reading", delay=0) as shown:
        shown.update(1, 10)
        assert shown.progress is not None and shown.progress.tasks[0].completed == 1


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("writable", [True, False], ids=["cache", "unwritable-cache"])
def test_a_cold_snapshot_gives_the_reference_corpus(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, writable: bool
) -> None:
    """A cold run parses every file (in workers that store their own cache entries) and decodes what it is
    asked for: the same corpus as the reference reader, whole or windowed, whether the cache takes the
    entries or not (then the parsed bytes are kept instead)."""
    monkeypatch.setattr(loader, "PARALLEL_MIN_BYTES", 0)
    themes = builtin_registry()
    data = corpus / "digests"
    reference = read_corpus([data], themes)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder would go\n", encoding="utf-8")
    cache = ParseCache(tmp_path / "c" if writable else blocker / "c", fingerprint(themes, "USD"))
    week = (dt.date(2026, 3, 16), dt.date(2026, 3, 22))
    in_week = sorted(item.id for item in reference.items if week[0] <= item.date <= week[1])
    assert in_week
    cold = loader.Snapshot(data, themes, "USD", cache, workers=workers)
    windowed = cold.corpus(*week)
    assert sorted(item.id for item in windowed.items if week[0] <= item.date <= week[1]) == in_week
    assert cold.corpus(whole=True) == reference
    assert len(entries(tmp_path / "c")) == (len(reference.files) if writable else 0)
    warm = loader.Snapshot(data, themes, "USD", cache, workers=workers)
    assert warm.corpus(whole=True) == reference


def test_only_a_one_shot_command_freezes_what_it_loaded(run: Run, corpus: Path, tmp_path: Path) -> None:
    """In a long-lived process (this test run) a load leaves the collector as it found it: frozen cyclic garbage
    would never be freed. The console script, which ends with its command, freezes."""
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    assert run("list", "--format", "json").exit_code == 0
    assert (gc.get_freeze_count(), gc.isenabled()) == (frozen, enabled)
    script = (
        "import gc, sys, pulse.reading\n"
        "from pulse.reading.loader import load\n"
        "from pulse.model.themes import builtin_registry\n"
        "pulse.reading.FREEZE_LOADS = True\n"
        "load([__import__('pathlib').Path(sys.argv[1])], builtin_registry())\n"
        "print(gc.get_freeze_count() > 0, gc.isenabled())\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script, str(corpus / "digests")], capture_output=True, text=True, check=True
    )
    assert shown.stdout == "True True\n"
