"""Writing an export all at once or not at all: into a hidden temporary beside the
output, renamed over it when complete, removed when anything fails (a process killed
outright can leave only that hidden `.NAME.*.tmp`, never a half export under NAME)."""

from __future__ import annotations

import importlib
import os
import secrets
import shutil
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from summarizer.errors import ConfigurationError
from summarizer.io.files import create_new

__all__ = ["atomic_file", "atomic_folder", "check_output", "require"]

INSTALL_HINT = "pip install 'summarizer[export]'"


def require(module: str, what: str) -> None:
    """ConfigurationError in one line when the `export` extra is missing."""
    try:
        importlib.import_module(module)
    except ImportError:
        raise ConfigurationError(
            f"{what} export needs the 'export' extra ({module} is not installed): {INSTALL_HINT}"
        ) from None


def check_output(path: Path, *, force: bool, folder_of: Collection[str] | None = None) -> None:
    """Refuse an output that exists, unless `force`; refuse a file where a folder is
    wanted and the other way round. `folder_of`: the output is a folder of these file
    names, and `force` replaces it only when it holds nothing else (never a folder of
    other files given by mistake)."""
    shown = repr(str(path))
    if not os.path.lexists(path):
        return
    if folder_of is None:
        if path.is_dir():
            raise ConfigurationError(f"{shown} is a folder; give --output a file name")
        if not force:
            raise ConfigurationError(f"{shown} exists; --force replaces it")
        return
    if not path.is_dir():
        raise ConfigurationError(f"{shown} exists and is not a folder; give --output a folder")
    try:
        entries = sorted(p.name for p in path.iterdir())
    except OSError as exc:
        raise ConfigurationError(f"cannot read {shown} ({exc.strerror or exc})") from None
    if not entries:
        return
    others = [name for name in entries if name not in folder_of]
    if others:
        raise ConfigurationError(
            f"{shown} holds files that are not this export's ({others[0]!r}); "
            "give --output a new or empty folder"
        )
    if not force:
        raise ConfigurationError(f"{shown} holds an export; --force replaces it")


def _temporary(path: Path, kind: str) -> Path:
    return path.with_name(f".{path.name}.{kind}-{secrets.token_hex(4)}.tmp")


def _parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot create folder {str(path.parent)!r} ({exc.strerror or exc})"
        ) from None


@contextmanager
def atomic_file(path: Path, *, force: bool) -> Iterator[Path]:
    """A new empty temporary file to write; on success it becomes `path`."""
    check_output(path, force=force)
    _parent(path)
    temporary = _temporary(path, "new")
    try:
        os.close(create_new(temporary))  # the umask's mode, as a plain open() gives
    except OSError as exc:
        raise ConfigurationError(f"cannot write {str(path)!r} ({exc.strerror or exc})") from None
    try:
        yield temporary
        _fsync(temporary)
        check_output(path, force=force)  # nothing appeared meanwhile
        os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            temporary.unlink()


@contextmanager
def atomic_folder(path: Path, *, force: bool, names: Collection[str]) -> Iterator[Path]:
    """A new empty temporary folder to fill with `names`; on success it becomes `path`
    (an earlier export there is replaced with --force)."""
    check_output(path, force=force, folder_of=names)
    _parent(path)
    temporary = _temporary(path, "new")
    try:
        os.mkdir(temporary, 0o777)
    except OSError as exc:
        raise ConfigurationError(f"cannot write {str(path)!r} ({exc.strerror or exc})") from None
    try:
        yield temporary
        for file in temporary.iterdir():
            _fsync(file)
        check_output(path, force=force, folder_of=names)
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
        if path.exists():
            old = _temporary(path, "old")
            path.rename(old)
            temporary.rename(path)
            shutil.rmtree(old)
        else:
            temporary.rename(path)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
