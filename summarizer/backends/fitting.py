"""Every request fitted to the server's context, and every answer checked against it.

Before a request goes out, its `max_tokens` is cut to what the context leaves after the
prompt, and a prompt that cannot fit at all is refused unsent. When a server answers
400 for a request that was too long, the window it names is learned, and a request
whose prompt fits but whose `max_tokens` did not is sent once more, fitted. When an
answer comes back, two things a small-context server does quietly are caught: it cut
the prompt (Ollama keeps what fits and says nothing: the usage it reports counts only
what it kept), or it stopped the answer at the end of the context while reporting a
normal stop (llama.cpp's servers): that answer is marked cut off, as it is. An answer
whose JSON stops before its end, short of its max_tokens, was cut there too; where the
window is not known yet, such answers may show how large it is (`Window.learn_answer`).
Where the server's tokenizer is known, a request the estimate cannot clear is counted
with it before it is sent.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2

from summarizer.backends.failures import context_numbers, fix_for
from summarizer.backends.layer import Layer
from summarizer.backends.window import (
    CHARS_PER_TOKEN_LOW,
    Window,
    content_chars,
    message_parts,
    message_text,
    probe,
)
from summarizer.config import Settings
from summarizer.errors import ContextTooLargeError, ContextTruncatedError

__all__ = [
    "FittingTransport",
]

_MIN_ANSWER = 32  # tokens: below this a request is refused rather than sent
_ROOMY_ANSWER = 128  # below this with the high estimate, try the typical one
_MARGIN = 16  # tokens for the chat template's role markers


class FittingTransport(Layer):
    """Fits chat requests to `window` and checks their answers; `probe_server` asks the
    server its context size before the first request."""

    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        window: Window,
        settings: Settings,
        *,
        probe_server: bool = True,
    ):
        super().__init__(inner)
        self.window = window
        self.settings = settings
        self.probe_server = probe_server

    async def context_size(self) -> int | None:
        """The server's context in tokens, asking it first if not yet known."""
        s = self.settings
        if self.probe_server and s.base_url:
            await probe(self.window, s.base_url, s.model, s.api_key)
        return self.window.tokens

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return await self.inner.handle_async_request(request)
        await self.context_size()
        body: dict[str, Any] = json.loads(await request.aread() or b"{}")
        asked = body.get("max_tokens")
        fitted, counted = await self._fit(body)
        response = await self._send(request, body, fitted)
        if response.status_code == 400:
            await response.aread()
            refit = self._learn_from_error(response, body, fitted if fitted is not None else asked)
            if refit is not None:
                fitted = refit
                response = await self._send(request, body, refit)
        if response.status_code == 200:
            sent = body if fitted is None else {**body, "max_tokens": fitted}
            response = await self._checked(request, response, sent, counted)
        return response

    async def _fit(self, body: dict[str, Any]) -> tuple[int | None, int | None]:
        """The max_tokens to send instead of the body's (None: as it is), and the
        messages' tokens where the server's tokenizer counted them; refuses, unsent, a
        request whose prompt the known window cannot hold."""
        size = self.window.tokens
        if size is None:
            return None, None
        asked = body.get("max_tokens")
        counted = await self._count(body, size, asked)
        if counted is not None:
            prompt = f"{counted + self.window.counted_beyond:,} tokens (counted by the server)"
            room = size - counted - self.window.counted_beyond - _MARGIN
        else:
            high, typical = self.window.estimate(body), self.window.estimate(body, 4.0)
            prompt = f"about {typical:,} tokens"
            room = size - high - _MARGIN
            if room < _ROOMY_ANSWER:
                room = size - typical - _MARGIN
        if room < _MIN_ANSWER:
            raise ContextTooLargeError(
                f"the request does not fit: its prompt is {prompt} and the server's "
                f"context is {size:,} ({self.window.source}). "
                + fix_for(self.settings, prompt_too_long=True),
                status=None,
            )
        if isinstance(asked, int) and asked <= room:
            return None, counted
        return room, counted

    async def _count(self, body: dict[str, Any], size: int, asked: Any) -> int | None:
        """The messages' tokens by the server's own tokenizer, where it has one and the
        estimate cannot rule out an overflow: the estimate errs on prose, not on the
        dense JSON of a re-ask's excerpt. A token is at least a byte, so a prompt of
        fewer bytes than the context leaves free always fits, and is not counted."""
        tokenizer = self.window.tokenizer
        if tokenizer is None:
            return None
        text = message_text(body)
        answer = asked if isinstance(asked, int) else _ROOMY_ANSWER
        most = len(text.encode()) + max(self.window.overhead or 0, self.window.counted_beyond)
        if most + answer + _MARGIN <= size:
            return None
        return await tokenizer.count(text)

    def _learn_from_error(
        self, response: httpx2.Response, body: dict[str, Any], asked: Any
    ) -> int | None:
        """Learn the window a 400 names; the max_tokens to resend with, when only the
        answer's share was too long."""
        try:
            message = json.dumps(json.loads(response.content))
        except ValueError:
            message = response.text
        numbers = context_numbers(message)
        if numbers is None:
            return None
        limit, prompt = numbers
        if limit is None:
            return None
        self.window.learn_size(limit, "the server's error")
        if prompt is None:
            return None
        self.window.learn_usage(body, prompt)
        room = limit - prompt - _MARGIN
        if room < _MIN_ANSWER or (isinstance(asked, int) and asked <= room):
            return None
        return room

    async def _send(
        self, request: httpx2.Request, body: dict[str, Any], max_tokens: int | None
    ) -> httpx2.Response:
        if max_tokens is None:
            return await self.inner.handle_async_request(request)
        body = {**body, "max_tokens": max_tokens}
        headers = [(k, v) for k, v in request.headers.raw if k.lower() != b"content-length"]
        fitted = httpx2.Request(
            request.method,
            request.url,
            headers=headers,
            content=json.dumps(body).encode(),
            extensions=request.extensions,
        )
        return await self.inner.handle_async_request(fitted)

    async def _checked(
        self,
        request: httpx2.Request,
        response: httpx2.Response,
        body: dict[str, Any],
        counted: int | None = None,
    ) -> httpx2.Response:
        raw = await response.aread()
        try:
            answer = json.loads(raw)
            usage = answer.get("usage") or {}
            prompt = int(usage.get("prompt_tokens") or 0)
            total = int(usage.get("total_tokens") or 0)
            completion = int(usage.get("completion_tokens") or 0)
            choice = answer["choices"][0]
            message = choice.get("message") or {}
            cached = int((usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0)
            unfinished = _unfinished(message)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return response  # not ours to judge: the SDK and instructor say what is wrong
        if prompt and cached and prompt < content_chars(body) / 4:
            prompt += cached  # a server that counts the cached part apart
        sent = await self._cut_prompt(body, prompt, counted) if prompt else None
        if sent is not None:
            raise ContextTruncatedError(
                f"the server kept {prompt:,} of {sent} prompt tokens: it cut the "
                "prompt to fit its context, so the model never read all of the article "
                "and the instructions. Raise the server's context (Ollama: "
                "OLLAMA_CONTEXT_LENGTH or num_ctx in a Modelfile; llama.cpp -c; vLLM "
                f"--max-model-len) or lower --chunk-chars (now {self.settings.chunk_chars})",
                status=None,
            )
        if prompt:
            self.window.learn_usage(body, prompt, counted)
        asked = body.get("max_tokens")
        capped = isinstance(asked, int) and completion >= asked
        if total:
            # Stopped mid-JSON short of max_tokens: maybe at the end of the context.
            self.window.learn_answer(prompt, total, cut=unfinished and not capped)
        size = self.window.tokens
        full = size is not None and total >= size - 1
        if choice.get("finish_reason") == "length" or not (full or capped or unfinished):
            return response
        # It stopped at the limit, whatever it says; what it said stays beside, so a
        # recorded fixture shows both.
        choice["summarizer_reported_finish_reason"] = choice.get("finish_reason")
        choice["finish_reason"] = "length"
        headers = [
            (k, v)
            for k, v in response.headers.raw
            if k.lower() not in (b"content-length", b"content-encoding", b"transfer-encoding")
        ]
        return httpx2.Response(
            response.status_code,
            headers=headers,
            content=json.dumps(answer).encode(),
            request=request,
            extensions=response.extensions,
        )

    async def _cut_prompt(
        self, body: dict[str, Any], prompt: int, counted: int | None = None
    ) -> str | None:
        """How many prompt tokens were sent (as text for the message), when the server
        says it kept clearly fewer; None when it kept them all. A count that looks low
        (under 4 characters a token) is checked with the server's tokenizer where it
        has one (90% of the messages' tokens must be there), else against 6 characters
        a token, a density no tokenizer reaches on prose."""
        chars = content_chars(body)
        if prompt >= chars / 4 or not self._could_overflow(body):
            return None
        tokenizer = self.window.tokenizer
        exact = counted
        if exact is None and tokenizer is not None:
            exact = await tokenizer.count(message_text(body))
        if exact is not None:
            return f"{exact:,} (counted by the server)" if prompt < 0.9 * exact else None
        return f"about {round(chars / 4):,}" if prompt < chars / CHARS_PER_TOKEN_LOW else None

    def _could_overflow(self, body: dict[str, Any]) -> bool:
        """Whether the prompt may be longer than the context: never where a known
        context holds it twice over (a low count there is a cache, not a cut: some
        Ollama releases count only the prompt tokens they had not cached)."""
        size = self.window.tokens
        return size is None or content_chars(body) / 4 > size / 2


def _unfinished(message: dict[str, Any]) -> bool:
    """An answer whose JSON stops before its end: cut, whatever the server says."""
    for text in (t.strip() for t in message_parts(message)):
        if not text.startswith(("{", "[")):
            continue
        try:
            json.loads(text, strict=False)  # a raw newline in a string is no cut
        except json.JSONDecodeError as error:
            # Cut: the text ends inside a string or before a value. Not a stray bracket
            # or a trailing comma (errors before the end), nor "Extra data".
            if error.msg.startswith("Unterminated string") or (
                error.pos >= len(text) and not error.msg.startswith("Extra data")
            ):
                return True
    return False
