"""pulse.yaml: themes, the data folder, and precedence (defaults < file < environment < flags)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pulse.errors import DataError, UsageError
from pulse.reading.settings import load_settings
from tests.conftest import Run

Write = Callable[[str, str], Path]
ITEM = "items:\n  - id: r\n    title: Robots\n    date: 2026-03-16\n    themes: [{theme}]\n"


def test_defaults_without_a_config(tmp_path: Path) -> None:
    (tmp_path / "digests").mkdir()
    settings = load_settings(cwd=tmp_path, environ={})
    assert (settings.data, settings.name, settings.sample) == (tmp_path / "digests", "pulse", False)
    assert settings.themes.keys() == ["funding", "hardware", "edge", "sector", "safety"]


def test_config_is_found_in_a_parent_folder(tmp_path: Path, write: Write) -> None:
    write("pulse.yaml", "name: Weekly\ndata: corpus\n")
    (tmp_path / "corpus" / "2026").mkdir(parents=True)
    settings = load_settings(cwd=tmp_path / "corpus" / "2026", environ={})
    assert (settings.name, settings.data) == ("Weekly", tmp_path / "corpus")


@pytest.mark.parametrize(
    ("environ", "flag", "expected"),
    [
        ({}, None, "from-file"),
        ({"PULSE_DATA": "from-env"}, None, "from-env"),
        ({"PULSE_DATA": "from-env"}, "from-flag", "from-flag"),
    ],
)
def test_precedence_of_the_data_folder(
    tmp_path: Path, write: Write, environ: dict[str, str], flag: str | None, expected: str
) -> None:
    write("pulse.yaml", "data: from-file\n")
    for name in ("from-file", "from-env", "from-flag"):
        (tmp_path / name).mkdir()
    data = tmp_path / flag if flag else None
    environ = {key: str(tmp_path / value) for key, value in environ.items()}
    assert load_settings(cwd=tmp_path, data=data, environ=environ).data == tmp_path / expected


def test_themes_can_be_renamed_added_and_removed(tmp_path: Path, write: Write) -> None:
    write(
        "pulse.yaml",
        "themes:\n"
        "  funding: {title: Money}\n"
        "  robotics: {title: Robotics, color: blue, order: 5, aliases: [Robots]}\n"
        "  safety: false\n",
    )
    themes = load_settings(cwd=tmp_path, environ={}).themes
    assert themes.keys() == ["robotics", "funding", "hardware", "edge", "sector"]
    assert themes["funding"].title == "Money"
    assert themes.resolve("robots") == themes["robotics"]
    assert themes.resolve("m&a") == themes["sector"]
    assert themes.resolve("safety") is None


def test_a_project_theme_is_valid_in_items(run: Run, write: Write) -> None:
    write("pulse.yaml", "themes:\n  robotics: {title: Robotics}\n")
    write("digests/a.yaml", ITEM.format(theme="robotics"))
    assert run("check").exit_code == 0


def test_a_removed_theme_is_an_error_in_items(run: Run, write: Write) -> None:
    write("pulse.yaml", "themes:\n  safety: false\n")
    write("digests/a.yaml", ITEM.format(theme="safety"))
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "digests/a.yaml:5:14: unknown theme 'safety' (known themes: funding, hardware, edge, sector)\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nme: x\n", "1:1: unknown key 'nme' in pulse.yaml (did you mean 'name'?)"),
        (
            "themes:\n  robotics: {color: blue}\n",
            "2:13: theme 'robotics' is missing the required key 'title'",
        ),
        (
            "themes:\n  funding: {color: purple}\n",
            "2:20: unknown colour 'purple' (use #rrggbb or one of: "
            "black, red, green, yellow, blue, magenta, cyan, white)",
        ),
        (
            "themes:\n  Bad Key: {title: X}\n",
            "2:3: theme key 'Bad Key' must be lowercase letters, digits, '-' or '_'",
        ),
        (
            "site_url: example.com\n",
            "1:11: site_url 'example.com' is not an http(s) URL (write it like https://example.com/page)",
        ),
        (
            "currency: bitcoin\n",
            "1:11: currency: 'bitcoin' is not a currency: use an ISO 4217 code such as USD or EUR, or a symbol",
        ),
        ("rates: {EUR: -1}\n", "1:14: the rate of EUR must be more than zero (one EUR in USD)"),
        (
            "rates: {ABC: 1}\n",
            "1:9: rates: 'ABC' is not a currency: use an ISO 4217 code such as USD or EUR, or a symbol (did you mean 'XBC'?)",
        ),
        ("money: {show_converted: sometimes}\n", "1:25: show_converted must be one of auto, always, never"),
        ("ranking: {boost: 1.0e+308}\n", "1:18: 'boost' must be between -1,000,000 and 1,000,000, not 1.0e+308"),
        ("name: x\n\tdata: y\n", "2:1: YAML syntax error: a tab character; YAML indents with spaces only"),
    ],
)
def test_config_errors_say_where(run: Run, write: Write, content: str, message: str) -> None:
    write("pulse.yaml", content)
    write("digests/a.yaml", "items: []\n")
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == f"pulse.yaml:{message}\nerror: pulse.yaml is not valid\n"


def test_a_missing_config_flag_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such config file"):
        load_settings(cwd=tmp_path, config=tmp_path / "nope.yaml", environ={})


def test_config_errors_are_data_errors(tmp_path: Path, write: Write) -> None:
    write("pulse.yaml", "data: [1]\n")
    with pytest.raises(DataError) as caught:
        load_settings(cwd=tmp_path, environ={})
    assert [str(p).split(":", 1)[1] for p in caught.value.problems] == ["1:7: 'data' must be text, not a list"]
