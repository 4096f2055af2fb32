"""`python -m pulse`."""

from pulse.cli import run

run()
