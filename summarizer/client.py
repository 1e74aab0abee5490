"""`Summarizer`: a reusable client, and the path of one article through it.

cache → strategy → provenance: a summary cached under the same settings is returned as
is; otherwise the strategy asks the model (`focused`: small closed questions; `single`:
one call for the whole schema, or one per chunk of a long article, merged), the answer
is grounded in the article, and provenance says where it came from and what it cost.
The transport stack (`backends/transports.py`), the openai/instructor wiring and the
per-call retries (`backends/openai.py`) and error translation (`backends/failures.py`)
live in the backends. One client serves a whole batch, so connections and settings are
set up once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import json
import time
from types import TracebackType
from typing import TYPE_CHECKING, Unpack

from summarizer.article import Article
from summarizer.backends.budget import BudgetShare, TokenBudget
from summarizer.backends.failures import attempts_text, fix_for
from summarizer.backends.fitting import FittingTransport
from summarizer.backends.openai import ArticleCalls, connect
from summarizer.backends.transports import make_transport
from summarizer.backends.window import Window, content_chars, part_chars, window_for
from summarizer.config import TRANSPORT_AND_REPLAY, Options, Settings, resolve_settings
from summarizer.context import DocumentContext, current_document, document
from summarizer.errors import (
    AnswerPending,
    BackendTimeoutError,
    ConfigurationError,
    ContextTooLargeError,
    InputError,
    ValidationFailedError,
)
from summarizer.extraction.chunking import Chunk, combine, split
from summarizer.extraction.focused import extract_focused
from summarizer.extraction.prompts import build_messages, prompt_version
from summarizer.grounding.dates import find_dateline
from summarizer.grounding.draft import ArticleSummary, to_summary
from summarizer.grounding.salvage import salvage
from summarizer.io.cache import SummaryCache, cache_key, worth_caching
from summarizer.schema import SCHEMA_VERSION, Diagnostic, Provenance, Source, Summary

if TYPE_CHECKING:
    import httpx2
    from instructor import AsyncInstructor

__all__ = [
    "Summarizer",
    "check_text",
]

MIN_PART_CHARS = 1000  # a smaller part of an article would split most paragraphs


class Summarizer:
    """Summarize many articles with one configuration and one connection pool.

    >>> async with Summarizer(base_url="http://localhost:11434/v1", model="qwen2.5") as s:
    ...     summary = await s.summarize(text)

    `transport` (an `httpx2` transport) answers every request in place of the endpoint,
    the local model or replay. Its answers are not the settings' answers, so a client
    with an injected transport neither reads nor writes the summary cache."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        max_in_flight: int | None = None,
        budget: TokenBudget | None = None,
        **options: Unpack[Options],
    ):
        injected = transport is not None
        if settings is None:
            settings = resolve_settings(**options, injected=injected)
        elif injected and settings.replay is not None:
            raise ConfigurationError(TRANSPORT_AND_REPLAY)
        self.settings = settings
        self._transport = transport
        self._max_in_flight = max_in_flight
        self._budget = budget
        self._client: AsyncInstructor | None = None
        self._http: httpx2.AsyncClient | None = None
        self._fitting: FittingTransport | None = None
        s = self.settings
        # The context is asked of a server named by URL, or stated by hand; OpenAI's
        # own models, replay and an injected transport are not asked.
        # Replay answers as recorded, unfitted: it knows no window.
        asked = s.base_url is not None and s.replay is None and not injected
        stated = s.context is not None and s.replay is None
        self._window: Window | None = (
            window_for(s.base_url, s.model, s.context) if asked or stated else None
        )
        dir_ = None if injected else self.settings.cache_dir
        self._cache = SummaryCache(dir_) if dir_ is not None else None

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        self._http = None
        self._client = None

    def _instructor(self) -> AsyncInstructor:
        if self._client is None:
            stack = make_transport(
                self.settings,
                self._transport,
                max_in_flight=self._max_in_flight,
                budget=self._budget,
                window=self._window,
            )
            self._fitting = stack.find(FittingTransport)
            connections = max(100, self._max_in_flight or 0)
            self._client, self._http = connect(self.settings, stack, max_connections=connections)
        return self._client

    async def summarize(self, text: str | Article, *, path: str | None = None) -> Summary:
        """One article in, one validated `Summary` out, or a `SummarizerError`."""
        article = text if isinstance(text, Article) else Article(check_text(text), path=path)
        return self.cached(article) or await self.fresh(article)

    def cached(self, article: Article) -> Summary | None:
        """The cached summary of this article under these settings, if there is one."""
        return self._cache.find(self.settings, article) if self._cache is not None else None

    async def fresh(self, article: Article) -> Summary:
        """Ask the model, without looking in the cache; the answer is cached."""
        summary = await self._extract(article, time.monotonic())
        if self._cache is not None and worth_caching(summary):
            self._cache.put(cache_key(self.settings, article), summary)
        return summary

    def _budget_share(self) -> contextlib.AbstractContextManager[BudgetShare | None]:
        return self._budget.document() if self._budget is not None else contextlib.nullcontext()

    async def _extract(self, article: Article, started: float) -> Summary:
        s = self.settings
        diagnostics: list[Diagnostic] = []
        # A deadline, not only a check between tries. In a batch it starts when this
        # article's first request gets a slot, not while it waits for one.
        queued = self._max_in_flight is not None
        calls = ArticleCalls(self._instructor(), s)
        try:
            async with asyncio.timeout(None if queued else s.max_time) as deadline:
                calls.deadline = deadline
                with (
                    self._budget_share() as share,
                    document(
                        DocumentContext(
                            article=article,
                            facts=self._facts(article),
                            deadline=deadline,
                            max_time=s.max_time,
                            budget_share=share,
                        )
                    ),
                ):
                    if s.strategy == "focused":
                        draft = await extract_focused(article, calls.ask, choices=_choices(s))
                        diagnostics = draft.grounding_notes
                    else:
                        draft, diagnostics = await self._single(calls, article)
        except TimeoutError as exc:
            raise BackendTimeoutError(
                f"gave up after max time {s.max_time:g} s ({attempts_text(calls.attempts)} "
                "started)",
                attempts=calls.attempts,
                tokens=calls.usage.total_tokens,
            ) from exc
        provenance = Provenance(
            source=Source(
                path=article.path,
                sha256=article.sha256,
                chars=len(article.text),
                published=article.published or find_dateline(article.text),
            ),
            backend=_backend_label(s, calls.origin),
            model=calls.model or s.model,
            mode=s.mode,
            prompt_version=prompt_version(s.strategy),
            attempts=max(calls.attempts, 1),
            usage=calls.usage,
            seconds=round(time.monotonic() - started, 3),
            created_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
        return to_summary(draft, article, provenance, diagnostics)

    def _facts(self, article: Article) -> dict[str, str]:
        """What fixtures record about this article's requests beyond their bodies."""
        s = self.settings
        return {
            # A recording of an injected transport must not pass for a model's answer.
            "backend": "injected transport" if self._transport is not None else s.label,
            "mode": s.mode,
            "strategy": s.strategy,
            "prompt_version": prompt_version(s.strategy),
            "schema_version": SCHEMA_VERSION,
            "article_sha256": article.sha256,
            "source": article.path or "text",
        }

    async def _single(
        self, calls: ArticleCalls, article: Article
    ) -> tuple[ArticleSummary, list[Diagnostic]]:
        """One call for the whole schema, or one per chunk of a long article, extracted
        concurrently and merged; after the last re-ask, keep what is grounded."""
        chunks = split(article, await self._part_size(article))
        if len(chunks) == 1:
            return await _one_call(calls, article)
        limit = asyncio.Semaphore(self.settings.chunk_concurrency)
        whole = current_document()
        assert whole is not None

        waiting: list[AnswerPending] = []

        async def one(chunk: Chunk) -> tuple[ArticleSummary, list[Diagnostic]] | None:
            async with limit:
                # A chunk's answer cites the chunk's sentences: it is grounded in the
                # chunk (this task's own copy of the context; the document's is intact).
                with document(dataclasses.replace(whole, article=chunk.article)):
                    try:
                        return await _one_call(calls, chunk.article)
                    except AnswerPending as pending:
                        # Not a failure: every part's request goes into the same batch.
                        waiting.append(pending)
                        return None

        # A task group, not gather: when one part fails the others are cancelled instead
        # of sending requests for a document that has already failed.
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(c)) for c in chunks]
        except BaseExceptionGroup as failed:  # the part that failed first speaks for all
            raise failed.exceptions[0] from None
        if waiting:
            raise AnswerPending.joined(waiting)
        results = [result for task in tasks if (result := task.result()) is not None]
        diagnostics = [
            d.model_copy(update={"item": f"chunk {i}: {d.item}"})
            for i, (_, notes) in enumerate(results, start=1)
            for d in notes
        ]
        merged = combine(
            [(c, draft) for c, (draft, _) in zip(chunks, results, strict=True)], article
        )
        return merged, diagnostics

    async def _part_size(self, article: Article) -> int:
        """--chunk-chars, or less where the server's context needs it."""
        s = self.settings
        if self._fitting is None or await self._fitting.context_size() is None:
            return s.chunk_chars
        assert self._window is not None
        fixed, schema = _prompt_overhead()
        whole = content_chars({"messages": build_messages(article)})
        per_char = (whole - fixed) / max(len(article.text), 1)
        # The schema goes in the prompt as tools, in the messages in the json modes,
        # and not at all as a json_schema response format (it constrains decoding).
        if s.mode in ("json", "md_json"):
            fixed += schema
        tools = schema if s.mode == "tools" else 0
        room = part_chars(self._window, s.max_tokens, fixed, per_char, tools)
        if room is None or room >= s.chunk_chars:
            return s.chunk_chars
        if room < MIN_PART_CHARS and len(article.text) > room:
            raise ContextTooLargeError(
                f"the request does not fit: a context of {self._window.tokens:,} tokens "
                f"({self._window.source}) leaves room for {room:,} characters of article "
                "beside the instructions and an answer. " + fix_for(s, prompt_too_long=True)
            )
        return max(room, MIN_PART_CHARS)


async def _one_call(
    calls: ArticleCalls, article: Article
) -> tuple[ArticleSummary, list[Diagnostic]]:
    try:
        draft = await calls.ask_messages(build_messages(article), ArticleSummary)
        return draft, draft.grounding_notes
    except ValidationFailedError as exc:
        if exc.last_answer is None:
            raise
        try:
            return salvage(exc.last_answer, article)
        except ValidationFailedError as unusable:
            # Keep what the failed calls cost: attempts for provenance, tokens for budgets.
            raise ValidationFailedError(
                f"{unusable} (after {attempts_text(exc.attempts or 1)})",
                attempts=exc.attempts,
                tokens=exc.tokens,
            ) from unusable


@functools.cache
def _prompt_overhead() -> tuple[int, int]:
    """Characters of the single strategy's prompt around an article, and of its schema:
    the same for every article of a run."""
    fixed = content_chars({"messages": build_messages(Article("Text."))})
    return fixed, len(json.dumps(ArticleSummary.model_json_schema()))


def _choices(settings: Settings) -> int:
    """The bundled tiny model is better off not choosing: see `focused.py`."""
    from summarizer.backends.local import DEFAULT_GGUF
    from summarizer.extraction.focused import CHOICES, CHOICES_SMALL_MODEL

    bundled = settings.model == DEFAULT_GGUF.removesuffix(".gguf")
    return CHOICES_SMALL_MODEL if bundled else CHOICES


def _backend_label(settings: Settings, origin: str | None) -> str:
    """'replay (hand-written)' tells a reader the answer was not a model's."""
    return f"{settings.label} ({origin})" if origin else settings.label


def check_text(text: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"expected article text as str, got {type(text).__name__}")
    if not text.strip():
        raise InputError("the article text is empty")
    if "\x00" in text:
        raise InputError("the article text contains NUL characters: binary data, not text")
    return text
