"""Writing files so that a reader never sees half of one.

A file written here gets the mode a plain `open()` would give it (0o666 less the
umask: 0o644 under umask 022), so a folder of summaries or a report can be served or
shared with a group as the user's umask allows. `private=True` gives 0o600 whatever the
umask, for a file that may hold a secret; each caller that asks for it says why.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

__all__ = ["create_new", "remove_leftovers", "temporary", "write_atomic"]


_SUFFIX = ".partial"
_PID = re.compile(r"\.pid(\d+)\.")
_ATTEMPTS = 100  # random names tried before giving up, should each one exist
# As mkstemp: never follow a symbolic link planted at the name; bytes as they are on
# Windows (no newline translation at the descriptor).
_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def write_atomic(target: Path, text: str, *, durable: bool = False, private: bool = False) -> None:
    """Write to a temporary file beside `target`, then rename it into place. The
    temporary name carries this process's id, so a later run knows whether its writer
    is still alive. `durable` flushes the data to the disk before the rename (for
    state that must survive a power cut, not only a killed process). The file's mode
    follows the umask, or is 0o600 when `private`."""
    fd, tmp = temporary(target, private=private)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def temporary(target: Path, *, private: bool = False) -> tuple[int, str]:
    """An open temporary file beside `target` (descriptor, path), named so that
    `remove_leftovers` finds it if its writer is killed before renaming it. Its name is
    unpredictable and it is created exclusively, as mkstemp's; unlike mkstemp's, its
    mode follows the umask unless `private` (0o600), so it becomes `target` as a
    plain `open()` would have made it."""
    prefix = f".{target.name}.pid{os.getpid()}."
    for _ in range(_ATTEMPTS):
        path = os.path.join(target.parent, f"{prefix}{secrets.token_hex(6)}{_SUFFIX}")
        try:
            return create_new(path, private=private), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {str(target)!r}")


def create_new(path: str | os.PathLike[str], *, private: bool = False) -> int:
    """Create the file `path`, which must not exist (not even as a symbolic link), and
    open it for reading and writing; its mode is 0o666 less the umask, as `open()`
    gives, or 0o600 when `private`."""
    return os.open(path, _FLAGS, 0o600 if private else 0o666)


def remove_leftovers(folder: Path) -> int:
    """Delete the temporary files `write_atomic` left in `folder` when its process was
    killed between writing and renaming (not those of a run still going); returns how
    many."""
    removed = 0
    for leftover in folder.glob(f".*{_SUFFIX}"):
        found = _PID.search(leftover.name)
        if found and _alive(int(found.group(1))):
            continue
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours from before an exec, or a reused id: nothing of ours is pending
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True
