"""A server's own tokenizer, where it exposes one: exact counts for the truncation check.

llama-cpp-python's server counts at `/extras/tokenize/count`, llama.cpp's llama-server
tokenizes at `/tokenize` (`content`), vLLM at `/tokenize` (`model`, `prompt`). Ollama
and LM Studio expose none: there the estimate stands. One tokenization is one small
request, made only for an answer whose prompt count looks low.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx2

__all__ = [
    "Tokenizer",
    "find_tokenizer",
]

_TIMEOUT = 3.0
_SAMPLE = "Hello world"


@dataclass(frozen=True)
class Tokenizer:
    """Where and how one server counts tokens."""

    url: str
    kind: str  # "llama-cpp-python", "llama-server", "vLLM"
    model: str
    api_key: str | None = None

    def body(self, text: str) -> dict[str, Any]:
        if self.kind == "llama-cpp-python":
            return {"input": text}
        if self.kind == "llama-server":
            return {"content": text}
        return {"model": self.model, "prompt": text}

    async def count(self, text: str) -> int | None:
        """The tokens of `text`; None when the server does not answer as expected."""
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            async with httpx2.AsyncClient(timeout=_TIMEOUT, headers=headers) as http:
                return _count(await http.post(self.url, json=self.body(text)))
        except (httpx2.HTTPError, ValueError, TypeError, KeyError, AttributeError):
            return None


def _count(response: httpx2.Response) -> int | None:
    if response.status_code != 200:
        return None
    data = json.loads(response.content)
    if isinstance(data.get("count"), int):
        return int(data["count"])
    tokens = data.get("tokens")
    return len(tokens) if isinstance(tokens, list) else None


async def find_tokenizer(
    http: httpx2.AsyncClient, root: str, model: str, api_key: str | None
) -> Tokenizer | None:
    """The first route that counts a sample as a server's tokenizer would; None if none."""
    for url, kind in (
        (f"{root}/extras/tokenize/count", "llama-cpp-python"),
        (f"{root}/tokenize", "llama-server"),
        (f"{root}/tokenize", "vLLM"),
    ):
        candidate = Tokenizer(url, kind, model, api_key)
        try:
            counted = _count(await http.post(url, json=candidate.body(_SAMPLE)))
        except httpx2.TransportError:
            return None
        except (httpx2.HTTPError, ValueError, TypeError, KeyError, AttributeError):
            counted = None
        if counted is not None and 0 < counted < len(_SAMPLE):
            return candidate
    return None
