"""Shared fixtures: a CLI runner that keeps stdout and stderr apart, and corpus builders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from pulse.cli import app

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "digests"

GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE_FILE = SAMPLE / "2026" / "2026-W12.yaml"


def sample_line(item_id: str) -> int:
    """The line of the sample file where the item with this id starts."""
    lines = SAMPLE_FILE.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() == f"- id: {item_id}")


Run = Callable[..., Result]

# CI runs the property tests on a fixed sequence of examples, so a green commit stays green when
# re-run; a developer's runs draw new examples every time, and a long hunt draws many more.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output (then review the diff by eye).",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Property-based and real-client tests are `slow`: `pytest -m "not slow"` is the edit loop."""
    for item in items:
        test = getattr(item, "obj", None)
        if item.get_closest_marker("client") or hasattr(test, "hypothesis"):  # hypothesis marks its tests so
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare output with tests/golden/NAME, or rewrite the file under --update-golden."""

    def compare(name: str, actual: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {name}; run pytest --update-golden and review it"
        assert actual == path.read_text(encoding="utf-8"), f"output differs from tests/golden/{name}"

    return compare


def examples(count: int) -> int:
    """A property test's example budget scaled by PULSE_FUZZ_SCALE (20 for a long hunt, 0.1 in the floors run)."""
    return max(1, round(count * float(os.environ.get("PULSE_FUZZ_SCALE", "1"))))


@pytest.fixture(autouse=True)
def isolated_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test (and every pulse it starts) gets its own parse cache folder."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("PULSE_CACHE_DIR", str(folder))
    monkeypatch.delenv("PULSE_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Run:
    """Invoke `pulse` in-process from an empty folder; returns the click Result."""
    monkeypatch.chdir(tmp_path)
    for name in ("PULSE_DATA", "PULSE_CONFIG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str, input: str | None = None, env: Mapping[str, str] | None = None) -> Result:
        return CliRunner().invoke(app, list(args), input=input, env=dict(env or {}), catch_exceptions=False)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path (creating folders) and return its path."""

    def write_file(relative: str, content: str | bytes) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of the repository's sample project (pulse.yaml and digests/) in tmp_path."""
    shutil.copy(REPO / "pulse.yaml", tmp_path / "pulse.yaml")
    shutil.copytree(SAMPLE, tmp_path / "digests")
    return tmp_path


def require_client(name: str) -> str:
    """The path of an external program, or a skip (a failure under PULSE_REQUIRE_CLIENTS=1)."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (.ci/run installs it)"
    if os.environ.get("PULSE_REQUIRE_CLIENTS") == "1":
        pytest.fail(f"PULSE_REQUIRE_CLIENTS=1 but {message}")
    pytest.skip(message)
