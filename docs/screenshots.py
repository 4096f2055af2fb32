"""Regenerate docs/browse.png and docs/inbox.png from the app's own SVG screenshots.

    .venv/bin/python docs/screenshots.py

The app runs headless (Textual's test driver) on the sample project (browse, with the
funding filter on) and on an inbox fetched from the test feed server (inbox); each
screen is saved as SVG by Textual and turned into a PNG by headless Chromium.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pulse.core.kinds import SortKey  # noqa: E402
from pulse.core.select import Selection  # noqa: E402
from pulse.reading.corpus import read_corpus  # noqa: E402
from pulse.reading.settings import load_settings  # noqa: E402
from pulse.tui.app import PulseApp  # noqa: E402
from pulse.tui.sources import BrowseSource, InboxSource  # noqa: E402

SIZE = (100, 30)


async def shoot(app: PulseApp, keys: list[str], svg: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        app.save_screenshot(svg.name, str(svg.parent))


def to_png(svg: Path, png: Path) -> None:
    """Chromium draws the SVG at its own size (Textual's SVG is about 10 px a column)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise SystemExit("docs/screenshots.py needs Chromium (apt-get install chromium)")
    box = svg.read_text(encoding="utf-8").split('viewBox="0 0 ')[1].split('"')[0]
    width, height = (int(float(n)) + 1 for n in box.split())
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={width},{height}", f"--screenshot={png}", svg.as_uri()],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    print(f"wrote {png.relative_to(REPO)}")


def browse(folder: Path) -> None:
    settings = load_settings(config=REPO / "pulse.yaml", data=REPO / "digests")
    corpus = read_corpus([settings.data], settings.themes, settings.currency)
    source = BrowseSource(settings, corpus.items, corpus.digests, Selection(), SortKey.score, dt.date(2026, 3, 20))
    svg = folder / "browse.svg"
    asyncio.run(shoot(PulseApp(source), ["1", "3", "down"], svg))
    to_png(svg, REPO / "docs" / "browse.png")


def inbox(folder: Path) -> None:
    from tests.feed_server import FeedServer
    from tests.test_ingest import FEED_PATHS

    project = folder / "project"
    (project / "digests").mkdir(parents=True)
    with FeedServer() as server:
        sources = "".join(f"  - {{name: {n}, url: '{server.url(p)}'}}\n" for n, p in FEED_PATHS.items()
                          if n in ("Deal Flow", "Chip Letter", "Edge Notes", "Health Deals"))  # fmt: skip
        rules = "rules:\n  - {match: '\\b(raises?|series [a-f])\\b', themes: [funding]}\n"
        (project / "pulse.yaml").write_text(f"name: Loop\nsources:\n{sources}{rules}", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "pulse", "fetch"], cwd=project, env=env, check=True, capture_output=True)
    settings = load_settings(config=project / "pulse.yaml", data=None)
    svg = folder / "inbox.svg"
    cwd = Path.cwd()
    os.chdir(project)  # paths in the status line as the curator sees them
    try:
        asyncio.run(shoot(PulseApp(InboxSource(settings, [], None, False)), ["a"], svg))
    finally:
        os.chdir(cwd)
    to_png(svg, REPO / "docs" / "inbox.png")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as temporary:
        browse(Path(temporary))
        inbox(Path(temporary))
