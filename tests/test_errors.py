"""Each run-time failure has its own type under `BackendError`, built with what it cost
and with the API key masked once, where it is made."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from openai_server import OpenAIServer, answer, drop, echo_key, hang, status

import summarizer
from summarizer import (
    BackendConnectionError,
    BackendError,
    BackendStatusError,
    BackendTimeoutError,
    ConfigurationError,
    InvalidAnswerError,
    SummarizerError,
    ValidationFailedError,
    summarize,
)

KEY = "sk-typed-errors-0123456789abcdef"


def test_an_error_status_is_a_status_error_with_the_body_masked(article_text: str) -> None:
    with (
        OpenAIServer(default=echo_key(401)) as server,
        pytest.raises(BackendStatusError) as caught,
    ):
        summarize(article_text, base_url=server.url, api_key=KEY, max_retries=0)
    error = caught.value
    assert isinstance(error, BackendError) and not isinstance(error, ConfigurationError)
    assert error.status == 401 and error.attempts == 1 and error.kind == "backend"
    assert "HTTP 401" in str(error)
    assert KEY not in str(error) and "***" in str(error)
    assert KEY not in error.body and "bad credentials: Bearer ***" in error.body


def test_a_5xx_after_its_retries_is_a_status_error(article_text: str) -> None:
    with (
        OpenAIServer(default=status(503, "overloaded", retry_after="0")) as server,
        pytest.raises(BackendStatusError) as caught,
    ):
        summarize(article_text, base_url=server.url, max_retries=1)
    assert caught.value.status == 503 and caught.value.attempts == 2
    assert "overloaded" in caught.value.body


def test_no_answer_in_time_is_a_timeout_error(article_text: str) -> None:
    with (
        OpenAIServer(default=hang(0.6)) as server,
        pytest.raises(BackendTimeoutError) as caught,
    ):
        summarize(article_text, base_url=server.url, timeout=0.2, max_retries=0)
    assert caught.value.status is None and "timed out after 0.2 s" in str(caught.value)


def test_the_max_time_deadline_is_a_timeout_error(article_text: str) -> None:
    with (
        OpenAIServer(default=hang(3)) as server,
        pytest.raises(BackendTimeoutError, match="gave up after max time 1 s"),
    ):
        summarize(article_text, base_url=server.url, timeout=5, max_time=1)


def test_a_dropped_connection_is_a_connection_error(article_text: str) -> None:
    with (
        OpenAIServer(default=drop()) as server,
        pytest.raises(BackendConnectionError) as caught,
    ):
        summarize(article_text, base_url=server.url, max_retries=0)
    assert "cannot connect to" in str(caught.value)


def test_a_closed_port_is_a_connection_error_not_a_configuration_error(
    article_text: str,
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(BackendConnectionError) as caught:
        summarize(article_text, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    assert not isinstance(caught.value, ConfigurationError)


def test_answers_that_never_validate_are_an_invalid_answer_error(article_text: str) -> None:
    bad = answer({"actors": "nobody", "meetings": 3}, tokens=2000)
    with (
        OpenAIServer(default=bad) as server,
        pytest.raises(InvalidAnswerError) as caught,
    ):
        summarize(article_text, base_url=server.url, max_reasks=1)
    error = caught.value
    assert isinstance(error, ValidationFailedError) and isinstance(error, BackendError)
    assert type(error).__name__ == "ValidationFailedError"  # as error records have said
    assert error.kind == "validation" and error.attempts == 2
    assert error.tokens == 4000  # declared when the error was built: both failed answers


def test_the_error_types_are_exported() -> None:
    for name in (
        "BackendError",
        "BackendStatusError",
        "BackendTimeoutError",
        "BackendConnectionError",
        "InvalidAnswerError",
        "ValidationFailedError",
    ):
        error_type: Any = getattr(summarizer, name)
        assert name in summarizer.__all__ and issubclass(error_type, SummarizerError)
    assert issubclass(InvalidAnswerError, BackendError)


def test_an_error_built_with_the_key_masks_it_once() -> None:
    error = BackendStatusError(f"HTTP 400: echoed {KEY}", status=400, body=KEY, api_key=KEY)
    assert KEY not in str(error) and KEY not in error.body
    assert error.costing(7).tokens == 7 and error.tokens == 0
    assert error.costing(7).body == error.body and error.costing(7).status == 400
