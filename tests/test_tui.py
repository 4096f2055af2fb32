"""The terminal app (`pulse browse`, `pulse inbox` on a terminal) through Textual's headless driver, and undo."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console

from pulse.core.kinds import SortKey
from pulse.core.rank import rank_items, reference_date
from pulse.core.select import Selection
from pulse.errors import DataError, UsageError
from pulse.model.rates import Rates
from pulse.reading.corpus import read_corpus
from pulse.reading.settings import load_settings
from pulse.tui.app import KEYS, PulseApp
from pulse.tui.sources import BrowseSource, InboxSource
from pulse.tui.widgets import TextScreen
from tests.conftest import REPO, Run
from tests.feed_server import FeedServer
from tests.test_ingest import FEED_PATHS, TIMEOUT

TODAY = dt.date(2026, 3, 20)
Drive = Callable[[PulseApp], Awaitable[None]]


def plain(renderable: object, width: int = 200) -> str:
    console = Console(width=width, no_color=True, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def status(app: PulseApp) -> str:
    return app.shown_status


def preview(app: PulseApp) -> str:
    return plain(app.shown_preview)


def page(app: PulseApp) -> str:
    assert isinstance(app.screen, TextScreen)
    return plain(app.screen.body)


def drive(app: PulseApp, steps: Drive, size: tuple[int, int] = (80, 24)) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(app)
            await pilot.pause()

    asyncio.run(main())


def browse_app(sample_project: Path, opened: list[str] | None = None, selection: Selection | None = None) -> PulseApp:
    settings = load_settings(config=sample_project / "pulse.yaml", data=None)
    corpus = read_corpus([settings.data], settings.themes, settings.currency)
    source = BrowseSource(settings, corpus.items, corpus.digests, selection or Selection(), SortKey.score, TODAY)
    return PulseApp(source, opener=(opened.append if opened is not None else lambda url: None))


def themes_of(app: PulseApp) -> set[str]:
    return {theme for row in app.rows for theme in row.themes}


# pulse browse ------------------------------------------------------------------------------------------------------


def test_theme_keys_toggle_any_of_and_zero_clears(sample_project: Path) -> None:
    app = browse_app(sample_project)

    async def steps(app: PulseApp) -> None:
        total = len(app.rows)
        assert {"funding", "edge"} <= themes_of(app)
        assert status(app).startswith(f"{total} of {total} items · themes: all")
        await app.run_action("theme(1)")
        funding = len(app.rows)
        assert 0 < funding < total and all("funding" in row.themes for row in app.rows)
        assert "themes: funding" in status(app)
        await pilot_press(app, "3")
        assert all({"funding", "edge"} & set(row.themes) for row in app.rows)
        assert len(app.rows) > funding and "themes: funding, edge" in status(app)
        await pilot_press(app, "1")
        assert all("edge" in row.themes for row in app.rows)
        await pilot_press(app, "0")
        assert len(app.rows) == total and "themes: all" in status(app)

    drive(app, steps)


async def pilot_press(app: PulseApp, *keys: str) -> None:
    """Press keys as a user would (the pilot of the running test app)."""
    from textual.pilot import Pilot

    await Pilot(app).press(*keys)


def test_search_is_live_and_matches_like_the_search_option(sample_project: Path, run: Run) -> None:
    app = browse_app(sample_project)
    expected = [row["id"] for row in json.loads(run("list", "--search", "nscale", "--format", "json").stdout)]

    async def steps(app: PulseApp) -> None:
        await pilot_press(app, "slash", "n", "s", "c")
        assert "search: nsc" in status(app)
        await pilot_press(app, "a", "l", "e")
        assert [row.key for row in app.rows] == expected
        assert "Nscale" in preview(app)
        await pilot_press(app, "enter")  # back to the list, the search kept
        assert app.focused is not None and app.focused.id == "list"
        await pilot_press(app, "q")  # q in the list quits, it is not typed into the search

    drive(app, steps)
    assert app.return_code == 0


def test_window_and_sort_cycle(sample_project: Path) -> None:
    app = browse_app(sample_project)
    settings = load_settings(config=sample_project / "pulse.yaml", data=None)
    items = read_corpus([settings.data], settings.themes, settings.currency).items

    async def steps(app: PulseApp) -> None:
        total = len(app.rows)
        await pilot_press(app, "w")
        assert "window: this week" in status(app) and len(app.rows) == total  # the sample is 2026-03-16
        await pilot_press(app, "w")
        assert "window: last week" in status(app) and app.rows == []
        assert "no item matches" in preview(app)
        await pilot_press(app, "w")
        assert "window: last 30 days" in status(app) and len(app.rows) == total
        await pilot_press(app, "w")
        assert "window: all" in status(app)
        for sort in (SortKey.date, SortKey.amount, SortKey.score):
            await pilot_press(app, "s")
            assert f"sort: {sort.value}" in status(app)
            ranked = rank_items(
                items, settings.weights, reference_date(items, None), sort, rates=Rates(settings.currency)
            )
            assert [row.key for row in app.rows] == [r.item.id for r in ranked]

    drive(app, steps)


def test_enter_opens_the_item_in_full_and_o_its_first_source(sample_project: Path) -> None:
    (sample_project / "digests" / "linked.yaml").write_text(
        "items:\n  - id: linked-item\n    title: Linked chip news\n    date: 2026-03-16\n    themes: [hardware]\n"
        "    sources:\n      - {title: Chip Letter}\n      - https://example.com/chips\n      - https://example.com/other\n",
        encoding="utf-8",
    )
    opened: list[str] = []
    app = browse_app(sample_project, opened)

    async def steps(app: PulseApp) -> None:
        await pilot_press(app, "o")
        assert opened == [] and status(app).startswith("no source link to open")  # the sample cites no URL
        await pilot_press(app, "slash", *"linked", "enter")
        assert [row.key for row in app.rows] == ["linked-item"]
        assert "https://example.com/chips" in preview(app)
        await pilot_press(app, "enter")
        assert "linked-item" in page(app) and "Linked chip news" in page(app)
        await pilot_press(app, "escape")
        assert not isinstance(app.screen, TextScreen)
        await pilot_press(app, "o")
        assert opened == ["https://example.com/chips"]
        assert status(app).startswith("opened https://example.com/chips")

    drive(app, steps)


def test_d_previews_the_digest_of_the_selection(sample_project: Path, run: Run) -> None:
    app = browse_app(sample_project)
    markdown = run("digest", "--theme", "edge", "--format", "markdown").stdout

    async def steps(app: PulseApp) -> None:
        await pilot_press(app, "3", "d")
        text = page(app)
        assert "Tech Innovation Pulse" in text
        assert "Edge" in text and "Funding & Deals" not in text
        assert "Sandbar" in text and "Sandbar" in markdown

    drive(app, steps, size=(120, 40))


def test_question_mark_lists_every_key(sample_project: Path) -> None:
    app = browse_app(sample_project)

    async def steps(app: PulseApp) -> None:
        await pilot_press(app, "question_mark")
        text = page(app)
        for key, _, what, modes in KEYS:
            assert (what in text) == ("browse" in modes.split()), key
        await pilot_press(app, "q")
        assert not isinstance(app.screen, TextScreen)
        await pilot_press(app, "q")

    drive(app, steps)
    assert app.return_code == 0


@pytest.mark.parametrize("variable", [("NO_COLOR", "1"), ("TERM", "dumb")])
def test_no_color_and_dumb_terminals_get_no_colour(
    sample_project: Path, monkeypatch: pytest.MonkeyPatch, variable: tuple[str, str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv(*variable)
    app = browse_app(sample_project)

    async def steps(app: PulseApp) -> None:
        assert app.no_color
        assert "\x1b[3" not in app.source.full(app.rows[0].key, app.screen_for_text())

    drive(app, steps)


def test_colour_by_default(sample_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    app = browse_app(sample_project)

    async def steps(app: PulseApp) -> None:
        assert not app.no_color
        assert 'fill="#' in app.export_screenshot()

    drive(app, steps)


def test_fits_80_by_24_and_follows_a_resize(sample_project: Path) -> None:
    app = browse_app(sample_project)

    async def steps(app: PulseApp) -> None:
        from textual.pilot import Pilot

        table = app.query_one("#list")
        assert table.virtual_size.width <= 80
        await Pilot(app).resize_terminal(120, 40)
        await Pilot(app).pause()
        assert 80 < table.virtual_size.width <= 120
        await Pilot(app).resize_terminal(80, 24)
        await Pilot(app).pause()
        assert table.virtual_size.width <= 80

    drive(app, steps)


def test_a_large_list_shows_a_page_first_and_grows_as_the_cursor_moves(sample_project: Path) -> None:
    lines = ["items:"]
    for n in range(450):
        lines += [f"  - id: many-{n}", f"    title: Many {n}", "    date: 2026-03-10", "    themes: [funding]"]
    (sample_project / "digests" / "many.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = browse_app(sample_project)

    async def steps(app: PulseApp) -> None:
        from textual.pilot import Pilot
        from textual.widgets import DataTable

        table = app.query_one("#list", DataTable)
        assert (len(app.rows), table.row_count) == (474, 200)
        assert status(app).startswith("474 of 474 items")
        table.move_cursor(row=160)
        await Pilot(app).pause()
        assert table.row_count == 400
        table.scroll_end(animate=False)  # the mouse wheel or the scroll bar, not the cursor
        await Pilot(app).pause()
        assert table.row_count == 474 and table.cursor_row == 160
        await pilot_press(app, "ctrl+end")
        assert table.row_count == 474
        assert table.cursor_row == 473 and app.current_key() == app.rows[-1].key
        assert app.rows[-1].title in preview(app)

    drive(app, steps)


def test_browse_off_a_terminal_is_a_usage_error(run: Run) -> None:
    result = run("browse")
    assert result.exit_code == 2
    assert result.stderr == "error: browse needs a terminal; use pulse list\n"


@pytest.mark.parametrize("args", [["--help"], ["list", "--format", "json"], ["inbox", "--help"]])
def test_other_commands_never_import_textual(sample_project: Path, args: list[str]) -> None:
    code = (
        "import sys\nfrom pulse.cli import run\nsys.argv = ['pulse', *sys.argv[1:]]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('textual loaded' if 'textual' in sys.modules else 'textual not loaded')\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=sample_project, capture_output=True,
                            text=True, check=False, env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    assert result.stderr.endswith("textual not loaded"), result.stderr


# pulse inbox on a terminal -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    with FeedServer(slow=3 * TIMEOUT) as running:
        yield running


@pytest.fixture
def inbox_project(server: FeedServer, run: Run, tmp_path: Path) -> Path:
    """A project whose inbox holds the feed server's stories (pulse fetch has run)."""
    (tmp_path / "digests").mkdir()
    lines = ["name: Loop", "sources:"]
    for name in ("Deal Flow", "Chip Letter", "Edge Notes"):
        lines.append(f"  - {{name: {name}, url: '{server.url(FEED_PATHS[name])}'}}")
    lines += ["rules:", r"  - {match: '\b(raises?|series [a-f])\b', themes: [funding]}"]
    (tmp_path / "pulse.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("fetch").exit_code == 0
    return tmp_path


def inbox_app(project: Path) -> PulseApp:
    settings = load_settings(config=project / "pulse.yaml", data=None)
    return PulseApp(InboxSource(settings, [], None, False), opener=lambda url: None)


def corpus_ids(project: Path) -> list[str]:
    settings = load_settings(config=project / "pulse.yaml", data=None)
    corpus = read_corpus([settings.data], settings.themes, settings.currency)
    assert not corpus.problems
    return [item.id for item in corpus.items]


def written_files(project: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted((project / "digests").rglob("*.yaml"))}


def inbox_ids(run: Run) -> list[str]:
    return [story["id"] for story in json.loads(run("inbox", "--format", "json").stdout)]


@pytest.mark.slow
def test_accept_reject_and_undo_write_at_once(inbox_project: Path, run: Run) -> None:
    app = inbox_app(inbox_project)
    before = inbox_ids(run)

    async def steps(app: PulseApp) -> None:
        first, second = app.rows[0].key, app.rows[1].key
        await pilot_press(app, "a")
        ids = corpus_ids(inbox_project)
        assert len(ids) == 1
        assert status(app).startswith(f"accepted story {first} as {ids[0]} in digests/")
        assert first not in inbox_ids(run)  # written at once
        after_accept = written_files(inbox_project)
        assert app.rows[0].key == second
        await pilot_press(app, "r")
        assert status(app).startswith(f"rejected story {second}")
        assert set(before) - set(inbox_ids(run)) == {first, second}
        await pilot_press(app, "u")
        assert status(app).startswith(f"undone: story {second} is undecided again")
        assert set(before) - set(inbox_ids(run)) == {first}
        assert written_files(inbox_project) == after_accept
        await pilot_press(app, "u")
        assert status(app).startswith(f"undone: removed {ids[0]}")
        assert inbox_ids(run) == before
        assert written_files(inbox_project) == {}  # the accept created the week's file: it is gone
        await pilot_press(app, "u")
        assert status(app).startswith("nothing to undo")

    drive(app, steps)
    assert run("check").exit_code == 0


@pytest.mark.slow
def test_undo_restores_an_existing_file_byte_for_byte(inbox_project: Path, run: Run) -> None:
    app = inbox_app(inbox_project)

    async def steps(app: PulseApp) -> None:
        story = app.source.views[app.rows[0].key][0] if isinstance(app.source, InboxSource) else None
        assert story is not None
        year, week, _ = dt.date.fromisoformat(story.date).isocalendar()
        path = inbox_project / "digests" / str(year) / f"{year}-W{week:02d}.yaml"
        path.parent.mkdir(parents=True)
        original = b"# kept as written\r\nitems:\r\n  - id: kept\r\n    title: Kept\r\n    date: 2026-01-05\r\n    themes: [edge]\r\n"
        path.write_bytes(original)
        await pilot_press(app, "a")
        assert path.read_bytes() != original and len(corpus_ids(inbox_project)) == 2
        await pilot_press(app, "u")
        assert path.read_bytes() == original

    drive(app, steps)


def week_path(app: PulseApp, project: Path) -> Path:
    assert isinstance(app.source, InboxSource)
    year, week, _ = dt.date.fromisoformat(app.source.views[app.rows[0].key][0].date).isocalendar()
    return project / "digests" / str(year) / f"{year}-W{week:02d}.yaml"


HAND_ITEM = b"  - id: by-hand\n    title: By hand\n    date: 2026-01-05\n    themes: [edge]\n"


@pytest.mark.slow
def test_undo_refuses_when_the_item_was_changed(inbox_project: Path, run: Run) -> None:
    app = inbox_app(inbox_project)

    async def steps(app: PulseApp) -> None:
        path = week_path(app, inbox_project)
        await pilot_press(app, "a")  # the accept creates the week's file
        written = path.read_bytes()
        path.write_bytes(written + b"# a comment by hand\n")
        await pilot_press(app, "u")
        assert status(app).startswith("error: item ") and "nothing was undone" in status(app)
        assert path.read_bytes() == written + b"# a comment by hand\n"
        path.write_bytes(written)
        await pilot_press(app, "u")
        assert not path.exists()

        original = b"items:\n" + HAND_ITEM
        path.write_bytes(original)
        await pilot_press(app, "a")  # now into a file that was there
        written = path.read_bytes()
        path.write_bytes(written.replace(b"title: ", b"title: Edited ", 2))  # our item's title edited
        await pilot_press(app, "u")
        assert status(app).startswith("error: item ")
        # Another item added after ours does not stop the undo: our item's bytes are still there.
        extra = HAND_ITEM.replace(b"by-hand", b"added-later")
        path.write_bytes(written + extra)
        await pilot_press(app, "u")
        assert status(app).startswith("undone: removed")
        assert path.read_bytes() == original + extra

    drive(app, steps)


@pytest.mark.slow
def test_t_picks_themes_and_e_edits_before_accepting(inbox_project: Path, run: Run) -> None:
    app = inbox_app(inbox_project)

    async def steps(app: PulseApp) -> None:
        key = app.rows[0].key
        await pilot_press(app, "e")
        title = app.screen.query_one("#title")
        title.value = "A title of my own"  # type: ignore[attr-defined]
        summary = app.screen.query_one("#summary")
        summary.value = "My summary."  # type: ignore[attr-defined]
        await pilot_press(app, "enter", "enter")
        assert "A title of my own" in preview(app) and app.rows[0].title == "A title of my own"
        assert corpus_ids(inbox_project) == []  # editing writes nothing
        await pilot_press(app, "t")
        picker = app.screen.query_one("#themes")
        for theme in list(picker.selected):  # type: ignore[attr-defined]
            picker.deselect(theme)  # type: ignore[attr-defined]
        await pilot_press(app, "2", "3", "enter")
        assert status(app).startswith(f"accepted story {key} as a-title-of-my-own")

    drive(app, steps)
    shown = json.loads(run("show", "a-title-of-my-own", "--format", "json").stdout)
    assert shown["themes"] == ["hardware", "edge"]
    assert shown["summary"] == "My summary."


@pytest.mark.slow
def test_c_shows_decided_and_covered_stories(inbox_project: Path, run: Run) -> None:
    app = inbox_app(inbox_project)

    async def steps(app: PulseApp) -> None:
        total = len(app.rows)
        await pilot_press(app, "r")
        assert len(app.rows) == total - 1
        await pilot_press(app, "c")
        assert len(app.rows) == total and "decided and covered shown" in status(app)
        assert any("rejected" in row.note for row in app.rows)
        await pilot_press(app, "c")
        assert len(app.rows) == total - 1

    drive(app, steps)


@pytest.mark.slow
def test_undo_of_a_decision_that_changed_since_is_refused(inbox_project: Path, run: Run) -> None:
    from dataclasses import replace

    from pulse.ingest.decide import accept, reject, undo
    from pulse.ingest.settings import read_ingest

    settings = load_settings(config=inbox_project / "pulse.yaml", data=None)
    ingest = read_ingest(settings)
    first, second = inbox_ids(run)[:2]
    done = reject(ingest, first)
    assert run("inbox", "accept", first, "--theme", "edge").exit_code == 0
    with pytest.raises(UsageError):
        undo(settings, ingest, done)
    accepted = accept(settings, ingest, second, themes=["edge"])
    with pytest.raises(DataError):
        undo(settings, ingest, replace(accepted, written=None))


# A real terminal (tmux) --------------------------------------------------------------------------------------------


class Tmux:
    """A detached tmux session of a given size running one command; read its screen, send it keys."""

    def __init__(self, tmux: str, folder: Path, command: str, size: tuple[int, int] = (120, 40)) -> None:
        import uuid

        self.tmux, self.name = tmux, f"pulse-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        shell = f"{command}; echo EXIT=$?; sleep 60"
        subprocess.run([tmux, "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]),
                        "-c", str(folder), shell], check=True, env=env)  # fmt: skip

    def screen(self) -> str:
        capture = [self.tmux, "capture-pane", "-p", "-t", self.name]
        return subprocess.run(capture, capture_output=True, text=True, check=True).stdout

    def wait_for(self, text: str, timeout: float = 30) -> str:
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never shown; the screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run([self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run([self.tmux, "kill-session", "-t", self.name], check=False, capture_output=True)


@pytest.mark.slow
@pytest.mark.client
def test_browse_in_a_real_terminal(sample_project: Path) -> None:
    from tests.conftest import require_client

    session = Tmux(require_client("tmux"), sample_project, f"{sys.executable} -m pulse browse")
    try:
        shown = session.wait_for("of 24 items")
        assert " funding " in shown and " edge " in shown
        session.keys("1")
        shown = session.wait_for("themes: funding ·")
        rows = [line for line in shown.splitlines() if line.strip()[:4] == "2026"]
        assert rows and all(" funding " in row for row in rows)
        assert not any(" edge " in row for row in rows)
        session.keys("q")
        assert "EXIT=0" in session.wait_for("EXIT=")
    finally:
        session.close()


@pytest.mark.slow
@pytest.mark.client
def test_inbox_in_a_real_terminal(inbox_project: Path, run: Run) -> None:
    from tests.conftest import require_client

    before = inbox_ids(run)
    session = Tmux(require_client("tmux"), inbox_project, f"{sys.executable} -m pulse inbox")
    try:
        session.wait_for(f"{len(before)} stories")
        session.keys("a")
        session.wait_for("accepted story")
        session.keys("r")
        session.wait_for("rejected story")
        assert len(corpus_ids(inbox_project)) == 1
        assert run("check").exit_code == 0
        assert len(inbox_ids(run)) == len(before) - 2
        session.keys("u")
        session.wait_for("undone: story")
        assert len(inbox_ids(run)) == len(before) - 1
        session.keys("q")
        assert "EXIT=0" in session.wait_for("EXIT=")
    finally:
        session.close()
    assert run("inbox", "--format", "text").stdout.count("\n") == len(before)  # header and the undecided stories
