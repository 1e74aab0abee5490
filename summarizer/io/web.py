"""Web pages as input: an HTML page, from a file or an http(s) URL, becomes its article
text through trafilatura (the `web` extra), with the page's title and publication date.

Only the main text is kept: menus, cookie banners, advertisements, related links and
comments are the page's furniture, not the article. From then on the extracted text is
the article: the summary's sha256 and every span refer to it, and a run with
`--output-dir` saves it beside the summary (`NAME.source.txt`) so spans can be checked.
Without the extra a page is refused, and the message names the extra.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import importlib
import importlib.util
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx2

from summarizer.article import Article
from summarizer.errors import InputError
from summarizer.io.files import temporary
from summarizer.schema import Summary

__all__ = [
    "EXTRA",
    "MAX_REDIRECTS",
    "MIN_ARTICLE_CHARS",
    "PAGE_SUFFIXES",
    "TEXT_SUFFIX",
    "WebArticle",
    "available",
    "fetch_page",
    "is_url",
    "looks_like_html",
    "missing_extra",
    "page_provenance",
    "read_page",
    "save_text",
    "user_agent",
]

EXTRA = "pip install 'summarizer[web]'"
PAGE_SUFFIXES = (".html", ".htm")
TEXT_SUFFIX = ".source.txt"  # NAME.source.txt beside NAME.json: never an input's NAME.txt
# Less text than this is not an article: a cookie wall, a login page, a page that needs
# JavaScript, or a menu. A two-sentence news brief is longer.
MIN_ARTICLE_CHARS = 100
MAX_REDIRECTS = 5
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Dates from the page's markup only (meta tags, JSON-LD, <time>): the original
# publication date, not one guessed from the text or the URL.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
_SNIFF = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)


@dataclass(frozen=True)
class WebArticle(Article):
    """An article extracted from a web page: `text` is what the extractor kept (one
    paragraph per block, a blank line between them), with where it came from."""

    extractor: str = ""  # "trafilatura 2.3.1"
    url: str | None = None  # the URL it was fetched from, after redirects
    title: str | None = None  # from the page's metadata


def available() -> bool:
    """Whether the `web` extra (trafilatura) is installed; nothing is imported."""
    try:
        return importlib.util.find_spec("trafilatura") is not None
    except (ImportError, ValueError):
        return False


def is_url(name: str) -> bool:
    return name[:8].lower().startswith(("http://", "https://"))


def user_agent() -> str:
    from summarizer import __version__

    return f"summarizer/{__version__} (news summarizer; python-httpx2)"


def missing_extra(name: str) -> InputError:
    return InputError(
        f"{name}: an HTML page, not article text; to read web pages, {EXTRA} "
        "(or save the article's text: the browser's reader view, `pandoc -t plain PAGE.html`)"
    )


def looks_like_html(data: bytes) -> bool:
    """Whether these bytes open an HTML page (a doctype or an <html> tag, maybe after an
    XML declaration and comments)."""
    return _SNIFF.match(data[:4096]) is not None


def _trafilatura(name: str) -> ModuleType:
    try:
        module = importlib.import_module("trafilatura")
    except ImportError:
        raise missing_extra(name) from None
    _quiet_extractor()
    return module


@functools.cache
def _quiet_extractor() -> None:
    """trafilatura and htmldate log a warning for each page they find nothing in; the
    input's one-line error says so already. Their logs still show with debug logging on
    (the CLI's `-v`), or when their loggers were given a level before the first page."""
    if logging.getLogger().isEnabledFor(logging.DEBUG):
        return
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.CRITICAL)


def read_page(
    markup: str | bytes, name: str, *, path: str | None = None, url: str | None = None
) -> WebArticle:
    """The article of an HTML page (bytes are decoded as the page declares), with its
    title and publication date; an `InputError` when the extra is missing or the page
    holds no article."""
    module = _trafilatura(name)
    extractor = f"trafilatura {getattr(module, '__version__', 'unknown')}"
    try:
        document: Any = module.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            favor_precision=True,  # less text rather than a menu read as the article
            include_comments=False,
            deduplicate=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as exc:  # a page the extractor chokes on is a bad input, not our bug
        raise InputError(
            f"{name}: {extractor} could not read the page ({_one_line(exc)})"
        ) from None
    raw = _field(document, "text") or ""
    text = "\n\n".join(line.strip() for line in raw.splitlines() if line.strip())
    if len(text) < MIN_ARTICLE_CHARS:
        found = f" (only {len(text)} characters of text)" if text else ""
        raise InputError(
            f"{name}: an HTML page, not article text: {extractor} found no article in it{found}"
        )
    return WebArticle(
        text,
        path=path,
        published=_date(_field(document, "date")),
        extractor=extractor,
        url=url,
        title=" ".join(title.split()) if (title := _field(document, "title")) else None,
    )


def _field(document: Any, name: str) -> str | None:
    value = getattr(document, name, None) if document is not None else None
    return value if isinstance(value, str) and value.strip() else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


async def fetch_page(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> WebArticle:
    """GET `url` (redirects followed, at most `MAX_REDIRECTS`; all of it within `timeout`
    seconds) and read its article. Anything but an HTML page, an error status, a
    timeout or a body over `max_bytes` is a one-line `InputError`."""
    _trafilatura(url)  # without the extra, say so before fetching anything
    try:
        async with asyncio.timeout(timeout):
            final, markup = await _get(url, timeout, max_bytes, transport)
    except (TimeoutError, httpx2.TimeoutException):
        raise InputError(
            f"{url}: no answer within {timeout:g} s (--timeout to change it)"
        ) from None
    except httpx2.TooManyRedirects:
        raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx2.InvalidURL as exc:
        raise InputError(f"{url}: not a valid URL ({_one_line(exc)})") from None
    except httpx2.UnsupportedProtocol as exc:
        raise InputError(f"{url}: cannot fetch ({_one_line(exc)})") from None
    except httpx2.ConnectError as exc:
        raise InputError(f"{url}: cannot connect ({_one_line(exc)})") from None
    except httpx2.HTTPError as exc:
        raise InputError(f"{url}: cannot fetch ({type(exc).__name__}: {_one_line(exc)})") from None
    return read_page(markup, url, path=url, url=final)


async def _get(
    url: str, timeout: float, max_bytes: int, transport: httpx2.AsyncBaseTransport | None
) -> tuple[str, str | bytes]:
    headers = {
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    }
    async with (
        httpx2.AsyncClient(
            headers=headers,
            timeout=timeout,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            transport=transport,
        ) as client,
        client.stream("GET", url) as response,
    ):
        final = str(response.url)
        where = f" (at {final})" if final != url else ""
        if response.status_code >= 400:
            reason = f" {response.reason_phrase}" if response.reason_phrase else ""
            raise InputError(f"{url}: HTTP {response.status_code}{reason}{where}")
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind and kind not in _HTML_TYPES:
            raise InputError(
                f"{url}: not a web page (content type {kind}){where}; only HTML is read"
            )
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise _too_large(url, f"{int(length):,} bytes", max_bytes)
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise _too_large(url, "more than that", max_bytes)
        if not kind and not looks_like_html(bytes(body[:4096])):
            raise InputError(f"{url}: not a web page (no content type, and not HTML){where}")
        return final, _decoded(bytes(body), response.charset_encoding)


def _decoded(body: bytes, charset: str | None) -> str | bytes:
    """The charset the server names wins; without one, the page's own declaration (the
    extractor reads `<meta charset>` from the bytes)."""
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    return body


def _too_large(name: str, what: str, limit: int) -> InputError:
    return InputError(
        f"{name}: too large for one article ({what}; the limit is {limit:,} bytes, "
        "--max-input-bytes to change it)"
    )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def page_provenance(summary: Summary, article: Article, *, text_file: str | None = None) -> Summary:
    """The summary with its source's extractor, URL and title (and the name of the file
    its text was saved in), when the article came from a web page; else as it is."""
    if not isinstance(article, WebArticle):
        return summary
    source = summary.provenance.source.model_copy(
        update={
            "extractor": article.extractor,
            "url": article.url,
            "title": article.title,
            "text_file": text_file,
        }
    )
    provenance = summary.provenance.model_copy(update={"source": source})
    return summary.model_copy(update={"provenance": provenance})


def save_text(target: Path, text: str) -> None:
    """The article text, byte for byte (UTF-8, no newline translation, so offsets hold on
    every platform), written to a temporary file and renamed into place."""
    fd, tmp = temporary(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
