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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from summarizer.backends.recording import ORIGIN_FIELD, request_key
from summarizer.batch_api.lines import article_of, custom_id, is_reask, key_of, read_results
from summarizer.context import current_document
from summarizer.errors import AnswerPending, BackendStatusError

__all__ = [
    "BatchAnswers",
    "ResultIndex",
]

_RETRY_STATUSES = frozenset({408, 409, 429})
_RETRY_CODES = frozenset({"server_error", "rate_limit_exceeded", "timeout", "internal_error"})
_FINAL_CODES = frozenset({"insufficient_quota"})  # a 429 that waiting will not cure
_MISSING_CODES = frozenset({"batch_expired", "batch_cancelled", "batch_lost"})


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
    def missing(self) -> bool:
        """Never run: its batch expired, was cancelled, failed or was refused."""
        return self.code in _MISSING_CODES

    @property
    def transient(self) -> bool:
        if self.code in _FINAL_CODES or self.missing:
            return False
        if self.status is not None:
            return self.status in _RETRY_STATUSES or self.status >= 500
        return self.code in _RETRY_CODES

    def text(self) -> str:
        if self.code == "batch_lost":
            return self.message
        what = f"HTTP {self.status}" if self.status is not None else (self.code or "an error")
        detail = f" ({self.code})" if self.code and self.status is not None else ""
        return f"{what}{detail} in {self.label}: {self.message or 'no message'}"


def lost(where: str) -> _Failure:
    """The outcome of a request its batch ended without answering."""
    return _Failure(None, "batch_lost", where, where)


@dataclass
class ResultIndex:
    """What became of each request, by the request hash its custom id carries: how
    often it was sent, and the outcome of each send whose batch has ended (an answer,
    a failure, or lost with its batch). The latest send decides: no outcome yet means
    it waits; a failure is retried, final, or missing (resent on request)."""

    sent: Counter[str] = field(default_factory=Counter)
    outcomes: dict[str, list[_Answer | _Failure]] = field(default_factory=lambda: defaultdict(list))
    answers: dict[str, _Answer] = field(default_factory=dict)
    articles: set[str] = field(default_factory=set)  # article hashes with requests sent
    unanswered_is_missing: bool = False  # --resubmit of a job without a provider

    def add_sent(self, custom_ids: Iterable[str]) -> list[str]:
        """The requests of one file, files in the order they were written."""
        keys = []
        for custom in custom_ids:
            key = key_of(custom)
            self.sent[key] += 1
            self.articles.add(article_of(custom))
            keys.append(key)
        return keys

    def add_results(self, path: Path, label: str, *, only: set[str] | None = None) -> set[str]:
        """The lines of one results file (of the requests in `only`, when given);
        returns the requests it answered or failed."""
        seen: set[str] = set()
        for offset, line in read_results(path):
            key = key_of(line.custom_id)
            if only is not None and key not in only:
                continue
            seen.add(key)
            if line.ok:
                answer = _Answer(path, offset, label)
                self.answers.setdefault(key, answer)
                self.outcomes[key].append(answer)
            else:
                failure = _Failure(line.status, line.code, line.message, label)
                self.outcomes[key].append(failure)
        return seen

    def add_lost(self, keys: Iterable[str], where: str) -> None:
        for key in keys:
            self.outcomes[key].append(lost(where))

    def answer(self, key: str) -> tuple[dict[str, Any], str] | None:
        found = self.answers.get(key)
        if found is None:
            return None
        with found.path.open("rb") as handle:
            handle.seek(found.offset)
            line = json.loads(handle.readline())
        return line["response"]["body"], found.label

    def pending_reason(self, key: str, max_retries: int) -> str:
        """Why a request has no answer: "waiting" (its latest send has no outcome yet),
        "new" (never sent: a first request or a re-ask), "retry" (failed in transit,
        retries left), or "missing: ..." (its batch ended without running it). Raises
        the final error when the provider refused it or its retries are spent."""
        outcomes = self.outcomes.get(key, [])
        if len(outcomes) < self.sent[key]:
            if self.unanswered_is_missing:
                return "missing: no line for it in the results given"
            return "waiting"
        if not outcomes:
            return "new"
        last = outcomes[-1]
        assert isinstance(last, _Failure)  # an answered request is not pending
        if last.missing:
            return f"missing: {last.text()}"
        if not last.transient:
            raise BackendStatusError(f"the batch answered {last.text()}", status=last.status)
        tries = sum(1 for o in outcomes if isinstance(o, _Failure) and o.transient)
        if tries > max_retries:
            raise BackendStatusError(
                f"the batch answered {last.text()}, after {tries} tries "
                f"(--max-retries {max_retries})",
                status=last.status,
            )
        return "retry"


class BatchAnswers(httpx2.AsyncBaseTransport):
    """Answers chat completions from a `ResultIndex`; raises `AnswerPending` for the
    rest. `submitted` maps each input's path to the hash of its text when submitted.
    `used` collects, per article, the batches whose answers it was given."""

    def __init__(
        self, index: ResultIndex, max_retries: int, submitted: Mapping[str, str | None] = {}
    ):
        self.index = index
        self.max_retries = max_retries
        self.submitted = submitted
        self.used: dict[str, set[str]] = defaultdict(set)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(await request.aread() or b"{}")
        key = request_key("chat/completions", body)
        context = current_document()
        facts = context.facts if context is not None else {}
        article = facts.get("article_sha256", "")
        custom = custom_id(article, key)
        found = self.index.answer(key_of(custom))
        if found is None:
            why = self.index.pending_reason(key_of(custom), self.max_retries)
            if why == "new" and not is_reask(body):
                why = self._changed(article, facts.get("source", "")) or why
            raise AnswerPending([(custom, body, why)])
        answer, label = found
        self.used[article].add(label)
        # Provenance says "(batch)"; a results file written by hand says so in each answer.
        origin = answer.get(ORIGIN_FIELD)
        origin = f"batch, {origin}" if isinstance(origin, str) else "batch"
        return httpx2.Response(200, json={**answer, ORIGIN_FIELD: origin}, request=request)

    def _changed(self, article: str, source: str) -> str | None:
        """Why a first request never sent is not simply new: the input's text, or the
        request made of the same text, changed since the job was submitted. Those are
        sent again only when asked (`--resubmit`): paid answers are not silently
        thrown away for an upgrade."""
        recorded = self.submitted.get(source)
        if recorded is not None and recorded != article:
            return "changed: the input's text changed since it was submitted"
        if article_of(custom_id(article, "")) in self.index.articles:
            return (
                "changed: its request differs from the one sent (summarizer, its prompts "
                "or settings changed since submit)"
            )
        return None
