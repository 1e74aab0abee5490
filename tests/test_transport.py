"""An injected transport is the endpoint: `transport=` through the public calls."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer import ConfigurationError, Summarizer, resolve_settings, summarize, summarize_many

ARTICLE = (
    "MOSCOW - Foreign Minister Anna Petrova met Foreign Minister Omar Haddad in Moscow on "
    'Thursday. "We agreed to keep talking," Petrova said after the meeting.'
)
ANSWER: dict[str, Any] = {
    "abstract": "Anna Petrova met Omar Haddad in Moscow.",
    "actors": [
        {"id": "a1", "name": "Anna Petrova", "aliases": ["Petrova"]},
        {"id": "a2", "name": "Omar Haddad"},
    ],
    "meetings": [
        {"participants": ["a1", "a2"], "mode": "in_person", "place": "Moscow", "evidence": [1]}
    ],
    "statements": [
        {
            "speaker": "a1",
            "cue": "said",
            "content": "We agreed to keep talking",
            "verbatim": True,
            "quote_id": "q1",
            "evidence": [2],
        }
    ],
    "proposals": [],
}


def _tool_call_completion(request: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """A chat completion answering `request` with a forced tool call carrying `answer`."""
    name = request["tools"][0]["function"]["name"]
    function = {"name": name, "arguments": json.dumps(answer)}
    call = {"id": "call_0", "type": "function", "function": function}
    return {
        "id": "chatcmpl-0",
        "object": "chat.completion",
        "created": 0,
        "model": request["model"],
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": None, "tool_calls": [call]},
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10},
    }


class Handler:
    def __init__(self) -> None:
        self.seen: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.seen.append(request)
        body = json.loads(request.content)
        return httpx2.Response(200, json=_tool_call_completion(body, ANSWER))


def test_an_injected_mock_transport_answers_summarize() -> None:
    handler = Handler()
    summary = summarize(ARTICLE, transport=httpx2.MockTransport(handler), model="mock-model")
    assert [p.name for p in summary.actors] == ["Anna Petrova", "Omar Haddad"]
    (statement,) = summary.statements
    assert statement.quote is not None
    assert ARTICLE[statement.quote.start : statement.quote.end] == "We agreed to keep talking"
    assert summary.meetings[0].place == "Moscow"
    assert summary.provenance.usage.total_tokens == 10
    (request,) = handler.seen
    assert request.url.path.endswith("/chat/completions")
    body = json.loads(request.content)
    assert body["model"] == "mock-model"
    assert "Omar Haddad in Moscow" in json.dumps(body["messages"])


def test_a_transport_and_a_replay_folder_are_refused(tmp_path: Path) -> None:
    transport = httpx2.MockTransport(Handler())
    with pytest.raises(ConfigurationError, match="transport or a replay folder"):
        summarize(ARTICLE, transport=transport, replay=tmp_path)
    settings = resolve_settings(replay=tmp_path, env={})
    with pytest.raises(ConfigurationError, match="transport or a replay folder"):
        Summarizer(settings, transport=transport)


def test_replay_says_whose_answer_it_gave_in_the_answer(tmp_path: Path) -> None:
    """The origin travels back in the replayed completion, not through shared state."""
    handler = Handler()
    transport = httpx2.MockTransport(handler)
    first = summarize(ARTICLE, transport=transport, record=tmp_path, model="mock-model")
    assert first.provenance.backend == "openai-compatible"
    again = summarize(ARTICLE, replay=tmp_path, model="mock-model")
    assert again.provenance.backend == "replay (recorded)"
    assert len(handler.seen) == 1


def test_an_injected_transport_bypasses_the_summary_cache(tmp_path: Path) -> None:
    """Two injected backends, the same text, the cache left on: each answers for
    itself, and nothing is written into the cache folder."""
    other = {**ANSWER, "abstract": "Omar Haddad met Anna Petrova in Moscow on Thursday."}

    def answering(answer: dict[str, Any]) -> httpx2.MockTransport:
        def handle(request: httpx2.Request) -> httpx2.Response:
            completion = _tool_call_completion(json.loads(request.content), answer)
            return httpx2.Response(200, json=completion)

        return httpx2.MockTransport(handle)

    cache = tmp_path / "cache"
    first = summarize(ARTICLE, transport=answering(ANSWER), cache_dir=cache)
    second = summarize(ARTICLE, transport=answering(other), cache_dir=cache)
    assert first.abstract == ANSWER["abstract"]
    assert second.abstract == other["abstract"]
    assert not first.provenance.cached and not second.provenance.cached
    assert not cache.exists() or not any(p.is_file() for p in cache.rglob("*"))


def test_a_batch_with_an_injected_transport_asks_for_every_input(tmp_path: Path) -> None:
    paths = []
    for i in range(3):
        path = tmp_path / f"a{i}.txt"
        path.write_text(ARTICLE, encoding="utf-8")
        paths.append(path)
    handler = Handler()

    async def run() -> list[Any]:
        return [o async for o in summarize_many(paths, transport=httpx2.MockTransport(handler))]

    outcomes = asyncio.run(run())
    assert all(o.summary is not None and o.summary.actors for o in outcomes)
    assert [o.summary is not None and o.summary.provenance.cached for o in outcomes] == [False] * 3
    assert len(handler.seen) == 3


def test_each_document_of_a_batch_labels_its_own_fixtures(tmp_path: Path) -> None:
    """Per-document facts reach the recording transport of a shared stack (the one
    ContextVar, `DocumentContext`): concurrent documents do not mix them up."""
    paths = []
    for i in range(4):
        path = tmp_path / f"doc{i}.txt"
        path.write_text(ARTICLE.replace("Thursday", f"day {i}"), encoding="utf-8")
        paths.append(path)
    fixtures = tmp_path / "fixtures"

    async def run() -> list[Any]:
        return [
            o
            async for o in summarize_many(
                paths, transport=httpx2.MockTransport(Handler()), record=fixtures, concurrency=4
            )
        ]

    outcomes = asyncio.run(run())
    assert all(o.summary is not None for o in outcomes)
    by_source: dict[str, str] = {}
    for file in fixtures.glob("*.json"):
        meta = json.loads(file.read_text(encoding="utf-8"))["meta"]
        by_source[Path(meta["source"]).name] = meta["article_sha256"]
    assert set(by_source) == {p.name for p in paths}
    for o in outcomes:
        assert o.summary is not None
        name = Path(o.summary.provenance.source.path or "").name
        assert by_source[name] == o.summary.provenance.source.sha256


def test_a_recording_of_an_injected_transport_says_so(tmp_path: Path) -> None:
    """What an injected transport answered is recorded as such, never as a model's."""
    summarize(ARTICLE, transport=httpx2.MockTransport(Handler()), record=tmp_path)
    (fixture,) = tmp_path.glob("*.json")
    assert json.loads(fixture.read_text())["meta"]["backend"] == "injected transport"
