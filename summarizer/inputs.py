"""Turning command-line paths into articles, with one clear error per bad input."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .article import Article
from .errors import InputError

STDIN = "-"
ARTICLE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class InputRef:
    """One thing to summarize: a file path, or `-` for standard input."""

    name: str

    @property
    def is_stdin(self) -> bool:
        return self.name == STDIN

    @property
    def display(self) -> str:
        """How messages name this input."""
        return "standard input" if self.is_stdin else self.name

    @property
    def stem(self) -> str:
        return "stdin" if self.is_stdin else Path(self.name).stem


def expand(paths: list[str]) -> list[InputRef]:
    """Files stay as given; a folder becomes its `*.txt` and `*.md` files, sorted.

    Paths that don't exist are kept, so the run reports them as failed inputs."""
    refs: list[InputRef] = []
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
            found = [p for p in found if p.is_file()]
            if not found:
                refs.append(InputRef(raw))  # reported as "folder has no articles"
            refs.extend(InputRef(str(p)) for p in found)
        else:
            refs.append(InputRef(raw))
    return refs


def read_article(ref: InputRef, stdin: BinaryIO | None = None) -> Article:
    """Read and decode one input, refusing what is not an article's text."""
    if ref.is_stdin:
        data = (stdin or sys.stdin.buffer).read()
        return Article(decode(data, ref.display), path=None)
    path = Path(ref.name)
    if path.is_dir():
        raise InputError(f"{ref.name}: folder holds no .txt or .md files")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{ref.name}: no such file") from None
    except PermissionError:
        raise InputError(f"{ref.name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{ref.name}: cannot read ({exc.strerror or exc})") from None
    return Article(decode(data, ref.name), path=ref.name)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a leading BOM is dropped) that is not empty and not binary."""
    if not data.strip():
        raise InputError(f"{name}: empty" if not data else f"{name}: only white space")
    if b"\x00" in data:
        raise InputError(f"{name}: binary data (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: only white space")
    return text
