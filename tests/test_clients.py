"""Real clients read what pulse writes: Hugo, markdownlint, a CommonMark parser and a real terminal (tmux).

Each test skips with a reason when its program is missing; `.ci/run` installs them
and sets PULSE_REQUIRE_CLIENTS=1, under which a missing program fails the test.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pulse.core.compose import compose_issue
from pulse.core.select import Selection, Window
from pulse.model import Digest, Item
from pulse.model.themes import builtin_registry
from pulse.model.weights import Weights
from pulse.render.templates import render_markdown
from tests.conftest import REPO, Run, require_client

pytestmark = pytest.mark.client
HEADINGS = (
    "Massive Funding and Strategic Deals Fueling Model Labs and Infrastructure",
    "Hardware, Cloud, and Data Center Buildout for Next-Gen AI",
    "Sector-Specific Ecosystem Shifts and M&A Activity",
    "The Rise of Autonomous AI Workers",
    "Addressing Safety, Trust, and Governance",
    "Future Outlook",
)


@pytest.mark.usefixtures("sample_project")
def test_hugo_builds_a_site_from_the_digest(run: Run, tmp_path: Path) -> None:
    hugo = require_client("hugo")
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Pulse"\n', encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(
        "<html><body><h1>{{ .Title }}</h1>{{ range .Params.tags }}<i>{{ . }}</i>{{ end }}{{ .Content }}</body></html>\n",
        encoding="utf-8",
    )
    (site / "layouts" / "_default" / "list.html").write_text("<html></html>\n", encoding="utf-8")
    post = run("digest", "--front-matter", "hugo").stdout
    (site / "content" / "posts" / "2026-w12.md").write_text(post, encoding="utf-8")
    subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")], check=True, capture_output=True)
    page = (site / "public" / "posts" / "2026-w12" / "index.html").read_text(encoding="utf-8")
    assert "<h1>AI Infrastructure, Chips &amp; Mega Funding</h1>" in page
    assert "<i>funding</i><i>hardware</i>" in page
    for heading in HEADINGS:
        assert f">{heading.replace('&', '&amp;')}</h2>" in page


@pytest.mark.usefixtures("sample_project")
@pytest.mark.parametrize("front_matter", ["none", "hugo", "jekyll"])
def test_markdownlint_passes_the_sample_digest(run: Run, tmp_path: Path, front_matter: str) -> None:
    markdownlint = require_client("markdownlint-cli2")
    folder = tmp_path / "lint"
    folder.mkdir()
    shutil.copy(REPO / ".markdownlint.jsonc", folder / ".markdownlint.jsonc")
    (folder / "issue.md").write_text(run("digest", "--front-matter", front_matter).stdout, encoding="utf-8")
    result = subprocess.run([markdownlint, "issue.md"], cwd=folder, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _plain(tokens: list) -> str:  # type: ignore[type-arg]
    """The text a reader sees in an inline token's children."""
    return "".join(t.content if t.type in ("text", "code_inline", "html_inline") else " " for t in tokens)


TEXT = st.text(
    alphabet=st.sampled_from([*"abcXYZ 019#*_[]()<>`|&;!~=+-.:\\'\"{}%\t", "é", "ß", "漢", "—"]),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip() != "")


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(titles=st.lists(TEXT, min_size=1, max_size=4))
def test_commonmark_keeps_structure_and_text_whatever_the_titles(titles: list[str]) -> None:
    items = [
        Item(id=f"i{n}", title=title, date=dt.date(2026, 3, 16), themes=("funding",)) for n, title in enumerate(titles)
    ]
    digest = Digest(title="Issue", date=dt.date(2026, 3, 16), outlook="Onward.")
    issue = compose_issue(items, digest, Selection(window=Window()), builtin_registry(), Weights(), name="Pulse")
    tokens = MarkdownIt("commonmark").parse(render_markdown(issue))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Issue", "Funding & Deals", "Future Outlook"]
    bullets = [
        _plain(tokens[i + 2].children or [])
        for i, t in enumerate(tokens)
        if t.type == "list_item_open" and tokens[i + 2].type == "inline"
    ]
    assert [" ".join(b.split()) for b in bullets] == [" ".join(t.split()) for t in titles]
    assert sum(t.type == "bullet_list_open" for t in tokens) == 1


@pytest.mark.usefixtures("sample_project")
def test_a_real_terminal_shows_the_newsletter_within_its_width(tmp_path: Path) -> None:
    tmux = require_client("tmux")
    name = f"pulse-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("NO_COLOR", None)
    command = f"{sys.executable} -m pulse digest; tmux wait-for -S {name}; sleep 60"
    subprocess.run(
        [tmux, "new-session", "-d", "-s", name, "-x", "80", "-y", "50", "-c", str(tmp_path), command],
        check=True,
        env=env,
    )
    try:
        subprocess.run([tmux, "wait-for", name], check=True, timeout=60)
        capture = [tmux, "capture-pane", "-p", "-J", "-S", "-", "-t", name]
        screen = subprocess.run(capture, capture_output=True, text=True, check=True).stdout
        coloured = subprocess.run([*capture, "-e"], capture_output=True, text=True, check=True).stdout
    finally:
        subprocess.run([tmux, "kill-session", "-t", name], check=False, capture_output=True)
    lines = screen.rstrip("\n").splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert "AI Infrastructure, Chips & Mega Funding" in screen
    assert "─ Tech Innovation Pulse ─" in screen  # the title rule: the terminal newsletter, not Markdown
    joined = " ".join(screen.split())
    for heading in HEADINGS:
        assert heading in joined
    assert "\x1b[" in coloured
