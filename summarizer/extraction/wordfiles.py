"""The word lists and gazetteers the rules read, kept as TOML data beside the code
(`extraction/words/`): a list grows by editing data, and the code keeps only patterns."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

__all__ = ["load", "words"]


@functools.cache
def load(name: str) -> dict[str, Any]:
    """One data file, parsed once per process."""
    path = resources.files("summarizer.extraction") / "words" / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def words(name: str, key: str) -> frozenset[str]:
    """A list of words from a data file."""
    return frozenset(load(name)[key])
