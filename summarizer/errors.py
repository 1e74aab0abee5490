"""One exception family, so callers can catch `SummarizerError` and show `str(exc)`.

Messages are one line, say what failed and what to do, and never carry credentials.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class of every error this package raises on purpose.

    `tokens` counts what the failed attempts used, so a run's totals and token budget
    include failures."""

    kind = "error"
    tokens: int = 0


class InputError(SummarizerError):
    """The input cannot be summarized: missing, empty, binary or not UTF-8."""

    kind = "input"


class ConfigurationError(SummarizerError):
    """The settings are unusable: unknown mode, malformed URL, no endpoint and so on."""

    kind = "configuration"


class BackendError(SummarizerError):
    """The endpoint failed in transit or answered with an error status."""

    kind = "backend"

    def __init__(self, message: str, *, status: int | None = None, attempts: int | None = None):
        super().__init__(message)
        self.status = status
        self.attempts = attempts


class ValidationFailedError(SummarizerError):
    """The model's answers kept failing validation until the re-ask cap was reached.

    `last_answer` is the model's final answer as JSON, when there was one: the grounded
    part of it can still be kept (see `salvage`)."""

    kind = "validation"

    def __init__(
        self,
        message: str,
        *,
        attempts: int | None = None,
        last_answer: dict[str, object] | None = None,
    ):
        super().__init__(message)
        self.attempts = attempts
        self.last_answer = last_answer


class ReplayMissError(SummarizerError):
    """Replay found no recorded response for a request; the message says what differs."""

    kind = "replay"


class BudgetExhaustedError(SummarizerError):
    """The run's token budget was spent before this input was sent."""

    kind = "budget"


class InternalError(SummarizerError):
    """A bug of ours met while summarizing one input; the other inputs go on."""

    kind = "internal"
