"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

__all__ = ["remove_leftovers", "temporary", "write_atomic"]


_SUFFIX = ".partial"
_PID = re.compile(r"\.pid(\d+)\.")


def write_atomic(target: Path, text: str, *, durable: bool = False) -> None:
    """Write to a temporary file beside `target`, then rename it into place. The
    temporary name carries this process's id, so a later run knows whether its writer
    is still alive. `durable` flushes the data to the disk before the rename (for
    state that must survive a power cut, not only a killed process)."""
    fd, tmp = temporary(target)
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


def temporary(target: Path) -> tuple[int, str]:
    """An open temporary file beside `target` (descriptor, path), named so that
    `remove_leftovers` finds it if its writer is killed before renaming it."""
    prefix = f".{target.name}.pid{os.getpid()}."
    return tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=_SUFFIX)


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
