"""Hostile files, faults while writing, and templates that try to escape: each test names what it attacks."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from pulse.model.themes import builtin_registry
from pulse.reading.corpus import read_corpus
from tests.conftest import REPO, Run

Write = Callable[[str, "str | bytes"], Path]
ITEM = "items:\n  - id: {id}\n    title: {title}\n    date: 2026-03-16\n    themes: [edge]\n"


def pulse(*args: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "pulse", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


# --- hostile files ------------------------------------------------------------


def test_alias_bomb_is_refused_in_bounded_memory(write: Write) -> None:
    lines = ["items:", "  - a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"    a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 12)]  # 10**12 values
    path = write("digests/bomb.yaml", "\n".join(lines) + "\n")
    tracemalloc.start()
    corpus = read_corpus([path.parent], builtin_registry())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "(an alias bomb?)" in corpus.problems[0].message
    assert peak < 64_000_000  # a trillion values, refused in a few megabytes


def test_hundred_megabyte_file_is_refused_without_reading_it(run: Run, tmp_path: Path) -> None:
    (tmp_path / "digests").mkdir()
    with (tmp_path / "digests" / "huge.yaml").open("wb") as handle:
        handle.truncate(100_000_000)  # sparse: 100 MB that cost nothing to make
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "digests/huge.yaml: the file is 100 MB; pulse reads files of up to 32 MB: split it (one file per week is usual)\n"
    )


def test_lines_of_several_megabytes_load(run: Run, write: Write) -> None:
    write("digests/long.yaml", ITEM.format(id="long", title="x" * 5_000_000))
    assert run("check").exit_code == 0
    assert len(run("show", "long", "--format", "json").stdout) > 5_000_000


def test_hundred_thousand_deep_nesting_is_refused_early(write: Write) -> None:
    path = write("digests/deep.yaml", "items: " + "[" * 100_000 + "]" * 100_000 + "\n")
    corpus = read_corpus([path.parent], builtin_registry())
    assert str(corpus.problems[0]).endswith("digests/deep.yaml:1:71: nesting deeper than 64 levels")


def test_symlink_loops_in_the_data_folder(run: Run, write: Write, tmp_path: Path) -> None:
    write("digests/ok.yaml", ITEM.format(id="a", title="A"))
    os.symlink(tmp_path / "digests", tmp_path / "digests" / "loop")  # a folder that contains itself
    os.symlink("b.yaml", tmp_path / "digests" / "a.yaml")
    os.symlink("a.yaml", tmp_path / "digests" / "b.yaml")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "digests/a.yaml: cannot read the file: Too many levels of symbolic links\n"
        "digests/b.yaml: cannot read the file: Too many levels of symbolic links\n"
        "2 errors in 2 of 3 files\n"
    )


def test_a_pipe_named_yaml_does_not_block(run: Run, write: Write, tmp_path: Path) -> None:
    write("digests/ok.yaml", ITEM.format(id="a", title="A"))
    os.mkfifo(tmp_path / "digests" / "pipe.yaml")
    result = run("check")
    assert result.stderr == (
        "digests/pipe.yaml: not a regular file (a pipe or device?); pulse reads plain files only\n"
        "1 error in 1 of 2 files\n"
    )


def test_an_unreadable_file(run: Run, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, whom file modes do not stop: refuse the open itself.
    write("digests/secret.yaml", ITEM.format(id="a", title="A"))
    real_open = os.open

    def guarded_open(path: object, flags: int, *args: object) -> int:
        if str(path).endswith("secret.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", guarded_open)
    result = run("--no-cache", "check")
    assert result.stderr == "digests/secret.yaml: cannot read the file: Permission denied\n1 error in 1 of 1 file\n"


def test_a_directory_named_like_a_yaml_file(run: Run, write: Write) -> None:
    write("digests/2026.yaml/inner.yaml", ITEM.format(id="inner", title="Inner"))
    assert run("check").stderr == "ok: 1 item and 0 digests in 1 file\n"


def test_a_file_that_disappears_during_the_run(run: Run, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    import pulse.reading.corpus

    write("digests/a.yaml", ITEM.format(id="a", title="A"))
    gone = write("digests/gone.yaml", ITEM.format(id="g", title="G"))
    real_scan = pulse.reading.corpus.scan

    def scan_then_delete(paths: object) -> list[tuple[Path, os.stat_result | None]]:
        found = real_scan(paths)  # type: ignore[arg-type]
        gone.unlink()
        return found

    monkeypatch.setattr("pulse.reading.loader.scan", scan_then_delete)
    result = run("check")
    assert result.exit_code == 1
    assert (
        result.stderr == "digests/gone.yaml: cannot read the file: No such file or directory\n1 error in 1 of 2 files\n"
    )


def test_a_file_that_changes_during_the_run(run: Run, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    import pulse.reading.loader

    path = write("digests/a.yaml", ITEM.format(id="a", title="Before"))
    real_scan = pulse.reading.loader.scan

    def scan_then_change(paths: object) -> list[tuple[Path, os.stat_result | None]]:
        found = real_scan(paths)  # type: ignore[arg-type]
        path.write_text(ITEM.format(id="a", title="After, and longer"), encoding="utf-8")
        return found

    monkeypatch.setattr(pulse.reading.loader, "scan", scan_then_change)
    assert "After, and longer" in run("list").stdout
    monkeypatch.setattr(pulse.reading.loader, "scan", real_scan)
    assert path.read_text(encoding="utf-8").count("After") == 1
    assert "After, and longer" in run("list").stdout  # the cache entry did not keep the old key's content


# --- faults while writing ----------------------------------------------------


@pytest.mark.usefixtures("sample_project")
def test_output_to_a_full_disk(run: Run) -> None:
    result = run("digest", "--output", "/dev/full")
    assert (result.exit_code, result.stderr) == (1, "error: cannot write /dev/full: No space left on device\n")


@pytest.mark.usefixtures("sample_project")
def test_output_into_a_folder_that_cannot_be_written(run: Run) -> None:
    result = run("digest", "--output", "/proc/pulse-issue.md")  # /proc refuses new files, even to root
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot write /proc/pulse-issue.md: ")


@pytest.mark.usefixtures("sample_project")
def test_output_whose_parent_is_a_file(run: Run, write: Write) -> None:
    write("notes.txt", "mine\n")
    result = run("digest", "--output", "notes.txt/issue.md")
    assert (result.exit_code, result.stderr) == (1, "error: cannot write notes.txt/issue.md: notes.txt is a file\n")


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_digest_output_leaves_the_old_file_or_the_new_one(
    tmp_path: Path, write: Write, signum: int
) -> None:
    for n in range(30):
        write(f"digests/file-{n}.yaml", "items:\n" + "".join(
            f"  - {{id: i{n}-{k}, title: Item {k}, date: 2026-03-16, themes: [edge], summary: {'word ' * 40}}}\n"
            for k in range(200)
        ))  # fmt: skip
    started = time.monotonic()
    complete = pulse("--no-cache", "digest", cwd=tmp_path).communicate(timeout=120)[0].decode()
    duration = time.monotonic() - started  # a busy machine stretches start-up and work alike
    target = write("issue.md", "the previous issue\n")
    rng = random.Random(signum)
    codes = set()
    for _ in range(6):
        process = pulse("--no-cache", "digest", "--output", "issue.md", "--force", cwd=tmp_path)
        time.sleep(rng.uniform(0.4, 1.0) * duration)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
        codes.add(process.returncode)
        content = target.read_text(encoding="utf-8")
        assert content in ("the previous issue\n", complete)
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
        if process.returncode != 0:
            assert process.returncode == (130 if signum == signal.SIGINT else 143)
            assert b"nothing was left half-written" in stderr
        target.write_text("the previous issue\n", encoding="utf-8")
    assert codes - {0}, "no run was interrupted; the corpus is too small to catch one"


@pytest.mark.slow
def test_a_signal_during_the_cache_write_leaves_no_bad_entry(
    tmp_path: Path, write: Write, isolated_cache: Path
) -> None:
    for n in range(200):
        write(f"digests/file-{n}.yaml", ITEM.format(id=f"a{n}", title=f"A{n}"))
    process = pulse("check", cwd=tmp_path)
    time.sleep(0.6)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert list(isolated_cache.glob(".*.tmp")) == []
    after = pulse("check", cwd=tmp_path)
    _, stderr = after.communicate(timeout=60)
    assert stderr == b"ok: 200 items and 0 digests in 200 files\n"


# --- templates ----------------------------------------------------------------


@pytest.mark.usefixtures("sample_project")
@pytest.mark.parametrize(
    "expression",
    ["issue.__class__.__mro__", "''.__class__.__subclasses__()", "issue.sections.__class__.__init__.__globals__"],
)
def test_a_template_cannot_reach_python_internals(run: Run, write: Write, expression: str) -> None:
    write("templates/digest.md.j2", "# {{ issue.title }}\n{{ " + expression + " }}\n")
    result = run("digest")
    assert result.exit_code == 1
    assert result.stderr == (
        "templates/digest.md.j2:2: template error: the template reaches into Python internals, which pulse's sandbox refuses\n"
        "error: the template failed\n"
    )


@pytest.mark.usefixtures("sample_project")
def test_a_javascript_url_never_reaches_a_page(run: Run, write: Write) -> None:
    write(
        "digests/x.yaml",
        ITEM.format(id="x", title="X").replace("themes: [edge]", "themes: [edge]\n    sources: [javascript:alert(1)]"),
    )
    result = run("check")
    assert "source 'javascript:alert(1)' is not an http(s) URL" in result.stderr


# --- the fuzz target -------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"items: [",
        b"\xff\xfe",
        b"items:\n  - id: x\n",
        b"a: &a [*a]",
        b"\x00",
        (REPO / "fuzz" / "corpus" / "sample.yaml").read_bytes(),
    ],
)
def test_the_fuzz_target_takes_any_bytes(data: bytes) -> None:
    sys.path.insert(0, str(REPO / "fuzz"))
    try:
        from fuzz_reader import test_one_input
    finally:
        sys.path.pop(0)
    test_one_input(data)
