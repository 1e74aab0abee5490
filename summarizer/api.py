"""The three calls most users need: `summarize`, `asummarize`, `summarize_file`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Unpack

from summarizer.article import Article
from summarizer.blocking import run as run_to_end
from summarizer.client import Summarizer, check_text
from summarizer.config import Options
from summarizer.errors import ConfigurationError
from summarizer.io.inputs import MAX_INPUT_BYTES, InputRef, read_article
from summarizer.io.web import fetch_page, page_provenance
from summarizer.schema import Summary

if TYPE_CHECKING:
    import httpx2

    from summarizer.batch import Outcome

__all__ = [
    "FileOptions",
    "SummarizeOptions",
    "asummarize",
    "parse_date",
    "summarize",
    "summarize_file",
    "summarize_many",
]


class SummarizeOptions(Options, total=False):
    """What `summarize` and `asummarize` take besides the settings."""

    source: str | None
    published: dt.date | str | None
    transport: httpx2.AsyncBaseTransport | None


class FileOptions(Options, total=False):
    """What `summarize_file` takes besides the settings (the path is the source)."""

    published: dt.date | str | None
    transport: httpx2.AsyncBaseTransport | None


async def asummarize(
    text: str,
    *,
    source: str | None = None,
    published: dt.date | str | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
    **options: Unpack[Options],
) -> Summary:
    """Summarize article text. Settings (`model`, `base_url`, `api_key`, `mode`,
    `timeout`, `max_retries`, `record`, `replay`, ...: `config.Options`) not given come
    from the environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `SUMMARIZER_MODEL`), then
    the defaults.

    `source` names the text in provenance (a path or URL); `published` (a date or
    YYYY-MM-DD) turns "Thursday" into an ISO date, as a dateline in the text does;
    `record`/`replay` name a fixture folder. `transport` (an `httpx2` transport, such as
    `httpx2.MockTransport`) answers in place of the endpoint, the local model or replay;
    with it no endpoint need be configured, the summary cache is not used, and giving
    `replay` too is a `ConfigurationError`. Raises a `SummarizerError` on failure."""
    article = Article(check_text(text), path=source, published=parse_date(published))
    async with Summarizer(transport=transport, **options) as client:
        return await client.summarize(article)


def summarize(text: str, **options: Unpack[SummarizeOptions]) -> Summary:
    """Blocking `asummarize`; safe to call from inside a running event loop too."""
    return run_to_end(asummarize(text, **options))


def summarize_file(path: str | os.PathLike[str], **options: Unpack[FileOptions]) -> Summary:
    """Read a UTF-8 article file (refusing empty, binary or undecodable ones) and
    summarize it, with the path and its hash in provenance. With the web extra, an HTML
    page (a file, or an http(s) URL fetched within `timeout`) is summarized from its
    article text, its date as `published` unless given, and provenance names the
    extractor, the URL and the page's title (`read_article` or `io.web.fetch_page` give
    that text, which the spans point into)."""
    return run_to_end(_asummarize_file(os.fspath(path), **options))


async def _asummarize_file(
    name: str,
    *,
    published: dt.date | str | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
    **options: Unpack[Options],
) -> Summary:
    ref = InputRef(name)
    article = None if ref.is_url else read_article(ref)
    date = parse_date(published)
    async with Summarizer(transport=transport, **options) as client:
        if article is None:
            timeout = client.settings.timeout
            article = await fetch_page(name, timeout=timeout, max_bytes=MAX_INPUT_BYTES)
        if date is not None:
            article = dataclasses.replace(article, published=date)
        return page_provenance(await client.summarize(article), article)


def parse_date(value: dt.date | str | None) -> dt.date | None:
    """A publication date from a date or an ISO string; a clear error otherwise."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigurationError(f"date {value!r} is not YYYY-MM-DD") from None


async def summarize_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    concurrency: int | None = None,
    max_total_tokens: int | None = None,
    transport: httpx2.AsyncBaseTransport | None = None,
    **options: Unpack[Options],
) -> AsyncIterator[Outcome]:
    """Summarize many article files (with the web extra, HTML pages and http(s) URLs
    too: a page's `Outcome.text` is the text extracted from it), yielding an `Outcome`
    (summary or error) for each as it finishes, with at most `concurrency` requests in
    flight. Settings as for
    `summarize`; the summary cache makes a rerun send nothing. `max_total_tokens` is
    the CLI's `--max-total-tokens`: held at every request (see `budget.py`); `transport`
    as for `summarize`.

    >>> async for outcome in summarize_many(Path("news").glob("*.txt"), concurrency=32):
    ...     print(outcome.ref.name, outcome.summary or outcome.error)
    """
    from summarizer.batch import summarize_inputs as run
    from summarizer.config import resolve_settings

    settings = resolve_settings(**options, injected=transport is not None)
    refs = (InputRef(os.fspath(p)) for p in paths)
    async for outcome in run(
        refs,
        settings,
        concurrency=concurrency,
        max_total_tokens=max_total_tokens,
        transport=transport,
    ):
        yield outcome
