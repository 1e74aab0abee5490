"""What the code under the openai SDK must know about the document being summarized.

The SDK hands a transport the request and nothing else, and one transport stack serves
every document of a batch at once, so per-document data cannot travel as a parameter to
the transports: `BoundedTransport` starts the document's max-time clock, the token
budget keeps the document's hold, recording and replay label fixtures with the
document's facts. The same holds for drafts that extraction builds in code
(`extract_focused`, `combine`): pydantic runs their validator with no validation
context, so it reads the article here. Everything else gets its data as arguments.

So this is the one ContextVar of the package, holding one frozen value, set in one
module: `client.py`, by `Summarizer._extract` once per document, and narrowed to a
chunk's text for the calls about that chunk of a long article (each chunk runs in its
own task, on its own copy of the context). asyncio copies the value into every task the
document's extraction starts, and no other document sees it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer.article import Article
    from summarizer.backends.budget import BudgetShare

__all__ = [
    "DocumentContext",
    "current_document",
    "document",
]


@dataclass(frozen=True)
class DocumentContext:
    """One document's data for the layers below the openai SDK."""

    article: Article | None = None
    # Facts about the requests that their bodies don't say (which article, which prompt
    # version), for fixtures' metadata and a replay miss's explanation.
    facts: Mapping[str, str] = field(default_factory=dict)
    # The max-time deadline and its length in seconds; in a batch it is unscheduled
    # until the document's first request gets a slot (`BoundedTransport`).
    deadline: asyncio.Timeout | None = None
    max_time: float = 0.0
    # The document's share of the run's token budget, when there is one.
    budget_share: BudgetShare | None = None


_CURRENT: ContextVar[DocumentContext | None] = ContextVar("summarizer_document", default=None)


def current_document() -> DocumentContext | None:
    """The context of the document whose extraction is running, if any."""
    return _CURRENT.get()


@contextmanager
def document(context: DocumentContext) -> Iterator[DocumentContext]:
    """Run the block as the extraction of one document. Called in `Summarizer` only."""
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)
