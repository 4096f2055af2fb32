"""`python -m pulse` and the `pulse` console script.

A signal that arrives before the command line is ready (while Python imports it) ends
pulse as one that arrives later does: its message and exit status (130 for Ctrl-C, 143
for SIGTERM), never a traceback. Once the command is over, Ctrl-C and SIGTERM are held
back: Python's shut-down restores their default handlers, and a signal then would kill
a process whose work is done, with a status that says it was not.
"""

from __future__ import annotations

import signal
import sys

# Only the standard library is imported before main() guards the start-up: a signal may come at once.


class _Terminated(KeyboardInterrupt):
    """SIGTERM before pulse's own handler is installed."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main() -> None:
    """Run the command line; an interrupt during start-up or shut-down is exit 130 (143 for SIGTERM)."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from pulse.cli import console

        console()
    except BaseException as exc:
        # pulse.errors comes with the command line, if the start-up got that far; the exit statuses
        # below are its ExitStatus.TERMINATED and INTERRUPTED.
        errors = sys.modules.get("pulse.errors")
        if isinstance(exc, _Terminated) or (errors is not None and isinstance(exc, errors.Terminated)):
            sys.stderr.write("terminated; nothing was left half-written\n")
            sys.exit(143)
        if isinstance(exc, KeyboardInterrupt):
            sys.stderr.write("interrupted; nothing was left half-written\n")
            sys.exit(130)
        raise  # SystemExit, and anything unexpected
    finally:
        if hasattr(signal, "pthread_sigmask"):  # POSIX
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


if __name__ == "__main__":
    main()
