"""Summaries of every gold document by a backend (`summarizer eval run` then scores them)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

from summarizer.article import Article
from summarizer.batch import default_concurrency
from summarizer.client import Summarizer
from summarizer.config import Settings
from summarizer.errors import SummarizerError
from summarizer.evaluation.gold import GoldDocument
from summarizer.schema import Summary

__all__ = ["summarize_gold"]


async def summarize_gold(
    docs: list[GoldDocument], settings: Settings, *, concurrency: int | None = None
) -> AsyncIterator[tuple[GoldDocument, Summary | None, str | None]]:
    """(document, summary or None, error or None) as each finishes."""
    limit = concurrency or default_concurrency(settings)
    async with Summarizer(settings, max_in_flight=limit) as client:
        slots = asyncio.Semaphore(2 * limit)

        async def one(doc: GoldDocument) -> tuple[GoldDocument, Summary | None, str | None]:
            async with slots:
                try:
                    article = Article(doc.text, path=doc.id, published=_date(doc.published))
                    return doc, await client.summarize(article), None
                except SummarizerError as exc:
                    return doc, None, str(exc)

        for finished in asyncio.as_completed([one(d) for d in docs]):
            yield await finished


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None  # not an ISO date: the text's own dateline, if any, is used
