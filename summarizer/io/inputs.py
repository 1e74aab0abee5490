"""Turning command-line paths into articles, with one clear error per bad input.

An input is a file, a folder (its articles), `-` for standard input, or an http(s) URL.
HTML pages (a `.html`/`.htm` file, or any input that opens like a page) are read with
the `web` extra (`io/web.py`) and refused without it; URLs are fetched by `web.fetch_page`
(asynchronous, so `summarize_inputs` fetches them, not `read_article`)."""

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
from summarizer.io import web

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_INPUT_BYTES",
    "STDIN",
    "InputRef",
    "decode",
    "distinct_outputs",
    "expand_paths",
    "folder_suffixes",
    "read_article",
]


STDIN = "-"
ARTICLE_SUFFIXES = (".txt", ".md")  # a folder's articles; its pages too with the web extra
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
_URL_WORD = re.compile(r"[^A-Za-z0-9._-]+")


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
    def is_url(self) -> bool:
        """An http(s) URL, fetched rather than opened."""
        return web.is_url(self.name)

    @property
    def is_page(self) -> bool:
        """An input read as a web page whatever it holds: a URL, a .html or .htm file."""
        return self.is_url or Path(self.name).suffix.lower() in web.PAGE_SUFFIXES

    @property
    def display(self) -> str:
        """How messages name this input."""
        return "standard input" if self.is_stdin else self.name

    @property
    def stem(self) -> str:
        """The name of this input's output file, without its suffix."""
        if self.output is not None:
            return self.output
        if self.is_url:
            return _url_stem(self.name)
        return "stdin" if self.is_stdin else Path(self.name).stem


def _url_stem(url: str) -> str:
    """`https://news.example/2024/03/talks.html?id=5` -> `talks`; the host when the path
    names nothing (`https://news.example/` -> `news.example`)."""
    rest = url.split("://", 1)[-1].split("#", 1)[0].split("?", 1)[0]
    host, _, path = rest.partition("/")
    last = next((part for part in reversed(path.split("/")) if part), "")
    stem = _URL_WORD.sub("-", Path(last).stem if last else host.rsplit("@", 1)[-1]).strip("-.")
    return stem[:80] or "page"


def folder_suffixes() -> tuple[str, ...]:
    """The files a folder's inputs are: `*.txt` and `*.md`, and `*.html` and `*.htm`
    when the web extra is installed (without it a folder's pages are left alone, as
    they always were, rather than each failing)."""
    return ARTICLE_SUFFIXES + (web.PAGE_SUFFIXES if web.available() else ())


def expand_paths(paths: list[str]) -> list[InputRef]:
    """Files and URLs stay as given; a folder becomes its `*.txt` and `*.md` entries
    (and `*.html`, `*.htm` with the web extra), sorted, leaving out the page texts a run
    saved there (`NAME.source.txt` beside its `NAME.json` or `NAME.md`).

    Paths that don't exist or can't be read are kept, so the run reports each of them
    as a failed input; inputs whose output names would clash get distinct ones."""
    refs: list[InputRef] = []
    suffixes = folder_suffixes()
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and not web.is_url(raw) and path.is_dir():
            try:
                entries = sorted(path.iterdir())
            except OSError:
                refs.append(InputRef(raw))  # reported as unreadable when read
                continue
            found = [p for p in _articles(entries, suffixes) if not p.is_dir()]
            if not found:
                refs.append(InputRef(raw))  # reported as "folder has no articles"
            refs.extend(InputRef(str(p)) for p in found)
        else:
            refs.append(InputRef(raw))
    # The same file named twice (`a.txt ./a.txt`, or a file and its folder) is one input.
    once: dict[str, InputRef] = {}
    for i, ref in enumerate(refs):  # (stdin twice is refused by the caller, not merged)
        key = f"-{i}" if ref.is_stdin else ref.name if ref.is_url else os.path.realpath(ref.name)
        once.setdefault(key, ref)
    return distinct_outputs(list(once.values()))


def _articles(entries: list[Path], suffixes: tuple[str, ...]) -> list[Path]:
    names = {p.name for p in entries}
    saved = {
        p.name
        for p in entries
        if p.name.endswith(web.TEXT_SUFFIX)
        and {f"{p.name.removesuffix(web.TEXT_SUFFIX)}{s}" for s in (".json", ".md")} & names
    }
    return [p for p in entries if p.suffix.lower() in suffixes and p.name not in saved]


def distinct_outputs(refs: list[InputRef]) -> list[InputRef]:
    """`a/x.txt` and `b/x.txt` would both write `x.json`: each gets `x-<8 hex>.json`
    instead, from its absolute path, so the same inputs get the same names next time
    (and a rerun resumes). So does a name ending in `.error`. Other names stay."""
    counts = Counter(ref.stem.casefold() for ref in refs)  # X.json is x.json on macOS
    out = []
    for ref in refs:
        # `r.error.txt` would write `r.error.json`, the name of `r.txt`'s error record.
        if counts[ref.stem.casefold()] > 1 or ref.stem.casefold().endswith(".error"):
            where = ref.name if ref.is_stdin or ref.is_url else os.path.abspath(ref.name)
            tag = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:8]
            ref = replace(ref, output=f"{ref.stem}-{tag}")
        out.append(ref)
    return out


def read_article(
    ref: InputRef, stdin: BinaryIO | None = None, *, max_bytes: int = MAX_INPUT_BYTES
) -> Article:
    """Read and decode one input, refusing what is not an article's text. An HTML page
    becomes its article (a `web.WebArticle`, with the web extra; refused without it).
    Not for URLs: `web.fetch_page` fetches them."""
    if ref.is_stdin:
        data = (stdin or sys.stdin.buffer).read(max_bytes + 1)
        _check_size(len(data), max_bytes, ref.display, exact=False)
        return _article(data, ref.display, path=None, page=False)
    if ref.is_url:
        raise InputError(f"{ref.name}: a URL, not a file (web.fetch_page fetches it)")
    path = Path(ref.name)
    try:
        if path.is_dir():
            raise InputError(f"{ref.name}: {_no_articles(path)}")
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
    return _article(data, ref.name, path=ref.name, page=ref.is_page)


def _no_articles(folder: Path) -> str:
    if web.available():
        return "folder holds no .txt or .md files, nor .html or .htm pages"
    try:
        pages = any(p.suffix.lower() in web.PAGE_SUFFIXES for p in folder.iterdir())
    except OSError:
        pages = False
    hint = f" (to read its web pages, {web.EXTRA})" if pages else ""
    return f"folder holds no .txt or .md files{hint}"


def _article(data: bytes, name: str, path: str | None, *, page: bool) -> Article:
    """Article text, or the article of an HTML page (by its name or its first bytes)."""
    markup: str | bytes
    if page or web.looks_like_html(data):
        if any(data.startswith(bom) for bom, _ in _BOMS):
            markup = _decode(data, name)
        else:
            _check_bytes(data, name)
            markup = data  # decoded as the page declares its charset
    else:
        text = _decode(data, name)
        if not web.looks_like_html(text[:4096].encode("utf-8")):
            return Article(text, path=path)
        markup = text  # a page behind a byte-order mark
    return web.read_page(markup, name, path=path)


def _check_size(size: int, limit: int, name: str, *, exact: bool) -> None:
    if size > limit:
        what = f"{size:,} bytes" if exact else "more than that"
        raise InputError(
            f"{name}: too large for one article ({what}; the limit is {limit:,} bytes, "
            "--max-input-bytes to change it)"
        )


def decode(data: bytes, name: str) -> str:
    """Unicode text that is not empty, not binary and not an HTML page (`read_article`
    reads pages).

    UTF-8 unless a byte-order mark says UTF-16 or UTF-32 (as Windows tools write)."""
    text = _decode(data, name)
    if web.looks_like_html(text[:4096].encode("utf-8")):
        if not web.available():
            raise web.missing_extra(name)
        raise InputError(f"{name}: an HTML page, not article text (read_article reads pages)")
    return text


def _check_bytes(data: bytes, name: str) -> None:
    if not data.strip():
        raise InputError(f"{name}: empty" if not data else f"{name}: only white space")
    if b"\x00" in data:
        raise InputError(f"{name}: binary data (NUL bytes), not text")


def _decode(data: bytes, name: str) -> str:
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
        return text
    _check_bytes(data, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip():
        raise InputError(f"{name}: only white space")
    return text
