"""Speed of the local backend against raw llama-cpp-python on the same requests.

    python bench/local_speed.py [ARTICLE] [--runs N]

Runs the full pipeline (focused strategy, instructor, openai SDK, in-process transport)
on the article, capturing every request it sends to the model; then sends exactly those
requests to the same loaded `Llama` directly. Prints seconds per article, generated
tokens/s for both, and ours/raw as a ratio. Same process, same model, same parameters.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx2

from summarizer import Summarizer, resolve_settings
from summarizer.backends import local as local_backend
from summarizer.io.inputs import InputRef, read_article

ROOT = Path(__file__).resolve().parent.parent


class Capture(httpx2.AsyncBaseTransport):
    def __init__(self, inner: httpx2.AsyncBaseTransport):
        self.inner = inner
        self.bodies: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.bodies.append(json.loads(await request.aread()))
        return await self.inner.handle_async_request(request)


async def ours(article_path: str, runs: int) -> tuple[list[float], int, list[dict[str, Any]]]:
    settings = resolve_settings(backend="local", env={})
    assert settings.model_path is not None
    capture = Capture(local_backend.LocalTransport(settings.model_path, threads=settings.threads))
    article = read_article(InputRef(article_path))
    times: list[float] = []
    tokens = 0
    async with Summarizer(settings, transport=capture) as client:
        await client.summarize(article)  # warm-up: loads the model
        capture.bodies.clear()
        for _ in range(runs):
            started = time.perf_counter()
            summary = await client.summarize(article)
            times.append(time.perf_counter() - started)
            tokens += summary.provenance.usage.completion_tokens
    return times, tokens, capture.bodies


def raw(bodies: list[dict[str, Any]]) -> tuple[float, int]:
    """The same requests straight to llama-cpp-python, on the already loaded model."""
    (llama,) = local_backend._models.values()
    started = time.perf_counter()
    tokens = 0
    for body in bodies:
        params = {k: body[k] for k in local_backend._PARAMS if body.get(k) is not None}
        tokens += llama.create_chat_completion(**params)["usage"]["completion_tokens"]
    return time.perf_counter() - started, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "article", nargs="?", default=str(ROOT / "examples/lavrov-shaibani-moscow.txt")
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times, our_tokens, bodies = asyncio.run(ours(args.article, args.runs))
    raw_seconds, raw_tokens = raw(bodies)
    our_seconds = sum(times)
    ours_tps = our_tokens / our_seconds
    raw_tps = raw_tokens / raw_seconds
    print(f"article: {args.article}")
    print(f"model loads in this process: {local_backend.loads}")
    print(f"requests per article: {len(bodies) // args.runs}, runs: {args.runs}")
    per = our_seconds / args.runs
    print(f"ours: {per:.2f} s per article, {our_tokens} tokens, {ours_tps:.1f} tokens/s")
    per = raw_seconds / args.runs
    print(
        f"raw llama-cpp-python: {per:.2f} s per article, {raw_tokens} tokens, {raw_tps:.1f} tok/s"
    )
    print(f"ratio ours/raw tokens/s: {ours_tps / raw_tps:.3f}")


if __name__ == "__main__":
    main()
