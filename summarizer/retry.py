"""The one retry policy: what is retried, how long to wait, when to give up.

Instructor runs its attempt loop on the tenacity object built here, so transient
transport failures and validation re-asks share one loop, one clock and one count.
A new object is built for every call: tenacity keeps per-run state on the instance.
"""

from __future__ import annotations

import email.utils
import json
import time
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter

from .config import Settings
from .errors import ReplayMissError

E = TypeVar("E", bound=BaseException)

_RETRY_STATUSES = frozenset({408, 409, 429})
_MAX_RETRY_AFTER = 120.0


def is_transient(exc: BaseException) -> bool:
    """Rate limits, 5xx, timeouts and dropped connections; never a replay miss."""
    import openai

    if caused_by(exc, ReplayMissError) is not None:
        return False
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in _RETRY_STATUSES or exc.status_code >= 500
    return False


def is_reaskable(exc: BaseException) -> bool:
    """An answer that arrived but did not parse or validate: ask again, saying why."""
    from instructor.core.exceptions import ResponseParsingError

    return isinstance(exc, (ValidationError, json.JSONDecodeError, ResponseParsingError))


def retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (`retry-after-ms` or `Retry-After`), if any."""
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
        parsed = email.utils.parsedate_to_datetime(raw) if raw else None
        return None if parsed is None else max(0.0, parsed.timestamp() - time.time())


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
class _Budget:
    """Stops on whichever cap is hit first: transient retries, re-asks or total time."""

    max_retries: int
    max_reasks: int
    max_time: float
    retries: int = field(default=0)
    reasks: int = field(default=0)

    def __call__(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if exc is not None and is_reaskable(exc):
            self.reasks += 1
        else:
            self.retries += 1
        upcoming = state.upcoming_sleep or 0.0
        return (
            self.retries > self.max_retries
            or self.reasks > self.max_reasks
            or (state.seconds_since_start or 0.0) + upcoming >= self.max_time
        )


_backoff = wait_exponential_jitter(multiplier=0.5, max=30.0, jitter=0.5)


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if exc is None or is_reaskable(exc):
        return 0.0
    asked = retry_after(exc)
    if asked is not None:
        return min(asked, _MAX_RETRY_AFTER)
    return float(_backoff(state))


def retrying(settings: Settings) -> AsyncRetrying:
    """A fresh policy for one extraction call."""
    return AsyncRetrying(
        retry=retry_if_exception(lambda e: is_transient(e) or is_reaskable(e)),
        stop=_Budget(settings.max_retries, settings.max_reasks, settings.max_time),
        wait=_wait,
        reraise=True,
    )
