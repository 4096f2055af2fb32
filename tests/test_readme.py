"""The README's command reference names every command and every option (as sqlite-utils checks its docs)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from pulse.cli import COMMANDS, app, build_command

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, Any]]:
    """(path, click command) of every command and subcommand."""
    found: list[tuple[str, Any]] = [("pulse", typer.main.get_command(app))]
    for name in COMMANDS:
        command = build_command(name)
        found.append((f"pulse {name}", command))
        for sub, subcommand in getattr(command, "commands", {}).items():
            found.append((f"pulse {name} {sub}", subcommand))
    return found


def _options() -> list[tuple[str, str]]:
    return [
        (path, option)
        for path, command in _commands()
        for param in command.params
        for option in param.opts
        if option.startswith("--") and option != "--help"
    ]


@pytest.mark.parametrize("path", [path for path, _ in _commands()])
def test_every_command_is_in_the_readme(path: str) -> None:
    assert f"`{path}" in README


@pytest.mark.parametrize(("path", "option"), _options())
def test_every_option_is_in_the_readme(path: str, option: str) -> None:
    assert re.search(rf"`[^`]*{re.escape(option)}(?![\w-])[^`]*`", README), f"{path} {option} is not in README.md"
