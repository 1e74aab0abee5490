"""The one retry policy: what is retried, how long to wait, when to give up.

Instructor runs its attempt loop on the tenacity object built here, so transient
transport failures and validation re-asks share one loop, one clock and one count.
A new object is built for every call: tenacity keeps per-run state on the instance.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import json
import time
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter

from summarizer.config import Settings
from summarizer.errors import SummarizerError

__all__ = [
    "caused_by",
    "is_reaskable",
    "is_transient",
    "retry_after",
    "retrying",
]

E = TypeVar("E", bound=BaseException)

_RETRY_STATUSES = frozenset({408, 409, 429})
_MAX_RETRY_AFTER = 120.0
_FINAL_CODES = frozenset({"insufficient_quota"})  # a 429 that waiting will not cure


def is_transient(exc: BaseException) -> bool:
    """Rate limits, 5xx, timeouts, dropped connections and garbled bodies: worth another
    try after a pause. Failures of our own transports (a replay miss, an unwritable
    fixture folder) are not, even though the SDK reports them as connection errors."""
    import httpx2
    import openai

    if caused_by(exc, SummarizerError) is not None:
        return False
    if isinstance(exc, openai.APITimeoutError):
        return True
    if isinstance(exc, openai.APIConnectionError):
        return caused_by(exc, httpx2.TransportError) is not None
    if isinstance(exc, openai.APIStatusError):
        if _error_code(exc) in _FINAL_CODES:
            return False
        return exc.status_code in _RETRY_STATUSES or exc.status_code >= 500
    # A 200 whose body is not JSON: the SDK fails to decode it before any model answer
    # exists, so there is nothing to re-ask about.
    return isinstance(exc, json.JSONDecodeError)


def is_reaskable(exc: BaseException) -> bool:
    """An answer that arrived but did not parse or validate: ask again, saying why.
    (An answer cut off at its token limit is re-asked apart, asking for a shorter one:
    the same request would be cut at the same place. See `ArticleCalls`.)"""
    from instructor.core.exceptions import ResponseParsingError

    return isinstance(exc, (ValidationError, ResponseParsingError))


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (`retry-after-ms` or `Retry-After`, as
    seconds or an HTTP date); None when absent or unreadable."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - time.time())


def _error_code(exc: BaseException) -> str | None:
    body = getattr(exc, "body", None)
    inner = body.get("error", body) if isinstance(body, dict) else None
    code = inner.get("code") if isinstance(inner, dict) else None
    return str(code) if code else None


def caused_by(exc: BaseException, kind: type[E]) -> E | None:
    """The first exception of `kind` in the cause/context chain of `exc`."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


@dataclass
class _Policy:
    """Counts transient retries and re-asks apart: each has its own cap, backoff grows
    with transient retries only, and re-asks go out at once."""

    max_retries: int
    max_reasks: int
    max_time: float
    deadline: asyncio.Timeout | None = None
    retries: int = field(default=0)
    reasks: int = field(default=0)

    def wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if exc is None or is_reaskable(exc):
            self.reasks += 1
            return 0.0
        self.retries += 1
        asked = retry_after(exc)
        if asked is not None:
            return min(asked, _MAX_RETRY_AFTER)
        return float(_backoff(_Attempt(self.retries)))  # type: ignore[arg-type]

    def stop(self, state: RetryCallState) -> bool:
        upcoming = state.upcoming_sleep or 0.0
        left = _time_left(self.deadline)
        if left is None:  # no article deadline running: this call's own clock
            left = self.max_time - (state.seconds_since_start or 0.0)
        return self.retries > self.max_retries or self.reasks > self.max_reasks or upcoming >= left


def _time_left(deadline: asyncio.Timeout | None) -> float | None:
    """Seconds until the article's deadline, when it is running."""
    when = deadline.when() if deadline is not None else None
    return None if when is None else when - asyncio.get_running_loop().time()


@dataclass
class _Attempt:
    """What tenacity's wait functions read from a retry state: the attempt number."""

    attempt_number: int


_backoff = wait_exponential_jitter(multiplier=0.5, max=30.0, jitter=0.5)


def retrying(
    settings: Settings, deadline: asyncio.Timeout | None = None, max_reasks: int | None = None
) -> AsyncRetrying:
    """A fresh policy for one extraction call (tenacity keeps per-run state on it).
    Tenacity runs `wait` before `stop`, so `stop` sees the counts and the next sleep.
    `deadline` is the article's max-time deadline: no retry starts that would end past
    it; without one (or before it is scheduled) the call has its own `max_time`.
    `max_reasks`: what is left of the settings' re-asks, when some were spent already."""
    reasks = settings.max_reasks if max_reasks is None else max_reasks
    policy = _Policy(settings.max_retries, reasks, settings.max_time, deadline)
    return AsyncRetrying(
        retry=retry_if_exception(lambda e: is_transient(e) or is_reaskable(e)),
        stop=policy.stop,
        wait=policy.wait,
        reraise=True,
    )
