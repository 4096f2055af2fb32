"""`pulse init`: a new project with pulse.yaml, the sample corpus, templates/ and the editor schema."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pulse.errors import UsageError, display_path
from pulse.model.schema import SCHEMA_FILE, schema_json
from pulse.model.themes import builtin_registry
from pulse.reading.settings import CONFIG_NAME, read_config
from pulse.reading.yaml_tree import yaml_scalar
from pulse.resources import bundled
from pulse.writing.output import write_atomic

TEMPLATES_README = """\
# Templates

pulse renders `pulse digest --format markdown` with the Jinja2 template
`digest.md.j2`. A file of the same name in this folder replaces the built-in one.

- `pulse templates` lists the built-in templates and which file is used for each.
- `pulse templates copy digest.md.j2` copies the built-in template here to edit.
- An override can extend the built-in template and replace only some blocks:

      {% extends "builtin/digest.md.j2" %}
      {% block footer %}Thanks for reading!
      {% endblock %}

  Blocks: masthead, intro, numbers, section, note, outlook, sources, footer.
- `pulse digest --template FILE` uses any other file.

Every `{{ }}` is escaped as Markdown unless it is the editor's own text, so item
text can never break the page. Templates run in Jinja2's sandbox.
"""


@dataclass(frozen=True)
class Outcome:
    """What `init` did with one file: created, unchanged, or kept (the user changed it)."""

    path: Path
    action: str


def project_files(*, empty: bool, name: str | None) -> dict[str, str]:
    """The files of a new project, by path relative to its folder."""
    config = bundled(CONFIG_NAME).read_text(encoding="utf-8")
    if name is not None:  # the value through YAML's emitter: `Weekly #1` or `a: b` must read back as written
        line = f"name: {yaml_scalar(name)}"
        config = re.sub(r"^name: .*?(\s+#.*)?$", lambda m: line + (m[1] or ""), config, count=1, flags=re.M)
    files = {
        CONFIG_NAME: config,
        SCHEMA_FILE: schema_json(builtin_registry()),
        "templates/README.md": TEMPLATES_README,
    }
    if empty:
        files["digests/README.md"] = "Item files (*.yaml) go here; `pulse add` creates one per ISO week.\n"
    else:
        sample = bundled("digests")
        for path in sorted(sample.rglob("*.yaml")):
            files[f"digests/{path.relative_to(sample).as_posix()}"] = path.read_text(encoding="utf-8")
    return files


def init_project(folder: Path, *, empty: bool = False, force: bool = False, name: str | None = None) -> list[Outcome]:
    """Write a new project into `folder`; never overwrite a file whose content differs.

    In an existing project (`--force`), only what is missing is restored, and never the
    sample corpus: its items would enter the project's digests and feeds. The schema is
    then written for the project's own themes.
    """
    config = folder / CONFIG_NAME
    existing = config.exists()
    if existing and not force:
        raise UsageError(
            f"{display_path(folder / CONFIG_NAME)} exists: this is a pulse project; pass --force to add what is missing"
        )
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{display_path(folder)} is not a folder")
    files = project_files(empty=empty, name=name)
    if existing:
        files = {relative: text for relative, text in files.items() if not relative.startswith("digests/")}
        files[SCHEMA_FILE] = schema_json(read_config(config).themes)
    outcomes = []
    for relative, content in files.items():
        path = folder / relative
        if path.exists():
            same = path.is_file() and path.read_text(encoding="utf-8", errors="replace") == content
            outcomes.append(Outcome(path, "unchanged" if same else "kept (it differs from the scaffold)"))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content)
        outcomes.append(Outcome(path, "created"))
    outcomes.append(ignore_inbox(folder))
    return outcomes


def ignore_inbox(folder: Path) -> Outcome:
    """Add `.pulse/` (the fetched inbox) to the project's .gitignore."""
    path = folder / ".gitignore"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if ".pulse/" in text.splitlines():
        return Outcome(path, "unchanged")
    write_atomic(path, text + ("\n" if text and not text.endswith("\n") else "") + ".pulse/\n", force=True)
    return Outcome(path, "updated" if text else "created")
