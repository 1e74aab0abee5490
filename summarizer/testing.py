"""Helpers for tests and fixtures: OpenAI-shaped answers built from a plain JSON object.

`completion_for` wraps an answer the way the request asked for it (a forced tool call
in tools mode, message content otherwise), so one hand-written answer serves every mode.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx2


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
