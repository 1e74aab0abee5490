"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

__all__ = ["remove_leftovers", "write_atomic"]


_SUFFIX = ".partial"
_PID = re.compile(r"\.pid(\d+)\.")


def write_atomic(target: Path, text: str) -> None:
    """Write to a temporary file beside `target`, then rename it into place. The
    temporary name carries this process's id, so a later run knows whether its writer
    is still alive."""
    prefix = f".{target.name}.pid{os.getpid()}."
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
