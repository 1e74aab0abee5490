"""`Summarizer`: a reusable client over a swappable HTTP transport.

As in httpx, the transport is the seam: the real one, a recording wrapper, a replay
of fixtures, or whatever a test injects. One client serves a whole batch, so
connections and settings are set up once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx2

from .article import Article
from .config import PLACEHOLDER_KEY, Settings, resolve_settings
from .draft import ArticleSummary, grounded_in, to_summary
from .errors import (
    BackendError,
    InputError,
    SummarizerError,
    ValidationFailedError,
)
from .prompts import build_messages, prompt_version
from .recording import FixtureStore, RecordingTransport, ReplayTransport, annotate
from .retry import caused_by, is_reaskable, retrying
from .schema import SCHEMA_VERSION, Provenance, Source, Summary, Usage

if TYPE_CHECKING:
    from instructor import AsyncInstructor


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
        **options: Any,
    ):
        self.settings = settings if settings is not None else resolve_settings(**options)
        self._transport = transport
        self._client: AsyncInstructor | None = None
        self._http: httpx2.AsyncClient | None = None

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
            s = self.settings
            transport: httpx2.AsyncBaseTransport = self._transport or httpx2.AsyncHTTPTransport()
            if s.replay is not None:
                transport = ReplayTransport(FixtureStore(s.replay))
            elif s.record is not None:
                transport = RecordingTransport(FixtureStore(s.record), transport)
            self._http = httpx2.AsyncClient(transport=transport, timeout=s.timeout)
            openai_client = openai.AsyncOpenAI(
                base_url=s.base_url,
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
            self._client = instructor.from_openai(openai_client, mode=modes[s.mode])
        return self._client

    async def summarize(self, text: str | Article, *, path: str | None = None) -> Summary:
        """One article in, one validated `Summary` out, or a `SummarizerError`."""
        article = text if isinstance(text, Article) else Article(check_text(text), path=path)
        s = self.settings
        client = self._instructor()
        policy = retrying(s)
        started = time.monotonic()
        facts = {
            "backend": s.backend,
            "mode": s.mode,
            "prompt_version": prompt_version(),
            "schema_version": SCHEMA_VERSION,
            "article_sha256": article.sha256,
            "source": article.path or "text",
        }
        sampling: dict[str, Any] = {"temperature": s.temperature}
        if s.max_tokens:
            sampling["max_tokens"] = s.max_tokens
        try:
            async with asyncio.timeout(s.max_time):  # a deadline, not only a check between tries
                draft, completion = await self._create(client, article, facts, policy, sampling)
        except TimeoutError as exc:
            attempts = int(policy.statistics.get("attempt_number", 1))
            raise BackendError(
                f"gave up after max time {s.max_time:g} s ({attempts} attempts started)",
                attempts=attempts,
            ) from exc
        except Exception as exc:
            attempts = int(
                getattr(exc, "n_attempts", 0) or policy.statistics.get("attempt_number", 1)
            )
            raise translate_error(exc, s, attempts) from exc
        usage = getattr(draft, "_total_usage", None) or getattr(completion, "usage", None)
        provenance = Provenance(
            source=Source(path=article.path, sha256=article.sha256, chars=len(article.text)),
            backend=_backend_label(s, facts),
            model=str(getattr(completion, "model", None) or s.model),
            mode=s.mode,
            prompt_version=prompt_version(),
            attempts=int(policy.statistics.get("attempt_number", 1)),
            usage=Usage(
                prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
                total_tokens=getattr(usage, "total_tokens", 0) or 0,
            ),
            seconds=round(time.monotonic() - started, 3),
            created_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
        return to_summary(draft, article, provenance)

    async def _create(
        self,
        client: AsyncInstructor,
        article: Article,
        facts: dict[str, str],
        policy: Any,
        sampling: dict[str, Any],
    ) -> tuple[ArticleSummary, Any]:
        with grounded_in(article), annotate(facts):
            return await client.create_with_completion(
                model=self.settings.model,
                messages=build_messages(article),  # type: ignore[arg-type]
                response_model=ArticleSummary,
                max_retries=policy,
                **sampling,
            )


def _backend_label(settings: Settings, facts: dict[str, str]) -> str:
    """'replay (hand-written)' tells a reader the answer was not a model's."""
    origin = facts.get("replayed_origin")
    return f"{settings.backend} ({origin})" if origin else settings.backend


def check_text(text: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"expected article text as str, got {type(text).__name__}")
    if not text.strip():
        raise InputError("the article text is empty")
    if "\x00" in text:
        raise InputError("the article text contains NUL characters: binary data, not text")
    return text


def translate_error(exc: BaseException, settings: Settings, attempts: int) -> SummarizerError:
    """One line that says what failed, with the status where there is one; no secrets."""
    import openai
    from instructor.core.exceptions import IncompleteOutputException

    if isinstance(exc, SummarizerError):
        return exc
    ours = caused_by(exc, SummarizerError)  # raised inside a transport of ours
    if ours is not None:
        return ours
    root = exc.__cause__ if exc.__cause__ is not None else exc
    tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
    error: SummarizerError
    if (status := caused_by(root, openai.APIStatusError)) is not None:
        error = BackendError(
            f"HTTP {status.status_code} from the endpoint {tries}: {_api_message(status)}",
            status=status.status_code,
            attempts=attempts,
        )
    elif caused_by(root, openai.APITimeoutError) is not None:
        error = BackendError(
            f"request timed out after {settings.timeout:g} s ({tries})", attempts=attempts
        )
    elif caused_by(root, openai.APIConnectionError) is not None:
        where = settings.base_url or "the OpenAI API"
        error = BackendError(f"cannot connect to {where} ({tries})", attempts=attempts)
    elif caused_by(root, IncompleteOutputException) is not None:
        error = ValidationFailedError(
            f"the answer was cut off at max_tokens={settings.max_tokens} ({tries})",
            attempts=attempts,
        )
    elif is_reaskable(root):
        error = ValidationFailedError(
            f"the model's answer failed validation {tries}: {_validation_message(root)}",
            attempts=attempts,
        )
    else:
        error = BackendError(f"{type(root).__name__}: {_one_line(str(root))}", attempts=attempts)
    if settings.api_key:
        error.args = (str(error).replace(settings.api_key, "***"),)
    return error


def _api_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return _one_line(str(message))
    return _one_line(getattr(exc, "message", "") or type(exc).__name__)


def _validation_message(exc: BaseException) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors()[:3]:
            where = ".".join(str(x) for x in err.get("loc", ())) or "answer"
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            msg = msg.removeprefix("Fix these problems and answer again:\n")
            parts.append(f"{where}: {msg}" if where != "answer" else msg)
        return _one_line("; ".join(parts))
    return _one_line(str(exc))


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
