"""The practical limit: post recorded request bodies at a fixed concurrency, nothing else.

python bench/bare_client.py URL BODIES.jsonl CONCURRENCY
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx2


async def main() -> None:
    url, path, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3])
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    bodies = [line.encode() for line in lines if line.strip()]
    limit = asyncio.Semaphore(concurrency)
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx2.AsyncClient(timeout=60, limits=limits) as client:

        async def post(body: bytes) -> None:
            async with limit:
                response = await client.post(
                    url + "/chat/completions",
                    content=body,
                    headers={"content-type": "application/json", "authorization": "Bearer x"},
                )
                response.raise_for_status()
                response.json()

        await asyncio.gather(*(post(b) for b in bodies))


if __name__ == "__main__":
    asyncio.run(main())
