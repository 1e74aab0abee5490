"""`Summarizer`: a reusable client over a swappable HTTP transport.

As in httpx, the transport is the seam: the real one, a recording wrapper, a replay
of fixtures, or whatever a test injects. One client serves a whole batch, so
connections and settings are set up once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
import weakref
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx2

from summarizer.article import Article
from summarizer.backends.budget import BudgetedTransport, TokenBudget
from summarizer.backends.recording import (
    ORIGIN_FIELD,
    FixtureStore,
    RecordingTransport,
    ReplayTransport,
    annotate,
)
from summarizer.backends.retry import DEADLINE, caused_by, is_reaskable, retrying
from summarizer.config import PLACEHOLDER_KEY, TRANSPORT_AND_REPLAY, Settings, resolve_settings
from summarizer.errors import (
    BackendConnectionError,
    BackendError,
    BackendStatusError,
    BackendTimeoutError,
    ConfigurationError,
    InputError,
    SummarizerError,
    ValidationFailedError,
    one_line,
)
from summarizer.extraction.chunking import Chunk, combine, split
from summarizer.extraction.focused import extract_focused
from summarizer.extraction.prompts import build_messages, prompt_version, render
from summarizer.grounding.dates import find_dateline
from summarizer.grounding.draft import ArticleSummary, grounded_in, to_summary
from summarizer.grounding.salvage import salvage
from summarizer.io.cache import SummaryCache, cache_key
from summarizer.schema import SCHEMA_VERSION, Diagnostic, Provenance, Source, Summary, Usage

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    import openai
    from instructor import AsyncInstructor
    from openai._types import RequestOptions

T = TypeVar("T")
_SHORT_ANSWER = 256  # tokens: enough for any focused answer, a bound for a looping model


class Summarizer:
    """Summarize many articles with one configuration and one connection pool.

    >>> async with Summarizer(base_url="http://localhost:11434/v1", model="qwen2.5") as s:
    ...     summary = await s.summarize(text)
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        max_in_flight: int | None = None,
        budget: TokenBudget | None = None,
        **options: Any,
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
        dir_ = self.settings.cache_dir
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
            import instructor
            import openai

            # Instructor logs each failed attempt at ERROR. Where the application has set
            # up no logging, Python would print those raw on stderr; our errors say it
            # once, in one line. Configured logging still receives them.
            logging.getLogger("instructor").addHandler(logging.NullHandler())
            _speed_up_instructor()
            s = self.settings
            # Where answers come from, first match wins (httpx's rule: an injected
            # transport replaces the one the settings would pick). A transport and a
            # replay folder together are refused in `__init__`; recording wraps any.
            transport: httpx2.AsyncBaseTransport
            if self._transport is not None:
                transport = self._transport
            elif s.replay is not None:
                transport = ReplayTransport(FixtureStore(s.replay))
            elif s.backend == "local":
                from summarizer.backends.local import LocalTransport

                assert s.model_path is not None
                transport = LocalTransport(s.model_path, threads=s.threads)
            else:
                transport = httpx2.AsyncHTTPTransport()
            if s.record is not None:
                transport = RecordingTransport(FixtureStore(s.record), transport)
            if self._max_in_flight is not None:
                transport = _Bounded(transport, self._max_in_flight, self._budget)
            if self._budget is not None:  # a request waiting for the budget holds no slot
                transport = BudgetedTransport(transport, self._budget)
            limits = httpx2.Limits(max_connections=max(100, self._max_in_flight or 0))
            self._http = httpx2.AsyncClient(transport=transport, timeout=s.timeout, limits=limits)
            openai_client = openai.AsyncOpenAI(
                # The local backend and replay answer in the transport; this URL is a label.
                base_url=s.base_url
                or ("http://local.invalid/v1" if s.backend == "local" else None),
                api_key=s.api_key or PLACEHOLDER_KEY,
                max_retries=0,  # tenacity owns retries: one policy, one place
                timeout=s.timeout,
                http_client=self._http,
            )
            modes = {
                "tools": instructor.Mode.TOOLS,
                "json": instructor.Mode.JSON,
                "json_schema": instructor.Mode.JSON_SCHEMA,
                "md_json": instructor.Mode.MD_JSON,
            }
            mode = modes[s.mode]
            self._client = instructor.AsyncInstructor(
                client=openai_client,
                create=instructor.patch(create=_chat_completions(openai_client), mode=mode),
                mode=mode,
                provider=instructor.Provider.OPENAI,
            )
        return self._client

    async def summarize(self, text: str | Article, *, path: str | None = None) -> Summary:
        """One article in, one validated `Summary` out, or a `SummarizerError`."""
        article = text if isinstance(text, Article) else Article(check_text(text), path=path)
        return self.cached(article) or await self.fresh(article)

    def cached(self, article: Article) -> Summary | None:
        """The cached summary of this article under these settings, if there is one."""
        if self._cache is None:
            return None
        hit = self._cache.get(cache_key(self.settings, article))
        if hit is None:
            return None
        source = hit.provenance.source.model_copy(update={"path": article.path})
        provenance = hit.provenance.model_copy(update={"source": source, "cached": True})
        return hit.model_copy(update={"provenance": provenance})

    async def fresh(self, article: Article) -> Summary:
        """Ask the model, without looking in the cache; the answer is cached."""
        summary = await self._summarize(article)
        if self._cache is not None and not summary.diagnostics:
            # A salvaged answer may be a passing glitch: ask again next time.
            self._cache.put(cache_key(self.settings, article), summary)
        return summary

    def _document(self) -> contextlib.AbstractContextManager[None]:
        return self._budget.document() if self._budget is not None else contextlib.nullcontext()

    async def _summarize(self, article: Article) -> Summary:
        s = self.settings
        run = _Run(
            self._instructor(),
            s,
            {
                "backend": s.label,
                "mode": s.mode,
                "strategy": s.strategy,
                "prompt_version": prompt_version(s.strategy),
                "schema_version": SCHEMA_VERSION,
                "article_sha256": article.sha256,
                "source": article.path or "text",
            },
        )
        return await self._extract(article, run, time.monotonic())

    async def _extract(self, article: Article, run: _Run, started: float) -> Summary:
        s = self.settings
        diagnostics: list[Diagnostic] = []
        # A deadline, not only a check between tries. In a batch it starts when this
        # article's first request gets a slot, not while it waits for one (`_Bounded`).
        queued = self._max_in_flight is not None
        try:
            async with asyncio.timeout(None if queued else s.max_time) as deadline:
                token = DEADLINE.set((deadline, s.max_time))
                try:
                    with grounded_in(article), annotate(run.facts), self._document():
                        if s.strategy == "focused":
                            draft = await extract_focused(article, run.ask, choices=_choices(s))
                        else:
                            draft, diagnostics = await self._single(run, article)
                finally:
                    DEADLINE.reset(token)
        except TimeoutError as exc:
            raise BackendTimeoutError(
                f"gave up after max time {s.max_time:g} s ({_attempts(run.attempts)} started)",
                attempts=run.attempts,
                tokens=run.usage.total_tokens,
            ) from exc
        provenance = Provenance(
            source=Source(
                path=article.path,
                sha256=article.sha256,
                chars=len(article.text),
                published=article.published or find_dateline(article.text),
            ),
            backend=_backend_label(s, run.origin),
            model=run.model or s.model,
            mode=s.mode,
            prompt_version=prompt_version(s.strategy),
            attempts=max(run.attempts, 1),
            usage=run.usage,
            seconds=round(time.monotonic() - started, 3),
            created_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
        return to_summary(draft, article, provenance, diagnostics)

    async def _single(self, run: _Run, article: Article) -> tuple[ArticleSummary, list[Diagnostic]]:
        """One call for the whole schema, or one per chunk of a long article, extracted
        concurrently and merged; after the last re-ask, keep what is grounded."""
        chunks = split(article, self.settings.chunk_chars)
        if len(chunks) == 1:
            return await _one_call(run, article)
        limit = asyncio.Semaphore(self.settings.chunk_concurrency)

        async def one(chunk: Chunk) -> tuple[ArticleSummary, list[Diagnostic]]:
            async with limit:
                with grounded_in(chunk.article):
                    return await _one_call(run, chunk.article)

        results = await asyncio.gather(*(one(c) for c in chunks))
        diagnostics = [
            d.model_copy(update={"item": f"chunk {i}: {d.item}"})
            for i, (_, notes) in enumerate(results, start=1)
            for d in notes
        ]
        merged = combine(
            [(c, draft) for c, (draft, _) in zip(chunks, results, strict=True)], article
        )
        return merged, diagnostics


async def _one_call(run: _Run, article: Article) -> tuple[ArticleSummary, list[Diagnostic]]:
    try:
        return await run.ask_messages(build_messages(article), ArticleSummary), []
    except ValidationFailedError as exc:
        if exc.last_answer is None:
            raise
        try:
            return salvage(exc.last_answer, article)
        except ValidationFailedError as unusable:
            # Keep what the failed calls cost: attempts for provenance, tokens for budgets.
            raise ValidationFailedError(
                f"{unusable} (after {_attempts(exc.attempts or 1)})",
                attempts=exc.attempts,
                tokens=exc.tokens,
            ) from unusable


class _Run:
    """The model calls for one article: each with its own retry policy, their attempts
    and token usage added up for provenance."""

    def __init__(self, client: AsyncInstructor, settings: Settings, facts: dict[str, str]):
        self.client = client
        self.settings = settings
        self.facts = facts
        self.attempts = 0
        self.usage = Usage()
        self.model: str | None = None
        self.origin: str | None = None  # whose answers replay gave: recorded, hand-written

    async def ask(self, template: str, variables: dict[str, Any], model: type[Any]) -> Any:
        """One focused question: a single user message from a template."""
        content = render(template, **variables)
        return await self.ask_messages([{"role": "user", "content": content}], model, short=True)

    async def ask_messages(
        self, messages: list[dict[str, str]], model: type[T], *, short: bool = False
    ) -> T:
        s = self.settings
        sampling: dict[str, Any] = {"temperature": s.temperature}
        if s.max_tokens:
            sampling["max_tokens"] = min(s.max_tokens, _SHORT_ANSWER) if short else s.max_tokens
        if s.repeat_penalty is not None:
            sampling["extra_body"] = {"repeat_penalty": s.repeat_penalty}
        policy = retrying(s)
        model = _prepared(model)
        try:
            answer, completion = await self.client.create_with_completion(
                model=s.model,
                messages=messages,  # type: ignore[arg-type]
                response_model=model,
                max_retries=policy,
                **sampling,
            )
        except asyncio.CancelledError:  # the deadline: count the attempt cut short
            self.attempts += int(policy.statistics.get("attempt_number", 1))
            raise
        except Exception as exc:
            started_attempts = policy.statistics.get("attempt_number", 1)
            attempts = int(getattr(exc, "n_attempts", 0) or started_attempts)
            self.attempts += attempts
            self._count(getattr(exc, "total_usage", None))
            raise translate_error(exc, s, self.attempts, self.usage.total_tokens) from exc
        self.attempts += int(policy.statistics.get("attempt_number", 1))
        self._count(getattr(answer, "_total_usage", None) or getattr(completion, "usage", None))
        self.model = self.model or getattr(completion, "model", None)
        extra = getattr(completion, "model_extra", None) or {}
        if isinstance(origin := extra.get(ORIGIN_FIELD), str):  # a replayed answer
            self.origin = origin if self.origin in (None, origin) else "mixed"
        return answer

    def _count(self, used: Any) -> None:
        self.usage = Usage(
            prompt_tokens=self.usage.prompt_tokens + (getattr(used, "prompt_tokens", 0) or 0),
            completion_tokens=self.usage.completion_tokens
            + (getattr(used, "completion_tokens", 0) or 0),
            total_tokens=self.usage.total_tokens + (getattr(used, "total_tokens", 0) or 0),
        )


def _chat_completions(client: openai.AsyncOpenAI) -> Callable[..., Awaitable[Any]]:
    """`client.chat.completions.create` as the SDK's documented low-level `post`.

    Touching `client.chat` imports every resource module of the SDK (assistants,
    files, evals...): about 0.3 s before the first request of a run, for one endpoint.
    The request still goes through the SDK's client: same headers, auth, timeouts and
    error classes, and the answer is the SDK's `ChatCompletion`."""
    from openai.types.chat import ChatCompletion

    async def create(
        *,
        extra_body: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        timeout: float | None = None,
        **body: Any,
    ) -> ChatCompletion:
        options: dict[str, Any] = {"security": {"bearer_auth": True}}
        if extra_body:
            options["extra_json"] = extra_body
        if extra_headers:
            options["headers"] = extra_headers
        if timeout is not None:
            options["timeout"] = timeout
        return await client.post(
            "/chat/completions",
            body=body,
            cast_to=ChatCompletion,
            options=cast("RequestOptions", options),
        )

    return create


def _prepared(model: type[T]) -> type[T]:
    """Instructor wraps a plain pydantic model in a new subclass on every call, and
    building a pydantic class costs about 1 ms plus a schema each time. Wrapped once
    here, the class is reused (and instructor's own schema cache then hits)."""
    if model is not ArticleSummary:
        return model  # the focused strategy's models are made per question anyway
    global _PREPARED
    if _PREPARED is None:
        try:
            from instructor.v2.core.function_calls import response_schema
        except ImportError:
            return model
        _PREPARED = response_schema(ArticleSummary)
    return cast("type[T]", _PREPARED)


_PREPARED: Any = None


def _speed_up_instructor() -> None:
    """Instructor 1.17 re-checks the response model for async validators several times
    per call, walking every field (about 1 ms each for our schema). The answer depends
    only on the class, so a class that passed once is not walked again. A pure
    memoisation of instructor's own check; skipped if instructor's layout differs."""
    try:
        from instructor.v2.core import patch as patch_module
        from instructor.v2.core import retry as retry_module
        from instructor.v2.validation import async_validators as validators
    except ImportError:
        return
    original = validators.reject_async_validators
    if getattr(original, "_summarizer_memo", False):
        return
    passed: weakref.WeakSet[type] = weakref.WeakSet()

    def remembered(response_model: Any) -> None:
        if isinstance(response_model, type):
            if response_model in passed:
                return
            original(response_model)
            passed.add(response_model)
        else:
            original(response_model)

    remembered._summarizer_memo = True  # type: ignore[attr-defined]
    for module in (validators, patch_module, retry_module):
        if getattr(module, "reject_async_validators", None) is original:
            setattr(module, "reject_async_validators", remembered)  # noqa: B010


class _Bounded(httpx2.AsyncBaseTransport):
    """At most `limit` exchanges on the wire. The bound sits here, around the request
    alone, so documents waiting on their validation or on the disk do not hold a slot:
    the next request goes out while the last answer is still being checked. A request
    that got its slot after the token budget was spent is not sent."""

    def __init__(
        self, inner: httpx2.AsyncBaseTransport, limit: int, budget: TokenBudget | None = None
    ):
        self.inner = inner
        self.slots = asyncio.Semaphore(limit)
        self.budget = budget

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        async with self.slots:
            if self.budget is not None:
                self.budget.check()
            pending = DEADLINE.get()
            if pending is not None and pending[0].when() is None:
                deadline, seconds = pending  # the article's clock starts with its first slot
                deadline.reschedule(asyncio.get_running_loop().time() + seconds)
            response = await self.inner.handle_async_request(request)
            await response.aread()
        # Let the request that takes this slot go out before this answer is checked.
        await asyncio.sleep(0)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


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


def translate_error(
    exc: BaseException, settings: Settings, attempts: int, tokens: int = 0
) -> SummarizerError:
    """One line that says what failed, with the status where there is one; no secrets.
    `tokens` is what the document's calls used so far, failed ones included."""
    import openai
    from instructor.core.exceptions import IncompleteOutputException

    ours = caused_by(exc, SummarizerError)  # ours, or raised inside a transport of ours
    if ours is not None:
        return ours if ours.tokens == tokens else ours.costing(tokens)
    root = exc.__cause__ if exc.__cause__ is not None else exc
    tries = f"after {_attempts(attempts)}"
    spent: dict[str, Any] = {"attempts": attempts, "tokens": tokens, "api_key": settings.api_key}
    if (status := caused_by(root, openai.APIStatusError)) is not None:
        return BackendStatusError(
            f"HTTP {status.status_code} from the endpoint {tries}: {_api_message(status)}",
            status=status.status_code,
            body=_body_text(status),
            **spent,
        )
    if caused_by(root, openai.APITimeoutError) is not None:
        return BackendTimeoutError(
            f"request timed out after {settings.timeout:g} s ({tries})", **spent
        )
    if caused_by(root, openai.APIConnectionError) is not None:
        where = settings.base_url or "the OpenAI API"
        return BackendConnectionError(f"cannot connect to {where} ({tries})", **spent)
    if caused_by(root, IncompleteOutputException) is not None:
        return ValidationFailedError(
            f"the answer was cut off at max_tokens={settings.max_tokens} ({tries})", **spent
        )
    if is_reaskable(root):
        from summarizer.grounding.salvage import answer_json

        failed = getattr(exc, "failed_attempts", None) or []
        return ValidationFailedError(
            f"the model's answer failed validation {tries}: {_validation_message(root)}",
            last_answer=answer_json(failed[-1].completion) if failed else None,
            **spent,
        )
    if isinstance(root, json.JSONDecodeError):
        return BackendError(f"the endpoint's answer is not valid JSON ({tries}): {root!s}", **spent)
    return BackendError(f"{type(root).__name__}: {root}", **spent)


def _body_text(exc: Any) -> str:
    """The error response's body as text, for `BackendStatusError.body`."""
    response = getattr(exc, "response", None)
    try:
        return str(response.text) if response is not None else ""
    except Exception:  # a streamed body not read: the parsed one stands in
        return json.dumps(getattr(exc, "body", None))


def _api_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return one_line(str(message))
    return one_line(getattr(exc, "message", "") or type(exc).__name__)


def _validation_message(exc: BaseException) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors()[:3]:
            where = ".".join(str(x) for x in err.get("loc", ())) or "answer"
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            msg = msg.removeprefix("Fix these problems and answer again:\n")
            parts.append(f"{where}: {msg}" if where != "answer" else msg)
        return one_line("; ".join(parts))
    return one_line(str(exc))


def _attempts(n: int) -> str:
    return f"{n} attempt{'s' if n != 1 else ''}"
