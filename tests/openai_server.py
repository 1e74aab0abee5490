"""A real OpenAI-compatible HTTP server on loopback, scripted per test.

Each request takes the next step of the script (or the default step when the script
is used up), and every request is kept for the test to inspect: raw body, headers, time.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from summarizer.testing import completion_for


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    cut: int | None = None  # send the headers and this many body bytes, then close
    echo_auth: bool = False  # put the request's authorization header in place of {auth}


Step = Callable[[dict[str, Any]], Reply]


def answer(
    obj: dict[str, Any] | str,
    *,
    delay: float = 0.0,
    tokens: int = 0,
    counted: bool = False,
    cached: int | None = None,
) -> Step:
    """Answer with `obj` in the shape the request asked for (tool call or content),
    after `delay` seconds, reporting `tokens` prompt tokens used, or (`counted`) the
    usage a server would count for the request and the answer; `cached` of the prompt
    tokens served by a prompt cache, as OpenAI reports them."""

    def reply(request: dict[str, Any]) -> Reply:
        body = completion_for(request, obj)
        body["usage"] = {"prompt_tokens": tokens, "completion_tokens": 0, "total_tokens": tokens}
        if counted:
            count_usage(request, body)
        if cached is not None:
            body["usage"]["prompt_tokens_details"] = {"cached_tokens": cached}
        return Reply(200, {}, json.dumps(body).encode(), delay=delay)

    return reply


def count_usage(request: dict[str, Any], body: dict[str, Any]) -> None:
    """Usage as a server reports it, at about 4 characters a token."""
    prompt = sum(len(str(m.get("content") or "")) for m in request.get("messages") or []) // 4
    message = body["choices"][0]["message"]
    said = message.get("content") or "".join(
        c["function"]["arguments"] for c in message.get("tool_calls") or []
    )
    completion = max(1, len(said) // 4)
    body["usage"] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def half_json(obj: dict[str, Any] | str) -> Step:
    """A well-formed completion whose answer's JSON stops halfway while finish_reason
    says all is well (`tool_calls` or `stop`): a flaky server or proxy, not the end of
    the context. Its usage counts what it sent."""

    def reply(request: dict[str, Any]) -> Reply:
        body = completion_for(request, obj)
        message = body["choices"][0]["message"]
        for call in message.get("tool_calls") or []:
            arguments = call["function"]["arguments"]
            call["function"]["arguments"] = arguments[: len(arguments) // 2]
        if message.get("content"):
            message["content"] = message["content"][: len(message["content"]) // 2]
        count_usage(request, body)
        return Reply(200, {}, json.dumps(body).encode())

    return reply


def status(code: int, message: str = "scripted failure", **headers: str) -> Step:
    body = json.dumps({"error": {"message": message, "type": "server_error"}}).encode()
    return lambda request: Reply(code, {k.replace("_", "-"): v for k, v in headers.items()}, body)


def truncated(obj: dict[str, Any] | str) -> Step:
    """A 200 whose JSON body stops halfway (and says so in its content-length)."""

    def reply(request: dict[str, Any]) -> Reply:
        body = json.dumps(completion_for(request, obj)).encode()
        return Reply(200, {}, body[: len(body) // 2])

    return reply


def cut_mid_response(obj: dict[str, Any] | str) -> Step:
    """Headers promise the whole answer; the connection closes after half of it."""

    def reply(request: dict[str, Any]) -> Reply:
        body = json.dumps(completion_for(request, obj)).encode()
        return Reply(200, {}, body, cut=len(body) // 2)

    return reply


def length_cut(obj: dict[str, Any] | str) -> Step:
    """A well-formed completion whose answer stopped at max_tokens."""

    def reply(request: dict[str, Any]) -> Reply:
        body = completion_for(request, obj)
        body["choices"][0]["finish_reason"] = "length"
        message = body["choices"][0]["message"]
        for call in message.get("tool_calls") or []:
            call["function"]["arguments"] = call["function"]["arguments"][:40]
        if message.get("content"):
            message["content"] = message["content"][:40]
        return Reply(200, {}, json.dumps(body).encode())

    return reply


def faulty(good: Step, faults: list[Step], rate: float, seed: int = 0) -> Step:
    """`good`, except that a share `rate` of requests get one of `faults`, drawn from a
    seeded generator (the draw order follows request arrival)."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def reply(request: dict[str, Any]) -> Reply:
        with lock:
            step = rng.choice(faults) if rng.random() < rate else good
        return step(request)

    return reply


def echo_key(code: int, pad: int = 0) -> Step:
    """A careless endpoint (or debugging proxy) that quotes the caller's credentials,
    after `pad` characters of other text."""
    body = json.dumps({"error": {"message": "x" * pad + "bad credentials: {auth}"}}).encode()
    return lambda request: Reply(code, {}, body, echo_auth=True)


def hang(seconds: float) -> Step:
    return lambda request: Reply(delay=seconds, drop=True)


def drop() -> Step:
    return lambda request: Reply(drop=True)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 refuses connections when 16 open at once


@dataclass
class Received:
    at: float
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def json(self) -> dict[str, Any]:
        return dict(json.loads(self.raw))


class OpenAIServer:
    """`routes` answers other paths (GET or POST, e.g. `/props`) with fixed JSON, as the
    servers that report their context do, or with what a function of the request's JSON
    returns (None: 404); any other path is a 404. Only chat requests take steps of the
    script and are kept in `received`; the others go in `probes`."""

    def __init__(
        self,
        *steps: Step,
        default: Step | None = None,
        routes: dict[str, Any] | None = None,
    ):
        self.steps = list(steps)
        self.routes = routes or {}
        self.probes: list[str] = []
        self.default = default or status(500, "script exhausted")
        self.received: list[Received] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._route()

            def _route(self, raw: bytes = b"") -> None:
                server.probes.append(f"{self.command} {self.path}")
                found = server.routes.get(self.path)
                if callable(found):
                    found = found(json.loads(raw or b"{}"))
                body = json.dumps(found if found is not None else {"detail": "Not Found"})
                self.send_response(200 if found is not None else 404)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.encode())

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                if not self.path.endswith("/chat/completions"):
                    self._route(raw)
                    return
                with server._lock:
                    server.received.append(
                        Received(
                            time.monotonic(),
                            self.path,
                            {k.lower(): v for k, v in self.headers.items()},
                            raw,
                        )
                    )
                    step = server.steps.pop(0) if server.steps else server.default
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    reply = step(json.loads(raw or b"{}"))
                    if reply.delay:
                        time.sleep(reply.delay)
                finally:
                    with server._lock:
                        server.in_flight -= 1
                if reply.echo_auth:
                    auth = self.headers.get("authorization", "").encode()
                    reply.body = reply.body.replace(b"{auth}", auth)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply.body)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if reply.cut is not None:
                    self.wfile.write(reply.body[: reply.cut])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(reply.body)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> OpenAIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
