"""One exception family, so callers can catch `SummarizerError` and show `str(exc)`.

Messages are one line, say what failed and what to do, and never carry credentials:
an error built from an endpoint's answer masks the API key once, when it is built.

    SummarizerError
    ├── InputError
    ├── ConfigurationError        the settings, before anything is sent
    ├── BackendError              the run: the endpoint or the model failed
    │   ├── BackendStatusError    an error status (.status, .body)
    │   ├── BackendTimeoutError   no answer within the timeout or the max time
    │   ├── BackendConnectionError
    │   └── InvalidAnswerError    answers that never validated (ValidationFailedError)
    ├── ReplayMissError
    ├── BudgetExhaustedError
    ├── AnswerPending             a batch has not answered yet (not a failure)
    └── InternalError
"""

from __future__ import annotations

import copy
from typing import Self

from summarizer.io.redaction import Redactor

__all__ = [
    "MESSAGE_LIMIT",
    "AnswerPending",
    "BackendConnectionError",
    "BackendError",
    "BackendStatusError",
    "BackendTimeoutError",
    "BudgetExhaustedError",
    "ConfigurationError",
    "ContextTooLargeError",
    "ContextTruncatedError",
    "FixtureWriteError",
    "InputError",
    "InternalError",
    "InvalidAnswerError",
    "ReplayMissError",
    "SummarizerError",
    "ValidationFailedError",
    "one_line",
]

MESSAGE_LIMIT = 400  # characters of a backend error's message


class SummarizerError(Exception):
    """Base class of every error this package raises on purpose.

    `tokens` counts what the failed attempts used, so a run's totals and token budget
    include failures; it is given when the error is built."""

    kind = "error"

    def __init__(self, message: str = "", *, tokens: int = 0):
        super().__init__(message)
        self.tokens = tokens

    def costing(self, tokens: int) -> Self:
        """This error as the failure of a document that had used `tokens`: a copy, for
        an error built where the cost was not known (inside a transport)."""
        clone = copy.copy(self)
        clone.tokens = tokens
        return clone


class InputError(SummarizerError):
    """The input cannot be summarized: missing, empty, binary or not UTF-8."""

    kind = "input"


class ConfigurationError(SummarizerError):
    """The settings are unusable: unknown mode, malformed URL, no endpoint and so on."""

    kind = "configuration"


class BackendError(SummarizerError):
    """The endpoint failed in transit or answered with an error status.

    The message is made one line of at most `MESSAGE_LIMIT` characters, with `api_key`,
    when given, masked here, once, before anything can print it (and before shortening,
    which could cut a key in two)."""

    kind = "backend"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        attempts: int | None = None,
        tokens: int = 0,
        api_key: str | None = None,
    ):
        super().__init__(one_line(Redactor(api_key)(message), MESSAGE_LIMIT), tokens=tokens)
        self.status = status
        self.attempts = attempts


class BackendStatusError(BackendError):
    """The endpoint answered with an error status: `status`, and `body`, its answer as
    text (the API key masked)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: str = "",
        attempts: int | None = None,
        tokens: int = 0,
        api_key: str | None = None,
    ):
        super().__init__(message, status=status, attempts=attempts, tokens=tokens, api_key=api_key)
        self.body = Redactor(api_key)(body)


class BackendTimeoutError(BackendError):
    """No answer in time: a request's timeout, or the article's max time."""


class BackendConnectionError(BackendError):
    """The endpoint could not be reached, or dropped the connection."""


class FixtureWriteError(BackendError):
    """Recording could not write a fixture: the record folder, checked when the run
    began, turned out unwritable in the middle of it."""


class ContextTooLargeError(BackendError):
    """The request needs more context than the model has: the local model's, or an
    endpoint's that answered so (HTTP 400, `.status`). Final: retrying cannot cure it."""


class ContextTruncatedError(ContextTooLargeError):
    """The server cut the prompt to fit its context and answered anyway (its usage
    counts fewer prompt tokens than were sent): the answer is not trusted. Final."""


class InvalidAnswerError(BackendError):
    """Answers arrived but never validated (or were cut off at max_tokens) until the
    re-ask cap was reached.

    `last_answer` is the model's final answer as JSON, when there was one: the grounded
    part of it can still be kept (see `salvage`)."""

    kind = "validation"

    def __init__(
        self,
        message: str,
        *,
        attempts: int | None = None,
        last_answer: dict[str, object] | None = None,
        tokens: int = 0,
        api_key: str | None = None,
    ):
        super().__init__(message, attempts=attempts, tokens=tokens, api_key=api_key)
        self.last_answer = last_answer


class ValidationFailedError(InvalidAnswerError):
    """The name errors of invalid answers have always had (and still carry in error
    records); catch either."""


class ReplayMissError(SummarizerError):
    """Replay found no recorded response for a request; the message says what differs."""

    kind = "replay"


class BudgetExhaustedError(SummarizerError):
    """The run's token budget was spent before this input was sent."""

    kind = "budget"


class AnswerPending(SummarizerError):
    """The answer to a request lies in a provider's batch that has not returned it (or
    must first be sent in one). Not a failure: the input is finished by a later
    `batch collect`. `requests` holds `(key, body, why)` for each request the input is
    waiting on, `why` being "new", "retry", "missing" or "waiting"."""

    kind = "pending"

    def __init__(self, requests: list[tuple[str, dict[str, object], str]]):
        whys = sorted({why for _, _, why in requests})
        super().__init__(f"waiting for {len(requests)} batch answer(s) ({', '.join(whys)})")
        self.requests = requests

    def __reduce__(self) -> tuple[object, ...]:
        # copy.copy (see `costing`) rebuilds an exception from its arguments.
        return (type(self), (self.requests,), self.__dict__)

    @classmethod
    def joined(cls, parts: list[AnswerPending]) -> AnswerPending:
        """One input's pending requests from several of its parts (a long article)."""
        return cls([request for part in parts for request in part.requests])


class InternalError(SummarizerError):
    """A bug of ours met while summarizing one input; the other inputs go on."""

    kind = "internal"


def one_line(text: str, limit: int | None = None) -> str:
    """White space runs made one space, and cut at `limit` characters with '...'."""
    flat = " ".join(text.split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 3] + "..."
