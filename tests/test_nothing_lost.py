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


def test_init_force_in_an_existing_project_never_copies_the_sample_items(
    run: Run, write: Write, tmp_path: Path
) -> None:
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


# --- pulse add -------------------------------------------------------------------------------


@pytest.fixture
def project(run: Run, tmp_path: Path) -> Path:
    assert run("init", "--empty").exit_code == 0
    return tmp_path


def test_add_to_a_symlinked_file_writes_its_target_and_keeps_the_link(run: Run, project: Path, write: Write) -> None:
    target = write("shared/items.yaml", ITEMS)
    link = project / "digests" / "link.yaml"
    link.symlink_to(Path("..") / "shared" / "items.yaml")
    result = run("add", "--file", "digests/link.yaml", "--title", "Linked", "--theme", "edge", "--date", "2026-03-17")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "linked\n", "added linked to digests/link.yaml\n")
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text(encoding="utf-8") == ITEMS + (
        "  - id: linked\n    title: Linked\n    date: 2026-03-17\n    themes: [edge]\n"
    )
    assert run("check").stderr == "ok: 2 items and 0 digests in 1 file\n"


def test_add_through_a_symlinked_file_keeps_the_targets_permissions(run: Run, project: Path, write: Write) -> None:
    target = write("shared/items.yaml", ITEMS)
    target.chmod(0o640)
    (project / "digests" / "link.yaml").symlink_to(target)
    assert run("add", "--file", "digests/link.yaml", "--title", "Two", "--theme", "edge").exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o640


OTHER_PROGRAM = """\
import sys
from pathlib import Path

count = int(sys.argv[2])
items = "".join(
    f"  - id: theirs-{n}\\n    title: Theirs {n}\\n    date: 2026-03-16\\n    themes: [edge]\\n" for n in range(count)
)
Path(sys.argv[1]).write_text("items:\\n" + items, encoding="utf-8")  # in place, like an editor saving
"""


def rewrite_in_another_process(path: Path, count: int) -> None:
    """Another program (a separate process) saves the file with `count` items of its own."""
    subprocess.run([sys.executable, "-c", OTHER_PROGRAM, str(path), str(count)], check=True, timeout=60)


def test_add_reads_afresh_when_another_program_saves_the_file_while_it_writes(
    run: Run, project: Path, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pulse.writing.add as adding

    path = write("digests/week.yaml", ITEMS)
    appended = adding._appended
    saves = []

    def while_pulse_writes(*args: object, **kwargs: object) -> str:
        text = appended(*args, **kwargs)  # type: ignore[arg-type]
        if not saves:  # between pulse's read and its rename, once
            rewrite_in_another_process(path, 10)
            saves.append(path.read_text(encoding="utf-8"))
        return text

    monkeypatch.setattr(adding, "_appended", while_pulse_writes)
    result = run("add", "--file", "digests/week.yaml", "--title", "Mine", "--theme", "edge", "--date", "2026-03-17")
    assert (result.exit_code, result.stdout) == (0, "mine\n")
    assert path.read_text(encoding="utf-8") == saves[0] + (
        "  - id: mine\n    title: Mine\n    date: 2026-03-17\n    themes: [edge]\n"
    )


def test_add_refuses_with_nothing_lost_when_another_program_keeps_saving_the_file(
    run: Run, project: Path, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pulse.writing.add as adding

    path = write("digests/week.yaml", ITEMS)
    appended = adding._appended
    saves: list[str] = []

    def while_pulse_writes(*args: object, **kwargs: object) -> str:
        text = appended(*args, **kwargs)  # type: ignore[arg-type]
        rewrite_in_another_process(path, len(saves) + 1)  # every time: the file never stays as pulse read it
        saves.append(path.read_text(encoding="utf-8"))
        return text

    monkeypatch.setattr(adding, "_appended", while_pulse_writes)
    result = run("add", "--file", "digests/week.yaml", "--title", "Mine", "--theme", "edge")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: digests/week.yaml changed on disk {adding.ATTEMPTS} times while pulse add was writing to it "
        "(is another program saving it?); nothing was written: run pulse add again once it is saved\n"
    )
    assert len(saves) == adding.ATTEMPTS
    assert path.read_text(encoding="utf-8") == saves[-1]
    assert list(path.parent.glob(".*.tmp")) == []


def test_add_to_a_file_that_is_not_utf8_changes_nothing(run: Run, project: Path, write: Write) -> None:
    path = write("digests/latin1.yaml", ITEMS.replace("First", "Caf\xe9").encode("latin-1"))
    result = run("add", "--file", "digests/latin1.yaml", "--title", "Mine", "--theme", "edge")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot add to digests/latin1.yaml: it is not UTF-8 text; run pulse check\n",
    )
    assert path.read_bytes() == ITEMS.replace("First", "Caf\xe9").encode("latin-1")


# --- Ctrl-C and Ctrl-D at a prompt ----------------------------------------------------------------


def prompt_and_press(folder: Path, key: bytes) -> tuple[int, str]:
    """Run `pulse add` on a real terminal (a pty), wait until its first prompt reads, press `key`."""
    pty = pytest.importorskip("pty")
    import select
    import time

    from tests.conftest import REPO

    pid, fd = pty.fork()
    if pid == 0:  # the child: pulse on the terminal
        os.chdir(folder)
        os.environ["PYTHONPATH"] = str(REPO)
        os.execv(sys.executable, [sys.executable, "-m", "pulse", "add"])
    seen = b""
    deadline = time.monotonic() + 30
    while b"Title: " not in seen and time.monotonic() < deadline:  # the space: input() is reading
        if select.select([fd], [], [], 0.1)[0]:
            seen += os.read(fd, 1024)
    time.sleep(0.3)  # let the prompt start reading
    os.write(fd, key)
    deadline = pressed = time.monotonic()
    deadline += 30
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 0.1)[0]:
            if time.monotonic() - pressed > 2:  # a key that came before the line editor waited: press again
                os.write(fd, key)
                pressed = time.monotonic()
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the terminal closed: pulse has exited
            break
        if not chunk:
            break
        seen += chunk
    else:
        os.kill(pid, 9)  # still at its prompt: the test fails below instead of hanging
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode().replace("\r\n", "\n")


@pytest.mark.parametrize(("key", "echo"), [(b"\x03", "^C"), (b"\x04", "")], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_ctrl_d_at_an_add_prompt_exits_130_with_pulses_message(project: Path, key: bytes, echo: str) -> None:
    before = sorted(p.name for p in (project / "digests").iterdir())
    status, screen = prompt_and_press(project, key)
    assert status == 130
    assert screen.startswith(f"Title: {echo}")
    assert screen.endswith(f"{echo}\ninterrupted at the prompt; nothing was written\n")
    assert screen.count("interrupted") == 1
    assert sorted(p.name for p in (project / "digests").iterdir()) == before


@pytest.mark.parametrize(
    ("date", "file"),
    [("0001-01-01", "digests/0001/0001-W01.yaml"), ("9999-12-31", "digests/9999/9999-W52.yaml"),
     ("2026-12-31", "digests/2026/2026-W53.yaml"), ("2027-01-01", "digests/2026/2026-W53.yaml")],
)  # fmt: skip
def test_add_files_an_item_in_its_iso_weeks_file_at_the_edges_of_the_calendar(
    run: Run, project: Path, date: str, file: str
) -> None:
    result = run("add", "--title", "Edge", "--theme", "edge", "--date", date)
    assert (result.exit_code, result.stderr) == (0, f"added edge to {file}\n")
    assert run("list", "--week", Path(file).stem, "--format", "csv").stdout.count("\nedge,") == 1


def test_add_to_a_folder_is_a_usage_error(run: Run, project: Path) -> None:
    result = run("add", "--file", "digests", "--title", "Mine", "--theme", "edge")
    assert (result.exit_code, result.stderr) == (2, "error: digests is a folder; give a file name\n")


def test_digest_output_through_a_symlink_writes_its_target(run: Run, project: Path, write: Write) -> None:
    write("digests/week.yaml", ITEMS)
    target = write("site/posts/issue.md", "the previous issue\n")
    (project / "issue.md").symlink_to(target)
    result = run("digest", "--format", "markdown", "--output", "issue.md", "--force")
    assert (result.exit_code, result.stderr) == (0, "wrote issue.md\n")
    assert (project / "issue.md").is_symlink()
    assert target.read_text(encoding="utf-8") == run("digest", "--format", "markdown").stdout
