"""Writing files: atomic (a temporary file renamed into place), never a partial file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pulse.errors import PulseError, UsageError, display_path


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, text: str | bytes, *, force: bool = False, durable: bool = True) -> None:
    """Write `text` (UTF-8) or bytes to `path` through a temporary file in the same folder, then rename it.

    An existing file is replaced only with `force` (and keeps its permissions); on any
    failure, an interrupt included, the temporary file is removed and `path` is left as
    it was. A device or pipe (`/dev/stdout`) is written directly: it cannot be renamed over.
    `durable=False` skips the fsync, for files that may be lost (the parse cache's entries).
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    shown = display_path(path)
    if path.is_dir():
        raise UsageError(f"{shown} is a folder; give a file name")
    if path.exists() and not path.is_file():
        _write_special(path, data, shown)
        return
    if path.exists() and not force:
        raise UsageError(f"{shown} exists; pass --force to overwrite it")
    if not path.parent.is_dir():
        what = "is a file" if path.parent.exists() else "does not exist"
        raise PulseError(f"cannot write {shown}: {display_path(path.parent)} {what}")
    mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise PulseError(f"cannot write {shown}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PulseError(f"cannot write {shown}: {exc.strerror or exc}") from None
        raise


def ensure_folder(path: Path) -> None:
    """Create the folder `path` (and its parents) unless it exists; a PulseError saying why it cannot be."""
    shown = display_path(path)
    if path.is_dir():
        return
    if path.exists():
        raise PulseError(f"cannot write into {shown}: it is not a folder; give a folder's path")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PulseError(f"cannot create the folder {shown}: {exc.strerror or exc}") from None


def _write_special(path: Path, data: bytes, shown: str) -> None:
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise PulseError(f"cannot write {shown}: {exc.strerror or exc}") from None
