"""A model seam for tests: answer the library's requests with your own function.

`FunctionBackend(fn)` is an httpx2 transport. Hand it to the library
(`summarize(text, transport=...)`, `Summarizer(transport=...)`) and every chat
completion the library asks for is answered by `fn(messages, schema)` in process: no
server, no network, no model. Everything above the transport runs for real: the
prompts, instructor's parsing for the request's mode, validation against the article,
re-asks, salvage, merging of long articles, provenance.

`fn` gets the chat messages as sent (a list of dicts) and the JSON schema of the
answer wanted, as the request carries it; `schema["title"]` names it: `ArticleSummary`
for the single strategy, and for the focused strategy's closed questions `Actor`,
`Meeting`, `Status` or `Abstract`, whose choices are the `enum`/`const` values of their
properties. `fn` gets the schema rather than the pydantic model because the model never
travels: the schema is what a real endpoint sees, so `fn` answers exactly the questions
a model would. It returns the answer as a dict, a pydantic model or raw JSON text (to
test answers that do not parse), and may be sync or async. The answer is wrapped the
way the request asked for it: a forced tool call with JSON arguments in `tools` mode,
message content in `json` and `json_schema` modes, a fenced ```json block in `md_json`,
with a usage block (prompt tokens estimated at 4 bytes of request a token, completion
tokens at 4 bytes of answer a token, as the token budget estimates them).

>>> backend = FunctionBackend(lambda messages, schema: my_answer)
>>> summary = summarize(text, transport=backend, base_url="http://test.invalid/v1", cache=False)
>>> backend.calls[0].messages[-1]["content"]  # what the model was asked

`FunctionBackend.returning(answer, ...)` answers with canned answers in turn (the last
one for every request after it); `FunctionBackend.minimal()` answers any request with
the smallest answer its schema admits (the first choice of a closed question), like
pydantic-ai's `TestModel`.

`completion_for` and `answer_transport` build the same answers for the scripted
loopback server of the test suite and for writing hand-made fixtures.
"""

from __future__ import annotations

import inspect
import itertools
import json
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx2
from pydantic import BaseModel

__all__ = [
    "Answer",
    "AnswerFunction",
    "Call",
    "FunctionBackend",
    "answer_transport",
    "completion_for",
    "minimal_answer",
    "request_mode",
    "request_schema",
]


Answer = Mapping[str, Any] | BaseModel | str
AnswerFunction = Callable[[list[dict[str, Any]], dict[str, Any]], Answer | Awaitable[Answer]]


@dataclass(frozen=True)
class Call:
    """One request the backend answered: what `fn` was given, and the whole body."""

    messages: list[dict[str, Any]]
    schema: dict[str, Any]
    body: dict[str, Any]
    answer: str  # the JSON text sent back

    @property
    def name(self) -> str:
        """The answer's schema title: `ArticleSummary`, `Actor`, `Meeting`, ..."""
        return str(self.schema.get("title", ""))


class FunctionBackend(httpx2.AsyncBaseTransport):
    """An in-process model: chat completions answered by `fn(messages, schema)`.

    Every request is kept in `calls`, in the order they arrived."""

    def __init__(self, fn: AnswerFunction):
        self.fn = fn
        self.calls: list[Call] = []

    @classmethod
    def returning(cls, *answers: Answer) -> FunctionBackend:
        """Answer the first request with the first answer, the next with the next,
        and every request after the last answer with the last (a good answer after
        a bad one tests a re-ask)."""
        if not answers:
            raise ValueError("returning() needs at least one answer")
        queue = itertools.chain(answers, itertools.repeat(answers[-1]))
        return cls(lambda messages, schema: next(queue))

    @classmethod
    def minimal(cls) -> FunctionBackend:
        """Answer every request with `minimal_answer(schema)`."""
        return cls(lambda messages, schema: minimal_answer(schema))

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if not request.url.path.endswith("chat/completions"):
            return httpx2.Response(404, json={"error": {"message": "not found"}}, request=request)
        raw = await request.aread()
        body: dict[str, Any] = json.loads(raw or b"{}")
        messages: list[dict[str, Any]] = list(body.get("messages") or [])
        schema = request_schema(body)
        try:
            answer = self.fn(messages, schema)
            if inspect.isawaitable(answer):
                answer = await answer
        except httpx2.TransportError:
            raise  # a simulated fault: the library retries it as it would a real one
        except Exception as exc:
            from summarizer.errors import BackendError

            # A bug in a test's function is not a connection error to retry.
            raise BackendError(
                f"the FunctionBackend function raised {type(exc).__name__}: {exc}"
            ) from exc
        text = _json_text(answer)
        self.calls.append(Call(messages, schema, body, text))
        if request_mode(body) == "md_json":
            text = f"```json\n{text}\n```"
        completion = completion_for(body, text)
        prompt, answered = math.ceil(len(raw) / 4), math.ceil(len(text.encode()) / 4)
        completion["usage"] = {
            "prompt_tokens": prompt,
            "completion_tokens": answered,
            "total_tokens": prompt + answered,
        }
        return httpx2.Response(200, json=completion, request=request)


def request_schema(body: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON schema of the answer a chat completion request asks for, whatever the
    mode: the forced tool's parameters, the `json_schema` response format's schema, or
    the schema instructor writes into the system message (`json`, `md_json`). Its
    `title` is the response model's name. Empty when the request carries none."""
    tools = body.get("tools") or []
    if tools:
        function = tools[0]["function"]
        return {"title": function["name"], **function.get("parameters", {})}
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        spec = response_format["json_schema"]
        return {"title": spec.get("name", ""), **spec.get("schema", {})}
    for message in body.get("messages") or []:
        content = message.get("content")
        if message.get("role") != "system" or not isinstance(content, str):
            continue
        at = content.find("json_schema:")
        start = content.find("{", at) if at >= 0 else -1
        if start >= 0:
            try:
                schema, _ = json.JSONDecoder().raw_decode(content, start)
            except json.JSONDecodeError:
                continue
            if isinstance(schema, dict):
                return schema
    return {}


def minimal_answer(schema: Mapping[str, Any]) -> Any:
    """The smallest value `schema` admits: required properties only, the first of an
    `enum`, a `const`, `None` where null is allowed, empty lists and strings (or as
    short as `minItems`/`minLength` allow), numbers at their minimum. For the focused
    strategy that is the first choice offered: the wording's pick."""
    return _minimal(schema, schema.get("$defs", {}))


def _minimal(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Any:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _minimal(defs[ref.rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    options = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if options:
        if any(option.get("type") == "null" for option in options):
            return None
        return _minimal(options[0], defs)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = "null" if "null" in kind else kind[0]
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: _minimal(properties[name], defs) for name in schema.get("required", [])}
    if kind == "array":
        return [_minimal(schema.get("items", {}), defs) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "x" * schema.get("minLength", 0)
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def _json_text(answer: Any) -> str:
    if isinstance(answer, str):
        return answer
    if isinstance(answer, BaseModel):
        return answer.model_dump_json(by_alias=True)
    return json.dumps(answer, ensure_ascii=False)


def request_mode(body: Mapping[str, Any]) -> str:
    """The instructor mode a request was made in, read from its shape."""
    if body.get("tools"):
        return "tools"
    kind = (body.get("response_format") or {}).get("type")
    if kind == "json_schema":
        return "json_schema"
    return "json" if kind == "json_object" else "md_json"


def completion_for(request: dict[str, Any], answer: dict[str, Any] | str) -> dict[str, Any]:
    """A `chat.completion` body that answers `request` with `answer`."""
    arguments = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish = "stop"
    tools = request.get("tools") or []
    if tools:
        name = tools[0]["function"]["name"]
        message["tool_calls"] = [
            {
                "id": "call_0",
                "type": "function",
                "function": {"name": name, "arguments": arguments},
            }
        ]
        finish = "tool_calls"
    else:
        message["content"] = arguments
    return {
        "id": "chatcmpl-0",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "unknown"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def answer_transport(answer: dict[str, Any] | str) -> httpx2.MockTransport:
    """An in-process transport that answers every chat completion with `answer`."""

    def handle(request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content or b"{}")
        return httpx2.Response(200, json=completion_for(body, answer))

    return httpx2.MockTransport(handle)
