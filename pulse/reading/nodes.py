"""The tree a YAML file is read into: nodes that remember their line and column (no YAML library here).

pulse.reading.yaml_tree builds these trees with PyYAML; validation only walks them, so a run
that finds every file in the parse cache never imports PyYAML at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Union

from pulse.errors import Problem

ScalarValue = Union[str, int, float, bool, None, dt.date, dt.datetime]


@dataclass(slots=True)
class Scalar:
    """A scalar value; `kind` is text, integer, number, boolean, null or date."""

    value: ScalarValue
    kind: str
    line: int
    column: int
    text: str  # the scalar as written, for messages


@dataclass(slots=True)
class Seq:
    """A sequence of nodes."""

    items: list[Node]
    line: int
    column: int
    kind: str = "list"


@dataclass(slots=True)
class Map:
    """A mapping from text keys to (key node, value node)."""

    entries: dict[str, tuple[Scalar, Node]]
    line: int
    column: int
    kind: str = "mapping"


Node = Union[Scalar, Seq, Map]


class SourceError(Exception):
    """The text is not YAML that pulse accepts; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
