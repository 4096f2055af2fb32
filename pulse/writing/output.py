"""Writing files: atomic (a temporary file renamed into place), never a partial file."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pulse.errors import PulseError, UsageError, display_path
from pulse.model.text import slugify


class FileChangedError(PulseError):
    """The file changed on disk between reading it and replacing it: another program wrote it."""


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes as they were read (None: there was no file), to compare with the disk before a rename."""

    content: bytes | None

    @classmethod
    def read(cls, path: Path) -> Snapshot:
        """The file's bytes now (through symlinks); None when there is no file; a PulseError when it cannot be read."""
        try:
            return cls(Path(os.path.realpath(path)).read_bytes())
        except FileNotFoundError:
            return cls(None)
        except OSError as exc:
            if path.is_dir():
                raise UsageError(f"{display_path(path)} is a folder; give a file name") from None
            raise PulseError(f"cannot read {display_path(path)}: {exc.strerror or exc}") from None


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(
    path: Path, text: str | bytes, *, force: bool = False, durable: bool = True, expected: Snapshot | None = None
) -> None:
    """Write `text` (UTF-8) or bytes to `path` through a temporary file in the same folder, then rename it.

    A symlink is followed: its target gets the content and the link stays a link. An
    existing file is replaced only with `force` (and keeps its permissions); on any
    failure, an interrupt included, the temporary file is removed and `path` is left as
    it was. With `expected`, the file on disk is compared with it just before the rename,
    and a FileChangedError is raised, writing nothing, when another program changed it
    since it was read. A device or pipe (`/dev/stdout`) is written directly: it cannot be
    renamed over. `durable=False` skips the fsync, for files that may be lost (the parse
    cache's entries).
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    shown = display_path(path)
    path = Path(os.path.realpath(path))
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
        if expected is not None and Snapshot.read(path) != expected:
            raise FileChangedError(f"{shown} changed on disk while pulse was writing it; nothing was written")
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


@dataclass(frozen=True)
class Written:
    """A file of a set written together, and whether this run changed it."""

    path: Path
    changed: bool


def archive_name(date: dt.date, title: str, extension: str) -> str:
    """An issue's file name from its date and title: 2026-03-16-ai-infrastructure-chips-mega-funding.md."""
    return f"{date.isoformat()}-{slugify(title, 'issue')}.{extension}"


def write_changed(folder: Path, files: Sequence[tuple[str, str]]) -> list[Written]:
    """Write each (name, text) into `folder` (created when missing), atomically, only when its bytes differ."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{display_path(folder)} is a file; give a folder for --output-dir")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PulseError(f"cannot create {display_path(folder)}: {exc.strerror or exc}") from None
    written = []
    for name, text in files:
        path = folder / name
        data = text.encode("utf-8")
        try:
            same = path.is_file() and path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            write_atomic(path, data, force=True)
        written.append(Written(path, not same))
    return written
