"""Standard output where any failure to write is pulse's own error, once (stdlib only: `pulse --help` uses it).

`guard_stdout()` puts file descriptor 1 behind a small raw stream. Every write to stdout,
whoever makes it (the product through `emit`, click's help and `--version`), goes through
it: a failure (a full disk, a pipe whose reader has gone, a closed descriptor) raises an
OutputError, which the command line reports as exit 1, and points the descriptor at the
null device, so that what is still buffered, flushed as Python exits, fails no second time.
The buffered writer above it finishes a write the descriptor took only part of.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

from pulse.errors import OutputError

STDOUT = 1


class GuardedStdout(io.RawIOBase):
    """File descriptor 1: a failed write is an OutputError, and the descriptor then writes to the null device."""

    def __init__(self, fd: int = STDOUT) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        try:
            return os.isatty(self._fd)
        except OSError:
            return False

    def write(self, data: object) -> int:
        try:
            return os.write(self._fd, data)  # type: ignore[arg-type]
        except OSError as exc:
            silence(self._fd)
            raise OutputError(f"cannot write the output: {exc.strerror or exc}; it is incomplete") from None


def silence(fd: int) -> None:
    """Point `fd` at the null device: whatever is written there afterwards goes nowhere, without an error."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        if null != fd:  # with `fd` closed, the null device takes its number itself
            os.dup2(null, fd)
            os.close(null)


def guard_stdout() -> None:
    """Replace sys.stdout by a text stream over GuardedStdout, with the same encoding and error handler.

    A closed descriptor 1 (`pulse list >&-`) is held by the null device opened read-only, so
    that no file pulse opens takes its number and receives the output: writes fail, and say so.
    """
    try:
        os.fstat(STDOUT)
    except OSError:
        with contextlib.suppress(OSError):
            placeholder = os.open(os.devnull, os.O_RDONLY)
            if placeholder != STDOUT:
                os.dup2(placeholder, STDOUT)
                os.close(placeholder)
    old = sys.stdout
    encoding = getattr(old, "encoding", None) or "utf-8"
    errors = getattr(old, "errors", None) or "strict"
    line_buffering = bool(getattr(old, "line_buffering", False))
    with contextlib.suppress(Exception):  # a stream that cannot be flushed has nothing to keep
        if old is not None:
            old.flush()
    buffered = io.BufferedWriter(GuardedStdout())
    sys.stdout = io.TextIOWrapper(buffered, encoding=encoding, errors=errors, line_buffering=line_buffering)
