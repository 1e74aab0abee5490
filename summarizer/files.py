"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_SUFFIX = ".partial"


def write_atomic(target: Path, text: str) -> None:
    """Write to a temporary file beside `target`, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_leftovers(folder: Path) -> int:
    """Delete the temporary files `write_atomic` left in `folder` when its process was
    killed between writing and renaming; returns how many."""
    removed = 0
    for leftover in folder.glob(f".*{_SUFFIX}"):
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed
