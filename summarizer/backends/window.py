"""How many tokens a server's context holds, and how many a request will take of it.

Servers differ in what they say: llama.cpp's `llama-server` gives `n_ctx` in `/props`,
vLLM gives `max_model_len` in `/v1/models`, LM Studio `loaded_context_length` in
`/api/v0/models`, Ollama `context_length` in `/api/ps` for a loaded model (newer
servers), else `num_ctx` in `/api/show` when a Modelfile sets it, else its default of
4,096 stands; llama-cpp-python's server says nothing until a request is
too long, and its 400 then names the size. `--context N` states it by hand. What one
endpoint's window is, and what its usage reports taught about counting, is kept per
endpoint for the life of the process.

Counting: a request's tokens are estimated from the characters of its messages,
at `CHARS_PER_TOKEN_HIGH` (a little under what English prose takes with the usual
tokenizers, so the estimate errs high), plus the tools' share, which most servers
render into the prompt (vLLM, Ollama, llama-server with --jinja, OpenAI) and
llama-cpp-python's does not. Where a mistake cannot be undone (the size of a long
article's parts) they are assumed counted until the endpoint's first usage report says
how much it counted beyond the messages; `max_tokens` is fitted to the messages alone
until then, since a server that refuses prompt plus `max_tokens` beyond its context
(vLLM, OpenAI) says the exact prompt size in its 400 and the request is sent again,
fitted (`fitting.py`).
"""

from __future__ import annotations

import asyncio
import json
import re
import weakref
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2

from summarizer.backends.tokenizers import Tokenizer, find_tokenizer

__all__ = [
    "CHARS_PER_TOKEN_HIGH",
    "CHARS_PER_TOKEN_LOW",
    "Window",
    "content_chars",
    "message_parts",
    "message_text",
    "part_chars",
    "probe",
    "window_for",
]

CUT_ANSWERS = "answers cut at the context's end"  # the source of a size they showed
CHARS_PER_TOKEN_HIGH = 3.5  # estimate: errs towards more tokens (fitting, part sizes)
CHARS_PER_TOKEN_LOW = 6.0  # a floor: no tokenizer packs prose this densely (truncation)
_PROBE_TIMEOUT = 3.0
_OLLAMA_DEFAULT = 4096  # Ollama's default context when nothing sets num_ctx
_NUM_CTX = re.compile(r"^\s*num_ctx\s+(\d+)\s*$", re.M)


@dataclass
class Window:
    """One endpoint's context, as far as it is known, and what counting learned."""

    tokens: int | None = None  # the context size; None: not known (yet)
    source: str = ""  # who said so: "--context", "llama.cpp /props", "the server's error"
    overhead: int | None = None  # tokens counted beyond the messages; None: not yet seen
    probed: bool = False
    tokenizer: Tokenizer | None = None  # the server's own, where it exposes one
    counted_beyond: int = 0  # what usage showed beyond the tokenizer's count of the messages
    held: int = 0  # the most tokens (prompt and answer) one answer took: the size is no less
    cut: tuple[int, int] | None = None  # (prompt, total) of an answer that may have hit the end
    # A window outlives event loops (each `summarize()` call runs one): a lock per loop.
    locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = field(
        default_factory=weakref.WeakKeyDictionary, repr=False
    )

    def lock(self) -> asyncio.Lock:
        return self.locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())

    def estimate(self, body: dict[str, Any], chars_per_token: float = CHARS_PER_TOKEN_HIGH) -> int:
        """The prompt tokens of a request body, erring high: its messages, and what the
        server was seen to count beyond them (none before its first usage report: a
        server that refuses an over-long request says the exact size in its 400)."""
        return round(content_chars(body) / chars_per_token) + (self.overhead or 0)

    def beyond(self, schema: int) -> int:
        """Tokens beyond the messages: as learned, else the whole `schema`'s."""
        if self.overhead is not None:
            return self.overhead
        return round(schema / CHARS_PER_TOKEN_HIGH)

    def learn_usage(
        self, body: dict[str, Any], prompt_tokens: int, counted: int | None = None
    ) -> None:
        """What the server counted beyond the messages, from a usage report (the largest
        seen: a server that counts the tools counts them every time): beyond the
        estimate, and beyond the tokenizer's own count of the messages where `counted`."""
        beyond = max(0, prompt_tokens - round(content_chars(body) / CHARS_PER_TOKEN_HIGH))
        self.overhead = max(self.overhead or 0, beyond)
        if counted is not None:
            self.counted_beyond = max(self.counted_beyond, prompt_tokens - counted)

    def learn_size(self, tokens: int, source: str) -> None:
        """A size the server said or showed; one stated by hand is not overruled."""
        if tokens > 0 and self.source != "--context":
            self.tokens, self.source = tokens, source

    def learn_answer(self, prompt: int, total: int, *, cut: bool) -> None:
        """What one answer's usage shows of the size: no answer takes more than the
        context, so a size that answers cut at their end suggested and a later answer
        outgrew was wrong, and is dropped. An answer whose JSON stopped short of its
        max_tokens (`cut`) may have reached the context's end (llama.cpp's servers stop
        there and report a normal finish), or may be a malformed answer from a flaky
        server or proxy: one such cut is only a hypothesis. It becomes the size when a
        second cut answer, to a prompt of another length, stops at the same total (the
        end of a context is where any prompt's answer stops), and never when an answer
        already took more."""
        self.held = max(self.held, total)
        if self.source == CUT_ANSWERS and self.tokens is not None and total > self.tokens:
            self.tokens, self.source = None, ""
        if not cut or self.tokens is not None or total < self.held:
            return
        seen = self.cut
        if seen is not None and abs(total - seen[1]) <= 1 and prompt != seen[0]:
            self.learn_size(max(total, seen[1]), CUT_ANSWERS)
            self.cut = None
        else:
            self.cut = (prompt, total)


def message_parts(message: Any) -> list[str]:
    """What every server puts in the prompt of one message: its text (or its content
    parts' text) and the arguments of its tool calls."""
    if not isinstance(message, dict):
        return []
    content = message.get("content")
    parts = [content] if isinstance(content, str) else []
    if isinstance(content, list):
        parts += [str(p.get("text", "")) for p in content if isinstance(p, dict)]
    for call in message.get("tool_calls") or []:
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict):
            parts.append(str(function.get("arguments") or ""))
    return parts


def message_text(body: dict[str, Any]) -> str:
    """The text every server puts in the prompt, joined."""
    return "\n".join(p for m in body.get("messages") or [] for p in message_parts(m))


def content_chars(body: dict[str, Any]) -> int:
    """Characters of what every server puts in the prompt (the tool schema is counted
    apart, see `Window`)."""
    return sum(len(p) for m in body.get("messages") or [] for p in message_parts(m))


# One per endpoint and model for the life of the process: one probe, and what any run
# learned from errors and usage serves the next.
_WINDOWS: dict[tuple[str, str], Window] = {}


def window_for(base_url: str | None, model: str, context: int | None) -> Window:
    """The window of one endpoint and model, shared in the process; one stated by hand
    (`context`) is this client's own, and nobody else's."""
    if context is not None:
        return Window(tokens=context, source="--context", probed=True)
    return _WINDOWS.setdefault((base_url or "", model), Window())


async def probe(window: Window, base_url: str, model: str, api_key: str | None) -> None:
    """Ask the server its context size and for its tokenizer, once per endpoint. Every
    probe is a GET or a small POST that any server answers at once; a failure of any
    kind means unknown."""
    async with window.lock():  # documents that start together wait for one probe
        if window.probed:
            return
        window.probed = True
        if (urlsplit(base_url).hostname or "").endswith("openai.com"):
            return  # OpenAI's own models: large windows, and no such routes
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        async with httpx2.AsyncClient(timeout=_PROBE_TIMEOUT, headers=headers) as http:
            for ask in (_llama_server, _vllm, _lm_studio, _ollama):
                try:
                    found = await ask(http, base_url, model)
                except httpx2.TransportError:
                    return  # down or silent: the request itself will say so, once
                except (httpx2.HTTPError, ValueError, TypeError, KeyError, AttributeError):
                    found = None
                if found is not None:
                    window.learn_size(*found)
                    break
            window.tokenizer = await find_tokenizer(http, _root(base_url), model, api_key)


def _root(base_url: str) -> str:
    """http://host:port/v1 → http://host:port: the servers' own routes hang off the root."""
    parts = urlsplit(base_url.rstrip("/"))
    path = parts.path.removesuffix("/v1")
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")


async def _json(response: httpx2.Response) -> Any:
    if response.status_code != 200:
        return None
    return json.loads(response.content)


async def _llama_server(http: httpx2.AsyncClient, base_url: str, model: str) -> Any:
    data = await _json(await http.get(f"{_root(base_url)}/props"))
    n_ctx = (data or {}).get("default_generation_settings", {}).get("n_ctx")
    return (int(n_ctx), "llama.cpp /props") if n_ctx else None


async def _vllm(http: httpx2.AsyncClient, base_url: str, model: str) -> Any:
    data = await _json(await http.get(f"{base_url.rstrip('/')}/models"))
    entries = [m for m in (data or {}).get("data", []) if m.get("max_model_len")]
    chosen = [m for m in entries if m.get("id") == model] or entries[:1]
    return (int(chosen[0]["max_model_len"]), "vLLM /v1/models") if chosen else None


async def _lm_studio(http: httpx2.AsyncClient, base_url: str, model: str) -> Any:
    data = await _json(await http.get(f"{_root(base_url)}/api/v0/models"))
    entries = [m for m in (data or {}).get("data", []) if m.get("state") == "loaded"]
    chosen = [m for m in entries if m.get("id") == model] or entries[:1]
    if not chosen:
        return None
    size = chosen[0].get("loaded_context_length") or chosen[0].get("max_context_length")
    return (int(size), "LM Studio /api/v0/models") if size else None


async def _ollama(http: httpx2.AsyncClient, base_url: str, model: str) -> Any:
    # /api/ps gives what a loaded model was given (newer servers); /api/show what a
    # Modelfile sets, if anything. The OpenAI-compatible route ignores a per-request
    # num_ctx, and a larger OLLAMA_CONTEXT_LENGTH the server was started with shows
    # only in /api/ps: else Ollama's default is the safe guess, and `--context` says
    # otherwise.
    running = await _json(await http.get(f"{_root(base_url)}/api/ps"))
    names = {model, f"{model}:latest"}
    for entry in (running or {}).get("models") or []:
        if names & {entry.get("name"), entry.get("model")} and entry.get("context_length"):
            return int(entry["context_length"]), "Ollama /api/ps"
    shown = await http.post(f"{_root(base_url)}/api/show", json={"model": model, "name": model})
    data = await _json(shown)
    if not isinstance(data, dict) or "model_info" not in data:
        return None
    found = _NUM_CTX.search(str(data.get("parameters") or ""))
    trained = next(
        (v for k, v in data["model_info"].items() if k.endswith(".context_length")), None
    )
    size = int(found.group(1)) if found else _OLLAMA_DEFAULT
    if isinstance(trained, int):
        size = min(size, trained)
    return size, "Ollama /api/show"


def part_chars(
    window: Window, max_tokens: int | None, fixed: int, per_char: float, schema: int
) -> int | None:
    """Characters of article one request of the single strategy can carry in this
    window, beside `fixed` characters of instructions, tools of `schema` characters
    (0 where the schema is not in the prompt) and an answer's share (an eighth of the
    context, at least 512 tokens, at most `max_tokens`); `per_char` is what a character
    of article costs in the prompt (sentence numbers add to it). None when the window
    is not known."""
    if window.tokens is None:
        return None
    answer = min(max_tokens or window.tokens, max(512, window.tokens // 8))
    room = window.tokens - answer - window.beyond(schema) - 16
    return max(0, int((room * CHARS_PER_TOKEN_HIGH - fixed) / max(per_char, 1.0)))
