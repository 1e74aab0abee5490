"""Turning command-line paths into articles, with one clear error per bad input."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from summarizer.article import Article
from summarizer.errors import InputError

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_INPUT_BYTES",
    "STDIN",
    "InputRef",
    "decode",
    "distinct_outputs",
    "expand_paths",
    "read_article",
]


STDIN = "-"
ARTICLE_SUFFIXES = (".txt", ".md")
# A long news article is 50 KB; 5 MB is a book. Larger inputs are almost always the
# wrong file (a log, a dump), and would be sent to the model in hundreds of chunks.
MAX_INPUT_BYTES = 5_000_000

_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_HTML = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)


@dataclass(frozen=True)
class InputRef:
    """One thing to summarize: a file path, or `-` for standard input. `output` names
    its output file when the file's own name would clash with another input's."""

    name: str
    output: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.name == STDIN

    @property
    def display(self) -> str:
        """How messages name this input."""
        return "standard input" if self.is_stdin else self.name

    @property
    def stem(self) -> str:
        """The name of this input's output file, without its suffix."""
        if self.output is not None:
            return self.output
        return "stdin" if self.is_stdin else Path(self.name).stem


def expand_paths(paths: list[str]) -> list[InputRef]:
    """Files stay as given; a folder becomes its `*.txt` and `*.md` entries, sorted.

    Paths that don't exist or can't be read are kept, so the run reports each of them
    as a failed input; inputs whose output names would clash get distinct ones."""
    refs: list[InputRef] = []
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError:
                refs.append(InputRef(raw))  # reported as unreadable when read
                continue
            found = [p for p in entries if p.suffix.lower() in ARTICLE_SUFFIXES and not p.is_dir()]
            if not found:
                refs.append(InputRef(raw))  # reported as "folder has no articles"
            refs.extend(InputRef(str(p)) for p in found)
        else:
            refs.append(InputRef(raw))
    # The same file named twice (`a.txt ./a.txt`, or a file and its folder) is one input.
    once: dict[str, InputRef] = {}
    for i, ref in enumerate(refs):  # (stdin twice is refused by the caller, not merged)
        once.setdefault(f"-{i}" if ref.is_stdin else os.path.realpath(ref.name), ref)
    return distinct_outputs(list(once.values()))


def distinct_outputs(refs: list[InputRef]) -> list[InputRef]:
    """`a/x.txt` and `b/x.txt` would both write `x.json`: each gets `x-<8 hex>.json`
    instead, from its absolute path, so the same inputs get the same names next time
    (and a rerun resumes). So does a name ending in `.error`. Other names stay."""
    counts = Counter(ref.stem.casefold() for ref in refs)  # X.json is x.json on macOS
    out = []
    for ref in refs:
        # `r.error.txt` would write `r.error.json`, the name of `r.txt`'s error record.
        if counts[ref.stem.casefold()] > 1 or ref.stem.casefold().endswith(".error"):
            where = STDIN if ref.is_stdin else os.path.abspath(ref.name)
            tag = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:8]
            ref = replace(ref, output=f"{ref.stem}-{tag}")
        out.append(ref)
    return out


def read_article(
    ref: InputRef, stdin: BinaryIO | None = None, *, max_bytes: int = MAX_INPUT_BYTES
) -> Article:
    """Read and decode one input, refusing what is not an article's text."""
    if ref.is_stdin:
        data = (stdin or sys.stdin.buffer).read(max_bytes + 1)
        _check_size(len(data), max_bytes, ref.display, exact=False)
        return Article(decode(data, ref.display), path=None)
    path = Path(ref.name)
    try:
        if path.is_dir():
            raise InputError(f"{ref.name}: folder holds no .txt or .md files")
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            _check_size(size, max_bytes, ref.name, exact=True)
            data = handle.read(max_bytes + 1)  # a file still growing is held to the limit too
            _check_size(len(data), max_bytes, ref.name, exact=False)
    except FileNotFoundError:
        raise InputError(f"{ref.name}: no such file") from None
    except PermissionError:
        raise InputError(f"{ref.name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{ref.name}: cannot read ({exc.strerror or exc})") from None
    return Article(decode(data, ref.name), path=ref.name)


def _check_size(size: int, limit: int, name: str, *, exact: bool) -> None:
    if size > limit:
        what = f"{size:,} bytes" if exact else "more than that"
        raise InputError(
            f"{name}: too large for one article ({what}; the limit is {limit:,} bytes, "
            "--max-input-bytes to change it)"
        )


def decode(data: bytes, name: str) -> str:
    """Unicode text that is not empty, not binary and not an HTML page.

    UTF-8 unless a byte-order mark says UTF-16 or UTF-32 (as Windows tools write)."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is not None:
        try:
            text = data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name}: starts with a {encoding.upper()} byte-order mark but is not "
                f"{encoding.upper()} (at offset {exc.start})"
            ) from None
        if not text.strip():
            raise InputError(f"{name}: only white space")
        if "\x00" in text:
            raise InputError(f"{name}: binary data (NUL characters), not text")
        return _refuse_html(text, name)
    if not data.strip():
        raise InputError(f"{name}: empty" if not data else f"{name}: only white space")
    if b"\x00" in data:
        raise InputError(f"{name}: binary data (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: only white space")
    return _refuse_html(text, name)


def _refuse_html(text: str, name: str) -> str:
    """An HTML page is refused rather than stripped: its menus, captions and related
    links would be read as the article, and spans would point into markup."""
    if _HTML.match(text[:4096].encode("utf-8")):
        raise InputError(
            f"{name}: an HTML page, not article text; save the article's text "
            "(e.g. the browser's reader view, or `pandoc -t plain PAGE.html`)"
        )
    return text
