"""The transport stack: where answers come from, and what wraps every request.

As in httpx, the transport is the seam: the real one, the local model, a replay of
fixtures, or whatever a caller injects. `make_transport` builds the stack once per
client, as a `Stack` whose layers are found by type; everything per document reaches
it through the `DocumentContext`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

import httpx2

from summarizer.backends.budget import BudgetedTransport, TokenBudget
from summarizer.backends.fitting import FittingTransport
from summarizer.backends.layer import Layer
from summarizer.backends.recording import FixtureStore, RecordingTransport, ReplayTransport
from summarizer.backends.window import Window
from summarizer.config import Settings
from summarizer.context import current_document

__all__ = [
    "BoundedTransport",
    "Stack",
    "make_transport",
]

L = TypeVar("L", bound=httpx2.AsyncBaseTransport)


@dataclass(frozen=True)
class Stack:
    """The transport the SDK sends through (`outer`) and, below it, each `Layer` down to
    whatever answers."""

    outer: httpx2.AsyncBaseTransport

    def layers(self) -> Iterator[httpx2.AsyncBaseTransport]:
        transport: httpx2.AsyncBaseTransport = self.outer
        while isinstance(transport, Layer):
            yield transport
            transport = transport.inner
        yield transport

    def find(self, kind: type[L]) -> L | None:
        """The first layer of type `kind`, from the outside in."""
        return next((t for t in self.layers() if isinstance(t, kind)), None)

    @property
    def window(self) -> Window | None:
        """The server's context as the fitting layer knows it; None where nothing fits."""
        fitting = self.find(FittingTransport)
        return fitting.window if fitting is not None else None


def make_transport(
    settings: Settings,
    transport: httpx2.AsyncBaseTransport | None = None,
    *,
    max_in_flight: int | None = None,
    budget: TokenBudget | None = None,
    window: Window | None = None,
) -> Stack:
    """The transport stack the openai SDK sends through.

    Where answers come from, first match wins (httpx's rule: an injected `transport`
    replaces the one the settings would pick): the injected one, replay, the local
    model, the real endpoint. A transport and a replay folder together are refused
    earlier (`Summarizer`). Recording wraps whichever answers; then at most
    `max_in_flight` requests on the wire, and outermost the token `budget`, so that a
    request waiting for the budget holds no slot. Fitting to the server's context
    `window` sits right on what answers, inside recording: a fixture holds the request
    as the client built it, which is what a replay (that knows no window) builds
    again; the server is asked its context only where it is the real endpoint."""
    s = settings
    inner: httpx2.AsyncBaseTransport
    if transport is not None:
        inner = transport
    elif s.replay is not None:
        inner = ReplayTransport(FixtureStore(s.replay))
    elif s.backend == "local":
        from summarizer.backends.local import LocalTransport

        assert s.model_path is not None
        inner = LocalTransport(s.model_path, threads=s.threads)
    else:
        inner = httpx2.AsyncHTTPTransport()
    if window is not None:
        real = transport is None and s.replay is None and s.backend == "openai"
        inner = FittingTransport(inner, window, s, probe_server=real)
    if s.record is not None:
        inner = RecordingTransport(FixtureStore(s.record), inner)
    if max_in_flight is not None:
        inner = BoundedTransport(inner, max_in_flight, budget)
    if budget is not None:
        inner = BudgetedTransport(inner, budget)
    return Stack(inner)


class BoundedTransport(Layer):
    """At most `limit` exchanges on the wire. The bound sits here, around the request
    alone, so documents waiting on their validation or on the disk do not hold a slot:
    the next request goes out while the last answer is still being checked. A request
    that got its slot after the token budget was spent is not sent. A document's
    max-time clock starts when its first request gets a slot, not while it queues."""

    def __init__(
        self, inner: httpx2.AsyncBaseTransport, limit: int, budget: TokenBudget | None = None
    ):
        super().__init__(inner)
        self.slots = asyncio.Semaphore(limit)
        self.budget = budget

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        async with self.slots:
            if self.budget is not None:
                self.budget.check()
            context = current_document()
            deadline = context.deadline if context is not None else None
            if context is not None and deadline is not None and deadline.when() is None:
                # The document's first slot: its clock starts now.
                deadline.reschedule(asyncio.get_running_loop().time() + context.max_time)
            response = await self.inner.handle_async_request(request)
            await response.aread()
        # Let the request that takes this slot go out before this answer is checked.
        await asyncio.sleep(0)
        return response
