"""The command line: a module per command family; each command parses, calls the library, prints."""

from pulse.cli.app import app, run

__all__ = ["app", "run"]
