"""Standard output where any failure to write is pulse's own error, once (stdlib only: `pulse --help` uses it).

`guard_stdout()` replaces sys.stdout by a text stream over a buffer on descriptor 1 whose
`write` and `flush` turn a failure (a full disk, a pipe whose reader has gone, a closed descriptor) into
an OutputError, which the command line reports as exit 1. The descriptor is then pointed at
the null device, so that what is still buffered, flushed as Python exits, fails no second
time. Every writer goes through that buffer: the product through `emit`, click's help and
`--version` (click writes to sys.stdout, or to its buffer when the encoding is ASCII). The
buffering itself is C's (io.BufferedWriter), which finishes a write the descriptor took only
part of and never writes a byte twice, even when a signal arrives in the middle.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

from pulse.errors import OutputError

STDOUT = 1


class GuardedStdout(io.BufferedWriter):
    """The buffer under sys.stdout, whose failures to write are OutputErrors."""

    def write(self, data: object) -> int:
        try:
            return super().write(data)  # type: ignore[arg-type]
        except OSError as exc:
            raise _failed(exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise _failed(exc) from None


def _failed(exc: OSError) -> OutputError:
    silence(STDOUT)
    return OutputError(f"cannot write the output: {exc.strerror or exc}; it is incomplete")


def silence(fd: int) -> None:
    """Point `fd` at the null device: whatever is written there afterwards goes nowhere, without an error."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        if null != fd:  # with `fd` closed, the null device takes its number itself
            os.dup2(null, fd)
            os.close(null)


def guard_stdout() -> None:
    """Replace sys.stdout by a text stream over a GuardedStdout, with the same encoding.

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
    with contextlib.suppress(Exception):  # a stream that cannot be flushed has nothing to keep
        if old is not None:
            old.flush()
    sys.stdout = io.TextIOWrapper(
        GuardedStdout(io.FileIO(STDOUT, "w", closefd=False)),
        encoding=getattr(old, "encoding", None) or "utf-8",
        errors="backslashreplace",  # what `emit` has not degraded (a lone surrogate): \ud800, valid in JSON too
        line_buffering=bool(getattr(old, "line_buffering", False)),
    )
