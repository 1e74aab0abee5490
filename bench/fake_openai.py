"""A loopback OpenAI-compatible server for benchmarks: fixed latency, canned answer.

    python bench/fake_openai.py PORT LATENCY_SECONDS ANSWER.json [BODIES_OUT.jsonl]

Answers every chat completion with ANSWER.json in the shape the request asked for,
after LATENCY seconds. GET /stats gives the request count and when the first request
came and the last answer left (`?reset` starts a new window). With BODIES_OUT, every
request body is appended to that file, so another client can send the same requests.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from aiohttp import web

from summarizer.testing import completion_for


def main() -> None:
    port, latency, answer_path = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    bodies_out = open(sys.argv[4], "a", encoding="utf-8") if len(sys.argv) > 4 else None  # noqa: SIM115
    answer = json.loads(Path(answer_path).read_text(encoding="utf-8"))
    # Wall-clock times, so the benchmark can split a client's run into start-up (before
    # the first request), the span of requests, and shut-down (after the last answer).
    stats: dict[str, float | None] = {"requests": 0, "first": None, "last_done": None}

    async def completions(request: web.Request) -> web.Response:
        raw = await request.read()
        stats["requests"] = (stats["requests"] or 0) + 1
        stats["first"] = stats["first"] or time.time()
        if bodies_out is not None:
            bodies_out.write(raw.decode() + "\n")
        await asyncio.sleep(latency)
        body = completion_for(json.loads(raw), answer)
        body["usage"] = {"prompt_tokens": 1000, "completion_tokens": 300, "total_tokens": 1300}
        stats["last_done"] = time.time()
        return web.json_response(body)

    async def get_stats(request: web.Request) -> web.Response:
        snapshot = dict(stats)
        if "reset" in request.query:
            stats["first"] = stats["last_done"] = None
        return web.json_response(snapshot)

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/v1/chat/completions", completions)
    app.router.add_get("/stats", get_stats)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main()
