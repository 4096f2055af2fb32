"""The package's folders are its layers, and imports run one way: toward the model."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

LAYERS = ["errors", "resources", "model", "reading", "core", "render", "writing", "ingest", "tui", "project", "cli"]
"""Lowest first: a module may import from its own layer and the layers before it."""
EXCEPTIONS = {
    # The parse cache and its manifest, readers' memory, are stored through the one atomic file writer.
    ("pulse/reading/cache.py", "writing"),
    ("pulse/reading/manifest.py", "writing"),
}


def imported_layers(path: Path) -> set[str]:
    layers = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        layers |= {name.split(".")[1] for name in names if name.startswith("pulse.")}
    return layers


def layer_of(path: Path) -> str:
    parts = path.relative_to(REPO / "pulse").with_suffix("").parts
    return parts[0]


def test_imports_run_toward_the_model() -> None:
    upward = []
    for path in sorted((REPO / "pulse").rglob("*.py")):
        layer = layer_of(path)
        if layer not in LAYERS:
            continue  # __init__ and __main__ at the top: the console script's entry
        for imported in imported_layers(path):
            where = str(path.relative_to(REPO))
            if LAYERS.index(imported) > LAYERS.index(layer) and (where, imported) not in EXCEPTIONS:
                upward.append(f"{where} imports pulse.{imported}")
    assert upward == []


def test_every_folder_is_a_known_layer() -> None:
    folders = {path.name for path in (REPO / "pulse").iterdir() if path.is_dir() and not path.name.startswith("_")}
    assert folders <= set(LAYERS)
