"""Every fault the loopback server can inject, one at a time: what the client does.

Transient faults (rate limits, 5xx, hangs, dropped or garbled answers) are retried
after a pause; answers that arrived but are wrong (invalid, cut off at max_tokens) are
re-asked. Either way the next good answer gives a summary, and the attempts are counted.
"""

from __future__ import annotations

from typing import Any

import pytest
from openai_server import (
    OpenAIServer,
    Step,
    answer,
    cut_mid_response,
    drop,
    hang,
    length_cut,
    status,
    truncated,
)

from summarizer import summarize
from summarizer.errors import BackendError, ValidationFailedError

FAST = {"timeout": 1.0, "max_time": 30.0}

FAULTS: dict[str, Any] = {
    "429 with Retry-After": lambda a: status(429, "slow down", retry_after="0"),
    "429 without Retry-After": lambda a: status(429, "slow down"),
    "500": lambda a: status(500),
    "502": lambda a: status(502, "bad gateway"),
    "503": lambda a: status(503, "overloaded"),
    "hang past the timeout": lambda a: hang(1.5),
    "connection dropped before the answer": lambda a: drop(),
    "connection dropped mid-response": cut_mid_response,
    "truncated JSON": truncated,
    "schema-invalid answer": lambda a: answer({"actors": "nobody", "meetings": 3}),
    "finish_reason length": length_cut,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_one_fault_then_a_good_answer_gives_a_summary(
    fault: str, good_answer: dict[str, Any], article_text: str
) -> None:
    step: Step = FAULTS[fault](good_answer)
    with OpenAIServer(step, answer(good_answer)) as server:
        summary = summarize(article_text, base_url=server.url, **FAST)
    assert len(server.received) == 2
    assert summary.provenance.attempts == 2
    assert summary.actors


TRANSIENT = {
    "429 with Retry-After",
    "429 without Retry-After",
    "500",
    "502",
    "503",
    "hang past the timeout",
    "connection dropped before the answer",
    "connection dropped mid-response",
    "truncated JSON",
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_fault_that_never_ends_fails_within_its_budget(
    fault: str, good_answer: dict[str, Any], article_text: str
) -> None:
    with (
        OpenAIServer(default=FAULTS[fault](good_answer)) as server,
        pytest.raises((BackendError, ValidationFailedError)) as caught,
    ):
        summarize(article_text, base_url=server.url, max_retries=2, max_reasks=1, **FAST)
    error = caught.value
    if fault in TRANSIENT:
        assert isinstance(error, BackendError)
        assert len(server.received) == error.attempts == 3  # 1 + max_retries
    else:
        assert isinstance(error, ValidationFailedError)
        assert len(server.received) == error.attempts == 2  # 1 + max_reasks
    message = str(error)
    assert "\n" not in message and f"after {error.attempts} attempts" in message
