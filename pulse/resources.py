"""Where the files that ship with pulse live: the sample project and the templates."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """A file or folder shipped with pulse (`digests`, `templates`, `pulse.yaml`).

    A wheel carries them in `pulse/_bundled/`; a source checkout (or an editable
    install) has them at the top of the repository.
    """
    packaged = _PACKAGE / "_bundled" / name
    return packaged if packaged.exists() else _PACKAGE.parent / name
