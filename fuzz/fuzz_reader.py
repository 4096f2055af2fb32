"""A coverage-guided fuzz target (atheris) for the YAML reader and the validator.

    python3 -m venv .venv && .venv/bin/pip install -e '.[fuzz]'
    .venv/bin/python fuzz/fuzz_reader.py -max_total_time=600 fuzz/corpus

Any bytes must give a FileContent (items and/or problems), never an exception; a
crash is saved by libFuzzer as crash-<hash> for a regression test.
"""

from __future__ import annotations

import sys

from pulse.model.themes import builtin_registry
from pulse.reading.corpus import FileContent, read_text

THEMES = builtin_registry()


def test_one_input(data: bytes) -> None:
    """Decode the bytes as a pulse file would be, and validate them."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return  # the reader reports bad bytes before parsing; tests/test_check.py covers it
    content = read_text(text, "fuzz.yaml", THEMES)
    assert isinstance(content, FileContent)
    for problem in content.problems:
        assert problem.path == "fuzz.yaml" and problem.message


def main() -> None:
    import atheris  # the optional 'fuzz' extra

    atheris.instrument_all()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
