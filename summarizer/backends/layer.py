"""What every transport of this project that wraps another has in common.

The stack (`transports.Stack`) is walked by type, as pydantic-ai's `WrapperModel` is:
whoever needs one layer (the window of the fitting layer, say) asks for it by its class,
and every entry point (`summarize`, batches, the CLI) finds the same one however many
layers sit above it.
"""

from __future__ import annotations

import httpx2

__all__ = ["Layer"]


class Layer(httpx2.AsyncBaseTransport):
    """A transport that sends what it does not answer itself through `inner`."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner

    async def aclose(self) -> None:
        await self.inner.aclose()
