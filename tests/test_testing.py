"""The model seam: `summarizer.testing.FunctionBackend` answers in process."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from conftest import assert_grounded

from summarizer import BackendError, ValidationFailedError, summarize
from summarizer.article import Article
from summarizer.grounding.draft import ArticleSummary
from summarizer.testing import FunctionBackend, minimal_answer, request_schema


@pytest.mark.parametrize("mode", ["tools", "json", "json_schema", "md_json"])
def test_a_canned_answer_in_every_mode(
    good_answer: dict[str, Any], article_text: str, mode: str
) -> None:
    backend = FunctionBackend.returning(good_answer)
    summary = summarize(article_text, transport=backend, mode=mode)
    assert len(backend.calls) == 1
    call = backend.calls[0]
    assert call.name == "ArticleSummary"
    assert set(call.schema["required"]) == set(ArticleSummary.model_fields)
    assert call.messages[-1]["role"] == "user"
    assert len(summary.statements) == 12 and not summary.diagnostics
    assert assert_grounded(summary, article_text) > 20
    usage = summary.provenance.usage
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_the_function_gets_messages_and_schema_and_may_be_async(
    good_answer: dict[str, Any], article_text: str
) -> None:
    seen: list[tuple[list[dict[str, Any]], dict[str, Any]]] = []

    async def model(messages: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
        seen.append((messages, schema))
        return good_answer

    summary = summarize(article_text, transport=FunctionBackend(model), model="my-model")
    ((messages, schema),) = seen
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "[1] " in messages[1]["content"]
    assert schema["title"] == "ArticleSummary"
    assert summary.provenance.model == "my-model"


def test_a_pydantic_answer_is_sent_as_json(good_answer: dict[str, Any], article_text: str) -> None:
    draft = ArticleSummary.model_validate(good_answer)  # no article: references only
    backend = FunctionBackend(lambda messages, schema: draft)
    summary = summarize(article_text, transport=backend)
    assert json.loads(backend.calls[0].answer) == draft.model_dump(mode="json")
    assert len(summary.statements) == 12


def test_answers_in_turn_then_the_last_again(
    good_answer: dict[str, Any], article_text: str
) -> None:
    bad = json.loads(json.dumps(good_answer))
    bad["statements"][2]["speaker"] = "a9"
    backend = FunctionBackend.returning(bad, good_answer)
    first = summarize(article_text, transport=backend, cache=False)
    again = summarize(article_text, transport=backend, cache=False)
    assert first.provenance.attempts == 2 and not first.diagnostics
    assert again.provenance.attempts == 1
    assert [json.loads(c.answer) == good_answer for c in backend.calls] == [False, True, True]
    assert "statements[2].speaker refers to unknown actor a9" in json.dumps(
        backend.calls[1].messages
    )


def test_text_that_does_not_parse_is_reasked_then_fails(article_text: str) -> None:
    backend = FunctionBackend.returning("{not json")
    with pytest.raises(ValidationFailedError):
        summarize(article_text, transport=backend, max_reasks=1)
    assert len(backend.calls) == 2


def test_the_focused_strategy_asks_closed_questions(article_text: str) -> None:
    """The function answers from the schema's choices; what it picks is used."""

    def last_choice(messages: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
        answer = minimal_answer(schema)
        if schema["title"] == "Actor":
            answer["answer"] = schema["properties"]["answer"]["enum"][-1]
        return dict(answer)

    first, last = FunctionBackend.minimal(), FunctionBackend(last_choice)
    by_first = summarize(article_text, transport=first, strategy="focused")
    by_last = summarize(article_text, transport=last, strategy="focused", cache=False)
    assert {c.name for c in first.calls} == {"Abstract", "Actor", "Meeting", "Status"}
    for call in first.calls:
        for name, value in json.loads(call.answer).items():
            choices = call.schema["properties"][name]
            # one choice left is a `const` (no place named in the sentence: "none")
            one = choices.get("items", choices)
            allowed = one.get("enum", [one.get("const")])
            assert set(value if isinstance(value, list) else [value]) <= set(allowed)
    assert_grounded(by_first, article_text)
    assert_grounded(by_last, article_text)
    assert by_first.abstract == Article(article_text).sentences[0].text
    speakers = [[s.speaker for s in x.statements] for x in (by_first, by_last)]
    assert len(speakers[0]) == len(speakers[1]) and speakers[0] != speakers[1]


def test_a_failing_function_fails_once_and_says_so(article_text: str) -> None:
    def broken(messages: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("actors")

    with pytest.raises(BackendError, match="function raised KeyError: 'actors'"):
        summarize(article_text, transport=FunctionBackend(broken))


def test_a_transport_error_is_retried_like_a_dropped_connection(
    good_answer: dict[str, Any], article_text: str
) -> None:
    tries: list[int] = []

    def flaky(messages: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
        tries.append(1)
        if len(tries) == 1:
            raise httpx2.ConnectError("dropped")
        return good_answer

    summary = summarize(article_text, transport=FunctionBackend(flaky))
    assert summary.provenance.attempts == 2 and len(tries) == 2


def test_minimal_answer_is_the_smallest_valid_value() -> None:
    schema = request_schema(
        {"tools": [{"function": {"name": "ArticleSummary", "parameters": _summary_schema()}}]}
    )
    answer = minimal_answer(schema)
    assert answer == {"abstract": "x", "actors": [], "meetings": [], "statements": [],
                      "proposals": []}  # fmt: skip
    ArticleSummary.model_validate(answer)
    assert minimal_answer({"anyOf": [{"type": "string"}, {"type": "null"}]}) is None
    assert minimal_answer({"type": "array", "items": {"const": 3}, "minItems": 2}) == [3, 3]
    assert minimal_answer({"type": "integer", "minimum": 1}) == 1


def test_request_schema_in_every_mode() -> None:
    schema = _summary_schema()
    system = f"Rules.\n\nmatch the following json_schema:\n\n{json.dumps(schema)}\n\nMake sure"
    bodies: list[dict[str, Any]] = [
        {"response_format": {"type": "json_schema", "json_schema": {"name": "ArticleSummary",
                                                                   "schema": schema}}},
        {"messages": [{"role": "system", "content": system}, {"role": "user", "content": "{}"}]},
    ]  # fmt: skip
    for body in bodies:
        assert request_schema(body)["properties"] == schema["properties"]
        assert request_schema(body)["title"] == "ArticleSummary"
    assert request_schema({"messages": [{"role": "user", "content": "hi"}]}) == {}


def _summary_schema() -> dict[str, Any]:
    return ArticleSummary.model_json_schema()
