"""A run's token budget, held at every request whatever the concurrency.

Before a request is sent it reserves an estimate of what it can cost (its body at
`BYTES_PER_TOKEN`, plus its `max_tokens`); when the answer arrives the reservation is
replaced by the usage the answer reports. A request is admitted only while the tokens
used plus the reservations are below the budget (else it waits for requests to
settle), and is sent only while the tokens used are below it (else it is refused). So
nothing is sent once the budget is reached, and a run passes it only by what the
requests in flight when the last one was sent use (retries and re-asks are new requests).

A document under way keeps its last reservation, as a hold, until its next request or
its end; documents not yet started wait behind the holds too, so that budget is not
spent on first requests while the documents that already cost tokens are refused their
re-ask and fail.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2

from summarizer.backends.layer import Layer
from summarizer.context import current_document
from summarizer.errors import BudgetExhaustedError

__all__ = [
    "BYTES_PER_TOKEN",
    "BudgetShare",
    "BudgetedTransport",
    "TokenBudget",
]

BYTES_PER_TOKEN = 4  # about right for English and for JSON schemas


@dataclass
class BudgetShare:
    """One document's standing with the budget: whether it has sent a request yet, and
    the tokens it holds between its requests."""

    started: bool = False
    held: int = 0


class TokenBudget:
    """Tokens used, reserved and held in one run, on one event loop (so no lock)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self.reserved = 0
        self.held = 0
        self._changed = asyncio.Event()

    def check(self) -> None:
        """Refuse once the tokens used have reached the budget."""
        if self.used >= self.limit:
            raise BudgetExhaustedError(
                f"not sent: the run's budget of {self.limit:,} tokens is spent"
            )

    async def reserve(self, estimate: int, doc: BudgetShare | None = None) -> None:
        """Wait until the request fits beside those in flight (and, for a document not
        yet started, beside the holds of those under way), or refuse it."""
        self.check()
        while self.used + self.reserved + (0 if doc and doc.started else self.held) >= self.limit:
            await self._changed.wait()
            self.check()
        self.reserved += estimate
        if doc is not None:
            self._release(doc)
            doc.started = True

    def settle(self, estimate: int, used: int, doc: BudgetShare | None = None) -> None:
        """Replace a reservation by the usage the answer reported; the document holds
        the reservation until its next request or its end."""
        self.reserved -= estimate
        self.used += used
        if doc is not None:
            self.held += max(estimate - doc.held, 0)
            doc.held = max(doc.held, estimate)
        self._wake()

    @contextmanager
    def document(self) -> Iterator[BudgetShare]:
        """A share for the requests of one document (they carry it in its
        `DocumentContext`); what it holds is released when the block ends."""
        doc = BudgetShare()
        try:
            yield doc
        finally:
            self._release(doc)
            self._wake()

    def _release(self, doc: BudgetShare) -> None:
        self.held -= doc.held
        doc.held = 0

    def _wake(self) -> None:
        """Every waiting request looks again."""
        self._changed.set()
        self._changed = asyncio.Event()


class BudgetedTransport(Layer):
    """Every request reserves its estimate, or is refused, before it reaches `inner`
    (which must call `budget.check()` again just before sending, see `BoundedTransport`).
    The request's document, and so its share, comes from the `DocumentContext`."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, budget: TokenBudget):
        super().__init__(inner)
        self.budget = budget

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        context = current_document()
        share = context.budget_share if context is not None else None
        estimate = _estimate(await request.aread())
        await self.budget.reserve(estimate, share)
        used = 0
        try:
            response = await self.inner.handle_async_request(request)
            used = _usage(await response.aread())
            return response
        finally:  # a request that fails without an answer reports no usage: it counts 0
            self.budget.settle(estimate, used, share)


def _estimate(body: bytes) -> int:
    """The prompt from the size of the request, plus all the answer may take."""
    try:
        data: Any = json.loads(body or b"{}")
    except ValueError:
        data = {}
    answer = data.get("max_tokens") if isinstance(data, dict) else None
    return len(body) // BYTES_PER_TOKEN + (answer if isinstance(answer, int) else 0)


def _usage(body: bytes) -> int:
    """The total tokens an answer reports; 0 for a body that reports none."""
    try:
        usage = json.loads(body).get("usage") or {}
        total = usage.get("total_tokens")
        if not isinstance(total, int):
            total = (usage.get("prompt_tokens") or 0) + (usage.get("completion_tokens") or 0)
        return int(total)
    except (ValueError, TypeError, AttributeError):
        return 0
