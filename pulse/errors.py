"""Errors, the problems they carry, and the exit statuses they map to."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    """The exit codes pulse promises to scripts."""

    OK = 0
    ERROR = 1  # bad data, config or template
    USAGE = 2  # bad command line
    INTERRUPTED = 130  # SIGINT (Ctrl-C)
    TERMINATED = 143  # SIGTERM


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong at one place in one file."""

    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.message}"


class PulseError(Exception):
    """An expected failure: its message is for the user, never a traceback."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)


class DataError(PulseError):
    """The corpus or a config file is wrong; `problems` says where."""


class TemplateError(PulseError):
    """A template is missing, does not parse, or fails while rendering."""


class OutputError(PulseError):
    """Standard output cannot be written: a full disk, a closed pipe, a device that refuses."""


class UsageError(PulseError):
    """The command line asks for something that cannot be done."""

    exit_status = ExitStatus.USAGE


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every `finally` and cleanup runs."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ` (did you mean 'x'?)` for the closest choice, or an empty string."""
    import difflib  # only when there is something to suggest

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def plural(count: int, noun: str) -> str:
    """'1 error', '2 errors'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    # Compared as text, as pathlib's relative_to does (a 10,000-file corpus shows every path).
    cwd = os.getcwd()
    absolute = os.path.join(cwd, path)  # an absolute path stays as it is
    if absolute == cwd:
        return "."
    inside = cwd if cwd.endswith(os.sep) else cwd + os.sep
    if os.path.normcase(absolute).startswith(os.path.normcase(inside)):
        return absolute[len(inside) :]
    return str(path)
