"""Batch results as a transport: the seam that lets a batch run the live pipeline.

Collecting runs every input through the same code as a live run (prompts, instructor's
parsing for the mode, grounding, re-asks, salvage, merging of long articles); only the
transport differs. `BatchAnswers` answers a request from the results already downloaded,
and for a request with no answer yet raises `AnswerPending` with its body: that is how
the first round's requests are written, and how a re-ask (a request instructor builds
after an answer failed validation) becomes a line of the next round's batch.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from summarizer.backends.recording import ORIGIN_FIELD, request_key
from summarizer.batch_api.lines import custom_id, key_of, read_results
from summarizer.context import current_document
from summarizer.errors import AnswerPending, BackendError, BackendStatusError

__all__ = [
    "BatchAnswers",
    "ResultIndex",
]

_RETRY_STATUSES = frozenset({408, 409, 429})
_RETRY_CODES = frozenset({"server_error", "rate_limit_exceeded", "timeout", "internal_error"})
_MISSING_CODES = frozenset({"batch_expired", "batch_cancelled"})


@dataclass
class _Answer:
    path: Path
    offset: int
    label: str  # the batch id, or the results file it came from


@dataclass
class _Failure:
    status: int | None
    code: str | None
    message: str
    label: str

    @property
    def transient(self) -> bool:
        if self.status is not None:
            return self.status in _RETRY_STATUSES or self.status >= 500
        return self.code in _RETRY_CODES

    def text(self) -> str:
        what = f"HTTP {self.status}" if self.status is not None else (self.code or "an error")
        detail = f" ({self.code})" if self.code and self.status is not None else ""
        return f"{what}{detail} in {self.label}: {self.message or 'no message'}"


@dataclass
class ResultIndex:
    """What is known about each request, by the request hash its custom id carries:
    its answer (where, in which file), its failures, how often it was sent and how
    many result lines came back. A request sent more often than it has results waits
    on its latest batch, or, when that batch ended, is missing from it."""

    answers: dict[str, _Answer] = field(default_factory=dict)
    failures: dict[str, list[_Failure]] = field(default_factory=lambda: defaultdict(list))
    sent: Counter[str] = field(default_factory=Counter)
    returned: Counter[str] = field(default_factory=Counter)
    running: dict[str, bool] = field(default_factory=dict)  # its latest batch still runs
    where: dict[str, str] = field(default_factory=dict)  # its latest batch, and how it ended

    def add_results(self, path: Path, label: str) -> None:
        for offset, line in read_results(path):
            key = key_of(line.custom_id)
            self.returned[key] += 1
            if line.ok:
                self.answers.setdefault(key, _Answer(path, offset, label))
            else:
                self.failures[key].append(_Failure(line.status, line.code, line.message, label))

    def add_sent(self, keys: Iterable[str], *, running: bool, where: str) -> None:
        """The requests of one file (files in the order they were written)."""
        for key in keys:
            self.sent[key] += 1
            self.running[key] = running
            self.where[key] = where

    def answer(self, key: str) -> tuple[dict[str, Any], str] | None:
        found = self.answers.get(key)
        if found is None:
            return None
        with found.path.open("rb") as handle:
            handle.seek(found.offset)
            line = json.loads(handle.readline())
        return line["response"]["body"], found.label

    def pending_reason(self, key: str, max_retries: int) -> str:
        """Why a request has no answer: "waiting" (in a running batch), "new" (never
        sent: a first request or a re-ask), "retry" (failed in transit, retries left),
        or "missing: ..." (its batch expired, was cancelled or failed). Raises the
        final error when the provider refused it or it was tried too often."""
        failures = self.failures.get(key, [])
        if self.sent[key] > self.returned[key]:
            if self.running.get(key, False):
                return "waiting"
            if self.sent[key] > max_retries + 1:
                raise BackendError(
                    f"sent in {self.sent[key]} batches and never answered: {self.where[key]}"
                )
            return f"missing: {self.where[key]}"
        if not failures:
            return "new"
        last = failures[-1]
        if len(failures) > max_retries:
            raise BackendStatusError(
                f"the batch answered {last.text()}, after {len(failures)} tries "
                f"(--max-retries {max_retries})",
                status=last.status,
            )
        if last.code in _MISSING_CODES:
            return f"missing: {last.text()}"
        if not last.transient:
            raise BackendStatusError(f"the batch answered {last.text()}", status=last.status)
        return "retry"


class BatchAnswers(httpx2.AsyncBaseTransport):
    """Answers chat completions from a `ResultIndex`; raises `AnswerPending` for the
    rest. `used` collects, per article, the batches whose answers it was given."""

    def __init__(self, index: ResultIndex, max_retries: int):
        self.index = index
        self.max_retries = max_retries
        self.used: dict[str, set[str]] = defaultdict(set)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(await request.aread() or b"{}")
        key = request_key("chat/completions", body)
        context = current_document()
        article = context.facts.get("article_sha256", "") if context is not None else ""
        custom = custom_id(article, key)
        found = self.index.answer(key_of(custom))
        if found is None:
            why = self.index.pending_reason(key_of(custom), self.max_retries)
            raise AnswerPending([(custom, body, why)])
        answer, label = found
        self.used[article].add(label)
        # Provenance says "(batch)"; a results file written by hand says so in each answer.
        origin = answer.get(ORIGIN_FIELD)
        origin = f"batch, {origin}" if isinstance(origin, str) else "batch"
        return httpx2.Response(200, json={**answer, ORIGIN_FIELD: origin}, request=request)
